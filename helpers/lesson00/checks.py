"""Checks for lesson 00 (Start here)."""

from __future__ import annotations

import numpy as np

from ..feedback import Feedback, compare_number, run_check

__all__ = ["exercise_valid_length", "exercise_moving_average"]


def exercise_valid_length(valid_length) -> Feedback:
    """Exercise 00.1: ``valid_length(n, k)`` is the number of outputs of a valid correlation."""
    def grade():
        for n, k in [(10, 3), (5, 5), (7, 1), (28, 5), (100, 11)]:
            got = valid_length(n, k)
            if got is None:
                return "your function returned None: did you forget `return`?"
            want = n - k + 1
            if compare_number(got, want, "") is None:
                continue
            if got == n - k:
                return (f"valid_length({n}, {k}) gave {got}, one too few: the kernel fits at "
                        f"positions 0, 1, ..., {n - k}, which is {want} positions.")
            if got == n + k - 1:
                return (f"valid_length({n}, {k}) gave {got}: that is the 'full' length, where "
                        f"the kernel may hang over the ends. 'valid' keeps it inside.")
            if got == n:
                return f"valid_length({n}, {k}) gave {got}: that is the 'same' length (padded)."
            hint = compare_number(got, want, f"valid_length({n}, {k})")
            if hint:
                return hint
        return None
    return run_check("Exercise 00.1 (valid length)", grade)


def exercise_moving_average(moving_average) -> Feedback:
    """Exercise 00.2: ``moving_average(x, k)`` is the valid mean over windows of ``k`` samples."""
    def grade():
        x = np.array([1.0, 3.0, 2.0, 6.0, 4.0, 0.0, 5.0])
        for k in (1, 2, 3):
            want = np.array([x[i:i + k].mean() for i in range(len(x) - k + 1)])
            got = np.asarray(moving_average(x, k), dtype=float)
            if got.shape == want.shape and np.allclose(got, want):
                continue
            if got.shape == (len(x) - k + 1,) and np.allclose(got, want * k):
                return f"for k={k} you return window sums; divide by k to get the mean."
            if got.shape == (len(x),):
                return (f"for k={k} you return {len(x)} values; a valid moving average of "
                        f"{len(x)} samples has {len(x) - k + 1}. Did you use mode='same'?")
            if got.shape != want.shape:
                return f"for k={k} the output has shape {got.shape}, expected {want.shape}."
            if not np.allclose(got, want):
                i = int(np.argmax(~np.isclose(got, want)))
                return f"for k={k}, output[{i}] is {got[i]:.4g}, expected {want[i]:.4g}."
        return None
    return run_check("Exercise 00.2 (moving average)", grade)
