"""helpers.indexing against references we did not write: numpy/scipy convolutions, impulses."""
import itertools

import numpy as np
import pytest
import scipy.signal as sps
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.figure import Figure

from helpers import conv, layers
from helpers.lesson03 import indexing


def _reference_strided(x, kernel, padding, stride, dilation):
    """Independent reference: np.correlate on a zero-padded input with a dilated kernel, then subsample."""
    dil = np.zeros(dilation * (len(kernel) - 1) + 1)
    dil[::dilation] = kernel
    return np.correlate(np.pad(x, padding), dil, "valid")[::stride]


def _reads_by_impulses(n, k, p, s, d):
    """Which outputs move when one input moves: the Jacobian's pattern, found by impulses."""
    ones = np.ones(k)
    cols = []
    for t in range(n):
        e = np.zeros(n)
        e[t] = 1.0
        cols.append(_reference_strided(e, ones, p, s, d) != 0)
    return np.array(cols, dtype=int).T


SETTINGS = [s for s in itertools.product((1, 4, 7, 10), (1, 2, 3, 4), (0, 1, 2), (1, 2, 3), (1, 2, 3))
            if s[4] * (s[1] - 1) + 1 <= s[0] + 2 * s[2]]


@pytest.mark.parametrize("n,k,p,s,d", SETTINGS)
def test_reads_matrix_matches_impulse_responses(n, k, p, s, d):
    reads = indexing.reads_matrix(n, k, p, s, d)
    np.testing.assert_array_equal(reads, _reads_by_impulses(n, k, p, s, d))
    assert reads.shape[0] == conv.output_length(n, k, p, s, d)


def test_window_values_and_a_layer_reading_them(rng):
    np.testing.assert_array_equal(indexing.window(2, 3), [2, 3, 4])
    np.testing.assert_array_equal(indexing.window(0, 3, padding=1), [-1, 0, 1])
    np.testing.assert_array_equal(indexing.window(3, 3, stride=2), [6, 7, 8])
    np.testing.assert_array_equal(indexing.window(1, 3, padding=2, stride=3, dilation=2), [1, 3, 5])
    # the window really is what the layer multiplies: output 1 equals the dot product
    x, k = rng.normal(size=11), rng.normal(size=3)
    y, _ = layers.conv1d_forward(x[None, None], k[None, None], padding=2, stride=3, dilation=2)
    xp = np.pad(x, 2)
    assert y[0, 0, 1] == pytest.approx(np.dot(xp[indexing.window(1, 3, 2, 3, 2) + 2], k))


def test_uses_and_dropped_inputs_known_cases():
    np.testing.assert_array_equal(indexing.uses_per_input(5, 3), [1, 2, 3, 2, 1])
    np.testing.assert_array_equal(indexing.dropped_inputs(10, 3, stride=3), [9])
    np.testing.assert_array_equal(indexing.dropped_inputs(8, 2, stride=2, dilation=2), [1, 3, 5, 7])
    assert indexing.dropped_inputs(10, 3).size == 0
    np.testing.assert_array_equal(indexing.padding_only_outputs(5, 3, padding=3), [0, 8])


@given(st.integers(1, 30), st.integers(1, 6), st.integers(0, 4), st.integers(1, 5), st.integers(1, 3))
def test_describe_setting_agrees_with_output_length(n, k, p, s, d):
    if d * (k - 1) + 1 > n + 2 * p:
        with pytest.raises(ValueError, match="impossible setting"):
            indexing.describe_setting(n, k, p, s, d)
        return
    info = indexing.describe_setting(n, k, p, s, d)
    assert info["n_out"] == conv.output_length(n, k, p, s, d)
    assert info["leftover"] == (n + 2 * p - info["span"]) % s
    # the last window ends exactly `leftover` positions before the end of the padded input
    last = indexing.window(info["n_out"] - 1, k, p, s, d)
    assert last[-1] + p == n + 2 * p - 1 - info["leftover"]
    assert (info["leftover"] > 0) == ("never reached" in info["message"])
    assert (info["dropped"].size > 0) == ("never read: lossy" in info["message"])


def test_post_formula_is_scipy_full_convolution(rng):
    a, f = rng.normal(size=(5, 5)), rng.normal(size=(3, 3))
    full = sps.convolve2d(a, f, mode="full")           # (7, 7), index (i, j) = sum F(l,m) A(i-l, j-m)
    for i in range(7):
        for j in range(7):
            value, missing = indexing.post_formula_2d(a, f, i, j)
            assert value == pytest.approx(full[i, j])
            assert (missing == 0) == (2 <= i <= 4 and 2 <= j <= 4)
    valid = np.array([[indexing.post_formula_2d(a, f, i, j)[0] for j in range(2, 5)] for i in range(2, 5)])
    np.testing.assert_allclose(valid, sps.convolve2d(a, f, mode="valid"))
    # Keras' output (i, j) is the post's B(i + 2, j + 2) with the kernel rotated by 180 degrees
    np.testing.assert_allclose(valid, sps.correlate2d(a, f[::-1, ::-1], mode="valid"))


