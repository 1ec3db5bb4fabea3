"""Lesson 01: the kernel is an array, the filter is the operation with that array fixed.

``conv.correlate2d(image, kernel)`` takes two arguments. Fix the kernel and what is left
is a function of the image alone: the *filter*. :func:`make_filter` builds it with
``functools.partial``. Such a filter is

* **linear**: ``f(a x1 + b x2) = a f(x1) + b f(x2)``;
* **shift-equivariant**: shifting the image shifts the output the same way, except where
  the border (zero padding) or a stride gets in the way.

A conv layer is a *bank* of such filters: ``C_out`` filters, each with ``C_in`` kernels
(one per input channel, summed) and one bias. This module also counts its parameters,
converts between the Keras and PyTorch weight layouts, writes a 1x1 convolution as a
matrix product, and recovers a kernel from example input/output pairs (least squares).
"""

from __future__ import annotations

import functools
import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .. import data, filters, plots
from .._validate import as_float_array, as_int, check_mode
from ..conv import correlate2d
from ..widgets import Drawing

__all__ = [
    "make_filter", "linearity_error", "translate", "shift_error_map", "strided",
    "param_count", "feature_map_shape", "keras_to_torch", "torch_to_keras",
    "conv1x1_as_matmul", "fit_kernel",
    "kept_weight", "check_gaussian_window", "gaussian_blur", "gabor_kernel", "half_photo", "gabor_response",
    "draw_gaussian", "draw_gabor",
]


# --------------------------------------------------------------------------- the filter
def make_filter(kernel, mode: str = "same"):
    """The filter defined by ``kernel``: a function ``image (H, W) -> filtered image``.

    Returns ``functools.partial(correlate2d, kernel=<a private copy>, mode=mode)``, so
    changing the caller's array later does not change the filter. ``mode`` is
    ``'valid'``, ``'same'`` or ``'full'`` as in :func:`helpers.conv.correlate2d`.
    """
    k = as_float_array(kernel, "kernel", ndim=2, shape_hint="(KH, KW)").copy()
    k.setflags(write=False)
    return functools.partial(correlate2d, kernel=k, mode=check_mode(mode))


def linearity_error(filt, x1, x2, a: float, b: float) -> float:
    """``max |f(a x1 + b x2) - (a f(x1) + b f(x2))|``: zero (to rounding) for a linear filter."""
    x1 = as_float_array(x1, "x1")
    x2 = as_float_array(x2, "x2")
    if x1.shape != x2.shape:
        raise ValueError(f"x1 and x2 must have the same shape, got {x1.shape} and {x2.shape}.")
    return float(np.max(np.abs(filt(a * x1 + b * x2) - (a * filt(x1) + b * filt(x2)))))


def translate(image, dy: int, dx: int) -> np.ndarray:
    """Shift an image ``dy`` rows down and ``dx`` columns right, filling with zeros.

    Pixels pushed off the edge are lost (unlike ``np.roll``, which wraps them around).
    """
    img = as_float_array(image, "image", ndim=2, shape_hint="(H, W)")
    h, w = img.shape
    out = np.zeros_like(img)
    if abs(dy) >= h or abs(dx) >= w:
        return out
    src_r = slice(max(0, -dy), h - max(0, dy))
    dst_r = slice(max(0, dy), h - max(0, -dy))
    src_c = slice(max(0, -dx), w - max(0, dx))
    dst_c = slice(max(0, dx), w - max(0, -dx))
    out[dst_r, dst_c] = img[src_r, src_c]
    return out


def shift_error_map(filt, image, dy: int, dx: int) -> np.ndarray:
    """``|f(shift(x)) - shift(f(x))|`` per pixel, for a filter whose output has the image's shape.

    Zero (to rounding) wherever shift-equivariance holds; non-zero near the borders, where
    the zero padding and the pixels lost by the shift make the two orders differ.
    """
    img = as_float_array(image, "image", ndim=2, shape_hint="(H, W)")
    a = filt(translate(img, dy, dx))
    b = translate(filt(img), dy, dx)
    if a.shape != img.shape:
        raise ValueError(f"the filter returns shape {a.shape}, not the image's {img.shape}; "
                         f"use a filter with mode='same'.")
    return np.abs(a - b)


