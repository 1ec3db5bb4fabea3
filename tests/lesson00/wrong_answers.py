"""Typical wrong answers to lesson 00's exercises (Start here), graded by tests/test_grading.py.

WRONG_ANSWERS maps each exercise's grade_id (the name of its check, as tools/nbgrader_meta.py
writes it) to ``code``, which replaces the exercise's solution region (written at the region's
indentation), and ``hint``, a piece of what the check must say about it: the autograded cell
scores 0 and the learner's feedback page shows the hint. Every exercise needs an entry.
"""

WRONG_ANSWERS = {
    "exercise_valid_length": {
        "code": "return n - k",
        "hint": "one too few",
    },
    "exercise_moving_average": {
        "code": 'return np.convolve(x, np.ones(k), "valid")',
        "hint": "divide by k",
    },
}
