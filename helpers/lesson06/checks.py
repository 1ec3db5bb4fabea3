"""Checks for lesson 06 (Capstone: a tiny CNN from scratch)."""

from __future__ import annotations

import numpy as np

from ..feedback import Feedback, compare_arrays, compare_number, run_check

__all__ = ["exercise_accuracy", "exercise_parameter_count", "exercise_momentum_step", "exercise_he_init",
           "exercise_hand_made_bank", "BANK_TARGET", "BANK_MAX_FILTERS", "LESSON_FILTERS"]

#: Exercise 06.5: the frozen hand-made bank must reach this validation accuracy ...
BANK_TARGET = 0.96
#: ... with at most this many 3x3 kernels.
BANK_MAX_FILTERS = 4


# --------------------------------------------------------------------------- 06.1
def exercise_accuracy(accuracy_from_logits) -> Feedback:
    """Exercise 06.1: ``accuracy_from_logits(logits (N, classes), labels (N,))`` -> fraction correct."""
    logits = np.array([[2.0, 0.1, -1.0, 0.0], [0.3, 0.2, 0.9, 0.1], [-0.5, 3.0, 0.0, 0.2],
                       [1.0, 1.5, 0.2, 0.3]])
    labels = np.array([0, 2, 1, 3])
    want = 3 / 4                                  # rows 0, 1, 2 are right, row 3 is not

    def grade():
        got = accuracy_from_logits(logits.copy(), labels.copy())
        if got is None:
            return "your function returned None: did you forget `return`?"
        if np.ndim(got) > 0:
            return (f"the accuracy should be one number, got an array of shape {np.shape(got)}: "
                    f"take the mean of the per-image comparisons.")
        value = float(got)
        if abs(value - 3) < 1e-9:
            return "you returned the number of correct images (3); divide by the number of images."
        if abs(value - 75) < 1e-9:
            return "you returned a percentage (75); return a fraction between 0 and 1 (0.75)."
        wrong_axis = np.argmax(logits, axis=0)     # one winner per class, not per image
        if abs(value - np.mean(wrong_axis == labels)) < 1e-9:
            return ("you took the argmax over axis 0 (over images). Each row is one image: the "
                    "predicted class is the argmax along axis 1.")
        return compare_number(value, want, "the accuracy")
    return run_check("Exercise 06.1 (accuracy from logits)", grade)


# --------------------------------------------------------------------------- 06.2
def _count(f, classes=10, size=8):
    pooled = size // 2
    return f * 9 + f + classes * f * pooled * pooled + classes


def exercise_parameter_count(count_parameters) -> Feedback:
    """Exercise 06.2: ``count_parameters(n_filters, n_classes)`` for the lesson's network."""
    def grade():
        for f, classes in [(16, 10), (1, 10), (8, 3), (32, 10)]:
            got = count_parameters(f, classes)
            if got is None:
                return "your function returned None: did you forget `return`?"
            want = _count(f, classes)
            call = f"count_parameters({f}, {classes})"
            if compare_number(got, want, call) is None:
                continue
            value = float(got)
            if value == f * 9 + classes * f * 16:
                return f"{call} gave {got}: you forgot the biases (one per filter, one per class)."
            if value == f * 9 + f + classes * f * 64 + classes:
                return (f"{call} gave {got}: the dense layer sees the *pooled* maps, 4x4 per "
                        f"filter after the 2x2 max-pool, not 8x8.")
            if value == f * 9 + f + classes * f * 9 + classes:
                return (f"{call} gave {got}: with padding 1 the conv keeps the 8x8 size, so "
                        f"pooling gives 4x4 per filter (3x3 would be a valid conv: 6x6 -> 3x3).")
            if value == f * 9 + f:
                return f"{call} gave {got}: that is only the conv layer; add the dense layer's weights and biases."
            return compare_number(got, want, call)
        return None
    return run_check("Exercise 06.2 (parameter count)", grade)


