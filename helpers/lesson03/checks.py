"""Checks for lesson 03 (Valid convolution index math)."""

from __future__ import annotations

import math

import numpy as np

from ..conv import output_length
from ..feedback import Feedback, compare_arrays, run_check

__all__ = ["exercise_keras_from_post", "exercise_inputs_read", "exercise_output_size",
           "exercise_strided_correlation", "exercise_tf_same"]


def exercise_output_size(output_size) -> Feedback:
    """Exercise 03.3: ``output_size(n, k, padding, stride, dilation)``, the floor rule.

    The answers to all cases are compared with the right rule and with each typical wrong
    rule as a whole, so a hint names the mistake the learner made (``d*k`` as the span is not
    "one too few" even where the two give the same number).
    """
    cases = [(10, 3, 0, 1, 1), (7, 3, 1, 1, 1), (10, 3, 0, 3, 1), (9, 2, 0, 2, 1),
             (12, 3, 2, 1, 2), (11, 4, 1, 3, 2), (28, 5, 2, 2, 1), (5, 5, 0, 1, 1),
             (9, 1, 0, 2, 1), (13, 3, 0, 2, 3)]

    def grade():
        got = []
        for n, k, p, s, d in cases:
            value = output_size(n, k, p, s, d)
            call = f"output_size(n={n}, k={k}, padding={p}, stride={s}, dilation={d})"
            if value is None:
                return "your function returned None: did you forget `return`?"
            try:
                got.append(float(value))
            except (TypeError, ValueError):
                return f"{call} returned {value!r}; it should return a whole number of outputs."
        got = np.array(got)
        want = np.array([output_length(*c) for c in cases])
        if np.allclose(got, want):
            return None
        bad = int(np.flatnonzero(~np.isclose(got, want))[0])
        n, k, p, s, d = cases[bad]
        call = (f"output_size(n={n}, k={k}, padding={p}, stride={s}, dilation={d}) gave "
                f"{got[bad]:g}, expected {want[bad]}")
        span = d * (k - 1) + 1
        for rule, hint in _WRONG_SIZE_RULES:
            if np.allclose(got, [rule(*c) for c in cases]):
                return f"{call}: " + hint.format(n=n, k=k, p=p, s=s, d=d, span=span, dk=d * k,
                                                 gaps=k - 1, padded=n + 2 * p)
        return f"{call}."
    return run_check("Exercise 03.3 (output size)", grade)


#: (wrong rule, the hint naming it); the hint is formatted with the first failing case.
_WRONG_SIZE_RULES = [
    (lambda n, k, p, s, d: (n + 2 * p - d * (k - 1) - 1) / s + 1,
     "a fraction of an output. The kernel only fits a whole number of times: take the floor (use //)."),
    (lambda n, k, p, s, d: math.ceil((n + 2 * p - d * (k - 1) - 1) / s) + 1,
     "you rounded up. The last window must fit completely, so round down (floor, //)."),
    (lambda n, k, p, s, d: (n + 2 * p - d * k) // s + 1,
     "you took the kernel's span as dilation * k = {dk}. {k} taps have {gaps} gaps between them, "
     "each {d} wide: the span is dilation * (k - 1) + 1 = {span}."),
    (lambda n, k, p, s, d: (n + 2 * p - d * (k - 1)) // s + 1,
     "{k} taps {d} apart cover dilation * (k - 1) + 1 = {span} samples: count the sample under "
     "the first tap too."),
    (lambda n, k, p, s, d: (n + 2 * p - k) // s + 1,
     "you ignored the dilation. A kernel of {k} taps with dilation {d} spans {span} samples, not {k}."),
    (lambda n, k, p, s, d: (n + p - d * (k - 1) - 1) // s + 1,
     "padding is added on both sides, so the padded input has n + 2*padding = {padded} samples."),
    (lambda n, k, p, s, d: (n + 2 * p - d * (k - 1) - 1) // s,
     "one too few for every setting: you counted the steps between windows, not the windows. "
     "The first window (before any step) is an output too: + 1."),
    (lambda n, k, p, s, d: n - k + 1,
     "that is the rule without padding, stride or dilation (N - K + 1). Each of the three changes the count."),
    (lambda n, k, p, s, d: n + 2 * p - d * (k - 1),
     "you ignored the stride: with stride {s} only every {s}-th window position is an output."),
]


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


def _windows(x, kernel, n_out, first, step, reversed_kernel=False):
    """Outputs ``sum_m kernel[m] * x[first(i) + step * m]``; None if an index leaves ``x``."""
    taps = kernel[::-1] if reversed_kernel else kernel
    out = []
    for i in range(n_out):
        idx = first(i) + step * np.arange(len(kernel))
        if idx.min() < 0 or idx.max() >= len(x):
            return None
        out.append(float(taps @ x[idx]))
    return np.array(out)


