"""helpers.tiny_cnn: the model's gradients against finite differences, the split, seeding,
training on a small separable problem, and the helpers for looking at filters."""
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import init, layers, tiny_cnn as tc
from helpers.gradcheck import numerical_gradient, rel_error


def test_init_params_shapes_and_schemes():
    p = tc.init_params(6, "he_normal", rng=0)
    assert {k: v.shape for k, v in p.items()} == {"w1": (6, 1, 3, 3), "b1": (6,), "w2": (10, 96), "b2": (10,)}
    np.testing.assert_array_equal(p["w1"], init.he_normal((6, 1, 3, 3), rng=np.random.default_rng(0)))
    assert np.all(p["b1"] == 0) and np.all(p["b2"] == 0)
    assert np.all(tc.init_params(3, "zeros")["w2"] == 0)
    assert np.all(tc.init_params(3, "constant 0.1")["w1"] == 0.1)
    with pytest.raises(ValueError, match="scheme must be one of"):
        tc.init_params(3, "xavier")
    assert tc.parameter_count(p) == {"w1": 54, "b1": 6, "w2": 960, "b2": 10, "total": 1030}


def test_model_gradients_match_finite_differences(rng):
    p = tc.init_params(3, "he_normal", rng=1)
    p["b1"] = rng.normal(size=3) * 0.1
    x = rng.uniform(size=(4, 1, 8, 8))
    y = np.array([0, 3, 9, 3])
    z, _ = layers.conv2d_forward(x, p["w1"], p["b1"], padding=1)
    assert np.min(np.abs(z)) > 1e-4              # no input sits on ReLU's kink
    _, grads = tc.loss_and_grads(p, x, y)
    for name in ("w1", "b1", "w2", "b2"):
        def f(v, name=name):
            q = dict(p, **{name: v})
            return layers.softmax_cross_entropy(tc.forward(q, x)[0], y)[0]
        assert rel_error(grads[name], numerical_gradient(f, p[name])) < 1e-7, name


def test_stratified_split_is_seeded_disjoint_and_balanced():
    labels = np.repeat(np.arange(4), [40, 20, 8, 12])
    tr, te = tc.stratified_split(labels, 0.25, seed=3)
    assert len(np.intersect1d(tr, te)) == 0 and len(tr) + len(te) == labels.size
    assert np.bincount(labels[te]).tolist() == [10, 5, 2, 3]
    tr2, te2 = tc.stratified_split(labels, 0.25, seed=3)
    np.testing.assert_array_equal(te, te2)
    _, te3 = tc.stratified_split(labels, 0.25, seed=4)
    assert not np.array_equal(te, te3)
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        tc.stratified_split(labels, 1.0)


def _bars(rng, n):
    """Vertical bar (class 0) vs horizontal bar (class 1) at random places, plus noise."""
    x = 0.1 * rng.uniform(size=(n, 1, 8, 8))
    y = rng.integers(0, 2, size=n)
    for i in range(n):
        j = rng.integers(1, 7)
        if y[i] == 0:
            x[i, 0, :, j] += 1.0
        else:
            x[i, 0, j, :] += 1.0
    return x, y


def test_training_learns_a_separable_problem_and_repeats(rng, capsys):
    x, y = _bars(rng, 200)
    runs = []
    for _ in range(2):
        p = tc.init_params(4, "he_normal", rng=0, n_classes=2)
        h = tc.train(p, x[:150], y[:150], x[150:], y[150:], epochs=5, lr=0.05, seed=1)
        runs.append((p, h))
    (p1, h1), (p2, h2) = runs
    assert h1.test_acc[-1] >= 0.9 and h1.test_acc[0] < 0.8 and h1.loss[-1] < h1.loss[0]
    np.testing.assert_array_equal(p1["w1"], p2["w1"])             # seeded: identical runs
    assert len(h1.snapshots) == 6 and len(h1.batch_loss) == 5 * 5
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 10 and lines[4].startswith("epoch 5/5 [####################] loss ")


def test_trainable_subset_freezes_the_rest(rng):
    x, y = _bars(rng, 64)
    p = tc.init_params(2, "he_normal", rng=0, n_classes=2)
    w1 = p["w1"].copy()
    tc.train(p, x, y, x, y, epochs=2, trainable=("w2", "b2"), verbose=False)
    np.testing.assert_array_equal(p["w1"], w1)
    with pytest.raises(ValueError, match="not parameters"):
        tc.train(p, x, y, x, y, epochs=1, trainable=("kernel",), verbose=False)


def test_constant_init_keeps_filters_identical(rng):
    """Symmetry: filters that start equal get equal gradients and stay equal."""
    x, y = _bars(rng, 64)
    p = tc.init_params(3, "constant 0.1", n_classes=2)
    tc.train(p, x, y, x, y, epochs=2, verbose=False)
    assert np.ptp(p["w1"], axis=0).max() == 0.0
    assert np.abs(p["w1"] - 0.1).max() > 1e-4                # they did move, together


def test_progress_line_format():
    assert tc.progress_line(3, 20, 0.12345, 0.9661, 0.958) == \
        "epoch  3/20 [###-----------------] loss 0.1235  train  96.6%  test  95.8%"