# --------------------------------------------------------------------------- momentum
def exercise_momentum_step(momentum_step) -> Feedback:
    """Exercise: ``momentum_step(param, velocity, grad, rate, momentum)`` -> ``(param, velocity)``
    with ``velocity = momentum * velocity - rate * grad`` and then ``param = param + velocity``.

    Tried on three steps in a row with a changing rate (as under a schedule), on 2-D arrays;
    the learner's arrays may be changed in place or new ones returned.
    """
    rng = np.random.default_rng(3)
    start_p, start_v = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))
    grads = [rng.normal(size=(2, 3)) for _ in range(3)]
    rates, mom = [0.05, 0.2, 0.1], 0.9

    def grade():
        p, v = start_p.copy(), start_v.copy()
        for step, (g, rate) in enumerate(zip(grads, rates)):
            p_in, v_in = p.copy(), v.copy()
            out = momentum_step(p, v, g.copy(), rate, mom)
            if out is None:
                if not np.allclose(p, p_in):
                    return ("you changed the arrays in place but returned None; end with "
                            "`return param, velocity`.")
                return "your function returned None: did you forget `return param, velocity`?"
            if not isinstance(out, tuple) or len(out) != 2:
                return "return two things, the new parameter and the new velocity: `return param, velocity`."
            got_p, got_v = (np.asarray(a, dtype=float) for a in out)
            want_v = mom * v_in - rate * g
            want_p = p_in + want_v
            if got_p.shape != p_in.shape or got_v.shape != v_in.shape:
                return (f"the returned arrays have shapes {got_p.shape} and {got_v.shape}; both should "
                        f"keep the parameter's shape {p_in.shape}.")
            if np.allclose(got_p, want_p) and np.allclose(got_v, want_v):
                p, v = got_p, got_v
                continue
            where = f"at step {step} (rate {rate}, momentum {mom})"
            if np.allclose(got_p, want_v) and np.allclose(got_v, want_p):
                return f"{where} you returned (velocity, param); return the parameter first: `return param, velocity`."
            if np.allclose(got_v, -rate * g):
                return (f"{where} the new velocity is just -rate * grad: the old velocity is lost, so "
                        f"this is plain SGD. Momentum keeps a share of it: velocity = momentum * velocity - rate * grad.")
            if np.allclose(got_v, mom * v_in + rate * g) and np.allclose(got_p, p_in - got_v):
                return (f"{where} you keep the velocity with the opposite sign (+ rate * grad) and subtract "
                        f"it from the parameter. In this lesson the velocity is the step itself, so that "
                        f"the course's training loop and yours agree: velocity = momentum * velocity - rate * "
                        f"grad, then param = param + velocity.")
            if np.allclose(got_v, mom * v_in + rate * g):
                return (f"{where} the velocity adds + rate * grad: that climbs the loss. The gradient "
                        f"points uphill, so subtract it: velocity = momentum * velocity - rate * grad.")
            if np.allclose(got_v, mom * v_in + g):
                return (f"{where} your velocity is momentum * velocity + grad (PyTorch's form, which then "
                        f"does param -= rate * velocity). In this lesson the velocity is the step itself: "
                        f"velocity = momentum * velocity - rate * grad, then param = param + velocity. With a "
                        f"changing rate the two forms are not the same.")
            if np.allclose(got_v, mom * v_in - (1 - mom) * rate * g):
                return (f"{where} you scaled the gradient by (1 - momentum): that is an average (PyTorch's "
                        f"'dampening', 0 by default), and it makes every step 10 times smaller. Use "
                        f"velocity = momentum * velocity - rate * grad.")
            if np.allclose(got_v, want_v):
                if np.allclose(got_p, p_in + v_in):
                    return (f"{where} the parameter moved by the *old* velocity: update the velocity "
                            f"first, then add the new one to the parameter.")
                if np.allclose(got_p, p_in - rate * g):
                    return (f"{where} the parameter moved by -rate * grad only, so the velocity you "
                            f"computed is never used: param = param + velocity.")
                if np.allclose(got_p, p_in - want_v):
                    return f"{where} you subtracted the velocity; it already points downhill: param = param + velocity."
                return compare_arrays(got_p, want_p, f"the new parameter {where}")
            return compare_arrays(got_v, want_v, f"the new velocity {where}")
        return None
    return run_check("Exercise 06.3 (the momentum update)", grade)


# --------------------------------------------------------------------------- 06.4
#: The lesson's network has this many filters; the He check quotes its fans for it.
LESSON_FILTERS = 16


def _pooled_weights(init_he, f: int, seeds) -> tuple[np.ndarray, np.ndarray]:
    """All ``w1`` and all ``w2`` weights drawn by ``init_he(f, rng)`` for each seed, flattened."""
    draws = [init_he(f, np.random.default_rng(s)) for s in seeds]
    return (np.concatenate([np.asarray(d["w1"], float).ravel() for d in draws]),
            np.concatenate([np.asarray(d["w2"], float).ravel() for d in draws]))


