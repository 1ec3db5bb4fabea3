"""Lesson 00 (Start here): a typical wrong answer per exercise, graded by tests/test_grading.py;
grade_id -> solution-region code + a piece of its hint (docs/grading.md, "Wrong answers").
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
