"""helpers.filtering against references we did not write: SciPy, NumPy einsum, the layers."""
import functools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import ndimage, signal

from helpers import layers
from helpers.lesson01 import filtering


@pytest.fixture
def image(rng):
    return rng.random((12, 15))


def test_make_filter_is_a_partial_equal_to_scipy(image, rng):
    k = rng.normal(size=(3, 4))
    for mode in ("valid", "same", "full"):
        f = filtering.make_filter(k, mode=mode)
        assert isinstance(f, functools.partial)
        np.testing.assert_allclose(f(image), signal.correlate2d(image, k, mode=mode), atol=1e-12)


def test_make_filter_keeps_its_own_copy_of_the_kernel(image):
    k = np.ones((3, 3))
    f = filtering.make_filter(k)
    before = f(image)
    k[:] = 0.0                             # the caller changes their array afterwards
    np.testing.assert_array_equal(f(image), before)


def test_linearity_error_zero_for_a_filter_and_not_for_a_nonlinear_map(image, rng):
    f = filtering.make_filter(rng.normal(size=(3, 3)))
    x2 = rng.random(image.shape)
    assert filtering.linearity_error(f, image, x2, 2.5, -1.5) < 1e-12
    squared = lambda x: f(x) ** 2          # noqa: E731
    assert filtering.linearity_error(squared, image, x2, 2.5, -1.5) > 0.1


@given(st.integers(-5, 5), st.integers(-5, 5))
def test_translate_matches_scipy_shift(dy, dx):
    img = np.arange(1.0, 71.0).reshape(7, 10)
    want = ndimage.shift(img, (dy, dx), order=0, mode="constant", cval=0.0)
    np.testing.assert_array_equal(filtering.translate(img, dy, dx), want)


def test_translate_beyond_the_image_is_all_zero():
    assert not filtering.translate(np.ones((3, 4)), 3, 0).any()


def test_shift_error_only_at_the_borders(rng):
    img = rng.random((20, 20))
    f = filtering.make_filter(rng.normal(size=(3, 3)), mode="same")
    err = filtering.shift_error_map(f, img, 2, -3)
    # a 3x3 kernel reaches 1 pixel; with the shift, rows 2..3 (top) and the last row,
    # columns 0 and 16..19 can differ; the inside is exact
    assert err[4:19, 1:16].max() < 1e-12
    assert err.max() > 1e-3
    with pytest.raises(ValueError, match="mode='same'"):
        filtering.shift_error_map(filtering.make_filter(np.ones((3, 3)), "valid"), img, 1, 1)


def test_strided_equals_layer_with_stride(rng):
    img = rng.random((11, 13))
    k = rng.normal(size=(3, 3))
    f = filtering.strided(filtering.make_filter(k, mode="valid"), 2)
    y, _ = layers.conv2d_forward(img[None, None], k[None, None], stride=2)
    np.testing.assert_allclose(f(img), y[0, 0], atol=1e-12)


def test_param_count_known_values():
    assert filtering.param_count(1, 32, 3) == 320               # Keras Conv2D(32, 3), 28x28x1
    assert filtering.param_count(32, 64, 3) == 18_496           # the next layer of the Keras MNIST example
    assert filtering.param_count(3, 20, 3) == 560
    assert filtering.param_count(3, 20, 3, bias=False) == 540
    assert filtering.param_count(3, 64, 7, 7) == 9472           # ResNet's first conv has bias=False: 9408 + 64
    assert filtering.param_count(16, 8, 1) == 8 * 16 + 8


def test_param_count_equals_sizes_of_the_arrays(rng):
    w = np.zeros((20, 3, 5, 4))
    b = np.zeros(20)
    assert filtering.param_count(3, 20, 5, 4) == w.size + b.size


def test_feature_map_shape_matches_the_layer(rng):
    x = rng.random((1, 3, 28, 28))
    y, _ = layers.conv2d_forward(x, rng.random((20, 3, 5, 3)))
    assert filtering.feature_map_shape(28, 28, 20, 5, 3) == y.shape[1:]
    with pytest.raises(ValueError, match="does not fit"):
        filtering.feature_map_shape(2, 2, 1, 3)