def strided(filt, stride: int):
    """The filter followed by keeping every ``stride``-th row and column (a strided conv)."""
    stride = as_int(stride, "stride", 1)
    return lambda image: filt(image)[::stride, ::stride]


# --------------------------------------------------------------------------- the layer
def param_count(c_in: int, c_out: int, kh: int, kw: int | None = None, bias: bool = True) -> int:
    """Trainable numbers in a 2-D conv layer: ``C_out * (C_in * KH * KW) + C_out`` (with bias).

    Each of the ``C_out`` filters has one ``KH x KW`` kernel per input channel and one bias.
    The image size does not appear: the same kernels slide over every position.
    Example: Keras ``Conv2D(32, 3)`` on 28x28x1 -> ``param_count(1, 32, 3) == 320``.
    """
    c_in = as_int(c_in, "c_in", 1)
    c_out = as_int(c_out, "c_out", 1)
    kh = as_int(kh, "kh", 1)
    kw = kh if kw is None else as_int(kw, "kw", 1)
    return c_out * c_in * kh * kw + (c_out if bias else 0)


def feature_map_shape(h: int, w: int, c_out: int, kh: int, kw: int | None = None) -> tuple[int, int, int]:
    """Output ``(C_out, H - KH + 1, W - KW + 1)`` of a valid, stride-1 conv layer."""
    h, w = as_int(h, "h", 1), as_int(w, "w", 1)
    c_out, kh = as_int(c_out, "c_out", 1), as_int(kh, "kh", 1)
    kw = kh if kw is None else as_int(kw, "kw", 1)
    if kh > h or kw > w:
        raise ValueError(f"a {kh}x{kw} kernel does not fit in a {h}x{w} input; a valid "
                         f"convolution has no output. Pad the input or use a smaller kernel.")
    return (c_out, h - kh + 1, w - kw + 1)


def keras_to_torch(kernel) -> np.ndarray:
    """Keras/TensorFlow conv kernel ``(KH, KW, C_in, C_out)`` -> PyTorch weight ``(C_out, C_in, KH, KW)``.

    A transpose (axes 3, 2, 0, 1), never a reshape: a reshape keeps the memory order
    and scrambles which number belongs to which tap.
    """
    k = as_float_array(kernel, "kernel", ndim=4, shape_hint="(KH, KW, C_in, C_out)")
    return np.ascontiguousarray(k.transpose(3, 2, 0, 1))


def torch_to_keras(weight) -> np.ndarray:
    """PyTorch weight ``(C_out, C_in, KH, KW)`` -> Keras kernel ``(KH, KW, C_in, C_out)``."""
    w = as_float_array(weight, "weight", ndim=4, shape_hint="(C_out, C_in, KH, KW)")
    return np.ascontiguousarray(w.transpose(2, 3, 1, 0))


def conv1x1_as_matmul(x, w, b=None) -> np.ndarray:
    """A 1x1 convolution written as a matrix product over channels at every pixel.

    ``x (N, C_in, H, W)``, ``w (C_out, C_in)`` (or ``(C_out, C_in, 1, 1)``), ``b (C_out,)``
    -> ``(N, C_out, H, W)`` with ``out[n, :, i, j] = w @ x[n, :, i, j] + b``.
    """
    x = as_float_array(x, "x", ndim=4, shape_hint="(N, C_in, H, W)")
    w = as_float_array(w, "w", ndim=(2, 4), shape_hint="(C_out, C_in) or (C_out, C_in, 1, 1)")
    if w.ndim == 4:
        if w.shape[2:] != (1, 1):
            raise ValueError(f"w must be a 1x1 kernel bank, got spatial size {w.shape[2:]}.")
        w = w[:, :, 0, 0]
    if w.shape[1] != x.shape[1]:
        raise ValueError(f"w has C_in={w.shape[1]} but x has {x.shape[1]} channels.")
    n, c, h, wd = x.shape
    pixels = x.transpose(1, 0, 2, 3).reshape(c, -1)       # (C_in, N*H*W): one column per pixel
    out = (w @ pixels).reshape(w.shape[0], n, h, wd).transpose(1, 0, 2, 3)
    if b is not None:
        b = as_float_array(b, "b", ndim=1, shape_hint="(C_out,)")
        out = out + b[None, :, None, None]
    return np.ascontiguousarray(out)


