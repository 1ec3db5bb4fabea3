"""Lesson 06: a tiny convolutional network for 8x8 digits, built only from :mod:`helpers.layers`.

The network (shapes for a batch of ``N`` images and ``F`` filters)::

    x (N, 1, 8, 8)
    -> conv 3x3, padding 1   z (N, F, 8, 8)      w1 (F, 1, 3, 3), b1 (F,)
    -> ReLU                  h (N, F, 8, 8)
    -> max-pool 2x2          p (N, F, 4, 4)
    -> flatten               f (N, 16 F)
    -> dense                 s (N, 10)           w2 (10, 16 F), b2 (10,)   (PyTorch layout)
    -> softmax cross-entropy against the labels (N,)

Training is mini-batch stochastic gradient descent with momentum and a cosine learning-rate
schedule, fully seeded: the same seed gives the same numbers, step for step.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from . import init, layers, plots
from ._validate import as_float_array, as_int
from .init import as_rng

__all__ = ["SCHEMES", "stratified_split", "init_params", "forward", "loss_and_grads",
           "predict", "accuracy", "feature_maps", "firing_rates", "progress_line", "lr_schedule", "train",
           "History", "parameter_count", "cosine_similarity", "mosaic", "draw_explorer"]

#: Weight initialisations by name; biases always start at 0.
SCHEMES = {
    "he_normal": init.he_normal,
    "glorot_uniform": init.glorot_uniform,
    "pytorch_default": init.pytorch_default,
    "zeros": lambda shape, rng=None: np.zeros(shape),
    "constant 0.1": lambda shape, rng=None: np.full(shape, 0.1),
}

PARAM_NAMES = ("w1", "b1", "w2", "b2")


# --------------------------------------------------------------------------- data
def stratified_split(labels, test_fraction: float = 0.25, seed: int = 0):
    """Seeded train/test split that keeps every class in the same proportion in both parts.

    For each class, its indices are shuffled and the first ``round(test_fraction * count)`` go
    to the test set. Returns ``(train_idx, test_idx)``, each sorted.
    """
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must be 1-D (one class per image), got shape {labels.shape}.")
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction}; "
                         f"for example 0.25.")
    rng = np.random.default_rng(seed)
    train, test = [], []
    for c in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == c))
        n_test = int(round(test_fraction * idx.size))
        test.extend(idx[:n_test])
        train.extend(idx[n_test:])
    return np.sort(np.array(train)), np.sort(np.array(test))


# --------------------------------------------------------------------------- the model
def init_params(n_filters: int = 16, scheme="he_normal", rng=None, n_classes: int = 10,
                image_size: int = 8) -> dict:
    """Parameters ``{"w1", "b1", "w2", "b2"}`` of the network; see the module docstring.

    ``scheme`` is a name in :data:`SCHEMES` or a function ``(shape, rng) -> array``; it draws
    both weight arrays (each with its own fans), first ``w1`` then ``w2``. Biases are zero.
    """
    n_filters = as_int(n_filters, "n_filters", 1)
    if isinstance(scheme, str):
        if scheme not in SCHEMES:
            raise ValueError(f"scheme must be one of {sorted(SCHEMES)} or a function "
                             f"(shape, rng) -> array, got {scheme!r}.")
        scheme = SCHEMES[scheme]
    rng = as_rng(rng)
    pooled = image_size // 2
    return {
        "w1": np.asarray(scheme((n_filters, 1, 3, 3), rng=rng), dtype=float),
        "b1": np.zeros(n_filters),
        "w2": np.asarray(scheme((n_classes, n_filters * pooled * pooled), rng=rng), dtype=float),
        "b2": np.zeros(n_classes),
    }


def parameter_count(params: dict) -> dict:
    """Number of numbers in each parameter array, and ``"total"``."""
    counts = {name: int(np.size(params[name])) for name in PARAM_NAMES}
    counts["total"] = sum(counts.values())
    return counts


def _same_padding(params: dict) -> int:
    """``K // 2``: the padding that keeps ``H x W`` for the odd ``K x K`` kernels in ``w1``."""
    return int(np.shape(params["w1"])[-1]) // 2


def forward(params: dict, x):
    """Logits ``(N, classes)`` for images ``x (N, 1, H, W)``, and the caches for backward.

    conv ``w1 (F, 1, K, K)`` with "same" padding ``K // 2``, ReLU, 2x2 max-pool, dense.
    """
    z, c1 = layers.conv2d_forward(x, params["w1"], params["b1"], padding=_same_padding(params))
    h, c2 = layers.relu_forward(z)
    p, c3 = layers.maxpool2d_forward(h, 2)
    f, c4 = layers.flatten_forward(p)
    s, c5 = layers.dense_forward(f, params["w2"], params["b2"])
    return s, (c1, c2, c3, c4, c5)


