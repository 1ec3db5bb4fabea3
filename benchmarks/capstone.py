"""Lesson 06's training run, timed: the public functions with the lesson's own settings.

The settings are one constant, ``helpers.lesson06.capstone.SETTINGS``, which notebook 06 uses
too; change them there and both follow.
"""

from __future__ import annotations

import time
from pathlib import Path


def run(root: Path) -> tuple[dict | None, str | None]:
    """Train lesson 06's CNN once. ``(details, None)`` with ``train_seconds`` and
    ``test_accuracy``, or ``(None, reason)`` when the lesson or its helpers are missing."""
    if not sorted((root / "notebooks").glob("06_*.ipynb")):
        return None, "lesson 06 (the capstone) is not in notebooks/ yet"
    try:
        from helpers import cnn, data
        from helpers.lesson06.capstone import SETTINGS
        from helpers.lesson06.loop import lesson_split
    except ImportError as exc:
        return None, f"lesson 06's helpers are missing ({exc})"
    images, labels = data.load_digits()
    x_all = images[:, None]
    train_idx, _, test_idx = lesson_split(labels)           # the notebook trains on the fit part
    params = cnn.init_params(**SETTINGS["model"])
    start = time.perf_counter()
    history = cnn.train(params, x_all[train_idx], labels[train_idx], x_all[test_idx], labels[test_idx],
                        verbose=False, **SETTINGS["train"])
    wall = time.perf_counter() - start
    return {"train_seconds": wall, "history_seconds": float(history.seconds),
            "test_accuracy": float(history.test_acc[-1]),
            "train_accuracy": float(history.train_acc[-1]),
            "train_images": int(len(train_idx)), "test_images": int(len(test_idx)),
            "settings": SETTINGS, "source": "helpers.lesson06.capstone.SETTINGS"}, None
