"""Lesson 06 (Capstone): a typical wrong answer per exercise, graded by tests/test_grading.py;
grade_id -> solution-region code + a piece of its hint (docs/grading.md, "Wrong answers").
"""

WRONG_ANSWERS = {
    "exercise_accuracy": {
        "code": "return float(np.mean(np.argmax(logits, axis=0) == labels))",
        "hint": "axis 1",
    },
    "exercise_parameter_count": {
        "code": "return n_filters * 9 + n_classes * n_filters * 16",
        "hint": "biases",
    },
    "exercise_he_init": {
        "code": ('return {"w1": np.full((n_filters, 1, 3, 3), 0.1), "b1": np.zeros(n_filters),\n'
                 '        "w2": np.full((10, n_filters * 16), 0.1), "b2": np.zeros(10)}'),
        "hint": "identical",
    },
    "exercise_hand_made_bank": {
        "code": ('sx = filters.sobel("x")\n'
                 "return np.stack([sx, sx.T])"),
        "hint": "negative",
    },
    "exercise_momentum_step": {
        "code": 'velocity = momentum * velocity + rate * grad\nreturn param + velocity, velocity',
        "hint": 'climbs the loss',
    },
}