def loss_and_grads(params: dict, x, labels):
    """Mean cross-entropy on the batch and its gradient for every parameter (a dict)."""
    s, (c1, c2, c3, c4, c5) = forward(params, x)
    loss, c6 = layers.softmax_cross_entropy(s, labels)
    ds = layers.softmax_cross_entropy_backward(1.0, c6)
    df, dw2, db2 = layers.dense_backward(ds, c5)
    dp = layers.flatten_backward(df, c4)
    dh = layers.maxpool2d_backward(dp, c3)
    dz = layers.relu_backward(dh, c2)
    _, dw1, db1 = layers.conv2d_backward(dz, c1)
    return loss, {"w1": dw1, "b1": db1, "w2": dw2, "b2": db2}


def predict(params: dict, x) -> np.ndarray:
    """The most likely class of each image: ``(N,)`` ints."""
    return np.argmax(forward(params, x)[0], axis=1)


def accuracy(params: dict, x, labels) -> float:
    """Fraction of images whose predicted class equals the label."""
    return float(np.mean(predict(params, x) == np.asarray(labels)))


def feature_maps(params: dict, x) -> np.ndarray:
    """The first layer's activation maps ``ReLU(x ⋆ w1 + b1)``: ``(N, F, H, W)``."""
    z, _ = layers.conv2d_forward(x, params["w1"], params["b1"], padding=_same_padding(params))
    return np.maximum(z, 0.0)


def firing_rates(params: dict, x) -> np.ndarray:
    """``(F,)``: for each first-layer filter, the share of positions (all images, all pixels)
    where its ReLU output is above 0. A filter at 0 is dead: it never fires on ``x``, so it
    passes no gradient back and stops learning."""
    return (feature_maps(params, x) > 0).mean(axis=(0, 2, 3))


# --------------------------------------------------------------------------- training
def progress_line(epoch: int, epochs: int, loss: float, train_acc: float, test_acc: float,
                  width: int = 20) -> str:
    """One deterministic line of the text progress bar, e.g.
    ``epoch  3/20 [###-----------------] loss 0.1234  train 96.6%  test 95.8%``."""
    done = int(round(width * epoch / epochs))
    digits = len(str(epochs))
    return (f"epoch {epoch:{digits}d}/{epochs} [{'#' * done}{'-' * (width - done)}] "
            f"loss {loss:.4f}  train {100 * train_acc:5.1f}%  test {100 * test_acc:5.1f}%")


def lr_schedule(step: int, total_steps: int, lr: float, warmup_steps: int = 0) -> float:
    """Learning rate at ``step`` (0-based): a cosine from ``lr`` down to 0 over ``total_steps``,
    ``lr * (1 + cos(pi * step / total_steps)) / 2``, multiplied during the first
    ``warmup_steps`` by a linear ramp ``(step + 1) / warmup_steps`` (small first steps keep
    the large early gradients from pushing biases so low that ReLUs never fire again)."""
    rate = lr * 0.5 * (1.0 + math.cos(math.pi * step / total_steps))
    if step < warmup_steps:
        rate *= (step + 1) / warmup_steps
    return rate


@dataclass
class History:
    """What :func:`train` records, one entry per epoch (entry 0 = before training).

    ``loss`` is the mean training loss over the epoch's batches (at entry 0: on the whole
    training set); ``train_acc`` / ``test_acc`` are measured after the epoch; ``snapshots``
    are copies of the parameters after each epoch; ``seconds`` is the wall time of the run.
    """

    loss: list = field(default_factory=list)
    train_acc: list = field(default_factory=list)
    test_acc: list = field(default_factory=list)
    batch_loss: list = field(default_factory=list)
    snapshots: list = field(default_factory=list)
    seconds: float = 0.0


