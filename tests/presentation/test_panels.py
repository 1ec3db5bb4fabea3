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
    """(id, drawing, fixed keyword arguments, figsize, [values, values, ...]) per panel."""
    return [
        ("demo bump", BUMP, {}, (4, 2), [{"centre": 0.0}, {"centre": 1.5}, {"centre": -2.0}]),
    ]


CASES = _cases()


def _pixels(fig) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("name, drawing, fixed, figsize, settings", CASES, ids=[c[0] for c in CASES])
def test_an_updated_figure_equals_a_fresh_one(name, drawing, fixed, figsize, settings):
    drawing = drawing.with_fixed(**fixed)
    with matplotlib.rc_context(plots.STYLE):
        fig = Figure(figsize=figsize, dpi=80)
        state = drawing(fig, **settings[0])
        for values in settings[1:] + settings[:1]:          # through every setting and back
            drawing.update(state, **drawing.fixed, **values)
            fresh = Figure(figsize=figsize, dpi=80)
            drawing(fresh, **values)
            got, want = _pixels(fig), _pixels(fresh)
            assert got.shape == want.shape
            differ = np.any(got != want, axis=-1)
            assert not differ.any(), (f"{name} at {values}: {int(differ.sum())} pixels differ from a fresh "
                                      f"figure (rows {np.flatnonzero(differ.any(axis=1))[[0, -1]]})")


def test_the_comparison_sees_a_stale_artist():
    """A broken update (it forgets the title) is caught."""
    lazy = widgets.Drawing(_bump_build, lambda state, centre: _bump_update(state, 0.0) or None)
    with matplotlib.rc_context(plots.STYLE):
        fig = Figure(figsize=(4, 2), dpi=80)
        state = lazy(fig, centre=0.0)
        lazy.update(state, centre=1.5)
        fresh = Figure(figsize=(4, 2), dpi=80)
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
    for _, drawing, _, _, _ in cases:
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
