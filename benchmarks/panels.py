"""Every lesson's slider panel, timed in this process through the public API (no notebook).

For each panel: a ``helpers.widgets.SliderPanel`` with the lesson's drawing, figure size,
controls and data (made the way its notebook makes them), and its first slider swept
``UPDATES`` times. Per move, two times:

* ``update_ms``: ``drawing.update(state, **values)`` on its own Figure (the lesson's code);
* ``panel_ms``: setting the slider's value on the panel, which calls the update and renders
  the PNG the browser receives (everything the kernel does for one move).
"""

from __future__ import annotations

import statistics
import time

import numpy as np

UPDATES = 20


def _history():
    from helpers import cnn, data
    from helpers.lesson06.capstone import SETTINGS
    images, labels = data.load_digits()
    train, test = cnn.stratified_split(labels, **SETTINGS["split"])
    params = cnn.init_params(**SETTINGS["model"])
    train_settings = {**SETTINGS["train"], "epochs": 2}        # the drawing's cost does not grow with epochs
    history = cnn.train(params, images[train, None], labels[train], images[test, None], labels[test],
                        verbose=False, **train_settings)
    return {"history": history, "images": images[test, None], "labels": labels[test]}


def _descent():
    from helpers import data, filters
    from helpers.lesson05 import learn_kernel
    rng = np.random.default_rng(5)
    sobel_x = filters.sobel("x")
    crops = learn_kernel.random_crops(data.load_photo(), 8, 40, rng)
    photo = learn_kernel.Quadratic.from_pairs(*learn_kernel.make_pairs(crops, sobel_x, noise=0.02, rng=rng))
    noise = learn_kernel.Quadratic.from_pairs(*learn_kernel.make_pairs(rng.uniform(size=(8, 40, 40)), sobel_x,
                                                                       noise=0.02, rng=rng))
    return {"problems": {"photo crops": photo, "white noise": noise}, "true_kernel": sobel_x}


def cases():
    """``[(notebook stem, name, drawing, fixed factory, figsize, {control: (min, max, step, value)})]``;
    the first control is the slider that moves, the others stay at their value."""
    from helpers.lesson00 import setup_check
    from helpers.lesson01 import filtering
    from helpers.lesson02 import peaks
    from helpers.lesson03 import indexing
    from helpers.lesson04 import deepstack
    from helpers.lesson05 import backprop, learn_kernel
    from helpers.lesson06 import explorer

    def none():
        return {}

    return [
        ("00_start_here", "smoothing", setup_check.draw_smoothing, none, (7, 3), {"width": (1, 25, 1, 5)}),
        ("01_kernel_vs_filter", "gaussian", filtering.draw_gaussian, none, (10, 3.6),
         {"sigma": (0.5, 2.0, 0.25, 2.0), "size": (3, 31, 2, 13)}),
        ("01_kernel_vs_filter", "gabor", filtering.draw_gabor, none, (9, 3.6),
         {"theta_deg": (0, 165, 15, 0), "wavelength": (4, 12, 2, 8)}),
        ("02_peak_detection", "taps", peaks.draw_taps, none, (9, 5),
         {"left": (-3, 3, 0.1, -1.0), "centre": (-3, 3, 0.1, 1.0), "right": (-3, 3, 0.1, -1.0),
          "threshold": (-3, 3, 0.05, 0.0), "baseline": (-2, 2, 0.1, 0.0)}),
        ("03_index_math", "window 1-D", indexing.draw_window_1d, none, (8, 2.8),
         {"n": (3, 16, 1, 10), "kernel_size": (1, 10, 1, 3), "output": (0, 0, 1, 0)}),
        ("03_index_math", "window 2-D", indexing.draw_window_2d, none, (8, 3.4),
         {"size": (3, 8, 1, 5), "kernel_size": (1, 5, 1, 3), "i": (0, 0, 1, 0), "j": (0, 0, 1, 0)}),
        ("04_initialization", "deep stack", deepstack.draw_stack, lambda: {"stats": deepstack.default_stats()},
         (9, 3.6), {"gain": (0.25, 3.0, 0.05, 1.0), "depth": (10, 50, 10, 30)}),
        ("05_backprop_conv_relu", "tap slope", backprop.draw_tap_slope,
         lambda: {"x": np.array([1.0, 3, -2, 0, 2, 4]), "kernel": np.array([2.0, -1, 1]), "bias": -1.0,
                  "target": np.array([0.0, 5, 1, 2])}, (7, 3),
         {"value": (-4.0, 4.0, 0.05, 1.0), "tap": (0, 2, 1, 2)}),
        ("05_backprop_conv_relu", "descent", learn_kernel.draw_descent, _descent, (10, 3),
         {"lr": (0.05, 1.3, 0.01, 0.5), "steps": (10, 3000, 10, 300), "data": ("photo crops",)}),
        ("06_capstone_tiny_cnn", "explorer", explorer.draw_explorer, _history, (10, 3),
         {"index": (0, 449, 1, 0), "epoch": (0, 2, 1, 2)}),
    ]


