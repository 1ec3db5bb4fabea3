"""helpers.widgets, helpers.plots and helpers.setup_check: the plain functions behind the sliders."""
import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
from helpers import plots, widgets  # noqa: E402
from helpers.lesson00 import setup_check  # noqa: E402


def _draw_line(fig, slope=1.0, n=5):
    if n < 2:
        raise ValueError(f"n must be at least 2 to draw a line, got {n}.")
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(np.arange(n), slope * np.arange(n))


def test_panel_draws_default_state_and_redraws_on_change():
    slope = widgets.float_slider("slope", -2, 2, 1.0)
    n = widgets.int_slider("n", 1, 10, 5)
    panel = widgets.SliderPanel(_draw_line, {"slope": slope, "n": n}, figsize=(4, 2))
    assert panel.values() == {"slope": 1.0, "n": 5}
    y0 = panel.figure.axes[0].lines[0].get_ydata().copy()
    slope.value = -1.5                      # what dragging does: the observer redraws
    y1 = panel.figure.axes[0].lines[0].get_ydata()
    np.testing.assert_allclose(y1, -1.5 * np.arange(5))
    assert not np.allclose(y0, y1)
    assert "kf-slider-panel" in panel._dom_classes
    assert tuple(panel.figure.get_size_inches()) == (4, 2)


def test_panel_explains_an_invalid_setting_instead_of_drawing():
    n = widgets.int_slider("n", 1, 10, 5)
    panel = widgets.SliderPanel(_draw_line, {"n": n}, figsize=(4, 2))
    assert panel.message.value == ""
    n.value = 1
    assert "n must be at least 2" in panel.message.value
    n.value = 3
    assert panel.message.value == ""


def test_snapshot_is_a_fresh_static_figure_at_the_defaults():
    panel = widgets.SliderPanel(_draw_line, {"slope": widgets.float_slider("slope", -2, 2, 0.5)}, figsize=(3, 2))
    fig = panel.snapshot()
    assert isinstance(fig, Figure) and fig is not panel.figure
    np.testing.assert_allclose(fig.axes[0].lines[0].get_ydata(), 0.5 * np.arange(5))
    np.testing.assert_allclose(panel.snapshot(slope=2.0).axes[0].lines[0].get_ydata(), 2.0 * np.arange(5))


def test_limit_range_keeps_dependent_sliders_possible():
    n = widgets.int_slider("input length", 3, 20, 10)
    k = widgets.int_slider("kernel size", 1, 10, 3)
    widgets.limit_range(k, [n], lambda length: (1, length))
    assert (k.min, k.max) == (1, 10)
    n.value = 4
    assert k.max == 4 and k.value <= 4
    n.value = 18
    assert k.max == 18


def test_setup_check_reports_problems_in_words():
    assert setup_check.problems({"python": "3.11.7", "numpy": "2.4.6", "matplotlib": "3.11.2",
                                 "ipywidgets": "8.1.9", "jupyterlab": "4.6.6"}) == []
    found = setup_check.problems({"python": "3.9.1", "numpy": None, "matplotlib": "3.7.0",
                                  "ipywidgets": "7.8.1", "jupyterlab": "4.6.6"})
    assert len(found) == 4
    assert any("numpy is not installed" in p and "make lab" in p for p in found)
    assert any("ipywidgets 7.8.1 is older than 8.1" in p for p in found)
    assert any("Python 3.9.1" in p for p in found)


def test_smoothing_demo_is_a_box_filter():
    signal = setup_check.noisy_steps(n=40, noise=0.0)
    np.testing.assert_allclose(setup_check.smooth(signal, 1), signal)
    smoothed = setup_check.smooth(signal, 3)
    np.testing.assert_allclose(smoothed[1:-1], (signal[:-2] + signal[1:-1] + signal[2:]) / 3)
    with pytest.raises(ValueError, match="width"):
        setup_check.smooth(signal, 0)
    with pytest.raises(ValueError, match="at most 40"):
        setup_check.smooth(signal, 41)
    fig = Figure(figsize=(4, 2))
    setup_check.draw_smoothing(fig, width=7, signal=signal)
    np.testing.assert_allclose(fig.axes[0].lines[1].get_ydata(), setup_check.smooth(signal, 7))
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["noisy signal", "moving average, width 7"]
    with pytest.raises(ValueError, match="at most 40"):
        setup_check.draw_smoothing(Figure(), width=41, signal=signal)


