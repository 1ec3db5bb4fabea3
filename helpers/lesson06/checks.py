"""Checks for lesson 06 (Capstone: a tiny CNN from scratch)."""

from __future__ import annotations

import numpy as np

from ..feedback import Feedback, compare_number, run_check

__all__ = ["exercise_accuracy", "exercise_parameter_count", "exercise_he_init",
           "exercise_hand_made_bank", "BANK_TARGET", "BANK_MAX_FILTERS"]

#: Exercise 06.4: the frozen hand-made bank must reach this test accuracy ...
BANK_TARGET = 0.95
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


# --------------------------------------------------------------------------- 06.3
def exercise_he_init(init_he) -> Feedback:
    """Exercise 06.3: ``init_he(n_filters, rng)`` -> ``{"w1", "b1", "w2", "b2"}`` with He-normal
    weights (std ``sqrt(2 / fan_in)`` of each layer) and zero biases."""
    def grade():
        f = 64
        params = init_he(f, np.random.default_rng(6))
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
        w1, w2 = np.asarray(params["w1"], float), np.asarray(params["w2"], float)
        if np.ptp(w1) == 0:
            return ("every first-layer weight is the same number: all filters start identical, get "
                    "identical gradients and stay identical. Draw them at random.")
        other = init_he(f, np.random.default_rng(7))
        if np.allclose(np.asarray(other["w1"], float), w1):
            return "use the rng you are given to draw the weights (a different rng gave the same weights)."
        for name, w, fan_in, fan_out in (("w1", w1, 9, 9 * f), ("w2", w2, 16 * f, 10)):
            std, want = float(np.std(w)), float(np.sqrt(2.0 / fan_in))
            if abs(float(np.mean(w))) > 0.2 * want:
                return f"{name} has mean {np.mean(w):.3g}; He initialisation is centred on 0."
            if abs(std / want - 1) < 0.12:
                continue
            if name == "w2" and abs(std / np.sqrt(2.0 / 9) - 1) < 0.12:
                return (f"w2 has standard deviation {std:.3g}, about sqrt(2 / 9): the first layer's "
                        f"fan-in. Each layer uses its own: for w2, fan_in = {fan_in} (the flattened "
                        f"features), so sqrt(2 / {fan_in}) = {want:.3g}.")
            if abs(std / (2.0 / fan_in) - 1) < 0.12:
                return (f"{name} has standard deviation {std:.3g} = 2 / fan_in: that is the "
                        f"*variance*. The standard deviation is sqrt(2 / fan_in) = {want:.3g}.")
            if abs(std / np.sqrt(2.0 / (fan_in + fan_out)) - 1) < 0.12:
                return (f"{name} has standard deviation {std:.3g}: that is Glorot's "
                        f"sqrt(2 / (fan_in + fan_out)). He uses the fan-in only: {want:.3g}.")
            if abs(std / np.sqrt(2.0 / fan_out) - 1) < 0.12:
                return (f"{name} has standard deviation {std:.3g} from the fan-out; He (mode fan_in) "
                        f"uses the fan-in = {fan_in}: sqrt(2 / {fan_in}) = {want:.3g}.")
            return (f"{name} has standard deviation {std:.3g}, expected about sqrt(2 / fan_in) = "
                    f"{want:.3g} (fan_in = {fan_in} for {name}).")
        return None
    return run_check("Exercise 06.3 (He initialisation)", grade)


# --------------------------------------------------------------------------- 06.4
def exercise_hand_made_bank(hand_made_bank, images=None, labels=None, epochs: int = 10) -> Feedback:
    """Exercise 06.4: ``hand_made_bank()`` returns at most 4 hand-made 3x3 kernels,
    shape ``(F, 3, 3)``. With them frozen as the first layer, and only the dense layer trained
    (``epochs`` epochs, the lesson's split and settings), the test accuracy must reach 95 %.
    ``images (N, 8, 8)`` and ``labels (N,)`` default to :func:`helpers.data.load_digits`.
    """
    from .. import cnn as tiny_cnn

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
        imgs, labs = images, labels
        if imgs is None or labs is None:
            from .. import data
            imgs, labs = data.load_digits()
        x = np.asarray(imgs, dtype=float)[:, None]
        y = np.asarray(labs)
        train_idx, test_idx = tiny_cnn.stratified_split(y, 0.25, seed=0)
        params = tiny_cnn.init_params(bank.shape[0], "he_normal", rng=0)
        params["w1"] = bank[:, None].copy()
        hist = tiny_cnn.train(params, x[train_idx], y[train_idx], x[test_idx], y[test_idx],
                              epochs=epochs, trainable=("w2", "b2"), verbose=False)
        acc = hist.test_acc[-1]
        if acc >= BANK_TARGET:
            return None
        flat = bank.reshape(bank.shape[0], -1)
        has_pair = any(np.allclose(flat[i], -flat[j]) for i in range(len(flat)) for j in range(i + 1, len(flat)))
        hint = (f"with your {bank.shape[0]} kernel(s) frozen, the dense layer reaches "
                f"{100 * acc:.1f}% test accuracy; the target is {100 * BANK_TARGET:.0f}%.")
        if not has_pair:
            hint += (" Remember the ReLU after the conv: it keeps only positive responses, so an "
                     "edge kernel sees edges of one polarity only. What does its negative see?")
        return hint
    return run_check("Exercise 06.4 (a hand-made filter bank)", grade)
