"""Every lesson's slider panel: a figure updated to some values equals one built at them.

A panel (``helpers.widgets.SliderPanel``) builds its ``Drawing`` once and afterwards only
calls ``update``; this test proves for every Drawing in ``helpers`` that the pixels of a
figure built at the first setting and updated through the others are exactly the pixels of
a fresh figure built at each one. Both figures have no layout engine, so only the drawing
decides the pixels. A new panel needs a row in ``CASES`` (the last test fails without one).
"""
from __future__ import annotations

import importlib
import pkgutil

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import helpers
from helpers import plots, widgets


def _bump_build(fig, centre):
    ax = fig.add_subplot(1, 1, 1)
    (line,) = ax.plot([], [])
    ax.set_xlim(-3, 3)
    return {"ax": ax, "line": line}


def _bump_update(state, centre):
    x = np.linspace(-3, 3, 61)
    state["line"].set_data(x, np.exp(-(x - centre) ** 2))
    state["ax"].relim()
    state["ax"].autoscale_view(scalex=False)
    state["ax"].set_title(f"centre {centre:.2f}")


BUMP = widgets.Drawing(_bump_build, _bump_update)


def _cases():
    """(id, drawing, fixed keyword arguments, figsize, [values, ...], [refused values, ...]) per panel.

    The settings run through what changes a picture's structure (sizes, numbers written or
    not, divergence) and back; the refused ones must raise ValueError and change nothing.
    """
    from helpers import cnn
    from helpers.lesson00 import setup_check
    from helpers.lesson01 import filtering, kernel_playground
    from helpers.lesson02 import peaks
    from helpers.lesson03 import indexing, receptive
    from helpers.lesson04 import deepstack
    from helpers.lesson05 import backprop, learn_kernel
    from helpers.lesson06 import explorer

    rng = np.random.default_rng(7)
    sobel_x = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])
    problems = {name: learn_kernel.Quadratic.from_pairs(*learn_kernel.make_pairs(
        rng.uniform(size=(n, 12, 12)), sobel_x, bias=0.3, noise=0.01, rng=rng)) for name, n in (("d", 4), ("e", 2))}
    digits = 0.1 * rng.uniform(size=(12, 1, 8, 8))
    labels = np.arange(12) % 2
    digits[labels == 0, 0, :, 3] += 1.0
    digits[labels == 1, 0, 3, :] += 1.0
    history = cnn.train(cnn.init_params(4, "he_normal", rng=0, n_classes=2), digits, labels, digits, labels,
                        epochs=2, verbose=False)
    stats = deepstack.precompute(max_depth=10, depth_step=5, channels=4, networks=1, length=8,
                                 schemes=["zeros", "he_normal", "glorot_uniform"])
    d = dict
    return [
        ("demo bump", BUMP, {}, (4, 2), [d(centre=0.0), d(centre=1.5), d(centre=-2.0)], []),
        ("lesson00 smoothing", setup_check.draw_smoothing, {}, (7, 3),
         [d(width=5), d(width=9), d(width=1), d(width=21)], [d(width=0)]),
        ("lesson01 gaussian", filtering.draw_gaussian, {}, (10, 3.6),
         [d(sigma=s, size=n) for s, n in [(2.0, 13), (2.5, 13), (1.0, 5), (0.5, 5), (1.5, 7), (1.5, 9), (6.0, 31)]],
         [d(sigma=3.0, size=7)]),
        ("lesson01 gabor", filtering.draw_gabor, {}, (9, 3.6),
         [d(theta_deg=t, wavelength=w) for t, w in [(0.0, 8.0), (30.0, 8.0), (45.0, 4.0), (90.0, 12.0)]],
         [d(theta_deg=0.0, wavelength=0.5)]),
        ("lesson01 playground", kernel_playground.draw_playground, {}, (8, 3.6),
         [d(kernel=kernel_playground.preset_kernel(n, k)) for n, k in
          [("sharpen", 3), ("Laplacian", 3), ("emboss", 5), ("patch from the photo", 3), ("Sobel x", 5)]],
         [d(kernel=np.ones((4, 4)))]),
        ("lesson02 taps", peaks.draw_taps, {}, (9, 5),
         [d(left=a, centre=b, right=c, threshold=t, baseline=z) for a, b, c, t, z in
          [(-1.0, 1.0, -1.0, 0.0, 0.0), (-1.0, 2.0, -1.0, 0.3, 0.0), (-1.0, 1.0, -1.0, 0.0, -2.0),
           (3.0, 3.0, 3.0, -3.0, 2.0), (-3.0, -3.0, -3.0, 3.0, 2.0), (0.5, -1.0, 2.0, 0.1, 1.0)]], []),
        ("lesson03 window 1d", indexing.draw_window_1d, {}, (8, 2.8),
         [d(n=10, kernel_size=3, output=2), d(n=16, kernel_size=3, output=2), d(n=3, kernel_size=1, output=0),
          d(n=12, kernel_size=5, padding=2, stride=3, dilation=2, output=1),
          d(n=12, kernel_size=5, padding=2, stride=3, dilation=2, output=2), d(n=10, kernel_size=3, output=7)],
         [d(n=10, kernel_size=3, output=8), d(n=3, kernel_size=3, dilation=2)]),
        ("lesson03 window 2d", indexing.draw_window_2d, {}, (8, 3.4),
         [d(size=5, kernel_size=3, i=1, j=2), d(size=8, kernel_size=3, i=4, j=0),
          d(size=8, kernel_size=1, i=7, j=7, operation="convolution"), d(size=3, kernel_size=3, i=0, j=0),
          d(size=6, kernel_size=4, i=2, j=1, operation="convolution")],
         [d(size=3, kernel_size=4), d(size=5, kernel_size=3, i=3)]),
        ("lesson03 receptive field", receptive.draw_receptive_field, {}, (8, 3),
         [d(layers=2, kernel_size=3, stride=1, dilation=1), d(layers=4, kernel_size=3, stride=2, dilation=1),
          d(layers=1, kernel_size=1, stride=1, dilation=1), d(layers=3, kernel_size=2, stride=1, dilation=3),
          d(layers=2, kernel_size=5, stride=2, dilation=2)],
         [d(layers=4, kernel_size=5, stride=3, dilation=3), d(layers=0, kernel_size=3)]),
        ("lesson04 stack", deepstack.draw_stack, {"stats": stats}, (9, 3.6),
         [d(gain=1.0, depth=10), d(gain=2.5, depth=10), d(gain=0.3, depth=5), d(gain=3.0, depth=5)],
         [d(gain=1.0, depth=7), d(gain=0.0, depth=10)]),
        ("lesson05 tap slope", backprop.draw_tap_slope,
         {"x": np.array([1.0, 3, -2, 0, 2, 4]), "kernel": np.array([2.0, -1, 1]), "bias": -1.0,
          "target": np.array([0.0, 5, 1, 2])}, (7, 3),
         [d(tap=2, value=1.0), d(tap=0, value=-3.5), d(tap=1, value=2.25), d(tap=2, value=4.0)],
         [d(tap=3, value=0.0)]),
        ("lesson05 descent", learn_kernel.draw_descent, {"problems": problems, "true_kernel": sobel_x}, (10, 3),
         [d(lr=0.5, steps=100, data="d"), d(lr=0.3, steps=2000, data="d"),
          d(lr=1.5 * problems["d"].lr_limit, steps=500, data="d"), d(lr=0.2, steps=40, data="e")],
         [d(lr=0.0, steps=5, data="d")]),
        ("lesson06 explorer", explorer.draw_explorer, {"history": history, "images": digits, "labels": labels},
         (10, 3), [d(epoch=2, index=0), d(epoch=0, index=7), d(epoch=1, index=7), d(epoch=2, index=11)],
         [d(epoch=3, index=0), d(epoch=0, index=12)]),
    ]


