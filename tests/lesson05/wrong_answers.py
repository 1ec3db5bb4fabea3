"""Lesson 05 (Backprop through conv + ReLU): a typical wrong answer per exercise, graded by tests/test_grading.py;
grade_id -> solution-region code + a piece of its hint (docs/grading.md, "Wrong answers").
"""

WRONG_ANSWERS = {
    "exercise_relu_gate": {
        "code": "return dh * (z >= 0)",
        "hint": "z > 0, not z >= 0",
    },
    "exercise_kernel_grad": {
        "code": 'return conv.convolve2d(x, dz, mode="valid"), float(dz.sum())',
        "hint": "rotated by 180",
    },
    "exercise_strided_input_grad": {
        "code": 'return np.convolve(dz, k, "full")',
        "hint": "zeros between the entries",
    },
    "exercise_composite_kernel": {
        "code": 'return conv.convolve1d(k1, k2, mode="full"), b1 + b2',
        "hint": "sum(k2)",
    },
    "exercise_conv_backward": {
        "code": 'n_batch, c_in, h, wd = x.shape\nc_out, _, kh, kw = w.shape\np = padding\nxp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))\ndxp = np.zeros_like(xp)\ndw = np.zeros_like(w)\ndb = np.zeros(c_out)\nfor n in range(n_batch):\n    for o in range(c_out):\n        for i in range(dz.shape[2]):\n            for j in range(dz.shape[3]):\n                r, c = i * stride, j * stride\n                dxp[n, :, r:r + kh, c:c + kw] += dz[n, o, i, j] * w[o]\n                dw[o] += dz[n, o, i, j] * xp[n, :, r:r + kh, c:c + kw]\n                db[o] += dz[n, o, i, j]\nreturn dxp[:, :, :h, :wd], dw, db',
        "hint": 'top-left corner',
    },
}
