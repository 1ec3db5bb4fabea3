"""Checks for lesson 03 (Valid convolution index math)."""

from __future__ import annotations

import math

import numpy as np

from ..conv import output_length
from ..feedback import Feedback, compare_arrays, run_check

__all__ = ["exercise_output_size", "exercise_inputs_read", "exercise_tf_same",
           "exercise_keras_from_post"]


def exercise_output_size(output_size) -> Feedback:
    """Exercise 03.1: ``output_size(n, k, padding, stride, dilation)``, the floor rule."""
    cases = [(10, 3, 0, 1, 1), (7, 3, 1, 1, 1), (10, 3, 0, 3, 1), (9, 2, 0, 2, 1),
             (12, 3, 2, 1, 2), (11, 4, 1, 3, 2), (28, 5, 2, 2, 1), (5, 5, 0, 1, 1)]

    def grade():
        for n, k, p, s, d in cases:
            got = output_size(n, k, p, s, d)
            if got is None:
                return "your function returned None: did you forget `return`?"
            call = f"output_size(n={n}, k={k}, padding={p}, stride={s}, dilation={d})"
            try:
                value = float(got)
            except (TypeError, ValueError):
                return f"{call} returned {got!r}; it should return a whole number of outputs."
            want = output_length(n, k, p, s, d)
            if abs(value - want) < 1e-9:
                continue
            span = d * (k - 1) + 1
            if abs(value - ((n + 2 * p - span) / s + 1)) < 1e-9:
                return (f"{call} gave {got}: a fraction of an output. The kernel only fits a whole "
                        f"number of times: take the floor (use //).")
            if value == math.ceil((n + 2 * p - span) / s) + 1:
                return (f"{call} gave {got}, one too many: you rounded up. The last window must "
                        f"fit completely, so round down (floor, //).")
            if value == (n + 2 * p - k) // s + 1:
                return (f"{call} gave {got}: you ignored the dilation. A kernel of {k} taps with "
                        f"dilation {d} spans {span} samples, not {k}.")
            if value == (n + p - span) // s + 1:
                return (f"{call} gave {got}: padding is added on both sides, so the padded input "
                        f"has n + 2*padding = {n + 2 * p} samples.")
            if value == (n + 2 * p - span) // s:
                return (f"{call} gave {got}, one too few: count the first position too (+ 1).")
            return f"{call} gave {got}, expected {want}."
        return None
    return run_check("Exercise 03.1 (output size)", grade)


def exercise_inputs_read(inputs_read) -> Feedback:
    """Exercise 03.2: ``inputs_read(i, k, padding, stride, dilation)``, the window of output ``i``."""
    cases = [(0, 3, 0, 1, 1), (4, 3, 0, 1, 1), (2, 3, 1, 1, 1), (3, 3, 0, 2, 1),
             (1, 3, 0, 1, 2), (2, 4, 2, 3, 2)]

    def grade():
        for i, k, p, s, d in cases:
            call = f"inputs_read(i={i}, k={k}, padding={p}, stride={s}, dilation={d})"
            got = inputs_read(i, k, p, s, d)
            if got is None:
                return "your function returned None: did you forget `return`?"
            arr = np.asarray(got)
            want = i * s - p + d * np.arange(k)
            if arr.shape != want.shape:
                if arr.size == want.size + 1 or arr.size == want.size - 1:
                    return (f"{call} gave {arr.size} indices; the kernel has {k} taps, so each "
                            f"output reads exactly {k} inputs (check the end of your range).")
                return f"{call} gave shape {arr.shape}; expected {k} indices, one per tap."
            if np.allclose(arr, want):
                continue
            if np.allclose(np.sort(arr), want):
                return f"{call}: list the indices in tap order m = 0, 1, ..., k-1 (increasing)."
            if np.allclose(arr, want + p):
                return (f"{call} gave {arr.tolist()}: those are indices into the *padded* input. "
                        f"Subtract the padding to get indices of the original input "
                        f"(a negative index is a padded zero).")
            if np.allclose(arr, i - p + d * np.arange(k)):
                return f"{call} gave {arr.tolist()}: output i starts at i * stride, not at i."
            if np.allclose(arr, i * s - p + np.arange(k)):
                return (f"{call} gave {arr.tolist()}: with dilation {d} the taps are {d} samples "
                        f"apart: i*stride - padding + m*dilation.")
            if np.allclose(arr, i * s - p - d * np.arange(k)):
                return (f"{call} gave {arr.tolist()}: that runs backwards (A(i - m), convolution). "
                        f"A conv layer correlates: tap m reads input i*stride - padding + m*dilation.")
            hint = compare_arrays(arr, want, call)
            return hint
        return None
    return run_check("Exercise 03.2 (which inputs feed output i)", grade)


def _tf_same(n, k, s):
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return out, total // 2, total - total // 2


