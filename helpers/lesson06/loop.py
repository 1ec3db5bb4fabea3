"""Lesson 06: the pieces of the training loop that the notebook writes in the open.

``lesson_split`` is the lesson's three-way split of the digits; ``momentum_step`` is the
course's answer to the momentum exercise (the notebook uses it only while the learner's own
version does not pass its check yet).
"""

from __future__ import annotations

import numpy as np

from .. import tiny_cnn as cnn

__all__ = ["lesson_split", "momentum_step", "TEST_FRACTION", "VALIDATION_FRACTION"]

#: Share of every digit held out for the final report (the test images).
TEST_FRACTION = 0.25
#: Share of the remaining images of every digit held out to choose with (validation).
VALIDATION_FRACTION = 0.2


def lesson_split(labels, seed: int = 0):
    """The lesson's three parts of ``labels (N,)``: ``(fit_idx, val_idx, test_idx)``, each sorted.

    ``TEST_FRACTION`` of every digit goes to the test set (``cnn.stratified_split(labels, 0.25,
    seed)``); of the rest, ``VALIDATION_FRACTION`` of every digit is held out for validation
    (``seed + 1``), and the remainder is trained on. No index is in two parts.
    """
    labels = np.asarray(labels)
    train_idx, test_idx = cnn.stratified_split(labels, TEST_FRACTION, seed=seed)
    fit_pos, val_pos = cnn.stratified_split(labels[train_idx], VALIDATION_FRACTION, seed=seed + 1)
    return train_idx[fit_pos], train_idx[val_pos], test_idx


def momentum_step(param, velocity, grad, rate: float, momentum: float):
    """One step of SGD with momentum for one parameter array; returns ``(param, velocity)``.

    ``velocity = momentum * velocity - rate * grad``; ``param = param + velocity``. New arrays;
    the inputs are not changed. All three arrays have the parameter's shape.
    """
    velocity = momentum * np.asarray(velocity, dtype=float) - rate * np.asarray(grad, dtype=float)
    return np.asarray(param, dtype=float) + velocity, velocity
