"""Slider panels for the lessons, built from core ipywidgets 8 only.

A panel is a set of controls, a message line and a figure. What the figure shows comes
from a lesson as plain functions, unit-tested without any widget:

* a :class:`Drawing` (the protocol every lesson panel uses): ``build(fig, **values)``
  makes the axes and artists once and returns them (any object: a dict, a dataclass);
  ``update(state, **values)`` puts new numbers into those artists (``set_data``,
  ``set_text``, limits). The panel builds once, lays the figure out once, and afterwards
  only updates, so a slider move redraws the same artists with new data;
* or a plain ``draw(fig, **values)``, called on a cleared figure at every move (simple,
  slower; fine for a learner's own panel).

When ``build``/``update``/``draw`` raises ``ValueError`` (an impossible setting), the
panel shows the message in words and keeps the last good image, so nothing is ever
silently clipped. ``tests/presentation/test_panels.py`` proves for every lesson panel that
an updated figure equals a freshly built one.

Usage in a lesson module and its notebook::

    def _build(fig, centre):                      # axes and artists, once
        ax = fig.add_subplot()
        (line,) = ax.plot([], [])
        return {"ax": ax, "line": line}

    def _update(state, centre):                   # new data into the same artists
        state["line"].set_data(x, np.exp(-(x - centre) ** 2))
        state["ax"].set_title(f"centre {centre:.2f}")

    draw_bump = widgets.Drawing(_build, _update)

    panel = widgets.SliderPanel(draw_bump, {"centre": widgets.float_slider("centre", -2, 2, 1)})
    panel                     # interactive (in JupyterLab)
    plots.show(panel.snapshot(), alt="...")   # the default state as a static figure
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any, Callable

import matplotlib

import ipywidgets as W
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .plots import STYLE, enable_inline_figures

__all__ = ["Drawing", "SliderPanel", "float_slider", "int_slider", "dropdown", "limit_range"]


def float_slider(description: str, min: float, max: float, value: float, step: float = 0.01,
                 readout_format: str = ".2f") -> W.FloatSlider:
    """A FloatSlider with the course's layout (wide enough to read its label)."""
    return W.FloatSlider(value=value, min=min, max=max, step=step, description=description,
                         readout_format=readout_format, continuous_update=True,
                         style={"description_width": "initial"}, layout=W.Layout(width="420px"))


def int_slider(description: str, min: int, max: int, value: int, step: int = 1) -> W.IntSlider:
    """An IntSlider with the course's layout."""
    return W.IntSlider(value=value, min=min, max=max, step=step, description=description,
                       continuous_update=True, style={"description_width": "initial"},
                       layout=W.Layout(width="420px"))


def dropdown(description: str, options, value=None) -> W.Dropdown:
    """A Dropdown with the course's layout."""
    return W.Dropdown(options=options, value=value if value is not None else list(options)[0],
                      description=description, style={"description_width": "initial"})


def limit_range(target: W.Widget, sources: list[W.Widget], bounds: Callable[..., tuple]) -> None:
    """Keep ``target``'s ``(min, max)`` equal to ``bounds(*source values)`` as sources move.

    Use it where the maths ties sliders together (a kernel can't be longer than its padded
    input): the impossible values simply can't be chosen. ``bounds`` is a plain function.
    """
    def refresh(_change=None):
        lo, hi = bounds(*[s.value for s in sources])
        if hi < target.min:          # set in an order that never makes min > max
            target.min = lo
            target.max = hi
        else:
            target.max = hi
            target.min = lo
    for s in sources:
        s.observe(refresh, names="value")
    refresh()


@dataclass(frozen=True)
class Drawing:
    """A slider figure as two plain functions: build the artists once, then update them.

    build : ``build(fig, **kwargs) -> state``: adds the axes and artists to an empty
        ``fig`` and returns them (any object). It may leave the data to ``update``.
    update : ``update(state, **kwargs) -> None``: shows ``kwargs`` in those artists. It
        must set everything that depends on ``kwargs`` (data, texts, limits, ticks), so
        that updating to some values draws the same as building at them; it should raise
        ``ValueError`` before changing anything when a setting is impossible.
    fixed : keyword arguments passed to both on every call (data computed once in the
        notebook); add them with :meth:`with_fixed`.

    Calling a Drawing, ``drawing(fig, **values)``, builds and updates once: a complete
    static figure (what ``SliderPanel.snapshot`` and the tests do). Returns the state.
    """

    build: Callable[..., Any]
    update: Callable[..., None]
    fixed: dict = field(default_factory=dict)

    def __post_init__(self):
        for name in ("build", "update"):
            if not callable(getattr(self, name)):
                raise TypeError(f"{name} must be a function, got {type(getattr(self, name)).__name__}; "
                                f"see helpers.widgets.Drawing for the two functions a panel needs")

    def with_fixed(self, **fixed) -> "Drawing":
        """The same drawing with ``fixed`` keyword arguments passed to build and update."""
        return Drawing(self.build, self.update, {**self.fixed, **fixed})

    def __call__(self, fig, *args, **values):
        kwargs = {**self.fixed, **values}
        state = self.build(fig, *args, **kwargs)
        self.update(state, *args, **kwargs)
        return state


