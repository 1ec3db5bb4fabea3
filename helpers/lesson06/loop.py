"""Lesson 06: the pieces of the training loop that the notebook writes in the open.

``lesson_split`` is the lesson's three-way split of the digits; ``momentum_step`` is the
course's answer to the momentum exercise (the notebook uses it only while the learner's own
version does not pass its check yet).
"""

from __future__ import annotations

import numpy as np

from .. import cnn
from . import capstone

__all__ = ["lesson_split", "momentum_step"]


def lesson_split(labels, seed: int | None = None):
    """The lesson's three parts of ``labels (N,)``: ``(fit_idx, val_idx, test_idx)``, each sorted.

    From :data:`capstone.SETTINGS`: ``split`` sends 25 % of every digit to the test set
    (``cnn.stratified_split(labels, 0.25, seed=0)``); ``validation`` holds out 20 % of every
    digit of the rest (seed 1); the remainder is trained on. No index is in two parts.
    ``seed`` replaces the test split's seed (the validation seed becomes ``seed + 1``).
    """
    labels = np.asarray(labels)
    split, validation = capstone.SETTINGS["split"], capstone.SETTINGS["validation"]
    test_seed = split["seed"] if seed is None else seed
    val_seed = validation["seed"] if seed is None else seed + 1
    train_idx, test_idx = cnn.stratified_split(labels, split["test_fraction"], seed=test_seed)
    fit_pos, val_pos = cnn.stratified_split(labels[train_idx], validation["fraction"], seed=val_seed)
    return train_idx[fit_pos], train_idx[val_pos], test_idx


def momentum_step(param, velocity, grad, rate: float, momentum: float):
    """One step of SGD with momentum for one parameter array; returns ``(param, velocity)``.

    ``velocity = momentum * velocity - rate * grad``; ``param = param + velocity``. New arrays;
    the inputs are not changed. All three arrays have the parameter's shape.
    """
    velocity = momentum * np.asarray(velocity, dtype=float) - rate * np.asarray(grad, dtype=float)
    return np.asarray(param, dtype=float) + velocity, velocity
