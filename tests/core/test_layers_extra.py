"""helpers.layers, the layers added for the capstone: max pooling, flatten, dense, softmax
cross-entropy. Forward against independent references (plain loops, NumPy reshapes, SciPy),
backward against centred finite differences, and bad inputs against clear messages."""
import numpy as np
import pytest
from scipy.special import log_softmax, logsumexp
from scipy.special import softmax as scipy_softmax

from helpers import layers
from helpers.gradcheck import numerical_gradient, rel_error

from badinput import assert_clear_error

TOL = 1e-7


# --------------------------------------------------------------------------- max pooling
def _maxpool_loop(x, size, stride):
    """Reference: a plain loop over every window."""
    (kh, kw), (sh, sw) = size, stride
    n, c, h, w = x.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    out = np.empty((n, c, oh, ow))
    for a in range(n):
        for ch in range(c):
            for i in range(oh):
                for j in range(ow):
                    out[a, ch, i, j] = x[a, ch, i * sh:i * sh + kh, j * sw:j * sw + kw].max()
    return out


POOL_CONFIGS = [
    # x shape, size, stride (None = size)
    ((2, 3, 6, 6), 2, None),
    ((1, 2, 7, 5), 2, None),              # odd sizes: the last row/column is never read
    ((2, 1, 8, 8), 3, 2),                 # overlapping windows
    ((1, 2, 6, 9), (2, 3), (2, 3)),       # rectangular window
    ((3, 1, 5, 5), 1, None),              # size 1: identity
    ((1, 1, 4, 4), 4, None),              # global max
]


def _pair(v):
    return v if isinstance(v, tuple) else (v, v)


@pytest.mark.parametrize("xshape,size,stride", POOL_CONFIGS)
def test_maxpool_forward_matches_loop(rng, xshape, size, stride):
    x = rng.normal(size=xshape)
    y, _ = layers.maxpool2d_forward(x, size, stride)
    ref = _maxpool_loop(x, _pair(size), _pair(stride if stride is not None else size))
    assert y.shape == ref.shape
    np.testing.assert_array_equal(y, ref)


def test_maxpool_2x2_is_a_reshape_max(rng):
    x = rng.normal(size=(4, 3, 8, 6))
    y, _ = layers.maxpool2d_forward(x, 2)
    np.testing.assert_array_equal(y, x.reshape(4, 3, 4, 2, 3, 2).max(axis=(3, 5)))


@pytest.mark.parametrize("xshape,size,stride", POOL_CONFIGS)
def test_maxpool_backward_matches_finite_differences(rng, xshape, size, stride):
    x = rng.normal(size=xshape)            # continuous values: no ties, so max is differentiable
    y, cache = layers.maxpool2d_forward(x, size, stride)
    g = rng.normal(size=y.shape)
    dx = layers.maxpool2d_backward(g, cache)
    num = numerical_gradient(lambda v: np.sum(layers.maxpool2d_forward(v, size, stride)[0] * g), x)
    assert dx.shape == x.shape
    assert rel_error(dx, num) < TOL


def test_maxpool_backward_routes_to_the_maximum_only():
    x = np.array([[[[1.0, 5.0, 0.0, 2.0],
                    [3.0, 4.0, 7.0, 1.0]]]])
    y, cache = layers.maxpool2d_forward(x, 2)
    np.testing.assert_array_equal(y, [[[[5.0, 7.0]]]])
    dx = layers.maxpool2d_backward(np.array([[[[10.0, 20.0]]]]), cache)
    np.testing.assert_array_equal(dx, [[[[0, 10, 0, 0], [0, 0, 20, 0]]]])


def test_maxpool_ties_send_the_gradient_to_the_first_maximum_once():
    x = np.ones((1, 1, 2, 2))
    y, cache = layers.maxpool2d_forward(x, 2)
    dx = layers.maxpool2d_backward(np.array([[[[3.0]]]]), cache)
    np.testing.assert_array_equal(dx, [[[[3.0, 0.0], [0.0, 0.0]]]])   # not 3 to each of four


def test_maxpool_overlapping_windows_add_up():
    x = np.array([[[[0.0, 9.0, 0.0]]]])     # the 9 is the max of both windows of width 2, stride 1
    y, cache = layers.maxpool2d_forward(x, (1, 2), (1, 1))
    dx = layers.maxpool2d_backward(np.array([[[[1.5, 2.5]]]]), cache)
    np.testing.assert_array_equal(dx, [[[[0.0, 4.0, 0.0]]]])


# --------------------------------------------------------------------------- flatten
def test_flatten_order_and_round_trip(rng):
    x = rng.normal(size=(2, 3, 4, 5))
    y, cache = layers.flatten_forward(x)
    assert y.shape == (2, 60)
    assert y[1, (2 * 4 + 1) * 5 + 3] == x[1, 2, 1, 3]        # (c * H + i) * W + j
    g = rng.normal(size=y.shape)
    np.testing.assert_array_equal(layers.flatten_backward(g, cache), g.reshape(x.shape))
    num = numerical_gradient(lambda v: np.sum(layers.flatten_forward(v)[0] * g), x)
    assert rel_error(layers.flatten_backward(g, cache), num) < TOL