class SliderPanel(W.VBox):
    """Controls + a message line + a figure, redrawn from the controls' values.

    Parameters
    ----------
    drawing : a :class:`Drawing` (built once, then updated), or a plain function
        ``draw(fig, **values)`` called on a cleared figure at every change. Either may
        raise ValueError with a message for the learner.
    controls : ``{name: widget}``; each widget's ``.value`` is passed as ``name``.
    figsize : the figure size in inches (explicit, as everywhere in the course).
    fixed : keyword arguments passed on every call besides the controls' values (data
        computed once in the notebook).

    The figure is drawn in the course style (``plots.STYLE``) and laid out once
    (constrained layout) when it is built; later updates keep those axes positions
    (``Figure.set_layout_engine("none")``), so a slider move costs one Agg draw and one PNG.
    """

    def __init__(self, drawing, controls: dict, figsize=(7.0, 3.0), fixed: dict | None = None):
        if isinstance(drawing, Drawing):
            drawing = drawing.with_fixed(**(fixed or {}))
        elif callable(drawing):
            if fixed:
                plain = drawing
                drawing = lambda fig, **values: plain(fig, **fixed, **values)  # noqa: E731
        else:
            raise TypeError(f"drawing must be a widgets.Drawing or a function draw(fig, **values), "
                            f"got {type(drawing).__name__}")
        self.drawing = drawing
        self.controls = dict(controls)
        self.figsize = tuple(figsize)
        self.figure = Figure(figsize=self.figsize, dpi=80, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        self.state = None               # what drawing.build returned, once built
        self.message = W.HTML(value="")
        # The figure travels as PNG bytes in an Image widget: one binary message per update.
        self.image = W.Image(format="png")
        enable_inline_figures()
        super().__init__(children=[*self.controls.values(), self.message, self.image])
        self.add_class("kf-slider-panel")
        for widget in self.controls.values():
            widget.observe(self._on_change, names="value")
        self.update()

    def values(self) -> dict:
        """The controls' current values, by name."""
        return {name: widget.value for name, widget in self.controls.items()}

    def _on_change(self, _change) -> None:
        self.update()

    def update(self) -> bool:
        """Redraw for the current values; returns False (and explains) for an invalid setting."""
        png = io.BytesIO()
        try:
            with matplotlib.rc_context(STYLE):
                if isinstance(self.drawing, Drawing):
                    self._draw_with(png)
                else:
                    self._draw_plain(png)
        except ValueError as exc:
            self.message.value = f"<span style='color:#D55E00'>&#9888; {exc}</span>"
            return False
        self.message.value = ""
        self.image.value = png.getvalue()
        return True

    def _draw_with(self, png) -> None:
        """A Drawing: build and lay out once, afterwards update the same artists."""
        values = self.values()
        if self.state is None:
            self.figure.clear()
            self.figure.set_layout_engine("constrained")
            state = self.drawing.build(self.figure, **self.drawing.fixed, **values)
            self.drawing.update(state, **self.drawing.fixed, **values)
            self.canvas.print_png(png)                      # lays the figure out...
            self.figure.set_layout_engine("none")           # ...and keeps those positions
            self.state = state
            return
        self.drawing.update(self.state, **self.drawing.fixed, **values)
        # One Agg draw straight to PNG (savefig would add a layout pass: it draws once more
        # whenever the figure has a layout engine, even "none").
        self.canvas.print_png(png, pil_kwargs={"compress_level": 1})

    def _draw_plain(self, png) -> None:
        """A plain function: a cleared figure, drawn and laid out afresh."""
        self.figure.clear()
        self.drawing(self.figure, **self.values())
        self.canvas.print_png(png, pil_kwargs={"compress_level": 1})

    def snapshot(self, **values) -> Figure:
        """A fresh static figure drawn at the default (or given) values, for saved outputs."""
        fig = Figure(figsize=self.figsize, dpi=80, layout="constrained")
        with matplotlib.rc_context(STYLE):
            self.drawing(fig, **{**self.values(), **values})
        return fig
