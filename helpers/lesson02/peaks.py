"""Lesson 02: finding peaks with a 3-tap kernel, and learning that kernel from data.

A sample ``x[i]`` is a *local peak* when it is strictly greater than both neighbours,
``x[i - 1] < x[i] > x[i + 1]`` (so the first and last samples never are). A 3-tap kernel
``k`` slid over the signal in ``'valid'`` mode gives ``N - 2`` outputs

    ``y[i] = k[0] * x[i] + k[1] * x[i + 1] + k[2] * x[i + 2] + bias``     (0-based)

and output ``i`` is centred on input ``i + 1``: the *offset* of a valid output is
``(K - 1) // 2`` for an odd kernel of ``K`` taps. Everything here keeps that alignment
explicit: labels, scores and detections are indexed like the valid output, and
:func:`output_centre` turns an output index into the input index it sits on.

The training part fits a kernel and a bias with plain gradient descent on a logistic
loss, using the course's conv layer (:func:`helpers.layers.conv1d_forward` /
:func:`~helpers.layers.conv1d_backward`), so the detector is exactly a 1-channel conv layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .. import filters, layers, plots
from .._validate import as_float_array, as_int
from ..conv import correlate1d
from ..init import as_rng
from ..widgets import Drawing

__all__ = [
    "POST_U", "POST_Y", "POST_KERNEL",
    "response", "output_centre", "local_peaks", "peak_labels", "detect", "max_pool1d",
    "beats", "random_signals", "scores", "logistic_loss", "train_peak_kernel", "TrainResult",
    "normalise_kernel", "f1_score", "best_threshold", "detection_summary",
    "demo_signal", "draw_taps",
]

#: The vector printed in the Cross Validated answer (docs/sources.md; MATLAB ``u = rand(1,10)``), 4 decimals as printed.
POST_U = np.array([0.8416, 0.7342, 0.5710, 0.1769, 0.9574, 0.2653, 0.9246, 0.2238, 0.3736, 0.0875])
#: The post's printed ``y = conv(u, v, 'valid')`` (it does not follow from ``POST_U``).
POST_Y = np.array([-0.1767, -0.4347, -0.3599, -0.2702, -0.5382, 0.2119, -0.9628, 0.1713])
#: The post's kernel ``v = [-1 1 -1]``.
POST_KERNEL = filters.peak_kernel()


# --------------------------------------------------------------------------- the detector
def response(signal, kernel, bias: float = 0.0) -> np.ndarray:
    """Valid cross-correlation plus a bias: ``y[i] = sum_m signal[i + m] * kernel[m] + bias``.

    ``signal (N,)``, ``kernel (K,)`` -> ``(N - K + 1,)``; output ``i`` is centred on input
    ``output_centre(i, K)``.
    """
    bias = float(as_float_array(bias, "bias", ndim=0))
    return correlate1d(signal, kernel, mode="valid") + bias


def output_centre(i, kernel_size: int):
    """Input index (0-based) at the centre of valid output ``i``: ``i + (K - 1) // 2``.

    ``kernel_size`` must be odd (an even kernel has no centre sample). ``i`` may be an
    int or an integer array.
    """
    k = as_int(kernel_size, "kernel_size", 1)
    if k % 2 == 0:
        raise ValueError(f"kernel_size must be odd to have a centre sample, got {k}; "
                         f"an even kernel sits between two inputs.")
    offset = (k - 1) // 2
    if isinstance(i, (int, np.integer)):
        return int(i) + offset
    return np.asarray(i) + offset


def peak_labels(signals) -> np.ndarray:
    """Which valid outputs sit on a local peak: ``x[..., i + 1] > x[..., i]`` and ``> x[..., i + 2]``.

    ``signals (N,)`` or ``(S, N)`` -> bool ``(N - 2,)`` or ``(S, N - 2)``, aligned with the
    valid output of a 3-tap kernel (label ``i`` is about input ``i + 1``).
    """
    x = as_float_array(signals, "signals", ndim=(1, 2), shape_hint="(N,) or (S, N)")
    if x.shape[-1] < 3:
        raise ValueError(f"signals need at least 3 samples to have an inner sample, got {x.shape[-1]}.")
    centre = x[..., 1:-1]
    return (centre > x[..., :-2]) & (centre > x[..., 2:])


def local_peaks(signal) -> np.ndarray:
    """0-based input indices of the strict local peaks of a 1-D signal (never 0 or N-1)."""
    return np.flatnonzero(peak_labels(as_float_array(signal, "signal", ndim=1, shape_hint="(N,)"))) + 1


def detect(signal, kernel, threshold: float, bias: float = 0.0) -> np.ndarray:
    """Input indices (0-based) where the valid response is above ``threshold``.

    Output ``i`` with ``response > threshold`` is reported at its centre ``i + (K-1)//2``.
    """
    y = response(signal, kernel, bias)
    return output_centre(np.flatnonzero(y > threshold), len(kernel))


def max_pool1d(y, size: int | None = None, stride: int | None = None):
    """Max pooling of a 1-D array; returns ``(values, argmax)`` with argmax as indices into ``y``.

    ``size=None`` pools the whole array (global max pooling, one value). Otherwise windows
    of ``size`` samples start every ``stride`` (default ``size``: non-overlapping); as in
    every framework, a last partial window is dropped (the floor rule), so its samples can
    never win.
    """
    y = as_float_array(y, "y", ndim=1, shape_hint="(N,)")
    if size is None:
        i = int(np.argmax(y))
        return y[i:i + 1].copy(), np.array([i])
    size = as_int(size, "size", 1)
    stride = size if stride is None else as_int(stride, "stride", 1)
    if size > y.shape[0]:
        raise ValueError(f"size {size} is longer than y ({y.shape[0]} samples); no window fits. "
                         f"Use size=None for global max pooling.")
    starts = np.arange(0, y.shape[0] - size + 1, stride)
    windows = y[starts[:, None] + np.arange(size)]
    arg = starts + np.argmax(windows, axis=1)
    return y[arg], arg


def beats(signal, kernel, threshold: float, half_window: int) -> np.ndarray:
    """Input indices of detections that are also the largest response within ``±half_window``.

    Thresholding alone marks several neighbouring samples of one wide bump; keeping only
    the maximum of each neighbourhood (non-maximum suppression, a stride-1 max pool
    compared with its input) leaves one detection per bump. Output index -> input centre.
    """
    half_window = as_int(half_window, "half_window", 0)
    y = response(signal, kernel)
    padded = np.pad(y, half_window, constant_values=-np.inf)
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half_window + 1)
    keep = (y > threshold) & (y >= windows.max(axis=1))
    # among equal neighbours (a flat top), keep the first
    idx = np.flatnonzero(keep)
    if idx.size:
        idx = idx[np.concatenate([[True], np.diff(idx) > half_window])]
    return output_centre(idx, len(kernel))


# --------------------------------------------------------------------------- data and scores
def random_signals(n_signals: int, length: int, baseline: float = 0.0, rng=None) -> np.ndarray:
    """``(n_signals, length)`` signals like MATLAB's ``rand``: uniform in ``[0, 1)``,
    each shifted by its own constant drawn from ``U(-baseline, baseline)``."""
    n_signals = as_int(n_signals, "n_signals", 1)
    length = as_int(length, "length", 3)
    baseline = float(as_float_array(baseline, "baseline", ndim=0))
    rng = as_rng(rng)
    x = rng.random((n_signals, length))
    return x + rng.uniform(-baseline, baseline, size=(n_signals, 1))


def scores(signals, kernel, bias: float = 0.0) -> np.ndarray:
    """Valid responses of a batch: ``signals (S, N)`` -> ``(S, N - K + 1)`` (a 1-filter conv layer)."""
    x = as_float_array(signals, "signals", ndim=2, shape_hint="(S, N)")
    k = as_float_array(kernel, "kernel", ndim=1, shape_hint="(K,)")
    y, _ = layers.conv1d_forward(x[:, None, :], k[None, None, :], np.array([float(bias)]))
    return y[:, 0, :]


def logistic_loss(z, labels):
    """Mean logistic loss of scores ``z`` for 0/1 ``labels`` and its gradient ``dL/dz``.

    ``L = mean(log(1 + exp(z)) - labels * z)``, i.e. binary cross-entropy of
    ``sigmoid(z)``, written so that large ``|z|`` never overflows.
    ``dL/dz = (sigmoid(z) - labels) / z.size``. Returns ``(loss, dz)``.
    """
    z = as_float_array(z, "z")
    t = as_float_array(labels, "labels")
    if t.shape != z.shape:
        raise ValueError(f"labels have shape {t.shape} but z has {z.shape}; they must match.")
    loss = float(np.mean(np.logaddexp(0.0, z) - t * z))
    p = 0.5 * (1.0 + np.tanh(0.5 * z))       # sigmoid(z), stable for any z
    return loss, (p - t) / z.size


@dataclass
class TrainResult:
    """What :func:`train_peak_kernel` returns."""

    kernel: np.ndarray          # (K,) learned taps
    bias: float                 # learned bias
    init_kernel: np.ndarray     # (K,) the random start
    init_bias: float
    losses: np.ndarray          # (steps,) loss before each update


def train_peak_kernel(signals, steps: int = 400, lr: float = 3.0, kernel_size: int = 3,
                      rng=None) -> TrainResult:
    """Fit a kernel + bias to mark local peaks, by full-batch gradient descent.

    ``signals (S, N)``; targets are :func:`peak_labels` (so ``kernel_size`` must be 3 to
    align with them). Model: ``z = conv1d(signals, kernel) + bias`` (a 1-channel conv layer),
    loss: :func:`logistic_loss`. Start: taps ~ N(0, 0.5^2), bias 0. Each step:
    forward, loss, backward, ``param -= lr * grad``.
    """
    x = as_float_array(signals, "signals", ndim=2, shape_hint="(S, N)")
    kernel_size = as_int(kernel_size, "kernel_size", 1)
    if kernel_size != 3:
        raise ValueError(f"kernel_size must be 3 to line up with peak_labels, got {kernel_size}.")
    steps = as_int(steps, "steps", 1)
    lr = float(as_float_array(lr, "lr", ndim=0))
    if lr <= 0:
        raise ValueError(f"lr must be a positive step size such as 1.0, got {lr}.")
    rng = as_rng(rng)
    labels = peak_labels(x).astype(float)[:, None, :]          # (S, 1, N - 2)
    w = rng.normal(0.0, 0.5, size=(1, 1, kernel_size))
    b = np.zeros(1)
    init_w, init_b = w.ravel().copy(), float(b[0])
    losses = np.empty(steps)
    for step in range(steps):
        z, cache = layers.conv1d_forward(x[:, None, :], w, b)
        losses[step], dz = logistic_loss(z, labels)
        _, dw, db = layers.conv1d_backward(dz, cache)
        w = w - lr * dw
        b = b - lr * db
    return TrainResult(w.ravel().copy(), float(b[0]), init_w, init_b, losses)


def normalise_kernel(kernel, bias: float = 0.0):
    """Rescale ``(kernel, bias)`` so the outer taps average -1 (the scale of ``[-1, 1, -1]``).

    A positive scale does not change which outputs are above a threshold (scaled alike),
    so only the *shape* of a kernel matters; this puts learned kernels on the post's scale.
    Raises ValueError if the outer taps are not negative on average (no such scale exists).
    """
    k = as_float_array(kernel, "kernel", ndim=1, shape_hint="(K,)")
    if k.shape[0] < 3:
        raise ValueError(f"kernel needs at least 3 taps (outer and centre), got {k.shape[0]}.")
    outer = 0.5 * (k[0] + k[-1])
    if outer >= 0:
        raise ValueError(f"the outer taps average {outer:.3g} >= 0, so no positive scale makes "
                         f"them -1; this kernel does not look like a peak detector.")
    scale = -1.0 / outer
    return k * scale, float(bias) * scale


# --------------------------------------------------------------------------- scoring
def _as_bool(pred, name):
    arr = np.asarray(pred)
    if arr.dtype != bool:
        raise TypeError(f"{name} must be a boolean array (True = peak), got dtype {arr.dtype}.")
    return arr


def f1_score(pred, labels) -> float:
    """F1 = 2 TP / (2 TP + FP + FN) of boolean predictions against boolean labels (same shape)."""
    p, t = _as_bool(pred, "pred"), _as_bool(labels, "labels")
    if p.shape != t.shape:
        raise ValueError(f"pred has shape {p.shape} but labels has {t.shape}.")
    tp = np.sum(p & t)
    denom = 2 * tp + np.sum(p & ~t) + np.sum(~p & t)
    return float(2 * tp / denom) if denom else 1.0


def best_threshold(score, labels) -> tuple[float, float]:
    """The threshold ``t`` maximising F1 of ``score > t``; returns ``(t, f1)``.

    Every distinct cut is tried (midpoints between consecutive sorted scores, plus one
    below the smallest), in one pass with cumulative sums.
    """
    s = as_float_array(score, "score").ravel()
    t = _as_bool(labels, "labels").ravel()
    if s.shape != t.shape:
        raise ValueError(f"score has {s.size} entries but labels has {t.size}; they must match.")
    order = np.argsort(-s, kind="stable")
    s_sorted, t_sorted = s[order], t[order]
    tp = np.cumsum(t_sorted)                    # predicting the top j+1 scores as peaks
    fp = np.cumsum(~t_sorted)
    fn = t.sum() - tp
    f1 = 2 * tp / np.maximum(2 * tp + fp + fn, 1)
    # only cut between different scores
    valid = np.append(s_sorted[1:] < s_sorted[:-1], True)
    f1 = np.where(valid, f1, -1.0)
    j = int(np.argmax(f1))
    below = s_sorted[j + 1] if j + 1 < s.size else s_sorted[j] - 1.0
    return float(0.5 * (s_sorted[j] + below)), float(f1[j])


def detection_summary(signal, kernel, threshold: float, bias: float = 0.0) -> dict:
    """Compare :func:`detect` with the true local peaks of one signal.

    Returns ``{"peaks": true peak indices, "found": detected indices, "hits": n,
    "misses": n, "false_alarms": n}`` (input indices, 0-based).
    """
    true = local_peaks(signal)
    found = detect(signal, kernel, threshold, bias)
    hits = np.intersect1d(true, found).size
    return {"peaks": true, "found": found, "hits": int(hits),
            "misses": int(true.size - hits), "false_alarms": int(found.size - hits)}


# --------------------------------------------------------------------------- slider figure
@lru_cache(maxsize=1)
def demo_signal(length: int = 30, seed: int = 3) -> np.ndarray:
    """The fixed random signal of the taps panel: ``rand``-like, ``(length,)``, seeded."""
    return np.random.default_rng(seed).random(length)


def _build_taps(fig, left: float, centre: float, right: float, threshold: float,
                baseline: float = 0.0) -> dict:
    ax1, ax2 = fig.subplots(2, 1, sharex=True)
    n = demo_signal().size
    signal_line = plots.plot_signal(ax1, np.zeros(n), label="signal", color=plots.PALETTE["blue"])
    true_peaks = ax1.scatter([], [], marker="s", s=30, color=plots.PALETTE["green"],
                             label="true local peaks", zorder=4)
    found = plots.mark_points(ax1, [], [], label="detected")
    ax1.set_ylabel("value")
    ax1.set_xlabel("")
    ax1.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    response_line, = ax2.plot(output_centre(np.arange(n - 2), 3), np.zeros(n - 2), marker="o", markersize=4,
                              color=plots.PALETTE["orange"], label="response\n(at the centre input)")
    threshold_line = ax2.axhline(0.0, color=plots.PALETTE["red"], linestyle="--", label="threshold")
    ax2.set_xlabel("input index i (0-based)")
    ax2.set_ylabel("response")
    ax2.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return {"axes": (ax1, ax2), "signal": signal_line, "true_peaks": true_peaks, "found": found,
            "response": response_line, "threshold": threshold_line}


def _update_taps(state: dict, left: float, centre: float, right: float, threshold: float,
                 baseline: float = 0.0) -> None:
    x = demo_signal() + float(baseline)
    kernel = np.array([left, centre, right], dtype=float)
    s = detection_summary(x, kernel, threshold)
    ax1, ax2 = state["axes"]
    state["signal"].set_ydata(x)
    state["true_peaks"].set_offsets(np.column_stack([s["peaks"], x[s["peaks"]]]))
    state["found"].set_offsets(np.column_stack([s["found"], x[s["found"]]]))
    ax1.set_title(f"kernel [{left:.2f}, {centre:.2f}, {right:.2f}], threshold {threshold:.2f}: "
                  f"{s['hits']} of {s['peaks'].size} peaks found, {s['false_alarms']} false alarms")
    state["response"].set_ydata(response(x, kernel))
    state["threshold"].set_ydata([threshold, threshold])
    for ax in (ax1, ax2):           # the y range follows the new data
        plots.follow_data(ax, x=False)


#: Slider figure ``draw_taps(fig, left, centre, right, threshold, baseline=0.0)``: a 3-tap
#: kernel on :func:`demo_signal` (+ a constant ``baseline``). Top: the signal, its true
#: local peaks (squares) and the detections (circles). Bottom: the valid response drawn at
#: the input index each output is centred on, and the threshold. The title counts hits,
#: misses and false alarms.
draw_taps = Drawing(_build_taps, _update_taps)