# --------------------------------------------------------------------------- dense
@pytest.mark.parametrize("with_bias", [True, False])
def test_dense_forward_and_backward(rng, with_bias):
    x = rng.normal(size=(5, 7))
    w = rng.normal(size=(3, 7))
    b = rng.normal(size=3) if with_bias else None
    y, cache = layers.dense_forward(x, w, b)
    ref = np.einsum("nd,od->no", x, w) + (b if with_bias else 0.0)
    np.testing.assert_allclose(y, ref, atol=1e-12)
    g = rng.normal(size=y.shape)
    dx, dw, db = layers.dense_backward(g, cache)
    assert rel_error(dx, numerical_gradient(lambda v: np.sum(layers.dense_forward(v, w, b)[0] * g), x)) < TOL
    assert rel_error(dw, numerical_gradient(lambda v: np.sum(layers.dense_forward(x, v, b)[0] * g), w)) < TOL
    if with_bias:
        assert rel_error(db, numerical_gradient(lambda v: np.sum(layers.dense_forward(x, w, v)[0] * g), b)) < TOL
    else:
        assert db is None


# --------------------------------------------------------------------------- softmax + loss
def test_softmax_matches_scipy_and_survives_large_logits(rng):
    z = rng.normal(size=(4, 6)) * 5
    np.testing.assert_allclose(layers.softmax(z), scipy_softmax(z, axis=-1), atol=1e-14)
    big = np.array([[1000.0, 1001.0, 999.0]])
    p = layers.softmax(big)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p, scipy_softmax(big, axis=-1), atol=1e-14)


def test_cross_entropy_matches_scipy(rng):
    z = rng.normal(size=(8, 10)) * 3
    labels = rng.integers(0, 10, size=8)
    loss, _ = layers.softmax_cross_entropy(z, labels)
    ref = -np.mean(log_softmax(z, axis=1)[np.arange(8), labels])
    assert loss == pytest.approx(ref, rel=1e-13)
    assert loss == pytest.approx(np.mean(logsumexp(z, axis=1) - z[np.arange(8), labels]), rel=1e-13)


def test_cross_entropy_of_uniform_logits_is_log_classes():
    loss, _ = layers.softmax_cross_entropy(np.zeros((3, 10)), np.array([0, 4, 9]))
    assert loss == pytest.approx(np.log(10), rel=1e-15)


def test_cross_entropy_no_overflow():
    loss, cache = layers.softmax_cross_entropy(np.array([[1000.0, 0.0], [0.0, 1000.0]]), np.array([0, 0]))
    assert loss == pytest.approx(500.0, rel=1e-12)      # (0 + 1000) / 2
    assert np.all(np.isfinite(layers.softmax_cross_entropy_backward(1.0, cache)))


@pytest.mark.parametrize("dloss", [1.0, 2.5])
def test_cross_entropy_backward_matches_finite_differences(rng, dloss):
    z = rng.normal(size=(6, 5)) * 2
    labels = np.array([0, 4, 2, 2, 1, 3])
    _, cache = layers.softmax_cross_entropy(z, labels)
    dz = layers.softmax_cross_entropy_backward(dloss, cache)
    num = numerical_gradient(lambda v: dloss * layers.softmax_cross_entropy(v, labels)[0], z)
    assert rel_error(dz, num) < TOL
    np.testing.assert_allclose(dz.sum(axis=1), 0.0, atol=1e-15)   # softmax minus one-hot sums to 0


def test_labels_may_be_whole_floats():
    a, _ = layers.softmax_cross_entropy(np.eye(3), np.array([0.0, 1.0, 2.0]))
    b, _ = layers.softmax_cross_entropy(np.eye(3), np.array([0, 1, 2]))
    assert a == b


def test_tiny_cnn_chain_matches_finite_differences(rng):
    """conv -> ReLU -> max-pool -> flatten -> dense -> softmax CE, end to end."""
    x = rng.normal(size=(3, 1, 6, 6))
    w1 = rng.normal(size=(2, 1, 3, 3))
    b1 = rng.normal(size=2)
    w2 = rng.normal(size=(4, 8))
    b2 = rng.normal(size=4)
    labels = np.array([1, 3, 0])

    def forward(w1, b1, w2, b2):
        z, c1 = layers.conv2d_forward(x, w1, b1)
        h, c2 = layers.relu_forward(z)
        p, c3 = layers.maxpool2d_forward(h, 2)
        f, c4 = layers.flatten_forward(p)
        s, c5 = layers.dense_forward(f, w2, b2)
        loss, c6 = layers.softmax_cross_entropy(s, labels)
        return loss, (z, c1, c2, c3, c4, c5, c6)

    loss, (z, c1, c2, c3, c4, c5, c6) = forward(w1, b1, w2, b2)
    assert np.min(np.abs(z)) > 1e-4          # away from ReLU's kink for the finite differences
    ds = layers.softmax_cross_entropy_backward(1.0, c6)
    df, dw2, db2 = layers.dense_backward(ds, c5)
    dh = layers.maxpool2d_backward(layers.flatten_backward(df, c4), c3)
    _, dw1, db1 = layers.conv2d_backward(layers.relu_backward(dh, c2), c1)
    assert rel_error(dw1, numerical_gradient(lambda v: forward(v, b1, w2, b2)[0], w1)) < TOL
    assert rel_error(db1, numerical_gradient(lambda v: forward(w1, v, w2, b2)[0], b1)) < TOL
    assert rel_error(dw2, numerical_gradient(lambda v: forward(w1, b1, v, b2)[0], w2)) < TOL
    assert rel_error(db2, numerical_gradient(lambda v: forward(w1, b1, w2, v)[0], b2)) < TOL


