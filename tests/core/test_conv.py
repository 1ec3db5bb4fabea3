"""helpers.conv against references we did not write: numpy.convolve and scipy.signal."""
import numpy as np
import pytest
import scipy.signal as sps
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from helpers import conv

MODES = ["valid", "same", "full"]
floats = st.floats(-10, 10, allow_nan=False, allow_infinity=False, width=64)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("n", [1, 2, 5, 10, 17])
@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 8, 20])
def test_1d_matches_scipy_and_numpy(rng, n, k, mode):
    x, kernel = rng.normal(size=n), rng.normal(size=k)
    if mode == "valid" and k > n:
        with pytest.raises(ValueError, match="longer than the signal"):
            conv.correlate1d(x, kernel, mode)
        return
    np.testing.assert_allclose(conv.correlate1d(x, kernel, mode), sps.correlate(x, kernel, mode), atol=1e-12)
    np.testing.assert_allclose(conv.convolve1d(x, kernel, mode), sps.convolve(x, kernel, mode), atol=1e-12)
    np.testing.assert_allclose(conv.correlate1d_loop(x, kernel, mode), sps.correlate(x, kernel, mode), atol=1e-12)
    if k <= n or mode != "same":   # np.convolve's 'same' returns max(N, K) entries
        np.testing.assert_allclose(conv.convolve1d(x, kernel, mode), np.convolve(x, kernel, mode), atol=1e-12)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("image_shape", [(1, 1), (5, 5), (6, 9), (12, 7)])
@pytest.mark.parametrize("kernel_shape", [(1, 1), (2, 2), (3, 3), (2, 5), (4, 3), (6, 6)])
def test_2d_matches_scipy(rng, image_shape, kernel_shape, mode):
    image, kernel = rng.normal(size=image_shape), rng.normal(size=kernel_shape)
    if mode == "valid" and any(k > s for k, s in zip(kernel_shape, image_shape)):
        with pytest.raises(ValueError, match="does not fit inside the image"):
            conv.correlate2d(image, kernel, mode)
        return
    want_corr = sps.correlate2d(image, kernel, mode)
    np.testing.assert_allclose(conv.correlate2d(image, kernel, mode), want_corr, atol=1e-12)
    np.testing.assert_allclose(conv.correlate2d_loop(image, kernel, mode), want_corr, atol=1e-12)
    np.testing.assert_allclose(conv.convolve2d(image, kernel, mode), sps.convolve2d(image, kernel, mode), atol=1e-12)


def test_loop_and_fast_agree_on_a_photo_sized_image(rng):
    image, kernel = rng.normal(size=(40, 33)), rng.normal(size=(5, 4))
    for mode in MODES:
        np.testing.assert_allclose(conv.correlate2d_loop(image, kernel, mode),
                                   conv.correlate2d(image, kernel, mode), atol=1e-11)


def test_hand_computed_peak_example():
    # [-1, 1, -1] on [0, 3, 0, 1]: windows (0,3,0) -> 3, (3,0,1) -> -4; worked by hand.
    np.testing.assert_allclose(conv.correlate1d([0, 3, 0, 1], [-1, 1, -1]), [3.0, -4.0])


def test_convolution_flips_and_correlation_does_not():
    x = np.array([0.0, 0, 1, 0, 0])          # an impulse
    k = np.array([1.0, 2, 3])
    np.testing.assert_allclose(conv.convolve1d(x, k, "same"), [0, 1, 2, 3, 0])
    np.testing.assert_allclose(conv.correlate1d(x, k, "same"), [0, 3, 2, 1, 0])


@given(arrays(np.float64, st.integers(4, 30), elements=floats),
       arrays(np.float64, st.integers(1, 4), elements=floats),
       floats, floats, st.sampled_from(MODES))
def test_linearity(x, kernel, a, b, mode):
    y = np.roll(x, 1) * 0.5 - 1.0
    lhs = conv.correlate1d(a * x + b * y, kernel, mode)
    rhs = a * conv.correlate1d(x, kernel, mode) + b * conv.correlate1d(y, kernel, mode)
    np.testing.assert_allclose(lhs, rhs, atol=1e-8 * (1 + np.abs(rhs).max()))


@given(arrays(np.float64, st.integers(6, 30), elements=floats),
       arrays(np.float64, st.integers(1, 5), elements=floats), st.integers(1, 5))
def test_shift_equivariance_away_from_borders(x, kernel, shift):
    # Shifting the input (padding zeros on the left) shifts the full output by the same amount.
    shifted = np.concatenate([np.zeros(shift), x])
    full = conv.correlate1d(x, kernel, "full")
    full_shifted = conv.correlate1d(shifted, kernel, "full")
    np.testing.assert_allclose(full_shifted[shift:], full, atol=1e-9)
    np.testing.assert_allclose(full_shifted[:shift], 0.0, atol=1e-12)


@given(arrays(np.float64, st.tuples(st.integers(3, 9), st.integers(3, 9)), elements=floats),
       arrays(np.float64, st.tuples(st.integers(1, 3), st.integers(1, 3)), elements=floats),
       st.integers(0, 2**31))
def test_adjoint_identity_2d(image, kernel, seed):
    # <corr_valid(x, k), g> == <x, conv_full(g, k)>: the full convolution is the transpose.
    g = np.random.default_rng(seed).normal(size=conv.correlate2d(image, kernel).shape)
    lhs = np.sum(conv.correlate2d(image, kernel, "valid") * g)
    rhs = np.sum(image * conv.convolve2d(g, kernel, "full"))
    assert lhs == pytest.approx(rhs, rel=1e-9, abs=1e-7)


@pytest.mark.parametrize("n,k,p,s,d,expected", [
    (10, 3, 0, 1, 1, 8),       # valid: N - K + 1
    (5, 3, 0, 1, 1, 3),        # the Keras post: 5x5 input, 3x3 kernel
    (28, 3, 1, 1, 1, 28),      # 'same' padding for odd K
    (7, 3, 0, 2, 1, 3),        # (7 - 3)/2 + 1
    (8, 3, 0, 2, 1, 3),        # floor((8 - 3)/2) + 1: the last input is dropped
    (10, 3, 0, 1, 2, 6),       # dilation 2 spans 5 inputs
    (1, 1, 0, 1, 1, 1),
])
def test_output_length_formula(n, k, p, s, d, expected):
    assert conv.output_length(n, k, padding=p, stride=s, dilation=d) == expected


@pytest.mark.parametrize("n,k,p,s,d", [(n, k, p, s, d) for n in (4, 7, 11) for k in (1, 2, 3)
                                       for p in (0, 1, 2) for s in (1, 2, 3) for d in (1, 2)
                                       if d * (k - 1) + 1 <= n + 2 * p])
def test_output_length_counts_the_windows(n, k, p, s, d):
    # Count window start positions directly instead of using the formula.
    span = d * (k - 1) + 1
    starts = [i for i in range(0, n + 2 * p, s) if i + span <= n + 2 * p]
    assert conv.output_length(n, k, p, s, d) == len(starts)
