"""Small training runs where only the initial filters differ (lesson 04's third concept module).

1. **Symmetry.** A conv layer with two filters, a ReLU and a 1x1 readout, trained by gradient
   descent to imitate a "teacher" layer whose two filters differ::

       x (N, 1, L) -> conv, w (2, 1, 3), b (2,) -> ReLU -> 1x1 conv, v (1, 2, 1), c (1,) -> y_hat (N, 1, L - 2)

   If both filters start equal (and both readout weights too), every gradient is the same for
   both, so they stay equal forever: the layer behaves like one filter. All zeros is worse:
   the ReLU's slope at 0 is 0, so no weight moves at all. A random start breaks the tie.

2. **Hand-made vs random first layers.** Lesson 06's network (:mod:`helpers.cnn`: conv, ReLU,
   2x2 max-pool, dense, softmax), here with 5x5 kernels that start as a given bank (for example
   Gabor filters) or at random; everything else identical and seeded, trained by ``cnn.train``.
"""

from __future__ import annotations

import numpy as np

from .. import layers, plots
from .._validate import as_float_array, as_int
from ..init import as_rng, glorot_uniform, he_normal

__all__ = ["TEACHER_FILTERS", "TEACHER_READOUT", "teacher_data", "symmetry_init",
           "symmetry_loss_and_grads", "train_symmetry", "plot_symmetry", "scale_bank",
           "bank_similarity", "init_classifier"]

TEACHER_FILTERS = np.array([[[1.0, 0.0, -1.0]], [[-0.5, 1.0, -0.5]]])    # (2, 1, 3): edge, peak
TEACHER_READOUT = np.array([[[1.0], [1.0]]])                              # (1, 2, 1)


