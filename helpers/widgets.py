"""Slider panels for the lessons, built from core ipywidgets 8 only.

A panel is a set of controls, a message line and a figure. What the figure shows comes
from a lesson as plain functions, unit-tested without any widget:

* a :class:`Drawing` (the protocol every lesson panel uses): ``build(fig, **values)``
  makes the axes and artists once and returns them (any object: a dict, a dataclass);
  ``update(state, **values)`` puts new numbers into those artists (``set_data``,
  ``set_text``, limits). The panel builds once, lays the figure out once, and afterwards
  only updates, so a slider move redraws the same artists with new data, and only those
  that changed (:class:`Blitter`; steady axes keep that cheap: ``plots.follow_data``);
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

import html
import io
from dataclasses import dataclass, field
from typing import Any, Callable

import matplotlib
import matplotlib.axis
import matplotlib.legend
import matplotlib.spines
import matplotlib.text
import matplotlib.transforms
import numpy as np

import ipywidgets as W
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .plots import STYLE, enable_inline_figures

__all__ = ["Drawing", "SliderPanel", "Blitter", "float_slider", "int_slider", "dropdown", "limit_range"]


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


def _write_png(canvas, out) -> None:
    """The pixels of the canvas's last draw, to PNG (fast zlib level; print_png would draw again).

    An opaque figure (the course's are) goes as RGB: a quarter fewer bytes to compress,
    send and decode than RGBA, the same picture."""
    pixels = np.asarray(canvas.buffer_rgba())
    if pixels[..., 3].min() == 255:
        pixels = np.ascontiguousarray(pixels[..., :3])
    PIL.Image.fromarray(pixels).save(out, format="png", compress_level=1)


def _signature(fig) -> tuple:
    """What a cached background depends on besides the artists' own data: which artists the
    figure and each axes hold, and each axes' position, limits, ticks and axis labels."""
    sig = [tuple(map(id, fig.get_children()))]
    for ax in fig.axes:
        limits = np.round(np.concatenate([ax.get_xlim(), ax.get_ylim()]), 12)   # not the round-off
        sig.append((tuple(map(id, ax.get_children())), ax.get_position().bounds, ax.axison,
                    tuple(limits), ax.get_xlabel(), ax.get_ylabel()))
        for axis in (ax.xaxis, ax.yaxis):
            sig.append((id(axis.get_major_locator()), id(axis.get_major_formatter()),
                        id(axis.get_minor_locator()), id(axis.get_minor_formatter())))
    return tuple(sig)


def _decoration(ax, artist) -> bool:
    """An axes' frame, spines and axes: their look is followed through :func:`_signature`."""
    return artist is ax.patch or isinstance(artist, (matplotlib.axis.Axis, matplotlib.spines.Spine))


def _overlap(a, b) -> bool:
    """Whether two boxes share pixels (touching edges do not)."""
    return a is not None and b is not None and a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def _fingerprint(artist) -> tuple:
    """What decides whether an artist draws at all (an artist that draws nothing stays stale)."""
    return (artist.get_visible(), artist.get_text() if isinstance(artist, matplotlib.text.Text) else None)


def _footprint(artist, renderer, room: float = 0.0):
    """The box of pixels ``artist`` can touch (None if it draws nothing): an artist clipped
    to its axes gets the clip box (its data may move anywhere inside it), 1 px for rounding;
    any other its current extent, 2 px for antialiasing, and a text ``room`` px more on
    each side to grow into."""
    if not artist.get_visible():
        return None
    if isinstance(artist, matplotlib.axis.Axis):    # labels outside, tick marks and grid on the frame
        box = matplotlib.transforms.Bbox.union([b for b in (artist.get_tightbbox(renderer), artist.axes.bbox)
                                                if b is not None]).padded(2)
    elif isinstance(artist, matplotlib.spines.Spine) and artist.spine_type in ("left", "right", "bottom", "top") \
            and artist.get_position() == ("outward", 0.0):                    # one side of the frame
        x0, y0, x1, y1 = artist.axes.bbox.extents
        edge = {"left": (x0, y0, x0, y1), "right": (x1, y0, x1, y1),
                "bottom": (x0, y0, x1, y0), "top": (x0, y1, x1, y1)}[artist.spine_type]
        across = artist.get_linewidth() * artist.figure.dpi / 72 + 2
        w, h = (across, 1) if artist.spine_type in ("left", "right") else (1, across)
        box = matplotlib.transforms.Bbox.from_extents(*edge).padded(w, h)
    elif artist.get_clip_on() and artist.get_clip_path() is None and artist.get_clip_box() is not None:
        box = artist.get_clip_box().padded(1)
    else:
        box = artist.get_window_extent(renderer)
        if box.width == 0 and box.height == 0 and not isinstance(artist, matplotlib.text.Text):
            return None
        box = box.padded(2)
        if isinstance(artist, matplotlib.text.Text):
            box = matplotlib.transforms.Bbox.from_extents(box.x0 - room, box.y0, box.x1 + room, box.y1)
    return matplotlib.transforms.Bbox(box.get_points())


class Blitter:
    """Redraw only what a slider move changed, on a cached picture of everything else.

    matplotlib's documented blitting (``Artist.set_animated``, ``copy_from_bbox``,
    ``restore_region``, ``draw_artist``), applied without the lesson having to say what
    moves: after an update, the artists that matplotlib marks ``stale`` (in the axes, and
    the figure's own texts and legends) are the ones that changed. A full draw paints in order (axes by axes, each in z-order), so
    for the redrawn picture to equal a full draw, the moving artists are the changed ones
    and every artist painted after one of them whose pixels can meet its pixels (a grid
    line over a curve, an axis label of the next axes reaching into this one). While the changes stay within
    the moving artists and inside the pixels they were given, a slider move restores the
    background and draws only them; when anything else changes (limits, ticks, labels,
    which artists exist, a title grown longer), the whole figure is drawn again without the
    moving artists, cached, and they are drawn on top. The result equals a full draw, pixel
    for pixel (``tests/presentation/test_panels.py``).
    """

    def __init__(self, figure, canvas):
        self.figure, self.canvas = figure, canvas
        self.moving: list = []
        self.footprints: list = []     # the pixels each moving artist was allowed, or None
        self.background = None
        self.signature = None
        self.undrawn: dict = {}        # artists still stale after a draw (they draw nothing)
        self.full_draws = 0

    def _figure_texts(self) -> list:
        """The figure's own texts and legends (suptitle, ``fig.text``, ``fig.legend``): painted
        after all the axes."""
        return sorted((a for a in self.figure.get_children()
                       if isinstance(a, (matplotlib.text.Text, matplotlib.legend.Legend))),
                      key=lambda a: a.get_zorder())

    def _candidates(self):
        for ax in self.figure.axes:
            yield from (a for a in ax.get_children() if not _decoration(ax, a))
        yield from self._figure_texts()

    def _inner_texts(self, artist) -> list:
        """A legend's texts: matplotlib marks them stale when they change, not the legend."""
        if isinstance(artist, matplotlib.legend.Legend):
            return [*artist.get_texts(), artist.get_title()]
        return []

    def _is_changed(self, artist) -> bool:
        return artist.stale and (artist not in self.undrawn or self.undrawn[artist] != _fingerprint(artist))

    def _changed(self) -> set:
        return {a for a in self._candidates()
                if self._is_changed(a) or any(self._is_changed(t) for t in self._inner_texts(a))}

    def _drawing_order(self, ax) -> list:
        """``ax``'s artists in the order ``Axes.draw`` paints them (after its frame patch)."""
        order = sorted((a for a in ax.get_children() if a is not ax.patch), key=lambda a: a.get_zorder())
        if not (ax.axison and ax.get_frame_on()):
            order = [a for a in order if not isinstance(a, matplotlib.spines.Spine)]
        if not ax.axison:
            order = [a for a in order if not isinstance(a, matplotlib.axis.Axis)]
        return order

    def _moving_artists(self, changed: set) -> tuple[list, list]:
        renderer = self.canvas.get_renderer()
        moving, boxes = [], []
        last_axes = max((ax.get_zorder() for ax in self.figure.axes), default=0)
        texts = self._figure_texts()
        if any(t.get_zorder() <= last_axes for t in texts):
            return [], []                  # a text under an axes: keep to full draws
        axes = sorted(self.figure.axes, key=lambda ax: ax.get_zorder())      # as Figure.draw paints them
        for artist in [a for ax in axes for a in self._drawing_order(ax)] + texts:
            box = _footprint(artist, renderer, room=5 if artist in changed else 0)   # a digit more
            if artist in changed or any(_overlap(box, b) for b in boxes):
                moving.append(artist)
                boxes.append(box)
        return moving, boxes

    def _fits(self) -> bool:
        """Whether every moving artist still draws inside the pixels it was given."""
        renderer = self.canvas.get_renderer()
        for artist, given in zip(self.moving, self.footprints):
            box = _footprint(artist, renderer)
            if box is not None and (given is None or not given.padded(0.01).contains(*box.p0)
                                    or not given.padded(0.01).contains(*box.p1)):
                return False
        return True

    def render(self) -> None:
        """Bring the canvas's pixels up to date with the figure."""
        changed = self._changed()
        signature = _signature(self.figure)
        steady = signature == self.signature
        self.signature = signature
        if steady and self.background is not None and changed <= set(self.moving) and self._fits():
            self.canvas.restore_region(self.background)
        else:
            for artist in self.moving:
                artist.set_animated(False)
            self.full_draws += 1
            if not steady:            # the axes changed: draw it all, cache once they hold still
                self.moving, self.footprints, self.background = [], [], None
                self.canvas.draw()
            else:
                self.moving, self.footprints = self._moving_artists(changed | set(self.moving))
                for artist in self.moving:
                    artist.set_animated(True)
                self.canvas.draw()
                self.background = self.canvas.copy_from_bbox(self.figure.bbox)
        for artist in self.moving:
            (artist.axes or self.figure).draw_artist(artist)
        self.undrawn = {a: _fingerprint(a) for c in self._candidates() for a in [c, *self._inner_texts(c)]
                        if a.stale}


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
    describe : optional plain function ``(**values) -> str``: a sentence shown in the message
        line under the controls after each good update (text too long for a figure title,
        which would be clipped). None: the line stays empty unless a setting is invalid.

    The figure is drawn in the course style (``plots.STYLE``) and laid out once
    (constrained layout) when it is built; later updates keep those axes positions
    (``Figure.set_layout_engine("none")``). A slider move redraws what changed
    (:class:`Blitter`) and sends one PNG.
    """

    def __init__(self, drawing, controls: dict, figsize=(7.0, 3.0), fixed: dict | None = None,
                 describe: Callable | None = None):
        self.describe = describe
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
        self.message.value = (f"<span>{html.escape(self.describe(**self.values()))}</span>"
                              if self.describe is not None else "")
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
            self.canvas.draw()                              # lays the figure out...
            self.figure.set_layout_engine("none")           # ...and keeps those positions
            self.state = state
            self._blitter = Blitter(self.figure, self.canvas)
        else:
            self.drawing.update(self.state, **self.drawing.fixed, **values)
            self._blitter.render()
        _write_png(self.canvas, png)

    def _draw_plain(self, png) -> None:
        """A plain function: a cleared figure, drawn and laid out afresh."""
        self.figure.clear()
        self.drawing(self.figure, **self.values())
        self.canvas.draw()
        _write_png(self.canvas, png)

    def snapshot(self, **values) -> Figure:
        """A fresh static figure drawn at the default (or given) values, for saved outputs."""
        fig = Figure(figsize=self.figsize, dpi=80, layout="constrained")
        with matplotlib.rc_context(STYLE):
            self.drawing(fig, **{**self.values(), **values})
        return fig