def _keras_conv_valid(x_nhwc, kernel_hwio):
    """An independent channels-last valid correlation written with einsum."""
    kh, kw = kernel_hwio.shape[:2]
    h, w = x_nhwc.shape[1] - kh + 1, x_nhwc.shape[2] - kw + 1
    out = np.zeros((x_nhwc.shape[0], h, w, kernel_hwio.shape[3]))
    for m in range(kh):
        for n in range(kw):
            out += np.einsum("nhwc,co->nhwo", x_nhwc[:, m:m + h, n:n + w, :], kernel_hwio[m, n])
    return out


def test_layout_conversion_gives_the_same_layer(rng):
    x = rng.random((2, 9, 8, 3))                      # Keras: (N, H, W, C)
    kernel = rng.normal(size=(3, 2, 3, 5))            # Keras: (KH, KW, C_in, C_out), not square
    want = _keras_conv_valid(x, kernel)               # (N, H', W', C_out)
    w = filtering.keras_to_torch(kernel)
    assert w.shape == (5, 3, 3, 2)
    y, _ = layers.conv2d_forward(x.transpose(0, 3, 1, 2), w)
    np.testing.assert_allclose(y.transpose(0, 2, 3, 1), want, atol=1e-12)
    np.testing.assert_array_equal(filtering.torch_to_keras(w), kernel)
    # a reshape has the right shape but the wrong numbers
    assert not np.allclose(kernel.reshape(5, 3, 3, 2), w)


def test_conv1x1_is_a_matrix_product(rng):
    x = rng.normal(size=(2, 4, 5, 6))
    w = rng.normal(size=(3, 4, 1, 1))
    b = rng.normal(size=3)
    y, _ = layers.conv2d_forward(x, w, b)
    np.testing.assert_allclose(filtering.conv1x1_as_matmul(x, w, b), y, atol=1e-12)
    np.testing.assert_allclose(filtering.conv1x1_as_matmul(x, w[:, :, 0, 0]),
                               np.einsum("oc,nchw->nohw", w[:, :, 0, 0], x), atol=1e-12)
    with pytest.raises(ValueError, match="1x1"):
        filtering.conv1x1_as_matmul(x, rng.normal(size=(3, 4, 3, 3)))
    with pytest.raises(ValueError, match="C_in=5"):
        filtering.conv1x1_as_matmul(x, rng.normal(size=(3, 5)))


def test_fit_kernel_recovers_a_known_kernel(rng):
    img = rng.random((30, 25))
    k = rng.normal(size=(3, 5))
    target = signal.correlate2d(img, k, mode="valid")
    np.testing.assert_allclose(filtering.fit_kernel(img, target, 3, 5), k, atol=1e-9)
    with pytest.raises(ValueError, match="valid 3x3"):
        filtering.fit_kernel(img, img, 3)


# ---------------------------------------------------------------- slider figures (need data/ and filters)
def test_gaussian_blur_equals_the_2d_gaussian_correlation(rng):
    from helpers import filters
    img = rng.random((20, 17))
    for sigma, size in [(1.0, 7), (2.0, 9), (0.5, 3)]:
        want = signal.correlate2d(img, filters.gaussian(sigma, size=size), mode="same")
        np.testing.assert_allclose(filtering.gaussian_blur(img, sigma, size), want, atol=1e-12)


def test_gaussian_window_refusal_names_the_fix():
    filtering.check_gaussian_window(2.0, 9)                 # r = 4 = 2 sigma: accepted
    with pytest.raises(ValueError, match="size >= 13"):
        filtering.check_gaussian_window(3.0, 7)
    with pytest.raises(ValueError, match="odd"):
        filtering.check_gaussian_window(1.0, 8)
    with pytest.raises(ValueError, match="positive"):
        filtering.check_gaussian_window(0.0, 9)


