"""The lesson 02 checks accept right answers, reject typical wrong ones with the right hint,
and report "not attempted" for the student stub."""
import numpy as np

from helpers.lesson02 import checks as lesson02


def stub(*args, **kwargs):
    raise NotImplementedError("Exercise: write your code here, then run the check below.")


# ---------------------------------------------------------------- 02.1 output centre
def test_output_centre_accepts_solution():
    assert lesson02.exercise_output_centre(lambda i, k: i + k // 2).passed is True


def test_output_centre_rejects_no_offset():
    fb = lesson02.exercise_output_centre(lambda i, k: i)
    assert fb.passed is False and "first" in fb.message


def test_output_centre_rejects_one_based():
    fb = lesson02.exercise_output_centre(lambda i, k: i + (k - 1) // 2 + 1)
    assert fb.passed is False and "1-based" in fb.message


def test_output_centre_rejects_fixed_offset_of_one():
    fb = lesson02.exercise_output_centre(lambda i, k: i + 1)
    assert fb.passed is False and "3 taps only" in fb.message


def test_output_centre_rejects_float_half():
    fb = lesson02.exercise_output_centre(lambda i, k: i + k / 2)
    assert fb.passed is False and "integer division" in fb.message


def test_output_centre_not_attempted():
    assert lesson02.exercise_output_centre(stub).passed is None


# ---------------------------------------------------------------- 02.2 peak labels
def labels_solution(x):
    out = []
    for i in range(len(x) - 2):
        out.append(bool(x[i + 1] > x[i] and x[i + 1] > x[i + 2]))
    return np.array(out)


def test_peak_labels_accepts_solution():
    assert lesson02.exercise_peak_labels(labels_solution).passed is True


def test_peak_labels_rejects_full_length():
    def full(x):
        lab = np.zeros(len(x), dtype=bool)
        lab[1:-1] = labels_solution(x)
        return lab
    fb = lesson02.exercise_peak_labels(full)
    assert fb.passed is False and "first and last" in fb.message


def test_peak_labels_rejects_greater_or_equal():
    fb = lesson02.exercise_peak_labels(lambda x: (x[1:-1] >= x[:-2]) & (x[1:-1] >= x[2:]))
    assert fb.passed is False and "strictly" in fb.message


def test_peak_labels_rejects_or():
    fb = lesson02.exercise_peak_labels(lambda x: (x[1:-1] > x[:-2]) | (x[1:-1] > x[2:]))
    assert fb.passed is False and "both" in fb.message


def test_peak_labels_rejects_shift():
    # compares x[i] with x[i-1] and x[i+1] for i = 2..N-1 (wraps the last one): shifted by one
    def shifted(x):
        xp = np.append(x, -np.inf)
        return (xp[2:-1] > xp[1:-2]) & (xp[2:-1] > xp[3:])
    fb = lesson02.exercise_peak_labels(shifted)
    assert fb.passed is False and "shifted" in fb.message


def test_peak_labels_not_attempted():
    assert lesson02.exercise_peak_labels(stub).passed is None


# ---------------------------------------------------------------- 02.3 detect peaks
def detect_solution(x, kernel, threshold):
    k = len(kernel)
    y = np.array([np.dot(x[i:i + k], kernel) for i in range(len(x) - k + 1)])
    return np.flatnonzero(y > threshold) + (k - 1) // 2


def test_detect_accepts_solution():
    assert lesson02.exercise_detect_peaks(detect_solution).passed is True


def test_detect_rejects_missing_offset():
    fb = lesson02.exercise_detect_peaks(lambda x, k, t: detect_solution(x, k, t) - (len(k) - 1) // 2)
    assert fb.passed is False and "offset" in fb.message


def test_detect_rejects_flipped_kernel():
    fb = lesson02.exercise_detect_peaks(lambda x, k, t: np.flatnonzero(np.convolve(x, k, "valid") > t) + (len(k) - 1) // 2)
    assert fb.passed is False and "flipped" in fb.message


def test_detect_rejects_one_based():
    fb = lesson02.exercise_detect_peaks(lambda x, k, t: detect_solution(x, k, t) + 1)
    assert fb.passed is False and "1-based" in fb.message


def test_detect_rejects_mask():
    def mask(x, k, t):
        return np.correlate(x, k, "valid") > t
    fb = lesson02.exercise_detect_peaks(mask)
    assert fb.passed is False and "mask" in fb.message


def test_detect_not_attempted():
    assert lesson02.exercise_detect_peaks(stub).passed is None


# ---------------------------------------------------------------- 02.4 design
def test_design_accepts_solution():
    assert lesson02.exercise_design_detector(lambda: ([1.0, -2.0, 1.0], 0.3)).passed is True
    # any positive scale of it, with the threshold scaled alike
    assert lesson02.exercise_design_detector(lambda: (np.array([2.0, -4.0, 2.0]), 0.6)).passed is True


def test_design_rejects_a_peak_detector():
    fb = lesson02.exercise_design_detector(lambda: ([-1.0, 2.0, -1.0], 0.3))
    assert fb.passed is False and "Flip the signs" in fb.message


def test_design_rejects_a_kernel_that_follows_the_baseline():
    fb = lesson02.exercise_design_detector(lambda: ([1.0, -1.0, 1.0], 1.0))   # right on u only
    assert fb.passed is False and "sum to 0" in fb.message


def test_design_rejects_low_f1():
    # right on u (all responses off the troughs are below -0.05) but a poor threshold in general
    fb = lesson02.exercise_design_detector(lambda: ([1.0, -2.0, 1.0], -0.05))
    assert fb.passed is False and "F1" in fb.message


def test_design_rejects_wrong_shape():
    fb = lesson02.exercise_design_detector(lambda: ([1.0, -2.0, -2.0, 1.0], 0.0))
    assert fb.passed is False and "3 taps" in fb.message


def test_design_not_attempted():
    assert lesson02.exercise_design_detector(stub).passed is None
