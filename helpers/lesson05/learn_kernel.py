"""Lesson 05: learn a known kernel back from input/output image pairs by gradient descent.

The set-up: images ``x`` are filtered with a *true* kernel (say Sobel), giving targets
``t = correlate(x, true_kernel) + noise``. A one-filter conv layer ``y = x ⋆ k + b`` starts
from zero and descends the mean squared error

    ``L(k, b) = 0.5 * mean((y - t) ** 2)``,   so   ``dL/dy = (y - t) / y.size``

with the backward pass of :mod:`helpers.layers`. Because ``y`` is linear in ``theta = (k, b)``,
``L`` is a quadratic bowl, ``L(theta) = 0.5 theta^T G theta - c^T theta + 0.5 s``, where ``G`` is
the (KH*KW + 1)-square Gram matrix of the input windows (:class:`Quadratic`). Descent on that
small matrix takes exactly the same steps as descent through the layers, only thousands of
times faster. It also explains the behaviour (and, in :func:`descend_quadratic_eigen`, gives
the whole run without a loop, which is what the slider uses):

* the descent converges for ``0 < lr < 2 / lambda_max(G)`` and diverges above;
* each eigen-direction of ``G`` shrinks by ``|1 - lr * lambda|`` per step, so directions the
  images hardly excite (small ``lambda``; for photos, fine checkerboard patterns) are learned
  slowly, while the loss already looks flat.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .. import layers, plots
from .._validate import as_float_array, as_int
from ..init import as_rng
from ..widgets import Drawing

__all__ = ["random_crops", "make_pairs", "mse", "descend_with_layers", "Descent", "conv_design_matrix",
           "fit_conv", "Quadratic", "descend_quadratic", "descend_quadratic_eigen", "draw_descent"]


# --------------------------------------------------------------------------- data
def random_crops(image, n, size, rng=None) -> np.ndarray:
    """``n`` square crops of side ``size`` at random places in ``image (H, W)``: ``(n, size, size)``."""
    image = as_float_array(image, "image", ndim=2, shape_hint="(H, W)")
    n = as_int(n, "n", 1)
    size = as_int(size, "size", 1)
    if size > min(image.shape):
        raise ValueError(f"size {size} is larger than the image (shape {image.shape}); "
                         f"use a size of at most {min(image.shape)}.")
    rng = as_rng(rng)
    rows = rng.integers(0, image.shape[0] - size + 1, size=n)
    cols = rng.integers(0, image.shape[1] - size + 1, size=n)
    return np.array([image[r:r + size, c:c + size] for r, c in zip(rows, cols)])


def make_pairs(images, kernel, bias: float = 0.0, noise: float = 0.0, rng=None):
    """Inputs and targets for kernel recovery.

    ``images (N, H, W)`` and ``kernel (KH, KW)`` give ``x (N, 1, H, W)`` and
    ``t = x ⋆ kernel + bias + noise * standard normal``, shape ``(N, 1, H - KH + 1, W - KW + 1)``
    (valid cross-correlation, computed with :func:`helpers.layers.conv2d_forward`).
    """
    images = as_float_array(images, "images", ndim=3, shape_hint="(N, H, W)")
    kernel = as_float_array(kernel, "kernel", ndim=2, shape_hint="(KH, KW)")
    x = images[:, None]
    t, _ = layers.conv2d_forward(x, kernel[None, None], np.array([float(bias)]))
    if noise:
        t = t + float(noise) * as_rng(rng).normal(size=t.shape)
    return x, t


def mse(y, t):
    """``(loss, dy)``: ``loss = 0.5 * mean((y - t) ** 2)`` and its gradient ``dy = (y - t) / y.size``."""
    y = as_float_array(y, "y")
    t = as_float_array(t, "t")
    if y.shape != t.shape:
        raise ValueError(f"y and t must have the same shape, got {y.shape} and {t.shape}.")
    diff = y - t
    return 0.5 * float(np.mean(diff ** 2)), diff / diff.size


# --------------------------------------------------------------------------- descent through the layers
@dataclass(frozen=True)
class Descent:
    """A gradient-descent run: ``losses (S + 1,)``, ``kernels (S + 1, KH, KW)``, ``biases (S + 1,)``.

    Entry ``s`` is the state *before* update ``s`` (entry 0 is the start). ``diverged`` is True
    when the loss blew up (then the arrays stop there).
    """

    losses: np.ndarray
    kernels: np.ndarray
    biases: np.ndarray
    diverged: bool = False


def descend_with_layers(x, t, kernel_shape=(3, 3), lr: float = 0.5, steps: int = 100) -> Descent:
    """Plain gradient descent on ``0.5 * mean((conv(x, k) + b - t) ** 2)`` from ``k = 0, b = 0``.

    ``x (N, 1, H, W)``, ``t (N, 1, H - KH + 1, W - KW + 1)``. Each step runs
    :func:`helpers.layers.conv2d_forward`, :func:`mse` and :func:`helpers.layers.conv2d_backward`.
    """
    x = as_float_array(x, "x", ndim=4, shape_hint="(N, 1, H, W)")
    t = as_float_array(t, "t", ndim=4, shape_hint="(N, 1, H_out, W_out)")
    steps = as_int(steps, "steps", 0)
    w = np.zeros((1, 1) + tuple(kernel_shape))
    b = np.zeros(1)
    losses, kernels, biases = [], [], []
    for _ in range(steps + 1):
        y, cache = layers.conv2d_forward(x, w, b)
        loss, dy = mse(y, t)
        losses.append(loss)
        kernels.append(w[0, 0].copy())
        biases.append(float(b[0]))
        _, dw, db = layers.conv2d_backward(dy, cache)
        w = w - lr * dw
        b = b - lr * db
    return Descent(np.array(losses), np.array(kernels), np.array(biases))


# --------------------------------------------------------------------------- the same descent on a 10x10 matrix
def conv_design_matrix(x, kernel_shape) -> np.ndarray:
    """The least-squares matrix of a valid ``KH x KW`` convolution layer with a bias.

    ``x (N, C, H, W)`` gives ``(N * H_out * W_out, C * KH * KW + 1)``: one row per output
    pixel (image by image, row by row) holding the window it reads, channel by channel and
    tap by tap, then a 1 for the bias. Row ``r`` times ``[w.ravel(), b]`` is that output pixel
    of ``layers.conv2d_forward(x, w[None], [b])``.
    """
    x = as_float_array(x, "x", ndim=4, shape_hint="(N, C, H, W)")
    kh, kw = (as_int(v, "kernel_shape", 1) for v in kernel_shape)
    if kh > x.shape[2] or kw > x.shape[3]:
        raise ValueError(f"kernel_shape {(kh, kw)} is larger than the images {x.shape[2:]}; a valid "
                         f"convolution has no output. Use a kernel of at most {x.shape[2:]}.")
    win = sliding_window_view(x, (kh, kw), axis=(2, 3))          # (N, C, OH, OW, KH, KW)
    n, c, oh, ow = win.shape[:4]
    rows = win.transpose(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, c * kh * kw)
    return np.concatenate([rows, np.ones((rows.shape[0], 1))], axis=1)


def fit_conv(x, t, kernel_shape) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The single valid conv layer (with bias) that best maps ``x`` to ``t``, by least squares.

    ``x (N, C_in, H, W)``, ``t (N, C_out, H - KH + 1, W - KW + 1)``. Returns ``w (C_out, C_in,
    KH, KW)``, ``b (C_out,)`` and ``r2 (C_out,)``: the share of each output channel's variance
    that the fitted layer explains (1 when ``t`` is exactly a convolution of ``x``).
    """
    x = as_float_array(x, "x", ndim=4, shape_hint="(N, C_in, H, W)")
    t = as_float_array(t, "t", ndim=4, shape_hint="(N, C_out, H_out, W_out)")
    design = conv_design_matrix(x, kernel_shape)
    kh, kw = kernel_shape
    want = (x.shape[0], t.shape[1], x.shape[2] - kh + 1, x.shape[3] - kw + 1)
    if t.shape != want:
        raise ValueError(f"t has shape {t.shape}; a valid {kh}x{kw} convolution of x (shape "
                         f"{x.shape}) with {t.shape[1]} output channels gives {want}.")
    targets = t.transpose(0, 2, 3, 1).reshape(-1, t.shape[1])    # one column per output channel
    theta, *_ = np.linalg.lstsq(design, targets, rcond=None)
    residual = targets - design @ theta
    r2 = 1.0 - residual.var(axis=0) / targets.var(axis=0)
    w = theta[:-1].T.reshape(t.shape[1], x.shape[1], kh, kw)
    return w, theta[-1].copy(), r2


