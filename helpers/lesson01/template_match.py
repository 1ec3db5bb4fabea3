"""Lesson 01: template matching, the question "is the kernel a patch from the image?".

Correlating an image with a patch cut from it scores every position by
``sum(window * patch)``. Where does the best score land? Not necessarily on the patch's
own position: a brighter window scores higher whatever its pattern, because every term is
a product of two positive grey levels. Normalised cross-correlation (NCC) removes both
effects: it subtracts each window's mean and divides by the window's and the patch's
spread, so the score is the correlation coefficient of window and patch, in ``[-1, 1]``,
exactly 1 where the window is the patch.

All maps are *valid* correlations: ``image (H, W)``, ``patch (KH, KW)`` ->
``(H - KH + 1, W - KW + 1)``; entry ``[i, j]`` scores the window whose top-left corner is
``image[i, j]``.
"""

from __future__ import annotations

import numpy as np

from .._validate import as_float_array, as_int
from ..conv import correlate2d

__all__ = ["cut_patch", "raw_scores", "zero_mean_scores", "ncc_scores", "window_means", "peak"]


def _check(image, patch):
    img = as_float_array(image, "image", ndim=2, shape_hint="(H, W)")
    pat = as_float_array(patch, "patch", ndim=2, shape_hint="(KH, KW)")
    if pat.shape[0] > img.shape[0] or pat.shape[1] > img.shape[1]:
        raise ValueError(f"patch (shape {pat.shape}) does not fit inside the image (shape {img.shape}); "
                         f"cut a smaller patch.")
    return img, pat


def cut_patch(image, top: int, left: int, size: int) -> np.ndarray:
    """A copy of the ``size x size`` patch of ``image`` whose top-left pixel is ``(top, left)``."""
    img = as_float_array(image, "image", ndim=2, shape_hint="(H, W)")
    top, left, size = as_int(top, "top", 0), as_int(left, "left", 0), as_int(size, "size", 1)
    if top + size > img.shape[0] or left + size > img.shape[1]:
        raise ValueError(f"a {size}x{size} patch at (top={top}, left={left}) reaches outside the "
                         f"{img.shape} image; choose top <= {img.shape[0] - size} and left <= {img.shape[1] - size}.")
    return img[top:top + size, left:left + size].copy()


def raw_scores(image, patch) -> np.ndarray:
    """``sum(window * patch)`` at every valid position: a conv layer's output with the patch as kernel."""
    img, pat = _check(image, patch)
    return correlate2d(img, pat, "valid")


def zero_mean_scores(image, patch) -> np.ndarray:
    """Correlation with the patch minus its mean: flat regions score 0, whatever their brightness."""
    img, pat = _check(image, patch)
    return correlate2d(img, pat - pat.mean(), "valid")


def _box_sums(image: np.ndarray, kh: int, kw: int) -> np.ndarray:
    """Sum of every ``kh x kw`` window (valid positions), from a summed-area table."""
    table = np.zeros((image.shape[0] + 1, image.shape[1] + 1))
    table[1:, 1:] = image.cumsum(axis=0).cumsum(axis=1)
    return table[kh:, kw:] - table[:-kh, kw:] - table[kh:, :-kw] + table[:-kh, :-kw]


def window_means(image, shape) -> np.ndarray:
    """Mean grey level of every valid window of ``shape = (KH, KW)``."""
    img = as_float_array(image, "image", ndim=2, shape_hint="(H, W)")
    kh, kw = (as_int(s, "shape", 1) for s in shape)
    return _box_sums(img, kh, kw) / (kh * kw)


def ncc_scores(image, patch, eps: float = 1e-12) -> np.ndarray:
    """Normalised cross-correlation: the correlation coefficient of each window with the patch.

    ``sum((w - mean w)(p - mean p)) / sqrt(sum((w - mean w)**2) * sum((p - mean p)**2))``, in
    ``[-1, 1]``; 1 exactly where a window equals the patch up to brightness and contrast
    (``a * patch + b`` with ``a > 0``). A perfectly flat window (no spread) scores 0.
    Raises ValueError for a flat patch, which matches nothing.
    """
    img, pat = _check(image, patch)
    kh, kw = pat.shape
    centred = pat - pat.mean()
    pat_norm = float(np.sqrt(np.sum(centred ** 2)))
    if pat_norm < eps:
        raise ValueError("the patch is flat (all its pixels are equal): its normalised correlation "
                         "is undefined. Cut a patch with some structure in it.")
    numerator = correlate2d(img, centred, "valid")           # window means cancel: sum(centred) = 0
    n = kh * kw
    sums = _box_sums(img, kh, kw)
    spread = np.maximum(_box_sums(img * img, kh, kw) - sums * sums / n, 0.0)
    win_norm = np.sqrt(spread)
    out = np.zeros_like(numerator)
    ok = win_norm > eps * max(1.0, float(np.sqrt(n)))
    out[ok] = numerator[ok] / (win_norm[ok] * pat_norm)
    return np.clip(out, -1.0, 1.0)


def peak(scores) -> tuple[int, int]:
    """``(row, column)`` of the largest score (the first one, if several tie)."""
    s = as_float_array(scores, "scores", ndim=2, shape_hint="(H', W')")
    i, j = np.unravel_index(int(np.argmax(s)), s.shape)
    return int(i), int(j)