# --------------------------------------------------------------------------- bad inputs
x4 = np.ones((2, 3, 6, 6))
_, cache_pool = layers.maxpool2d_forward(x4)
_, cache_dense = layers.dense_forward(np.ones((4, 5)), np.ones((3, 5)))
_, cache_flat = layers.flatten_forward(x4)
_, cache_ce = layers.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 2]))

CASES = [
    ("pool on a 3-D x", lambda: layers.maxpool2d_forward(np.ones((3, 6, 6))), ValueError, ["x", "4-D", "(N, C, H, W)"]),
    ("pool window too big", lambda: layers.maxpool2d_forward(np.ones((1, 1, 3, 3)), 4), ValueError, ["size", "at most (3, 3)"]),
    ("pool size 0", lambda: layers.maxpool2d_forward(x4, 0), ValueError, ["size", ">= 1"]),
    ("pool float stride", lambda: layers.maxpool2d_forward(x4, 2, 1.5), TypeError, ["stride", "whole number"]),
    ("pool NaN", lambda: layers.maxpool2d_forward(np.full((1, 1, 2, 2), np.nan)), ValueError, ["x", "NaN"]),
    ("pool dy of wrong shape", lambda: layers.maxpool2d_backward(np.ones((2, 3, 2, 2)), cache_pool), ValueError, ["dy", "(2, 3, 3, 3)"]),
    ("pool cache from dense", lambda: layers.maxpool2d_backward(np.ones((2, 3, 3, 3)), cache_dense), TypeError, ["cache", "maxpool2d_forward"]),
    ("flatten a 1-D x", lambda: layers.flatten_forward(np.ones(5)), ValueError, ["x", "(N, ...)"]),
    ("flatten dy of wrong shape", lambda: layers.flatten_backward(np.ones((2, 10)), cache_flat), ValueError, ["dy", "(2, 108)"]),
    ("dense x without batch axis", lambda: layers.dense_forward(np.ones(5), np.ones((3, 5))), ValueError, ["x", "(N, D)"]),
    ("dense Keras layout", lambda: layers.dense_forward(np.ones((4, 5)), np.ones((5, 3))), ValueError, ["w must have shape (D_out, 5)", "Keras"]),
    ("dense bias of wrong length", lambda: layers.dense_forward(np.ones((4, 5)), np.ones((3, 5)), np.ones(5)), ValueError, ["b", "one bias per output unit"]),
    ("dense string w", lambda: layers.dense_forward(np.ones((4, 5)), "w"), TypeError, ["w", "np.array"]),
    ("dense dy of wrong shape", lambda: layers.dense_backward(np.ones((4, 5)), cache_dense), ValueError, ["dy", "(4, 3)"]),
    ("softmax CE 1-D logits", lambda: layers.softmax_cross_entropy(np.zeros(3), np.array([0])), ValueError, ["logits", "(N, classes)"]),
    ("labels out of range", lambda: layers.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3])), ValueError, ["labels", "0..2", "found 3"]),
    ("negative label", lambda: layers.softmax_cross_entropy(np.zeros((2, 3)), np.array([-1, 0])), ValueError, ["labels", "found -1"]),
    ("one-hot labels", lambda: layers.softmax_cross_entropy(np.zeros((2, 3)), np.eye(3)[:2]), ValueError, ["labels", "shape (2,)"]),
    ("fractional labels", lambda: layers.softmax_cross_entropy(np.zeros((2, 3)), np.array([0.5, 1.0])), ValueError, ["labels", "whole"]),
    ("string labels", lambda: layers.softmax_cross_entropy(np.zeros((2, 3)), np.array(["a", "b"])), TypeError, ["labels", "integer array"]),
    ("too few labels", lambda: layers.softmax_cross_entropy(np.zeros((2, 3)), np.array([0])), ValueError, ["labels", "one class index per row"]),
    ("CE dloss an array", lambda: layers.softmax_cross_entropy_backward(np.ones((2, 3)), cache_ce), TypeError, ["dloss", "1.0"]),
    ("CE cache from pool", lambda: layers.softmax_cross_entropy_backward(1.0, cache_pool), TypeError, ["cache", "loss, cache = softmax_cross_entropy(logits, labels)"]),
]


@pytest.mark.parametrize("name,call,exc,words", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_error(name, call, exc, words):
    assert_clear_error(name, call, exc, words)
