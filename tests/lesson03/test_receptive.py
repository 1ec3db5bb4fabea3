"""helpers.receptive: the receptive-field recurrence against the gradient through real layers,
and against published values; the drawing callbacks of its slider panel."""
import itertools

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from helpers import layers  # noqa: E402
from helpers.lesson03 import indexing, receptive  # noqa: E402


@pytest.mark.parametrize("settings,size", [
    ([(3, 1, 1)] * 2, 5),          # two 3x3 layers see 5x5 (Simonyan & Zisserman 2015)
    ([(3, 1, 1)] * 3, 7),          # three see 7x7
    ([(3, 1, 1), (3, 2, 1), (3, 1, 1)], 9),   # 1 + 2 + 2 + 2*2
    ([(3, 1, 1), (3, 1, 2), (3, 1, 4)], 15),  # Yu & Koltun 2016: dilations 1, 2, 4 -> 15 (no holes)
    ([(2, 2, 1)] * 3, 8),          # 2-wide, stride 2: a binary tree over 8 inputs
])
def test_recurrence_known_values(settings, size):
    assert receptive.receptive_field(settings)["size"] == size
    assert receptive.field_by_gradient(settings)["extent"] == size


@pytest.mark.parametrize("n_layers,k,s,d", list(itertools.product((1, 2, 3), (1, 2, 3, 4), (1, 2, 3), (1, 2))))
def test_recurrence_equals_the_gradient_through_the_layers(n_layers, k, s, d):
    settings = receptive.stack(n_layers, k, s, d)
    field = receptive.receptive_field(settings)
    measured = receptive.field_by_gradient(settings)
    assert measured["extent"] == field["size"]
    # the field of top output o starts at o * jump: what the stride compounds to
    assert measured["first"] == measured["output"] * field["jump"]
    # kernels of ones: the gradient counts paths, and the total is prod(K) paths
    assert measured["grads"][0].sum() == pytest.approx(k ** n_layers)


def test_gradient_field_equals_changing_one_input():
    # an independent measure: change one input, see whether the chosen output moves
    settings = [(3, 2, 1), (2, 1, 2)]
    measured = receptive.field_by_gradient(settings, n=20, output=2)
    rng = np.random.default_rng(0)
    ws = [rng.normal(size=(1, 1, k)) + 3.0 for k, _, _ in settings]     # all weights positive

    def top(x):
        for w, (_, s, d) in zip(ws, settings):
            x, _ = layers.conv1d_forward(x, w, stride=s, dilation=d)
        return x[0, 0, 2]
    x = rng.normal(size=(1, 1, 20))
    moved = []
    for t in range(20):
        x2 = x.copy()
        x2[0, 0, t] += 1.0
        if abs(top(x2) - top(x)) > 1e-9:
            moved.append(t)
    np.testing.assert_array_equal(measured["inputs"], moved)


def test_dilation_holes():
    measured = receptive.field_by_gradient([(2, 1, 2), (2, 1, 2)])
    assert measured["extent"] == 5 and measured["inputs"].size == 3 and measured["holes"].size == 2


def test_bad_input_is_explained():
    with pytest.raises(ValueError, match="kernel_size, stride and dilation"):
        receptive.receptive_field([(3, 0, 1)])
    with pytest.raises(ValueError, match="triples"):
        receptive.receptive_field([3, 1])
    with pytest.raises(ValueError, match="fewer than the receptive field"):
        receptive.field_by_gradient([(3, 1, 1)] * 2, n=4)
    with pytest.raises(ValueError, match="does not exist"):
        receptive.field_by_gradient([(3, 1, 1)], n=5, output=3)


def test_panel_callbacks():
    fig = Figure(figsize=(8, 3))
    info = receptive.draw_receptive_field(fig, layers=2, kernel_size=3, stride=1, dilation=1)["info"]
    assert info["size"] == 5 and len(fig.axes) == 1
    assert len(fig.axes[0].collections) >= 3          # one row of units per level
    assert "field 5 inputs" in fig.axes[0].get_title()
    text = receptive.describe_receptive_field(2, 3, 1, 1)
    assert "spans 5 inputs" in text and "1 -> 3 -> 5" in text
    assert "holes" in receptive.describe_receptive_field(2, 2, 1, 2)
    with pytest.raises(ValueError, match="too many to draw"):
        receptive.draw_receptive_field(Figure(), layers=4, kernel_size=5, stride=3, dilation=3)


@pytest.mark.parametrize("n,k,p,s,d", [(7, 3, 0, 1, 1), (10, 3, 1, 2, 1), (11, 2, 0, 3, 2), (6, 4, 2, 1, 1)])
def test_weight_matrix_is_the_layer_and_its_transpose_the_input_gradient(rng, n, k, p, s, d):
    x, kernel = rng.normal(size=n), rng.normal(size=k)
    matrix = indexing.weight_matrix(n, kernel, p, s, d)
    y, cache = layers.conv1d_forward(x[None, None], kernel[None, None], stride=s, padding=p, dilation=d)
    np.testing.assert_allclose(matrix @ x, y[0, 0], atol=1e-12)
    g = rng.normal(size=y.shape[-1])
    dx, _, _ = layers.conv1d_backward(g[None, None], cache)
    np.testing.assert_allclose(matrix.T @ g, dx[0, 0], atol=1e-12)
    # the nonzero pattern is reads_matrix
    np.testing.assert_array_equal(matrix != 0, indexing.reads_matrix(n, k, p, s, d) == 1)


def test_update_draws_what_a_fresh_figure_draws():
    from helpers.lesson03.receptive import _build_receptive_field, _update_receptive_field
    fig = Figure(figsize=(8, 3))
    state = _build_receptive_field(fig)
    _update_receptive_field(state, 2, 3, 1, 1)
    _update_receptive_field(state, 3, 2, 2, 1)
    fresh = Figure(figsize=(8, 3))
    receptive.draw_receptive_field(fresh, 3, 2, 2, 1)
    a, b = fig.axes[0], fresh.axes[0]
    assert a.get_title() == b.get_title() and len(a.collections) == len(b.collections) == 4
    for ca, cb in zip(a.collections, b.collections):
        np.testing.assert_allclose(ca.get_offsets(), cb.get_offsets())
        np.testing.assert_allclose(ca.get_facecolors(), cb.get_facecolors())
    assert a.get_xlim() == b.get_xlim() and a.get_ylim() == b.get_ylim()
