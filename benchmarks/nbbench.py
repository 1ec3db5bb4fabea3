"""Execute lesson notebooks headless and time them; then drive their slider panels.

Each notebook runs in its own fresh kernel (nbclient), on a copy in a temporary folder, so
the committed notebooks are never touched. After the last cell, one extra cell runs in the
same kernel: it finds every ``helpers.widgets.SliderPanel`` alive in the kernel, moves its
first slider through ``UPDATES`` values (each move calls ``panel.update`` → draw + display
into the Output widget, exactly as a learner's drag does) and reads the panel's own
the time of setting the slider's value (compute + redraw, kernel side).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

UPDATES = 20
MARKER = "KF_SLIDER_REPORT "

# Runs inside the lesson's kernel after its last cell. Everything it defines starts with
# ``_kf`` and is deleted at the end, so it cannot clash with a lesson's names.
SLIDER_PROBE = r'''
def _kf_probe(updates):
    import gc, json, statistics, time
    import ipywidgets as W
    from helpers.widgets import SliderPanel
    shell = get_ipython()
    cell_of = {}                       # panel id -> execution count of the cell showing it
    for count, value in shell.user_ns.get("Out", {}).items():
        if isinstance(value, SliderPanel):
            cell_of.setdefault(id(value), count)
    name_of = {id(v): k for k, v in shell.user_ns.items()
               if isinstance(v, SliderPanel) and not k.startswith("_")}
    panels = [o for o in gc.get_objects() if isinstance(o, SliderPanel)]
    panels.sort(key=lambda p: (cell_of.get(id(p), 10**9), str(p.model_id)))
    slider_types = (W.IntSlider, W.FloatSlider, W.FloatLogSlider, W.SelectionSlider)
    report = []
    for i, panel in enumerate(panels):
        draw = panel.drawing
        func = getattr(draw, "build", draw)             # a widgets.Drawing, or a plain function
        where = f"{getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', repr(func))}"
        label = f"cell {cell_of[id(panel)]}" if id(panel) in cell_of else f"panel {i + 1}"
        entry = {"label": label, "variable": name_of.get(id(panel)), "draw": where,
                 "updates": 0, "rejected": 0, "errors": [], "median_ms": None,
                 "set_value_median_ms": None}
        names = [n for n, w in panel.controls.items() if isinstance(w, slider_types)]
        if not names:
            entry["errors"].append("no slider among the controls")
            report.append(entry)
            continue
        slider = panel.controls[names[0]]
        entry["slider"] = names[0]
        if isinstance(slider, W.SelectionSlider):
            candidates = list(slider.options)
            candidates = [c[1] if isinstance(c, tuple) else c for c in candidates]
        elif isinstance(slider, W.IntSlider):
            lo, hi, step = slider.min, slider.max, max(1, slider.step)
            candidates = list(range(lo, hi + 1, step))
            if len(candidates) > updates + 1:
                idx = [round(k * (len(candidates) - 1) / updates) for k in range(updates + 1)]
                candidates = [candidates[k] for k in idx]
        else:
            lo, hi = slider.min, slider.max
            candidates = [lo + (hi - lo) * k / updates for k in range(updates + 1)]
        if len(candidates) < 2:
            entry["errors"].append("the first slider has fewer than two values")
            report.append(entry)
            continue
        # Sweep up and down until `updates` moves were made, never repeating the current value.
        sweep = candidates + candidates[-2:0:-1]
        set_times, times = [], []
        k = sweep.index(slider.value) + 1 if slider.value in sweep else 0
        moves = 0
        while moves < updates:
            value = sweep[k % len(sweep)]
            k += 1
            if value == slider.value:
                continue
            t0 = time.perf_counter()
            try:
                slider.value = value
            except Exception as exc:      # a bug in a draw function: report, don't crash
                entry["errors"].append(f"{type(exc).__name__}: {exc}"[:300])
            set_times.append(1000 * (time.perf_counter() - t0))
            if panel.message.value:
                entry["rejected"] += 1    # draw raised ValueError: the panel shows a message
            else:
                times.append(set_times[-1])
            moves += 1
        entry["updates"] = len(times)
        if times:
            entry["median_ms"] = statistics.median(times)
            entry["max_ms"] = max(times)
        entry["set_value_median_ms"] = statistics.median(set_times)
        # Split the update into the lesson's draw function and the PNG redraw that follows:
        # draw alone (no display) at the current values, 5 times, the way an update calls it
        # (a Drawing updates its artists; a plain function draws into a cleared figure).
        draw_times = []
        for _ in range(5):
            t0 = time.perf_counter()
            try:
                if hasattr(draw, "update"):
                    draw.update(panel.state, **draw.fixed, **panel.values())
                else:
                    panel.figure.clear()
                    draw(panel.figure, **panel.values())
            except Exception:
                break
            draw_times.append(1000 * (time.perf_counter() - t0))
        if draw_times:
            entry["draw_only_median_ms"] = statistics.median(draw_times)
        report.append(entry)
    import helpers
    print("KF_SLIDER_REPORT " + json.dumps({"helpers": helpers.__file__, "panels": report}))

_kf_probe(UPDATES)
del _kf_probe
'''


def copy_notebooks(src_dir: Path, dst_root: Path) -> Path:
    """Copy ``src_dir``'s notebooks into ``dst_root/notebooks`` (with ``data`` beside it)."""
    dst = dst_root / "notebooks"
    dst.mkdir(parents=True)
    for nb in sorted(src_dir.glob("*.ipynb")):
        shutil.copy2(nb, dst / nb.name)
    data = src_dir.parent / "data"
    if data.is_dir():
        (dst_root / "data").symlink_to(data, target_is_directory=True)
    return dst


