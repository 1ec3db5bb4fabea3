"""Typical wrong answers to lesson 05's exercises (Backprop through conv + ReLU), graded by tests/test_grading.py.

WRONG_ANSWERS maps each exercise's grade_id (the name of its check, as tools/nbgrader_meta.py
writes it) to ``code``, which replaces the exercise's solution region (written at the region's
indentation), and ``hint``, a piece of what the check must say about it: the autograded cell
scores 0 and the learner's feedback page shows the hint. Every exercise needs an entry.
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
