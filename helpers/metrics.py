"""How often a prediction is right: the one ``accuracy`` of the course (lessons 02, 04, 06)."""

from __future__ import annotations

import numpy as np

__all__ = ["accuracy"]


def accuracy(predicted, labels) -> float:
    """Fraction of entries where ``predicted`` equals ``labels`` (same shape: booleans or class ints).

    Lesson 02 compares peak / no-peak decisions per sample, lessons 04 and 06 predicted classes
    per image (``cnn.predict(params, x)``) with the true ones.
    """
    p, t = np.asarray(predicted), np.asarray(labels)
    if p.shape != t.shape:
        raise ValueError(f"predicted has shape {p.shape} but labels has {t.shape}; pass one "
                         f"prediction per label.")
    if p.size == 0:
        raise ValueError("predicted and labels are empty; accuracy needs at least one prediction.")
    return float(np.mean(p == t))
