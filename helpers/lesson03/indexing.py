"""Index arithmetic of a convolution: which inputs feed which output, and how many outputs.

Lesson 03's concept module. Conventions are the course's: 0-based indices, cross-correlation
(no flip) as in every framework, ``padding`` counted **per side** (zeros added at both ends),
``dilation = 1`` meaning "no gaps between taps".

Along one axis, with an input of ``n`` samples, a kernel of ``k`` taps, ``padding`` zeros on
each side, a ``stride`` and a ``dilation``:

* the kernel spans ``span = dilation * (k - 1) + 1`` samples;
* output ``i`` reads the (unpadded) inputs ``i * stride - padding + m * dilation`` for
  ``m = 0 .. k - 1`` (an index below 0 or at least ``n`` is a padded zero);
* there are ``floor((n + 2 * padding - span) / stride) + 1`` outputs: the floor rule, equal to
  :func:`helpers.conv.output_length`. When the stride does not divide ``n + 2*padding - span``
  the last ``(n + 2*padding - span) % stride`` padded positions are never read.

Framework conventions (PyTorch, TensorFlow/Keras ``"SAME"``/``"VALID"``, total vs per-side
padding, "gaps" vs dilation rate) are computed by :func:`conventions_table`, and the Keras
post's index formula ``B(i, j) = sum_{l, m} F(l, m) A(i - l, j - m)`` by
:func:`post_formula_2d` and :func:`post_formula_coverage`.

The ``draw_*`` functions draw onto a given matplotlib Figure (for slider panels); they raise
``ValueError`` with an explanation for an impossible setting.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.colors import to_rgb

from .. import plots
from .._validate import as_float_array, as_int
from ..conv import output_length
from ..widgets import Drawing

__all__ = [
    "span", "window", "window_2d", "reads_matrix", "weight_matrix", "uses_per_input", "dropped_inputs",
    "padding_only_outputs", "describe_setting", "output_index_bounds", "kernel_size_bounds",
    "post_formula_2d", "post_formula_coverage", "index_range_using_only_inputs",
    "tf_same", "tf_valid_length", "torch_same_padding", "total_padding_length",
    "conventions_table", "format_table", "layer_output_length",
    "draw_window_1d", "describe_window_1d", "draw_window_2d", "plot_coverage",
]

_BLUE, _ORANGE, _RED, _SKY = (plots.PALETTE[c] for c in ("blue", "orange", "red", "sky"))
_GREY = "#BBBBBB"


# =========================================================================== one axis
def _settings(n, kernel_size, padding, stride, dilation):
    return (as_int(n, "n", 1), as_int(kernel_size, "kernel_size", 1), as_int(padding, "padding", 0),
            as_int(stride, "stride", 1), as_int(dilation, "dilation", 1))


def span(kernel_size, dilation=1) -> int:
    """Number of input samples a (dilated) kernel covers: ``dilation * (kernel_size - 1) + 1``."""
    return as_int(dilation, "dilation", 1) * (as_int(kernel_size, "kernel_size", 1) - 1) + 1


def window(i, kernel_size, padding=0, stride=1, dilation=1) -> np.ndarray:
    """Input indices read by output ``i``: ``i*stride - padding + m*dilation``, ``m = 0..K-1``.

    Returns an int array of shape ``(kernel_size,)``; entry ``m`` is the input that multiplies
    tap ``m`` of the kernel. Indices are those of the *unpadded* input, so a negative index (or
    one ``>= n``) is a zero of the padding. Example: ``window(2, 3) -> [2, 3, 4]``.
    """
    i = as_int(i, "i", 0)
    kernel_size = as_int(kernel_size, "kernel_size", 1)
    padding = as_int(padding, "padding", 0)
    stride = as_int(stride, "stride", 1)
    dilation = as_int(dilation, "dilation", 1)
    return i * stride - padding + dilation * np.arange(kernel_size)


def window_2d(i, j, kernel_size, padding=0, stride=1, dilation=1) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns read by output ``(i, j)`` of a 2-D correlation (square settings).

    Returns ``(rows, cols)``, each of shape ``(kernel_size,)``: tap ``(l, m)`` multiplies
    input ``(rows[l], cols[m])``.
    """
    return (window(i, kernel_size, padding, stride, dilation),
            window(j, kernel_size, padding, stride, dilation))


