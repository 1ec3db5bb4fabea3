"""Checks for lesson 04 (Initialization)."""

from __future__ import annotations

import math

import numpy as np

from ..feedback import Feedback, compare_number, run_check

__all__ = ["exercise_glorot_limit", "exercise_he_uniform_limit", "exercise_layer_factor",
           "exercise_design_init"]

_SHAPES = [(32, 1, 3, 3), (64, 32, 3, 3), (16, 3, 5, 5), (8, 4, 7), (10, 20)]


def _fans(shape):
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def _close(a, b):
    return abs(a - b) <= 1e-9 + 1e-6 * abs(b)


def exercise_glorot_limit(glorot_limit) -> Feedback:
    """Exercise 04.1: ``glorot_limit(shape)`` is Keras' glorot_uniform bound for a weight shape."""
    def grade():
        for shape in _SHAPES:
            got = glorot_limit(shape)
            if got is None:
                return "your function returned None: did you forget `return`?"
            try:
                value = float(got)
            except (TypeError, ValueError):
                return f"glorot_limit({shape}) returned {got!r}; return one number, the bound a."
            fan_in, fan_out = _fans(shape)
            want = math.sqrt(6.0 / (fan_in + fan_out))
            if _close(value, want):
                continue
            call = f"glorot_limit({shape}) = {value:.5g}"
            if _close(value, 6.0 / (fan_in + fan_out)):
                return (f"{call}: that is 6 / (fan_in + fan_out) without the square root, the "
                        f"formula printed in seed 002. The bound is sqrt(6 / (fan_in + fan_out)) = {want:.5g}.")
            if len(shape) > 2 and _close(value, math.sqrt(6.0 / (shape[0] + shape[1]))):
                return (f"{call}: you used the channel counts {shape[1]} and {shape[0]} as fans. Each "
                        f"output reads C_in * KH * KW inputs: multiply both fans by the kernel area "
                        f"{math.prod(shape[2:])}.")
            if _close(value, math.sqrt(6.0 / fan_in)):
                return f"{call}: that is He's uniform bound (fan_in only). Glorot uses fan_in + fan_out."
            if _close(value, math.sqrt(2.0 / (fan_in + fan_out))):
                return (f"{call}: that is the standard deviation, not the bound. U(-a, a) has std "
                        f"a / sqrt(3), so a = sqrt(3) * std = sqrt(6 / (fan_in + fan_out)).")
            return f"{call}, expected {want:.5g}."
        return None
    return run_check("Exercise 04.1 (the glorot_uniform bound)", grade)


def exercise_he_uniform_limit(he_uniform_limit) -> Feedback:
    """Exercise 04.2: the bound ``a`` of a uniform ``U(-a, a)`` with He's variance ``2 / fan_in``."""
    def grade():
        for fan_in in (9, 27, 288, 1000):
            got = he_uniform_limit(fan_in)
            if got is None:
                return "your function returned None: did you forget `return`?"
            want = math.sqrt(6.0 / fan_in)
            hint = compare_number(got, want, f"he_uniform_limit({fan_in})")
            if hint is None:
                continue
            value = float(got)
            if _close(value, math.sqrt(2.0 / fan_in)):
                return (f"he_uniform_limit({fan_in}) = {value:.5g} is He's standard deviation. A "
                        f"uniform U(-a, a) has variance a**2 / 3: solve a**2 / 3 = 2 / fan_in.")
            if _close(value, 1.0 / math.sqrt(fan_in)):
                return (f"he_uniform_limit({fan_in}) = {value:.5g} is PyTorch's default bound, whose "
                        f"variance 1 / (3 fan_in) is six times smaller than He's.")
            if _close(value, 6.0 / fan_in):
                return f"he_uniform_limit({fan_in}) = {value:.5g}: take the square root of a**2 = 6 / fan_in."
            if _close(value, math.sqrt(3.0 / fan_in)):
                return (f"he_uniform_limit({fan_in}) = {value:.5g} gives variance 1 / fan_in; He wants "
                        f"2 / fan_in, twice that, to make up for the half a ReLU sets to zero.")
            return hint
        return None
    return run_check("Exercise 04.2 (He's uniform bound)", grade)


