"""Layers of a convolutional network, forward and backward, in NumPy.

Every layer follows one contract (as in CS231n):

* ``forward(inputs...) -> (out, cache)``: compute the output and keep what backward needs;
* ``backward(d_out, cache) -> gradients``: given dLoss/d_out, return dLoss/d_inputs.

Shapes follow PyTorch: batches first, channels second.

* 1-D: ``x (N, C_in, L)``, ``w (C_out, C_in, K)``, ``b (C_out,)``, ``y (N, C_out, L_out)``
* 2-D: ``x (N, C_in, H, W)``, ``w (C_out, C_in, KH, KW)``, ``b (C_out,)``, ``y (N, C_out, H_out, W_out)``

with ``L_out = floor((L + 2*padding - dilation*(K - 1) - 1) / stride) + 1`` (see
:func:`helpers.conv.output_length`). The forward pass computes **cross-correlation**, as every
framework does: ``y[n, o, i] = b[o] + sum_{c, m} w[o, c, m] * x_pad[n, c, i*stride + m*dilation]``.

ReLU's derivative at exactly 0 is taken to be 0 (PyTorch's convention).

Precision: everything is float64, except that the conv layers stay in float32 when ``x``
and ``w`` both are float32 (PyTorch's default precision; about twice as fast). Gradient
checks need float64: finite differences in float32 are too noisy to compare.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ._validate import as_float_array, as_int, as_pair
from .conv import output_length

__all__ = [
    "conv1d_forward", "conv1d_backward", "conv2d_forward", "conv2d_backward",
    "relu_forward", "relu_backward",
]


# --------------------------------------------------------------------------- helpers
def _windows(xp: np.ndarray, kh: int, kw: int, oh: int, ow: int, stride, dilation) -> np.ndarray:
    """A read-only view of every input window: shape ``(N, C, KH, KW, H_out, W_out)``."""
    n, c = xp.shape[:2]
    s_n, s_c, s_h, s_w = xp.strides
    return as_strided(
        xp,
        shape=(n, c, kh, kw, oh, ow),
        strides=(s_n, s_c, s_h * dilation[0], s_w * dilation[1], s_h * stride[0], s_w * stride[1]),
        writeable=False,
    )


def _out_size(size: int, k: int, pad: int, stride: int, dil: int, axis: str, xname: str,
              wname: str) -> int:
    """:func:`helpers.conv.output_length`, with the error told in the layer's words."""
    try:
        return output_length(size, k, pad, stride, dil)
    except ValueError:
        raise ValueError(
            f"the kernel {wname} spans {dil * (k - 1) + 1} inputs along {axis} (size {k}, dilation {dil}) "
            f"but {xname} has only {size + 2 * pad} there after padding ({size} + 2*{pad}); "
            f"use more padding, a smaller kernel or a smaller dilation.") from None


def _check_conv_args(x, w, b, stride, padding, dilation, spatial: int):
    """Validate a conv layer's arguments; returns arrays and (pairs of) ints."""
    if spatial == 1:
        x = as_float_array(x, "x", ndim=3, shape_hint="(N, C_in, L)", keep_float32=True)
        w = as_float_array(w, "w", ndim=3, shape_hint="(C_out, C_in, K)", keep_float32=True)
        stride = (1, as_int(stride, "stride", 1))
        padding = (0, as_int(padding, "padding", 0))
        dilation = (1, as_int(dilation, "dilation", 1))
    else:
        x = as_float_array(x, "x", ndim=4, shape_hint="(N, C_in, H, W)", keep_float32=True)
        w = as_float_array(w, "w", ndim=4, shape_hint="(C_out, C_in, KH, KW)", keep_float32=True)
        stride = as_pair(stride, "stride", 1)
        padding = as_pair(padding, "padding", 0)
        dilation = as_pair(dilation, "dilation", 1)
    if x.shape[1] != w.shape[1]:
        raise ValueError(
            f"channel mismatch: x has C_in={x.shape[1]} channels (shape {x.shape}) but w "
            f"expects C_in={w.shape[1]} (shape {w.shape}); w must have shape "
            f"(C_out, {x.shape[1]}, ...).")
    if b is not None:
        b = as_float_array(b, "b", ndim=1, shape_hint="(C_out,)", keep_float32=True)
        if b.shape[0] != w.shape[0]:
            raise ValueError(f"b has {b.shape[0]} entries but w has C_out={w.shape[0]} filters; "
                             f"b must have shape ({w.shape[0]},), one bias per filter.")
    # float32 only when x and w both are (as in PyTorch by default); float64 otherwise.
    dtype = np.result_type(x, w)
    x, w = x.astype(dtype, copy=False), w.astype(dtype, copy=False)
    b = None if b is None else b.astype(dtype, copy=False)
    return x, w, b, stride, padding, dilation


