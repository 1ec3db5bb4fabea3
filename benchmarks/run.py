"""`make bench`: the course's speed, side by side with its references, in one run.

    python benchmarks/run.py [--quick] [--out PATH] [--readme PATH | --no-readme]
                             [--notebooks 00 03 ...]

Measures (ratios are our time / the reference's time, each time the median of repeated
runs in this one process, ours and the reference's interleaved so that a busy machine
slows both alike):

* ``correlate2d_vs_scipy``: ``helpers.conv.correlate2d`` / ``scipy.signal.correlate2d``,
  512x512 image, 5x5 kernel, mode "same" (3x3 and 11x11 in ``details``). Target <= 1.0.
* ``conv2d_layer_vs_torch``: ``conv2d_forward`` + ``conv2d_backward`` / PyTorch CPU autograd
  (``conv2d`` forward + ``backward``), both in float32 (PyTorch's default; our layers keep
  float32 when x and w are float32), x (64, 8, 28, 28), w (16, 8, 3, 3), bias, padding 1,
  both on 2 threads. Target <= 3.0. Both in float64 (the precision of the lessons) is in
  ``details``. Null, with the reason, when PyTorch is missing
  (``pip install torch==2.13.0``).
* ``loop_vs_vectorised``: how many times slower the plain-loop ``correlate2d_loop`` is than
  ``correlate2d`` (64x64 image, 3x3 kernel; 1-D in ``details``). The lesson's point, no target.
* ``notebook_seconds``: each lesson, headless, a fresh kernel each, on a temporary copy.
  Targets: <= 15 s each (capstone 06 <= 90 s), ``notebook_seconds_total`` <= 150 s.
* ``slider_browser_ms``: per notebook and slider panel, in Chromium (JupyterLab, Playwright):
  the median time from a key press on the panel's first slider to its new image loaded in
  the page, 20 moves (``benchmarks/browser.py``). Target <= 100 ms. Null, with the reason,
  without Chromium or Playwright.
* ``slider_kernel_ms``: per panel, in this process through the public API: the median time
  of one slider move on a ``SliderPanel`` (update + PNG), and the lesson's ``update`` alone on
  a Figure (``benchmarks/panels.py``). No target; it explains the browser's number.
* ``capstone_train_seconds``, ``capstone_test_accuracy``: lesson 06's training run with its
  settings, ``helpers.lesson06.capstone.SETTINGS`` (the notebook uses the same constant).

Quick mode (``--quick`` or ``BENCH_QUICK=1``): few repeats, 3 moves per panel, notebooks,
the browser and the capstone skipped (unless ``--notebooks`` names some), README untouched;
for tests.
Benchmarks are never pass/fail: a missed target is reported, not raised.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402

import capstone  # noqa: E402  (benchmarks/capstone.py)

THREADS = 2
README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"

TARGETS = {
    "correlate2d_vs_scipy": 1.0,
    "conv2d_layer_vs_torch": 3.0,
    "notebook_seconds": 15.0,
    "notebook_seconds_capstone": 90.0,
    "notebook_seconds_total": 150.0,
    "slider_browser_ms": 100.0,
}

REQUIRED_KEYS = (
    "correlate2d_vs_scipy", "conv2d_layer_vs_torch", "loop_vs_vectorised", "notebook_seconds",
    "notebook_seconds_total", "slider_browser_ms", "slider_kernel_ms", "capstone_train_seconds",
    "capstone_test_accuracy",
)


# --------------------------------------------------------------------------- timing
def compare(ours, reference, repeats: int, warmup: int = 1) -> dict:
    """Time ``ours()`` and ``reference()`` alternately ``repeats`` times each.

    The order alternates every round so neither always runs first. Returns medians in
    milliseconds, their ratio, and the spread (quartiles) of the per-round ratios.
    """
    for _ in range(warmup):
        ours()
        reference()
    t_ours, t_ref = [], []
    for i in range(repeats):
        pair = ((ours, t_ours), (reference, t_ref))
        for fn, bucket in (pair if i % 2 == 0 else pair[::-1]):
            t0 = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - t0)
    per_round = sorted(a / b for a, b in zip(t_ours, t_ref))
    q = statistics.quantiles(per_round, n=4) if len(per_round) >= 2 else per_round * 3
    ours_ms, ref_ms = 1000 * statistics.median(t_ours), 1000 * statistics.median(t_ref)
    return {"ours_ms": ours_ms, "reference_ms": ref_ms, "ratio": ours_ms / ref_ms,
            "ratio_quartiles": [q[0], q[2]],
            "ours_best_ms": 1000 * min(t_ours), "reference_best_ms": 1000 * min(t_ref),
            "ratio_of_bests": min(t_ours) / min(t_ref), "repeats": repeats}


def _blas_threads_limit():
    """A context manager limiting NumPy's BLAS to THREADS threads (threadpoolctl), and a note."""
    try:
        from threadpoolctl import threadpool_info, threadpool_limits
    except ImportError:
        import contextlib
        env = {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
               if k in os.environ}
        return contextlib.nullcontext(), (f"threadpoolctl not installed: NumPy's BLAS uses its "
                                          f"default threads (environment: {env or 'none set'}; "
                                          f"{os.cpu_count()} cores)")
    blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    desc = ", ".join(f"{i.get('internal_api')} {i.get('version')} ({i.get('num_threads')} threads by default)"
                     for i in blas) or "no BLAS found"
    return threadpool_limits(limits=THREADS, user_api="blas"), f"{desc}; limited to {THREADS} by threadpoolctl"


