"""Checks for lesson 05 (Backprop through conv + ReLU).

Every check builds its own test case with asymmetric kernels, so a flipped kernel, a
forgotten bias or a wrong border mode shows up as a specific hint.
"""

from __future__ import annotations

import numpy as np

from ..conv import convolve1d, correlate1d, correlate2d
from ..feedback import Feedback, compare_arrays, compare_number, run_check

__all__ = ["exercise_relu_gate", "exercise_kernel_grad", "exercise_strided_input_grad",
           "exercise_conv_backward", "exercise_composite_kernel"]


def _as_array(got, name):
    if got is None:
        return None, f"{name} is None: did you forget `return`?"
    try:
        return np.asarray(got, dtype=float), None
    except (TypeError, ValueError):
        return None, f"{name} should be an array of numbers, got {type(got).__name__}."


# --------------------------------------------------------------------------- 05.1
def exercise_relu_gate(relu_gate) -> Feedback:
    """Exercise 05.1: ``relu_gate(dh, z)`` is dL/dz for ``h = ReLU(z)``, given ``dh = dL/dh``."""
    z = np.array([[-1.5, 0.0, 2.0, 0.3], [4.0, -0.2, 0.0, -3.0]])
    dh = np.array([[0.5, -2.0, -1.0, 3.0], [-0.7, 1.1, 2.5, 0.4]])
    want = dh * (z > 0)

    def grade():
        got, problem = _as_array(relu_gate(dh.copy(), z.copy()), "relu_gate(dh, z)")
        if problem:
            return problem
        if got.shape != want.shape:
            return f"relu_gate(dh, z) has shape {got.shape}; the gradient has the shape of z, {z.shape}."
        if np.allclose(got, want):
            return None
        if np.allclose(got, dh * (z >= 0)):
            return ("where z == 0 you let the gradient through. The course (like PyTorch) takes "
                    "ReLU's slope at exactly 0 to be 0: use z > 0, not z >= 0.")
        if np.allclose(got, dh * np.maximum(z, 0)) or np.allclose(got, np.maximum(z, 0)):
            return ("you multiplied by ReLU(z) itself. The gate is ReLU's *derivative*: 1 where "
                    "z > 0 and 0 elsewhere, so dz = dh * (z > 0).")
        if np.allclose(got, np.maximum(dh, 0)) or np.allclose(got, dh * (dh > 0)):
            return ("you gated on the sign of the gradient dh. The gate depends on the forward "
                    "input z: the gradient passes where z > 0, whatever its own sign.")
        if np.allclose(got, dh):
            return "you passed dh through unchanged; it must be 0 wherever z <= 0."
        return compare_arrays(got, want, "relu_gate(dh, z)")
    return run_check("Exercise 05.1 (the ReLU gate)", grade)


# --------------------------------------------------------------------------- 05.2
def exercise_kernel_grad(kernel_grad) -> Feedback:
    """Exercise 05.2: ``kernel_grad(x, dz) -> (dk, db)`` for ``z = correlate2d(x, k, 'valid') + b``."""
    rng = np.random.default_rng(505)
    x = rng.integers(-3, 4, size=(5, 6)).astype(float)
    dz = rng.integers(-2, 3, size=(3, 3)).astype(float)
    want_dk = correlate2d(x, dz, mode="valid")          # (3, 4): the kernel's shape
    want_db = float(dz.sum())

    def grade():
        out = kernel_grad(x.copy(), dz.copy())
        if out is None:
            return "kernel_grad returned None: did you forget `return dk, db`?"
        if not (isinstance(out, tuple) and len(out) == 2):
            return "kernel_grad should return a pair (dk, db): the kernel gradient and the bias gradient."
        dk, problem = _as_array(out[0], "dk")
        if problem:
            return problem
        if dk.shape != want_dk.shape:
            if dk.shape == (x.shape[0] + dz.shape[0] - 1, x.shape[1] + dz.shape[1] - 1):
                return (f"dk has shape {dk.shape}: that is a 'full' correlation. The gradient of "
                        f"the kernel has the kernel's shape {want_dk.shape}: use mode='valid'.")
            return (f"dk has shape {dk.shape}; it must have the kernel's shape {want_dk.shape} "
                    f"(for x of shape {x.shape} and dz of shape {dz.shape}).")
        if not np.allclose(dk, want_dk):
            if np.allclose(dk, correlate2d(x, dz[::-1, ::-1], mode="valid")):
                return ("dk is a convolution (dz rotated by 180 degrees). The forward pass is a "
                        "correlation, and so is its kernel gradient: "
                        "dk[m, n] = sum_ij dz[i, j] * x[i + m, j + n], no rotation.")
            if np.allclose(dk, want_dk[::-1, ::-1]):
                return ("dk is rotated by 180 degrees. The forward pass is a correlation, and so "
                        "is its kernel gradient: dk[m, n] = sum_ij dz[i, j] * x[i + m, j + n], no flip.")
            return compare_arrays(dk, want_dk, "dk")
        db = out[1]
        if db is None:
            return "db is None: return the bias gradient too."
        if np.ndim(db) > 0 and np.size(db) != 1:
            return (f"db has shape {np.shape(db)}; one bias gets one gradient, a single number: "
                    f"add up dz over every output position.")
        db = float(np.asarray(db, dtype=float).reshape(-1)[0])
        if abs(db - float(dz.mean())) < 1e-9 and abs(want_db - dz.mean()) > 1e-9:
            return "db is the mean of dz; the bias is added at every output position, so its gradient is the sum."
        return compare_number(db, want_db, "db")
    return run_check("Exercise 05.2 (kernel and bias gradients)", grade)


