"""A real browser: JupyterLab + Chromium prove that sliders render and move their plots.

For every notebook with a slider panel, on a temporary copy of the notebooks: clear the
outputs, run all cells, assert no error output, assert every panel shows real slider
elements (not a text repr), move the first slider of every panel and see its image change.

Skipped (with a reason) when Chromium or Playwright is missing; with REQUIRE_BROWSER=1 a
missing browser is a failure.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from labserver import LabServer

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = next((p for p in (os.environ.get("CHROMIUM"), "/usr/bin/chromium",
                             shutil.which("chromium"), shutil.which("chromium-browser")) if p and Path(p).exists()), None)
WITH_SLIDERS = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
                      if "SliderPanel(" in p.read_text())

try:
    from playwright.sync_api import sync_playwright
except ImportError:          # pragma: no cover - depends on the machine
    sync_playwright = None

_missing = None
if sync_playwright is None:
    _missing = "Python package playwright is not installed (pip install playwright)"
elif CHROMIUM is None:
    _missing = "Chromium not found (Debian: apt-get install chromium)"

if _missing and os.environ.get("REQUIRE_BROWSER") == "1":
    pytest.fail(f"REQUIRE_BROWSER=1 but {_missing}", pytrace=False)

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(_missing is not None, reason=_missing or "")]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]

DONE_JS = """() => {
  const nb = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!nb || !nb.content || !nb.context || !nb.context.sessionContext.session) return false;
  const kernel = nb.context.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  const code = nb.content.widgets.filter(c => c.model.type === 'code');
  return code.length > 0 && code.every(c => c.model.executionCount !== null);
}"""

READY_JS = """() => {
  const nb = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  return !!(nb && nb.content && nb.context && nb.context.isReady && nb.context.sessionContext.session
            && nb.context.sessionContext.session.kernel
            && nb.context.sessionContext.session.kernel.status === 'idle');
}"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    work = tmp_path_factory.mktemp("browser")
    course = work / "course"
    shutil.copytree(ROOT / "notebooks", course / "notebooks")
    with LabServer(course, work / "home") as server:
        yield server


@pytest.fixture(scope="module")
def browser(lab, tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900})
        context.set_default_timeout(60_000)
        yield context
        context.close()


def _panel_image_src(panel) -> str:
    img = panel.locator("img")
    return img.first.get_attribute("src") if img.count() else ""


@pytest.mark.parametrize("name", WITH_SLIDERS)
def test_sliders_render_and_move_plots(lab, browser, name, tmp_path):
    page = browser.new_page()
    try:
        page.goto(lab.url(f"lab/tree/notebooks/{name}", "reset"))
        page.wait_for_function(READY_JS, timeout=120_000)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
        page.wait_for_timeout(1000)
        page.wait_for_function(DONE_JS, timeout=240_000, polling=500)

        errors = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
        assert errors.count() == 0, f"{name}: error/stderr output: {errors.first.inner_text()[:500]}"
        assert page.get_by_text("Error displaying widget").count() == 0

        panels = page.locator(".kf-slider-panel")
        n_panels = panels.count()
        cells = json.loads((lab.root / "notebooks" / name).read_text())["cells"]
        expected = sum("SliderPanel(" in "".join(c["source"]) for c in cells if c["cell_type"] == "code")
        assert n_panels == expected, f"{name}: {n_panels} of {expected} slider panels rendered"
        for i in range(n_panels):
            panel = panels.nth(i)
            panel.scroll_into_view_if_needed()
            sliders = panel.locator(".widget-slider")
            assert sliders.count() >= 1, f"{name}: panel {i} has no slider element"
            assert sliders.first.locator(".noUi-handle").count() == 1, "a real slider handle"
            page.wait_for_function("(el) => !!el.querySelector('img')", arg=panel.element_handle(), timeout=60_000)
            before = _panel_image_src(panel)
            handle = sliders.first.locator(".noUi-handle")
            for key in ("ArrowRight", "ArrowLeft"):
                handle.focus()
                for _ in range(3):
                    handle.press(key)
                try:
                    page.wait_for_function(
                        "([el, old]) => { const img = el.querySelector('img'); return img && img.src !== old; }",
                        arg=[panel.element_handle(), before], timeout=20_000)
                    break
                except Exception:
                    continue
            after = _panel_image_src(panel)
            assert after and after != before, f"{name}: panel {i}: moving the slider did not change the plot"
            page.wait_for_function(DONE_JS, timeout=60_000)
        assert errors.count() == 0
    except Exception:
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
        raise
    finally:
        page.close()
