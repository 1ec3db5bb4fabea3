"""`make bench` in quick mode: it runs, and its JSON has every key with the right types.

Benchmarks are never timed tests: nothing here fails because something is slow.
"""
import importlib.util
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str):
    """benchmarks/<name>.py under a unique module name (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location(f"kf_bench_{name}", ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _load("run")
capstone = _load("capstone")

RATIO_KEYS = ("correlate2d_vs_scipy", "conv2d_layer_vs_torch", "loop_vs_vectorised")


def _positive_finite(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v > 0


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    """One quick run (with lesson 00 executed, to exercise the notebook timing)."""
    tmp = tmp_path_factory.mktemp("bench")
    out, readme = tmp / "results.json", tmp / "README.md"
    readme.write_text(f"# x\n\n## Speed\n\n{bench.README_START}\nold\n{bench.README_END}\n\n## Troubleshooting\n")
    env = {**os.environ, "BENCH_QUICK": "1", "JUPYTER_PREFER_ENV_PATH": "1"}
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--out", str(out),
                           "--readme", str(readme), "--notebooks", "00"],
                          cwd=tmp, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]
    return json.loads(out.read_text()), proc.stdout, readme.read_text()


def test_quick_run_has_every_key_with_the_right_type(quick):
    r, _, _ = quick
    assert r["quick"] is True
    for key in bench.REQUIRED_KEYS:
        assert key in r, key
    nulls = r["null_reasons"]
    for key in RATIO_KEYS:
        v = r[key]
        if v is None:
            assert isinstance(nulls.get(key), str) and nulls[key], f"{key} is null without a reason"
        else:
            assert _positive_finite(v), (key, v)
    # Without PyTorch the only acceptable null is the one that says how to install it.
    if r["conv2d_layer_vs_torch"] is None:
        assert "torch==2.13.0" in nulls["conv2d_layer_vs_torch"]
    else:
        assert r["machine"]["torch"]
    # Quick mode ran lesson 00 only: seconds per notebook, no total, slider medians per panel.
    assert set(r["notebook_seconds"]) == {"00_start_here"}
    assert _positive_finite(r["notebook_seconds"]["00_start_here"])
    assert r["notebook_seconds_total"] is None and nulls["notebook_seconds_total"]
    # Every lesson's panel timed in-process, through the public API; the browser skipped.
    kernel = r["slider_kernel_ms"]
    assert {"00_start_here", "03_index_math", "06_capstone_tiny_cnn"} <= set(kernel)
    for stem, panels in kernel.items():
        assert panels and all(_positive_finite(v) for v in panels.values()), (stem, panels)
    detail = r["details"]["slider_kernel"]["00_start_here"]["smoothing"]
    assert detail["updates"] == 3 and detail["slider"] == "width" and 0 < detail["update_ms"] < detail["panel_ms"]
    assert r["slider_browser_ms"] is None and "quick" in nulls["slider_browser_ms"]
    for key in ("capstone_train_seconds", "capstone_test_accuracy"):
        assert r[key] is None and "quick" in nulls[key]


def test_details_and_machine_are_recorded(quick):
    r, _, _ = quick
    corr = r["details"]["correlate2d_vs_scipy"]
    assert set(corr) == {"3x3", "5x5", "11x11"}
    assert r["correlate2d_vs_scipy"] == corr["5x5"]["ratio"]
    for c in corr.values():
        assert _positive_finite(c["ours_ms"]) and _positive_finite(c["reference_ms"])
        assert math.isclose(c["ratio"], c["ours_ms"] / c["reference_ms"], rel_tol=1e-9)
        lo, hi = c["ratio_quartiles"]
        assert 0 < lo <= hi
    m = r["machine"]
    for key in ("cpu", "cores", "python", "numpy", "scipy", "date"):
        assert m[key], key
    assert isinstance(m["cores"], int) and m["cores"] >= 1
    assert r["loop_vs_vectorised"] > 1, "the plain loop should be slower than the vectorised version"


def test_table_is_printed_and_written_between_the_markers(quick):
    r, stdout, readme = quick
    assert "| benchmark |" in stdout and "correlate2d" in stdout
    assert readme.startswith("# x\n\n## Speed\n\n")
    assert "\nold\n" not in readme and "| benchmark |" in readme
    assert readme.index(bench.README_START) < readme.index("| benchmark |") < readme.index(bench.README_END)
    assert readme.endswith(f"{bench.README_END}\n\n## Troubleshooting\n")
    assert r["machine"]["cpu"] in readme


def test_json_has_no_nan():
    cleaned = bench._clean({"a": float("nan"), "b": [1.0, float("inf")], "c": {"d": 2.0}})
    assert cleaned == {"a": None, "b": [1.0, None], "c": {"d": 2.0}}
    json.dumps(cleaned, allow_nan=False)


def test_compare_reports_medians_and_an_honest_ratio():
    import time
    c = bench.compare(lambda: time.sleep(0.004), lambda: time.sleep(0.001), repeats=5, warmup=0)
    assert c["ours_ms"] > c["reference_ms"] >= 1.0
    assert c["ratio"] > 1.5 and c["repeats"] == 5


def test_targets_are_judged_not_enforced():
    t = bench.judge({"correlate2d_vs_scipy": 1.2, "conv2d_layer_vs_torch": None,
                     "notebook_seconds": {"01_a": 16.0, "06_capstone": 80.0}, "notebook_seconds_total": 96.0,
                     "slider_browser_ms": {"01_a": {"panel 1": 85.0, "panel 2": 115.0}}})
    assert t["correlate2d_vs_scipy"]["met"] is False
    assert t["conv2d_layer_vs_torch"]["met"] is None
    assert t["notebook_seconds"]["met"] is False and t["notebook_seconds"]["missed"] == ["01_a"]
    assert t["notebook_seconds_total"]["met"] is True
    assert t["slider_browser_ms"]["missed"] == ["01_a panel 2"]


def test_capstone_missing_lesson_is_null_with_a_reason(tmp_path):
    (tmp_path / "notebooks").mkdir()
    details, why = capstone.run(tmp_path)
    assert details is None and "06" in why


def test_panel_sweeps_step_away_from_the_default_and_back():
    panels = _load("panels")
    assert panels._sweep(1, 25, 1, 5, 6) == [6, 7, 8, 9, 10, 11]
    assert panels._sweep(0, 2, 1, 2, 4) == [1, 0, 1, 2]                      # bounces at both ends
    assert panels._sweep(0.5, 2.0, 0.25, 2.0, 2) == [1.75, 1.5]