def train(params: dict, x_train, y_train, x_test, y_test, epochs: int = 20, batch_size: int = 32,
          lr: float = 0.1, momentum: float = 0.9, seed: int = 0, trainable=PARAM_NAMES,
          warmup_epochs: float = 1.0, verbose: bool = True) -> History:
    """Train ``params`` in place with mini-batch SGD + momentum; returns a :class:`History`.

    Each epoch visits the training images in a fresh seeded order, ``batch_size`` at a time.
    The learning rate follows :func:`lr_schedule`: a linear warm-up over the first
    ``warmup_epochs`` epochs, and a cosine from ``lr`` down to 0 over all steps. Update:
    ``v = momentum * v - lr_t * grad``,
    ``param += v``. Only the names in ``trainable`` change (e.g. ``("w2", "b2")`` keeps the
    filters fixed). With ``verbose`` one :func:`progress_line` is printed per epoch.
    """
    x_train = as_float_array(x_train, "x_train", ndim=4, shape_hint="(N, 1, 8, 8)")
    x_test = as_float_array(x_test, "x_test", ndim=4, shape_hint="(N, 1, 8, 8)")
    epochs = as_int(epochs, "epochs", 1)
    batch_size = as_int(batch_size, "batch_size", 1)
    y_train, y_test = np.asarray(y_train), np.asarray(y_test)
    unknown = set(trainable) - set(PARAM_NAMES)
    if unknown:
        raise ValueError(f"trainable names {sorted(unknown)} are not parameters; choose from {PARAM_NAMES}.")
    rng = np.random.default_rng(seed)
    velocity = {k: np.zeros_like(params[k]) for k in trainable}
    n = x_train.shape[0]
    steps = epochs * math.ceil(n / batch_size)
    warmup = int(round(warmup_epochs * math.ceil(n / batch_size)))
    hist = History()
    start = time.perf_counter()
    hist.loss.append(layers.softmax_cross_entropy(forward(params, x_train)[0], y_train)[0])
    hist.train_acc.append(accuracy(params, x_train, y_train))
    hist.test_acc.append(accuracy(params, x_test, y_test))
    hist.snapshots.append({k: v.copy() for k, v in params.items()})
    t = 0
    for epoch in range(1, epochs + 1):
        order = rng.permutation(n)
        total = 0.0
        for i in range(0, n, batch_size):
            idx = order[i:i + batch_size]
            loss, grads = loss_and_grads(params, x_train[idx], y_train[idx])
            rate = lr_schedule(t, steps, lr, warmup)
            t += 1
            for k in trainable:
                velocity[k] = momentum * velocity[k] - rate * grads[k]
                params[k] += velocity[k]
            hist.batch_loss.append(loss)
            total += loss * idx.size
        hist.loss.append(total / n)
        hist.train_acc.append(accuracy(params, x_train, y_train))
        hist.test_acc.append(accuracy(params, x_test, y_test))
        hist.snapshots.append({k: v.copy() for k, v in params.items()})
        if verbose:
            print(progress_line(epoch, epochs, hist.loss[-1], hist.train_acc[-1], hist.test_acc[-1]))
    hist.seconds = time.perf_counter() - start
    return hist


# --------------------------------------------------------------------------- looking at filters
def cosine_similarity(a, b) -> float:
    """``sum(a * b) / (|a| |b|)`` of two arrays of the same shape (0 when either is all zero)."""
    a = as_float_array(a, "a").ravel()
    b = as_float_array(b, "b").ravel()
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same number of entries, got {a.size} and {b.size}.")
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b / norm) if norm > 0 else 0.0


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


def draw_explorer(fig, epoch: int, index: int, *, history: History, images, labels) -> None:
    """The network at the end of ``epoch`` on test image ``index``: the digit with the predicted
    class, the first-layer filters, and their ReLU feature maps on that digit.

    Three image axes (no ticks) and a colour bar for the signed filters, so that a slider
    update stays quick to render. The
    slider panel keeps one figure (``SliderPanel(..., keep_axes=True)``): on an empty figure
    this builds the three images and keeps them in ``fig._kf_state``; on a figure it built
    before it only puts the new arrays and titles in (the arithmetic, one forward pass on
    one digit, takes well under a millisecond).
    """
    if not 0 <= epoch < len(history.snapshots):
        raise ValueError(f"epoch must be between 0 and {len(history.snapshots) - 1}, got {epoch}.")
    if not 0 <= index < len(images):
        raise ValueError(f"index must be between 0 and {len(images) - 1}, got {index}.")
    params = history.snapshots[epoch]
    x = np.asarray(images[index:index + 1], dtype=float)
    logits, _ = forward(params, x)
    probs = layers.softmax(logits)[0]
    pred = int(np.argmax(probs))
    maps = mosaic(feature_maps(params, x)[0], columns=4)
    verdict = "right" if pred == int(labels[index]) else "WRONG"
    titles = (f"test image {index}, label {int(labels[index])}\npredicted {pred} "
              f"({100 * probs[pred]:.0f}%): {verdict}",
              f"{params['w1'].shape[0]} filters, epoch {epoch}\n(4 per row, filter 0 top left)",
              "their ReLU feature maps\n(same order)")
    filters = mosaic(params["w1"][:, 0], columns=4)
    if not fig.axes:                                         # build
        grid = fig.add_gridspec(1, 3, width_ratios=[1, 1.6, 1.6])
        styles = [dict(cmap="gray_r", vmin=0, vmax=1), dict(cmap=plots.DIVERGING, vmin=-1, vmax=1),
                  dict(cmap="gray", vmin=0, vmax=1)]
        shown = []
        for column, (array, style) in enumerate(zip((x[0, 0], filters, maps), styles)):
            ax = fig.add_subplot(grid[0, column])
            shown.append(ax.imshow(array, **style))
            ax.set_axis_off()
        # the filters are signed: a colour bar says which colour is which sign (each tile is
        # scaled by its own largest |weight|, so the bar runs from -1 to 1 in those units)
        fig.colorbar(shown[1], ax=fig.axes[1], shrink=0.8, label="weight / the filter's largest |weight|")
        fig._kf_state = {"images": shown}
    else:                                                    # update in place
        for image, array in zip(fig._kf_state["images"], (x[0, 0], filters, maps)):
            image.set_data(array)
    for ax, title in zip(fig.axes, titles):
        ax.set_title(title, y=1.0)            # y=1.0: a fixed place, not re-measured per redraw