def _stdout_of(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def run_notebook(path: Path, sliders: bool = True, timeout: int = 180, root: Path | None = None) -> dict:
    """Execute one notebook in a fresh kernel; time it; then probe its slider panels.

    Returns ``{"seconds": float, "cells": int, "slowest_cells": [...], "sliders": [panel
    reports] or None, "error": str or None}``. ``seconds`` runs from kernel start to the end
    of the last cell (what "Restart Kernel and Run All Cells" costs a learner). ``timeout``
    is per cell. The kernel talks over IPC sockets in the notebook's temporary folder (no
    TCP ports to collide with other kernels on a shared machine). With ``root``, the kernel
    imports ``helpers`` from ``root`` (first on PYTHONPATH), whatever the environment's
    editable install points at; ``helpers_file`` in the result says which one it used.
    """
    os.environ["JUPYTER_PREFER_ENV_PATH"] = "1"
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb = nbformat.read(path, as_version=4)
    km = AsyncKernelManager(kernel_name="python3", transport="ipc",
                            ip=str(path.parent / f".kernel-{path.stem[:2]}"))
    client = NotebookClient(nb, km=km, timeout=timeout, resources={"metadata": {"path": str(path.parent)}},
                            record_timing=False)
    result = {"seconds": None, "cells": sum(c.cell_type == "code" for c in nb.cells),
              "slowest_cells": [], "sliders": None, "helpers_file": None, "error": None}
    env = dict(os.environ)
    if root is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(root)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    cell_seconds = []
    start = time.perf_counter()
    try:
        with client.setup_kernel(env=env, cleanup_kc=True):     # shut down when done
            for index, cell in enumerate(nb.cells):
                t0 = time.perf_counter()
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                if cell.cell_type == "code":
                    first = next((ln for ln in cell.source.splitlines()
                                  if ln.strip() and not ln.startswith("# NBVAL")), "")
                    cell_seconds.append((time.perf_counter() - t0, index, first[:60]))
            result["seconds"] = time.perf_counter() - start
            if sliders:
                probe = nbformat.v4.new_code_cell(SLIDER_PROBE.replace("UPDATES", str(UPDATES)))
                nb.cells.append(probe)
                client.execute_cell(probe, len(nb.cells) - 1)
                lines = [ln for ln in _stdout_of(probe).splitlines() if ln.startswith(MARKER)]
                if lines:
                    probed = json.loads(lines[-1][len(MARKER):])
                    result["sliders"], result["helpers_file"] = probed["panels"], probed["helpers"]
                else:
                    result["sliders"] = []
    except Exception as exc:       # report it in the results; keep measuring the others
        text = str(exc).strip().splitlines()
        result["error"] = f"{type(exc).__name__}: {text[-1] if text else ''}"[:500]
    result["slowest_cells"] = [{"cell_index": i, "seconds": round(t, 3), "starts": src}
                               for t, i, src in sorted(cell_seconds, reverse=True)[:3]]
    return result


def run_all(notebook_dir: Path, names: list[str] | None = None, sliders: bool = True,
            log=print) -> dict:
    """Run every ``NN_*.ipynb`` in ``notebook_dir`` (or those whose name starts with one of
    ``names``) from a temporary copy. Returns ``{stem: run_notebook(...) result}``."""
    with tempfile.TemporaryDirectory(prefix="kf-bench-") as tmp:
        copy = copy_notebooks(notebook_dir, Path(tmp))
        paths = sorted(copy.glob("[0-9][0-9]_*.ipynb"))
        if names:
            paths = [p for p in paths if any(p.stem.startswith(n) for n in names)]
        out = {}
        for p in paths:
            log(f"  executing {p.name} ...")
            out[p.stem] = run_notebook(p, sliders=sliders, root=notebook_dir.parent)
            r = out[p.stem]
            if r["error"]:
                log(f"    FAILED: {r['error']}")
            else:
                log(f"    {r['seconds']:.1f} s, {len(r['sliders'] or [])} slider panel(s)")
        return out
