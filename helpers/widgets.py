"""Slider panels for the lessons, built from core ipywidgets 8 only.

A panel is a set of controls, a message line and a figure. The drawing is a plain
function ``draw(fig, **values)`` that lives in a helpers module and is unit-tested
without any widget: the panel only calls it with the controls' values. When ``draw``
raises ``ValueError`` (an impossible setting), the panel shows the message in words
and keeps the last good figure, so nothing is ever silently clipped.

Usage in a lesson::

    panel = widgets.SliderPanel(draw_peaks, {"centre": widgets.float_slider("centre", -2, 2, 1)})
    panel                     # interactive (in JupyterLab)
    panel.snapshot()          # the default state as a static figure, for the saved notebook
"""

from __future__ import annotations

import html
import io
import time
from typing import Callable

import ipywidgets as W
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .plots import enable_inline_figures

__all__ = ["SliderPanel", "float_slider", "int_slider", "dropdown", "limit_range"]


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


class SliderPanel(W.VBox):
    """Controls + a message line + a figure that ``draw(fig, **values)`` redraws.

    Parameters
    ----------
    draw : function ``(fig, **values) -> None`` drawing onto a cleared matplotlib Figure;
        may raise ValueError with a message for the learner.
    controls : ``{name: widget}``; each widget's ``.value`` is passed as ``name``.
    figsize : the figure size in inches (explicit, as everywhere in the course).
    keep_axes : when True the figure is not cleared between updates: ``draw`` builds its
        axes and artists when ``fig.axes`` is empty and afterwards only updates their data
        (``set_data``, ``set_ydata``, ``set_text``...). Much faster: no axes, ticks or
        layout are rebuilt on each slider move.
    describe : optional plain function ``(**values) -> str``: a sentence shown in the message
        line under the controls after each good update (text too long for a figure title,
        which would be clipped). None: the line stays empty unless a setting is invalid.
    """

    def __init__(self, draw: Callable, controls: dict, figsize=(7.0, 3.0), keep_axes: bool = False,
                 describe: Callable | None = None):
        self.draw = draw
        self.describe = describe
        self.keep_axes = bool(keep_axes)
        self.controls = dict(controls)
        self.figsize = tuple(figsize)
        self.figure = Figure(figsize=self.figsize, dpi=80, layout="constrained")
        self.canvas = FigureCanvasAgg(self.figure)
        self.message = W.HTML(value="")
        # The figure travels as PNG bytes in an Image widget: one binary message per update.
        self.image = W.Image(format="png")
        self.update_times_ms: list[float] = []
        self._positions = None          # axes positions from the first layout
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
        start = time.perf_counter()
        try:
            if not self.keep_axes:
                self.figure.clear()
            self.draw(self.figure, **self.values())
        except ValueError as exc:
            self.message.value = f"<span style='color:#D55E00'>&#9888; {exc}</span>"
            return False
        self.message.value = (f"<span>{html.escape(self.describe(**self.values()))}</span>"
                              if self.describe is not None else "")
        # Lay the figure out once; while the drawing keeps the same axes, reuse those
        # positions instead of re-running the layout engine (which costs a whole extra
        # drawing pass per update). A new arrangement of axes is laid out afresh.
        axes = self.figure.axes
        reuse = self._positions is not None and len(self._positions) == len(axes)
        png = io.BytesIO()
        if reuse:
            self.figure.set_layout_engine("none")
            for ax, position in zip(axes, self._positions):
                ax.set_position(position)
            # One Agg pass straight to PNG: no layout pass, no tight bounding box.
            self.canvas.print_png(png, pil_kwargs={"compress_level": 1})
        else:
            self.figure.set_layout_engine("constrained")
            self.figure.savefig(png, format="png")
            self._positions = [ax.get_position(original=True) for ax in axes]
        self.image.value = png.getvalue()
        self.update_times_ms.append(1000 * (time.perf_counter() - start))
        return True

    def snapshot(self, **values) -> Figure:
        """A fresh static figure drawn at the default (or given) values, for saved outputs."""
        fig = Figure(figsize=self.figsize, dpi=80, layout="constrained")
        self.draw(fig, **{**self.values(), **values})
        return fig

    def median_update_ms(self) -> float:
        """Median time of the updates so far, in milliseconds (compute + redraw)."""
        return float(np.median(self.update_times_ms)) if self.update_times_ms else float("nan")