def reads_matrix(n, kernel_size, padding=0, stride=1, dilation=1) -> np.ndarray:
    """0/1 matrix of shape ``(L_out, n)``: entry ``[i, t]`` is 1 when output ``i`` reads input ``t``.

    ``L_out`` is :func:`helpers.conv.output_length`. Padded zeros are not columns.
    """
    n, kernel_size, padding, stride, dilation = _settings(n, kernel_size, padding, stride, dilation)
    n_out = output_length(n, kernel_size, padding, stride, dilation)
    reads = np.zeros((n_out, n), dtype=int)
    for i in range(n_out):
        for t in window(i, kernel_size, padding, stride, dilation):
            if 0 <= t < n:
                reads[i, t] = 1
    return reads


def weight_matrix(n, kernel, padding=0, stride=1, dilation=1) -> np.ndarray:
    """The layer as a matrix ``M`` of shape ``(L_out, n)``: ``M @ x`` is the 1-D correlation.

    Row ``i`` holds tap ``m`` of ``kernel`` (shape ``(K,)``) in column
    ``i*stride - padding + m*dilation``; taps that fall on a padded zero have no column. So
    ``M @ x`` equals :func:`helpers.layers.conv1d_forward` with the same settings, and ``M.T @ g``
    sends an output gradient ``g`` back to the inputs (lesson 05's backward pass).
    """
    n, _, padding, stride, dilation = _settings(n, 1, padding, stride, dilation)
    kernel = as_float_array(kernel, "kernel", ndim=1, shape_hint="(K,)")
    n_out = output_length(n, kernel.shape[0], padding, stride, dilation)
    matrix = np.zeros((n_out, n))
    for i in range(n_out):
        for m, t in enumerate(window(i, kernel.shape[0], padding, stride, dilation)):
            if 0 <= t < n:
                matrix[i, t] += kernel[m]
    return matrix


def uses_per_input(n, kernel_size, padding=0, stride=1, dilation=1) -> np.ndarray:
    """How many outputs read each input: int array of shape ``(n,)`` (column sums of the reads)."""
    return reads_matrix(n, kernel_size, padding, stride, dilation).sum(axis=0)


def dropped_inputs(n, kernel_size, padding=0, stride=1, dilation=1) -> np.ndarray:
    """Inputs that no output reads (sorted int array, possibly empty).

    They come from a stride that does not divide the distance (the floor) and from dilation
    gaps a stride never lands on. Their values cannot change the output at all.
    """
    return np.flatnonzero(uses_per_input(n, kernel_size, padding, stride, dilation) == 0)


def padding_only_outputs(n, kernel_size, padding=0, stride=1, dilation=1) -> np.ndarray:
    """Outputs whose whole window lies in the zero padding (they only ever see the bias)."""
    reads = reads_matrix(n, kernel_size, padding, stride, dilation)
    return np.flatnonzero(reads.sum(axis=1) == 0)


