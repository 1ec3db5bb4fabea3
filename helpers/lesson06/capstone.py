"""Lesson 06's training run: its settings in one place, used by the notebook and the benchmark."""

from __future__ import annotations

__all__ = ["SETTINGS"]

#: ``cnn.stratified_split(labels, **SETTINGS["split"])`` (the test images), then of the rest
#: ``cnn.stratified_split(rest_labels, SETTINGS["validation"]["fraction"], seed=SETTINGS["validation"]["seed"])``
#: (the validation images; the remainder is trained on): ``loop.lesson_split`` does both.
#: ``cnn.init_params(**SETTINGS["model"])``,
#: ``cnn.train(params, x_fit, y_fit, x_val, y_val, **SETTINGS["train"])``
SETTINGS = {
    "split": {"test_fraction": 0.25, "seed": 0},
    "validation": {"fraction": 0.2, "seed": 1},
    "model": {"n_filters": 16, "scheme": "he_normal", "rng": 0},
    "train": {"epochs": 20, "batch_size": 32, "lr": 0.1, "momentum": 0.9, "seed": 0},
}
