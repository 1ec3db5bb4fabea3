"""helpers.layers against PyTorch (CPU): forward and backward, float32 and float64.

PyTorch is a reference we did not write. Skipped without it; ``.ci/run`` installs the CPU
build (``pip install torch==2.13.0``). Random inputs and upstream gradients, so a transposed
or flipped kernel, a wrong dilation or padding, or a gradient sent to the wrong input fails.
"""
import zlib

import numpy as np
import pytest

from helpers import layers

torch = pytest.importorskip("torch")

# float32: PyTorch and NumPy sum in different orders; errors of a few float32 ulps per term
TOL = {np.float32: dict(rtol=2e-4, atol=2e-5), np.float64: dict(rtol=1e-10, atol=1e-12)}
DTYPES = [np.float32, np.float64]


def _torch_grads(fn, arrays, upstream):
    """Run ``fn`` on tensors made from ``arrays``; returns (output, gradients) as NumPy."""
    tensors = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = fn(*tensors)
    out.backward(torch.tensor(upstream))
    return out.detach().numpy(), [t.grad.numpy() for t in tensors]


# (C_in, C_out, L, K, stride, padding, dilation): even and odd kernels, strides that leave
# inputs unread, padding wider than the kernel's reach, dilation 3
CONV1D = [
    (1, 1, 9, 3, 1, 0, 1), (2, 3, 10, 4, 1, 0, 1), (3, 2, 11, 2, 2, 1, 1), (2, 4, 13, 3, 3, 2, 2),
    (3, 1, 16, 5, 2, 4, 3), (1, 2, 7, 1, 1, 0, 1), (4, 3, 12, 6, 1, 3, 1),
]


