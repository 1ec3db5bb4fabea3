"""Checks for lesson 02 (Peak detection with [-1, 1, -1])."""

from __future__ import annotations

import numpy as np

from . import peaks
from ..conv import correlate1d
from ..feedback import Feedback, compare_arrays, run_check

__all__ = ["exercise_output_centre", "exercise_peak_labels", "exercise_detect_peaks",
           "exercise_design_detector"]


def exercise_output_centre(centre_of_output) -> Feedback:
    """Exercise 02.1: ``centre_of_output(i, k)`` is the input index under valid output ``i``."""
    def grade():
        for i, k in [(0, 3), (5, 3), (0, 5), (7, 5), (3, 1), (2, 9)]:
            got = centre_of_output(i, k)
            if got is None:
                return "your function returned None: did you forget `return`?"
            want = i + (k - 1) // 2
            try:
                value = float(got)
            except (TypeError, ValueError):
                return f"centre_of_output({i}, {k}) should be a whole number, got {type(got).__name__}."
            if abs(value - want) < 1e-9:
                continue
            if abs(value - i) < 1e-9:
                return (f"centre_of_output({i}, {k}) gave {i}: that is the *first* input the window "
                        f"touches. The centre is half a kernel further along.")
            if abs(value - (want + 1)) < 1e-9:
                return (f"centre_of_output({i}, {k}) gave {value:g}, one too many: that is the "
                        f"1-based (MATLAB) position. In Python the answer is {want}.")
            if k != 3 and abs(value - (i + 1)) < 1e-9:
                return (f"centre_of_output({i}, {k}) gave {value:g}: the offset 1 is right for 3 taps "
                        f"only. For {k} taps the window reaches {(k - 1) // 2} samples each side.")
            if abs(value - (i + k / 2)) < 1e-9:
                return (f"centre_of_output({i}, {k}) gave {value:g}, not a whole index: use integer "
                        f"division, (k - 1) // 2.")
            return f"centre_of_output({i}, {k}) gave {value:g}, expected {want}."
        return None
    return run_check("Exercise 02.1 (where a valid output sits)", grade)


def exercise_peak_labels(labels_fn) -> Feedback:
    """Exercise 02.2: ``labels_fn(x)`` marks the valid outputs that sit on a strict local peak."""
    def grade():
        cases = [peaks.POST_U,
                 np.array([0.0, 1.0, 1.0, 0.0, 2.0, 0.5, 0.7, 0.7, 0.9, 0.1]),
                 np.random.default_rng(7).random(25)]
        for x in cases:
            want = peaks.peak_labels(x)
            got = labels_fn(x.copy())
            if got is None:
                return "your function returned None: did you forget `return`?"
            arr = np.asarray(got)
            n = x.size
            if arr.shape == (n,):
                return (f"you return {n} labels for {n} samples; a valid 3-tap output has {n - 2}. "
                        f"Label i should describe input i + 1 (the centre of output i), so the "
                        f"first and last samples get no label.")
            if arr.shape != want.shape:
                return f"for a signal of {n} samples the labels have shape {arr.shape}, expected {want.shape}."
            if arr.dtype != bool:
                return f"return booleans (True = peak), got dtype {arr.dtype}; compare with > and combine with &."
            if np.array_equal(arr, want):
                continue
            inner = x[1:-1]
            loose = (inner >= x[:-2]) & (inner >= x[2:])
            if np.array_equal(arr, loose):
                return ("flat tops count as peaks in your labels: a local peak must be strictly "
                        "greater than both neighbours (use >, not >=).")
            either = (inner > x[:-2]) | (inner > x[2:])
            if np.array_equal(arr, either):
                return "a peak must beat *both* neighbours: combine the two comparisons with &, not |."
            if np.array_equal(arr[1:], want[:-1]) or np.array_equal(arr[:-1], want[1:]):
                return ("your labels are shifted by one place: label i is about input i + 1, "
                        "compared with inputs i and i + 2.")
            hint = compare_arrays(arr, want, "labels")
            if hint:
                return hint
        return None
    return run_check("Exercise 02.2 (peak labels)", grade)