# --------------------------------------------------------------------------- 05.3
def exercise_strided_input_grad(strided_input_grad) -> Feedback:
    """Exercise 05.3: ``strided_input_grad(dz, k, stride, n)`` is dL/dx, shape ``(n,)``, for
    ``z = correlate1d(x, k, 'valid')[::stride]``."""
    k = np.array([2.0, -1.0, 0.5])
    cases = [(np.array([1.0, -2.0, 3.0]), 2, 7), (np.array([1.0, -2.0, 3.0]), 2, 8),
             (np.array([0.5, 1.0, -1.0, 2.0]), 3, 13), (np.array([1.0, 2.0, -1.0]), 1, 5)]

    def grade():
        for dz, s, n in cases:
            d = np.zeros((dz.size - 1) * s + 1)
            d[::s] = dz
            want = np.zeros(n)
            full = convolve1d(d, k, mode="full")
            want[:full.size] = full
            call = f"strided_input_grad(dz={dz.tolist()}, k, stride={s}, n={n})"
            got, problem = _as_array(strided_input_grad(dz.copy(), k.copy(), s, n), call)
            if problem:
                return problem
            if got.shape == (dz.size + k.size - 1,) and s > 1:
                return (f"{call} has {got.size} entries: you used the stride-1 formula on dz as it "
                        f"is. Put stride - 1 = {s - 1} zeros between the entries of dz first (the "
                        f"outputs the stride skipped), then take the full convolution.")
            if got.shape == full.shape and full.size < n:
                return (f"{call} has {got.size} entries but x has n = {n}: the last "
                        f"{n - full.size} input(s) were never read by the strided kernel; their "
                        f"gradient is 0, and it must still be there.")
            if got.shape != want.shape:
                return f"{call} has shape {got.shape}; dL/dx has the shape of x, ({n},)."
            if np.allclose(got, want):
                continue
            undilated = np.zeros(n)
            plain = convolve1d(dz, k, mode="full")
            undilated[:plain.size] = plain[:n]
            if s > 1 and np.allclose(got, undilated):
                return (f"{call}: this is the stride-1 answer padded to length {n}: output i read "
                        f"x[{s}*i + m], not x[i + m], so dz[i] must spread k over inputs {s}*i .. "
                        f"{s}*i + {k.size - 1}. In the convolution view: dilate dz first (put "
                        f"stride - 1 = {s - 1} zeros between its entries), then take the full convolution.")
            wrong = np.zeros(n)
            corr = correlate1d(d, k, mode="full")
            wrong[:corr.size] = corr
            if np.allclose(got, wrong):
                return (f"{call}: you slid the kernel without flipping it (a full correlation). "
                        f"Each dz entry spreads k over the inputs it read, which is a full "
                        f"*convolution* (equivalently, correlation with k rotated by 180 degrees).")
            return compare_arrays(got, want, call)
        return None
    return run_check("Exercise 05.3 (input gradient with a stride)", grade)