def exercise_he_init(init_he) -> Feedback:
    """Exercise 06.4: ``init_he(n_filters, rng)`` -> ``{"w1", "b1", "w2", "b2"}`` with He-normal
    weights (std ``sqrt(2 / fan_in)`` of each layer) and zero biases, drawn from ``rng``.

    Graded for the lesson's 16 filters; the standard deviations are measured on the weights of
    20 calls (2880 first-layer weights), so a right answer passes whatever order it draws in.
    """
    def grade():
        f = LESSON_FILTERS
        state = np.random.get_state()
        try:
            params = init_he(f, np.random.default_rng(6))
            global_changed = not _same_state(state, np.random.get_state())
        finally:
            np.random.set_state(state)
        if params is None:
            return "your function returned None: did you forget `return`?"
        if not isinstance(params, dict) or set(params) != {"w1", "b1", "w2", "b2"}:
            return 'return a dict with the four keys "w1", "b1", "w2", "b2".'
        shapes = {"w1": (f, 1, 3, 3), "b1": (f,), "w2": (10, 16 * f), "b2": (10,)}
        for name, shape in shapes.items():
            if np.shape(params[name]) != shape:
                return f"{name} has shape {np.shape(params[name])}; for {f} filters it should be {shape}."
        if np.any(np.asarray(params["b1"]) != 0) or np.any(np.asarray(params["b2"]) != 0):
            return "start the biases at 0 (He initialisation is about the weights)."
        w1 = np.asarray(params["w1"], float)
        if np.ptp(w1) == 0:
            return ("every first-layer weight is the same number: all filters start identical, get "
                    "identical gradients and stay identical. Draw them at random.")
        if global_changed:
            return ("you drew from NumPy's global generator (np.random.normal and friends): your "
                    "numbers depend on whatever ran before, so nobody can reproduce them. Draw from "
                    "the generator you are given: rng.normal(...).")
        again = init_he(f, np.random.default_rng(6))
        if not np.allclose(np.asarray(again["w1"], float), w1):
            return ("two generators with the same seed gave different weights: draw every number "
                    "from the rng you are given, nothing else.")
        other = init_he(f, np.random.default_rng(7))
        if np.allclose(np.asarray(other["w1"], float), w1):
            return "use the rng you are given to draw the weights (a different rng gave the same weights)."
        small = init_he(4, np.random.default_rng(8))
        if np.shape(small.get("w1")) != (4, 1, 3, 3) or np.shape(small.get("w2")) != (10, 64):
            return (f"init_he(4, rng) gave w1 {np.shape(small.get('w1'))} and w2 {np.shape(small.get('w2'))}; "
                    f"expected (4, 1, 3, 3) and (10, 64). Use n_filters, not the number 16.")
        pooled = _pooled_weights(init_he, f, range(100, 120))
        for name, w, fan_in, fan_out in (("w1", pooled[0], 9, 9 * f), ("w2", pooled[1], 16 * f, 10)):
            std, want = float(np.std(w)), float(np.sqrt(2.0 / fan_in))
            if abs(float(np.mean(w))) > 0.1 * want:
                return f"{name} has mean {np.mean(w):.3g}; He initialisation is centred on 0."
            if abs(std / want - 1) < 0.06:
                continue
            if name == "w2" and abs(std / np.sqrt(2.0 / 9) - 1) < 0.06:
                return (f"w2 has standard deviation {std:.3g}, about sqrt(2 / 9): the first layer's "
                        f"fan-in. Each layer uses its own: for w2, fan_in = {fan_in} (the flattened "
                        f"features of {f} filters), so sqrt(2 / {fan_in}) = {want:.3g}.")
            if abs(std / (2.0 / fan_in) - 1) < 0.06:
                return (f"{name} has standard deviation {std:.3g} = 2 / fan_in: that is the "
                        f"*variance*. The standard deviation is sqrt(2 / fan_in) = {want:.3g}.")
            if abs(std / np.sqrt(1.0 / fan_in) - 1) < 0.06:
                return (f"{name} has standard deviation {std:.3g} = sqrt(1 / fan_in) (LeCun's); He "
                        f"doubles the variance for the ReLU: sqrt(2 / {fan_in}) = {want:.3g}.")
            uses_fan_out = _fan_out_or_glorot(init_he, name)
            if uses_fan_out == "glorot":
                return (f"{name} has standard deviation {std:.3g}: that is Glorot's "
                        f"sqrt(2 / (fan_in + fan_out)) = sqrt(2 / {fan_in + fan_out}). He uses the "
                        f"fan-in only: {want:.3g}.")
            if uses_fan_out == "fan_out":
                return (f"{name} has standard deviation {std:.3g} = sqrt(2 / fan_out) with fan_out = "
                        f"{fan_out}; He (mode fan_in) uses the fan-in = {fan_in}: sqrt(2 / {fan_in}) = {want:.3g}.")
            return (f"{name} has standard deviation {std:.3g}, expected about sqrt(2 / fan_in) = "
                    f"{want:.3g} (fan_in = {fan_in} for {name} with {f} filters).")
        return None
    return run_check("Exercise 06.4 (He initialisation)", grade)


def _same_state(a, b) -> bool:
    """Whether two ``np.random.get_state()`` tuples are the same state."""
    return a[0] == b[0] and np.array_equal(a[1], b[1]) and tuple(a[2:]) == tuple(b[2:])


