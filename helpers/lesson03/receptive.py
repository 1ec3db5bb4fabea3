"""Receptive fields of stacked 1-D convolution layers: how many inputs one output sees.

Lesson 03's second concept module. A stack is a list of layers, each ``(kernel_size, stride,
dilation)``, applied one after the other with no padding. Going up one layer with kernel
``K``, stride ``s`` and dilation ``d``:

* the field grows by ``d * (K - 1)`` steps of the layer below, and one step of the layer below
  is ``jump`` inputs: ``field += d * (K - 1) * jump``;
* neighbouring outputs of the new layer are ``s`` steps of the layer below apart:
  ``jump *= s``.

Starting from ``field = jump = 1`` (one input sees itself), :func:`receptive_field` runs this
recurrence. :func:`field_by_gradient` measures the same thing without the recurrence: it pushes
an input through real layers (:func:`helpers.layers.conv1d_forward`, kernels of ones) and
back-propagates a gradient of 1 from one top output; the inputs with a non-zero gradient are
exactly the inputs that output depends on. With dilation the field can have holes: inputs
inside its extent that no path reaches.

``draw_receptive_field`` draws the stack for a slider panel; it raises ``ValueError`` with an
explanation for a setting it cannot draw.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps

from .. import plots
from .._validate import as_int
from ..layers import conv1d_backward, conv1d_forward
from ..widgets import Drawing

__all__ = ["stack", "receptive_field", "field_by_gradient", "describe_receptive_field",
           "draw_receptive_field"]

_MAX_INPUTS = 400


def stack(n_layers, kernel_size=3, stride=1, dilation=1) -> list[tuple[int, int, int]]:
    """``n_layers`` identical layers: a list of ``(kernel_size, stride, dilation)`` tuples."""
    n_layers = as_int(n_layers, "n_layers", 1)
    layer = (as_int(kernel_size, "kernel_size", 1), as_int(stride, "stride", 1),
             as_int(dilation, "dilation", 1))
    return [layer] * n_layers


def _check_stack(layer_settings) -> list[tuple[int, int, int]]:
    try:
        settings = [tuple(int(v) for v in layer) for layer in layer_settings]
    except (TypeError, ValueError):
        raise ValueError("layer_settings must be a list of (kernel_size, stride, dilation) triples, "
                         "for example [(3, 1, 1), (3, 2, 1)] or receptive.stack(2, 3).") from None
    if not settings or any(len(t) != 3 for t in settings):
        raise ValueError("layer_settings must be a non-empty list of (kernel_size, stride, dilation) "
                         "triples, for example [(3, 1, 1), (3, 2, 1)].")
    for k, s, d in settings:
        if k < 1 or s < 1 or d < 1:
            raise ValueError(f"each layer needs kernel_size, stride and dilation >= 1, got ({k}, {s}, {d}).")
    return settings


def receptive_field(layer_settings) -> dict:
    """The recurrence: ``{"size", "jump", "sizes", "jumps"}`` for a stack of layers.

    ``size`` is how many consecutive inputs (the extent) one output of the top layer depends
    on, ``jump`` how many inputs apart two neighbouring top outputs are. ``sizes[l]`` and
    ``jumps[l]`` are the same after ``l`` layers (entry 0: the input itself, 1 and 1).
    Example: two 3-tap layers, stride 1: sizes ``[1, 3, 5]``.
    """
    settings = _check_stack(layer_settings)
    sizes, jumps = [1], [1]
    for k, s, d in settings:
        sizes.append(sizes[-1] + d * (k - 1) * jumps[-1])
        jumps.append(jumps[-1] * s)
    return {"size": sizes[-1], "jump": jumps[-1], "sizes": sizes, "jumps": jumps}


def field_by_gradient(layer_settings, n=None, output=None) -> dict:
    """Measure the receptive field by back-propagation through real conv layers.

    Builds an input of ``n`` samples (default: enough for a few top outputs), runs it through
    the stack with :func:`helpers.layers.conv1d_forward` (one channel, kernels of ones, no
    bias, no padding), then sends a gradient of 1 back from top output ``output`` (default: the
    middle one) with :func:`helpers.layers.conv1d_backward`.

    Returns a dict: ``n``, ``output``, ``grads`` (one array per level, input first, top last:
    ``grads[l][t]`` counts the paths from unit ``t`` of level ``l`` to the chosen output),
    ``inputs`` (input indices with a non-zero gradient), ``first``, ``last`` and ``extent``
    (``last - first + 1``), and ``holes`` (inputs inside the extent with zero gradient).
    """
    settings = _check_stack(layer_settings)
    field = receptive_field(settings)
    if n is None:
        n = field["size"] + 2 * field["jump"]
    n = as_int(n, "n", 1)
    if n < field["size"]:
        raise ValueError(f"n={n} inputs are fewer than the receptive field ({field['size']}): the "
                         f"top layer would have no output. Use n >= {field['size']}.")
    x = np.zeros((1, 1, n))
    caches = []
    for k, s, d in settings:
        x, cache = conv1d_forward(x, np.ones((1, 1, k)), stride=s, dilation=d)
        caches.append(cache)
    n_top = x.shape[-1]
    output = n_top // 2 if output is None else as_int(output, "output", 0)
    if output >= n_top:
        raise ValueError(f"output {output} does not exist: the top layer has {n_top} outputs "
                         f"(indices 0..{n_top - 1}).")
    grad = np.zeros((1, 1, n_top))
    grad[0, 0, output] = 1.0
    grads = [grad[0, 0].copy()]
    for cache in reversed(caches):
        grad, _, _ = conv1d_backward(grad, cache)
        grads.append(grad[0, 0].copy())
    grads.reverse()
    inputs = np.flatnonzero(grads[0] > 0)
    first, last = int(inputs[0]), int(inputs[-1])
    inside = np.arange(first, last + 1)
    return {"n": n, "output": output, "grads": grads, "inputs": inputs, "first": first,
            "last": last, "extent": last - first + 1, "holes": inside[grads[0][inside] == 0]}


def describe_receptive_field(layers=2, kernel_size=3, stride=1, dilation=1) -> str:
    """One sentence for a slider panel's message line: the field by the recurrence and measured."""
    settings = stack(layers, kernel_size, stride, dilation)
    field = receptive_field(settings)
    measured = field_by_gradient(settings)
    text = (f"{layers} layer(s) of {kernel_size} taps, stride {stride}, dilation {dilation}: one top "
            f"output's field spans {field['size']} inputs (recurrence: sizes "
            f"{' -> '.join(map(str, field['sizes']))}); the gradient reaches inputs {measured['first']}.."
            f"{measured['last']}, extent {measured['extent']}")
    if measured["holes"].size:
        text += (f", but only {measured['inputs'].size} of them: {measured['holes'].size} inputs inside "
                 f"are never reached (holes: the dilated taps and strides never land there)")
    return text + "."