def test_post_formula_coverage_and_index_ranges():
    cov = indexing.post_formula_coverage(5, 5, 3, lo=-1, hi=7)
    zero_rows, zero_cols = np.nonzero(cov == 0)
    assert sorted(set(zero_rows - 1)) == [2, 3, 4] and sorted(set(zero_cols - 1)) == [2, 3, 4]
    # entry [i + 1, j + 1] is (i, j): the comment's (0, 0) misses 8 of 9 terms, the post's (1, 1) misses 5
    assert cov[0 + 1, 0 + 1] == 8 and cov[1 + 1, 1 + 1] == 5
    assert indexing.index_range_using_only_inputs(5, 3) == [2, 3, 4]
    assert indexing.index_range_using_only_inputs(5, 3, sign=1) == [0, 1, 2]
    assert indexing.index_range_using_only_inputs(7, 1) == list(range(7))
    with pytest.raises(ValueError, match="sign"):
        indexing.index_range_using_only_inputs(5, 3, sign=0)


@pytest.mark.parametrize("n,k,s,d,expected", [
    (10, 3, 1, 1, (10, 1, 1)), (7, 4, 1, 1, (7, 1, 2)), (10, 3, 2, 1, (5, 0, 1)),
    (13, 6, 5, 1, (3, 1, 2)), (8, 1, 3, 1, (3, 0, 0)), (9, 3, 1, 2, (9, 2, 2)),
])
def test_tf_same_known_values_and_minimality(n, k, s, d, expected):
    out, before, after = indexing.tf_same(n, k, s, d)
    assert (out, before, after) == expected
    assert out == -(-n // s)
    assert indexing.layer_output_length(n, k, before, after, s, d) == out
    total = before + after
    if total > 0:   # one zero less and the last output is lost: the padding is the least that works
        assert conv.output_length(n + total - 1, k, 0, s, d) == out - 1


def test_tf_valid_and_torch_same_and_total_padding():
    assert indexing.tf_valid_length(13, 6, 5) == 2
    assert indexing.tf_valid_length(10, 3, 1) == 8
    with pytest.raises(ValueError):
        indexing.tf_valid_length(3, 5)
    assert indexing.torch_same_padding(3) == (1, 1)
    assert indexing.torch_same_padding(4) == (1, 2)
    assert indexing.torch_same_padding(3, dilation=2) == (2, 2)
    with pytest.raises(ValueError, match="stride"):
        indexing.torch_same_padding(3, stride=2)
    for n, k, p, s in itertools.product((5, 9), (1, 3), (0, 1, 2), (1, 2)):
        assert indexing.total_padding_length(n, k, 2 * p, s) == conv.output_length(n, k, p, s)


@pytest.mark.parametrize("n,k,s,d,p", [(10, 3, 1, 1, 1), (10, 3, 2, 1, 1), (7, 4, 1, 2, 1), (12, 5, 3, 2, 2), (6, 2, 1, 1, 0)])
def test_every_convention_row_matches_what_the_layer_produces(n, k, s, d, p):
    rows = indexing.conventions_table(n, k, s, d, p)
    names = [r["convention"] for r in rows]
    assert names[0].startswith("PyTorch") and any("SAME" in c for c in names)
    for r in rows:
        if r["n_out"] is None:
            continue
        assert indexing.layer_output_length(n, k, r["pad_before"], r["pad_after"], s,
                                            d - 1 if r["convention"].startswith("mistake: gaps") else d) == r["n_out"]
    text = indexing.format_table(rows)
    assert text.count("\n") == len(rows) + 1


def test_bounds_helpers():
    assert indexing.kernel_size_bounds(10, 0, 1) == (1, 9)
    assert indexing.kernel_size_bounds(4, 1, 2) == (1, 3)        # span 2*(3-1)+1 = 5 <= 6
    assert indexing.output_index_bounds(10, 3, 0, 3, 1) == (0, 2)
    assert indexing.output_index_bounds(3, 5) == (0, 0)


def test_draw_functions_and_their_explanations():
    fig = Figure(figsize=(8, 3))
    indexing.draw_window_1d(fig, n=10, kernel_size=3, stride=3, output=2)
    assert len(fig.axes) == 1 and "6, 7, 8" in fig.axes[0].get_title()
    np.testing.assert_array_equal(indexing.describe_setting(10, 3, 0, 3, 1)["dropped"], [9])
    assert indexing.describe_setting(10, 3, 0, 3, 1)["message"] in fig.axes[0].get_title()
    with pytest.raises(ValueError, match="impossible"):
        indexing.draw_window_1d(Figure(), n=3, kernel_size=3, dilation=2)
    with pytest.raises(ValueError, match="does not exist"):
        indexing.draw_window_1d(Figure(), n=10, kernel_size=3, output=8)
    fig2 = Figure(figsize=(8, 3))
    indexing.draw_window_2d(fig2, size=5, kernel_size=3, i=1, j=2, operation="convolution")
    texts = [t.get_text() for t in fig2.axes[0].texts]
    assert texts[0] == "F22" and texts[-1] == "F00"          # the flipped kernel's labels
    with pytest.raises(ValueError, match="does not fit"):
        indexing.draw_window_2d(Figure(), size=3, kernel_size=4)
    with pytest.raises(ValueError, match="does not exist"):
        indexing.draw_window_2d(Figure(), size=5, kernel_size=3, i=3)
    with pytest.raises(ValueError, match="operation"):
        indexing.draw_window_2d(Figure(), operation="flip")


def test_bad_inputs_name_the_argument():
    with pytest.raises(ValueError, match="stride"):
        indexing.window(0, 3, stride=0)
    with pytest.raises(TypeError, match="kernel_size"):
        indexing.window(0, 2.5)
    with pytest.raises(TypeError, match="whole numbers"):
        indexing.post_formula_2d(np.ones((3, 3)), np.ones((2, 2)), 1.5, 0)
