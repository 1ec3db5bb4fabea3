"""helpers.learn_kernel: descent through the layers, the same descent on the Gram matrix,
and recovery of a known kernel, against NumPy's least squares and finite differences."""
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import layers
from helpers.lesson05 import learn_kernel as lk
from helpers.gradcheck import numerical_gradient, rel_error

SOBEL_X = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])


@pytest.fixture
def pairs(rng):
    images = rng.uniform(size=(4, 12, 12))
    return lk.make_pairs(images, SOBEL_X, bias=0.3, noise=0.01, rng=rng)


def test_make_pairs_shapes_and_values(rng):
    images = rng.normal(size=(2, 6, 7))
    x, t = lk.make_pairs(images, SOBEL_X, bias=0.5)
    assert x.shape == (2, 1, 6, 7) and t.shape == (2, 1, 4, 5)
    want = sum(SOBEL_X[m, q] * images[1, 2 + m, 3 + q] for m in range(3) for q in range(3)) + 0.5
    assert t[1, 0, 2, 3] == pytest.approx(want, rel=1e-12)


def test_mse_gradient_matches_finite_differences(rng):
    y, t = rng.normal(size=(2, 1, 3, 4)), rng.normal(size=(2, 1, 3, 4))
    loss, dy = lk.mse(y, t)
    assert loss == pytest.approx(0.5 * np.mean((y - t) ** 2))
    assert rel_error(dy, numerical_gradient(lambda v: lk.mse(v, t)[0], y)) < 1e-8


def test_quadratic_equals_the_layer_loss_and_its_gradient(pairs, rng):
    x, t = pairs
    q = lk.Quadratic.from_pairs(x, t)
    assert q.G.shape == (10, 10)
    theta = rng.normal(size=10)
    k, b = q.split(theta)
    from helpers import layers
    y, _ = layers.conv2d_forward(x, k[None, None], np.array([b]))
    assert q.loss(theta) == pytest.approx(lk.mse(y, t)[0], rel=1e-10)
    assert rel_error(q.grad(theta), numerical_gradient(q.loss, theta)) < 1e-7


def test_minimiser_is_numpy_least_squares(pairs):
    x, t = pairs
    q = lk.Quadratic.from_pairs(x, t)
    cols = [x[:, 0, m:m + 10, n:n + 10].reshape(-1) for m in range(3) for n in range(3)]
    p = np.stack(cols + [np.ones(4 * 100)], axis=1)
    ref, *_ = np.linalg.lstsq(p, t.reshape(-1), rcond=None)
    np.testing.assert_allclose(q.minimiser, ref, atol=1e-9)
    k, b = q.split(q.minimiser)
    assert np.max(np.abs(k - SOBEL_X)) < 0.05 and b == pytest.approx(0.3, abs=0.05)


def test_layer_descent_and_quadratic_descent_take_the_same_steps(pairs):
    x, t = pairs
    q = lk.Quadratic.from_pairs(x, t)
    a = lk.descend_with_layers(x, t, lr=0.4, steps=30)
    b = lk.descend_quadratic(q, 0.4, 30)
    assert a.losses.shape == (31,) and a.kernels.shape == (31, 3, 3)
    np.testing.assert_allclose(a.losses, b.losses, rtol=1e-10)
    np.testing.assert_allclose(a.kernels, b.kernels, atol=1e-12)
    np.testing.assert_allclose(a.biases, b.biases, atol=1e-12)
    assert a.losses[-1] < a.losses[0]


def test_learning_rate_limit_separates_convergence_from_divergence(pairs):
    x, t = pairs
    q = lk.Quadratic.from_pairs(x, t)
    assert q.lr_limit == pytest.approx(2 / np.linalg.eigvalsh(q.G).max())
    good = lk.descend_quadratic(q, 0.95 * q.lr_limit, 3000)
    bad = lk.descend_quadratic(q, 1.05 * q.lr_limit, 3000)
    assert not good.diverged and np.max(np.abs(good.kernels[-1] - SOBEL_X)) < 0.1
    assert bad.diverged and bad.losses[-1] > 1e6 and len(bad.losses) < 3001


def test_draw_descent_draws_and_explains(pairs):
    x, t = pairs
    q = lk.Quadratic.from_pairs(x, t)
    fig = Figure()
    lk.draw_descent(fig, lr=0.5, steps=100, data="d", problems={"d": q}, true_kernel=SOBEL_X)
    assert len(fig.axes) == 2
    assert "step 100" in fig.axes[1].get_title()
    np.testing.assert_allclose(10 ** fig.axes[0].lines[0].get_ydata(), lk.descend_quadratic(q, 0.5, 100).losses)
    fig = Figure()
    lk.draw_descent(fig, lr=1.5 * q.lr_limit, steps=500, data="d", problems={"d": q}, true_kernel=SOBEL_X)
    assert "diverges" in fig.axes[0].get_title()
    with pytest.raises(ValueError, match="positive"):
        lk.draw_descent(Figure(), lr=0.0, steps=5, data="d", problems={"d": q}, true_kernel=SOBEL_X)


