"""Lesson 04's checks accept right answers, reject typical wrong ones with a useful hint,
and say "not attempted" for the student stub."""
import math

import numpy as np

from helpers.lesson04 import checks as lesson04


def _stub(*args, **kwargs):
    raise NotImplementedError("Exercise: write your code here, then run the check below.")


def _fans(shape):
    # written independently of the checker: kernel area = product of the trailing dimensions
    area = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    return shape[1] * area, shape[0] * area


# ---------------------------------------------------------------- 04.1
def test_glorot_limit():
    assert lesson04.exercise_glorot_limit(lambda s: math.sqrt(6 / sum(_fans(s)))).passed is True
    fb = lesson04.exercise_glorot_limit(lambda s: 6 / sum(_fans(s)))
    assert fb.passed is False and "square root" in fb.message and "Keras Convolution2d()" in fb.message
    fb = lesson04.exercise_glorot_limit(lambda s: math.sqrt(6 / (s[0] + s[1])))
    assert fb.passed is False and "kernel area" in fb.message
    fb = lesson04.exercise_glorot_limit(lambda s: math.sqrt(6 / _fans(s)[0]))
    assert fb.passed is False and "He" in fb.message
    fb = lesson04.exercise_glorot_limit(lambda s: math.sqrt(2 / sum(_fans(s))))
    assert fb.passed is False and "standard deviation" in fb.message
    assert lesson04.exercise_glorot_limit(_stub).passed is None


# ---------------------------------------------------------------- 04.2
def test_he_uniform_limit():
    # solve a**2 / 3 = 2 / fan_in numerically (bisection), not by the closed form
    def solved(fan_in):
        lo, hi = 0.0, 10.0
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if mid ** 2 / 3 < 2 / fan_in else (lo, mid)
        return lo
    assert lesson04.exercise_he_uniform_limit(solved).passed is True
    fb = lesson04.exercise_he_uniform_limit(lambda n: math.sqrt(2 / n))
    assert fb.passed is False and "standard deviation" in fb.message
    fb = lesson04.exercise_he_uniform_limit(lambda n: 1 / math.sqrt(n))
    assert fb.passed is False and "PyTorch" in fb.message
    fb = lesson04.exercise_he_uniform_limit(lambda n: math.sqrt(3 / n))
    assert fb.passed is False and "ReLU" in fb.message
    assert lesson04.exercise_he_uniform_limit(_stub).passed is None


# ---------------------------------------------------------------- 04.3
def test_layer_factor():
    # E[ReLU(z)^2] for z ~ N(0, 1) by numerical integration (not the closed form 1/2)
    z = np.linspace(0, 40, 2_000_001)
    trapezoid = getattr(np, "trapezoid", None) or np.trapz     # numpy < 2.0 (pyproject allows 1.26)
    half = trapezoid(z ** 2 * np.exp(-z ** 2 / 2) / math.sqrt(2 * math.pi), z)
    assert lesson04.exercise_layer_factor(lambda n, s: math.sqrt(n * s * s * half)).passed is True
    fb = lesson04.exercise_layer_factor(lambda n, s: math.sqrt(n) * s)
    assert fb.passed is False and "ReLU" in fb.message
    fb = lesson04.exercise_layer_factor(lambda n, s: n * s * s / 2)
    assert fb.passed is False and "variance" in fb.message
    assert lesson04.exercise_layer_factor(_stub).passed is None


# ---------------------------------------------------------------- 04.4
def test_design_init():
    def he(shape, rng):
        return rng.normal(0, math.sqrt(2 / _fans(shape)[0]), size=shape)
    assert lesson04.exercise_design_init(he).passed is True
    fb = lesson04.exercise_design_init(lambda s, r: np.full(s, 0.1))
    assert fb.passed is False and "identical" in fb.message
    fb = lesson04.exercise_design_init(lambda s, r: r.uniform(-1, 1, size=s) * math.sqrt(6 / sum(_fans(s))))
    assert fb.passed is False and "Glorot" in fb.message
    fb = lesson04.exercise_design_init(lambda s, r: r.normal(0, 0.05, size=s))
    assert fb.passed is False and "shrink" in fb.message
    fb = lesson04.exercise_design_init(lambda s, r: 3 * he(s, r))
    assert fb.passed is False and "grow" in fb.message
    fb = lesson04.exercise_design_init(lambda s, r: np.abs(he(s, r)))
    assert fb.passed is False and "centre" in fb.message
    fb = lesson04.exercise_design_init(lambda s, r: he(s[::-1], r))
    assert fb.passed is False and "shape" in fb.message
    # He built on fan_out = C_out * K: square layers cannot tell, (8, 32, 3) can
    fb = lesson04.exercise_design_init(lambda s, r: r.normal(0, math.sqrt(2 / _fans(s)[1]), size=s))
    assert fb.passed is False and "fan_out" in fb.message and "sums C_in * K" in fb.message
    # NumPy's global random state although the prompt says rng
    fb = lesson04.exercise_design_init(lambda s, r: np.random.normal(0, math.sqrt(2 / _fans(s)[0]), size=s))
    assert fb.passed is False and "global state" in fb.message
    # a generator of its own, ignoring rng
    fb = lesson04.exercise_design_init(
        lambda s, r: np.random.default_rng(0).normal(0, math.sqrt(2 / _fans(s)[0]), size=s))
    assert fb.passed is False and "whatever rng" in fb.message
    # He's uniform version and He scaled by 1.1 are fine designs
    assert lesson04.exercise_design_init(
        lambda s, r: r.uniform(-1, 1, size=s) * math.sqrt(6 / _fans(s)[0])).passed is True
    assert lesson04.exercise_design_init(_stub).passed is None