def _conv2d_core(x, w, b, stride, padding, dilation, axes=("H", "W")):
    # axes: the names error messages give the two spatial axes ("L" for a 1-D layer)
    n, c, h, wd = x.shape
    c_out, _, kh, kw = w.shape
    oh = _out_size(h, kh, padding[0], stride[0], dilation[0], axes[0], "x", "w")
    ow = _out_size(wd, kw, padding[1], stride[1], dilation[1], axes[1], "x", "w")
    xp = x if padding == (0, 0) else np.pad(
        x, ((0, 0), (0, 0), (padding[0], padding[0]), (padding[1], padding[1])))
    # im2col: every window copied into one column per output position, (N, C*KH*KW, OH*OW).
    cols = np.ascontiguousarray(_windows(xp, kh, kw, oh, ow, stride, dilation)).reshape(
        n, c * kh * kw, oh * ow)
    # Sum over channels and kernel taps as one matrix product per sample (im2col + GEMM):
    # (C_out, C*KH*KW) @ (C*KH*KW, OH*OW) lands directly in the (N, C_out, OH, OW) layout.
    y = np.matmul(w.reshape(c_out, -1), cols).reshape(n, c_out, oh, ow)
    if b is not None:
        y += b[None, :, None, None]
    cache = (x, w, b is not None, stride, padding, dilation, xp.shape, cols)
    return y, cache


def _conv2d_core_backward(dy, cache):
    # cols: the im2col matrix of the forward pass, (N, C*KH*KW, OH*OW), kept in the cache.
    x, w, has_b, stride, padding, dilation, xp_shape, cols = cache
    n, c, h, wd = x.shape
    c_out, _, kh, kw = w.shape
    oh, ow = dy.shape[2], dy.shape[3]
    dyf = np.ascontiguousarray(dy).reshape(n, c_out, oh * ow)
    # dL/dw[o, c, m, n] = sum over batch and positions of dy * the input the tap touched.
    dw = np.matmul(dyf, cols.transpose(0, 2, 1)).sum(axis=0).reshape(w.shape)
    db = dy.sum(axis=(0, 2, 3)) if has_b else None
    # dL/dx: every tap sends w * dy back to the input it read (a transposed convolution):
    # per tap, (C, C_out) @ (C_out, OH*OW) for every sample, added onto the inputs it read.
    w_taps = np.ascontiguousarray(w.transpose(2, 3, 1, 0))        # (KH, KW, C, C_out)
    tap = np.empty((n, c, oh * ow), dtype=np.result_type(w, dyf))
    dxp = np.zeros(xp_shape, dtype=tap.dtype)
    sh, sw = stride
    dh, dwl = dilation
    for m in range(kh):
        for q in range(kw):
            rows = slice(m * dh, m * dh + sh * (oh - 1) + 1, sh)
            colz = slice(q * dwl, q * dwl + sw * (ow - 1) + 1, sw)
            np.matmul(w_taps[m, q], dyf, out=tap)
            dxp[:, :, rows, colz] += tap.reshape(n, c, oh, ow)
    dx = dxp[:, :, padding[0]:padding[0] + h, padding[1]:padding[1] + wd]
    return np.ascontiguousarray(dx), dw, db


def _check_dy(dy, cache_shape, kind, name="dy"):
    dy = as_float_array(dy, name, ndim=len(cache_shape), keep_float32=True)
    if dy.shape != tuple(cache_shape):
        raise ValueError(f"{name} has shape {dy.shape} but the {kind} forward pass produced an "
                         f"output of shape {tuple(cache_shape)}; {name} must match it exactly.")
    return dy


def _check_cache(cache, kind):
    if not (isinstance(cache, tuple) and len(cache) == 2 and cache[0] == kind):
        raise TypeError(f"cache must be the second value returned by {kind}_forward; got "
                        f"{type(cache).__name__}. Call y, cache = {kind}_forward(...) first.")
    return cache[1]


