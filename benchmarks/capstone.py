"""Lesson 06's training run, timed: the same public functions with the notebook's settings.

The settings are read from the notebook itself (with ``ast``, nothing is executed): the
``cnn.stratified_split(...)``, ``params = cnn.init_params(...)`` and
``history = cnn.train(params, ...)`` calls. If the lesson changes them, the benchmark
follows; if they can't be found, the lesson's last known settings are used and a note says so.
"""

from __future__ import annotations

import ast
import json
import time
from pathlib import Path

# Lesson 06 as written (cells "split" and "train"): the fallback when parsing fails.
DEFAULTS = {
    "split": {"test_fraction": 0.25, "seed": 0},
    "init": {"args": [16, "he_normal"], "kwargs": {"rng": 0}},
    "train": {"epochs": 20, "batch_size": 32, "lr": 0.1, "momentum": 0.9, "seed": 0},
}


def _call_name(node) -> str:
    f = node.func
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name):
        return f"{f.value.id}.{f.attr}"
    return getattr(f, "id", "")


def _literal_kwargs(call: ast.Call) -> dict:
    out = {}
    for kw in call.keywords:
        if kw.arg is None:
            continue
        try:
            out[kw.arg] = ast.literal_eval(kw.value)
        except ValueError:
            pass
    return out


def settings_from_notebook(path: Path) -> tuple[dict, list[str]]:
    """``(settings, notes)``: the split/init/train arguments as the notebook writes them."""
    cells = json.loads(path.read_text())["cells"]
    found, notes = {}, []
    for cell in cells:
        if cell.get("cell_type") != "code":
            continue
        src = "".join(cell["source"])
        try:
            tree = ast.parse(src)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Call):
                continue
            call, target = node.value, node.targets[0]
            name = _call_name(call)
            if name == "cnn.stratified_split" and "split" not in found:
                found["split"] = {**DEFAULTS["split"], **_literal_kwargs(call)}
            elif (name == "cnn.init_params" and isinstance(target, ast.Name)
                  and target.id == "params" and "init" not in found):
                try:
                    args = [ast.literal_eval(a) for a in call.args]
                    found["init"] = {"args": args, "kwargs": _literal_kwargs(call)}
                except ValueError:
                    pass
            elif (name == "cnn.train" and isinstance(target, ast.Name) and target.id == "history"
                  and "train" not in found):
                found["train"] = _literal_kwargs(call)
    for key in DEFAULTS:
        if key not in found:
            notes.append(f"could not read the {key} settings from {path.name}; used {DEFAULTS[key]}")
            found[key] = DEFAULTS[key]
    found["train"].pop("verbose", None)
    return found, notes


def run(root: Path) -> tuple[dict | None, str | None]:
    """Train lesson 06's CNN once. ``(details, None)`` with ``train_seconds`` and
    ``test_accuracy``, or ``(None, reason)`` when the lesson or its helpers are missing."""
    notebooks = sorted((root / "notebooks").glob("06_*.ipynb"))
    if not notebooks:
        return None, "lesson 06 (the capstone) is not in notebooks/ yet"
    try:
        from helpers import cnn as tiny_cnn
        from helpers import data
    except ImportError as exc:
        return None, f"lesson 06's helpers are missing ({exc})"
    settings, notes = settings_from_notebook(notebooks[0])
    images, labels = data.load_digits()
    x_all = images[:, None]
    train_idx, test_idx = tiny_cnn.stratified_split(labels, **settings["split"])
    params = tiny_cnn.init_params(*settings["init"]["args"], **settings["init"]["kwargs"])
    start = time.perf_counter()
    history = tiny_cnn.train(params, x_all[train_idx], labels[train_idx], x_all[test_idx],
                             labels[test_idx], verbose=False, **settings["train"])
    wall = time.perf_counter() - start
    return {"train_seconds": wall, "history_seconds": float(history.seconds),
            "test_accuracy": float(history.test_acc[-1]),
            "train_accuracy": float(history.train_acc[-1]),
            "train_images": int(len(train_idx)), "test_images": int(len(test_idx)),
            "settings": settings, "notes": notes,
            "source": f"notebooks/{notebooks[0].name}"}, None
