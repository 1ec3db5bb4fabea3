"""Lesson 02 (Peak detection): a typical wrong answer per exercise, graded by tests/test_grading.py;
grade_id -> solution-region code + a piece of its hint (docs/grading.md, "Wrong answers").
"""

WRONG_ANSWERS = {
    "exercise_output_centre": {
        "code": "return i",
        "hint": "the *first* input the window touches",
    },
    "exercise_peak_labels": {
        "code": ("centre = x[1:-1]\n"
                 "return (centre >= x[:-2]) & (centre >= x[2:])"),
        "hint": "strictly greater",
    },
    "exercise_detect_peaks": {
        "code": ('response = conv.correlate1d(x, kernel, mode="valid")\n'
                 "return np.flatnonzero(response > threshold)"),
        "hint": "Add the offset",
    },
    "exercise_design_detector": {
        "code": "return np.array([-1.0, 2.0, -1.0]), 0.3",
        "hint": "not the troughs",
    },
}
