"""Typical wrong answers to lesson 02's exercises (Peak detection), graded by tests/test_grading.py.

WRONG_ANSWERS maps each exercise's grade_id (the name of its check, as tools/nbgrader_meta.py
writes it) to ``code``, which replaces the exercise's solution region (written at the region's
indentation), and ``hint``, a piece of what the check must say about it: the autograded cell
scores 0 and the learner's feedback page shows the hint. Every exercise needs an entry.
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
