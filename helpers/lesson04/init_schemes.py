"""Initialisation schemes side by side: the plain ones, the framework defaults, their statistics.

Lesson 04's first concept module. :mod:`helpers.init` has the fan-based schemes (Glorot, He,
PyTorch's default); this module adds the plain ones a framework also offers, with Keras'
default arguments, and puts every scheme behind one name so the lesson can compare them:

==========================  ===============================================  =====================
name                        distribution                                     Keras / PyTorch name
==========================  ===============================================  =====================
``normal``                  N(0, 0.05**2)                                    ``RandomNormal()``
``uniform``                 U(-0.05, 0.05)                                   ``RandomUniform()``
``truncated normal``        N(0, 0.05**2), redrawn beyond 2 std              ``TruncatedNormal()``
``zeros``                   every weight 0                                   ``Zeros()``
``glorot_uniform``          U(-a, a), a = sqrt(6 / (fan_in + fan_out))       Keras default
``pytorch_default``         U(-b, b), b = 1 / sqrt(fan_in)                   PyTorch default
``he_normal``               N(0, 2 / fan_in)                                 ``HeNormal`` (untruncated here)
==========================  ===============================================  =====================

A truncated normal of parameter ``std`` has a *smaller* standard deviation than ``std``:
``std * TRUNCATION_STD_FACTOR`` (about 0.88) when cut at two standard deviations.
Keras' fan-based truncated schemes divide by that factor to compensate; ``TruncatedNormal`` does not.

Every sampler takes ``(shape, rng=None, gain=1.0)``: ``gain`` multiplies the weights (and so the
standard deviation). Shapes are PyTorch's ``(C_out, C_in, *kernel_size)``.
"""

from __future__ import annotations

import math

import numpy as np

from .. import init, plots
from .._validate import as_float_array
from ..init import as_rng, fans

__all__ = ["TRUNCATION_STD_FACTOR", "random_normal", "random_uniform", "truncated_normal",
           "constant", "SCHEMES", "sample", "theoretical_std", "describe", "leaky_relu_gain",
           "kaiming_uniform_bound", "glorot_limit", "plot_histograms"]


def _phi(z: float) -> float:
    return math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi)


def _truncation_factor(cut: float = 2.0) -> float:
    """Std of a standard normal truncated to [-cut, cut]: sqrt(1 - 2 cut phi(cut) / (2 Phi(cut) - 1))."""
    mass = math.erf(cut / math.sqrt(2.0))                # P(|Z| < cut) = 2 Phi(cut) - 1
    return math.sqrt(1.0 - 2.0 * cut * _phi(cut) / mass)


#: Standard deviation of N(0, 1) truncated to [-2, 2] (about 0.8796).
TRUNCATION_STD_FACTOR = _truncation_factor(2.0)


def _shape(shape) -> tuple[int, ...]:
    fans(shape)                       # validates: at least 2 positive whole entries
    return tuple(int(s) for s in shape)


def _gain(gain) -> float:
    if isinstance(gain, bool) or not isinstance(gain, (int, float, np.floating, np.integer)) \
            or not math.isfinite(gain) or gain < 0:
        raise ValueError(f"gain must be a finite number >= 0, got {gain!r}; for example gain=1.0.")
    return float(gain)


def random_normal(shape, rng=None, gain=1.0, std=0.05) -> np.ndarray:
    """Keras ``RandomNormal()``: ``N(0, std**2)``, ``std = 0.05`` whatever the layer's size."""
    return _gain(gain) * as_rng(rng).normal(0.0, std, size=_shape(shape))


def random_uniform(shape, rng=None, gain=1.0, limit=0.05) -> np.ndarray:
    """Keras ``RandomUniform()``: ``U(-limit, limit)``, ``limit = 0.05`` (std ``limit / sqrt(3)``)."""
    return _gain(gain) * as_rng(rng).uniform(-limit, limit, size=_shape(shape))


def truncated_normal(shape, rng=None, gain=1.0, std=0.05) -> np.ndarray:
    """Keras ``TruncatedNormal()``: ``N(0, std**2)`` with values beyond ``2 * std`` redrawn.

    The result's standard deviation is ``std * TRUNCATION_STD_FACTOR``, about ``0.88 * std``.
    """
    rng = as_rng(rng)
    shape = _shape(shape)
    out = rng.normal(0.0, std, size=shape)
    bad = np.abs(out) > 2 * std
    while bad.any():                                     # redraw, as Keras documents
        out[bad] = rng.normal(0.0, std, size=int(bad.sum()))
        bad = np.abs(out) > 2 * std
    return _gain(gain) * out