CASES = _cases()


def _pixels(fig) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def _assert_same_pixels(got, want, what):
    assert got.shape == want.shape, what
    differ = np.any(got != want, axis=-1)
    assert not differ.any(), (f"{what}: {int(differ.sum())} pixels differ (rows "
                              f"{np.flatnonzero(differ.any(axis=1))[[0, -1]]})")


@pytest.mark.parametrize("name, drawing, fixed, figsize, settings, refused", CASES, ids=[c[0] for c in CASES])
def test_an_updated_figure_equals_a_fresh_one(name, drawing, fixed, figsize, settings, refused):
    drawing = drawing.with_fixed(**fixed)
    with matplotlib.rc_context(plots.STYLE):
        fig = Figure(figsize=figsize, dpi=80, layout="none")
        state = drawing(fig, **settings[0])
        for values in settings[1:] + settings[:1]:          # through every setting and back
            drawing.update(state, **drawing.fixed, **values)
            fresh = Figure(figsize=figsize, dpi=80, layout="none")
            drawing(fresh, **values)
            _assert_same_pixels(_pixels(fig), _pixels(fresh), f"{name} updated to {values} vs built at them")
        before = _pixels(fig)
        for values in refused:                               # refused: explained, nothing changed
            with pytest.raises(ValueError):
                drawing.update(state, **drawing.fixed, **values)
            _assert_same_pixels(_pixels(fig), before, f"{name} after refusing {values}")