def _sweep(lo, hi, step, value, n):
    """``n`` values stepping away from ``value`` and back, as a learner's arrow keys would."""
    grid = np.round(np.arange(lo, hi + step / 2, step), 10)
    if all(isinstance(x, int) for x in (lo, hi, step, value)):
        grid = grid.astype(int)
    i = int(np.argmin(np.abs(grid - value)))
    out, direction = [], 1
    while len(out) < n:
        if not 0 <= i + direction < grid.size:
            direction = -direction
        i += direction
        out.append(grid[i].item())
    return out


def time_panel(drawing, fixed: dict, figsize, controls: dict, updates: int = UPDATES) -> dict:
    """Median ``update_ms`` and ``panel_ms`` (see the module docstring) over ``updates`` moves."""
    import ipywidgets as W
    import matplotlib
    from matplotlib.figure import Figure

    from helpers import plots, widgets

    widgets_ = {}
    for name, spec in controls.items():
        if isinstance(spec[0], str):
            widgets_[name] = W.Dropdown(options=list(spec), value=spec[0])
        elif all(isinstance(v, int) for v in spec):
            widgets_[name] = W.IntSlider(min=spec[0], max=max(spec[1], spec[3]), step=spec[2], value=spec[3])
        else:
            widgets_[name] = W.FloatSlider(min=spec[0], max=spec[1], step=spec[2], value=spec[3])
    panel = widgets.SliderPanel(drawing, widgets_, figsize=figsize, fixed=fixed)
    first = next(iter(controls))
    lo, hi, step, value = controls[first]
    values = {n: w.value for n, w in widgets_.items()}
    panel_ms, update_ms, refused = [], [], 0
    with matplotlib.rc_context(plots.STYLE):
        fig = Figure(figsize=figsize, dpi=80, layout="constrained")
        state = drawing.with_fixed(**fixed)(fig, **values)
    for v in _sweep(lo, hi, step, value, updates):
        t0 = time.perf_counter()
        widgets_[first].value = v
        t1 = time.perf_counter()
        if panel.message.value:
            refused += 1
            continue
        panel_ms.append(1000 * (t1 - t0))
        with matplotlib.rc_context(plots.STYLE):
            t0 = time.perf_counter()
            drawing.update(state, **fixed, **{**values, first: widgets_[first].value})
            update_ms.append(1000 * (time.perf_counter() - t0))
    return {"updates": len(panel_ms), "refused": refused,
            "panel_ms": statistics.median(panel_ms) if panel_ms else None,
            "update_ms": statistics.median(update_ms) if update_ms else None,
            "slider": first}


def run_all(updates: int = UPDATES, log=print) -> dict:
    """``{notebook stem: {panel name: time_panel(...)}}`` for every panel of :func:`cases`."""
    out: dict = {}
    for stem, name, drawing, fixed, figsize, controls in cases():
        result = time_panel(drawing, fixed(), figsize, controls, updates)
        out.setdefault(stem, {})[name] = result
        log(f"  {stem} {name}: panel {result['panel_ms']:.1f} ms, update alone {result['update_ms']:.2f} ms")
    return out
