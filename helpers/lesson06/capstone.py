"""Lesson 06's training run: its settings in one place, used by the notebook and the benchmark."""

from __future__ import annotations

__all__ = ["SETTINGS"]

#: ``cnn.stratified_split(labels, **SETTINGS["split"])``,
#: ``cnn.init_params(**SETTINGS["model"])``,
#: ``cnn.train(params, x_train, y_train, x_test, y_test, **SETTINGS["train"])``
SETTINGS = {
    "split": {"test_fraction": 0.25, "seed": 0},
    "model": {"n_filters": 16, "scheme": "he_normal", "rng": 0},
    "train": {"epochs": 20, "batch_size": 32, "lr": 0.1, "momentum": 0.9, "seed": 0},
}