@dataclass(frozen=True)
class Quadratic:
    """The loss of a one-filter conv layer as a quadratic in ``theta = (k.ravel(), b)``.

    ``L(theta) = 0.5 * theta @ G @ theta - c @ theta + 0.5 * s`` with ``G = P.T @ P / M``,
    ``c = P.T @ t / M``, ``s = t @ t / M``, where ``P (M, KH*KW + 1)`` holds every input window
    (and a 1 for the bias) and ``M`` is the number of outputs.
    """

    G: np.ndarray
    c: np.ndarray
    s: float
    kernel_shape: tuple

    @classmethod
    def from_pairs(cls, x, t, kernel_shape=(3, 3)) -> "Quadratic":
        """Build ``G, c, s`` from ``x (N, 1, H, W)`` and targets ``t (N, 1, H_out, W_out)``."""
        x = as_float_array(x, "x", ndim=4, shape_hint="(N, 1, H, W)")
        t = as_float_array(t, "t", ndim=4, shape_hint="(N, 1, H_out, W_out)")
        kh, kw = kernel_shape
        oh, ow = x.shape[2] - kh + 1, x.shape[3] - kw + 1
        if t.shape != (x.shape[0], 1, oh, ow):
            raise ValueError(f"t has shape {t.shape}; a valid {kh}x{kw} correlation of x "
                             f"(shape {x.shape}) gives {(x.shape[0], 1, oh, ow)}.")
        p = conv_design_matrix(x, (kh, kw))
        tt = t.reshape(-1)
        m = p.shape[0]
        return cls(p.T @ p / m, p.T @ tt / m, float(tt @ tt / m), (kh, kw))

    def loss(self, theta) -> float:
        """``L(theta)``."""
        return float(0.5 * theta @ self.G @ theta - self.c @ theta + 0.5 * self.s)

    def grad(self, theta) -> np.ndarray:
        """``dL/dtheta = G @ theta - c``."""
        return self.G @ theta - self.c

    @property
    def minimiser(self) -> np.ndarray:
        """The least-squares ``theta`` (where the gradient is zero)."""
        return np.linalg.solve(self.G, self.c)

    @property
    def eigenvalues(self) -> np.ndarray:
        """Eigenvalues of ``G``, largest first: the curvatures of the bowl."""
        return np.linalg.eigvalsh(self.G)[::-1]

    @property
    def lr_limit(self) -> float:
        """``2 / lambda_max(G)``: gradient descent converges for learning rates below this."""
        return 2.0 / float(self.eigenvalues[0])

    def split(self, theta):
        """``theta -> (kernel (KH, KW), bias)``."""
        return theta[:-1].reshape(self.kernel_shape), float(theta[-1])

    @cached_property
    def eigen(self):
        """``(lambdas, V)`` with ``G = V @ diag(lambdas) @ V.T`` (computed once, then kept)."""
        return np.linalg.eigh(self.G)