def fit_kernel(image, target, kh: int, kw: int | None = None) -> np.ndarray:
    """The ``(KH, KW)`` kernel whose valid correlation of ``image`` best matches ``target``.

    Every output pixel is one linear equation in the ``KH * KW`` unknown taps
    (window . kernel = target); least squares solves them all at once. ``target`` must
    have the valid shape ``(H - KH + 1, W - KW + 1)``.
    """
    img = as_float_array(image, "image", ndim=2, shape_hint="(H, W)")
    tgt = as_float_array(target, "target", ndim=2, shape_hint="(H - KH + 1, W - KW + 1)")
    kh = as_int(kh, "kh", 1)
    kw = kh if kw is None else as_int(kw, "kw", 1)
    want = (img.shape[0] - kh + 1, img.shape[1] - kw + 1)
    if tgt.shape != want:
        raise ValueError(f"target has shape {tgt.shape}; a valid {kh}x{kw} correlation of a "
                         f"{img.shape} image has shape {want}.")
    windows = sliding_window_view(img, (kh, kw)).reshape(-1, kh * kw)
    taps, *_ = np.linalg.lstsq(windows, tgt.reshape(-1), rcond=None)
    return taps.reshape(kh, kw)


# --------------------------------------------------------------------------- slider figures
def kept_weight(sigma: float, size: int) -> float:
    """Share of a *sampled* 2-D Gaussian's weight that a ``size x size`` window keeps.

    The kernel is sampled at whole pixels, ``exp(-x**2 / (2 sigma**2))`` at ``x = -r..r``; the
    share is ``(sum over the window / sum over all integers) ** 2`` (it is separable). This is
    what :func:`filters.gaussian` throws away before renormalising; it differs from the
    continuous value ``erf(r / (sigma sqrt 2)) ** 2`` (for sigma 3 in 7x7: 57.6 % sampled, 46.6 %
    continuous).
    """
    sigma = float(as_float_array(sigma, "sigma", ndim=0))
    size = as_int(size, "size", 1)
    if sigma <= 0:
        raise ValueError(f"sigma must be positive, got {sigma}.")
    r = (size - 1) // 2
    reach = max(r, math.ceil(12 * sigma))                 # beyond 12 sigma nothing is left in float64
    x = np.arange(-reach, reach + 1)
    g = np.exp(-x ** 2 / (2 * sigma ** 2))
    inside = np.abs(x) <= r
    return float((g[inside].sum() / g.sum()) ** 2)


def check_gaussian_window(sigma: float, size: int) -> None:
    """Refuse a window that cuts a Gaussian short: it must reach at least 2 sigma from the centre.

    A ``size x size`` window reaches ``r = (size - 1) / 2`` pixels out. Below ``r = 2 sigma``
    the window loses a sizeable share of the sampled Gaussian's weight (:func:`kept_weight`;
    at ``r = 2 sigma`` it keeps about 91 % in 2-D), ``filters.gaussian`` renormalises the rest
    and the kernel turns into something between a Gaussian and a box. Raises ValueError saying so.
    """
    sigma = float(as_float_array(sigma, "sigma", ndim=0))
    size = as_int(size, "size", 1)
    if sigma <= 0:
        raise ValueError(f"sigma must be positive, got {sigma}.")
    if size % 2 == 0:
        raise ValueError(f"size must be odd so the kernel has a centre pixel, got {size}.")
    r = (size - 1) / 2
    if r < 2 * sigma:
        kept = kept_weight(sigma, size)
        need = 2 * math.ceil(2 * sigma) + 1
        raise ValueError(
            f"a {size}x{size} window reaches only {r / sigma:.1f} sigma from its centre and keeps "
            f"{100 * kept:.1f}% of this sampled Gaussian's weight: the rest would be cut off and the kernel "
            f"would act partly like a box blur. Use size >= {need} or sigma <= {r / 2:.2f}.")


