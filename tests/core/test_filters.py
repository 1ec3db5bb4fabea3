"""helpers.filters against scipy.ndimage and scipy.signal, and their defining properties."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import ndimage
from scipy.signal.windows import gaussian as scipy_gaussian_window

from helpers import conv, filters


def _impulse(n=9):
    x = np.zeros((n, n))
    x[n // 2, n // 2] = 1.0
    return x


@pytest.mark.parametrize("size", [1, 3, 5])
def test_box_on_an_impulse_is_scipy_uniform_filter(size):
    k = filters.box(size)
    assert k.shape == (size, size) and k.dtype == np.float64
    assert k.sum() == pytest.approx(1.0)
    image = _impulse(9)
    np.testing.assert_allclose(conv.correlate2d(image, k, "same"),
                               ndimage.uniform_filter(image, size, mode="constant"), atol=1e-15)


def test_box_is_scipy_uniform_filter():
    k = filters.box(3)
    image = np.random.default_rng(0).normal(size=(12, 12))
    np.testing.assert_allclose(conv.correlate2d(image, k, "valid"),
                               ndimage.uniform_filter(image, 3, mode="constant")[1:-1, 1:-1], atol=1e-12)


@pytest.mark.parametrize("sigma", [0.5, 1.0, 2.3])
def test_gaussian_matches_scipy_window_and_filter(sigma):
    g1 = filters.gaussian1d(sigma)
    n = 2 * math.ceil(3 * sigma) + 1
    assert g1.shape == (n,)
    ref = scipy_gaussian_window(n, sigma)
    np.testing.assert_allclose(g1, ref / ref.sum(), atol=1e-14)
    g2 = filters.gaussian(sigma)
    assert g2.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(g2, np.outer(g1, g1))
    # scipy.ndimage.gaussian_filter truncated at the same radius gives the same impulse response
    resp = ndimage.gaussian_filter(_impulse(2 * n + 1), sigma, mode="constant", truncate=(n // 2) / sigma)
    c = n  # centre of the (2n+1)-sized impulse image
    np.testing.assert_allclose(resp[c - n // 2:c + n // 2 + 1, c - n // 2:c + n // 2 + 1], g2, atol=1e-12)


def test_sobel_matches_scipy_on_a_ramp_and_sign_convention():
    ramp = np.tile(np.arange(8.0), (8, 1))             # increases to the right
    out_x = conv.correlate2d(ramp, filters.sobel("x"))
    assert np.all(out_x == 8.0)                         # (1 + 2 + 1) * 2 per unit step
    assert np.all(conv.correlate2d(ramp, filters.sobel("y")) == 0.0)
    image = np.random.default_rng(1).normal(size=(10, 11))
    np.testing.assert_allclose(conv.correlate2d(image, filters.sobel("x")), ndimage.sobel(image, axis=1)[1:-1, 1:-1], atol=1e-12)
    np.testing.assert_allclose(conv.correlate2d(image, filters.sobel("y")), ndimage.sobel(image, axis=0)[1:-1, 1:-1], atol=1e-12)


def test_laplacian_matches_scipy():
    image = np.random.default_rng(2).normal(size=(9, 9))
    np.testing.assert_allclose(conv.correlate2d(image, filters.laplacian()), ndimage.laplace(image)[1:-1, 1:-1], atol=1e-12)
    assert filters.laplacian().sum() == 0 and filters.laplacian(diagonals=True).sum() == 0
    assert filters.laplacian(diagonals=True)[1, 1] == -8


def test_gabor_formula_and_orientation():
    sigma, wavelength = 2.0, 5.0
    for theta in (0.0, math.pi / 4, math.pi / 2):
        k = filters.gabor(sigma, theta, wavelength, gamma=1.0, size=15)
        # independent evaluation of the formula at one off-centre point (row 2, column 10)
        x, y = 10 - 7, 2 - 7
        u = x * math.cos(theta) + y * math.sin(theta)
        v = -x * math.sin(theta) + y * math.cos(theta)
        assert k[2, 10] == pytest.approx(math.exp(-(u * u + v * v) / (2 * sigma ** 2)) * math.cos(2 * math.pi * u / wavelength))
    # the response to gratings is largest for the grating at the kernel's own angle
    yy, xx = np.mgrid[0:41, 0:41]
    k = filters.gabor(3.0, math.pi / 3, 6.0, size=19)
    responses = {}
    for angle in np.linspace(0, math.pi, 12, endpoint=False):
        grating = np.cos(2 * math.pi * (xx * math.cos(angle) + yy * math.sin(angle)) / 6.0)
        responses[angle] = np.abs(conv.correlate2d(grating, k)).max()
    best = max(responses, key=responses.get)
    assert abs(best - math.pi / 3) < 1e-9


@settings(max_examples=40)
@given(sigma=st.floats(0.3, 6.0))
def test_gaussian1d_properties(sigma):
    g = filters.gaussian1d(sigma)
    n = g.shape[0]
    assert n == 2 * math.ceil(3 * sigma) + 1 and g.dtype == np.float64
    assert g.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(g, g[::-1], atol=1e-15)            # symmetric
    assert np.argmax(g) == n // 2 and np.all(np.diff(g[: n // 2 + 1]) > 0)
    # its spread is sigma, up to the truncation at 3 sigma and the sampling (check on wide ones)
    if sigma >= 1.0:
        x = np.arange(n) - n // 2
        assert math.sqrt((g * x ** 2).sum()) == pytest.approx(sigma, rel=0.03)


def test_sizes_can_be_chosen():
    assert filters.gaussian(1.0, size=3).shape == (3, 3)
    assert filters.gaussian1d(2.0, size=5).sum() == pytest.approx(1.0)
    assert filters.gabor(2.0, 0.0, 4.0).shape == (25, 25)           # 2 * ceil(3 * 2 / 0.5) + 1
    assert filters.gabor(2.0, 0.0, 4.0, gamma=1.0).shape == (13, 13)


def test_peak_kernel():
    np.testing.assert_array_equal(filters.peak_kernel(), [-1.0, 1.0, -1.0])


@pytest.mark.parametrize("call,exc,words", [
    (lambda: filters.box(4), ValueError, ["size", "odd"]),
    (lambda: filters.box(0), ValueError, ["size", "positive odd"]),
    (lambda: filters.box(2.5), TypeError, ["size", "whole number"]),
    (lambda: filters.gaussian(-1.0), ValueError, ["sigma", "positive", "sigma=1.0"]),
    (lambda: filters.gaussian1d(float("nan")), ValueError, ["sigma"]),
    (lambda: filters.box(-3), ValueError, ["size", "positive odd", "size=3"]),
    (lambda: filters.gaussian(1.0, size=4), ValueError, ["size", "odd", "size=5"]),
    (lambda: filters.gaussian1d(1.0, size=True), TypeError, ["size", "whole number"]),
    (lambda: filters.gaussian1d("1"), ValueError, ["sigma", "positive"]),
    (lambda: filters.sobel("diagonal"), ValueError, ["direction", "'x' or 'y'", "direction='x'"]),
    (lambda: filters.gabor(0.0, 0.0, 4.0), ValueError, ["sigma", "positive", "sigma=2.0"]),
    (lambda: filters.gabor(2.0, 0.0, 4.0, gamma=-0.5), ValueError, ["gamma", "positive"]),
    (lambda: filters.gabor(2.0, 0.0, 4.0, phase=float("nan")), ValueError, ["phase", "finite"]),
    (lambda: filters.gabor(2.0, 0.0, 4.0, size=6), ValueError, ["size", "odd"]),
    (lambda: filters.gabor(2.0, float("inf"), 4.0), ValueError, ["theta", "finite"]),
    (lambda: filters.gabor(2.0, 0.0, 0.0), ValueError, ["wavelength", "positive"]),
    (lambda: filters.laplacian(diagonals="yes"), TypeError, ["diagonals", "True or False", "diagonals=True"]),
])
def test_bad_inputs(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for w in words:
        assert w in str(info.value)