# --------------------------------------------------------------------------- 05.4
def _scatter_backward(dz, x, w, stride, padding, flip=False, stride_one=False):
    """Loop reference for the checker's *wrong* variants (the right answer comes from
    :func:`helpers.layers.conv2d_backward`). ``flip`` uses the kernel rotated by 180 degrees;
    ``stride_one`` sends output (i, j)'s gradient to the window at (i, j) instead of
    (i*stride, j*stride). Returns ``(dx_padded, dw)``."""
    n_b, c_out, oh, ow = dz.shape
    _, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    wk = w[:, :, ::-1, ::-1] if flip else w
    step = 1 if stride_one else stride
    dxp = np.zeros_like(xp)
    dw = np.zeros_like(w)
    for n in range(n_b):
        for o in range(c_out):
            for i in range(oh):
                for j in range(ow):
                    rows = slice(i * step, i * step + kh)
                    cols = slice(j * step, j * step + kw)
                    dxp[n, :, rows, cols] += dz[n, o, i, j] * wk[o]
                    dw[o] += dz[n, o, i, j] * xp[n, :, rows, cols]
    if flip:
        dw = dw[:, :, ::-1, ::-1]
    return dxp, dw


def _conv_backward_cases():
    """(N, C_in, C_out, H, W, KH, KW, stride, padding): several shapes, asymmetric kernels."""
    return [(1, 1, 1, 4, 5, 2, 3, 1, 0), (2, 3, 4, 5, 6, 3, 3, 1, 1),
            (2, 2, 3, 8, 7, 3, 2, 2, 0), (3, 2, 2, 6, 5, 3, 3, 2, 1)]