def _nudged(values: dict) -> list[dict]:
    """``values`` with each float (or float array) moved by 1 %: a small slider move that
    keeps the figure's structure."""
    return [{**values, k: v * 1.01 + 0.01} for k, v in values.items()
            if isinstance(v, float) or isinstance(v, np.ndarray) and v.dtype.kind == "f"]


@pytest.mark.parametrize("name, drawing, fixed, figsize, settings, refused", CASES, ids=[c[0] for c in CASES])
def test_a_blitted_figure_equals_a_full_draw(name, drawing, fixed, figsize, settings, refused):
    """What a panel sends (only the changed artists redrawn on a cached background) is,
    pixel for pixel, a fresh figure built at the same values and drawn in full."""
    drawing = drawing.with_fixed(**fixed)
    with matplotlib.rc_context(plots.STYLE):
        fig = Figure(figsize=figsize, dpi=80, layout="none")
        canvas = FigureCanvasAgg(fig)
        state = drawing(fig, **settings[0])
        canvas.draw()
        blitter = widgets.Blitter(fig, canvas)
        moves = 0
        for values in settings[1:] + settings[:1]:
            for step in [values, values, values, *_nudged(values), values]:
                try:
                    drawing.update(state, **drawing.fixed, **step)
                except ValueError:
                    continue
                blitter.render()
                moves += 1
                fresh = Figure(figsize=figsize, dpi=80, layout="none")
                drawing(fresh, **step)
                _assert_same_pixels(np.asarray(canvas.buffer_rgba()), _pixels(fresh),
                                    f"{name} blitted at {step} vs built at them")
    if name not in REBUILT_EVERY_UPDATE:
        assert blitter.full_draws < moves      # the blitting path ran


#: Panels whose update makes new artists every time (how many depends on the setting), so
#: the panel draws them in full: nothing to blit.
REBUILT_EVERY_UPDATE = {"lesson03 receptive field"}


def _legend_build(fig, n):
    ax = fig.add_subplot(1, 1, 1)
    ax.plot([0, 1, 2], [0, 1, 0], label="curve")
    return {"legend": ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))}


def _legend_update(state, n):
    state["legend"].get_texts()[0].set_text(f"{n} samples")   # only a legend's text changes


def test_a_blitted_figure_sees_a_change_inside_a_legend():
    """matplotlib marks the text stale but not its legend: the panel must still redraw it."""
    drawing = widgets.Drawing(_legend_build, _legend_update)
    with matplotlib.rc_context(plots.STYLE):
        fig = Figure(figsize=(5, 2), dpi=80, layout="none")
        canvas = FigureCanvasAgg(fig)
        state = drawing(fig, n=1)
        canvas.draw()
        blitter = widgets.Blitter(fig, canvas)
        for n in (1, 1, 1, 22, 3, 3, 444):
            drawing.update(state, n=n)
            blitter.render()
            fresh = Figure(figsize=(5, 2), dpi=80, layout="none")
            drawing(fresh, n=n)
            _assert_same_pixels(np.asarray(canvas.buffer_rgba()), _pixels(fresh), f"legend text {n}")
        assert blitter.full_draws < 7


