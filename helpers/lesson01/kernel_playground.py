"""Lesson 01's kernel playground: type any 3x3 or 5x5 kernel and watch the photo change.

Plain functions (tested without widgets):

* :func:`preset_kernel` gives the classic kernels (identity, box blur, Gaussian, sharpen,
  Sobel x and y, Laplacian, emboss, a patch cut from the photo), rounded to 3 decimals
  because that is what the editor's boxes show;
* :func:`kernel_facts` computes the facts that explain the output (sum of the taps, what a
  flat region becomes);
* :data:`draw_playground` (a ``widgets.Drawing``: build once, then update) draws the kernel
  and the filtered photo (a valid correlation), with a diverging colour map and a colour bar
  whenever the output has negative values.

:class:`KernelEditor` is the control: a grid of number boxes (every tap one box), a preset
menu and a size switch; its ``value`` is the kernel as a tuple of rows, so a
``widgets.SliderPanel`` redraws whenever any number changes.
"""

from __future__ import annotations

import functools

import ipywidgets as W
import matplotlib.ticker
import numpy as np
import traitlets

from .. import data, filters, plots, widgets
from .._validate import as_float_array
from ..conv import correlate2d

__all__ = ["PRESETS", "PATCH_CENTRE", "preset_kernel", "kernel_facts", "filtered_photo",
           "draw_playground", "KernelEditor"]

#: the preset names, in menu order
PRESETS = ("identity", "box blur", "Gaussian", "sharpen", "Sobel x", "Sobel y", "Laplacian",
           "emboss", "patch from the photo")
#: (row, column) of the photo pixel at the centre of the "patch from the photo" preset (an eye)
PATCH_CENTRE = (106, 108)
_DECIMALS = 3


@functools.lru_cache(maxsize=1)
def _photo() -> np.ndarray:
    return np.asarray(data.load_photo(), dtype=float)


def _centred(kernel3: np.ndarray, size: int) -> np.ndarray:
    """A 3x3 kernel in the middle of a ``size x size`` one (outer ring 0)."""
    out = np.zeros((size, size))
    o = (size - 3) // 2
    out[o:o + 3, o:o + 3] = kernel3
    return out


def preset_kernel(name: str, size: int = 3) -> np.ndarray:
    """The preset ``name`` (one of :data:`PRESETS`) as a ``(size, size)`` array, size 3 or 5.

    Kernels defined as 3x3 (sharpen, Sobel, Laplacian, emboss) sit in the middle of a 5x5 one,
    with an outer ring of zeros. Box blur and Gaussian are made for the size (the Gaussian with
    sigma = (size - 1) / 4, so the window reaches 2 sigma, as lesson 01 requires). Values are
    rounded to 3 decimals, as the editor shows them.
    """
    if size not in (3, 5):
        raise ValueError(f"size must be 3 or 5, got {size!r}.")
    if name == "identity":
        k = _centred(np.array([[0.0, 0, 0], [0, 1, 0], [0, 0, 0]]), size)
    elif name == "box blur":
        k = filters.box(size)
    elif name == "Gaussian":
        k = filters.gaussian((size - 1) / 4, size=size)
    elif name == "sharpen":
        k = _centred(np.array([[0.0, -1, 0], [-1, 5, -1], [0, -1, 0]]), size)
    elif name == "Sobel x":
        k = _centred(filters.sobel("x"), size)
    elif name == "Sobel y":
        k = _centred(filters.sobel("y"), size)
    elif name == "Laplacian":
        k = _centred(filters.laplacian(), size)
    elif name == "emboss":
        k = _centred(np.array([[-2.0, -1, 0], [-1, 1, 1], [0, 1, 2]]), size)
    elif name == "patch from the photo":
        r, c = PATCH_CENTRE
        h = size // 2
        k = _photo()[r - h:r + h + 1, c - h:c + h + 1]
    else:
        raise ValueError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}.")
    return np.round(np.asarray(k, dtype=float), _DECIMALS) + 0.0      # + 0.0: no -0.0


def _as_kernel(kernel) -> np.ndarray:
    k = as_float_array(kernel, "kernel", ndim=2, shape_hint="(K, K) with K = 3 or 5")
    if k.shape not in ((3, 3), (5, 5)):
        raise ValueError(f"kernel must be 3x3 or 5x5, got shape {k.shape}.")
    return k


def filtered_photo(kernel) -> np.ndarray:
    """The photo ``(300, 256)`` correlated with ``kernel`` (valid): ``(300 - K + 1, 256 - K + 1)``."""
    return correlate2d(_photo(), _as_kernel(kernel), "valid")


