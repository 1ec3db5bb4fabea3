"""One figure style for the whole course.

Colours are the Okabe-Ito palette, readable with the common colour-vision deficiencies.
Images use ``gray``; signed arrays (kernels, feature maps, gradients) use a diverging map
centred on zero so that positive and negative weights are told apart at a glance.
"""

from __future__ import annotations

import matplotlib

matplotlib.rcParams["figure.max_open_warning"] = 0
import matplotlib.pyplot as plt  # noqa: E402  (the inline backend registers here)
import numpy as np  # noqa: E402
from cycler import cycler  # noqa: E402

__all__ = ["PALETTE", "STYLE", "IMAGE_ZORDER", "follow_data", "use_course_style", "enable_inline_figures", "figure", "show", "show_image", "show_kernel",
           "kernel_numbers", "update_kernel", "plot_signal", "mark_points"]

#: Okabe & Ito (2008): black, orange, sky blue, bluish green, yellow, blue, vermillion, purple
PALETTE = {
    "black": "#000000", "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73",
    "yellow": "#F0E442", "blue": "#0072B2", "red": "#D55E00", "purple": "#CC79A7",
}
_CYCLE = [PALETTE[c] for c in ("blue", "orange", "green", "red", "purple", "sky", "yellow", "black")]
DIVERGING = "RdBu_r"
#: Images sit just above the axes' ticks (zorder 1.5 under ``axes.axisbelow: "line"``) and
#: below lines (2) and texts (3): a slider panel can then redraw a changed image without
#: redrawing the axis it borders (see ``widgets.Blitter``).
IMAGE_ZORDER = 1.6


def enable_inline_figures() -> None:
    """Let IPython display any matplotlib Figure as a PNG (also ones made without pyplot).

    Slider panels draw on ``matplotlib.figure.Figure`` objects that pyplot does not manage
    (so nothing is shown twice and nothing leaks); this registers the PNG formatter for them.
    Does nothing outside IPython.
    """
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import select_figure_formats
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        select_figure_formats(shell, {"png"})


#: The course's matplotlib settings (rcParams). ``axes.titley = 1.0`` puts every title at
#: the top edge of its axes once, instead of measuring the tick labels at every draw.
STYLE = {
    "figure.figsize": (7.0, 3.0),
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "figure.constrained_layout.use": True,
    "axes.prop_cycle": cycler(color=_CYCLE),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.titley": 1.0,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "image.cmap": "gray",
    "image.interpolation": "nearest",
    # Unhinted glyphs look the same at 80 dpi and render faster: text is most of what a
    # slider move redraws (measured: a full draw of lesson 03's grids 35 -> 27 ms).
    "text.hinting": "no_hinting",
}


def use_course_style() -> None:
    """Set matplotlib defaults for every lesson (call once, in the setup cell): :data:`STYLE`."""
    enable_inline_figures()
    matplotlib.rcParams.update(STYLE)


def figure(nrows: int = 1, ncols: int = 1, figsize=(7.0, 3.0), **kwargs):
    """``plt.subplots`` with an explicit size; returns ``(fig, axes)`` (axes squeezed)."""
    return plt.subplots(nrows, ncols, figsize=figsize, **kwargs)


def show(fig, alt: str) -> None:
    """Display ``fig`` as a PNG whose output carries ``alt`` text, then close it.

    The alt text travels in the cell output's metadata (``{"image/png": {"alt": alt}}``), so
    JupyterLab's screen readers, the HTML export and the course website all get it. Write it
    for someone who cannot see the figure: what is plotted, and what to notice.

    fig : a matplotlib ``Figure`` (from ``plots.figure``, ``plt.subplots`` or a slider panel's
        ``snapshot()``).
    alt : at least 20 characters of plain text.
    """
    from matplotlib.figure import Figure

    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}; "
                        "pass the figure from plots.figure(...) or panel.snapshot()")
    if not isinstance(alt, str) or len(alt.strip()) < 20:
        raise ValueError("alt must describe the figure in words (at least 20 characters): "
                         "what is plotted and what to notice")
    from IPython.display import display

    display(fig, metadata={"image/png": {"alt": alt.strip()}})
    plt.close(fig)