# --------------------------------------------------------------------------- conv 1-D
def conv1d_forward(x, w, b=None, stride=1, padding=0, dilation=1):
    """1-D convolution layer (cross-correlation), forward.

    Parameters
    ----------
    x : ``(N, C_in, L)``
    w : ``(C_out, C_in, K)``
    b : ``(C_out,)`` or None
    stride, padding, dilation : ints (padding is zeros, per side)

    Returns
    -------
    y : ``(N, C_out, L_out)``, ``L_out = floor((L + 2*padding - dilation*(K-1) - 1)/stride) + 1``
    cache : what :func:`conv1d_backward` needs (the inputs and settings)
    """
    x, w, b, stride, padding, dilation = _check_conv_args(x, w, b, stride, padding, dilation, 1)
    y4, core = _conv2d_core(x[:, :, None, :], w[:, :, None, :], b, stride, padding, dilation,
                            axes=("L", "L"))
    return y4[:, :, 0, :], ("conv1d", (core, y4.shape))


def conv1d_backward(dy, cache):
    """1-D convolution layer, backward.

    ``dy`` is dLoss/dy with shape ``(N, C_out, L_out)``. Returns ``(dx, dw, db)`` with the
    shapes of ``x``, ``w`` and ``b`` (``db`` is None when the forward had no bias):

    * ``dw[o, c, m] = sum_{n, i} dy[n, o, i] * x_pad[n, c, i*stride + m*dilation]``
    * ``db[o] = sum_{n, i} dy[n, o, i]``
    * ``dx``: each ``dy[n, o, i] * w[o, c, m]`` added back to the input it came from.
    """
    core, y4_shape = _check_cache(cache, "conv1d")
    dy = _check_dy(dy, (y4_shape[0], y4_shape[1], y4_shape[3]), "conv1d")
    dx, dw, db = _conv2d_core_backward(dy[:, :, None, :], core)
    return dx[:, :, 0, :], dw[:, :, 0, :], db


# --------------------------------------------------------------------------- conv 2-D
def conv2d_forward(x, w, b=None, stride=1, padding=0, dilation=1):
    """2-D convolution layer (cross-correlation), forward.

    Parameters
    ----------
    x : ``(N, C_in, H, W)``
    w : ``(C_out, C_in, KH, KW)``
    b : ``(C_out,)`` or None
    stride, padding, dilation : an int, or a pair ``(rows, cols)``

    Returns
    -------
    y : ``(N, C_out, H_out, W_out)``, each size given by the floor rule of
        :func:`helpers.conv.output_length`
    cache : what :func:`conv2d_backward` needs
    """
    x, w, b, stride, padding, dilation = _check_conv_args(x, w, b, stride, padding, dilation, 2)
    y, core = _conv2d_core(x, w, b, stride, padding, dilation)
    return y, ("conv2d", (core, y.shape))


def conv2d_backward(dy, cache):
    """2-D convolution layer, backward: ``dy (N, C_out, H_out, W_out) -> (dx, dw, db)``.

    ``dx`` has the shape of ``x``, ``dw`` of ``w``, ``db`` of ``b`` (None without a bias).
    """
    core, y_shape = _check_cache(cache, "conv2d")
    dy = _check_dy(dy, y_shape, "conv2d")
    return _conv2d_core_backward(dy, core)


# --------------------------------------------------------------------------- ReLU
def relu_forward(z):
    """ReLU, forward: ``h = max(z, 0)`` elementwise; any shape. Returns ``(h, cache)``."""
    z = as_float_array(z, "z")
    return np.maximum(z, 0.0), ("relu", z)


def relu_backward(dh, cache):
    """ReLU, backward: ``dz = dh * (z > 0)``, the gate. The derivative at ``z == 0`` is 0."""
    z = _check_cache(cache, "relu")
    dh = _check_dy(dh, z.shape, "relu", name="dh")
    return dh * (z > 0)


# =========================================================================== added for lesson 06
# Max pooling, flatten, dense and softmax cross-entropy: the rest of a tiny CNN classifier,
# with the same ``(out, cache)`` / ``backward(d_out, cache)`` contract as the layers above.

__all__ += [
    "maxpool2d_forward", "maxpool2d_backward", "flatten_forward", "flatten_backward",
    "dense_forward", "dense_backward", "softmax", "softmax_cross_entropy",
    "softmax_cross_entropy_backward",
]


