"""Checks for lesson 05 (Backprop through conv + ReLU).

Every check builds its own test case with asymmetric kernels, so a flipped kernel, a
forgotten bias or a wrong border mode shows up as a specific hint.
"""

from __future__ import annotations

import numpy as np

from ..conv import convolve1d, correlate1d, correlate2d
from ..feedback import Feedback, compare_arrays, compare_number, run_check

__all__ = ["exercise_relu_gate", "exercise_kernel_grad", "exercise_strided_input_grad",
           "exercise_composite_kernel"]


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
def exercise_composite_kernel(composite) -> Feedback:
    """Exercise 05.4: ``composite(k1, b1, k2, b2) -> (k, b)`` with
    ``correlate1d(correlate1d(x, k1) + b1, k2) + b2 == correlate1d(x, k) + b`` for every ``x``."""
    k1, b1 = np.array([1.0, -2.0, 0.5]), 0.7
    k2, b2 = np.array([3.0, 1.0, -1.0, 2.0]), -0.4
    want_k = convolve1d(k1, k2, mode="full")
    want_b = b1 * k2.sum() + b2

    def grade():
        out = composite(k1.copy(), b1, k2.copy(), b2)
        if out is None:
            return "composite returned None: did you forget `return k, b`?"
        if not (isinstance(out, tuple) and len(out) == 2):
            return "composite should return a pair (k, b): one kernel and one bias."
        k, problem = _as_array(out[0], "k")
        if problem:
            return problem
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
    return run_check("Exercise 05.4 (two convolutions as one)", grade)
