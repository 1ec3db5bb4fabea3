"""Signal statistics through a deep stack of conv + ReLU layers, under each initialisation.

Lesson 04's second concept module. The stack (no bias, "same" padding so every layer keeps
the length)::

    h_0 = x (N, C, L)  ->  z_l = conv1d(h_{l-1}, w_l, padding=(K-1)//2)  ->  h_l = ReLU(z_l),  l = 1..D

with every ``w_l`` of shape ``(C, C, K)`` drawn from one scheme of
:mod:`helpers.init_schemes`. The backward pass starts from a fixed random upstream gradient
``g = dLoss/dh_D`` (the loss is ``sum(h_D * g)``) and returns ``dLoss/dh_l`` for every layer.

Why some schemes keep the statistics stable: for zero-mean weights independent of the input,
``E[z_{l+1}^2] = fan_in * Var(w) * E[h_l^2]`` and a ReLU keeps half of a symmetric ``z``'s
second moment, so each layer multiplies the RMS of the signal by about
``sqrt(fan_in * Var(w) / 2)`` (:func:`predicted_factor`); the backward pass multiplies the
gradient's by ``sqrt(fan_out * Var(w) / 2)``. He's ``Var(w) = 2 / fan_in`` makes the factor 1.

The prediction is about the **root mean square** ``sqrt(E[h^2])``, not the standard deviation:
a ReLU's output is never negative, so its mean is positive and ``std^2 = RMS^2 - mean^2`` is
smaller (for a Gaussian ``z``, ``std / RMS = sqrt(1 - 1/pi) = 0.83``). Both are recorded.
It is also an average over random weights: one narrow network (32 channels here) is one draw,
and :func:`precompute` therefore pools several networks.

Speed: a ReLU network without bias is positively homogeneous, ``ReLU(c z) = c ReLU(z)`` for
``c > 0``. Multiplying every weight by a ``gain`` therefore multiplies ``h_l`` exactly by
``gain**l`` and ``dLoss/dh_l`` (for a stack of depth ``D``) by ``gain**(D - l)``.
:func:`precompute` runs each scheme once at gain 1 up to the largest depth and
:func:`stats_at` rescales, so a slider redraw does no convolution at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator, NullLocator

from .. import layers, plots
from .._validate import as_float_array, as_int, as_real
from ..init import SCHEMES, as_rng, fans, sample
from ..widgets import Drawing
from .init_schemes import theoretical_std

__all__ = ["STACK_SCHEMES", "StackStats", "stack_weights", "run_stack", "precompute", "stats_at",
           "predicted_factor", "measured_factor", "draw_stack", "Y_RANGE", "default_stats"]

#: the schemes compared in the lesson (every key of helpers.init.SCHEMES)
STACK_SCHEMES = tuple(SCHEMES)

_COLOURS = {name: plots.PALETTE[colour] for name, colour in [
    ("normal", "sky"), ("uniform", "orange"), ("truncated normal", "purple"), ("zeros", "black"),
    ("glorot_uniform", "green"), ("pytorch_default", "red"), ("he_normal", "blue")]}


def stack_weights(scheme: str, depth: int, channels: int = 32, kernel_size: int = 3,
                  rng=None, gain: float = 1.0) -> list[np.ndarray]:
    """``depth`` weight arrays of shape ``(channels, channels, kernel_size)`` from one scheme."""
    depth = as_int(depth, "depth", 1)
    rng = as_rng(rng)
    shape = (as_int(channels, "channels", 1), channels, as_int(kernel_size, "kernel_size", 1))
    return [sample(scheme, shape, rng=rng, gain=gain) for _ in range(depth)]


def run_stack(x, weights, upstream=None, depths=None) -> dict:
    """Forward through conv+ReLU layers, and backward from every depth in ``depths``.

    Parameters
    ----------
    x : ``(N, C, L)``, the input signal
    weights : list of ``(C, C, K)`` arrays (odd K: "same" padding ``(K-1)//2``)
    upstream : ``(N, C, L)``, the gradient ``dLoss/dh_D`` to start each backward pass from
        (default: all ones)
    depths : stack depths ``D`` to run the backward pass for (default: only ``len(weights)``)

    Returns
    -------
    ``{"act_rms": (len(weights),) array, root mean square of h_1 .. h_D,
       "act_mean": (len(weights),), mean of h_1 .. h_D, "act_std": (len(weights),), their std,
       "grad_rms": {D: (D + 1,) array, RMS of dLoss/dh_0 .. dLoss/dh_D}}``
    """
    x = as_float_array(x, "x", ndim=3, shape_hint="(N, C, L)")
    if not weights:
        raise ValueError("weights is empty: pass at least one (C, C, K) array.")
    upstream = np.ones_like(x) if upstream is None else as_float_array(upstream, "upstream", ndim=3)
    depths = [len(weights)] if depths is None else [as_int(d, "depth", 1) for d in depths]
    if max(depths) > len(weights):
        raise ValueError(f"depths go up to {max(depths)} but only {len(weights)} weight arrays were given.")
    h, caches, act_rms, act_mean, act_std = x, [], [], [], []
    for w in weights:
        pad = (w.shape[-1] - 1) // 2
        z, conv_cache = layers.conv1d_forward(h, w, padding=pad)
        h, relu_cache = layers.relu_forward(z)
        caches.append((conv_cache, relu_cache))
        act_rms.append(_rms(h))
        act_mean.append(float(h.mean()))
        act_std.append(float(h.std()))
    grad_rms = {}
    for depth in depths:
        g = upstream
        sizes = [_rms(g)]
        for conv_cache, relu_cache in reversed(caches[:depth]):
            dz = layers.relu_backward(g, relu_cache)
            g, _, _ = layers.conv1d_backward(dz, conv_cache)
            sizes.append(_rms(g))
        grad_rms[depth] = np.array(sizes[::-1])          # index l = dLoss/dh_l
    return {"act_rms": np.array(act_rms), "act_mean": np.array(act_mean), "act_std": np.array(act_std),
            "grad_rms": grad_rms}


def _rms(a) -> float:
    return float(np.sqrt(np.mean(np.square(a))))


@dataclass
class StackStats:
    """Per-layer statistics of every scheme at gain 1 (see :func:`precompute`).

    ``act_rms[scheme]`` is ``(max_depth,)``: the root mean square of ``h_1 .. h_D`` pooled over
    the networks (the root of the mean of the mean squares); ``act_rms_each[scheme]`` is
    ``(networks, max_depth)``, one row per network. ``act_mean`` and ``act_std`` are the pooled
    mean and std of the same activations (``std^2 = RMS^2 - mean^2``). ``grad_rms[scheme][D]``
    is ``(D + 1,)``, the pooled RMS of ``dLoss/dh_0 .. dLoss/dh_D`` for a stack of depth ``D``.
    """

    max_depth: int
    depth_step: int
    channels: int
    kernel_size: int
    networks: int
    input_rms: float
    act_rms: dict = field(default_factory=dict)
    act_rms_each: dict = field(default_factory=dict)
    act_mean: dict = field(default_factory=dict)
    act_std: dict = field(default_factory=dict)
    grad_rms: dict = field(default_factory=dict)

    @property
    def depths(self) -> list[int]:
        return list(range(self.depth_step, self.max_depth + 1, self.depth_step))


def precompute(max_depth: int = 50, depth_step: int = 10, channels: int = 32, kernel_size: int = 3,
               networks: int = 4, batch: int = 2, length: int = 32, seed: int = 0,
               schemes=STACK_SCHEMES) -> StackStats:
    """Run every scheme at gain 1 up to ``max_depth`` layers, backward for each depth step.

    Each scheme draws ``networks`` independent stacks (a single narrow network's statistics
    wander from layer to layer: its weights are one random draw), all fed the same standard
    normal input ``(batch, channels, length)`` and upstream gradient. Statistics are pooled over
    the networks. Seeded: the numbers repeat.
    """
    max_depth, depth_step = as_int(max_depth, "max_depth", 1), as_int(depth_step, "depth_step", 1)
    networks = as_int(networks, "networks", 1)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, channels, length))
    upstream = rng.normal(size=(batch, channels, length))
    stats = StackStats(max_depth, depth_step, channels, kernel_size, networks, _rms(x))
    depths = list(range(depth_step, max_depth + 1, depth_step))
    for name in schemes:
        weight_rng = np.random.default_rng(seed + 1)
        runs = [run_stack(x, stack_weights(name, max_depth, channels, kernel_size, rng=weight_rng),
                          upstream, depths) for _ in range(networks)]
        each = np.array([r["act_rms"] for r in runs])
        stats.act_rms_each[name] = each
        stats.act_rms[name] = np.sqrt(np.mean(each ** 2, axis=0))
        stats.act_mean[name] = np.mean([r["act_mean"] for r in runs], axis=0)
        # pooled variance around the pooled mean: mean square minus the squared mean
        stats.act_std[name] = np.sqrt(np.maximum(stats.act_rms[name] ** 2 - stats.act_mean[name] ** 2, 0.0))
        stats.grad_rms[name] = {d: np.sqrt(np.mean([r["grad_rms"][d] ** 2 for r in runs], axis=0))
                                for d in depths}
    return stats


_DEFAULT: StackStats | None = None


def default_stats() -> StackStats:
    """The lesson's precomputed statistics (computed once per session, about a second)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = precompute()
    return _DEFAULT


def stats_at(stats: StackStats, scheme: str, gain: float, depth: int) -> tuple[np.ndarray, np.ndarray]:
    """``(act_rms, grad_rms)`` for ``scheme`` at any ``gain`` and a precomputed ``depth``.

    ``act_rms`` has ``depth`` entries (layers 1..D), ``grad_rms`` has ``depth + 1`` (dL/dh_0 ..
    dL/dh_D): the gain-1 numbers times ``gain**l`` and ``gain**(D - l)`` (exact, by homogeneity).
    """
    if scheme not in stats.act_rms:
        raise ValueError(f"unknown scheme {scheme!r}; precomputed: {', '.join(stats.act_rms)}.")
    depth = as_int(depth, "depth", 1)
    if depth not in stats.grad_rms[scheme]:
        raise ValueError(f"depth {depth} was not precomputed: choose a multiple of {stats.depth_step} "
                         f"up to {stats.max_depth}.")
    gain = as_real(gain, "gain", "1.0", positive=True)
    layer = np.arange(1, depth + 1)
    act = stats.act_rms[scheme][:depth] * float(gain) ** layer
    grad = stats.grad_rms[scheme][depth] * float(gain) ** (depth - np.arange(depth + 1))
    return act, grad


def predicted_factor(scheme: str, channels: int = 32, kernel_size: int = 3, gain: float = 1.0) -> float:
    """Predicted per-layer multiplier of the signal's RMS: ``sqrt(fan_in * Var(w) / 2)``."""
    fan_in, _ = fans((channels, channels, kernel_size))
    return math.sqrt(fan_in / 2.0) * theoretical_std(scheme, (channels, channels, kernel_size), gain)


def measured_factor(sizes) -> float:
    """Geometric mean of ``sizes[l+1] / sizes[l]``: the average per-layer multiplier (0 if dead).

    Pass the input's size first (``[input_rms, *act_rms]``) to include the first layer."""
    a = np.asarray(sizes, dtype=float)
    if a.size < 2 or np.any(a <= 0):
        return 0.0
    return float(np.exp(np.mean(np.diff(np.log(a)))))


_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")


def _power_of_ten_label(value, _pos=None) -> str:
    """A log-axis tick label such as ``10\u207b\u00b2`` in plain text.

    Matplotlib's default labels are mathtext (``$10^{-2}$``), parsed again at every draw;
    Unicode superscripts look almost the same and are cheap to draw.
    """
    if value <= 0:
        return ""
    exponent = round(math.log10(value))
    if not math.isclose(value, 10.0 ** exponent, rel_tol=1e-9):
        return f"{value:g}"
    return "10" + str(exponent).translate(_SUPERSCRIPT)


def _curves(gain, depth, stats, schemes) -> dict:
    stats = default_stats() if stats is None else stats
    schemes = list(stats.act_rms) if schemes is None else list(schemes)
    return {name: stats_at(stats, name, gain, depth) for name in schemes}   # validates


#: The y range of both panels of :data:`draw_stack`, fixed for every gain and depth.
Y_RANGE = (1e-30, 1e20)


def _build_stack(fig, gain: float = 1.0, depth: int = 30, stats: StackStats | None = None,
                 schemes=None) -> dict:
    curves = _curves(gain, depth, stats, schemes)
    state = {"forward": {}, "backward": {}, "axes": (fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2))}
    ax_f, ax_b = state["axes"]
    for name, (act, _) in curves.items():
        if not np.any(act > 0):     # zeros: exactly 0, which a log axis cannot show
            ax_f.plot([], [], color=_COLOURS.get(name, "gray"), label=f"{name}: 0 at every layer")
            continue
        (state["forward"][name],) = ax_f.plot([], [], color=_COLOURS.get(name), label=name)
        (state["backward"][name],) = ax_b.plot([], [], color=_COLOURS.get(name), label=name)
    for ax, what in ((ax_f, "activations h_l"), (ax_b, "gradients dL/dh_l")):
        ax.set_yscale("log")
        # A fixed y range: dragging the gain tilts the lines against steady axes (a curve
        # that leaves it has vanished below 10^-30 or exploded beyond 10^20).
        ax.set_ylim(*Y_RANGE)
        ax.yaxis.set_major_locator(FixedLocator(10.0 ** np.arange(-30, 21, 10)))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_major_formatter(FuncFormatter(_power_of_ten_label))
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10], integer=True))
        ax.axhline(1.0, color="gray", linewidth=0.8, linestyle="--")
        ax.set_xlabel("layer l")
        ax.set_ylabel(f"RMS of {what}")
    ax_f.legend(fontsize=7, loc="lower left")
    return state


def _update_stack(state: dict, gain: float = 1.0, depth: int = 30, stats: StackStats | None = None,
                  schemes=None) -> None:
    curves = _curves(gain, depth, stats, schemes)
    for name, line in state["forward"].items():
        line.set_data(np.arange(1, depth + 1), curves[name][0])
    for name, line in state["backward"].items():
        line.set_data(np.arange(depth + 1), curves[name][1])
    titles = (f"Forward: RMS after each conv+ReLU (gain {gain:.2f})",
              f"Backward through {depth} layers (gain {gain:.2f})")
    for ax, title in zip(state["axes"], titles):
        ax.set_xlim(0, depth)
        ax.set_title(title, fontsize=10)


#: Slider figure ``draw_stack(fig, gain=1.0, depth=30, stats=None, schemes=None)``: two
#: log-scale panels, the RMS of the activations ``h_l`` and of the gradients ``dL/dh_l``, on
#: fixed axes (``Y_RANGE``, layers 0 to ``depth``). Reads only precomputed numbers (``stats``,
#: fast). ``zeros`` gives exactly 0 everywhere, which a log axis cannot show: it is named in
#: the legend instead.
draw_stack = Drawing(_build_stack, _update_stack)