def test_plots_style_and_kernel_annotation():
    plots.use_course_style()
    assert matplotlib.rcParams["figure.dpi"] == 80
    fig = Figure(figsize=(3, 3))
    ax = fig.add_subplot(1, 1, 1)
    plots.show_kernel(ax, [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
    assert [t.get_text() for t in ax.texts][:3] == ["-1", "0", "1"]
    image = ax.images[0]
    assert image.get_clim() == (-2.0, 2.0)           # signed data: symmetric around 0
    ax2 = fig.add_subplot(2, 2, 1)
    plots.show_image(ax2, np.ones((3, 3)) * 0.5)
    assert ax2.images[0].get_cmap().name == "gray"


def test_a_plain_draw_function_is_drawn_afresh_on_a_cleared_figure():
    n = widgets.int_slider("n", 2, 10, 5)
    panel = widgets.SliderPanel(_draw_line, {"n": n}, figsize=(4, 2))
    n.value = 8
    assert len(panel.figure.axes) == 1 and len(panel.figure.axes[0].lines) == 1
    assert len(panel.figure.axes[0].lines[0].get_xdata()) == 8


def test_update_kernel_matches_a_fresh_show_kernel():
    old, new = np.arange(9.0).reshape(3, 3) - 4, np.array([[0.1, -2.0, 0.3], [1.5, 0.0, -0.2], [0.7, 0.2, -0.1]])
    fig = Figure()
    ax = fig.add_subplot(1, 2, 1)
    plots.show_kernel(ax, old, fmt="{:.2f}")
    plots.update_kernel(ax.images[0], list(ax.texts), new, "{:.2f}")
    fresh = fig.add_subplot(1, 2, 2)
    plots.show_kernel(fresh, new, fmt="{:.2f}")
    assert [t.get_text() for t in ax.texts] == [t.get_text() for t in fresh.texts]
    assert [t.get_color() for t in ax.texts] == [t.get_color() for t in fresh.texts]
    assert [t.get_color() for t in fresh.texts].count("white") == 2        # |v| > 0.6 * 2.0: -2.0 and 1.5
    assert ax.images[0].get_clim() == fresh.images[0].get_clim() == (-2.0, 2.0)
    np.testing.assert_array_equal(ax.images[0].get_array(), new)
    bigger = np.ones((5, 5))                                   # another size: the extent follows
    plots.update_kernel(ax.images[0], [], bigger)
    assert ax.images[0].get_extent() == [-0.5, 4.5, 4.5, -0.5]
    with pytest.raises(ValueError, match="numbers has 9 texts but kernel has 25 values"):
        plots.update_kernel(ax.images[0], list(ax.texts), bigger)


# --- plots.show: a figure displayed with its alt text --------------------------------------------

def test_show_puts_alt_text_in_the_png_output_metadata():
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    InteractiveShell.instance()          # a real shell, so display() publishes rich outputs
    plots.enable_inline_figures()
    fig, ax = plots.figure(figsize=(3, 2))
    ax.plot([0, 1], [1, 0])
    with capture_output() as captured:
        plots.show(fig, alt="A line falling from 1 at x=0 to 0 at x=1.")
    [output] = captured.outputs
    assert output.data["image/png"].startswith("iVBORw0KGgo")   # base64 of the PNG signature
    assert output.metadata == {"image/png": {"alt": "A line falling from 1 at x=0 to 0 at x=1."}}
    assert fig.number not in plt.get_fignums()


def test_show_refuses_missing_alt_text_and_non_figures():
    fig, _ = plots.figure(figsize=(3, 2))
    with pytest.raises(ValueError, match="alt must describe"):
        plots.show(fig, alt="plot")
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        plots.show("not a figure", alt="A line falling from 1 at x=0 to 0 at x=1.")
    plt.close(fig)