def exercise_conv_backward(conv_backward) -> Feedback:
    """Exercise 05.4: ``conv_backward(dz, x, w, stride, padding) -> (dx, dw, db)`` for the layer
    ``z = conv2d_forward(x, w, b, stride, padding)``: ``x (N, C_in, H, W)``,
    ``w (C_out, C_in, KH, KW)``, ``dz (N, C_out, H_out, W_out)``.

    Compared with :func:`helpers.layers.conv2d_backward` on four shapes (stride 1 and 2,
    padding 0 and 1), with a specific hint for a flipped kernel, a missing or wrong padding
    crop, a stride that was not taken into account, and sums over the wrong axis.
    """
    from ..layers import conv2d_backward, conv2d_forward

    def grade():
        rng = np.random.default_rng(554)
        for n_b, c_in, c_out, h, wd, kh, kw, s, p in _conv_backward_cases():
            x = rng.normal(size=(n_b, c_in, h, wd))
            w = rng.normal(size=(c_out, c_in, kh, kw))
            b = rng.normal(size=c_out)
            z, cache = conv2d_forward(x, w, b, stride=s, padding=p)
            dz = rng.normal(size=z.shape)
            want_dx, want_dw, want_db = conv2d_backward(dz, cache)
            call = (f"conv_backward(dz, x, w, stride={s}, padding={p}) with x {x.shape}, "
                    f"w {w.shape}, dz {dz.shape}")
            try:
                out = conv_backward(dz.copy(), x.copy(), w.copy(), s, p)
            except (ValueError, IndexError) as exc:
                if p == 0:
                    raise
                return (f"{call} raised {type(exc).__name__}: {exc}. With padding {p} the windows come "
                        f"from the padded input: pad x first (np.pad, {p} on each side of both spatial axes), "
                        f"accumulate dx into an array of the padded shape, and crop it at the end.")
            if out is None:
                return "conv_backward returned None: did you forget `return dx, dw, db`?"
            if not (isinstance(out, (tuple, list)) and len(out) == 3):
                return "conv_backward should return three arrays (dx, dw, db), in that order."
            dx, problem = _as_array(out[0], "dx")
            if problem:
                return problem
            dw, problem = _as_array(out[1], "dw")
            if problem:
                return problem
            db, problem = _as_array(out[2], "db")
            if problem:
                return problem
            # ---- db: one number per filter
            if db.shape != want_db.shape or not np.allclose(db, want_db):
                sums = {(1, 2, 3): "the filters and positions (one number per image)",
                        (2, 3): "the positions only (one number per image and filter)",
                        (0,): "the batch only (one number per filter and position)",
                        (0, 1, 2, 3): "everything (one number for the whole layer)"}
                for axes, what in sums.items():
                    alt = dz.sum(axis=axes)
                    if db.shape == alt.shape and np.allclose(db, alt) and not (
                            alt.shape == want_db.shape and np.allclose(alt, want_db)):
                        return (f"{call}: db has shape {db.shape}: you summed dz over {what}. "
                                f"Filter o's bias is added at every position of every image, so "
                                f"db[o] sums dz[:, o] over the batch and the positions: shape {want_db.shape}.")
                if db.shape != want_db.shape:
                    return f"{call}: db has shape {db.shape}; one bias per filter, shape {want_db.shape}."
                return compare_arrays(db, want_db, f"{call}: db")
            # ---- dw: the kernel's shape, summed over the batch
            if dw.shape != want_dw.shape:
                if dw.shape == (n_b,) + want_dw.shape:
                    return (f"{call}: dw has shape {dw.shape}, one kernel gradient per image. The "
                            f"images share one kernel: add their contributions up (sum over the batch).")
                return f"{call}: dw has shape {dw.shape}; it must have w's shape {want_dw.shape}."
            if not np.allclose(dw, want_dw):
                _, one_dw = _scatter_backward(dz, x, w, s, p, stride_one=True)
                last = _scatter_backward(dz[-1:], x[-1:], w, s, p)[1]
                if np.allclose(dw, want_dw[:, :, ::-1, ::-1]):
                    return (f"{call}: dw is rotated by 180 degrees. The forward pass is a correlation "
                            f"and so is the kernel's gradient: tap (m, q) of filter o collects dz[n, o, i, j] "
                            f"times the input it read, x_pad[n, c, i*stride + m, j*stride + q]. No flip.")
                if s > 1 and np.allclose(dw, one_dw):
                    return _stride_hint(call, s, "dw")
                if n_b > 1 and np.allclose(dw, last):
                    return (f"{call}: dw holds only the last image's contribution: inside the loop over "
                            f"the batch, add to dw (+=) instead of assigning. Every image uses the same kernel.")
                return compare_arrays(dw, want_dw, f"{call}: dw")
            # ---- dx: x's shape, the padding cropped off
            hp, wp = h + 2 * p, wd + 2 * p
            if dx.shape != want_dx.shape:
                if p > 0 and dx.shape == (n_b, c_in, hp, wp):
                    return (f"{call}: dx has shape {dx.shape}, the padded input's. The {p} padding "
                            f"row(s)/column(s) on each side are not part of x: crop them, "
                            f"dx = dx_pad[:, :, {p}:-{p}, {p}:-{p}].")
                return f"{call}: dx has shape {dx.shape}; it must have x's shape {want_dx.shape}."
            if np.allclose(dx, want_dx):
                continue
            right_dxp, _ = _scatter_backward(dz, x, w, s, p)
            flip_dxp, _ = _scatter_backward(dz, x, w, s, p, flip=True)
            one_dxp, _ = _scatter_backward(dz, x, w, s, p, stride_one=True)
            crop = (slice(None), slice(None), slice(p, p + h), slice(p, p + wd))
            if np.allclose(dx, flip_dxp[crop]):
                return (f"{call}: dx uses the kernel rotated by 180 degrees. Output (i, j) read "
                        f"x_pad[.., i*stride + m, j*stride + q] with weight w[o, c, m, q], so it sends "
                        f"dz * w[o, c, m, q] back to exactly that input: the kernel as it is. In the "
                        f"formula view: a full *convolution* with w, or a full correlation with w "
                        f"rotated by 180 degrees. One or the other: doing both (or neither) is this answer.")
            if p > 0 and np.allclose(dx, right_dxp[:, :, :h, :wd]):
                return (f"{call}: you cropped dx from the top-left corner. Padding added {p} row(s) "
                        f"and column(s) on *each* side: keep dx_pad[:, :, {p}:{p} + H, {p}:{p} + W].")
            if s > 1 and np.allclose(dx, one_dxp[crop]):
                return _stride_hint(call, s, "dx")
            if c_out > 1:
                only_last = _scatter_backward(dz[:, -1:], x, w[-1:], s, p)[0][crop]
                if np.allclose(dx, only_last):
                    return (f"{call}: dx holds only the last filter's contribution. Input channel c "
                            f"feeds every filter o, so dx[n, c] collects from all of them: add (+=), "
                            f"don't assign.")
            return compare_arrays(dx, want_dx, f"{call}: dx")
        return None
    return run_check("Exercise 05.4 (a conv layer's backward pass)", grade)


