"""helpers.backprop: the matrix forms of a valid correlation, and dilation for strides,
against NumPy/SciPy and the conv layer's backward pass."""
import numpy as np
import pytest
import scipy.signal as sps

from helpers import layers
from helpers.lesson05 import backprop


def test_window_matrix_times_kernel_is_valid_correlation(rng):
    x, k = rng.normal(size=9), rng.normal(size=4)
    X = backprop.window_matrix(x, 4)
    assert X.shape == (6, 4)
    np.testing.assert_allclose(X @ k, np.correlate(x, k, "valid"), atol=1e-12)
    np.testing.assert_array_equal(X[2], x[2:6])


def test_conv_matrix_times_input_is_valid_correlation(rng):
    x, k = rng.normal(size=8), rng.normal(size=3)
    M = backprop.conv_matrix(k, 8)
    assert M.shape == (6, 8)
    np.testing.assert_allclose(M @ x, sps.correlate(x, k, "valid"), atol=1e-12)


def test_transposes_are_the_gradients(rng):
    """dk = X.T dz is a valid correlation of x with dz; dx = M.T dz is a full convolution of dz with k."""
    x, k = rng.normal(size=10), rng.normal(size=3)
    dz = rng.normal(size=8)
    np.testing.assert_allclose(backprop.window_matrix(x, 3).T @ dz, np.correlate(x, dz, "valid"), atol=1e-12)
    np.testing.assert_allclose(backprop.conv_matrix(k, 10).T @ dz, np.convolve(dz, k, "full"), atol=1e-12)
    _, cache = layers.conv1d_forward(x[None, None], k[None, None])
    dx, dk, _ = layers.conv1d_backward(dz[None, None], cache)
    np.testing.assert_allclose(dx[0, 0], backprop.conv_matrix(k, 10).T @ dz, atol=1e-12)
    np.testing.assert_allclose(dk[0, 0], backprop.window_matrix(x, 3).T @ dz, atol=1e-12)


def test_dilate_1d_and_2d():
    np.testing.assert_array_equal(backprop.dilate([1.0, 2.0, 3.0], 2), [1, 0, 2, 0, 3])
    np.testing.assert_array_equal(backprop.dilate([1.0, 2.0], 1), [1, 2])
    np.testing.assert_array_equal(backprop.dilate(np.ones((2, 5, 1, 3)), 3).shape, (2, 5, 1, 7))
    d = backprop.dilate(np.array([[1.0, 2.0], [3.0, 4.0]]), (2, 3))
    np.testing.assert_array_equal(d, [[1, 0, 0, 2], [0, 0, 0, 0], [3, 0, 0, 4]])


@pytest.mark.parametrize("stride,length", [(2, 9), (2, 10), (3, 11), (3, 13)])
def test_dilated_stride_one_formulas_equal_the_strided_backward(rng, stride, length):
    x, k = rng.normal(size=length), rng.normal(size=3)
    y, cache = layers.conv1d_forward(x[None, None], k[None, None], stride=stride)
    dy = rng.normal(size=y.shape)
    dx, dk, _ = layers.conv1d_backward(dy, cache)
    d = backprop.dilate(dy[0, 0], stride)
    used = len(d) + 3 - 1                                   # inputs the strided conv reads
    np.testing.assert_allclose(dk[0, 0], np.correlate(x[:used], d, "valid"), atol=1e-12)
    want_dx = np.zeros(length)
    want_dx[:used] = np.convolve(d, k, "full")
    np.testing.assert_allclose(dx[0, 0], want_dx, atol=1e-12)


@pytest.mark.parametrize("call,exc,words", [
    (lambda: backprop.window_matrix(np.ones(3), 4), ValueError, ["kernel_size", "at most 3"]),
    (lambda: backprop.window_matrix(np.ones((3, 3)), 2), ValueError, ["x", "(N,)"]),
    (lambda: backprop.conv_matrix([1.0, 2.0], 1), ValueError, ["n=1", "n >= 2"]),
    (lambda: backprop.dilate([1.0, 2.0], 0), ValueError, ["stride", ">= 1"]),
    (lambda: backprop.dilate([1.0, 2.0], (2, 2)), ValueError, ["dy", "(..., H, W)"]),
    (lambda: backprop.dilate([1.0, 2.0], 1.5), TypeError, ["stride", "whole number"]),
])
def test_bad_inputs(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for w in words:
        assert w in str(info.value)


def test_relu_conv_loss_1d_worked_example_and_finite_differences(rng):
    x, k, t = np.array([1.0, 3, -2, 0, 2, 4]), np.array([2.0, -1, 1]), np.array([0.0, 5, 1, 2])
    loss, g = backprop.relu_conv_loss_1d(x, k, -1.0, t)
    assert loss == 3.0                                  # h = [0, 7, 0, 1]; 0.5 * (0 + 4 + 1 + 1)
    np.testing.assert_array_equal(g["kernel"], [6, -6, -4])
    np.testing.assert_array_equal(g["x"], [0, 4, -2, 0, 1, -1])
    assert g["bias"] == 1.0
    from helpers.gradcheck import numerical_gradient, rel_error
    x, k, t = rng.normal(size=9), rng.normal(size=4), rng.normal(size=6)
    _, g = backprop.relu_conv_loss_1d(x, k, 0.3, t)
    assert rel_error(g["kernel"], numerical_gradient(lambda v: backprop.relu_conv_loss_1d(x, v, 0.3, t)[0], k)) < 1e-7
    assert rel_error(g["x"], numerical_gradient(lambda v: backprop.relu_conv_loss_1d(v, k, 0.3, t)[0], x)) < 1e-7
    with pytest.raises(ValueError, match="target has 5 entries"):
        backprop.relu_conv_loss_1d(x, k, 0.0, np.ones(5))


def test_draw_tap_slope():
    from matplotlib.figure import Figure
    x, k, t = np.array([1.0, 3, -2, 0, 2, 4]), np.array([2.0, -1, 1]), np.array([0.0, 5, 1, 2])
    fig = Figure()
    backprop.draw_tap_slope(fig, 2, 1.0, x=x, kernel=k, bias=-1.0, target=t)
    assert "slope -4.00" in fig.axes[0].get_title()
    xs, ys = fig.axes[0].lines[0].get_data()          # the curve, drawn vectorised
    for v, drawn in list(zip(xs, ys))[::20]:
        k_v = k.copy()
        k_v[2] = v
        assert drawn == pytest.approx(backprop.relu_conv_loss_1d(x, k_v, -1.0, t)[0], rel=1e-12, abs=1e-12)
    with pytest.raises(ValueError, match="between 0 and 2"):
        backprop.draw_tap_slope(Figure(), 3, 0.0, x=x, kernel=k, bias=-1.0, target=t)