def test_gabor_kernel_sums_to_zero_and_turns_with_theta():
    k0 = filtering.gabor_kernel(0, 8)
    k90 = filtering.gabor_kernel(90, 8)
    assert k0.shape == (17, 17) and abs(k0.sum()) < 1e-12
    for wavelength in (4, 8, 12):                     # every kernel has unit length
        assert np.sum(filtering.gabor_kernel(30, wavelength) ** 2) == pytest.approx(1.0)
    # 0 degrees: vertical stripes (constant down a column), 90 degrees: the same turned by 90
    np.testing.assert_allclose(k0, k0[::-1, :], atol=1e-12)
    np.testing.assert_allclose(k90, k0.T, atol=1e-12)
    # on a vertical grating the 0-degree kernel answers much more strongly than the 90-degree one
    cols = np.cos(2 * np.pi * np.arange(40) / 8)
    grating = np.tile(cols, (40, 1))
    r0 = signal.correlate2d(grating, k0, mode="valid")
    r90 = signal.correlate2d(grating, k90, mode="valid")
    assert np.abs(r0).mean() > 20 * np.abs(r90).mean()
    with pytest.raises(ValueError, match="wavelength"):
        filtering.gabor_kernel(0, 1)


def test_gabor_response_is_the_half_size_photo_filtered():
    from helpers import data
    photo = data.load_photo()
    half = photo.reshape(150, 2, 128, 2).mean(axis=(1, 3))
    want = signal.correlate2d(half, filtering.gabor_kernel(45, 6), mode="valid")
    np.testing.assert_allclose(filtering.gabor_response(45.0, 6.0), want, atol=1e-10)
    same = signal.correlate2d(half, filtering.gabor_kernel(45, 6), mode="same")
    np.testing.assert_allclose(filtering.gabor_response(45.0, 6.0, "same"), same, atol=1e-10)
    np.testing.assert_allclose(filtering.half_photo(), half)


def test_kept_weight_is_the_sampled_share():
    g = np.exp(-np.arange(-3, 4) ** 2 / 18)                       # sigma 3, 7 taps
    everything = np.exp(-np.arange(-100, 101) ** 2 / 18)
    assert filtering.kept_weight(3.0, 7) == pytest.approx((g.sum() / everything.sum()) ** 2, rel=1e-12)
    assert round(100 * filtering.kept_weight(3.0, 7), 1) == 57.6
    with pytest.raises(ValueError, match="57.6%"):
        filtering.check_gaussian_window(3.0, 7)


def test_draw_functions_label_their_numbers():
    from matplotlib.figure import Figure
    from helpers import data
    photo = data.load_photo()
    fig = Figure(figsize=(10, 3.6))
    filtering.draw_gaussian(fig, 2.0, 13)
    assert len(fig.axes) == 3
    detail = np.std(photo - filtering.gaussian_blur(photo, 2.0, 13))
    assert f"std {detail:.3f}" in fig.axes[2].get_title()
    with pytest.raises(ValueError, match="window"):
        filtering.draw_gaussian(Figure(), 3.0, 7)
    fig = Figure(figsize=(9, 3.6))
    filtering.draw_gabor(fig, 30.0, 8.0)
    r = filtering.gabor_response(30.0, 8.0)
    assert f"{np.mean(np.abs(r)):.3f}" in fig.axes[1].get_title()
    assert "30 deg" in fig.axes[0].get_title()


def test_gaussian_panel_keeps_its_axes():
    from helpers import widgets
    sigma = widgets.float_slider("sigma", 0.5, 6.0, 2.0, step=0.25)
    size = widgets.int_slider("size", 3, 31, 13, step=2)
    panel = widgets.SliderPanel(filtering.draw_gaussian, {"sigma": sigma, "size": size}, figsize=(10, 3.6))
    image = panel.figure.axes[2].images[0]
    sigma.value = 1.0
    assert panel.figure.axes[2].images[0] is image and panel.message.value == ""
    sigma.value = 5.0                            # 13x13 is too small for sigma 5: refused, explained
    assert "window" in panel.message.value
    assert "sigma 1.00" in panel.figure.axes[0].get_title()   # the last good figure stays
    assert "sigma 2.0" in panel.snapshot(sigma=2.0).axes[0].get_title()