def describe_setting(n, kernel_size, padding=0, stride=1, dilation=1) -> dict:
    """Everything about one axis's setting, and a sentence explaining it.

    Returns a dict with ``span``, ``padded`` (``n + 2*padding``), ``n_out``, ``leftover``
    (padded positions after the last window: ``(padded - span) % stride``), ``dropped``
    (inputs never read), split into ``dropped_tail`` (after the last window: the floor cut
    them off) and ``dropped_gaps`` (between windows or taps: a stride longer than the kernel's
    reach, or dilation gaps the stride never lands on; no floor involved), ``padding_only``
    (outputs that read only zeros) and ``message``.
    Raises ``ValueError`` (with the fix) when the dilated kernel does not fit at all.
    """
    n, kernel_size, padding, stride, dilation = _settings(n, kernel_size, padding, stride, dilation)
    s = span(kernel_size, dilation)
    padded = n + 2 * padding
    if s > padded:
        raise ValueError(
            f"impossible setting: the kernel spans {s} samples (kernel_size={kernel_size}, "
            f"dilation={dilation}) but the padded input has only {padded} (n={n} + 2*{padding}); "
            f"there is no position where the whole kernel fits. Use padding >= "
            f"{math.ceil((s - n) / 2)}, or a smaller kernel or dilation.")
    n_out = output_length(n, kernel_size, padding, stride, dilation)
    leftover = (padded - s) % stride
    dropped = dropped_inputs(n, kernel_size, padding, stride, dilation)
    tail_start = (n_out - 1) * stride - padding + s          # first input after the last window
    dropped_tail = dropped[dropped >= tail_start]
    dropped_gaps = dropped[dropped < tail_start]
    only_pad = padding_only_outputs(n, kernel_size, padding, stride, dilation)
    parts = [f"floor(({n} + 2*{padding} - {s}) / {stride}) + 1 = {n_out} outputs"]
    if leftover:
        cut_inputs = min(leftover, max(n - tail_start, 0))     # real inputs among the cut positions
        cut_zeros = leftover - cut_inputs
        words = []
        if cut_inputs:
            words.append(f"{cut_inputs} input(s) ({', '.join(map(str, dropped_tail))})")
        if cut_zeros:
            words.append(f"{cut_zeros} padded zero(s)")
        tail = " and ".join(words)
        parts.append(f"the stride {stride} does not divide {padded - s}, so the floor leaves the last "
                     f"{tail} after the last window" + ("" if cut_inputs else ": no input lost"))
    if dropped_gaps.size:
        why = ("the stride is longer than the kernel's span" if stride > s
               else f"the taps are {dilation} apart and the windows start {stride} apart")
        parts.append(f"input(s) {', '.join(map(str, dropped_gaps))} fall between the taps "
                     f"({why}; no floor involved)")
    if dropped.size:
        parts.append("those inputs are never read: lossy")
    if only_pad.size:
        parts.append(f"output(s) {', '.join(map(str, only_pad))} read only padding zeros")
    return {"span": s, "padded": padded, "n_out": n_out, "leftover": leftover,
            "dropped": dropped, "dropped_tail": dropped_tail, "dropped_gaps": dropped_gaps,
            "padding_only": only_pad, "message": "; ".join(parts) + "."}