def gaussian_blur(image, sigma: float, size: int) -> np.ndarray:
    """Blur with the ``size x size`` Gaussian of ``filters.gaussian``, in two 1-D passes.

    Same result as ``correlate2d(image, filters.gaussian(sigma, size), 'same')`` (the
    Gaussian is separable: an outer product of two 1-D kernels), but ``2 * size`` instead of
    ``size**2`` multiply-adds per pixel, which keeps the slider fast. ``image (H, W)`` -> ``(H, W)``.
    """
    check_gaussian_window(sigma, size)
    g = filters.gaussian1d(sigma, size)
    rows = correlate2d(image, g[None, :], "same")
    return correlate2d(rows, g[:, None], "same")


def gabor_kernel(theta_deg: float, wavelength: float) -> np.ndarray:
    """The lesson's Gabor kernel: ``filters.gabor`` with a round window, zero mean, unit length.

    ``sigma = 0.4 * wavelength``, ``gamma = 1`` (a round Gaussian window), odd size
    ``2 * ceil(2.5 * sigma) + 1``. **Angle convention**: ``theta_deg`` is the direction in which
    the stripes vary, measured from the column axis (x, to the right) towards the row axis
    (y, *down* the image): 0 deg gives vertical stripes (it answers to vertical edges and lines),
    90 deg horizontal ones; on screen, with rows growing downwards, a larger angle turns the
    stripes clockwise. ``filters.gabor`` with ``phase = 0`` has a positive sum, so it would also
    answer to plain brightness: we subtract the mean of the taps (a pure stripe/edge detector),
    then divide by the square root of the sum of squared taps, so that kernels of every
    wavelength and angle have the same length (sum of squares 1) and their responses compare.
    """
    wavelength = float(as_float_array(wavelength, "wavelength", ndim=0))
    if wavelength < 2:
        raise ValueError(f"wavelength must be at least 2 pixels (one dark and one bright pixel), got {wavelength}.")
    sigma = 0.4 * wavelength
    size = 2 * math.ceil(2.5 * sigma) + 1
    k = np.asarray(filters.gabor(sigma, math.radians(float(theta_deg)), wavelength, gamma=1.0, size=size),
                   dtype=float)
    k = k - k.mean()
    return k / np.sqrt(np.sum(k * k))


@functools.lru_cache(maxsize=1)
def _photo() -> np.ndarray:
    return np.asarray(data.load_photo(), dtype=float)


@functools.lru_cache(maxsize=1)
def _half_photo() -> np.ndarray:
    """The photo at half size (each 2x2 block averaged): 4x fewer pixels keep the Gabor slider fast."""
    p = _photo()
    h, w = p.shape[0] // 2 * 2, p.shape[1] // 2 * 2
    return p[:h, :w].reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))


def half_photo() -> np.ndarray:
    """The photo at half size ``(150, 128)``: each 2x2 block averaged (a read-only copy)."""
    out = _half_photo().copy()
    out.setflags(write=False)
    return out


@functools.lru_cache(maxsize=64)
def gabor_response(theta_deg: float, wavelength: float, mode: str = "valid") -> np.ndarray:
    """The half-size photo filtered by :func:`gabor_kernel`; cached per setting.

    ``mode='valid'`` (the default) keeps only positions where the whole kernel lies on the
    photo; ``'same'`` pads with zeros, and the photo's borders against that padding then read
    as strong edges (which is why the lesson uses 'valid').
    """
    return correlate2d(_half_photo(), gabor_kernel(theta_deg, wavelength), check_mode(mode))


# The slider figures are widgets.Drawing objects: a panel builds the axes and artists once
# and afterwards only updates their data, titles and colour limits (no new ticks, text or
# layout). Everything that may raise ValueError is computed before an artist is touched,
# so a refused setting leaves the last good figure as it was.