def _build_receptive_field(fig, layers=2, kernel_size=3, stride=1, dilation=1) -> dict:
    """The axes of the receptive-field picture (its artists are made by the update)."""
    ax = fig.add_subplot(1, 1, 1)
    ax.set_xlabel("input index (each unit drawn at the centre of its receptive field)")
    ax.grid(False)
    return {"ax": ax, "artists": []}


def _update_receptive_field(state, layers=2, kernel_size=3, stride=1, dilation=1) -> None:
    """Draw the stack's units and the field of its middle top output into ``state["ax"]``.

    Checks the setting before touching the figure (ValueError: too many inputs to draw), and
    keeps the numbers drawn in ``state["info"]`` (:func:`field_by_gradient` plus ``"size"``).
    """
    settings = stack(layers, kernel_size, stride, dilation)
    field = receptive_field(settings)
    if field["size"] + 2 * field["jump"] > _MAX_INPUTS:
        raise ValueError(f"this stack sees {field['size']} inputs per output, too many to draw "
                         f"(at most {_MAX_INPUTS}); use fewer layers, a smaller stride or dilation.")
    measured = field_by_gradient(settings)
    ax = state["ax"]
    while state["artists"]:
        state["artists"].pop().remove()
    top = max(g.max() for g in measured["grads"])
    cmap = colormaps["viridis_r"]
    marker_size = max(8, min(120, 3000 / measured["n"]))
    for level, grad in enumerate(measured["grads"]):
        size, jump = field["sizes"][level], field["jumps"][level]
        centres = np.arange(grad.size) * jump + (size - 1) / 2
        colours = [cmap(0.15 + 0.85 * g / top) if g > 0 else "#DDDDDD" for g in grad]
        state["artists"].append(ax.scatter(centres, np.full(grad.size, level), s=marker_size, marker="s",
                                           c=colours, edgecolors="none"))
    state["artists"].append(ax.axvspan(measured["first"] - 0.5, measured["last"] + 0.5, ymin=0, ymax=0.08,
                                       color=plots.PALETTE["orange"], alpha=0.5))
    ax.set_yticks(range(layers + 1), ["input"] + [f"layer {level}" for level in range(1, layers + 1)])
    ax.set_ylim(-0.6, layers + 0.6)
    ax.set_xlim(-1, measured["n"])
    ax.set_title(f"{layers} layer(s), K={kernel_size}, stride {stride}, dilation {dilation}: "
                 f"field {field['size']} inputs (orange); colour = paths to the top output")
    state["info"] = {**measured, "size": field["size"]}


#: Slider figure ``draw_receptive_field(fig, layers=2, kernel_size=3, stride=1, dilation=1)``:
#: a stack of ``layers`` identical conv layers and the field of its middle top output. Each
#: unit is a square at the centre of its own receptive field, in input coordinates, one row per
#: level (the input at the bottom). Units the top output depends on are coloured by how many
#: paths lead from them to it (the gradient); the others are grey; an orange bar marks the
#: field. Calling it returns the state; ``state["info"]`` holds :func:`field_by_gradient`'s
#: numbers plus ``"size"`` from the recurrence. Raises ValueError when the stack needs more
#: than 400 inputs to draw (:func:`describe_receptive_field` gives the numbers in words).
draw_receptive_field = Drawing(_build_receptive_field, _update_receptive_field)