def kernel_facts(kernel, output=None) -> dict:
    """What explains the filtered photo, from the numbers alone.

    Returns ``{"sum": sum of taps, "zero_sum": |sum| < 1e-9, "flat_in": 0.5,
    "flat_out": sum * 0.5 (what a flat grey region of 0.5 becomes), "photo_mean",
    "output_mean", "negative_share" (share of output pixels below 0), "text": one line,
    "short": the first half of it, for the figure}``.
    ``output`` defaults to :func:`filtered_photo` of ``kernel``.
    """
    k = _as_kernel(kernel)
    out = filtered_photo(k) if output is None else np.asarray(output, dtype=float)
    total = float(k.sum())
    zero_sum = abs(total) < 1e-9
    facts = {"sum": total, "zero_sum": zero_sum, "flat_in": 0.5, "flat_out": 0.5 * total,
             "photo_mean": float(_photo().mean()), "output_mean": float(out.mean()),
             "negative_share": float(np.mean(out < 0))}
    facts["short"] = (f"taps sum to 0: flat regions become 0" if zero_sum else
                      f"taps sum to {total:.3f}: flat grey 0.5 becomes {facts['flat_out']:.3f}")
    if zero_sum:
        facts["text"] = ("taps sum to 0: any flat region comes out as 0, so only changes show "
                         f"(output mean {facts['output_mean']:+.3f})")
    else:
        facts["text"] = (f"taps sum to {total:.3f}: a flat region of grey 0.5 comes out as "
                         f"{facts['flat_out']:.3f}; output mean {facts['output_mean']:.3f} "
                         f"(photo mean {facts['photo_mean']:.3f})")
    return facts


def _colour_limits(out: np.ndarray) -> tuple[str, float, float]:
    """Diverging map centred on 0 (out to the 99th percentile of |output|) when the output
    has negative values; otherwise grey from its minimum to its maximum. Either range is
    rounded out to the colour bar's round-number ticks, so the scale holds still while a
    tap is nudged (and the panel can keep its picture of the colour bar)."""
    if out.min() < 0:
        lim = float(np.percentile(np.abs(out), 99)) or float(np.max(np.abs(out))) or 1.0
        ticks = matplotlib.ticker.MaxNLocator(4, symmetric=True).tick_values(-lim, lim)
        return plots.DIVERGING, float(ticks[0]), float(ticks[-1])
    lo, hi = float(out.min()), float(out.max())
    ticks = matplotlib.ticker.MaxNLocator(4).tick_values(lo, hi if hi > lo else lo + 1.0)
    return "gray", float(ticks[0]), float(ticks[-1])


def _extent(out_shape, k: int) -> tuple:
    """Where a valid output sits on the photo: output pixel (i, j) is centred on photo pixel (i + k//2, j + k//2)."""
    h = k // 2
    return (h - 0.5, h + out_shape[1] - 0.5, h + out_shape[0] - 0.5, h - 0.5)


def _build_playground(fig, kernel) -> dict:
    """Axes and artists of the playground figure (their data comes from :func:`_update_playground`)."""
    # No separate photo: the "identity" preset shows it, and every extra axes costs drawing time.
    ax_k, ax_out = fig.subplots(1, 2, gridspec_kw={"width_ratios": [0.6, 1]})
    kernel_image = plots.show_kernel(ax_k, np.zeros((3, 3)), "the kernel (its taps)", fmt="{:.2f}").images[0]
    for text in list(ax_k.texts):
        text.remove()
    # A table of numbers, laid out as the kernel: no ticks (its tick labels would cost a
    # quarter of every update), the cells speak for themselves.
    ax_k.set_xticks([])
    ax_k.set_yticks([])
    ax_k.set_xlabel("")
    ax_k.set_ylabel("")
    out = ax_out.imshow(np.zeros((2, 2)), cmap="gray", vmin=0, vmax=1, zorder=plots.IMAGE_ZORDER)
    ax_out.set_xlim(-0.5, _photo().shape[1] - 0.5)           # the photo's coordinates, whatever the kernel
    ax_out.set_ylim(_photo().shape[0] - 0.5, -0.5)
    ax_out.set_xlabel("column j")
    ax_out.set_ylabel("row i")
    ax_out.grid(False)
    ax_out.set_title("photo filtered by the kernel (valid)")
    bar = fig.colorbar(out, ax=ax_out, shrink=0.8)
    bar.set_label("output (signed: scale rounded up from the 99th pct)")
    bar.locator = matplotlib.ticker.MaxNLocator(4)
    ax_out.set_xticks([0, 100, 200])           # few ticks: each tick label costs drawing time
    ax_out.set_yticks([0, 100, 200])
    return {"ax_k": ax_k, "kernel": kernel_image, "numbers": [], "out": out,
            "fact": fig.suptitle("", fontsize=10)}