def _kernel_ticks(n: int, every_pixel: bool) -> list[int]:
    """Tick positions for an ``n x n`` kernel: every pixel, or first, centre and last."""
    return list(range(n)) if every_pixel else [0, n // 2, n - 1]


def _set_kernel_ticks(ax, n: int, every_pixel: bool) -> None:
    ticks = _kernel_ticks(n, every_pixel)
    ax.set_xticks(ticks)
    ax.set_yticks(ticks)


def _build_gaussian(fig, sigma: float, size: int) -> dict:
    ax_k, ax_in, ax_out = fig.subplots(1, 3, gridspec_kw={"width_ratios": [0.8, 1, 1]})
    kernel = plots.show_kernel(ax_k, np.zeros((size, size)), fmt="{:.2f}").images[0]
    for text in list(ax_k.texts):
        text.remove()
    plots.show_image(ax_in, _photo(), "photo", signed=False)
    blurred = plots.show_image(ax_out, np.zeros_like(_photo()), signed=False)
    return {"ax_k": ax_k, "ax_out": ax_out, "kernel": kernel, "blurred": blurred,
            "numbers": [], "size": None}


def _update_gaussian(state: dict, sigma: float, size: int) -> None:
    blurred = gaussian_blur(_photo(), sigma, size)          # raises for a window cut too short
    kernel = np.asarray(filters.gaussian(sigma, size=size), dtype=float)
    show_numbers = size <= 7                                # more numbers would not fit
    ax_k = state["ax_k"]
    if size == state["size"]:                               # same cells: rewrite their numbers
        plots.update_kernel(state["kernel"], state["numbers"], kernel, "{:.2f}")
    else:                                                   # other cells: new numbers and ticks
        plots.update_kernel(state["kernel"], [], kernel)
        for text in state["numbers"]:
            text.remove()
        state["numbers"] = plots.kernel_numbers(ax_k, kernel, "{:.2f}") if show_numbers else []
        _set_kernel_ticks(ax_k, size, every_pixel=show_numbers)
        state["size"] = size
    ax_k.set_title(f"Gaussian, sigma {sigma:.2f}, {size}x{size}")          # the slider's 1.75, not 1.8
    state["blurred"].set_data(blurred)
    state["blurred"].set_clim(blurred.min(), blurred.max())  # the grey scale a fresh imshow picks
    state["ax_out"].set_title(f"blurred: detail removed, std {np.std(_photo() - blurred):.3f}")


#: Slider figure ``draw_gaussian(fig, sigma, size)``: the Gaussian kernel, the photo, and
#: the photo blurred by it.
draw_gaussian = Drawing(_build_gaussian, _update_gaussian)


def _build_gabor(fig, theta_deg: float, wavelength: float) -> dict:
    ax_k, ax_out = fig.subplots(1, 2, gridspec_kw={"width_ratios": [0.8, 1]})
    kernel = plots.show_kernel(ax_k, np.zeros((3, 3))).images[0]
    for text in list(ax_k.texts):
        text.remove()
    response = plots.show_image(ax_out, np.zeros_like(_half_photo()), signed=True)
    return {"ax_k": ax_k, "ax_out": ax_out, "kernel": kernel, "response": response, "size": None}


def _update_gabor(state: dict, theta_deg: float, wavelength: float) -> None:
    kernel = gabor_kernel(theta_deg, wavelength)            # raises for a too short wavelength
    response = gabor_response(float(theta_deg), float(wavelength))
    n = kernel.shape[0]
    plots.update_kernel(state["kernel"], [], kernel)
    state["ax_k"].set_title(f"Gabor kernel, {theta_deg:.0f} deg (0 = vertical stripes), "
                            f"wavelength {wavelength:.0f} px")
    if n != state["size"]:                                  # new ticks only when the size changes
        _set_kernel_ticks(state["ax_k"], n, every_pixel=False)
        state["size"] = n
    lim = float(np.max(np.abs(response))) or 1.0
    # 'valid': a longer wavelength gives a smaller map
    state["response"].set_extent((-0.5, response.shape[1] - 0.5, response.shape[0] - 0.5, -0.5))
    state["response"].set_data(response)
    state["response"].set_clim(-lim, lim)
    state["ax_out"].set_title(f"response on the half-size photo (valid), mean |response| "
                              f"{np.mean(np.abs(response)):.3f}")


#: Slider figure ``draw_gabor(fig, theta_deg, wavelength)``: a Gabor kernel at ``theta_deg``
#: and the photo's response to it.
draw_gabor = Drawing(_build_gabor, _update_gabor)
