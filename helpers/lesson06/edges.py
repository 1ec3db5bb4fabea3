"""Lesson 06: do first-layer filters become edge detectors? The tools for a fair test.

A fair test needs kernels large enough to hold an edge, images with edges at that scale, a
stated measure and a baseline:

- :func:`upsample` enlarges the 8x8 digits smoothly (bilinear), so a stroke is several pixels
  wide and a 7x7 kernel can hold its edge;
- :func:`template_family` gives the edge detectors to compare with (first derivatives of a
  Gaussian: negative on one side, positive on the other, like Sobel) and a control family of
  bar detectors (second derivatives: a positive stripe between negative ones), at 8
  orientations and 3 widths;
- :func:`best_match` is the measure: for each filter, the largest ``|cosine similarity|`` with
  any member of a family (``|cos|`` because a ReLU network can use a kernel or its negative);
- :func:`plot_before_after` draws two banks on one shared colour scale with a colour bar.
"""

from __future__ import annotations

import math

import numpy as np

from .. import plots
from .._validate import as_float_array, as_int

__all__ = ["upsample", "template_family", "best_match", "plot_before_after", "WIDTHS"]

#: Gaussian widths of the templates, as fractions of the kernel size K: sigma = K / 6, K / 4.5, K / 3.5.
WIDTHS = (1 / 6, 1 / 4.5, 1 / 3.5)


def _interpolation_matrix(n: int, factor: int) -> np.ndarray:
    """``(factor * n, n)``: row ``i`` holds the bilinear weights of output pixel ``i``.

    Output pixel ``i`` has its centre at input coordinate ``(i + 0.5) / factor - 0.5``
    (pixel centres line up, as in ``scipy.ndimage.zoom(..., grid_mode=True)``); coordinates
    outside ``[0, n - 1]`` take the border pixel.
    """
    pos = np.clip((np.arange(n * factor) + 0.5) / factor - 0.5, 0, n - 1)
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, n - 1)
    t = pos - lo
    m = np.zeros((n * factor, n))
    np.add.at(m, (np.arange(n * factor), lo), 1 - t)
    np.add.at(m, (np.arange(n * factor), hi), t)
    return m


def upsample(images, factor: int) -> np.ndarray:
    """Bilinear enlargement: ``images (N, H, W)`` -> ``(N, factor * H, factor * W)``.

    Values stay in the range of the input (each output pixel is a weighted mean of at most
    four input pixels), so a digit's strokes become ``factor`` times wider with soft edges.
    """
    images = as_float_array(images, "images", ndim=3, shape_hint="(N, H, W)")
    factor = as_int(factor, "factor", 1)
    rows = _interpolation_matrix(images.shape[1], factor)
    cols = _interpolation_matrix(images.shape[2], factor)
    return np.einsum("ij,njk,lk->nil", rows, images, cols)


def template_family(size: int, kind: str = "edge", orientations: int = 8) -> np.ndarray:
    """``(3 * orientations, size, size)`` templates, each with zero mean and unit length.

    With ``u = x cos(theta) + y sin(theta)`` (``x`` the column offset from the centre, ``y`` the
    row offset) and the round Gaussian ``G = exp(-(x**2 + y**2) / (2 sigma**2))``:

    - ``kind="edge"``: the first derivative across ``u``, ``u * G``: negative on one side,
      positive on the other (the 3x3 Sobel kernels are this shape at 0 and 90 degrees);
    - ``kind="bar"``: the second derivative, ``(1 - u**2 / sigma**2) * G``: a positive stripe
      between two negative ones, which answers to a stroke (a line) rather than a step.

    Orientations ``theta = k pi / orientations``, ``k = 0 .. orientations - 1`` (``|cos|`` makes
    the opposite direction redundant); widths ``sigma = size * w`` for ``w`` in :data:`WIDTHS`.
    """
    size = as_int(size, "size", 3)
    orientations = as_int(orientations, "orientations", 1)
    if kind not in ("edge", "bar"):
        raise ValueError(f"kind must be 'edge' or 'bar', got {kind!r}.")
    r = (size - 1) / 2
    y, x = np.mgrid[0:size, 0:size] - r
    out = []
    for width in WIDTHS:
        sigma = size * width
        envelope = np.exp(-(x ** 2 + y ** 2) / (2 * sigma ** 2))
        for k in range(orientations):
            theta = math.pi * k / orientations
            u = x * math.cos(theta) + y * math.sin(theta)
            g = u * envelope if kind == "edge" else (1 - u ** 2 / sigma ** 2) * envelope
            g = g - g.mean()
            out.append(g / np.linalg.norm(g))
    return np.array(out)


def best_match(bank, family) -> np.ndarray:
    """``(F,)``: for each filter of ``bank (F, K, K)``, the largest ``|cos|`` with a template of
    ``family (T, K, K)``; ``cos(f, g) = sum(f * g) / (|f| |g|)``. An all-zero filter scores 0."""
    bank = as_float_array(bank, "bank", ndim=3, shape_hint="(F, K, K)")
    family = as_float_array(family, "family", ndim=3, shape_hint="(T, K, K)")
    if bank.shape[1:] != family.shape[1:]:
        raise ValueError(f"bank kernels are {bank.shape[1:]} but family templates are "
                         f"{family.shape[1:]}; compare kernels of the same size.")
    b = bank.reshape(len(bank), -1)
    f = family.reshape(len(family), -1)
    bn = np.linalg.norm(b, axis=1, keepdims=True)
    fn = np.linalg.norm(f, axis=1, keepdims=True)
    cos = (b / np.where(bn > 0, bn, 1.0)) @ (f / fn).T
    return np.abs(cos).max(axis=1)


def plot_before_after(before, after, title: str, figsize=(10.0, 2.8)):
    """Two banks ``(F, K, K)`` as two rows of tiles on **one** colour scale, with a colour bar.

    Returns the figure. The scale runs from ``-m`` to ``m``, ``m`` the largest ``|weight|`` in
    either bank, so a tile that looks faint is small, not just drawn on its own scale.
    """
    before = as_float_array(before, "before", ndim=3, shape_hint="(F, K, K)")
    after = as_float_array(after, "after", ndim=3, shape_hint="(F, K, K)")
    if before.shape != after.shape:
        raise ValueError(f"before {before.shape} and after {after.shape} must have the same shape.")
    lim = float(max(np.abs(before).max(), np.abs(after).max())) or 1.0
    n = before.shape[0]
    fig, axes = plots.figure(2, n, figsize=figsize, squeeze=False)
    for row, (bank, label) in enumerate(((before, "before"), (after, "after"))):
        for i in range(n):
            ax = axes[row, i]
            image = ax.imshow(bank[i], cmap=plots.DIVERGING, vmin=-lim, vmax=lim, zorder=plots.IMAGE_ZORDER)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            if row == 0:
                ax.set_title(f"filter {i}", fontsize=9)
        axes[row, 0].set_ylabel(label)
    fig.colorbar(image, ax=axes, shrink=0.9, label="weight")
    fig.suptitle(title)
    return fig