def _assert_conv_agrees(dims, dtype, x_shape, w_shape, stride, padding, dilation):
    """Our conv{dims}d forward and backward against torch's, on seeded random x, w, b and dy."""
    setting = (dims, x_shape, w_shape, stride, padding, dilation)
    rng = np.random.default_rng(zlib.crc32(repr(setting).encode()))
    x, w = rng.normal(size=x_shape).astype(dtype), rng.normal(size=w_shape).astype(dtype)
    b = rng.normal(size=w_shape[0]).astype(dtype)
    forward, backward = ((layers.conv1d_forward, layers.conv1d_backward) if dims == 1
                         else (layers.conv2d_forward, layers.conv2d_backward))
    reference = torch.nn.functional.conv1d if dims == 1 else torch.nn.functional.conv2d
    y, cache = forward(x, w, b, stride=stride, padding=padding, dilation=dilation)
    dy = rng.normal(size=y.shape).astype(dtype)
    ref, (rdx, rdw, rdb) = _torch_grads(
        lambda x, w, b: reference(x, w, b, stride=stride, padding=padding, dilation=dilation), [x, w, b], dy)
    dx, dw, db = backward(dy, cache)
    assert y.shape == ref.shape and y.dtype == dtype
    for ours, theirs in ((y, ref), (dx, rdx), (dw, rdw), (db, rdb)):
        np.testing.assert_allclose(ours, theirs, **TOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("c_in, c_out, length, k, stride, padding, dilation", CONV1D)
def test_conv1d_forward_and_backward_agree_with_torch(dtype, c_in, c_out, length, k, stride, padding, dilation):
    _assert_conv_agrees(1, dtype, (2, c_in, length), (c_out, c_in, k), stride, padding, dilation)


# (C_in, C_out, H, W, (KH, KW), stride, padding, dilation): square, even and asymmetric
# kernels, per-axis strides, paddings and dilations
CONV2D = [
    (1, 1, 6, 6, (3, 3), 1, 0, 1), (2, 3, 7, 8, (2, 2), 1, 1, 1), (3, 2, 9, 7, (2, 3), (2, 1), (1, 0), 1),
    (2, 4, 10, 9, (3, 1), 2, (0, 2), (2, 1)), (3, 3, 11, 12, (4, 2), (3, 2), 2, (1, 3)),
    (1, 2, 8, 8, (1, 1), 1, 0, 1), (2, 2, 9, 9, (3, 3), 1, 3, 2),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("c_in, c_out, h, wd, kernel, stride, padding, dilation", CONV2D)
def test_conv2d_forward_and_backward_agree_with_torch(dtype, c_in, c_out, h, wd, kernel, stride, padding, dilation):
    _assert_conv_agrees(2, dtype, (2, c_in, h, wd), (c_out, c_in) + kernel, stride, padding, dilation)


def test_conv_without_bias_agrees_with_torch():
    rng = np.random.default_rng(5)
    x, w = rng.normal(size=(3, 2, 8, 8)), rng.normal(size=(4, 2, 3, 2))
    y, cache = layers.conv2d_forward(x, w, None, padding=1)
    dy = rng.normal(size=y.shape)
    ref, (rdx, rdw) = _torch_grads(lambda x, w: torch.nn.functional.conv2d(x, w, padding=1), [x, w], dy)
    dx, dw, db = layers.conv2d_backward(dy, cache)
    assert db is None
    for ours, theirs in ((y, ref), (dx, rdx), (dw, rdw)):
        np.testing.assert_allclose(ours, theirs, **TOL[np.float64])


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("size, stride", [(2, None), (3, 1), ((2, 3), (1, 2)), (3, 2)])
def test_maxpool_forward_and_backward_agree_with_torch(dtype, size, stride):
    rng = np.random.default_rng(11)
    x = rng.normal(size=(2, 3, 9, 8)).astype(dtype)        # continuous values: no ties
    y, cache = layers.maxpool2d_forward(x, size=size, stride=stride)
    dy = rng.normal(size=y.shape).astype(dtype)
    ref, (rdx,) = _torch_grads(lambda x: torch.nn.functional.max_pool2d(x, size, stride=stride), [x], dy)
    np.testing.assert_allclose(y, ref, **TOL[dtype])
    np.testing.assert_allclose(layers.maxpool2d_backward(dy, cache), rdx, **TOL[dtype])


def test_maxpool_ties_send_the_gradient_where_torch_does():
    """Equal values in a window: the first one (row-major) takes the whole gradient."""
    x = np.zeros((1, 1, 4, 4))
    x[0, 0, :2, :2] = 1.0                                   # a window of four equal maxima
    y, cache = layers.maxpool2d_forward(x, 2)
    dy = np.arange(1.0, 5.0).reshape(1, 1, 2, 2)
    _, (rdx,) = _torch_grads(lambda x: torch.nn.functional.max_pool2d(x, 2), [x], dy)
    np.testing.assert_array_equal(layers.maxpool2d_backward(dy, cache), rdx)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_relu_agrees_with_torch_including_exactly_zero(dtype):
    z = np.array([-2.0, -0.0, 0.0, 1e-30, 3.0, -1e-30], dtype=dtype)
    h, cache = layers.relu_forward(z)
    dh = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], dtype=dtype)
    ref, (rdz,) = _torch_grads(torch.relu, [z], dh)
    np.testing.assert_array_equal(h, ref)
    np.testing.assert_array_equal(layers.relu_backward(dh, cache), rdz)
    assert rdz[1] == rdz[2] == 0.0                          # ReLU'(0) = 0 in both


def test_the_agreement_tests_can_fail():
    """A kernel flipped by mistake is far outside the tolerance."""
    rng = np.random.default_rng(2)
    x, w = rng.normal(size=(1, 1, 12)), rng.normal(size=(1, 1, 3))
    y, _ = layers.conv1d_forward(x, w[..., ::-1])
    ref = torch.nn.functional.conv1d(torch.tensor(x), torch.tensor(w)).numpy()
    assert not np.allclose(y, ref, **TOL[np.float64])


def test_every_setting_kind_is_covered():
    strides = {c[4] for c in CONV1D} | {s for c in CONV2D for s in np.atleast_1d(c[5])}
    dilations = {c[6] for c in CONV1D} | {d for c in CONV2D for d in np.atleast_1d(c[7])}
    assert strides >= {1, 2, 3} and dilations >= {1, 2, 3}
    assert any(c[3] % 2 == 0 for c in CONV1D) and any(c[4][0] % 2 == 0 for c in CONV2D)   # even kernels
    assert any(c[4][0] != c[4][1] for c in CONV2D)                                        # asymmetric
    assert any(c[0] > 1 and c[1] > 1 for c in CONV1D) and any(c[0] > 1 and c[1] > 1 for c in CONV2D)