def constant(shape, rng=None, gain=1.0, value=0.0) -> np.ndarray:
    """Keras ``Constant(value)`` / ``Zeros()``: every weight equal (``rng`` is ignored)."""
    return _gain(gain) * np.full(_shape(shape), float(value))


def _from_init(fn):
    return lambda shape, rng=None, gain=1.0: _gain(gain) * fn(_shape(shape), rng=as_rng(rng))


#: name -> sampler ``(shape, rng=None, gain=1.0) -> array``
SCHEMES = {
    "normal": random_normal,
    "uniform": random_uniform,
    "truncated normal": truncated_normal,
    "zeros": constant,
    "glorot_uniform": _from_init(init.glorot_uniform),
    "pytorch_default": _from_init(init.pytorch_default),
    "he_normal": _from_init(init.he_normal),
}


def sample(name: str, shape, rng=None, gain=1.0) -> np.ndarray:
    """Draw weights of ``shape`` with the scheme called ``name`` (a key of :data:`SCHEMES`)."""
    if name not in SCHEMES:
        raise ValueError(f"unknown scheme {name!r}; choose one of {', '.join(map(repr, SCHEMES))}.")
    return SCHEMES[name](shape, rng=rng, gain=gain)


def glorot_limit(shape) -> float:
    """``sqrt(6 / (fan_in + fan_out))``: the bound of Keras' ``glorot_uniform`` for ``shape``."""
    fan_in, fan_out = fans(shape)
    return math.sqrt(6.0 / (fan_in + fan_out))


def leaky_relu_gain(a: float) -> float:
    """PyTorch's ``calculate_gain('leaky_relu', a) = sqrt(2 / (1 + a**2))``."""
    return math.sqrt(2.0 / (1.0 + float(a) ** 2))


def kaiming_uniform_bound(fan_in: int, a: float = 0.0) -> float:
    """Bound of PyTorch's ``kaiming_uniform_(w, a)``: ``gain(a) * sqrt(3 / fan_in)``.

    ``a = 0`` is He's ReLU initialisation (``sqrt(6 / fan_in)``); ``a = sqrt(5)``, PyTorch's
    default for conv layers, gives ``1 / sqrt(fan_in)``.
    """
    return leaky_relu_gain(a) * math.sqrt(3.0 / fan_in)


def theoretical_std(name: str, shape, gain=1.0) -> float:
    """The standard deviation the scheme ``name`` is designed to have for ``shape``."""
    fan_in, fan_out = fans(shape)
    gain = _gain(gain)
    table = {
        "normal": 0.05,
        "uniform": 0.05 / math.sqrt(3.0),
        "truncated normal": 0.05 * TRUNCATION_STD_FACTOR,
        "zeros": 0.0,
        "glorot_uniform": math.sqrt(2.0 / (fan_in + fan_out)),
        "pytorch_default": 1.0 / math.sqrt(3.0 * fan_in),
        "he_normal": math.sqrt(2.0 / fan_in),
    }
    if name not in table:
        raise ValueError(f"unknown scheme {name!r}; choose one of {', '.join(map(repr, table))}.")
    return gain * table[name]


def describe(weights) -> dict:
    """``{"mean", "std", "min", "max", "abs_max"}`` of an array of weights (floats)."""
    w = as_float_array(weights, "weights")
    return {"mean": float(w.mean()), "std": float(w.std()), "min": float(w.min()),
            "max": float(w.max()), "abs_max": float(np.abs(w).max())}


def plot_histograms(axes, samples: dict, bins: int = 60, xlim: float | None = None) -> None:
    """One histogram per scheme: ``samples`` maps a name to an array of weights.

    ``axes`` is a sequence at least as long as ``samples``; a common x range (``xlim``, default
    the largest absolute weight) makes the widths comparable.
    """
    lim = xlim or max(float(np.abs(v).max()) for v in samples.values()) or 1.0
    for ax, (name, w) in zip(axes, samples.items()):
        w = np.ravel(w)
        if np.ptp(w) == 0:
            ax.axvline(float(w[0]), color=plots.PALETTE["red"], linewidth=3)
            ax.set_ylim(0, 1)
        else:
            ax.hist(w, bins=np.linspace(-lim, lim, bins + 1), density=True, color=plots.PALETTE["blue"])
        ax.set_xlim(-lim, lim)
        ax.set_title(f"{name}\nstd {w.std():.4f}", fontsize=9)
        ax.set_xlabel("weight value")
        ax.set_ylabel("density")