def test_cosine_similarity_and_mosaic():
    a = np.array([[1.0, 0.0], [2.0, 0.0]])
    assert tc.cosine_similarity(a, a) == pytest.approx(1.0)
    assert tc.cosine_similarity(a, -a) == pytest.approx(-1.0)
    assert tc.cosine_similarity(a, np.array([[0.0, 1.0], [0.0, 0.0]])) == 0.0
    assert tc.cosine_similarity(a, np.zeros((2, 2))) == 0.0
    with pytest.raises(ValueError, match="same number of entries"):
        tc.cosine_similarity(a, np.ones(3))
    m = tc.mosaic(np.stack([a, 2 * a, -a]), columns=2)
    assert m.shape == (2 * 2 + 1, 2 * 2 + 1)
    np.testing.assert_allclose(m[:2, :2], a / 2)
    np.testing.assert_allclose(m[:2, 3:], a / 2)               # each tile scaled on its own
    assert np.isnan(m[2]).all()


def test_draw_explorer(rng):
    x, y = _bars(rng, 40)
    p = tc.init_params(4, "he_normal", rng=0, n_classes=2)
    h = tc.train(p, x, y, x, y, epochs=1, verbose=False)
    fig = Figure()
    tc.draw_explorer(fig, 1, 5, history=h, images=x, labels=y)
    assert len(fig.axes) == 4 and "epoch 1" in fig.axes[1].get_title()
    bar = fig.axes[3]                              # the signed filters get a colour bar from -1 to 1
    assert "largest |weight|" in bar.get_ylabel() and bar.get_ylim() == pytest.approx((-1, 1))
    pred = int(tc.predict(h.snapshots[1], x[5:6])[0])
    assert f"predicted {pred}" in fig.axes[0].get_title()
    with pytest.raises(ValueError, match="epoch must be between 0 and 1"):
        tc.draw_explorer(Figure(), 2, 0, history=h, images=x, labels=y)


def test_lr_schedule_warms_up_then_follows_a_cosine():
    assert tc.lr_schedule(0, 100, 0.1, warmup_steps=10) == pytest.approx(0.1 * 0.1)      # 1/10 of the way up
    assert tc.lr_schedule(9, 100, 0.1, warmup_steps=10) == pytest.approx(0.1 * 0.5 * (1 + np.cos(np.pi * 0.09)))
    assert tc.lr_schedule(50, 100, 0.1) == pytest.approx(0.05)
    assert tc.lr_schedule(0, 100, 0.1) == pytest.approx(0.1)
    rates = [tc.lr_schedule(t, 100, 0.1, 10) for t in range(100)]
    assert np.all(np.diff(rates[:10]) > 0) and np.all(np.diff(rates[10:]) < 0)


def test_draw_explorer_updates_in_place_like_a_fresh_build(rng):
    x, y = _bars(rng, 40)
    p = tc.init_params(4, "he_normal", rng=0, n_classes=2)
    h = tc.train(p, x, y, x, y, epochs=2, verbose=False)
    fig = Figure()
    tc.draw_explorer(fig, 2, 0, history=h, images=x, labels=y)
    axes, images = list(fig.axes), [ax.images[0] for ax in fig.axes[:3]]   # 3 images + a colour bar
    for epoch, index in [(0, 7), (1, 7), (2, 39), (0, 0)]:
        tc.draw_explorer(fig, epoch, index, history=h, images=x, labels=y)
        fresh = Figure()
        tc.draw_explorer(fresh, epoch, index, history=h, images=x, labels=y)
        assert list(fig.axes) == axes and [ax.images[0] for ax in fig.axes[:3]] == images   # reused
        assert all(len(ax.images) == 1 for ax in fig.axes[:3]) and len(fig.axes) == 4
        assert [ax.get_title() for ax in fig.axes] == [ax.get_title() for ax in fresh.axes]
        for ours, theirs in zip(fig.axes[:3], fresh.axes[:3], strict=True):
            np.testing.assert_array_equal(ours.images[0].get_array(), theirs.images[0].get_array())
            assert ours.images[0].get_clim() == theirs.images[0].get_clim()
            assert ours.images[0].get_extent() == theirs.images[0].get_extent()
    with pytest.raises(ValueError, match="index must be between 0 and 39"):   # refused: unchanged
        tc.draw_explorer(fig, 1, 40, history=h, images=x, labels=y)
    assert "test image 0" in fig.axes[0].get_title() and "epoch 0" in fig.axes[1].get_title()


def test_firing_rates_count_positive_relu_outputs():
    x = np.random.default_rng(3).normal(size=(6, 1, 8, 8))
    params = {"w1": np.array([[[[1.0]]], [[[0.0]]], [[[0.0]]], [[[-1.0]]]]),   # 1x1 kernels
              "b1": np.array([0.0, -1.0, 1.0, 0.5])}
    rates = tc.firing_rates(params, x)
    np.testing.assert_allclose(rates, [np.mean(x > 0), 0.0, 1.0, np.mean(-x + 0.5 > 0)])
    assert rates.shape == (4,) and np.flatnonzero(rates == 0).tolist() == [1]   # filter 1 is dead
