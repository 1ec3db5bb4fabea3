"""Checks for lesson 01 (Kernel vs filter)."""

from __future__ import annotations

import numpy as np

from ..conv import convolve2d, correlate2d
from ..feedback import Feedback, compare_arrays, run_check

__all__ = ["exercise_param_count", "exercise_make_filter", "exercise_keras_to_torch",
           "exercise_design_edge_kernel"]


def exercise_param_count(param_count) -> Feedback:
    """Exercise 01.2: ``param_count(c_in, c_out, kh, kw)`` of a 2-D conv layer with biases."""
    def grade():
        for c_in, c_out, kh, kw in [(1, 32, 3, 3), (3, 20, 3, 3), (32, 64, 3, 3), (3, 8, 5, 3), (16, 4, 1, 1)]:
            got = param_count(c_in, c_out, kh, kw)
            if got is None:
                return "your function returned None: did you forget `return`?"
            want = c_out * c_in * kh * kw + c_out
            try:
                value = float(got)
            except (TypeError, ValueError):
                return f"param_count should return a number, got {type(got).__name__}."
            if abs(value - want) < 0.5:
                continue
            args = f"param_count({c_in}, {c_out}, {kh}, {kw})"
            if value == want - c_out:
                return f"{args} gave {value:g}: you counted the weights but not the {c_out} biases (one per filter)."
            if value == c_out * kh * kw + c_out and c_in > 1:
                return (f"{args} gave {value:g}: each filter has one {kh}x{kw} kernel *per input "
                        f"channel* ({c_in} of them), so multiply by c_in.")
            if value == c_out * c_in * kh * kw + c_out * c_in:
                return (f"{args} gave {value:g}: a filter has one bias, not one per input channel; "
                        f"its {c_in} kernel responses are summed, then one bias is added.")
            if value == c_out * c_in * (kh + kw) + c_out:
                return f"{args} gave {value:g}: a {kh}x{kw} kernel has {kh}*{kw} taps, not {kh}+{kw}."
            return f"{args} gave {value:g}, expected {want}."
        return None
    return run_check("Exercise 01.2 (count the parameters)", grade)


def exercise_make_filter(make_filter) -> Feedback:
    """Exercise 01.1: ``make_filter(kernel)`` returns a function of the image only (valid correlation)."""
    def grade():
        rng = np.random.default_rng(1)
        image = rng.random((9, 11))
        kernel = np.array([[1.0, 0.0, -2.0], [0.5, 3.0, 0.0]])      # not symmetric, not square
        filt = make_filter(kernel)
        if filt is None:
            return "your function returned None: return the filter (a function), e.g. with functools.partial."
        if isinstance(filt, np.ndarray):
            return ("make_filter returned an array: it should return a *function* of the image, "
                    "without applying it yet. Try functools.partial(conv.correlate2d, kernel=kernel, mode='valid').")
        if not callable(filt):
            return f"make_filter should return a function, got {type(filt).__name__}."
        got = filt(image)
        want = correlate2d(image, kernel, "valid")
        arr = np.asarray(got, dtype=float)
        if arr.shape == image.shape:
            return (f"the filtered image has the input's shape {image.shape}: that is mode='same'. "
                    f"Use mode='valid', shape {want.shape}.")
        if arr.shape == want.shape and np.allclose(arr, convolve2d(image, kernel, "valid")):
            return ("your filter flips the kernel (convolution). CNNs, and this course, slide it "
                    "unflipped: use conv.correlate2d.")
        hint = compare_arrays(arr, want, "filter(image)")
        if hint:
            return hint
        other = rng.random((6, 5))
        hint = compare_arrays(filt(other), correlate2d(other, kernel, "valid"), "filter(another image)")
        if hint:
            return "your filter works on one image but not another: " + hint
        return None
    return run_check("Exercise 01.1 (the filter as a partial function)", grade)


def exercise_keras_to_torch(keras_to_torch) -> Feedback:
    """Exercise 01.3: Keras kernel ``(KH, KW, C_in, C_out)`` -> PyTorch weight ``(C_out, C_in, KH, KW)``."""
    def grade():
        kernel = np.arange(2 * 3 * 4 * 5, dtype=float).reshape(2, 3, 4, 5)    # KH=2, KW=3, C_in=4, C_out=5
        got = keras_to_torch(kernel.copy())
        if got is None:
            return "your function returned None: did you forget `return`?"
        arr = np.asarray(got, dtype=float)
        want = kernel.transpose(3, 2, 0, 1)
        if arr.shape == (5, 4, 3, 2):
            return ("shape (5, 4, 3, 2): you reversed all axes (.T), which also swaps KH and KW, so "
                    "every kernel comes out transposed. Keep the spatial axes in order: (3, 2, 0, 1).")
        if arr.shape != want.shape:
            return f"the result has shape {arr.shape}, expected (C_out, C_in, KH, KW) = {want.shape}."
        if np.array_equal(arr, kernel.reshape(want.shape)):
            return ("the shape is right but the numbers are scrambled: reshape keeps the memory "
                    "order. Move the axes with transpose instead.")
        return compare_arrays(arr, want, "weight")
    return run_check("Exercise 01.3 (Keras to PyTorch weight layout)", grade)


def _step(shape, axis, bright_first=False):
    img = np.zeros(shape)
    if axis == 1:
        img[:, shape[1] // 2:] = 1.0
    else:
        img[shape[0] // 2:, :] = 1.0
    return 1.0 - img if bright_first else img


def exercise_design_edge_kernel(design) -> Feedback:
    """Exercise 01.4: a 3x3 kernel for vertical edges (dark left -> bright right)."""
    def grade():
        k = design()
        if k is None:
            return "your function returned None: return a 3x3 array."
        k = np.asarray(k, dtype=float)
        if k.shape != (3, 3):
            return f"the kernel must be 3x3, got shape {k.shape}."
        if not np.any(k):
            return "an all-zero kernel answers 0 everywhere: it detects nothing."
        flat = correlate2d(np.full((8, 8), 0.7), k, "valid")
        if np.max(np.abs(flat)) > 1e-9:
            return (f"on a flat grey image your filter answers {flat[0, 0]:.3g}, not 0: its taps "
                    f"sum to {k.sum():.3g}. Make them sum to 0.")
        rising = correlate2d(_step((8, 8), axis=1), k, "valid")
        falling = correlate2d(_step((8, 8), axis=1, bright_first=True), k, "valid")
        horizontal = correlate2d(_step((8, 8), axis=0), k, "valid")
        if rising.max() <= 1e-9:
            if falling.max() > 1e-9:
                return ("your kernel fires on bright-left/dark-right edges: the sign is the wrong "
                        "way round. Negative weights on the left column, positive on the right.")
            return ("on a dark-left/bright-right step your filter never answers above 0; put "
                    "negative weights left of the centre and positive ones right of it.")
        if np.max(np.abs(horizontal)) > 1e-9:
            return ("your kernel also answers to a horizontal edge (dark top, bright bottom): make "
                    "every row of the kernel sum to 0, so a change down the rows cancels.")
        if falling.max() > 1e-9:
            return "your kernel answers positively to the opposite edge too; it should be negative there."
        return None
    return run_check("Exercise 01.4 (design a vertical-edge kernel)", grade)