def _fan_out_or_glorot(init_he, name: str) -> str | None:
    """Tell ``sqrt(2 / fan_out)`` from Glorot's ``sqrt(2 / (fan_in + fan_out))`` for ``name``.

    With 16 filters the two differ by 3 % for w1 (fan_out 144 vs 153), too close to tell
    apart; with 2 filters they differ by 22 % (fan_out 18 vs 27), so measure there.
    """
    f = 2
    w = _pooled_weights(init_he, f, range(200, 300))[0 if name == "w1" else 1]
    fan_in, fan_out = (9, 9 * f) if name == "w1" else (16 * f, 10)
    std = float(np.std(w))
    for label, fans in (("glorot", fan_in + fan_out), ("fan_out", fan_out)):
        if abs(std / np.sqrt(2.0 / fans) - 1) < 0.08:
            return label
    return None


# --------------------------------------------------------------------------- 06.5
def exercise_hand_made_bank(hand_made_bank, images=None, labels=None, epochs: int = 10) -> Feedback:
    """Exercise 06.5: ``hand_made_bank()`` returns at most 4 hand-made 3x3 kernels,
    shape ``(F, 3, 3)``. With them frozen as the first layer, and only the dense layer trained
    (``epochs`` epochs on the lesson's training part), the **validation** accuracy must reach
    :data:`BANK_TARGET` (96 %). The test images are not used. ``images (N, 8, 8)`` and ``labels (N,)`` default to
    :func:`helpers.data.load_digits`.
    """
    from .. import cnn
    from . import loop

    def grade():
        bank = hand_made_bank()
        if bank is None:
            return "your function returned None: did you forget `return`?"
        bank = np.asarray(bank, dtype=float)
        if bank.ndim == 2 and bank.shape == (3, 3):
            return "you returned one 3x3 kernel; return a stack of them, shape (F, 3, 3), e.g. np.stack([k1, k2])."
        if bank.ndim == 4 and bank.shape[1] == 1:
            bank = bank[:, 0]
        if bank.ndim != 3 or bank.shape[1:] != (3, 3):
            return f"the bank has shape {bank.shape}; it should be (F, 3, 3): F kernels of 3x3."
        if bank.shape[0] > BANK_MAX_FILTERS:
            return (f"{bank.shape[0]} kernels; the challenge allows at most {BANK_MAX_FILTERS}. "
                    f"Which ones carry the most information about the strokes of a digit?")
        if not np.all(np.isfinite(bank)):
            return "the bank contains NaN or infinite numbers."
        flat = bank.reshape(bank.shape[0], -1)
        norms = np.linalg.norm(flat, axis=1)
        if np.any(norms == 0):
            return (f"kernel {int(np.flatnonzero(norms == 0)[0])} is all zeros: its feature map is 0 on "
                    f"every image, a wasted slot.")
        unit = flat / norms[:, None]
        for i in range(len(unit)):
            for j in range(i + 1, len(unit)):
                if unit[i] @ unit[j] > 0.99:
                    return (f"kernels {i} and {j} are the same pattern (up to a positive scale): after "
                            f"the ReLU their feature maps are multiples of each other, so the second "
                            f"tells the dense layer nothing new. Make every kernel look for something different.")
        imgs, labs = images, labels
        if imgs is None or labs is None:
            from .. import data
            imgs, labs = data.load_digits()
        x = np.asarray(imgs, dtype=float)[:, None]
        y = np.asarray(labs)
        fit_idx, val_idx, _ = loop.lesson_split(y)
        params = cnn.init_params(bank.shape[0], "he_normal", rng=0)
        params["w1"] = bank[:, None].copy()
        hist = cnn.train(params, x[fit_idx], y[fit_idx], x[val_idx], y[val_idx],
                         epochs=epochs, trainable=("w2", "b2"), verbose=False)
        acc = hist.test_acc[-1]
        if acc >= BANK_TARGET:
            return None
        has_pair = any(unit[i] @ unit[j] < -0.99 for i in range(len(unit)) for j in range(i + 1, len(unit)))
        hint = (f"with your {bank.shape[0]} kernel(s) frozen, the dense layer reaches "
                f"{100 * acc:.1f}% validation accuracy; the target is {100 * BANK_TARGET:.0f}%.")
        if not has_pair:
            hint += (" Remember the ReLU after the conv: it keeps only positive responses, so an "
                     "edge kernel sees edges of one polarity only. What does its negative see?")
        elif bank.shape[0] < BANK_MAX_FILTERS:
            hint += f" You may use up to {BANK_MAX_FILTERS} kernels."
        else:
            hint += " Which directions of stroke does your bank miss?"
        return hint
    return run_check("Exercise 06.5 (a hand-made filter bank)", grade)