# --------------------------------------------------------------------------- max pooling
def maxpool2d_forward(x, size=2, stride=None):
    """2-D max pooling, forward: the largest value of every ``size`` window, per channel.

    Parameters
    ----------
    x : ``(N, C, H, W)``
    size : an int or a pair ``(rows, cols)``: the window
    stride : an int or a pair; None means ``stride = size`` (windows side by side)

    Returns
    -------
    y : ``(N, C, H_out, W_out)`` with ``H_out = floor((H - size) / stride) + 1`` (no padding;
        when the stride does not divide ``H - size``, the last rows are never read)
    cache : what :func:`maxpool2d_backward` needs (the input shape and where each maximum was)

    Ties: the first maximum of a window in row-major order is "the" maximum and receives the
    whole gradient (as PyTorch does).
    """
    x = as_float_array(x, "x", ndim=4, shape_hint="(N, C, H, W)")
    size = as_pair(size, "size", 1)
    stride = size if stride is None else as_pair(stride, "stride", 1)
    n, c, h, wd = x.shape
    if size[0] > h or size[1] > wd:
        raise ValueError(
            f"the pooling window size={size} does not fit inside x, whose maps are {h}x{wd} "
            f"(shape {x.shape}); use a size of at most ({h}, {wd}).")
    oh = (h - size[0]) // stride[0] + 1
    ow = (wd - size[1]) // stride[1] + 1
    cols = _windows(x, size[0], size[1], oh, ow, stride, (1, 1))         # (N, C, KH, KW, OH, OW)
    # Copy with each window's KH*KW values last and contiguous: argmax over them is fast.
    flat = np.ascontiguousarray(cols.transpose(0, 1, 4, 5, 2, 3)).reshape(n, c, oh, ow, -1)
    where = np.argmax(flat, axis=-1)                                     # first maximum wins
    y = np.take_along_axis(flat, where[..., None], axis=-1)[..., 0]
    return y, ("maxpool2d", (x.shape, size, stride, where))


def maxpool2d_backward(dy, cache):
    """2-D max pooling, backward: ``dy (N, C, H_out, W_out) -> dx (N, C, H, W)``.

    Each ``dy`` entry goes, whole, to the input that was the maximum of its window; every
    other input gets 0. Overlapping windows (stride < size) add up.
    """
    x_shape, size, stride, where = _check_cache(cache, "maxpool2d")
    dy = _check_dy(dy, where.shape, "maxpool2d")
    oh, ow = where.shape[2], where.shape[3]
    dx = np.zeros(x_shape)
    for m in range(size[0]):
        for q in range(size[1]):
            rows = slice(m, m + stride[0] * (oh - 1) + 1, stride[0])
            colz = slice(q, q + stride[1] * (ow - 1) + 1, stride[1])
            dx[:, :, rows, colz] += dy * (where == m * size[1] + q)
    return dx


# --------------------------------------------------------------------------- flatten
def flatten_forward(x):
    """Flatten every sample to a vector: ``x (N, ...) -> y (N, D)``, ``D`` = product of the rest.

    Row-major (C order), so for ``(N, C, H, W)`` the feature index is ``(c * H + i) * W + j``.
    """
    x = as_float_array(x, "x", ndim=tuple(range(2, 33)), shape_hint="(N, ...)")
    return x.reshape(x.shape[0], -1), ("flatten", x.shape)


def flatten_backward(dy, cache):
    """Flatten, backward: ``dy (N, D) -> dx`` with the shape ``x`` had."""
    x_shape = _check_cache(cache, "flatten")
    dy = _check_dy(dy, (x_shape[0], int(np.prod(x_shape[1:]))), "flatten")
    return dy.reshape(x_shape)


# --------------------------------------------------------------------------- dense
def dense_forward(x, w, b=None):
    """Dense (fully connected) layer, forward: ``y = x @ w.T + b``.

    Parameters
    ----------
    x : ``(N, D)``
    w : ``(D_out, D)``: PyTorch's ``nn.Linear`` layout (one row per output unit;
        Keras stores the transpose, ``(D, D_out)``)
    b : ``(D_out,)`` or None

    Returns ``y (N, D_out)`` and the cache for :func:`dense_backward`.
    """
    x = as_float_array(x, "x", ndim=2, shape_hint="(N, D)")
    w = as_float_array(w, "w", ndim=2, shape_hint="(D_out, D)")
    if w.shape[1] != x.shape[1]:
        raise ValueError(
            f"size mismatch: x has D={x.shape[1]} features (shape {x.shape}) but w has "
            f"{w.shape[1]} columns (shape {w.shape}); w must have shape (D_out, {x.shape[1]}), "
            f"one row per output unit (PyTorch layout; transpose a Keras kernel).")
    if b is not None:
        b = as_float_array(b, "b", ndim=1, shape_hint="(D_out,)")
        if b.shape[0] != w.shape[0]:
            raise ValueError(f"b has {b.shape[0]} entries but w has D_out={w.shape[0]} rows; "
                             f"b must have shape ({w.shape[0]},), one bias per output unit.")
    y = x @ w.T
    if b is not None:
        y = y + b
    return y, ("dense", (x, w, b is not None))


