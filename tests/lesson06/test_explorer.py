"""helpers.lesson06.explorer: the mosaic of filters and the trained network's slider figure."""
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import cnn
from helpers.lesson06 import explorer


def test_mosaic_tiles_each_map_scaled_on_its_own():
    a = np.array([[1.0, 0.0], [2.0, 0.0]])
    m = explorer.mosaic(np.stack([a, 2 * a, -a]), columns=2)
    assert m.shape == (2 * 2 + 1, 2 * 2 + 1)
    np.testing.assert_allclose(m[:2, :2], a / 2)
    np.testing.assert_allclose(m[:2, 3:], a / 2)               # each tile scaled on its own
    np.testing.assert_allclose(m[3:, :2], -a / 2)
    assert np.isnan(m[2]).all() and np.isnan(m[:, 2]).all()


def small_history(epochs=2):
    """A network trained briefly on 40 noise images with two labels: enough for the drawing."""
    rng = np.random.default_rng(0)
    x, y = rng.uniform(size=(40, 1, 8, 8)), rng.integers(0, 2, size=40)
    params = cnn.init_params(4, "he_normal", rng=0, n_classes=2)
    return cnn.train(params, x, y, x, y, epochs=epochs, verbose=False), x, y


def test_draw_explorer_shows_the_prediction_filters_and_maps():
    h, x, y = small_history(1)
    fig = Figure()
    explorer.draw_explorer(fig, 1, 5, history=h, images=x, labels=y)
    assert len(fig.axes) == 4 and "epoch 1" in fig.axes[1].get_title()
    bar = fig.axes[3]                              # the signed filters get a colour bar from -1 to 1
    assert "largest |weight|" in bar.get_ylabel() and bar.get_ylim() == pytest.approx((-1, 1))
    pred = int(cnn.predict(h.snapshots[1], x[5:6])[0])
    assert f"predicted {pred}" in fig.axes[0].get_title()
    np.testing.assert_array_equal(fig.axes[0].images[0].get_array(), x[5, 0])
    np.testing.assert_array_equal(fig.axes[1].images[0].get_array(),
                                  explorer.mosaic(h.snapshots[1]["w1"][:, 0], columns=4))
    with pytest.raises(ValueError, match="epoch must be between 0 and 1"):
        explorer.draw_explorer(Figure(), 2, 0, history=h, images=x, labels=y)
    with pytest.raises(ValueError, match="index must be between 0 and 39"):
        explorer.draw_explorer(Figure(), 1, 40, history=h, images=x, labels=y)
