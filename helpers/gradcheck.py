"""Numerical gradients, to check a backward pass against the definition of a derivative.

Centred differences: ``df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2h)``, with an error of
order ``h**2`` from the formula plus about ``eps * |f| / h`` from rounding. With float64 and
``h = 1e-5`` a correct backward pass agrees to a relative error near 1e-9 or better;
anything above about 1e-4 means a bug.
"""

from __future__ import annotations

import numpy as np

from ._validate import as_float_array, as_real

__all__ = ["numerical_gradient", "rel_error"]


def numerical_gradient(f, x, h: float = 1e-5) -> np.ndarray:
    """Gradient of the scalar function ``f`` at ``x`` by centred differences.

    ``f`` takes an array shaped like ``x`` and returns a number. ``x`` is not modified
    (a float64 copy is nudged one entry at a time). Returns an array of ``x``'s shape.
    Costs ``2 * x.size`` calls of ``f``: use small arrays.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of one array returning a number, got "
                        f"{type(f).__name__}; for example f=lambda w: loss(w).")
    h = as_real(h, "h", "1e-5", positive=True)
    x = as_float_array(x, "x").copy()
    grad = np.zeros_like(x)
    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)
    for i in range(flat_x.size):
        old = flat_x[i]
        flat_x[i] = old + h
        f_plus = float(f(x))
        flat_x[i] = old - h
        f_minus = float(f(x))
        flat_x[i] = old
        flat_g[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


def rel_error(a, b) -> float:
    """Relative error ``max|a - b| / max(1e-8, max(|a| + |b|))`` between two arrays.

    Scale-free: about 1e-16 for equal arrays, 1 when they have nothing in common.
    Measured against the largest entries, so a gradient entry that should be exactly 0
    does not blow the ratio up. Shapes must match.
    """
    a = as_float_array(a, "a")
    b = as_float_array(b, "b")
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}.")
    return float(np.max(np.abs(a - b)) / max(1e-8, float(np.max(np.abs(a) + np.abs(b)))))