def test_random_crops(rng):
    image = np.arange(100.0).reshape(10, 10)
    crops = lk.random_crops(image, 5, 4, rng)
    assert crops.shape == (5, 4, 4)
    for c in crops:                       # each crop is a contiguous block of the image
        r, col = divmod(int(c[0, 0]), 10)
        np.testing.assert_array_equal(c, image[r:r + 4, col:col + 4])
    with pytest.raises(ValueError, match="at most 10"):
        lk.random_crops(image, 1, 11)


@pytest.mark.parametrize("lr_factor,steps", [(0.1, 3000), (0.5, 30), (0.95, 300), (1.05, 3000), (1.5, 500)])
def test_eigen_descent_is_the_loop_without_a_loop(pairs, lr_factor, steps):
    """Closed form in G's eigenbasis == the step-by-step loop, converging or diverging."""
    x, t = pairs
    q = lk.Quadratic.from_pairs(x, t)
    loop = lk.descend_quadratic(q, lr_factor * q.lr_limit, steps)
    fast = lk.descend_quadratic_eigen(q, lr_factor * q.lr_limit, steps)
    assert fast.diverged == loop.diverged == (lr_factor > 1)
    assert fast.losses.shape == loop.losses.shape                  # diverged: stops at the same step
    assert fast.kernels.shape == loop.kernels.shape and fast.biases.shape == loop.biases.shape
    np.testing.assert_allclose(fast.losses, loop.losses, rtol=1e-9)
    np.testing.assert_allclose(fast.kernels, loop.kernels, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(fast.biases, loop.biases, rtol=1e-9, atol=1e-10)


def test_eigen_descent_with_a_direction_the_images_never_excite():
    """Constant images: the kernel's taps can't be told apart (G is singular); no NaNs, same steps."""
    x = np.ones((2, 1, 6, 6)) * np.array([1.0, 2.0])[:, None, None, None]
    t = 3.0 * x[:, :, 1:-1, 1:-1] + 0.5
    q = lk.Quadratic.from_pairs(x, t)
    assert np.linalg.matrix_rank(q.G) < q.G.shape[0]
    loop, fast = lk.descend_quadratic(q, 0.05, 200), lk.descend_quadratic_eigen(q, 0.05, 200)
    assert np.all(np.isfinite(fast.losses)) and not fast.diverged
    np.testing.assert_allclose(fast.losses, loop.losses, rtol=1e-8, atol=1e-12)
    np.testing.assert_allclose(fast.kernels, loop.kernels, atol=1e-9)


def test_fit_conv_recovers_a_conv_layer_and_measures_what_it_misses():
    rng = np.random.default_rng(8)
    x = rng.normal(size=(5, 2, 9, 10))
    w, b = rng.normal(size=(3, 2, 4, 3)), rng.normal(size=3)
    t = layers.conv2d_forward(x, w, b)[0]                          # exactly one conv layer
    w_fit, b_fit, r2 = lk.fit_conv(x, t, (4, 3))
    np.testing.assert_allclose(w_fit, w, atol=1e-10)
    np.testing.assert_allclose(b_fit, b, atol=1e-10)
    np.testing.assert_allclose(r2, 1.0, atol=1e-12)
    # each row of the design matrix times [w.ravel(), b] is one output pixel
    design = lk.conv_design_matrix(x, (4, 3))
    assert design.shape == (5 * 6 * 8, 2 * 4 * 3 + 1)
    np.testing.assert_allclose(design @ np.append(w[1].ravel(), b[1]), t[:, 1].reshape(-1), atol=1e-12)
    # a ReLU after the layer is not a conv: part of the variance stays unexplained, and R^2 is
    # what plain least squares on the same columns gives
    t_relu = np.maximum(t, 0.0)
    _, _, r2_relu = lk.fit_conv(x, t_relu, (4, 3))
    y = t_relu[:, 0].reshape(-1)
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    assert r2_relu[0] == pytest.approx(1 - np.sum((y - design @ coef) ** 2) / np.sum((y - y.mean()) ** 2))
    assert 0.3 < r2_relu.min() and r2_relu.max() < 0.95


def test_fit_conv_refuses_mismatched_shapes():
    from badinput import assert_clear_error
    x = np.zeros((2, 1, 6, 6))
    assert_clear_error("t shape", lambda: lk.fit_conv(x, np.zeros((2, 1, 5, 5)), (3, 3)), ValueError,
                       ["t has shape", "(2, 1, 4, 4)"])
    assert_clear_error("big kernel", lambda: lk.conv_design_matrix(x, (7, 3)), ValueError,
                       ["kernel_shape", "at most"])