def descend_quadratic(q: Quadratic, lr: float, steps: int, blow_up: float = 1e6) -> Descent:
    """Gradient descent on :class:`Quadratic` ``q`` from ``theta = 0``: the same steps as
    :func:`descend_with_layers`. Stops early (``diverged=True``) once the loss exceeds ``blow_up``."""
    steps = as_int(steps, "steps", 0)
    theta = np.zeros(q.G.shape[0])
    thetas, losses, diverged = [], [], False
    for _ in range(steps + 1):
        loss = q.loss(theta)
        thetas.append(theta)
        losses.append(loss)
        if not loss <= blow_up:
            diverged = True
            break
        theta = theta - lr * q.grad(theta)
    thetas = np.array(thetas)
    kernels = thetas[:, :-1].reshape((-1,) + tuple(q.kernel_shape))
    return Descent(np.array(losses), kernels, thetas[:, -1], diverged)


def descend_quadratic_eigen(q: Quadratic, lr: float, steps: int, blow_up: float = 1e6) -> Descent:
    """The run of :func:`descend_quadratic`, computed without a loop over the steps.

    In the eigenbasis of ``G = V diag(lambda) V.T`` each component of ``theta - theta*``
    (``theta*`` the minimiser) is multiplied by ``r_i = 1 - lr * lambda_i`` at every step. From
    ``theta = 0``, with ``u* = V.T @ theta*`` and ``L*`` the lowest loss:

        ``theta_s = V @ (u* * (1 - r ** s))``,    ``L_s = L* + 0.5 * sum_i lambda_i * (u*_i * r_i ** s) ** 2``

    so every step is a power of ``r`` and the whole run is one array expression (what the
    slider uses: a few thousand steps in about a millisecond). It diverges exactly when some
    ``|r_i| > 1``, i.e. ``lr > 2 / lambda_max``. Same values as the loop, up to rounding.
    """
    steps = as_int(steps, "steps", 0)
    lam, v = q.eigen
    # The minimiser in the eigenbasis. A direction with no curvature (lambda 0: the images never
    # vary that way) has no gradient either, so descent never moves along it: 0 there.
    flat = lam <= 1e-12 * lam.max()
    u_star = np.where(flat, 0.0, v.T @ q.c) / np.where(flat, 1.0, lam)
    floor = 0.5 * q.s - 0.5 * float(u_star @ (lam * u_star))
    s = np.arange(steps + 1)
    with np.errstate(over="ignore", invalid="ignore"):   # a diverging run overflows to inf
        shrink = (1.0 - lr * lam)[None, :] ** s[:, None]       # (steps + 1, n): r_i ** s
        losses = floor + 0.5 * (shrink ** 2) @ (lam * u_star ** 2)
    blown = ~(losses <= blow_up)
    diverged = bool(blown.any())
    if diverged:                                     # stop at the first blown-up step, as the loop does
        keep = int(np.argmax(blown)) + 1
        shrink, losses = shrink[:keep], losses[:keep]
    thetas = (u_star * (1.0 - shrink)) @ v.T
    kernels = thetas[:, :-1].reshape((-1,) + tuple(q.kernel_shape))
    return Descent(losses, kernels, thetas[:, -1], diverged)


