"""helpers.init_training: gradients by finite differences, the symmetry facts, the classifier."""
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import cnn, gradcheck, init
from helpers.lesson04 import init_training

TOL = 1e-6


def test_teacher_data_is_the_teacher_layer(rng):
    x, y = init_training.teacher_data(n=3, length=10)
    assert x.shape == (3, 1, 10) and y.shape == (3, 1, 8)
    # independent reference: np.correlate per filter, ReLU, sum (readout weights 1, 1)
    edge = np.maximum(np.correlate(x[1, 0], [1.0, 0.0, -1.0], "valid"), 0)
    peak = np.maximum(np.correlate(x[1, 0], [-0.5, 1.0, -0.5], "valid"), 0)
    np.testing.assert_allclose(y[1, 0], edge + peak, atol=1e-12)


def test_symmetry_gradients_match_finite_differences(rng):
    x, y = init_training.teacher_data(n=4, length=9, seed=2)
    params = {"w": rng.normal(size=(2, 1, 3)), "b": rng.normal(size=2) * 0.1,
              "v": rng.normal(size=(1, 2, 1)), "c": rng.normal(size=1)}
    _, grads = init_training.symmetry_loss_and_grads(params, x, y)
    for name in params:
        def loss(v, name=name):
            return init_training.symmetry_loss_and_grads({**params, name: v}, x, y)[0]
        assert gradcheck.rel_error(grads[name], gradcheck.numerical_gradient(loss, params[name])) < TOL, name


def test_equal_filters_stay_exactly_equal_and_zeros_never_move():
    run = init_training.train_symmetry(init_training.symmetry_init("constant"), steps=200)
    assert np.array_equal(run["w"][:, 0], run["w"][:, 1])
    assert np.array_equal(run["v"][:, 0], run["v"][:, 1])
    assert not np.allclose(run["w"][-1], run["w"][0])          # they did learn, together
    zeros = init_training.train_symmetry(init_training.symmetry_init("zeros"), steps=50)
    assert not np.any(zeros["w"]) and not np.any(zeros["v"])
    assert zeros["loss"][-1] < zeros["loss"][0]                 # only the readout bias learned


def test_random_start_breaks_the_tie_and_finds_the_teacher():
    run = init_training.train_symmetry(init_training.symmetry_init("random"), steps=300)
    constant = init_training.train_symmetry(init_training.symmetry_init("constant"), steps=300)
    assert run["loss"][-1] < 1e-3 < 0.1 < constant["loss"][-1]
    w = run["w"][-1]
    teacher = init_training.TEACHER_FILTERS[:, 0]
    # each learned filter is a positive multiple of one teacher filter (the readout absorbs scale)
    for f in w:
        cos = [np.dot(f, t) / np.linalg.norm(f) / np.linalg.norm(t) for t in teacher]
        assert max(cos) > 0.99


def test_symmetry_init_rejects_unknown_kind():
    with pytest.raises(ValueError, match="kind"):
        init_training.symmetry_init("orthogonal")


def test_plot_symmetry():
    runs = {k: init_training.train_symmetry(init_training.symmetry_init(k), steps=5) for k in ("constant", "random")}
    fig = Figure(figsize=(9, 3))
    axes = [fig.add_subplot(1, 3, i + 1) for i in range(3)]
    init_training.plot_symmetry(axes, runs)
    assert len(axes[0].lines) == 2 and len(axes[1].lines) == 6


def test_scale_bank(rng):
    bank = rng.uniform(0, 1, size=(4, 5, 5))
    scaled = init_training.scale_bank(bank, 0.2)
    assert scaled.shape == (4, 1, 5, 5) and scaled.std() == pytest.approx(0.2)
    centred = init_training.scale_bank(bank, 0.2, centre=True)
    np.testing.assert_allclose(centred.mean(axis=(1, 2, 3)), 0, atol=1e-12)
    with pytest.raises(ValueError, match="no variation"):
        init_training.scale_bank(np.ones((2, 3, 3)), 0.1)


def test_a_classifier_from_a_given_bank_is_helpers_cnn_with_that_first_layer(rng):
    x = rng.uniform(size=(5, 1, 8, 8))
    labels = np.array([0, 3, 9, 3, 1])
    bank = rng.normal(size=(3, 1, 5, 5)) * 0.5                  # 5x5: any odd K
    params = init_training.init_classifier(bank, rng=1)
    np.testing.assert_array_equal(params["w1"], bank)
    assert params["w1"] is not bank
    assert params["w2"].shape == (10, 3 * 4 * 4) and not params["b1"].any() and not params["b2"].any()
    np.testing.assert_array_equal(params["w2"], init.he_normal((10, 48), rng=np.random.default_rng(1)))
    params["b1"] = rng.normal(size=3) * 0.1
    _, grads = cnn.loss_and_grads(params, x, labels)
    for name in ("w1", "b1", "b2"):
        def loss(v, name=name):
            return cnn.loss_and_grads({**params, name: v}, x, labels)[0]
        assert gradcheck.rel_error(grads[name], gradcheck.numerical_gradient(loss, params[name])) < TOL, name
    params["b1"] = np.zeros(3)
    history = cnn.train(params, x, labels, x, labels, epochs=100, batch_size=5, lr=0.05, verbose=False)
    assert history.loss[-1] < history.loss[0] and history.train_acc[-1] == 1.0


def test_bank_similarity():
    assert init_training.bank_similarity(np.eye(4).reshape(4, 2, 2)) == pytest.approx(0.0)
    assert init_training.bank_similarity(np.ones((3, 5, 5)) * np.array([1.0, -2.0, 3.0])[:, None, None]) == pytest.approx(1.0)
    a, b = np.array([1.0, 0.0]), np.array([1.0, 1.0])
    assert init_training.bank_similarity(np.stack([a, b])) == pytest.approx(1 / np.sqrt(2))
    with pytest.raises(ValueError, match="all-zero"):
        init_training.bank_similarity(np.zeros((2, 3)))