def exercise_strided_correlation(correlate_strided) -> Feedback:
    """Exercise 03.4: ``correlate_strided(x, kernel, stride, dilation)``, a valid 1-D layer with loops.

    Compared with :func:`helpers.layers.conv1d_forward` on several shapes; a wrong answer is
    matched against the classic mistakes: the flip, the output size (valid rule without stride
    or dilation, one too many or too few), stride and dilation swapped, dilation ignored or
    read as a gap count.
    """
    from ..layers import conv1d_forward

    settings = [(10, 3, 1, 1), (10, 3, 2, 1), (11, 3, 1, 2), (13, 3, 3, 2), (9, 1, 2, 1),
                (12, 4, 2, 3), (7, 2, 3, 1), (6, 6, 1, 1)]

    def grade():
        rng = np.random.default_rng(34)
        for n, k, s, d in settings:
            x, kernel = rng.normal(size=n), rng.normal(size=k)
            call = f"correlate_strided(x of {n}, kernel of {k}, stride={s}, dilation={d})"
            want = conv1d_forward(x[None, None], kernel[None, None], stride=s, dilation=d)[0][0, 0]
            n_out, span = want.size, d * (k - 1) + 1
            try:
                got = correlate_strided(x.copy(), kernel.copy(), s, d)
            except IndexError as exc:
                return (f"{call} raised IndexError ({exc}): your loop reads past the end of x. The "
                        f"last output's last tap must land on x[{n - 1}] or earlier: {n_out} outputs, "
                        f"the last one reading x[{(n_out - 1) * s}] .. x[{(n_out - 1) * s + span - 1}].")
            if got is None:
                return "your function returned None: did you forget `return`?"
            try:
                arr = np.asarray(got, dtype=float).ravel()
            except (TypeError, ValueError):
                return f"{call} returned {type(got).__name__}; return a 1-D array of numbers."
            if arr.shape == want.shape and np.allclose(arr, want):
                continue
            def natural(step, start):        # the count a learner with this reading would use
                return max((n - step * (k - 1) - 1) // start + 1, 0)
            candidates = [
                (lambda m: _windows(x, kernel, m, lambda i: i * s, d, reversed_kernel=True), [n_out],
                 "these are the outputs of a *convolution* (kernel flipped). A conv layer "
                 "correlates: tap m multiplies x[i*stride + m*dilation], in the kernel's own order."),
                (lambda m: _windows(x, kernel, m, lambda i: i * d, s), [n_out, natural(s, d)],
                 "you swapped stride and dilation: window i starts at i*stride, and tap m sits "
                 "m*dilation further along."),
                (lambda m: _windows(x, kernel, m, lambda i: i * s, 1), [n_out, natural(1, s)],
                 f"you ignored the dilation: with dilation {d} the taps are {d} samples apart "
                 f"(x[i*stride + m*dilation])."),
                (lambda m: _windows(x, kernel, m, lambda i: i * s, d + 1), [n_out, natural(d + 1, s)],
                 f"your taps are {d + 1} apart: dilation {d} means taps {d} apart (dilation 1 is an "
                 f"ordinary kernel), not {d} empty samples between them."),
            ]
            for make, lengths, hint in candidates:
                for m in lengths:
                    values = make(m)
                    if values is not None and arr.shape == values.shape and np.allclose(arr, values):
                        return f"{call}: {hint}"
            if arr.size != n_out:
                every = n - span + 1
                if arr.size == n - k + 1 and (s > 1 or d > 1):
                    why = (f"that is N - K + 1, the count without stride and dilation. The kernel "
                           f"spans {span} samples and the windows start {s} apart: {n_out} fit.")
                elif arr.size == every and s > 1:
                    why = (f"that is one output per position; with stride {s} the windows start "
                           f"{s} apart, so only {n_out} fit.")
                elif arr.size == n_out + 1:
                    why = (f"one too many: the last window would run past x[{n - 1}] (a padded "
                           f"zero or a wrapped index). Only windows that fit completely count.")
                elif arr.size == n_out - 1:
                    why = (f"one too few: the window starting at x[{(n_out - 1) * s}] still fits "
                           f"(its last tap is x[{(n_out - 1) * s + span - 1}]). Check the end of your range.")
                else:
                    why = f"expected {n_out} (windows of span {span} starting {s} apart that fit in {n} samples)."
                return f"{call} gave {arr.size} outputs: {why}"
            return f"{call}: " + compare_arrays(arr, want, "output")
        return None
    return run_check("Exercise 03.4 (a strided, dilated correlation with loops)", grade)


def _tf_same(n, k, s):
    out = -(-n // s)
    total = max((out - 1) * s + k - n, 0)
    return out, total // 2, total - total // 2


def exercise_tf_same(tf_same_padding) -> Feedback:
    """Exercise 03.5: ``tf_same_padding(n, k, stride) -> (n_out, pad_before, pad_after)``."""
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
    return run_check("Exercise 03.5 (TensorFlow 'SAME' padding)", grade)


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
    """Exercise 03.1: ``keras_output(A, F)`` is Keras' valid output, built with the post's formula."""
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
                            f"of its terms need pixels outside the image (counted as 0). The coverage "
                            f"map above shows where the formula uses only real pixels: evaluate it there.")
            if np.allclose(arr, _correlate_valid(a, f[::-1, ::-1])):
                return ("you computed the post's convolution (kernel effectively flipped). Keras "
                        "correlates: feed the post's formula the kernel rotated by 180 degrees, F[::-1, ::-1].")
            return compare_arrays(arr, want, name)
        return None
    return run_check("Exercise 03.1 (Keras' output from the post's formula)", grade)
