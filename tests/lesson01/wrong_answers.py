"""Lesson 01 (Kernel vs filter): a typical wrong answer per exercise, graded by tests/test_grading.py;
grade_id -> solution-region code + a piece of its hint (docs/grading.md, "Wrong answers").
"""

WRONG_ANSWERS = {
    "exercise_make_filter": {
        "code": 'return functools.partial(conv.correlate2d, kernel=kernel, mode="same")',
        "hint": "mode='same'",
    },
    "exercise_param_count": {
        "code": "return c_out * c_in * kh * kw",
        "hint": "biases",
    },
    "exercise_keras_to_torch": {
        "code": "return kernel.T",
        "hint": "swaps KH and KW",
    },
    "exercise_design_edge_kernel": {
        "code": "return np.array([[1.0, 0.0, -1.0]] * 3)",
        "hint": "wrong way round",
    },
    "exercise_conv_layer": {
        "code": 'c_in, h, width = x.shape\nc_out, _, kh, kw = w.shape\nout = np.zeros((c_out, h - kh + 1, width - kw + 1))\nfor o in range(c_out):\n    for i in range(h - kh + 1):\n        for j in range(width - kw + 1):\n            total = 0.0\n            for c in range(c_in):\n                total += np.sum(x[c, i:i + kh, j:j + kw] * w[o, c])\n            out[o, i, j] = total\nreturn out',
        "hint": 'forgot to add b[o]',
    },
}