# --------------------------------------------------------------------------- the slider's picture
def _build_descent(fig, lr: float, steps: int, data: str, problems: dict, true_kernel) -> dict:
    grid = fig.add_gridspec(1, 3)
    ax_loss = fig.add_subplot(grid[0, :2])
    curve, = ax_loss.plot([], [], color=plots.PALETTE["blue"], label="training loss")
    floor_line = ax_loss.axhline(0.0, color=plots.PALETTE["black"], linestyle="--", linewidth=1,
                                 label="best possible")
    ax_loss.set_xlabel("step")
    ax_loss.set_ylabel("log10 of the loss")
    legend = ax_loss.legend(loc="upper right")
    ax_k = fig.add_subplot(grid[0, 2])
    plots.show_kernel(ax_k, np.zeros(problems[data].kernel_shape), fmt="{:.2f}")   # numbers set later
    blew_up = ax_k.text(0.5, 0.5, "the kernel blew up:\nlower the learning rate", ha="center",
                        va="center", fontsize=12, color=plots.PALETTE["red"], transform=ax_k.transAxes)
    return {"axes": (ax_loss, ax_k), "curve": curve, "floor": floor_line, "floor_label": legend.get_texts()[1],
            "kernel": ax_k.images[0], "numbers": list(ax_k.texts[:-1]), "blew_up": blew_up}


def _update_descent(state: dict, lr: float, steps: int, data: str, problems: dict, true_kernel) -> None:
    if not lr > 0:
        raise ValueError(f"the learning rate must be positive, got {lr}; a step of 0 never moves.")
    q = problems[data]
    run = descend_quadratic_eigen(q, lr, steps)
    floor = q.loss(q.minimiser)
    ax_loss, ax_k = state["axes"]
    state["curve"].set_data(np.arange(len(run.losses)), np.log10(run.losses))
    state["floor"].set_ydata([np.log10(floor)] * 2)
    state["floor_label"].set_text(f"best possible ({floor:.1e})")
    if run.diverged:
        ax_loss.set_title(f"lr {lr:.2f} > 2/lambda_max = {q.lr_limit:.2f}: diverges at step {len(run.losses) - 1}")
    else:
        ax_loss.set_title(f"{data}: lr {lr:.2f} (limit 2/lambda_max = {q.lr_limit:.2f})")
    ax_loss.set_xlim(0, steps)
    plots.follow_data(ax_loss, x=False)                       # y range of the new curve
    state["blew_up"].set_visible(run.diverged)
    state["kernel"].set_visible(not run.diverged)
    for text in state["numbers"]:
        text.set_visible(not run.diverged)
    if run.diverged:
        ax_k.set_axis_off()
        ax_k.set_title("")
        return
    ax_k.set_axis_on()
    learned = run.kernels[-1]
    plots.update_kernel(state["kernel"], state["numbers"], learned, "{:.2f}")
    err = float(np.max(np.abs(learned - np.asarray(true_kernel, dtype=float))))
    ax_k.set_title(f"learned kernel, step {steps}\nmax |learned - true| = {err:.3f}")


#: Slider figure ``draw_descent(fig, lr, steps, data, problems, true_kernel)``: the loss curve
#: and the learned kernel after ``steps`` steps at learning rate ``lr``. ``problems`` maps a
#: data name (the dropdown's value) to its :class:`Quadratic`; ``true_kernel (KH, KW)`` is the
#: kernel that made the targets (its distance to the learned one is in the title). The loss is
#: drawn as ``log10`` on a linear axis. Raises ValueError for a learning rate that is not
#: positive. The run itself is :func:`descend_quadratic_eigen`.
draw_descent = Drawing(_build_descent, _update_descent)
