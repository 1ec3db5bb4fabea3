"""What a learner feels: from a key press on a slider to the panel's new image, in Chromium.

JupyterLab runs on a temporary copy of the notebooks (``tests/labserver.py``: loopback, token,
fresh config); Playwright drives Debian's ``/usr/bin/chromium``. For every notebook with
slider panels: clear the outputs, run all cells, then for every panel press the arrow keys
on its first slider ``MOVES`` times (sweeping away from the default and back). Each move is
timed in the page with ``performance.now()``: from the trusted ``keydown`` on the slider's
handle until the panel's ``<img>`` has a new ``src`` (``src_ms``) and until that image has
loaded (``load_ms``, the headline: the new picture is in the page). After each move the
kernel must be idle again before the next key press, so moves never queue. A setting the
lesson refuses (a message instead of a picture) is counted, not timed, and the sweep turns back.

Nothing is injected into the kernels and the notebooks are not parsed: panels are found in
the page (``.kf-slider-panel``), in the order the notebook shows them.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from labserver import CHROMIUM_ARGS, KERNEL_IDLE_JS, LabServer, chromium_path, run_all_cells  # noqa: E402

MOVES = 20
# Arms a one-shot timer on one panel: keydown on its control (a slider's handle, or the
# playground's centre box) starts it; a new img src and the image's load event stop it.
# Resolves {src_ms, load_ms} or {refused: true} (the panel's warning line) / {timeout: true}.
ARM_JS = """([panel, handle, timeoutMs]) => {
  const img = panel.querySelector('img');
  const message = panel.querySelector('.widget-html-content');
  const oldSrc = img.src, oldMessage = message ? message.innerHTML : '';
  window.__kfResult = new Promise(resolve => {
    let t0 = null, srcMs = null;
    const done = (value) => { observer.disconnect(); resolve(value); };
    handle.addEventListener('keydown', () => { t0 = performance.now(); }, {once: true, capture: true});
    img.addEventListener('load', () => {
      if (t0 !== null && srcMs !== null) done({src_ms: srcMs, load_ms: performance.now() - t0});
    });
    const observer = new MutationObserver(() => {
      if (t0 === null) return;
      if (img.src !== oldSrc && srcMs === null) srcMs = performance.now() - t0;
      // A refused setting shows the warning sign; a panel's describe line changes on every move.
      if (message && message.innerHTML !== oldMessage && message.textContent.includes('\u26a0')) done({refused: true});
    });
    observer.observe(panel, {attributes: true, subtree: true, childList: true, characterData: true});
    setTimeout(() => done({timeout: true}), timeoutMs);
  });
  return true;
}"""


def available() -> str | None:
    """None when the browser benchmark can run, else the reason it can't."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Python package playwright is not installed (pip install playwright)"
    if chromium_path() is None:
        return "Chromium not found (Debian: apt-get install chromium)"
    return None


def _measure_panel(page, panel, moves: int) -> dict:
    """Arrow keys on the panel's first slider (or, in lesson 01's playground, its centre box)."""
    editor = panel.locator(".kf-kernel-editor")
    if editor.count():
        boxes = editor.locator("input[type=number]")
        handle = boxes.nth([i for i in range(boxes.count()) if boxes.nth(i).is_visible()][4])
    else:
        handle = panel.locator(".noUi-handle").first
    load, src, refused, timeouts = [], [], 0, 0
    direction = 1
    for move in range(moves):
        if editor.count():
            key = "ArrowUp" if move % 2 == 0 else "ArrowDown"      # centre tap +0.1, -0.1, ...
        else:
            now, lo, hi = (float(handle.get_attribute(a)) for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax"))
            if now >= hi:
                direction = -1
            elif now <= lo:
                direction = 1
            key = "ArrowRight" if direction > 0 else "ArrowLeft"
        page.evaluate(ARM_JS, [panel.element_handle(), handle.element_handle(), 10_000])
        handle.focus()
        handle.press(key)
        result = page.evaluate("() => window.__kfResult")
        if result.get("refused"):
            refused += 1
            direction = -direction          # back towards the settings the lesson draws
        elif result.get("timeout"):
            timeouts += 1
        else:
            src.append(result["src_ms"])
            load.append(result["load_ms"])
        page.wait_for_function(KERNEL_IDLE_JS, timeout=60_000, polling=50)
        page.wait_for_timeout(150)
    return {"moves": moves, "timed": len(load), "refused": refused, "timeouts": timeouts,
            "load_ms": statistics.median(load) if load else None,
            "src_ms": statistics.median(src) if src else None,
            "load_ms_max": max(load) if load else None}


def _measure_notebook(context, lab, name: str, moves: int) -> list[dict]:
    page = context.new_page()
    try:
        run_all_cells(page, lab, name, timeout_ms=300_000)
        panels = page.locator(".kf-slider-panel")
        out = []
        for i in range(panels.count()):
            panel = panels.nth(i)
            panel.scroll_into_view_if_needed()
            page.wait_for_function("(el) => !!el.querySelector('img') && !!el.querySelector('.noUi-handle, .kf-kernel-editor')",
                                   arg=panel.element_handle(), timeout=60_000)
            label = ("kernel playground (centre tap)" if panel.locator(".kf-kernel-editor").count()
                     else panel.locator(".widget-slider .widget-label").first.inner_text().strip())
            out.append({"panel": i + 1, "slider": label, **_measure_panel(page, panel, moves)})
        return out
    finally:
        page.close()


def run_all(names: list[str] | None = None, moves: int = MOVES, log=print) -> dict:
    """``{notebook stem: [per-panel results]}`` for every notebook with slider panels."""
    from playwright.sync_api import sync_playwright

    notebooks = sorted(p for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
                       if "SliderPanel(" in p.read_text())
    if names:
        notebooks = [p for p in notebooks if any(p.stem.startswith(n) for n in names)]
    results = {}
    with tempfile.TemporaryDirectory(prefix="kf-browser-") as tmp:
        course = Path(tmp) / "course"
        shutil.copytree(ROOT / "notebooks", course / "notebooks")
        with LabServer(course, Path(tmp) / "home") as lab, sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                str(Path(tmp) / "profile"), executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS,
                viewport={"width": 1280, "height": 900})
            context.set_default_timeout(60_000)
            try:
                for nb in notebooks:
                    log(f"  {nb.name} in Chromium ...")
                    try:
                        results[nb.stem] = _measure_notebook(context, lab, nb.name, moves)
                    except Exception as exc:          # report, keep measuring the others
                        results[nb.stem] = [{"error": f"{type(exc).__name__}: {exc}"[:300]}]
                    for r in results[nb.stem]:
                        if "error" in r:
                            log(f"    FAILED: {r['error']}")
                        else:
                            log(f"    panel {r['panel']} ({r['slider']}): median {r['load_ms']} ms to the new "
                                f"image, {r['timed']} timed, {r['refused']} refused, {r['timeouts']} timeouts")
            finally:
                context.close()
    return results


if __name__ == "__main__":
    import json
    print(json.dumps(run_all(sys.argv[1:] or None), indent=1))