def blas_description() -> str:
    """NumPy's BLAS and its thread count (threadpoolctl if present, else the build config)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        env = {k: os.environ[k] for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
               if k in os.environ}
        try:
            blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
            name = f"{blas.get('name')} {blas.get('version')}"
        except Exception:       # older NumPy
            name = "unknown BLAS"
        return f"{name}; threads: the library's default (threadpoolctl not installed; environment: {env or 'none set'})"
    blas = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    return ", ".join(f"{i.get('internal_api')} {i.get('version')}, {i.get('num_threads')} threads"
                     for i in blas) or "no BLAS found"


# --------------------------------------------------------------------------- machine
def machine_info() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import matplotlib
    import scipy
    info = {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "matplotlib": matplotlib.__version__,
        "torch": None,
        "blas": blas_description(),
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
    }
    try:
        import torch
        info["torch"] = torch.__version__
    except ImportError:
        pass
    return info


# --------------------------------------------------------------------------- benchmarks
def bench_correlate2d(repeats: int) -> dict:
    from scipy import signal

    from helpers import conv
    rng = np.random.default_rng(0)
    image = rng.standard_normal((512, 512))
    out = {}
    for k in (3, 5, 11):
        kernel = rng.standard_normal((k, k))
        assert np.allclose(conv.correlate2d(image, kernel, "same"),
                           signal.correlate2d(image, kernel, "same"))
        out[f"{k}x{k}"] = compare(lambda: conv.correlate2d(image, kernel, "same"),
                                  lambda: signal.correlate2d(image, kernel, "same"), repeats)
    return out


def bench_conv2d_layer(repeats: int) -> tuple[dict | None, str | None]:
    try:
        import torch
    except ImportError:
        return None, ("PyTorch is not installed (optional, only for this benchmark): "
                      "pip install torch==2.13.0")
    from helpers import layers
    torch.set_num_threads(THREADS)
    limit, blas_note = _blas_threads_limit()
    rng = np.random.default_rng(1)
    x = rng.standard_normal((64, 8, 28, 28))
    w = rng.standard_normal((16, 8, 3, 3)) * 0.1
    b = rng.standard_normal(16)
    dy = rng.standard_normal((64, 16, 28, 28))

    def make_ours(dtype):
        xs, ws, bs, dys = (a.astype(dtype) for a in (x, w, b, dy))

        def run():
            y, cache = layers.conv2d_forward(xs, ws, bs, padding=1)
            return y, layers.conv2d_backward(dys, cache)
        return run

    ours = make_ours(np.float64)

    def make_torch(dtype):
        xt = torch.tensor(x, dtype=dtype, requires_grad=True)
        wt = torch.tensor(w, dtype=dtype, requires_grad=True)
        bt = torch.tensor(b, dtype=dtype, requires_grad=True)
        dyt = torch.tensor(dy, dtype=dtype)

        def run():
            xt.grad = wt.grad = bt.grad = None
            y = torch.nn.functional.conv2d(xt, wt, bt, padding=1)
            y.backward(dyt)
            return y, xt.grad, wt.grad, bt.grad
        return run

    out = {"settings": "x (64, 8, 28, 28), w (16, 8, 3, 3), bias, stride 1, padding 1; "
                       "forward + backward (dx, dw, db)",
           "threads": f"torch.set_num_threads({THREADS}) (torch reports {torch.get_num_threads()}); "
                      f"NumPy BLAS: {blas_note}"}
    with limit:
        # Same numbers first: a benchmark of a wrong answer is worthless.
        (y, (dx, dw, db)), (yt, dxt, dwt, dbt) = ours(), make_torch(torch.float64)()
        for a, t in ((y, yt), (dx, dxt), (dw, dwt), (db, dbt)):
            assert np.allclose(a, t.detach().numpy(), rtol=1e-9, atol=1e-9)
        for name, dtype in (("float32", torch.float32), ("float64", torch.float64)):
            out[name] = compare(make_ours(getattr(np, name)), make_torch(dtype), repeats)
    return out, None


def bench_loops(repeats: int, quick: bool) -> dict:
    from helpers import conv
    rng = np.random.default_rng(2)
    size = 32 if quick else 64
    image, kernel = rng.standard_normal((size, size)), rng.standard_normal((3, 3))
    signal, taps = rng.standard_normal(1024 if quick else 4096), rng.standard_normal(5)
    two = compare(lambda: conv.correlate2d_loop(image, kernel), lambda: conv.correlate2d(image, kernel),
                  repeats)
    one = compare(lambda: conv.correlate1d_loop(signal, taps), lambda: conv.correlate1d(signal, taps),
                  repeats)
    return {f"2d_{size}x{size}_3x3": two, f"1d_{signal.size}_5taps": one}


def bench_notebooks(names: list[str] | None) -> dict:
    import nbbench
    return nbbench.run_all(ROOT / "notebooks", names=names, log=lambda m: print(m, flush=True))


# --------------------------------------------------------------------------- results
def _is_capstone(stem: str) -> bool:
    return stem.startswith("06")


def collect(args) -> dict:
    quick = args.quick
    reps = {"corr": 5 if quick else 40, "conv": 3 if quick else 20, "loop": 2 if quick else 5}
    results: dict = {"schema": 1, "quick": quick, "machine": machine_info(), "null_reasons": {},
                     "details": {}, "targets": {}}
    results["definitions"] = {
        "ratio": "our median time / the reference's median time, same process, interleaved runs",
        "loop_vs_vectorised": "plain-loop median time / vectorised median time (how many times "
                              "faster the vectorised version is)",
        "notebook_seconds": "kernel start to end of the last cell, fresh kernel per notebook",
        "slider_browser_ms": "Chromium: median ms from keydown on the panel's first slider to its "
                             "new image loaded in the page, 20 moves, kernel idle between moves",
        "slider_kernel_ms": "in-process: median ms of one slider move on a SliderPanel (update + PNG); "
                            "update_ms: the lesson's update alone on a Figure",
    }
    nulls = results["null_reasons"]

    print("correlate2d vs scipy.signal.correlate2d ...", flush=True)
    corr = bench_correlate2d(reps["corr"])
    results["details"]["correlate2d_vs_scipy"] = corr
    results["correlate2d_vs_scipy"] = corr["5x5"]["ratio"]

    print("conv2d layer vs PyTorch ...", flush=True)
    layer, why = bench_conv2d_layer(reps["conv"])
    results["details"]["conv2d_layer_vs_torch"] = layer
    results["conv2d_layer_vs_torch"] = layer["float32"]["ratio"] if layer else None
    if why:
        nulls["conv2d_layer_vs_torch"] = why

    print("plain loops vs vectorised ...", flush=True)
    loops = bench_loops(reps["loop"], quick)
    results["details"]["loop_vs_vectorised"] = loops
    results["loop_vs_vectorised"] = next(iter(loops.values()))["ratio"]

    print("slider panels in this process ...", flush=True)
    import panels
    kernel = panels.run_all(updates=3 if quick else panels.UPDATES, log=lambda m: print(m, flush=True))
    results["details"]["slider_kernel"] = kernel
    results["slider_kernel_ms"] = {stem: {name: p["panel_ms"] for name, p in ps.items()} for stem, ps in kernel.items()}

    names = args.notebooks
    if quick and not names:
        for key in ("notebook_seconds", "notebook_seconds_total"):
            results[key] = None
            nulls[key] = "skipped in quick mode (--quick / BENCH_QUICK=1)"
    else:
        print("notebooks (headless, one fresh kernel each) ...", flush=True)
        runs = bench_notebooks(names)
        results["details"]["notebooks"] = runs
        if not runs:
            for key in ("notebook_seconds", "notebook_seconds_total"):
                results[key] = None
                nulls[key] = "no notebooks found in notebooks/"
        else:
            results["notebook_seconds"] = {s: r["seconds"] for s, r in runs.items()}
            failed = {s: r["error"] for s, r in runs.items() if r["error"]}
            if failed:
                nulls["notebook_seconds"] = "failed to execute: " + "; ".join(f"{s}: {e}" for s, e in failed.items())
            if names:
                results["notebook_seconds_total"] = None
                nulls["notebook_seconds_total"] = "only some notebooks were run (--notebooks)"
            elif failed:
                results["notebook_seconds_total"] = None
                nulls["notebook_seconds_total"] = "a notebook failed (see notebook_seconds)"
            else:
                results["notebook_seconds_total"] = sum(r["seconds"] for r in runs.values())

    import browser
    why = "skipped in quick mode (--quick / BENCH_QUICK=1)" if quick else browser.available()
    if why:
        results["slider_browser_ms"] = None
        nulls["slider_browser_ms"] = why
    else:
        print("slider panels in Chromium ...", flush=True)
        seen = browser.run_all(names, log=lambda m: print(m, flush=True))
        results["details"]["slider_browser"] = seen
        results["slider_browser_ms"] = {
            stem: {f"panel {p['panel']} ({p['slider']})": p["load_ms"] for p in ps if "error" not in p}
            for stem, ps in seen.items()}
        failed = {stem: ps[0]["error"] for stem, ps in seen.items() if ps and "error" in ps[0]}
        if failed:
            nulls["slider_browser_ms"] = "failed in: " + "; ".join(f"{s}: {e}" for s, e in failed.items())

    if quick:
        results["capstone_train_seconds"] = results["capstone_test_accuracy"] = None
        nulls["capstone_train_seconds"] = nulls["capstone_test_accuracy"] = \
            "skipped in quick mode (--quick / BENCH_QUICK=1)"
    else:
        print("capstone training (lesson 06) ...", flush=True)
        cap, why = capstone.run(ROOT)
        results["details"]["capstone"] = cap
        if why:
            results["capstone_train_seconds"] = results["capstone_test_accuracy"] = None
            nulls["capstone_train_seconds"] = nulls["capstone_test_accuracy"] = why
        else:
            results["capstone_train_seconds"] = cap["train_seconds"]
            results["capstone_test_accuracy"] = cap["test_accuracy"]

    results["machine"]["load_average_end"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    results["targets"] = judge(results)
    return results


def judge(r: dict) -> dict:
    """``{key: {"target": text, "met": True/False/None}}`` (None: not measured)."""
    t = {}

    def ratio(key, limit):
        v = r.get(key)
        t[key] = {"target": f"<= {limit}", "met": None if v is None else bool(v <= limit)}

    ratio("correlate2d_vs_scipy", TARGETS["correlate2d_vs_scipy"])
    ratio("conv2d_layer_vs_torch", TARGETS["conv2d_layer_vs_torch"])
    t["loop_vs_vectorised"] = {"target": "none (the lesson's point)", "met": None}
    nbs = r.get("notebook_seconds")
    if nbs:
        late = [s for s, v in nbs.items()
                if v is None or v > TARGETS["notebook_seconds_capstone" if _is_capstone(s) else "notebook_seconds"]]
        t["notebook_seconds"] = {"target": "<= 15 s each (06: <= 90 s)", "met": not late, "missed": late}
    else:
        t["notebook_seconds"] = {"target": "<= 15 s each (06: <= 90 s)", "met": None}
    ratio("notebook_seconds_total", TARGETS["notebook_seconds_total"])
    t["notebook_seconds_total"]["target"] = "<= 150 s"
    sl = r.get("slider_browser_ms")
    if sl:
        slow = [f"{s} {p}" for s, panels in sl.items() for p, v in panels.items()
                if v is None or v > TARGETS["slider_browser_ms"]]
        t["slider_browser_ms"] = {"target": "<= 100 ms", "met": not slow, "missed": slow}
    else:
        t["slider_browser_ms"] = {"target": "<= 100 ms", "met": None}
    t["slider_kernel_ms"] = {"target": "none (explains the browser's number)", "met": None}
    return t


# --------------------------------------------------------------------------- table
def _fmt_ms(v):
    return "—" if v is None else (f"{v:.2f} ms" if v < 10 else f"{v:.1f} ms" if v < 1000 else f"{v / 1000:.2f} s")


def _fmt_ratio(c):
    lo, hi = c["ratio_quartiles"]
    return f"**{c['ratio']:.2f}** ({lo:.2f}–{hi:.2f}; best-of {c['ratio_of_bests']:.2f})"


def _met(flag):
    return {True: "✅ met", False: "❌ missed", None: "—"}[flag]


def table(r: dict) -> str:
    """The results as a Markdown table (also printed by `make bench`)."""
    m, d, tg, nulls = r["machine"], r["details"], r["targets"], r["null_reasons"]
    rows = ["| benchmark | ours (median) | reference (median) | ratio ours/ref (quartiles; ratio of best runs) | target |",
            "|---|---|---|---|---|"]
    for size, c in d["correlate2d_vs_scipy"].items():
        flag = _met(tg["correlate2d_vs_scipy"]["met"]) if size == "5x5" else "(info)"
        rows.append(f"| `correlate2d` 512x512, {size} kernel, \"same\" | {_fmt_ms(c['ours_ms'])} | "
                    f"{_fmt_ms(c['reference_ms'])} `scipy.signal.correlate2d` | {_fmt_ratio(c)} | "
                    f"{'≤ 1.0 ' + flag if size == '5x5' else flag} |")
    layer = d["conv2d_layer_vs_torch"]
    if layer:
        for name in ("float32", "float64"):
            c = layer[name]
            flag = f"≤ 3.0 {_met(tg['conv2d_layer_vs_torch']['met'])}" if name == "float32" else "(info)"
            rows.append(f"| conv layer forward + backward, x (64, 8, 28, 28), w (16, 8, 3, 3), 2 threads | "
                        f"{_fmt_ms(c['ours_ms'])} ({name}) | {_fmt_ms(c['reference_ms'])} PyTorch {name} "
                        f"autograd | {_fmt_ratio(c)} | {flag} |")
    else:
        rows.append(f"| conv layer forward + backward vs PyTorch | — | — | null: "
                    f"{nulls['conv2d_layer_vs_torch']} | ≤ 3.0 |")
    for name, c in d["loop_vs_vectorised"].items():
        dims, what = name.split("_", 1)
        fn = "correlate2d" if dims == "2d" else "correlate1d"
        rows.append(f"| plain loop `{fn}_loop` vs vectorised `{fn}`, {what.replace('_', ' ')} | "
                    f"{_fmt_ms(c['ours_ms'])} (loop) | {_fmt_ms(c['reference_ms'])} (vectorised) | "
                    f"loop is **{c['ratio']:.0f}x** slower | none (the lesson's point) |")
    nbs = r.get("notebook_seconds")
    runs = d.get("notebooks") or {}
    if nbs:
        for stem, sec in nbs.items():
            limit = 90 if _is_capstone(stem) else 15
            ok = sec is not None and sec <= limit
            err = runs.get(stem, {}).get("error")
            rows.append(f"| notebook `{stem}` (headless, fresh kernel) | "
                        f"{'FAILED: ' + err if err else f'{sec:.1f} s'} | | | ≤ {limit} s {_met(ok)} |")
        tot = r.get("notebook_seconds_total")
        rows.append(f"| all notebooks together | {'—' if tot is None else f'{tot:.1f} s'} | | | "
                    f"≤ 150 s {_met(tg['notebook_seconds_total']['met'])} |")
    else:
        rows.append(f"| notebooks | — | | null: {nulls.get('notebook_seconds')} | ≤ 15 s each |")
    sl = r.get("slider_browser_ms")
    seen = d.get("slider_browser") or {}
    if sl:
        for stem, panels in sl.items():
            for label, v in panels.items():
                p = next((p for p in seen.get(stem, []) if label == f"panel {p.get('panel')} ({p.get('slider')})"), {})
                extra = f", {p['refused']} refused settings (not timed)" if p.get("refused") else ""
                extra += f", {p['timeouts']} moves without a new image in 10 s" if p.get("timeouts") else ""
                rows.append(f"| slider in Chromium `{stem}` {label}: key press → new image, {p.get('timed', 0)} moves | "
                            f"{_fmt_ms(v)} (max {_fmt_ms(p.get('load_ms_max'))}){extra} | | | "
                            f"≤ 100 ms {_met(v is not None and v <= 100)} |")
    else:
        rows.append(f"| sliders in Chromium | — | | null: {nulls.get('slider_browser_ms')} | ≤ 100 ms |")
    for stem, ps in (d.get("slider_kernel") or {}).items():
        for name, p in ps.items():
            rows.append(f"| slider in-process `{stem}` {name}: one move on the SliderPanel (update + PNG) | "
                        f"{_fmt_ms(p['panel_ms'])} (the lesson's update alone {_fmt_ms(p['update_ms'])}) | | | (info) |")
    if r.get("capstone_train_seconds") is not None:
        rows.append(f"| capstone (06) training | {r['capstone_train_seconds']:.1f} s, test accuracy "
                    f"{100 * r['capstone_test_accuracy']:.1f} % | | | (part of 06's ≤ 90 s) |")
    else:
        rows.append(f"| capstone (06) training | — | | null: {nulls.get('capstone_train_seconds')} | |")
    la0, la1 = m.get("load_average_start"), m.get("load_average_end")
    load = f"; 1-min load average {la0[0]:.2f} at start, {la1[0]:.2f} at end" if la0 and la1 else ""
    head = (f"Measured {m['date']} on {m['cpu']}, {m['cores']} cores{load}; Python {m['python']}, "
            f"NumPy {m['numpy']}, SciPy {m['scipy']}, matplotlib {m['matplotlib']}, "
            f"PyTorch {m['torch'] or 'not installed'}; NumPy's BLAS: {m.get('blas')}"
            f"{' (quick mode)' if r['quick'] else ''}.")
    return head + "\n\n" + "\n".join(rows) + "\n"


def update_readme(path: Path, text: str) -> None:
    """Replace what lies between the bench markers in ``path`` with ``text``."""
    readme = path.read_text()
    if README_START not in readme or README_END not in readme:
        raise SystemExit(f"{path} has no {README_START} ... {README_END} markers; add them under '## Speed'.")
    before, rest = readme.split(README_START, 1)
    _, after = rest.split(README_END, 1)
    path.write_text(f"{before}{README_START}\n{text}{README_END}{after}")


def _clean(obj):
    """JSON-safe: NaN/inf become null (JSON has no NaN)."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.generic):
        return _clean(obj.item())
    return obj


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", default=os.environ.get("BENCH_QUICK", "") not in ("", "0"),
                        help="few repeats; skip notebooks and the capstone (also BENCH_QUICK=1)")
    parser.add_argument("--out", type=Path, default=HERE / "results.json", help="where to write the JSON")
    parser.add_argument("--readme", type=Path, default=None,
                        help="README to update between the bench markers (default: README.md on a full run)")
    parser.add_argument("--no-readme", action="store_true", help="leave the README alone")
    parser.add_argument("--notebooks", nargs="*", default=None,
                        help="run only notebooks whose names start with these (e.g. 00 03)")
    args = parser.parse_args(argv)
    os.environ["JUPYTER_PREFER_ENV_PATH"] = "1"
    start = time.perf_counter()
    results = _clean(collect(args))
    results["bench_seconds"] = round(time.perf_counter() - start, 1)
    text = table(results)
    print()
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    try:                                   # keep benchmarks/setup_bench.py's numbers
        previous = json.loads(args.out.read_text())
    except (OSError, ValueError):
        previous = {}
    if isinstance(previous, dict) and "setup" in previous:
        results["setup"] = previous["setup"]
    args.out.write_text(json.dumps(results, indent=1, sort_keys=False) + "\n")
    print(f"wrote {args.out}")
    readme = args.readme or (None if (args.quick or args.no_readme or args.notebooks) else ROOT / "README.md")
    if readme and not args.no_readme:
        update_readme(readme, text)
        print(f"updated the table in {readme}")
    missed = [k for k, v in results["targets"].items() if v.get("met") is False]
    if missed:
        print("targets missed (reported, not a failure): " + ", ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
