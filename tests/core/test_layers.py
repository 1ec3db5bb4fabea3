"""helpers.layers: forward against scipy, backward against centred finite differences."""
import itertools

import numpy as np
import pytest
import scipy.signal as sps

from helpers import layers
from helpers.gradcheck import numerical_gradient, rel_error

TOL = 1e-7


def _reference_conv2d(x, w, b, stride, padding, dilation):
    """Independent reference: scipy.signal.correlate2d per (sample, filter, channel)
    on a zero-padded input with a dilated kernel, then subsample by the stride."""
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    c_out, c_in, kh, kw = w.shape
    wd = np.zeros((c_out, c_in, dh * (kh - 1) + 1, dw * (kw - 1) + 1))
    wd[:, :, ::dh, ::dw] = w
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out = []
    for n in range(x.shape[0]):
        maps = []
        for o in range(c_out):
            acc = sum(sps.correlate2d(xp[n, c], wd[o, c], mode="valid") for c in range(c_in))
            maps.append(acc[::sh, ::sw] + (0.0 if b is None else b[o]))
        out.append(maps)
    return np.array(out)


CONFIGS_2D = [
    # (N, C_in, H, W), (C_out, KH, KW), stride, padding, dilation
    ((1, 1, 5, 5), (1, 3, 3), 1, 0, 1),
    ((2, 3, 7, 6), (4, 3, 3), 1, 1, 1),
    ((2, 2, 8, 9), (3, 2, 2), 2, 0, 1),           # even kernel, stride 2
    ((1, 3, 9, 7), (2, 3, 2), (2, 1), (1, 0), 1),  # asymmetric kernel, stride and padding
    ((2, 2, 9, 9), (2, 3, 3), 1, 2, 2),            # dilation
    ((3, 1, 10, 8), (2, 4, 3), 3, 1, (2, 1)),      # stride 3 drops inputs
    ((1, 2, 6, 6), (5, 1, 1), 1, 0, 1),            # 1x1 convolution
]


def _pair(v):
    return v if isinstance(v, tuple) else (v, v)


@pytest.mark.parametrize("xshape,wshape,stride,padding,dilation", CONFIGS_2D)
def test_conv2d_forward_matches_scipy(rng, xshape, wshape, stride, padding, dilation):
    x = rng.normal(size=xshape)
    w = rng.normal(size=(wshape[0], xshape[1], wshape[1], wshape[2]))
    b = rng.normal(size=wshape[0])
    y, _ = layers.conv2d_forward(x, w, b, stride=stride, padding=padding, dilation=dilation)
    ref = _reference_conv2d(x, w, b, _pair(stride), _pair(padding), _pair(dilation))
    assert y.shape == ref.shape
    np.testing.assert_allclose(y, ref, atol=1e-10)


@pytest.mark.parametrize("xshape,wshape,stride,padding,dilation", CONFIGS_2D)
@pytest.mark.parametrize("with_bias", [True, False])
def test_conv2d_backward_matches_finite_differences(rng, xshape, wshape, stride, padding, dilation, with_bias):
    x = rng.normal(size=xshape)
    w = rng.normal(size=(wshape[0], xshape[1], wshape[1], wshape[2]))
    b = rng.normal(size=wshape[0]) if with_bias else None
    kw = dict(stride=stride, padding=padding, dilation=dilation)
    y, cache = layers.conv2d_forward(x, w, b, **kw)
    g = rng.normal(size=y.shape)            # upstream gradient; loss = sum(y * g)
    dx, dw, db = layers.conv2d_backward(g, cache)
    assert dx.shape == x.shape and dw.shape == w.shape
    assert rel_error(dx, numerical_gradient(lambda v: np.sum(layers.conv2d_forward(v, w, b, **kw)[0] * g), x)) < TOL
    assert rel_error(dw, numerical_gradient(lambda v: np.sum(layers.conv2d_forward(x, v, b, **kw)[0] * g), w)) < TOL
    if with_bias:
        assert rel_error(db, numerical_gradient(lambda v: np.sum(layers.conv2d_forward(x, w, v, **kw)[0] * g), b)) < TOL
    else:
        assert db is None


CONFIGS_1D = [
    # (N, C_in, L), (C_out, K), stride, padding, dilation
    ((1, 1, 10), (1, 3), 1, 0, 1),
    ((2, 3, 11), (4, 2), 1, 1, 1),
    ((3, 2, 12), (2, 4), 2, 0, 1),
    ((2, 2, 13), (3, 3), 3, 2, 2),
    ((1, 1, 9), (1, 5), 1, 0, 1),
]