def follow_data(ax, x: bool = True, y: bool = True) -> None:
    """Fit ``ax``'s limits to its data, rounded out to the nearest ticks.

    What slider panels call after new data: the axes move only when the data crosses a
    tick (matplotlib's ``axes.autolimit_mode: "round_numbers"``), so the learner sees the
    curve change against steady axes, and the panel can reuse its picture of them.
    """
    ax.relim()
    with matplotlib.rc_context({"axes.autolimit_mode": "round_numbers"}):
        ax.autoscale_view(scalex=x, scaley=y)


def show_image(ax, image, title: str = "", signed: bool | None = None, colorbar: bool = False):
    """Draw a 2-D array ``(H, W)`` with row/column index axes.

    ``signed=True`` uses a diverging map centred on 0 (for kernels and feature maps);
    by default it is chosen from the data (any negative value means signed).
    """
    image = np.asarray(image, dtype=float)
    if signed is None:
        signed = bool(np.min(image) < 0)
    if signed:
        lim = float(np.max(np.abs(image))) or 1.0
        im = ax.imshow(image, cmap=DIVERGING, vmin=-lim, vmax=lim, zorder=IMAGE_ZORDER)
    else:
        im = ax.imshow(image, cmap="gray", zorder=IMAGE_ZORDER)
    ax.set_title(title)
    ax.set_xlabel("column j")
    ax.set_ylabel("row i")
    ax.grid(False)
    if colorbar:
        ax.figure.colorbar(im, ax=ax, shrink=0.8)
    return im


def show_kernel(ax, kernel, title: str = "kernel", fmt: str = "{:.2g}"):
    """Draw a small 1-D or 2-D kernel as coloured cells with its numbers written in."""
    k = np.atleast_2d(np.asarray(kernel, dtype=float))
    show_image(ax, k, title, signed=True)
    if k.size <= 121:
        kernel_numbers(ax, k, fmt)
    ax.set_xticks(range(k.shape[1]))
    ax.set_yticks(range(k.shape[0]))
    return ax


def _number_colour(value: float, lim: float) -> str:
    """White on the dark ends of the diverging map, black in its pale middle."""
    return "white" if abs(value) > 0.6 * lim else "black"


def kernel_numbers(ax, kernel, fmt: str = "{:.2g}") -> list:
    """Write each value of a 2-D ``kernel`` in its cell (as :func:`show_kernel` does); returns the Texts."""
    k = np.atleast_2d(np.asarray(kernel, dtype=float))
    lim = float(np.max(np.abs(k))) or 1.0
    return [ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=9,
                    color=_number_colour(v, lim))
            for (i, j), v in np.ndenumerate(k)]


def update_kernel(image, numbers: list, kernel, fmt: str = "{:.2g}") -> None:
    """Show a new ``kernel`` in an existing :func:`show_kernel` drawing, without redrawing the axes.

    ``image`` is the axes' ``AxesImage``; the colour scale stays centred on 0, and a kernel of
    another size gets the extent ``imshow`` would give it. ``numbers`` (the Texts of
    :func:`kernel_numbers`, one per value, or an empty list) are rewritten with ``fmt``.
    """
    k = np.atleast_2d(np.asarray(kernel, dtype=float))
    if numbers and len(numbers) != k.size:
        raise ValueError(f"numbers has {len(numbers)} texts but kernel has {k.size} values; "
                         f"write new ones with kernel_numbers(ax, kernel) after a change of size.")
    lim = float(np.max(np.abs(k))) or 1.0
    image.set_data(k)
    image.set_clim(-lim, lim)
    extent = (-0.5, k.shape[1] - 0.5, k.shape[0] - 0.5, -0.5)
    if tuple(image.get_extent()) != extent:      # set_extent resets the axes' limits: only on a new size
        image.set_extent(extent)
    for text, v in zip(numbers, k.ravel()):
        text.set_text(fmt.format(v))
        text.set_color(_number_colour(v, lim))


def plot_signal(ax, y, x=None, label: str | None = None, marker: str = "o", **kwargs):
    """Plot a 1-D signal against its 0-based sample index (or ``x``), markers on samples."""
    y = np.asarray(y, dtype=float)
    x = np.arange(y.shape[0]) if x is None else np.asarray(x)
    line, = ax.plot(x, y, marker=marker, markersize=4, label=label, **kwargs)
    ax.set_xlabel("index i (0-based)")
    return line


def mark_points(ax, x, y, label: str | None = None, color: str = PALETTE["red"]):
    """Circle chosen points (for example detected peaks) on a signal plot."""
    return ax.scatter(x, y, s=90, facecolors="none", edgecolors=color, linewidths=2,
                      label=label, zorder=3)