# =========================================================================== 1. symmetry
def teacher_data(n: int = 32, length: int = 24, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Inputs ``x (n, 1, length)`` (standard normal) and the teacher's targets ``(n, 1, length - 2)``."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(as_int(n, "n", 1), 1, as_int(length, "length", 3)))
    z, _ = layers.conv1d_forward(x, TEACHER_FILTERS)
    y, _ = layers.conv1d_forward(np.maximum(z, 0.0), TEACHER_READOUT)
    return x, y


def symmetry_init(kind: str, seed: int = 0, value: float = 0.3) -> dict:
    """Initial parameters ``{"w", "b", "v", "c"}`` for ``kind`` in ``"constant"``, ``"zeros"``, ``"random"``.

    ``"constant"``: every filter weight ``value``, readout weights 0.5; ``"zeros"``: everything 0;
    ``"random"``: Keras' default (glorot_uniform weights). Biases start at 0 in every case.
    """
    if kind == "constant":
        return {"w": np.full((2, 1, 3), float(value)), "b": np.zeros(2),
                "v": np.full((1, 2, 1), 0.5), "c": np.zeros(1)}
    if kind == "zeros":
        return {"w": np.zeros((2, 1, 3)), "b": np.zeros(2), "v": np.zeros((1, 2, 1)), "c": np.zeros(1)}
    if kind == "random":
        rng = np.random.default_rng(seed)
        return {"w": glorot_uniform((2, 1, 3), rng=rng), "b": np.zeros(2),
                "v": glorot_uniform((1, 2, 1), rng=rng), "c": np.zeros(1)}
    raise ValueError(f"kind must be 'constant', 'zeros' or 'random', got {kind!r}.")


def symmetry_loss_and_grads(params: dict, x, y) -> tuple[float, dict]:
    """Mean squared error of the two-filter model on ``(x, y)`` and its gradients by name."""
    z, c1 = layers.conv1d_forward(x, params["w"], params["b"])
    h, c2 = layers.relu_forward(z)
    y_hat, c3 = layers.conv1d_forward(h, params["v"], params["c"])
    diff = y_hat - y
    loss = float(np.mean(diff ** 2))
    d_yhat = 2.0 * diff / diff.size
    dh, dv, dc = layers.conv1d_backward(d_yhat, c3)
    _, dw, db = layers.conv1d_backward(layers.relu_backward(dh, c2), c1)
    return loss, {"w": dw, "b": db, "v": dv, "c": dc}


def train_symmetry(params: dict, steps: int = 300, lr: float = 0.1, data=None) -> dict:
    """Full-batch gradient descent on the mean squared error against the teacher.

    Returns ``{"loss": (steps + 1,), "w": (steps + 1, 2, 3), "v": (steps + 1, 2)}``: the loss
    before each step (and after the last) and the two filters / readout weights over time.
    """
    steps = as_int(steps, "steps", 0)
    x, y = teacher_data() if data is None else data
    p = {k: as_float_array(v, k).copy() for k, v in params.items()}
    losses, ws, vs = [], [p["w"][:, 0].copy()], [p["v"][0, :, 0].copy()]
    for _ in range(steps):
        loss, grads = symmetry_loss_and_grads(p, x, y)
        losses.append(loss)
        for k in p:
            p[k] -= lr * grads[k]
        ws.append(p["w"][:, 0].copy())
        vs.append(p["v"][0, :, 0].copy())
    losses.append(symmetry_loss_and_grads(p, x, y)[0])
    return {"loss": np.array(losses), "w": np.array(ws), "v": np.array(vs)}


def plot_symmetry(axes, runs: dict) -> None:
    """``axes[0]``: loss curves of every run; then one axis per run with both filters' taps over time.

    ``runs`` maps a label to a :func:`train_symmetry` result. Filter 0 solid, filter 1 dashed,
    one colour per tap: where the dashed lines lie on the solid ones, the filters are identical.
    """
    colours = (plots.PALETTE["blue"], plots.PALETTE["orange"], plots.PALETTE["green"])
    axes[0].set_yscale("log")
    for label, run in runs.items():
        axes[0].plot(run["loss"], label=label)
    axes[0].set_xlabel("gradient step")
    axes[0].set_ylabel("mean squared error")
    axes[0].set_title("Training loss", fontsize=10)
    axes[0].legend(fontsize=8)
    for ax, (label, run) in zip(axes[1:], runs.items()):
        for tap in range(run["w"].shape[2]):
            ax.plot(run["w"][:, 0, tap], color=colours[tap], label=f"filter 0, tap {tap}")
            ax.plot(run["w"][:, 1, tap], color=colours[tap], linestyle="--", linewidth=2.5, alpha=0.7,
                    label=f"filter 1, tap {tap}")
        ax.set_xlabel("gradient step")
        ax.set_ylabel("weight value")
        ax.set_title(f"{label}: both filters' taps", fontsize=10)
    axes[1].legend(fontsize=7, ncol=2)


# =========================================================================== 2. hand-made banks
def scale_bank(bank, target_std: float, centre: bool = False) -> np.ndarray:
    """Rescale a bank of kernels ``(F, KH, KW)`` so that its weights' std is ``target_std``.

    ``centre=True`` first subtracts each kernel's mean (a Gaussian's weights are all positive,
    so it responds to brightness; centred, it responds to contrast only). Returns ``(F, 1, KH, KW)``.
    """
    bank = as_float_array(bank, "bank", ndim=3, shape_hint="(F, KH, KW)")
    if centre:
        bank = bank - bank.mean(axis=(1, 2), keepdims=True)
    std = bank.std()
    if std == 0:
        raise ValueError("bank has no variation at all (every weight equal); it cannot be rescaled.")
    return (bank * (float(target_std) / std))[:, None]


def bank_similarity(bank) -> float:
    """Mean absolute cosine similarity between the distinct filters of a bank ``(F, ...)``.

    0 for mutually orthogonal filters, 1 when every filter is a multiple of every other (as in
    a constant init). A measure of how much the initial filters already differ.
    """
    bank = as_float_array(bank, "bank")
    flat = bank.reshape(bank.shape[0], -1)
    if flat.shape[0] < 2:
        raise ValueError(f"bank has {flat.shape[0]} filter; similarity needs at least 2.")
    norms = np.linalg.norm(flat, axis=1)
    if np.any(norms == 0):
        raise ValueError("bank contains an all-zero filter; its direction (cosine) is undefined.")
    cos = (flat @ flat.T) / np.outer(norms, norms)
    off = ~np.eye(flat.shape[0], dtype=bool)
    return float(np.mean(np.abs(cos[off])))


def init_classifier(w1, n_classes: int = 10, image_size: int = 8, rng=None) -> dict:
    """Parameters of :mod:`helpers.cnn`'s network with the first-layer kernels ``w1 (F, 1, K, K)``.

    conv ``K x K`` with "same" padding ``K // 2`` (odd K), ReLU, 2x2 max-pool, dense to
    ``n_classes`` (He-normal weights from ``rng``), zero biases. Train it with
    :func:`helpers.cnn.train`, the course's one training loop.
    """
    w1 = as_float_array(w1, "w1", ndim=4, shape_hint="(F, 1, K, K)")
    pooled = image_size // 2
    d = w1.shape[0] * pooled * pooled
    return {"w1": w1.copy(), "b1": np.zeros(w1.shape[0]),
            "w2": he_normal((n_classes, d), rng=as_rng(rng)), "b2": np.zeros(n_classes)}
