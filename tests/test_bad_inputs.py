"""Bad input gets a clear error: the right exception type, naming the argument, saying what works."""
import numpy as np
import pytest

from helpers import conv, gradcheck, init, layers

from badinput import assert_clear_error

x3 = np.ones((2, 3, 10))
w3 = np.ones((4, 3, 3))
x4 = np.ones((2, 3, 8, 8))
w4 = np.ones((4, 3, 3, 3))
_, cache2d = layers.conv2d_forward(x4, w4)
_, cache1d = layers.conv1d_forward(x3, w3)
_, cache_relu = layers.relu_forward(np.ones((2, 3)))

# (call, exception type, words the message must contain: the argument's name and a way out)
CASES = [
    ("1-D conv on a 2-D x", lambda: conv.correlate1d(np.ones((3, 3)), [1, 2]), ValueError, ["x", "1-D", "(N,)"]),
    ("kernel longer than signal", lambda: conv.correlate1d([1, 2], [1, 2, 3]), ValueError, ["kernel", "longer", "mode='full'"]),
    ("kernel larger than image", lambda: conv.correlate2d(np.ones((2, 2)), np.ones((3, 3))), ValueError, ["kernel", "image", "mode='full'"]),
    ("unknown mode", lambda: conv.correlate1d([1, 2, 3], [1], mode="circular"), ValueError, ["mode", "'valid', 'same', 'full'"]),
    ("NaN in signal", lambda: conv.convolve1d([1, np.nan, 3], [1]), ValueError, ["x", "NaN", "finite"]),
    ("inf in kernel", lambda: conv.correlate2d(np.ones((3, 3)), [[np.inf]]), ValueError, ["kernel", "infinite"]),
    ("empty signal", lambda: conv.correlate1d([], [1]), ValueError, ["x", "empty"]),
    ("string dtype", lambda: conv.correlate1d(np.array(["a", "b"]), [1]), TypeError, ["x", "numbers"]),
    ("a string as signal", lambda: conv.correlate1d("abc", [1]), TypeError, ["x", "np.array"]),
    ("complex kernel", lambda: conv.correlate1d([1.0, 2.0], [1j]), TypeError, ["kernel", "real"]),
    ("ragged list", lambda: conv.correlate1d([[1, 2], [3]], [1]), TypeError, ["x", "rectangular"]),
    ("stride 0", lambda: layers.conv2d_forward(x4, w4, stride=0), ValueError, ["stride", ">= 1"]),
    ("negative stride in 1-D", lambda: layers.conv1d_forward(x3, w3, stride=-2), ValueError, ["stride", ">= 1"]),
    ("negative padding", lambda: layers.conv1d_forward(x3, w3, padding=-1), ValueError, ["padding", ">= 0"]),
    ("float stride", lambda: layers.conv2d_forward(x4, w4, stride=1.5), TypeError, ["stride", "whole number"]),
    ("dilation 0 (TF-style 'no dilation' is 1)", lambda: layers.conv2d_forward(x4, w4, dilation=0), ValueError, ["dilation", ">= 1"]),
    ("padding triple", lambda: layers.conv2d_forward(x4, w4, padding=(1, 1, 1)), ValueError, ["padding", "pair"]),
    ("channel mismatch", lambda: layers.conv2d_forward(x4, np.ones((4, 2, 3, 3))), ValueError, ["C_in=3", "w must have shape"]),
    ("x without batch axis", lambda: layers.conv2d_forward(np.ones((3, 8, 8)), w4), ValueError, ["x", "4-D", "(N, C_in, H, W)"]),
    ("w with wrong ndim in 1-D", lambda: layers.conv1d_forward(x3, np.ones((4, 3))), ValueError, ["w", "(C_out, C_in, K)"]),
    ("bias of wrong length", lambda: layers.conv2d_forward(x4, w4, b=np.ones(3)), ValueError, ["b", "one bias per filter"]),
    ("kernel bigger than padded input", lambda: layers.conv1d_forward(np.ones((1, 3, 2)), w3), ValueError, ["spans 3", "padding"]),
    ("dy of wrong shape", lambda: layers.conv2d_backward(np.ones((2, 4, 5, 5)), cache2d), ValueError, ["dy", "(2, 4, 6, 6)"]),
    ("dy with NaN", lambda: layers.conv1d_backward(np.full((2, 4, 8), np.nan), cache1d), ValueError, ["dy", "NaN"]),
    ("cache from another layer", lambda: layers.conv2d_backward(np.ones((2, 4, 8)), cache1d), TypeError, ["cache", "conv2d_forward"]),
    ("dh of wrong shape in ReLU", lambda: layers.relu_backward(np.ones((3, 2)), cache_relu), ValueError, ["dh", "(2, 3)"]),
    ("output_length with kernel too long", lambda: conv.output_length(3, 5), ValueError, ["kernel", "padding to at least 1"]),
    ("output_length stride 0", lambda: conv.output_length(10, 3, stride=0), ValueError, ["stride", ">= 1"]),
    ("fans of a bias vector", lambda: init.fans((16,)), ValueError, ["shape", "(C_out, C_in"]),
    ("fans of an int", lambda: init.fans(16), TypeError, ["shape", "tuple"]),
    ("bad rng", lambda: init.he_normal((4, 3, 3, 3), rng="seed"), TypeError, ["rng", "default_rng"]),
    ("non-positive h", lambda: gradcheck.numerical_gradient(np.sum, np.ones(3), h=0), ValueError, ["h", "1e-5"]),
    ("f not callable", lambda: gradcheck.numerical_gradient(3, np.ones(3)), TypeError, ["f", "function"]),
    ("rel_error shapes differ", lambda: gradcheck.rel_error(np.ones(3), np.ones(4)), ValueError, ["a and b", "same shape"]),
]


@pytest.mark.parametrize("name,call,exc,words", CASES, ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_error(name, call, exc, words):
    assert_clear_error(name, call, exc, words)


def test_there_are_at_least_twenty_cases():
    assert len(CASES) >= 20
