"""Initialisation schemes side by side: the plain ones, the framework defaults, their statistics.

Lesson 04's first concept module. The schemes themselves are core: :data:`helpers.init.SCHEMES`
(one registry; :func:`helpers.init.sample` draws by name). This module adds what the lesson
compares: the standard deviation each scheme is designed to have, the framework constants
behind PyTorch's default, and histograms.

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
"""

from __future__ import annotations

import math

import numpy as np

from .. import plots
from .._validate import as_float_array, as_real
from ..init import TRUNCATION_STD_FACTOR, fans

__all__ = ["theoretical_std", "describe", "leaky_relu_gain", "kaiming_uniform_bound", "plot_histograms"]


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
    gain = as_real(gain, "gain", "1.0", minimum=0.0)
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