def exercise_layer_factor(layer_factor) -> Feedback:
    """Exercise 04.3: predicted per-layer multiplier of the signal's size through conv + ReLU."""
    def grade():
        for fan_in, std in ((96, math.sqrt(2 / 96)), (96, 0.05), (288, 0.1), (27, math.sqrt(2 / 54))):
            got = layer_factor(fan_in, std)
            if got is None:
                return "your function returned None: did you forget `return`?"
            want = math.sqrt(fan_in * std ** 2 / 2.0)
            hint = compare_number(got, want, f"layer_factor({fan_in}, {std:.4g})")
            if hint is None:
                continue
            value = float(got)
            if _close(value, math.sqrt(fan_in) * std):
                return (f"layer_factor({fan_in}, {std:.4g}) = {value:.5g}: you forgot the ReLU. It zeroes "
                        f"half of a symmetric signal, halving its mean square: divide by 2 inside the root.")
            if _close(value, want ** 2):
                return (f"layer_factor({fan_in}, {std:.4g}) = {value:.5g} multiplies the *variance*. The "
                        f"standard deviation's factor is its square root.")
            if _close(value, fan_in * std / 2.0) or _close(value, math.sqrt(fan_in * std / 2.0)):
                return f"layer_factor({fan_in}, {std:.4g}) = {value:.5g}: use the variance std**2, not std."
            return hint
        return None
    return run_check("Exercise 04.3 (the per-layer factor)", grade)


def _stack_factor(init_fn, shape, depth=20, seed=0):
    """Geometric-mean per-layer multiplier of the activations' std through conv+ReLU."""
    from ..layers import conv1d_forward
    rng = np.random.default_rng(seed)
    c, k = shape[0], shape[2]
    h = rng.normal(size=(2, c, 24))
    stds = []
    for _ in range(depth):
        w = np.asarray(init_fn(shape, rng), dtype=float)
        if w.shape != tuple(shape):
            raise _ShapeError(f"my_init({shape}, rng) returned shape {w.shape}; it must return {shape}.")
        z, _ = conv1d_forward(h, w, padding=(k - 1) // 2)
        h = np.maximum(z, 0.0)
        stds.append(float(h.std()))
    stds = np.array(stds)
    if np.any(stds == 0):
        return 0.0
    return float(np.exp(np.mean(np.diff(np.log(stds)))))


class _ShapeError(Exception):
    pass


def exercise_design_init(my_init) -> Feedback:
    """Exercise 04.4: an initialiser ``my_init(shape, rng)`` for conv layers followed by ReLU.

    Passes when (1) it returns the right shape, (2) its filters are not identical (symmetry),
    (3) the weights average about 0, and (4) a 20-layer conv+ReLU stack keeps the activations'
    std: average per-layer factor between 0.85 and 1.2, for two layer sizes.
    """
    def grade():
        rng = np.random.default_rng(11)
        for shape in ((32, 32, 3), (16, 16, 5)):
            try:
                w = my_init(shape, rng)
            except TypeError as exc:
                return f"call it as my_init(shape, rng); it failed with: {exc}"
            if w is None:
                return "your function returned None: did you forget `return`?"
            w = np.asarray(w, dtype=float)
            if w.shape != shape:
                return f"my_init({shape}, rng) returned shape {w.shape}; it must return {shape}."
            if np.allclose(w, w[:1]):
                return ("all your filters are identical: they would receive identical gradients and "
                        "stay identical forever (the symmetry shown above). Draw them at random.")
            if abs(w.mean()) > 0.2 * w.std() + 1e-12:
                return (f"your weights average {w.mean():.3g} (std {w.std():.3g}): centre them on 0, or "
                        f"every layer adds a bias-like push in one direction.")
            try:
                factor = _stack_factor(my_init, shape)
            except _ShapeError as exc:
                return str(exc)
            fan_in = shape[1] * shape[2]
            if factor < 0.85:
                glorot = math.sqrt(0.5)
                which = (" That is Glorot's factor sqrt(1/2): Glorot balances forward and backward for "
                         "a linear layer, but a ReLU halves the mean square." if abs(factor - glorot) < 0.08 else "")
                return (f"for shape {shape} the activations shrink by a factor {factor:.3f} per layer "
                        f"(after 20 layers: {factor ** 20:.2g}x).{which} Aim for a weight std near "
                        f"sqrt(2 / fan_in) = {math.sqrt(2 / fan_in):.3f}; yours is {w.std():.3f}.")
            if factor > 1.2:
                return (f"for shape {shape} the activations grow by a factor {factor:.3f} per layer "
                        f"(after 20 layers: {factor ** 20:.2g}x). Aim for a weight std near "
                        f"sqrt(2 / fan_in) = {math.sqrt(2 / fan_in):.3f}; yours is {w.std():.3f}.")
        return None
    return run_check("Exercise 04.4 (design an initialiser for conv + ReLU)", grade)
