"""Convolution and cross-correlation of signals and images, and output-size arithmetic.

Two operations, three border modes:

* **cross-correlation** slides the kernel as it is:  ``y[i] = sum_m x[i + m] * k[m]``
  (what every deep-learning framework calls "convolution");
* **convolution** flips the kernel first:  ``y[i] = sum_m x[i + m] * k[K - 1 - m]``
  (the textbook operation, and NumPy's ``np.convolve``).

Border modes, with an input of length ``N`` and a kernel of length ``K``:

* ``"valid"``: only positions where the whole kernel lies on the input, ``N - K + 1`` outputs;
* ``"full"``: every position where kernel and input overlap at all, ``N + K - 1`` outputs
  (the input is padded with ``K - 1`` zeros on each side);
* ``"same"``: ``N`` outputs, the central part of ``"full"``.

The results match SciPy exactly: ``correlate1d``/``convolve1d`` match
``scipy.signal.correlate``/``convolve``, ``correlate2d``/``convolve2d`` match
``scipy.signal.correlate2d``/``convolve2d``. For a kernel of even length, "central" is
ambiguous; SciPy's ``correlate`` starts the ``"same"`` window at ``(K - 1) // 2`` of the full
output but ``correlate2d`` at ``K // 2``, and we follow each one.

Every function has a plain-loop twin (``*_loop``) that mirrors the formula line by line
for reading; the fast versions are what the lessons call. ``tests/core/test_conv.py`` proves
the two agree.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._validate import as_float_array, as_int, check_mode

__all__ = [
    "correlate1d", "convolve1d", "correlate2d", "convolve2d",
    "correlate1d_loop", "correlate2d_loop", "output_length",
]


# --------------------------------------------------------------------------- checks
def _check_1d(x, kernel, mode):
    mode = check_mode(mode)
    x = as_float_array(x, "x", ndim=1, shape_hint="(N,)")
    kernel = as_float_array(kernel, "kernel", ndim=1, shape_hint="(K,)")
    if mode == "valid" and kernel.shape[0] > x.shape[0]:
        raise ValueError(
            f"kernel (length {kernel.shape[0]}) is longer than the signal x (length "
            f"{x.shape[0]}); a 'valid' correlation has no output. Use mode='full' or "
            f"mode='same', or pad the signal.")
    return x, kernel, mode


def _check_2d(image, kernel, mode):
    mode = check_mode(mode)
    image = as_float_array(image, "image", ndim=2, shape_hint="(H, W)")
    kernel = as_float_array(kernel, "kernel", ndim=2, shape_hint="(KH, KW)")
    if mode == "valid" and (kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]):
        raise ValueError(
            f"kernel (shape {kernel.shape}) does not fit inside the image (shape "
            f"{image.shape}); a 'valid' correlation has no output. Use mode='full' or "
            f"mode='same', or pad the image.")
    return image, kernel, mode


def _same_slice(n: int, start: int) -> slice:
    """The ``n`` entries from ``start`` of a full output (length ``n + k - 1``): the "same" part."""
    return slice(start, start + n)


# --------------------------------------------------------------------------- 1-D
def correlate1d_loop(x, kernel, mode: str = "valid") -> np.ndarray:
    """Cross-correlation of a 1-D signal, written as the formula: a loop over outputs.

    ``x`` has shape ``(N,)``, ``kernel`` shape ``(K,)``; the output has ``N - K + 1``
    (valid), ``N`` (same) or ``N + K - 1`` (full) entries. Slow; for reading.
    """
    x, kernel, mode = _check_1d(x, kernel, mode)
    n, k = x.shape[0], kernel.shape[0]
    if mode == "valid":
        padded = x
    else:
        padded = np.concatenate([np.zeros(k - 1), x, np.zeros(k - 1)])
    out = np.zeros(padded.shape[0] - k + 1)
    for i in range(out.shape[0]):          # every output position
        total = 0.0
        for m in range(k):                 # every kernel tap
            total += padded[i + m] * kernel[m]
        out[i] = total
    if mode == "same":
        out = out[_same_slice(n, (k - 1) // 2)]
    return out


def _correlate1d_fast(x: np.ndarray, kernel: np.ndarray, mode: str, same_start: int) -> np.ndarray:
    n, k = x.shape[0], kernel.shape[0]
    padded = x if mode == "valid" else np.pad(x, k - 1)
    out = sliding_window_view(padded, k) @ kernel   # (N_out, K) windows times the taps
    if mode == "same":
        out = out[_same_slice(n, same_start)]
    return out


def correlate1d(x, kernel, mode: str = "valid") -> np.ndarray:
    """Cross-correlation ``y[i] = sum_m x[i + m] * kernel[m]`` of a 1-D signal.

    Parameters
    ----------
    x : array of shape ``(N,)``
    kernel : array of shape ``(K,)``
    mode : ``"valid"`` (``N - K + 1`` outputs), ``"same"`` (``N``) or ``"full"`` (``N + K - 1``)

    Returns a float64 array; equal to ``scipy.signal.correlate(x, kernel, mode)``.
    """
    x, kernel, mode = _check_1d(x, kernel, mode)
    return _correlate1d_fast(x, kernel, mode, (kernel.shape[0] - 1) // 2)


def convolve1d(x, kernel, mode: str = "valid") -> np.ndarray:
    """Convolution ``y = x * kernel`` of a 1-D signal: correlation with the flipped kernel.

    Shapes and modes as in :func:`correlate1d`; equal to ``np.convolve(x, kernel, mode)``
    and ``scipy.signal.convolve(x, kernel, mode)``.
    """
    x, kernel, mode = _check_1d(x, kernel, mode)
    return _correlate1d_fast(x, kernel[::-1], mode, (kernel.shape[0] - 1) // 2)


# --------------------------------------------------------------------------- 2-D
def correlate2d_loop(image, kernel, mode: str = "valid") -> np.ndarray:
    """Cross-correlation of an image, written as the formula (four nested loops).

    ``out[i, j] = sum_{m, n} image[i + m, j + n] * kernel[m, n]`` on the (padded) image.
    Shapes as in :func:`correlate2d`. Slow; for reading.
    """
    image, kernel, mode = _check_2d(image, kernel, mode)
    (h, w), (kh, kw) = image.shape, kernel.shape
    if mode == "valid":
        padded = image
    else:
        padded = np.zeros((h + 2 * (kh - 1), w + 2 * (kw - 1)))
        padded[kh - 1:kh - 1 + h, kw - 1:kw - 1 + w] = image
    out = np.zeros((padded.shape[0] - kh + 1, padded.shape[1] - kw + 1))
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            total = 0.0
            for m in range(kh):
                for n in range(kw):
                    total += padded[i + m, j + n] * kernel[m, n]
            out[i, j] = total
    if mode == "same":
        out = out[_same_slice(h, kh // 2), _same_slice(w, kw // 2)]
    return out


def _correlate2d_fast(image: np.ndarray, kernel: np.ndarray, mode: str,
                      starts: tuple[int, int]) -> np.ndarray:
    (h, w), (kh, kw) = image.shape, kernel.shape
    padded = image if mode == "valid" else np.pad(image, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    oh, ow = padded.shape[0] - kh + 1, padded.shape[1] - kw + 1
    if mode == "same":      # compute only the rows/columns that will be kept
        padded = padded[starts[0]:starts[0] + h + kh - 1, starts[1]:starts[1] + w + kw - 1]
        oh, ow = h, w
    # Shift and add: one whole-image multiply-add per kernel tap. For the small kernels
    # of CNNs this beats building every window, and it needs no extra memory.
    out = np.zeros((oh, ow))
    for m in range(kh):
        for n in range(kw):
            if kernel[m, n] != 0.0:
                out += kernel[m, n] * padded[m:m + oh, n:n + ow]
    return out


def correlate2d(image, kernel, mode: str = "valid") -> np.ndarray:
    """Cross-correlation of an image: ``out[i, j] = sum_{m, n} image[i + m, j + n] * kernel[m, n]``.

    Parameters
    ----------
    image : array of shape ``(H, W)``
    kernel : array of shape ``(KH, KW)``
    mode : ``"valid"`` gives ``(H - KH + 1, W - KW + 1)``, ``"same"`` ``(H, W)``,
        ``"full"`` ``(H + KH - 1, W + KW - 1)``.

    Returns a float64 array equal to ``scipy.signal.correlate2d(image, kernel, mode)``.
    """
    image, kernel, mode = _check_2d(image, kernel, mode)
    kh, kw = kernel.shape
    return _correlate2d_fast(image, kernel, mode, (kh // 2, kw // 2))


def convolve2d(image, kernel, mode: str = "valid") -> np.ndarray:
    """Convolution of an image: correlation with the kernel rotated by 180 degrees.

    Shapes as in :func:`correlate2d`; equal to ``scipy.signal.convolve2d(image, kernel, mode)``.
    """
    image, kernel, mode = _check_2d(image, kernel, mode)
    kh, kw = kernel.shape
    return _correlate2d_fast(image, kernel[::-1, ::-1], mode, ((kh - 1) // 2, (kw - 1) // 2))


# --------------------------------------------------------------------------- sizes
def output_length(n, kernel_size, padding=0, stride=1, dilation=1) -> int:
    """Number of outputs of a convolution along one axis (PyTorch's floor rule).

    ``floor((n + 2 * padding - dilation * (kernel_size - 1) - 1) / stride) + 1``

    ``padding`` is per side (PyTorch's convention), ``dilation=1`` means no gaps between
    taps. When the stride does not divide the distance evenly, the last inputs are never
    read; that is the floor. Raises ``ValueError`` when the dilated kernel is longer than
    the padded input (no output at all).
    """
    n = as_int(n, "n", 1)
    kernel_size = as_int(kernel_size, "kernel_size", 1)
    padding = as_int(padding, "padding", 0)
    stride = as_int(stride, "stride", 1)
    dilation = as_int(dilation, "dilation", 1)
    span = dilation * (kernel_size - 1) + 1
    if span > n + 2 * padding:
        raise ValueError(
            f"the kernel spans {span} inputs (kernel_size={kernel_size}, dilation={dilation}) "
            f"but the padded input has only {n + 2 * padding} (n={n}, padding={padding} per "
            f"side); increase padding to at least {math.ceil((span - n) / 2)} or use a "
            f"smaller kernel_size or dilation.")
    return (n + 2 * padding - span) // stride + 1
