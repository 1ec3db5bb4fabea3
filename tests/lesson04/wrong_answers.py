"""Lesson 04 (Initialization): a typical wrong answer per exercise, graded by tests/test_grading.py;
grade_id -> solution-region code + a piece of its hint (docs/grading.md, "Wrong answers").
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