@pytest.mark.parametrize("xshape,wshape,stride,padding,dilation", CONFIGS_1D)
def test_conv1d_forward_and_backward(rng, xshape, wshape, stride, padding, dilation):
    x = rng.normal(size=xshape)
    w = rng.normal(size=(wshape[0], xshape[1], wshape[1]))
    b = rng.normal(size=wshape[0])
    kw = dict(stride=stride, padding=padding, dilation=dilation)
    y, cache = layers.conv1d_forward(x, w, b, **kw)
    # forward against np.correlate on each channel pair (an independent reference)
    dil = np.zeros((w.shape[0], w.shape[1], dilation * (wshape[1] - 1) + 1))
    dil[:, :, ::dilation] = w
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding)))
    ref = np.array([[sum(np.correlate(xp[n, c], dil[o, c], "valid") for c in range(x.shape[1]))[::stride] + b[o]
                     for o in range(w.shape[0])] for n in range(x.shape[0])])
    np.testing.assert_allclose(y, ref, atol=1e-10)
    g = rng.normal(size=y.shape)
    dx, dw, db = layers.conv1d_backward(g, cache)
    assert rel_error(dx, numerical_gradient(lambda v: np.sum(layers.conv1d_forward(v, w, b, **kw)[0] * g), x)) < TOL
    assert rel_error(dw, numerical_gradient(lambda v: np.sum(layers.conv1d_forward(x, v, b, **kw)[0] * g), w)) < TOL
    assert rel_error(db, numerical_gradient(lambda v: np.sum(layers.conv1d_forward(x, w, v, **kw)[0] * g), b)) < TOL


def test_conv1d_backward_is_the_textbook_formulas(rng):
    # Single channel, stride 1: dk = valid correlation of x with dy; dx = full convolution of dy with k.
    x, k = rng.normal(size=9), rng.normal(size=3)
    y, cache = layers.conv1d_forward(x[None, None], k[None, None])
    dy = rng.normal(size=y.shape)
    dx, dk, _ = layers.conv1d_backward(dy, cache)
    np.testing.assert_allclose(dk[0, 0], np.correlate(x, dy[0, 0], "valid"), atol=1e-12)
    np.testing.assert_allclose(dx[0, 0], np.convolve(dy[0, 0], k, "full"), atol=1e-12)


def test_relu_forward_backward_and_zero_convention():
    z = np.array([[-2.0, 0.0, 3.0], [1e-9, -1e-9, 5.0]])
    h, cache = layers.relu_forward(z)
    np.testing.assert_array_equal(h, [[0, 0, 3], [1e-9, 0, 5]])
    dz = layers.relu_backward(np.full_like(z, 7.0), cache)
    np.testing.assert_array_equal(dz, [[0, 0, 7], [7, 0, 7]])   # 0 at z == 0 (PyTorch)


def test_conv_relu_chain_matches_finite_differences(rng):
    x = rng.normal(size=(2, 2, 7, 7))
    w = rng.normal(size=(3, 2, 3, 3))
    b = rng.normal(size=3)
    g = rng.normal(size=(2, 3, 3, 3))

    def loss(v):
        z, _ = layers.conv2d_forward(x, v, b, stride=2)
        return np.sum(layers.relu_forward(z)[0] * g)

    z, c1 = layers.conv2d_forward(x, w, b, stride=2)
    assert np.min(np.abs(z)) > 1e-4          # keep finite differences away from the kink
    h, c2 = layers.relu_forward(z)
    _, dw, _ = layers.conv2d_backward(layers.relu_backward(g, c2), c1)
    assert rel_error(dw, numerical_gradient(loss, w)) < TOL


def test_one_by_one_conv_is_a_matrix_product_over_channels(rng):
    x = rng.normal(size=(2, 4, 5, 6))
    w = rng.normal(size=(3, 4, 1, 1))
    y, _ = layers.conv2d_forward(x, w)
    np.testing.assert_allclose(y, np.einsum("oc,nchw->nohw", w[:, :, 0, 0], x), atol=1e-12)


def test_output_shapes_follow_output_length():
    from helpers.conv import output_length
    for h, k, s, p, d in itertools.product((5, 8), (1, 2, 3), (1, 2), (0, 1), (1, 2)):
        if d * (k - 1) + 1 > h + 2 * p:
            continue
        y, _ = layers.conv2d_forward(np.ones((1, 1, h, h + 1)), np.ones((1, 1, k, k)),
                                     stride=s, padding=p, dilation=d)
        assert y.shape == (1, 1, output_length(h, k, p, s, d), output_length(h + 1, k, p, s, d))


def test_float32_in_float32_out_and_matches_float64(rng):
    x = rng.normal(size=(2, 3, 9, 8))
    w = rng.normal(size=(4, 3, 3, 3))
    b = rng.normal(size=4)
    y64, c64 = layers.conv2d_forward(x, w, b, stride=2, padding=1)
    y32, c32 = layers.conv2d_forward(x.astype(np.float32), w.astype(np.float32), b.astype(np.float32),
                                     stride=2, padding=1)
    assert y32.dtype == np.float32
    np.testing.assert_allclose(y32, y64, rtol=1e-4, atol=1e-4)
    dy = rng.normal(size=y64.shape)
    grads64 = layers.conv2d_backward(dy, c64)
    grads32 = layers.conv2d_backward(dy.astype(np.float32), c32)
    for g32, g64 in zip(grads32, grads64):
        assert g32.dtype == np.float32
        np.testing.assert_allclose(g32, g64, rtol=1e-4, atol=1e-3)
    # mixed precision promotes to float64, as NumPy would
    y_mixed, _ = layers.conv2d_forward(x.astype(np.float32), w)
    assert y_mixed.dtype == np.float64
