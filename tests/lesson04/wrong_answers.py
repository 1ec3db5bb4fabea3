"""Typical wrong answers to lesson 04's exercises (Initialization), graded by tests/test_grading.py.

WRONG_ANSWERS maps each exercise's grade_id (the name of its check, as tools/nbgrader_meta.py
writes it) to ``code``, which replaces the exercise's solution region (written at the region's
indentation), and ``hint``, a piece of what the check must say about it: the autograded cell
scores 0 and the learner's feedback page shows the hint. Every exercise needs an entry.
"""

WRONG_ANSWERS = {
    "exercise_glorot_limit": {
        "code": ("fan_in, fan_out = init.fans(shape)\n"
                 "return 6 / (fan_in + fan_out)"),
        "hint": "square root",
    },
    "exercise_he_uniform_limit": {
        "code": "return math.sqrt(2 / fan_in)",
        "hint": "standard deviation",
    },
    "exercise_layer_factor": {
        "code": "return math.sqrt(fan_in) * weight_std",
        "hint": "ReLU",
    },
    "exercise_design_init": {
        "code": "return np.full(shape, 0.1)",
        "hint": "identical",
    },
}
