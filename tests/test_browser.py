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

from labserver import ALL_CELLS_RUN_JS, CHROMIUM_ARGS, LabServer, chromium_path, run_all_cells

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = chromium_path()
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
        run_all_cells(page, lab, name)

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
            page.wait_for_function(ALL_CELLS_RUN_JS, timeout=60_000)
        assert errors.count() == 0
    except Exception:
        page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
        raise
    finally:
        page.close()