def kernel_size_bounds(n, padding=0, dilation=1, largest=9) -> tuple[int, int]:
    """``(1, K_max)``: the largest kernel whose dilated span fits the padded input (capped)."""
    n, padding, dilation = as_int(n, "n", 1), as_int(padding, "padding", 0), as_int(dilation, "dilation", 1)
    return 1, max(1, min(largest, (n + 2 * padding - 1) // dilation + 1))


def output_index_bounds(n, kernel_size, padding=0, stride=1, dilation=1) -> tuple[int, int]:
    """``(0, L_out - 1)`` for a slider over output indices; ``(0, 0)`` for an impossible setting."""
    try:
        return 0, output_length(n, kernel_size, padding, stride, dilation) - 1
    except ValueError:
        return 0, 0


# =========================================================================== the Keras post
def post_formula_2d(image, kernel, i, j) -> tuple[float, int]:
    """The Keras post's ``B(i, j) = sum_{l, m} F(l, m) * A(i - l, j - m)``, evaluated as written.

    ``image`` is ``A`` with shape ``(H, W)``, ``kernel`` is ``F`` with shape ``(KH, KW)``;
    ``l, m`` run over ``0..KH-1`` and ``0..KW-1``; all indices are 0-based. A term whose
    ``A`` index falls outside the image is counted as *missing* (and contributes 0).

    Returns ``(value, missing)``: the sum over the existing terms and the number of terms
    that would need a pixel the image does not have (0 when the formula is fully defined).
    """
    a = as_float_array(image, "image", ndim=2, shape_hint="(H, W)")
    f = as_float_array(kernel, "kernel", ndim=2, shape_hint="(KH, KW)")
    if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in (i, j)):
        raise TypeError(f"i and j must be whole numbers (may be negative), got {i!r}, {j!r}.")
    total, missing = 0.0, 0
    for l in range(f.shape[0]):
        for m in range(f.shape[1]):
            r, c = i - l, j - m
            if 0 <= r < a.shape[0] and 0 <= c < a.shape[1]:
                total += f[l, m] * a[r, c]
            else:
                missing += 1
    return total, missing


def post_formula_coverage(height, width, kernel_size, lo=-1, hi=None) -> np.ndarray:
    """Missing-term counts of the post's formula for every ``(i, j)`` with ``lo <= i, j < hi``.

    Returns an int array ``(hi - lo, hi - lo)`` whose entry ``[i - lo, j - lo]`` is how many of
    the ``kernel_size**2`` terms of ``B(i, j)`` need a pixel outside a ``height x width``
    image. ``hi`` defaults to ``max(height, width) + 2``. Zero means "only existing pixels".
    """
    height, width = as_int(height, "height", 1), as_int(width, "width", 1)
    kernel_size = as_int(kernel_size, "kernel_size", 1)
    hi = max(height, width) + 2 if hi is None else int(hi)
    ones, taps = np.ones((height, width)), np.ones((kernel_size, kernel_size))
    idx = range(int(lo), hi)
    return np.array([[post_formula_2d(ones, taps, i, j)[1] for j in idx] for i in idx])


def index_range_using_only_inputs(n, kernel_size, sign=-1) -> list[int]:
    """The indices ``i`` for which ``i + sign * l`` stays in ``0..n-1`` for every tap ``l``.

    ``sign=-1`` is convolution as written in the post (``A(i - l)``): ``i = K-1 .. n-1``;
    ``sign=+1`` is cross-correlation (``A(i + l)``, Keras/PyTorch): ``i = 0 .. n-K``.
    Found by trying every candidate ``i`` from ``-K`` to ``n + K``, not by a formula.
    """
    n, kernel_size = as_int(n, "n", 1), as_int(kernel_size, "kernel_size", 1)
    if sign not in (-1, 1):
        raise ValueError(f"sign must be -1 (convolution, A(i - l)) or +1 (correlation, A(i + l)), got {sign!r}.")
    taps = np.arange(kernel_size)
    return [i for i in range(-kernel_size, n + kernel_size + 1)
            if np.all((i + sign * taps >= 0) & (i + sign * taps < n))]


# =========================================================================== conventions
def tf_same(n, kernel_size, stride=1, dilation=1) -> tuple[int, int, int]:
    """TensorFlow/Keras ``padding="SAME"``: ``(n_out, pad_before, pad_after)``.

    ``n_out = ceil(n / stride)``; the total padding is the least that makes ``n_out`` windows
    fit, ``max((n_out - 1) * stride + span - n, 0)``, split with the extra zero (when odd)
    *after* the input (right/bottom): ``pad_before = total // 2``.
    """
    n, kernel_size, _, stride, dilation = _settings(n, kernel_size, 0, stride, dilation)
    n_out = -(-n // stride)
    total = max((n_out - 1) * stride + span(kernel_size, dilation) - n, 0)
    return n_out, total // 2, total - total // 2


def tf_valid_length(n, kernel_size, stride=1, dilation=1) -> int:
    """TensorFlow/Keras ``padding="VALID"``: ``ceil((n - span + 1) / stride)`` outputs (no padding).

    Raises ValueError when the kernel is longer than the input.
    """
    n, kernel_size, _, stride, dilation = _settings(n, kernel_size, 0, stride, dilation)
    s = span(kernel_size, dilation)
    if s > n:
        raise ValueError(f"the kernel spans {s} samples but the input has {n}: 'VALID' has no output.")
    return -(-(n - s + 1) // stride)


def torch_same_padding(kernel_size, stride=1, dilation=1) -> tuple[int, int]:
    """PyTorch ``padding="same"``: ``(pad_left, pad_right)``, the extra zero (if any) on the right.

    The total is ``dilation * (kernel_size - 1)``. PyTorch refuses ``"same"`` with a stride
    above 1; so does this function (ValueError).
    """
    kernel_size, stride, dilation = (as_int(kernel_size, "kernel_size", 1), as_int(stride, "stride", 1),
                                     as_int(dilation, "dilation", 1))
    if stride != 1:
        raise ValueError(f"padding='same' is not defined for stride {stride} in PyTorch (the output "
                         f"could not keep the input's length); use stride=1 or explicit padding.")
    total = dilation * (kernel_size - 1)
    return total // 2, total - total // 2


def total_padding_length(n, kernel_size, total_padding, stride=1) -> int:
    """Output length when the padding is counted in **total** (both sides together), no dilation.

    ``floor((n + total_padding - kernel_size) / stride) + 1``: the textbook form that writes
    ``p_h`` for all added rows. With ``total_padding = 2 * padding`` it equals the per-side rule.
    """
    n, kernel_size = as_int(n, "n", 1), as_int(kernel_size, "kernel_size", 1)
    total_padding, stride = as_int(total_padding, "total_padding", 0), as_int(stride, "stride", 1)
    if kernel_size > n + total_padding:
        raise ValueError(f"kernel_size {kernel_size} is longer than the padded input {n + total_padding}.")
    return output_length(n + total_padding, kernel_size, stride=stride)   # zero padding per side


def conventions_table(n, kernel_size, stride=1, dilation=1, padding=1) -> list[dict]:
    """One row per convention, all computed for the same input and kernel.

    Each row is a dict: ``convention``, ``how`` (the setting written in that convention),
    ``pad_before``, ``pad_after``, ``n_out``. Rows: PyTorch explicit per-side padding,
    PyTorch ``"same"`` (stride 1 only; otherwise ``n_out`` is None and ``how`` says why),
    TF/Keras ``"VALID"`` and ``"SAME"`` (refused, ``n_out`` None, when both stride and dilation
    exceed 1: Keras conv layers and ``tf.nn.convolution`` raise for that), total padding ``2 * padding`` (textbook, only without
    dilation), the mistake of passing that total as PyTorch's per-side ``padding``, the "gaps"
    convention (``dilation - 1`` holes between taps, so 0 means an ordinary kernel) and the
    mistake of passing a gap count where a dilation rate is meant (0 is refused: a dilation
    rate must be >= 1). ``None`` marks a setting with no output or one the API refuses.
    """
    n, kernel_size, padding, stride, dilation = _settings(n, kernel_size, padding, stride, dilation)
    rows = []

    def add(convention, how, before, after, n_out):
        rows.append({"convention": convention, "how": how, "pad_before": before,
                     "pad_after": after, "n_out": n_out})

    def safe(fn, *args):
        try:
            return fn(*args)
        except ValueError:
            return None

    add("PyTorch, per-side padding", f"padding={padding}", padding, padding,
        safe(output_length, n, kernel_size, padding, stride, dilation))
    if stride == 1:
        left, right = torch_same_padding(kernel_size, stride, dilation)
        add("PyTorch padding='same'", "padding='same'", left, right,
            safe(output_length, n + left + right, kernel_size, 0, stride, dilation))
    else:
        add("PyTorch padding='same'", "refused for stride > 1", None, None, None)
    if stride > 1 and dilation > 1:
        # Keras conv layers (and tf.nn.convolution) raise for strides > 1 with dilation_rate > 1
        add("TF/Keras 'VALID'", "refused (s > 1, d > 1)", None, None, None)
        add("TF/Keras 'SAME'", "refused (s > 1, d > 1)", None, None, None)
    else:
        add("TF/Keras 'VALID'", "padding='valid'", 0, 0, safe(tf_valid_length, n, kernel_size, stride, dilation))
        out, before, after = tf_same(n, kernel_size, stride, dilation)
        add("TF/Keras 'SAME'", "padding='same'", before, after, out)
    if dilation == 1:
        add("textbook, total padding", f"p_total={2 * padding}", padding, padding,
            safe(total_padding_length, n, kernel_size, 2 * padding, stride))
        add("mistake: total passed as per side", f"padding={2 * padding}", 2 * padding, 2 * padding,
            safe(output_length, n, kernel_size, 2 * padding, stride, 1))
    gaps = dilation - 1
    add("gaps convention (holes = d - 1)", f"gaps={gaps}", padding, padding,
        safe(output_length, n, kernel_size, padding, stride, gaps + 1))
    add("mistake: gaps passed as dilation", f"dilation={gaps}" + (" refused" if gaps == 0 else ""),
        padding if gaps else None, padding if gaps else None,
        safe(output_length, n, kernel_size, padding, stride, gaps) if gaps else None)
    return rows


def layer_output_length(n, kernel_size, pad_before=0, pad_after=0, stride=1, dilation=1) -> int:
    """The output length :func:`helpers.layers.conv1d_forward` really produces (measured).

    Pads a ``(1, 1, n)`` input with ``pad_before`` / ``pad_after`` zeros (asymmetric padding, as
    TF's ``"SAME"`` needs), runs the layer with ``padding=0`` and returns the last axis' length.
    """
    from ..layers import conv1d_forward
    n, kernel_size = as_int(n, "n", 1), as_int(kernel_size, "kernel_size", 1)
    x = np.pad(np.ones((1, 1, n)), ((0, 0), (0, 0), (as_int(pad_before, "pad_before", 0),
                                                     as_int(pad_after, "pad_after", 0))))
    y, _ = conv1d_forward(x, np.ones((1, 1, kernel_size)), stride=stride, dilation=dilation)
    return int(y.shape[-1])


def format_table(rows: list[dict]) -> str:
    """The rows of :func:`conventions_table` as fixed-width text."""
    head = f"{'convention':<36}{'written as':<24}{'pad before':>11}{'pad after':>10}{'n_out':>7}"
    lines = [head, "-" * len(head)]
    for r in rows:
        cell = lambda v: "-" if v is None else str(v)  # noqa: E731
        lines.append(f"{r['convention']:<36}{r['how']:<24}{cell(r['pad_before']):>11}"
                     f"{cell(r['pad_after']):>10}{cell(r['n_out']):>7}")
    return "\n".join(lines)


# =========================================================================== drawing
def _grid_segments(xs, y0, y1, horizontal=False):
    """Segments of vertical lines at ``xs`` from ``y0`` to ``y1`` (horizontal lines if asked)."""
    if horizontal:
        return [[(y0, x), (y1, x)] for x in xs]
    return [[(x, y0), (x, y1)] for x in xs]


def _set_texts(ax, texts, items, **style):
    """Make ``texts`` (a list of Text artists on ``ax``) show ``items = [(x, y, string), ...]``.

    Existing Text objects are moved and relabelled; missing ones are created with ``style``;
    surplus ones are removed. ``texts`` is changed in place.
    """
    for text, (x, y, s) in zip(texts, items):
        text.set_position((x, y))
        text.set_text(s)
    for x, y, s in items[len(texts):]:
        texts.append(ax.text(x, y, s, **style))
    while len(texts) > len(items):
        texts.pop().remove()


def _build_window_1d(fig, n=10, kernel_size=3, padding=0, stride=1, dilation=1, output=0) -> dict:
    ax = fig.add_subplot(1, 1, 1)
    state = {"ax": ax, "tap_texts": [], "output_texts": [], "positions": None}
    state["image"] = ax.imshow(np.ones((1, 1, 3)), extent=(0, 1, 0.5, 1.5), aspect="auto",
                               zorder=plots.IMAGE_ZORDER)
    state["vlines"] = ax.vlines([], 0.5, 1.5, color="black", linewidth=0.6)
    state["hlines"] = ax.hlines([0.5, 1.5], 0, 1, color="black", linewidth=0.6)
    state["outputs"] = ax.scatter([], [], s=260, marker="s", edgecolors="black", linewidths=0.8, zorder=3)
    (state["pointer"],) = ax.plot([], [], color=_BLUE, linewidth=1)
    ax.set_ylim(-1.2, 1.8)
    ax.set_yticks([-0.6, 1.0], ["outputs", "input"])
    ax.set_xlabel("input index t (0-based); grey = padding zeros, red = never read, blue = the window")
    ax.grid(False)
    return state


def _update_window_1d(state: dict, n=10, kernel_size=3, padding=0, stride=1, dilation=1, output=0) -> None:
    info = describe_setting(n, kernel_size, padding, stride, dilation)
    output = as_int(output, "output", 0)
    if output >= info["n_out"]:
        raise ValueError(f"output index {output} does not exist: this setting has {info['n_out']} "
                         f"outputs, indices 0..{info['n_out'] - 1}.")
    taps = window(output, kernel_size, padding, stride, dilation)
    positions = np.arange(-padding, n + padding)
    colours = np.ones((1, positions.size, 3))
    colours[0, (positions < 0) | (positions >= n)] = to_rgb(_GREY)
    colours[0, info["dropped"] + padding] = to_rgb(_RED)
    colours[0, taps + padding] = to_rgb(_SKY)
    left, right = -padding - 0.5, n + padding - 0.5
    centres = np.arange(info["n_out"]) * stride - padding + (info["span"] - 1) / 2
    ax = state["ax"]
    state["image"].set_data(colours)
    state["image"].set_extent((left, right, 0.5, 1.5))
    state["vlines"].set_segments(_grid_segments(np.arange(left, right + 1), 0.5, 1.5))
    state["hlines"].set_segments(_grid_segments([0.5, 1.5], left, right, horizontal=True))
    state["outputs"].set_offsets(np.column_stack([centres, np.full(centres.shape, -0.6)]))
    state["outputs"].set_facecolor([_ORANGE if i == output else "white" for i in range(info["n_out"])])
    state["pointer"].set_data([taps[0] - 0.4, centres[output], taps[-1] + 0.4], [0.5, -0.25, 0.5])
    _set_texts(ax, state["tap_texts"], [(t, 1.0, f"k{m}") for m, t in enumerate(taps)],
               ha="center", va="center", fontsize=9)
    _set_texts(ax, state["output_texts"], [(x, -0.6, str(i)) for i, x in enumerate(centres)],
               ha="center", va="center", fontsize=8, zorder=4)
    if state["positions"] is None or not np.array_equal(state["positions"], positions):
        ax.set_xlim(-padding - 0.6, n + padding - 0.4)        # only when the cells change
        ax.set_xticks(positions)
        state["positions"] = positions
    # The title names the window only: the explanation (describe_setting's message) is too
    # long for a title and was clipped; a panel shows it in its message line (describe_window_1d).
    ax.set_title(f"Output {output} of {info['n_out']} reads inputs {', '.join(map(str, taps))}", fontsize=9)


#: Slider figure ``draw_window_1d(fig, n=10, kernel_size=3, padding=0, stride=1, dilation=1,
#: output=0)``: which inputs output ``output`` reads, for one axis's setting. Top row: the
#: padded input (padding grey, inputs that no output reads red); the window of the chosen
#: output blue, each cell labelled with its kernel tap ``k0, k1, ...``. Bottom row: every
#: output, placed under the centre of its window; the chosen one orange. Raises ValueError
#: for an impossible setting or an output index out of range (:func:`describe_setting`
#: gives the numbers in words).
draw_window_1d = Drawing(_build_window_1d, _update_window_1d)


def describe_window_1d(n=10, kernel_size=3, padding=0, stride=1, dilation=1, output=0) -> str:
    """The sentence for a slider panel's message line: :func:`describe_setting`'s message.

    It says what the floor or the gaps drop; :data:`draw_window_1d`'s title names the window only.
    """
    return describe_setting(n, kernel_size, padding, stride, dilation)["message"]


def _build_window_2d(fig, size=5, kernel_size=3, i=0, j=0, operation="correlation") -> dict:
    state = {"axes": (fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)),
             "images": [], "hlines": [], "vlines": [], "sizes": [None, None], "tap_texts": []}
    for ax in state["axes"]:
        state["images"].append(ax.imshow(np.ones((1, 1, 3)), zorder=plots.IMAGE_ZORDER))
        state["hlines"].append(ax.hlines([], 0, 1, color="black", linewidth=0.6))
        state["vlines"].append(ax.vlines([], 0, 1, color="black", linewidth=0.6))
        ax.set_xlabel("column j")
        ax.set_ylabel("row i")
        ax.grid(False)
    return state


def _update_window_2d(state: dict, size=5, kernel_size=3, i=0, j=0, operation="correlation") -> None:
    size, kernel_size = as_int(size, "size", 1), as_int(kernel_size, "kernel_size", 1)
    if operation not in ("correlation", "convolution"):
        raise ValueError(f"operation must be 'correlation' or 'convolution', got {operation!r}.")
    if kernel_size > size:
        raise ValueError(f"a {kernel_size}x{kernel_size} kernel does not fit in a {size}x{size} "
                         f"input: a valid convolution has no output. Choose kernel_size <= {size}.")
    n_out = size - kernel_size + 1
    i, j = as_int(i, "i", 0), as_int(j, "j", 0)
    if i >= n_out or j >= n_out:
        raise ValueError(f"output ({i}, {j}) does not exist: the valid output is {n_out}x{n_out}, "
                         f"indices 0..{n_out - 1}.")
    k1 = kernel_size - 1
    grid_in = np.ones((size, size, 3))
    grid_in[i:i + kernel_size, j:j + kernel_size] = to_rgb(_SKY)
    grid_out = np.ones((n_out, n_out, 3))
    grid_out[i, j] = to_rgb(_ORANGE)
    labels = []
    if kernel_size <= 5:
        for l in range(kernel_size):
            for m in range(kernel_size):
                tl, tm = (l, m) if operation == "correlation" else (k1 - l, k1 - m)
                labels.append((j + m, i + l, f"F{tl}{tm}"))
    name = "cross-correlation (Keras, PyTorch)" if operation == "correlation" else "convolution (kernel flipped)"
    titles = (f"input A, {size}x{size}: rows {i}..{i + k1}, columns {j}..{j + k1}",
              f"{name}: output ({i}, {j}) of {n_out}x{n_out}")
    for k, (ax, grid) in enumerate(zip(state["axes"], (grid_in, grid_out))):
        cells = grid.shape[0]
        state["images"][k].set_data(grid)
        if state["sizes"][k] != cells:           # the grid changed size: move its edges and ticks
            edges = np.arange(cells + 1) - 0.5
            state["images"][k].set_extent((-0.5, cells - 0.5, cells - 0.5, -0.5))
            state["hlines"][k].set_segments(_grid_segments(edges, -0.5, cells - 0.5, horizontal=True))
            state["vlines"][k].set_segments(_grid_segments(edges, -0.5, cells - 0.5))
            ax.set_xlim(-0.5, cells - 0.5)
            ax.set_ylim(cells - 0.5, -0.5)
            ax.set_xticks(range(cells))
            ax.set_yticks(range(cells))
            state["sizes"][k] = cells
        ax.set_title(titles[k], fontsize=9)
    _set_texts(state["axes"][0], state["tap_texts"], labels, ha="center", va="center", fontsize=8)


#: Slider figure ``draw_window_2d(fig, size=5, kernel_size=3, i=0, j=0, operation="correlation")``:
#: the input window of output ``(i, j)`` of a valid 2-D correlation or convolution. Left: the
#: ``size x size`` input, the window in blue, each window cell labelled with the kernel tap
#: ``F[l, m]`` that multiplies it (for ``"convolution"`` the kernel is flipped, so the labels
#: run backwards). Right: the ``size - K + 1`` square output, ``(i, j)`` in orange.
draw_window_2d = Drawing(_build_window_2d, _update_window_2d)


def plot_coverage(ax, coverage, lo=-1, kernel_size=3) -> None:
    """Draw :func:`post_formula_coverage` as a grid of missing-term counts (0 = green)."""
    coverage = np.asarray(coverage)
    full = kernel_size * kernel_size
    colours = np.ones(coverage.shape + (3,))
    colours[(coverage > 0) & (coverage < full)] = to_rgb(plots.PALETTE["yellow"])
    colours[coverage == 0] = to_rgb(plots.PALETTE["green"])
    hi = lo + coverage.shape[0]
    ax.imshow(colours, extent=(lo - 0.5, hi - 0.5, hi - 0.5, lo - 0.5), zorder=plots.IMAGE_ZORDER)
    for r in range(coverage.shape[0]):
        for c in range(coverage.shape[1]):
            ax.text(c + lo, r + lo, str(int(coverage[r, c])), ha="center", va="center", fontsize=8)
    ax.set_xticks(range(lo, hi))
    ax.set_yticks(range(lo, hi))
    ax.set_xlabel("j (0-based)")
    ax.set_ylabel("i (0-based)")
    ax.grid(False)
