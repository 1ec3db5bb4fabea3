"""Lesson 05: the backward pass of a convolution, written as matrices and as convolutions.

A valid 1-D cross-correlation ``z[i] = sum_m x[i + m] * k[m] + b`` (``x (N,)``, ``k (K,)``,
``z (N - K + 1,)``) is linear in the kernel and linear in the input, so it can be written
two ways as a matrix product:

* ``z = window_matrix(x, K) @ k + b``: row ``i`` holds the window ``x[i : i + K]``;
* ``z = conv_matrix(k, N) @ x + b``: row ``i`` holds ``k`` shifted to start at column ``i``.

The chain rule then gives the gradients as transposes, ``dL/dk = window_matrix(x, K).T @ dz``
and ``dL/dx = conv_matrix(k, N).T @ dz``, which the lesson reads back as a valid correlation
and a full convolution. With a stride ``s`` the output skips positions; :func:`dilate` puts
the skipped positions back as zeros, after which the stride-1 formulas apply unchanged.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .. import plots
from .._validate import as_float_array, as_int, as_pair
from ..widgets import Drawing

__all__ = ["window_matrix", "conv_matrix", "dilate", "relu_conv_loss_1d", "draw_tap_slope"]


def window_matrix(x, kernel_size) -> np.ndarray:
    """The windows of ``x`` as rows: shape ``(N - K + 1, K)``, row ``i`` is ``x[i : i + K]``.

    ``window_matrix(x, K) @ k`` is the valid cross-correlation of ``x (N,)`` with ``k (K,)``.
    """
    x = as_float_array(x, "x", ndim=1, shape_hint="(N,)")
    k = as_int(kernel_size, "kernel_size", 1)
    if k > x.shape[0]:
        raise ValueError(f"kernel_size {k} is longer than x (length {x.shape[0]}); a valid "
                         f"correlation has no output. Use a kernel_size of at most {x.shape[0]}.")
    return sliding_window_view(x, k).copy()


def conv_matrix(kernel, n) -> np.ndarray:
    """The valid cross-correlation with ``kernel (K,)`` as a matrix: shape ``(n - K + 1, n)``.

    Row ``i`` is zero except ``kernel`` in columns ``i .. i + K - 1``, so that
    ``conv_matrix(k, n) @ x`` equals the valid correlation of ``x (n,)`` with ``k``.
    """
    kernel = as_float_array(kernel, "kernel", ndim=1, shape_hint="(K,)")
    n = as_int(n, "n", 1)
    k = kernel.shape[0]
    if k > n:
        raise ValueError(f"kernel (length {k}) is longer than the input length n={n}; a valid "
                         f"correlation has no output. Use n >= {k}.")
    m = np.zeros((n - k + 1, n))
    for i in range(n - k + 1):
        m[i, i:i + k] = kernel
    return m


def dilate(dy, stride) -> np.ndarray:
    """Insert ``stride - 1`` zeros between neighbouring entries of ``dy``.

    An int ``stride`` acts on the last axis: ``(..., L) -> (..., (L - 1) * stride + 1)``.
    A pair ``(s_rows, s_cols)`` acts on the last two axes:
    ``(..., H, W) -> (..., (H - 1) * s_rows + 1, (W - 1) * s_cols + 1)``.

    The upstream gradient of a strided convolution, dilated like this, is the upstream
    gradient of the same convolution at stride 1 in which the skipped outputs got gradient 0.
    """
    if isinstance(stride, (tuple, list)):
        strides = as_pair(stride, "stride", 1)
        dy = as_float_array(dy, "dy", ndim=tuple(range(2, 33)), shape_hint="(..., H, W)")
    else:
        strides = (as_int(stride, "stride", 1),)
        dy = as_float_array(dy, "dy", ndim=tuple(range(1, 33)), shape_hint="(..., L)")
    lead = dy.shape[:dy.ndim - len(strides)]
    sizes = dy.shape[dy.ndim - len(strides):]
    out = np.zeros(lead + tuple((n - 1) * s + 1 for n, s in zip(sizes, strides)))
    index = (Ellipsis,) + tuple(slice(None, None, s) for s in strides)
    out[index] = dy
    return out


# --------------------------------------------------------------------------- the lesson's 1-D example
def relu_conv_loss_1d(x, kernel, bias, target):
    """Loss and gradients of the lesson's tiny network, through :mod:`helpers.layers`.

    ``z = correlate1d(x, kernel, 'valid') + bias``, ``h = ReLU(z)``,
    ``L = 0.5 * sum((h - target) ** 2)``. ``x (N,)``, ``kernel (K,)``, ``target (N - K + 1,)``.
    Returns ``(L, {"x": dL/dx, "kernel": dL/dk, "bias": dL/db})``.
    """
    from .. import layers
    x = as_float_array(x, "x", ndim=1, shape_hint="(N,)")
    kernel = as_float_array(kernel, "kernel", ndim=1, shape_hint="(K,)")
    target = as_float_array(target, "target", ndim=1, shape_hint="(N - K + 1,)")
    z, conv_cache = layers.conv1d_forward(x[None, None], kernel[None, None], np.array([float(bias)]))
    h, relu_cache = layers.relu_forward(z)
    if h.shape[2] != target.shape[0]:
        raise ValueError(f"target has {target.shape[0]} entries but the valid output has "
                         f"{h.shape[2]} (N - K + 1 = {x.shape[0]} - {kernel.shape[0]} + 1).")
    diff = h[0, 0] - target
    dz = layers.relu_backward((diff)[None, None], relu_cache)
    dx, dk, db = layers.conv1d_backward(dz, conv_cache)
    return 0.5 * float(diff @ diff), {"x": dx[0, 0], "kernel": dk[0, 0], "bias": float(db[0])}


def _build_tap_slope(fig, tap: int, value: float, *, x, kernel, bias, target) -> dict:
    ax = fig.add_subplot(1, 1, 1)
    curve, = ax.plot([], [], color=plots.PALETTE["blue"], label="L")
    tangent, = ax.plot([], [], color=plots.PALETTE["red"], linewidth=2.5, label="tangent")
    point, = ax.plot([], [], "o", color=plots.PALETTE["red"])
    ax.set_ylabel("loss L")
    legend = ax.legend(loc="upper center")
    return {"ax": ax, "curve": curve, "tangent": tangent, "point": point, "labels": legend.get_texts()}


def _update_tap_slope(state: dict, tap: int, value: float, *, x, kernel, bias, target) -> None:
    kernel = as_float_array(kernel, "kernel", ndim=1, shape_hint="(K,)")
    if not 0 <= tap < kernel.shape[0]:
        raise ValueError(f"tap must be between 0 and {kernel.shape[0] - 1}, got {tap}.")
    x = as_float_array(x, "x", ndim=1, shape_hint="(N,)")
    target = as_float_array(target, "target", ndim=1, shape_hint="(N - K + 1,)")
    grid = np.linspace(-4.0, 4.0, 161)
    # z is linear in one tap: z(v) = z(0) + v * x[i + tap], so the whole curve is one array op.
    k0 = kernel.copy()
    k0[tap] = 0.0
    z0 = window_matrix(x, kernel.shape[0]) @ k0 + float(bias)
    z = z0[None, :] + grid[:, None] * x[tap:tap + z0.shape[0]][None, :]
    losses = 0.5 * np.sum((np.maximum(z, 0.0) - target) ** 2, axis=1)
    k = kernel.copy()
    k[tap] = value
    loss, grads = relu_conv_loss_1d(x, k, bias, target)
    slope = grads["kernel"][tap]
    span = np.array([value - 0.8, value + 0.8])
    ax = state["ax"]
    state["curve"].set_data(grid, losses)
    state["tangent"].set_data(span, loss + slope * (span - value))
    state["point"].set_data([value], [loss])
    for text, label in zip(state["labels"], (f"L as k[{tap}] varies",
                                             f"tangent, slope dL/dk[{tap}] = {slope:.2f}")):
        text.set_text(label)
    ax.set_xlim(-5, 5)                      # the grid (-4 to 4) and a tangent at its ends
    plots.follow_data(ax, x=False)
    ax.set_xlabel(f"value of k[{tap}] (the other taps fixed)")
    ax.set_title(f"k[{tap}] = {value:.2f}: L = {loss:.2f}, backprop slope {slope:.2f}")


#: Slider figure ``draw_tap_slope(fig, tap, value, *, x, kernel, bias, target)``: the loss as
#: one kernel tap ``kernel[tap]`` moves (the others fixed), and at ``value`` the tangent whose
#: slope is the backward pass's ``dL/dk[tap]``.
draw_tap_slope = Drawing(_build_tap_slope, _update_tap_slope)