def _stride_hint(call, s, name):
    return (f"{call}: {name} is what stride 1 would give. With stride {s}, output (i, j) read the "
            f"window that starts at row {s}*i, column {s}*j, so its gradient goes back to that window, "
            f"not to the one at (i, j). (In the formula view: the upstream gradient must be dilated, "
            f"with stride - 1 = {s - 1} zeros between its entries, before the stride-1 formulas apply.)")


# --------------------------------------------------------------------------- 05.5
def exercise_composite_kernel(composite) -> Feedback:
    """Exercise 05.5: ``composite(k1, b1, k2, b2) -> (k, b)`` with
    ``correlate1d(correlate1d(x, k1) + b1, k2) + b2 == correlate1d(x, k) + b`` for every ``x``."""
    k1, b1 = np.array([1.0, -2.0, 0.5]), 0.7
    k2, b2 = np.array([3.0, 1.0, -1.0, 2.0]), -0.4
    want_k = convolve1d(k1, k2, mode="full")
    want_b = b1 * k2.sum() + b2

    def grade():
        try:
            out = composite(k1.copy(), b1, k2.copy(), b2)
        except ValueError as exc:
            if "broadcast" not in str(exc):
                raise
            return (f"your code combined k1 ({k1.size} taps) and k2 ({k2.size} taps) entry by entry, "
                    f"and NumPy could not line them up ({exc}). Stacking two correlations is not "
                    f"a tap-by-tap product: write y[i] = sum_n k2[n] (sum_m k1[m] x[i + n + m] + b1) "
                    f"+ b2 and collect, for each p = n + m, every product k1[m] * k2[n] that "
                    f"multiplies x[i + p].")
        if out is None:
            return "composite returned None: did you forget `return k, b`?"
        if not (isinstance(out, tuple) and len(out) == 2):
            return "composite should return a pair (k, b): one kernel and one bias."
        k, problem = _as_array(out[0], "k")
        if problem:
            return problem
        if k.shape == (min(k1.size, k2.size),) and np.allclose(k, k1[:k.size] * k2[:k.size]):
            return ("k is k1 and k2 multiplied tap by tap. Stacking two correlations is not a "
                    "tap-by-tap product: tap p of the single kernel collects every k1[m] * k2[n] "
                    "with m + n = p.")
        if k.ndim != 1 or k.size != want_k.size:
            return (f"k has shape {k.shape}. A kernel of {k1.size} taps followed by one of "
                    f"{k2.size} taps reads {k1.size + k2.size - 1} neighbouring inputs per "
                    f"output, so the single kernel has {want_k.size} taps.")
        if not np.allclose(k, want_k):
            if np.allclose(k, np.correlate(k1, k2, "full")) or np.allclose(k, np.correlate(k2, k1, "full")):
                return ("k is a correlation of the two kernels. Work it out: "
                        "sum_n k2[n] sum_m k1[m] x[i + n + m], so tap p = n + m collects "
                        "k1[m] * k2[p - m]: a full *convolution* of k1 and k2.")
            if np.allclose(k, want_k[::-1]):
                return "k is reversed: check the direction of your index (flip vs no flip)."
            return compare_arrays(k, want_k, "k")
        b = out[1]
        try:
            b = float(b)
        except (TypeError, ValueError):
            return f"b should be one number, got {type(b).__name__}."
        if abs(b - (b1 + b2)) < 1e-9:
            return ("b = b1 + b2 forgets that the first bias goes through the second kernel: "
                    "b1 is added to every input of k2, so it comes out multiplied by sum(k2).")
        if abs(b - (b1 * b2)) < 1e-9 or abs(b - (b2 * k1.sum() + b1)) < 1e-9:
            return "b: follow b1 through the second layer: it is added to each of k2's inputs."
        return compare_number(b, want_b, "b")
    return run_check("Exercise 05.5 (two convolutions as one)", grade)
