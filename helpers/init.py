"""Weight initialisation schemes for convolution (and dense) layers.

A conv kernel of shape ``(C_out, C_in, *kernel_size)`` connects each output to
``fan_in = C_in * prod(kernel_size)`` inputs, and each input feeds
``fan_out = C_out * prod(kernel_size)`` outputs. A dense weight ``(out, in)`` has
``fan_in = in`` and ``fan_out = out`` (PyTorch's layout).

Every sampler takes ``(shape, rng=None)`` and returns a float64 array of that shape.
``rng`` may be a ``numpy.random.Generator``, an int seed, or None (fresh entropy;
lessons always pass a seeded generator so their numbers repeat).

=================  ==========================================  ==============================
scheme             distribution                                default of
=================  ==========================================  ==============================
glorot_uniform     U(-a, a), a = sqrt(6 / (fan_in + fan_out))  Keras / TensorFlow conv & dense
glorot_normal      N(0, 2 / (fan_in + fan_out))                (PyTorch ``xavier_normal_``)
he_uniform         U(-a, a), a = sqrt(6 / fan_in)              (PyTorch ``kaiming_uniform_``)
he_normal          N(0, 2 / fan_in)                            (PyTorch ``kaiming_normal_``)
pytorch_default    U(-a, a), a = 1 / sqrt(fan_in)              PyTorch ``nn.Conv*d``/``Linear``
=================  ==========================================  ==============================

The plain schemes a framework also offers, with Keras' default arguments (whatever the
layer's size): ``random_normal`` N(0, 0.05**2) (``RandomNormal()``), ``random_uniform``
U(-0.05, 0.05) (``RandomUniform()``), ``truncated_normal`` N(0, 0.05**2) redrawn beyond
2 std (``TruncatedNormal()``), ``constant`` (``Constant``/``Zeros()``).

:data:`SCHEMES` is the one registry of the course: name -> sampler
``(shape, rng=None, gain=1.0) -> array``, where ``gain`` multiplies the weights;
:func:`sample` draws by name. Lesson 04 compares them, lessons 04 and 06 train with them.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ._validate import as_int, as_real

__all__ = ["fans", "glorot_limit", "glorot_uniform", "glorot_normal", "he_uniform", "he_normal",
           "pytorch_default", "pytorch_default_bias", "as_rng", "TRUNCATION_STD_FACTOR", "random_normal",
           "random_uniform", "truncated_normal", "constant", "SCHEMES", "sample"]


def as_rng(rng=None) -> np.random.Generator:
    """Turn ``rng`` (a Generator, an int seed or None) into a ``numpy.random.Generator``."""
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be a numpy.random.Generator, an int seed or None, got "
                    f"{type(rng).__name__}; for example rng=np.random.default_rng(0).")


def _check_shape(shape) -> tuple[int, ...]:
    if isinstance(shape, numbers.Integral) or not hasattr(shape, "__len__"):
        raise TypeError(f"shape must be a tuple such as (C_out, C_in, KH, KW) or "
                        f"(out_features, in_features), got {shape!r}.")
    if len(shape) < 2:
        raise ValueError(f"shape must have at least 2 entries (C_out, C_in, *kernel_size), "
                         f"got {tuple(shape)!r}; a bias has no fans.")
    return tuple(as_int(s, f"shape[{i}]", 1) for i, s in enumerate(shape))


def fans(shape) -> tuple[int, int]:
    """``(fan_in, fan_out)`` of a weight of shape ``(C_out, C_in, *kernel_size)``.

    ``fan_in = C_in * prod(kernel_size)``, ``fan_out = C_out * prod(kernel_size)``.
    Example: ``fans((32, 1, 3, 3)) == (9, 288)``.
    """
    shape = _check_shape(shape)
    receptive_field = math.prod(shape[2:])
    return shape[1] * receptive_field, shape[0] * receptive_field


def glorot_limit(shape) -> float:
    """``sqrt(6 / (fan_in + fan_out))``: the bound of Glorot-uniform (Keras' default) for ``shape``."""
    fan_in, fan_out = fans(shape)
    return math.sqrt(6.0 / (fan_in + fan_out))


def glorot_uniform(shape, rng=None) -> np.ndarray:
    """Glorot/Xavier uniform: ``U(-a, a)`` with ``a = sqrt(6 / (fan_in + fan_out))``.

    Variance ``a**2 / 3 = 2 / (fan_in + fan_out)``. The default ``kernel_initializer`` of
    Keras/TensorFlow ``Conv1D``/``Conv2D``/``Dense`` (with zero biases). Glorot & Bengio (2010).
    """
    limit = glorot_limit(shape)
    return as_rng(rng).uniform(-limit, limit, size=_check_shape(shape))


def glorot_normal(shape, rng=None) -> np.ndarray:
    """Glorot/Xavier normal: ``N(0, std**2)`` with ``std = sqrt(2 / (fan_in + fan_out))``.

    The same variance as :func:`glorot_uniform`. This is PyTorch's ``xavier_normal_``;
    Keras' ``GlorotNormal`` instead draws from a normal *truncated* at two standard
    deviations, rescaled so the variance is still ``2 / (fan_in + fan_out)``.
    """
    fan_in, fan_out = fans(shape)
    std = math.sqrt(2.0 / (fan_in + fan_out))
    return as_rng(rng).normal(0.0, std, size=_check_shape(shape))


def he_uniform(shape, rng=None) -> np.ndarray:
    """He/Kaiming uniform: ``U(-a, a)`` with ``a = sqrt(6 / fan_in)``; variance ``2 / fan_in``.

    Made for ReLU networks (He et al. 2015). PyTorch's ``kaiming_uniform_`` with its
    ReLU gain; not any framework's default for conv layers.
    """
    fan_in, _ = fans(shape)
    limit = math.sqrt(6.0 / fan_in)
    return as_rng(rng).uniform(-limit, limit, size=_check_shape(shape))


def he_normal(shape, rng=None) -> np.ndarray:
    """He/Kaiming normal: ``N(0, 2 / fan_in)`` (He et al. 2015).

    PyTorch's ``kaiming_normal_`` (mode fan_in, ReLU gain). Keras' ``HeNormal`` truncates
    at two standard deviations and rescales to the same variance.
    """
    fan_in, _ = fans(shape)
    return as_rng(rng).normal(0.0, math.sqrt(2.0 / fan_in), size=_check_shape(shape))


def pytorch_default(shape, rng=None) -> np.ndarray:
    """PyTorch's default for ``nn.Conv1d``/``Conv2d``/``Linear`` weights: ``U(-a, a)``, ``a = 1/sqrt(fan_in)``.

    PyTorch writes it as ``kaiming_uniform_(w, a=sqrt(5))``: the "a" there is a leaky-ReLU
    slope, giving gain ``sqrt(2 / (1 + 5)) = sqrt(1/3)`` and bound
    ``gain * sqrt(3 / fan_in) = 1 / sqrt(fan_in)``. Variance ``1 / (3 * fan_in)``: six times
    smaller than He's ``2 / fan_in``, so despite the name it is not He initialisation.
    """
    fan_in, _ = fans(shape)
    limit = 1.0 / math.sqrt(fan_in)
    return as_rng(rng).uniform(-limit, limit, size=_check_shape(shape))


def pytorch_default_bias(shape, rng=None) -> np.ndarray:
    """PyTorch's default bias for the weight ``shape``: ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``, shape ``(C_out,)``."""
    fan_in, _ = fans(shape)
    limit = 1.0 / math.sqrt(fan_in)
    return as_rng(rng).uniform(-limit, limit, size=(_check_shape(shape)[0],))


# --------------------------------------------------------------------------- the plain schemes
def _truncation_factor(cut: float = 2.0) -> float:
    """Std of a standard normal truncated to [-cut, cut]: sqrt(1 - 2 cut phi(cut) / (2 Phi(cut) - 1))."""
    phi = math.exp(-0.5 * cut * cut) / math.sqrt(2 * math.pi)
    mass = math.erf(cut / math.sqrt(2.0))                # P(|Z| < cut) = 2 Phi(cut) - 1
    return math.sqrt(1.0 - 2.0 * cut * phi / mass)


#: Standard deviation of N(0, 1) truncated to [-2, 2] (about 0.8796): a truncated normal of
#: parameter ``std`` has the smaller standard deviation ``std * TRUNCATION_STD_FACTOR``.
TRUNCATION_STD_FACTOR = _truncation_factor(2.0)


def _gain(gain) -> float:
    return as_real(gain, "gain", "1.0", minimum=0.0)


def random_normal(shape, rng=None, gain=1.0, std=0.05) -> np.ndarray:
    """Keras ``RandomNormal()``: ``N(0, std**2)``, ``std = 0.05`` whatever the layer's size."""
    return _gain(gain) * as_rng(rng).normal(0.0, std, size=_check_shape(shape))


def random_uniform(shape, rng=None, gain=1.0, limit=0.05) -> np.ndarray:
    """Keras ``RandomUniform()``: ``U(-limit, limit)``, ``limit = 0.05`` (std ``limit / sqrt(3)``)."""
    return _gain(gain) * as_rng(rng).uniform(-limit, limit, size=_check_shape(shape))


def truncated_normal(shape, rng=None, gain=1.0, std=0.05) -> np.ndarray:
    """Keras ``TruncatedNormal()``: ``N(0, std**2)`` with values beyond ``2 * std`` redrawn.

    The result's standard deviation is ``std * TRUNCATION_STD_FACTOR``, about ``0.88 * std``
    (Keras' fan-based truncated schemes divide by that factor; ``TruncatedNormal`` does not).
    """
    rng = as_rng(rng)
    out = rng.normal(0.0, std, size=_check_shape(shape))
    bad = np.abs(out) > 2 * std
    while bad.any():                                     # redraw, as Keras documents
        out[bad] = rng.normal(0.0, std, size=int(bad.sum()))
        bad = np.abs(out) > 2 * std
    return _gain(gain) * out


def constant(shape, rng=None, gain=1.0, value=0.0) -> np.ndarray:
    """Keras ``Constant(value)`` / ``Zeros()``: every weight equal (``rng`` is ignored)."""
    return _gain(gain) * np.full(_check_shape(shape), float(value))


def _with_gain(fn):
    return lambda shape, rng=None, gain=1.0: _gain(gain) * fn(shape, rng=rng)


#: name -> sampler ``(shape, rng=None, gain=1.0) -> array``: every scheme the course uses
SCHEMES = {
    "normal": random_normal,
    "uniform": random_uniform,
    "truncated normal": truncated_normal,
    "zeros": constant,
    "glorot_uniform": _with_gain(glorot_uniform),
    "pytorch_default": _with_gain(pytorch_default),
    "he_normal": _with_gain(he_normal),
}


def sample(name: str, shape, rng=None, gain=1.0) -> np.ndarray:
    """Draw weights of ``shape`` with the scheme called ``name`` (a key of :data:`SCHEMES`)."""
    if name not in SCHEMES:
        raise ValueError(f"unknown scheme {name!r}; choose one of {', '.join(map(repr, SCHEMES))}.")
    return SCHEMES[name](shape, rng=rng, gain=gain)