def _update_playground(state: dict, kernel) -> None:
    """Show ``kernel`` and the photo filtered by it in the artists of :func:`_build_playground`."""
    k = _as_kernel(kernel)                     # raises before anything changes
    out = filtered_photo(k)
    facts = kernel_facts(k, out)
    cmap, lo, hi = _colour_limits(out)
    ax_k = state["ax_k"]
    if len(state["numbers"]) == k.size:
        plots.update_kernel(state["kernel"], state["numbers"], k, "{:.2f}")
    else:                                      # another size: new cells, numbers and ticks
        plots.update_kernel(state["kernel"], [], k)
        for text in state["numbers"]:
            text.remove()
        state["numbers"] = plots.kernel_numbers(ax_k, k, "{:.2f}")
        ax_k.set_xlim(-0.5, k.shape[1] - 0.5)
        ax_k.set_ylim(k.shape[0] - 0.5, -0.5)
    im = state["out"]
    im.set_data(out)
    im.set_extent(_extent(out.shape, k.shape[0]))
    if im.get_cmap().name != cmap:
        im.set_cmap(cmap)
    if im.get_clim() != (lo, hi):              # a new scale redraws the colour bar
        im.set_clim(lo, hi)
    state["fact"].set_text(facts["short"])


#: Slider figure ``draw_playground(fig, kernel)`` (a ``widgets.Drawing``): the kernel with its
#: numbers and the photo filtered by the kernel (valid), drawn in the photo's own coordinates
#: (a valid output pixel sits on the photo pixel under the kernel's centre), so the output's
#: axes never change; ``kernel`` is a 3x3 or 5x5 array or tuple of rows.
draw_playground = widgets.Drawing(_build_playground, _update_playground)


class KernelEditor(W.VBox):
    """A kernel you can type: a preset menu, a 3x3 / 5x5 switch and one number box per tap.

    ``value`` is the kernel as a tuple of rows (floats); it changes once per edit, and once
    (not once per box) when a preset or the size is chosen. Use it as the only control of a
    ``widgets.SliderPanel(draw_playground, {"kernel": editor})``.
    """

    value = traitlets.Tuple()

    def __init__(self, preset: str = "identity", size: int = 3, low: float = -10.0, high: float = 10.0):
        self._syncing = False
        self.boxes = [[W.BoundedFloatText(value=0.0, min=low, max=high, step=0.1, continuous_update=True,
                                          layout=W.Layout(width="72px"))
                       for _ in range(5)] for _ in range(5)]
        self.preset = W.Dropdown(options=PRESETS, value=preset, description="preset",
                                 style={"description_width": "initial"})
        self.size = W.ToggleButtons(options=[("3x3", 3), ("5x5", 5)], value=size, description="size",
                                    style={"description_width": "initial", "button_width": "48px"})
        self.grid = W.GridBox([b for row in self.boxes for b in row],
                              layout=W.Layout(grid_template_columns=f"repeat({size}, 76px)", grid_gap="2px"))
        super().__init__(children=[W.HBox([self.preset, self.size]), self.grid])
        self.add_class("kf-kernel-editor")
        for row in self.boxes:
            for box in row:
                box.observe(self._box_changed, names="value")
        self.preset.observe(self._load_preset, names="value")
        self.size.observe(self._load_preset, names="value")
        self.set_kernel(preset_kernel(preset, size))

    def kernel(self) -> np.ndarray:
        """The current kernel as a ``(size, size)`` array."""
        return np.array(self.value, dtype=float)

    def _read(self) -> tuple:
        s = self.size.value
        o = (5 - s) // 2
        return tuple(tuple(float(self.boxes[o + i][o + j].value) for j in range(s)) for i in range(s))

    def _box_changed(self, _change) -> None:
        if not self._syncing:
            self.value = self._read()

    def _load_preset(self, _change=None) -> None:
        self.set_kernel(preset_kernel(self.preset.value, self.size.value))

    def set_kernel(self, kernel) -> None:
        """Show ``kernel`` (3x3 or 5x5) in the boxes and switch the size to match; one ``value`` change."""
        k = _as_kernel(kernel)
        s = k.shape[0]
        o = (5 - s) // 2
        self._syncing = True
        try:
            if self.size.value != s:
                self.size.value = s
            for i in range(5):
                for j in range(5):
                    inside = o <= i < o + s and o <= j < o + s
                    box = self.boxes[i][j]
                    box.value = float(k[i - o, j - o]) if inside else 0.0
                    box.layout.display = None if inside else "none"
            self.grid.layout.grid_template_columns = f"repeat({s}, 76px)"
        finally:
            self._syncing = False
        self.value = self._read()
