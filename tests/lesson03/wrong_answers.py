"""Typical wrong answers to lesson 03's exercises (Index math), graded by tests/test_grading.py.

WRONG_ANSWERS maps each exercise's grade_id (the name of its check, as tools/nbgrader_meta.py
writes it) to ``code``, which replaces the exercise's solution region (written at the region's
indentation), and ``hint``, a piece of what the check must say about it: the autograded cell
scores 0 and the learner's feedback page shows the hint. Every exercise needs an entry.
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
}
