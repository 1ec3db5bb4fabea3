"""Lesson 06's slider: what the trained network sees (:mod:`helpers.cnn` is the network)."""

from __future__ import annotations

import math

import numpy as np

from .. import layers, plots
from .._validate import as_float_array
from ..cnn import History, feature_maps, forward
from ..widgets import Drawing

__all__ = ["mosaic", "draw_explorer"]


def mosaic(maps, columns: int = 8, gap: int = 1) -> np.ndarray:
    """Tile ``maps (F, H, W)`` into one image, ``columns`` per row, separated by NaN gaps.

    Each map is scaled by its own largest absolute value (so every tile spans -1..1).
    """
    maps = as_float_array(maps, "maps", ndim=3, shape_hint="(F, H, W)")
    f, h, w = maps.shape
    rows = math.ceil(f / columns)
    cols = min(columns, f)
    out = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap), np.nan)
    for i, m in enumerate(maps):
        r, c = divmod(i, columns)
        scale = float(np.max(np.abs(m))) or 1.0
        out[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = m / scale
    return out


def _explorer(epoch: int, index: int, history: History, images, labels):
    """The three arrays and titles the explorer shows (checks the indices first)."""
    if not 0 <= epoch < len(history.snapshots):
        raise ValueError(f"epoch must be between 0 and {len(history.snapshots) - 1}, got {epoch}.")
    if not 0 <= index < len(images):
        raise ValueError(f"index must be between 0 and {len(images) - 1}, got {index}.")
    params = history.snapshots[epoch]
    x = np.asarray(images[index:index + 1], dtype=float)
    logits, _ = forward(params, x)
    probs = layers.softmax(logits)[0]
    pred = int(np.argmax(probs))
    verdict = "right" if pred == int(labels[index]) else "WRONG"
    arrays = (x[0, 0], mosaic(params["w1"][:, 0], columns=4), mosaic(feature_maps(params, x)[0], columns=4))
    titles = (f"test image {index}, label {int(labels[index])}\npredicted {pred} "
              f"({100 * probs[pred]:.0f}%): {verdict}",
              f"{params['w1'].shape[0]} filters, epoch {epoch}\n(4 per row, filter 0 top left)",
              "their ReLU feature maps\n(same order)")
    return arrays, titles


def _build_explorer(fig, epoch: int, index: int, *, history: History, images, labels) -> dict:
    arrays, _ = _explorer(epoch, index, history, images, labels)
    grid = fig.add_gridspec(1, 3, width_ratios=[1, 1.6, 1.6])
    styles = [dict(cmap="gray_r", vmin=0, vmax=1), dict(cmap=plots.DIVERGING, vmin=-1, vmax=1),
              dict(cmap="gray", vmin=0, vmax=1)]
    shown, axes = [], []
    for column, (array, style) in enumerate(zip(arrays, styles)):
        ax = fig.add_subplot(grid[0, column])
        shown.append(ax.imshow(np.zeros_like(array), zorder=plots.IMAGE_ZORDER, **style))
        ax.set_axis_off()
        axes.append(ax)
    # the filters are signed: a colour bar says which colour is which sign (each tile is scaled
    # by its own largest |weight|, so the bar runs from -1 to 1 in those units)
    fig.colorbar(shown[1], ax=axes[1], shrink=0.8, label="weight / the filter's largest |weight|")
    return {"axes": axes, "images": shown}


def _update_explorer(state: dict, epoch: int, index: int, *, history: History, images, labels) -> None:
    arrays, titles = _explorer(epoch, index, history, images, labels)
    for ax, image, array, title in zip(state["axes"], state["images"], arrays, titles):
        image.set_data(array)
        ax.set_title(title)


#: Slider figure ``draw_explorer(fig, epoch, index, *, history, images, labels)``: the network
#: at the end of ``epoch`` on test image ``index``: the digit with the predicted class, the
#: first-layer filters (with a colour bar: red positive, blue negative), and their ReLU feature
#: maps on that digit. Three image axes and a colour bar, no ticks; an update is one forward
#: pass on one digit and three new arrays.
draw_explorer = Drawing(_build_explorer, _update_explorer)
