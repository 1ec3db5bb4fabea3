"""Typical wrong answers to lesson 01's exercises (Kernel vs filter), graded by tests/test_grading.py.

WRONG_ANSWERS maps each exercise's grade_id (the name of its check, as tools/nbgrader_meta.py
writes it) to ``code``, which replaces the exercise's solution region (written at the region's
indentation), and ``hint``, a piece of what the check must say about it: the autograded cell
scores 0 and the learner's feedback page shows the hint. Every exercise needs an entry.
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
}