def test_the_comparison_sees_a_stale_artist():
    """A broken update (it forgets the title) is caught."""
    lazy = widgets.Drawing(_bump_build, lambda state, centre: _bump_update(state, 0.0) or None)
    with matplotlib.rc_context(plots.STYLE):
        fig = Figure(figsize=(4, 2), dpi=80, layout="none")
        state = lazy(fig, centre=0.0)
        lazy.update(state, centre=1.5)
        fresh = Figure(figsize=(4, 2), dpi=80, layout="none")
        BUMP(fresh, centre=1.5)
        assert np.any(_pixels(fig) != _pixels(fresh))


def test_every_drawing_in_helpers_has_a_case():
    found = set()
    for info in pkgutil.walk_packages(helpers.__path__, "helpers."):
        module = importlib.import_module(info.name)
        found |= {f"{info.name}.{n}" for n, v in vars(module).items() if isinstance(v, widgets.Drawing)}
    tested = {f"{d.build.__module__}.{n}" for n, d in _named(CASES)}
    missing = sorted(found - tested)
    assert not missing, f"{missing} have no row in CASES (tests/presentation/test_panels.py)"


def _named(cases):
    """(public name, drawing) for each case's drawing that lives in a helpers module."""
    for _, drawing, _, _, _, _ in cases:
        module = importlib.import_module(drawing.build.__module__)
        for n, v in vars(module).items():
            if v is drawing:
                yield n, drawing


def test_a_panel_builds_once_and_then_updates_the_same_artists():
    centre = widgets.float_slider("centre", -2, 2, 0.0)
    panel = widgets.SliderPanel(BUMP, {"centre": centre}, figsize=(4, 2))
    line, position = panel.state["line"], panel.figure.axes[0].get_position().bounds
    first_png = panel.image.value
    centre.value = 1.0
    assert panel.state["line"] is line and list(panel.figure.axes[0].lines) == [line]
    np.testing.assert_allclose(line.get_xydata()[30], [0.0, np.exp(-1.0)])
    assert panel.figure.axes[0].get_position().bounds == position      # laid out once
    assert panel.image.value != first_png and panel.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert panel.snapshot(centre=1.0).axes[0].get_title() == "centre 1.00"


def test_a_panel_explains_a_refused_setting_and_keeps_the_last_image():
    def update(state, centre):
        if centre > 1:
            raise ValueError(f"centre {centre} is off the plot; choose centre <= 1")
        _bump_update(state, centre)
    centre = widgets.float_slider("centre", -2, 2, 0.0)
    panel = widgets.SliderPanel(widgets.Drawing(_bump_build, update), {"centre": centre}, figsize=(4, 2))
    good = panel.image.value
    centre.value = 1.5
    assert "choose centre &lt;= 1" in panel.message.value or "choose centre <= 1" in panel.message.value
    assert panel.image.value == good
    centre.value = 0.5
    assert panel.message.value == "" and panel.state["ax"].get_title() == "centre 0.50"


def test_fixed_arguments_reach_build_and_update():
    seen = []
    drawing = widgets.Drawing(lambda fig, a, data: seen.append(("build", a, data)) or {},
                              lambda state, a, data: seen.append(("update", a, data)))
    a = widgets.int_slider("a", 0, 5, 1)
    widgets.SliderPanel(drawing, {"a": a}, figsize=(2, 2), fixed={"data": "D"})
    a.value = 2
    assert seen == [("build", 1, "D"), ("update", 1, "D"), ("update", 2, "D")]


def test_a_drawing_needs_two_functions():
    with pytest.raises(TypeError, match="update must be a function"):
        widgets.Drawing(_bump_build, None)