def dense_backward(dy, cache):
    """Dense layer, backward: ``dy (N, D_out) -> (dx (N, D), dw (D_out, D), db (D_out,))``.

    ``dx = dy @ w``, ``dw = dy.T @ x``, ``db = dy.sum(axis=0)`` (None without a bias).
    """
    x, w, has_b = _check_cache(cache, "dense")
    dy = _check_dy(dy, (x.shape[0], w.shape[0]), "dense")
    return dy @ w, dy.T @ x, (dy.sum(axis=0) if has_b else None)


# --------------------------------------------------------------------------- softmax + loss
def softmax(logits):
    """Softmax over the last axis: ``p = exp(z - max z) / sum exp(z - max z)``; rows sum to 1."""
    z = as_float_array(logits, "logits")
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _check_labels(labels, n: int, classes: int) -> np.ndarray:
    arr = np.asarray(labels)
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
        raise TypeError(f"labels must be whole class indices 0..{classes - 1}, got dtype {arr.dtype}; "
                        f"pass an integer array such as np.array([3, 0, 9]).")
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(f"labels must have shape ({n},), one class index per row of logits, "
                         f"got shape {arr.shape}.")
    if not np.all(np.isfinite(arr)) or not np.all(arr == np.round(arr)):
        raise ValueError("labels must be whole class indices; found a fractional or non-finite "
                         "value (labels are indices such as 3, not probabilities or one-hot rows).")
    arr = arr.astype(np.int64)
    if arr.min() < 0 or arr.max() >= classes:
        bad = int(arr.min() if arr.min() < 0 else arr.max())
        raise ValueError(f"labels must lie in 0..{classes - 1} (logits have {classes} columns), "
                         f"found {bad}.")
    return arr


def softmax_cross_entropy(logits, labels):
    """Mean cross-entropy of the softmax of ``logits`` against integer ``labels``.

    Parameters
    ----------
    logits : ``(N, classes)``, unnormalised scores
    labels : ``(N,)``, whole numbers in ``0..classes-1``

    Returns
    -------
    loss : a float, ``mean_n( logsumexp(logits[n]) - logits[n, labels[n]] )`` (computed with the
        maximum subtracted, so large logits do not overflow)
    cache : what :func:`softmax_cross_entropy_backward` needs (the probabilities and labels)
    """
    z = as_float_array(logits, "logits", ndim=2, shape_hint="(N, classes)")
    y = _check_labels(labels, z.shape[0], z.shape[1])
    shifted = z - z.max(axis=1, keepdims=True)
    log_sum = np.log(np.exp(shifted).sum(axis=1))
    log_p = shifted - log_sum[:, None]
    loss = float(-log_p[np.arange(z.shape[0]), y].mean())
    return loss, ("softmax_cross_entropy", (np.exp(log_p), y))


def softmax_cross_entropy_backward(dloss, cache):
    """Softmax cross-entropy, backward: ``dlogits = dloss * (softmax(logits) - one_hot(labels)) / N``.

    ``dloss`` is dFinal/dloss, a number (1.0 when the cross-entropy is the final loss).
    Returns ``dlogits`` with the shape of ``logits``.
    """
    if not (isinstance(cache, tuple) and len(cache) == 2 and cache[0] == "softmax_cross_entropy"):
        raise TypeError(f"cache must be the second value returned by softmax_cross_entropy; got "
                        f"{type(cache).__name__}. Call loss, cache = softmax_cross_entropy(logits, "
                        f"labels) first.")
    p, y = cache[1]
    if isinstance(dloss, bool) or not isinstance(dloss, (int, float, np.floating, np.integer)) \
            or not np.isfinite(dloss):
        raise TypeError(f"dloss must be a finite number (the gradient arriving at the scalar loss; "
                        f"1.0 when it is the final loss), got {dloss!r}.")
    d = p.copy()
    d[np.arange(y.shape[0]), y] -= 1.0
    return float(dloss) * d / y.shape[0]