def exercise_detect_peaks(detect_fn) -> Feedback:
    """Exercise 02.3: ``detect_fn(x, kernel, threshold)`` returns input indices of detections."""
    def grade():
        rng = np.random.default_rng(11)
        cases = [(peaks.POST_U, peaks.POST_KERNEL, 0.0),
                 (rng.random(30), np.array([-1.0, 2.0, -1.0]), 0.3),
                 (rng.random(30), np.array([-0.5, 2.0, -1.5]), 0.2),      # not symmetric
                 (rng.random(40), np.array([-1.0, -1.0, 3.0, -1.0, 0.0]), 0.5)]
        for x, k, t in cases:
            want = peaks.output_centre(np.flatnonzero(correlate1d(x, k, "valid") > t), k.size)
            got = detect_fn(x.copy(), k.copy(), t)
            if got is None:
                return "your function returned None: did you forget `return`?"
            arr = np.asarray(got)
            if arr.ndim == 1 and arr.size == x.size - k.size + 1 and arr.dtype == bool:
                return ("you return a True/False mask over the outputs; return the input indices "
                        "of the detections instead (np.flatnonzero, then add the offset).")
            if arr.dtype == bool:
                return "return integer indices, not booleans."
            arr = arr.astype(float)
            off = (k.size - 1) // 2
            if arr.shape == want.shape and np.allclose(arr, want):
                continue
            if arr.shape == want.shape and np.allclose(arr, want - off):
                return (f"these are indices into the valid output; each output sits {off} "
                        f"sample(s) to the right of where its window starts. Add the offset.")
            if arr.shape == want.shape and np.allclose(arr, want + 1):
                return "these are 1-based (MATLAB) positions; Python indices start at 0."
            flipped = peaks.output_centre(
                np.flatnonzero(correlate1d(x, k[::-1], "valid") > t), k.size)
            if arr.shape == flipped.shape and np.allclose(arr, flipped) and not np.array_equal(k, k[::-1]):
                return ("your detections match the *flipped* kernel (np.convolve / conv flips it): "
                        f"with kernel {k.tolist()} use correlation, as a CNN does.")
            same = np.flatnonzero(correlate1d(x, k, "same") > t)
            if arr.shape == same.shape and np.allclose(arr, same):
                return ("you used mode='same': it pads with zeros, so the first and last samples "
                        "can fire against the padding. Use mode='valid' and add the offset.")
            ge = peaks.output_centre(np.flatnonzero(correlate1d(x, k, "valid") >= t), k.size)
            if arr.shape == ge.shape and np.allclose(arr, ge):
                return "use a strict comparison, response > threshold."
            return (f"for kernel {np.round(k, 2).tolist()} and threshold {t} you found "
                    f"{arr.astype(int).tolist()[:10]}, expected {want.tolist()[:10]}.")
        return None
    return run_check("Exercise 02.3 (detect peaks)", grade)


def exercise_design_detector(design) -> Feedback:
    """Exercise 02.4: ``design()`` returns ``(kernel, threshold)`` for a baseline-proof 3-tap *trough* detector."""
    def grade():
        out = design()
        if out is None:
            return "your function returned None: return (kernel, threshold)."
        try:
            kernel, threshold = out
            kernel = np.asarray(kernel, dtype=float)
            threshold = float(threshold)
        except (TypeError, ValueError):
            return "return a pair: (kernel as 3 numbers, threshold as a number)."
        if kernel.shape != (3,):
            return f"the kernel must have 3 taps, got shape {kernel.shape}."
        total = float(kernel.sum())
        want = peaks.local_peaks(-peaks.POST_U)            # the troughs: 3, 5, 7
        for shift in (0.0, 10.0, -10.0):
            found = peaks.detect(peaks.POST_U + shift, kernel, threshold)
            if np.array_equal(found, want):
                continue
            if np.array_equal(found, peaks.local_peaks(peaks.POST_U)):
                return (f"on u {shift:+g} you detect the peaks {found.tolist()}, not the troughs "
                        f"{want.tolist()}: a trough is a sample *below* both neighbours. Flip the signs.")
            if shift != 0.0 and abs(total) > 1e-9:
                return (f"on the post's u your detector works, but on u {shift:+g} it finds "
                        f"{found.tolist()}: its taps sum to {total:.3g}, so adding {shift:+g} to the "
                        f"signal moves every response by {shift * total:+.3g}. Make the taps sum to 0.")
            return (f"on the post's u {shift:+g} you detect {found.tolist()}; the troughs are "
                    f"{want.tolist()} (0-based). Adjust the taps or the threshold.")
        test = peaks.random_signals(1000, 40, baseline=5.0, rng=2026)
        troughs = peaks.peak_labels(-test)
        f1 = peaks.f1_score(peaks.scores(test, kernel) > threshold, troughs)
        if f1 < 0.8:
            return (f"on 1000 new random signals with baselines in [-5, 5] your F1 for troughs is "
                    f"{f1:.3f}; reach 0.8. The taps should sum to 0, with the centre balancing "
                    f"both neighbours, and the threshold a little above 0.")
        return None
    return run_check("Exercise 02.4 (design a baseline-proof trough detector)", grade)