def exercise_tf_same(tf_same_padding) -> Feedback:
    """Exercise 03.3: ``tf_same_padding(n, k, stride) -> (n_out, pad_before, pad_after)``."""
    cases = [(10, 3, 1), (7, 4, 1), (10, 3, 2), (13, 6, 5), (8, 1, 3), (6, 2, 2), (5, 5, 1)]

    def grade():
        for n, k, s in cases:
            call = f"tf_same_padding(n={n}, k={k}, stride={s})"
            got = tf_same_padding(n, k, s)
            if got is None:
                return "your function returned None: did you forget `return`?"
            try:
                out, before, after = (int(round(float(v))) for v in got)
            except (TypeError, ValueError):
                return f"{call} returned {got!r}; return three numbers (n_out, pad_before, pad_after)."
            w_out, w_before, w_after = _tf_same(n, k, s)
            if (out, before, after) == (w_out, w_before, w_after):
                continue
            if out != w_out:
                if out == n and s > 1:
                    return (f"{call} gave n_out={out}: 'SAME' keeps the length only for stride 1; "
                            f"in general n_out = ceil(n / stride) = {w_out}.")
                if out == n // s:
                    return f"{call} gave n_out={out}: round up, n_out = ceil(n / stride) = {w_out}."
                return f"{call} gave n_out={out}, expected ceil(n / stride) = {w_out}."
            if (before, after) == (w_after, w_before):
                return (f"{call} gave padding ({before}, {after}): TensorFlow puts the extra zero "
                        f"*after* the input (right/bottom): pad_before = total // 2.")
            if before + after != w_before + w_after:
                total = before + after
                if total == k - 1 and s > 1:
                    return (f"{call} pads {total} in total: with stride {s} fewer zeros are needed. "
                            f"Total = max((n_out - 1)*stride + k - n, 0) = {w_before + w_after}.")
                return (f"{call} pads {total} in total, expected max((n_out - 1)*stride + k - n, 0) "
                        f"= {w_before + w_after}.")
            return f"{call} gave ({out}, {before}, {after}), expected ({w_out}, {w_before}, {w_after})."
        return None
    return run_check("Exercise 03.3 (TensorFlow 'SAME' padding)", grade)


def _correlate_valid(a, f):
    kh, kw = f.shape
    oh, ow = a.shape[0] - kh + 1, a.shape[1] - kw + 1
    return np.array([[np.sum(a[i:i + kh, j:j + kw] * f) for j in range(ow)] for i in range(oh)])


def _post_formula(a, f, i, j):
    """B(i, j) = sum F(l, m) A(i - l, j - m), with pixels outside the image taken as 0."""
    total = 0.0
    for l in range(f.shape[0]):
        for m in range(f.shape[1]):
            if 0 <= i - l < a.shape[0] and 0 <= j - m < a.shape[1]:
                total += f[l, m] * a[i - l, j - m]
    return total


def exercise_keras_from_post(keras_output) -> Feedback:
    """Exercise 03.4: ``keras_output(A, F)`` is Keras' valid output, built with the post's formula."""
    rng = np.random.default_rng(3)
    cases = [(rng.integers(-3, 4, size=(5, 5)).astype(float), rng.integers(-2, 3, size=(3, 3)).astype(float)),
             (rng.normal(size=(6, 7)), rng.normal(size=(3, 3))),
             (rng.normal(size=(5, 6)), rng.normal(size=(2, 3)))]

    def grade():
        for a, f in cases:
            got = keras_output(a.copy(), f.copy())
            if got is None:
                return "your function returned None: did you forget `return`?"
            arr = np.asarray(got, dtype=float)
            want = _correlate_valid(a, f)
            name = f"keras_output(A of shape {a.shape}, F of shape {f.shape})"
            if arr.shape == want.shape and np.allclose(arr, want):
                continue
            if arr.shape == a.shape:
                return (f"{name} has shape {arr.shape}, the input's: that is 'same'. A 'valid' "
                        f"output has shape {want.shape}.")
            if arr.shape != want.shape:
                return f"{name} has shape {arr.shape}, expected {want.shape} (valid: H - KH + 1, W - KW + 1)."
            kh, kw = f.shape
            for kern, words in ((f, "the kernel as given"), (f[::-1, ::-1], "the rotated kernel")):
                unshifted = np.array([[_post_formula(a, kern, i, j) for j in range(want.shape[1])]
                                      for i in range(want.shape[0])])
                if np.allclose(arr, unshifted):
                    return (f"you evaluated the post's formula at i, j = 0, 1, ... with {words}: there most "
                            f"of its terms need pixels outside the image (counted as 0). Shift the "
                            f"indices by KH - 1 = {kh - 1} and KW - 1 = {kw - 1}.")
            if np.allclose(arr, _correlate_valid(a, f[::-1, ::-1])):
                return ("you computed the post's convolution (kernel effectively flipped). Keras "
                        "correlates: feed the post's formula the kernel rotated by 180 degrees, F[::-1, ::-1].")
            return compare_arrays(arr, want, name)
        return None
    return run_check("Exercise 03.4 (Keras' output from the post's formula)", grade)
