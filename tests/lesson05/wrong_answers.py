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
}
