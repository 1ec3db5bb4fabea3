"""Lesson 03 (Index math): a typical wrong answer per exercise, graded by tests/test_grading.py;
grade_id -> solution-region code + a piece of its hint (docs/grading.md, "Wrong answers").
"""

WRONG_ANSWERS = {
    "exercise_output_size": {
        "code": "return (n + 2 * padding - dilation * (k - 1) - 1) / stride + 1",
        "hint": "floor",
    },
    "exercise_inputs_read": {
        "code": "return [i * stride + m * dilation for m in range(k)]",
        "hint": "padded",
    },
    "exercise_tf_same": {
        "code": "return n, (k - 1) // 2, k - 1 - (k - 1) // 2",
        "hint": "ceil",
    },
    "exercise_keras_from_post": {
        "code": 'return conv.convolve2d(A, F, mode="valid")',
        "hint": "180",
    },
    "exercise_strided_correlation": {
        "code": 'k = len(kernel)\nspan = dilation * (k - 1) + 1\nn_out = (len(x) - span) // stride + 1\nout = np.zeros(n_out)\nfor i in range(n_out):\n    total = 0.0\n    for m in range(k):\n        total += kernel[m] * x[i * stride + m]\n    out[i] = total\nreturn out',
        "hint": 'ignored the dilation',
    },
}
