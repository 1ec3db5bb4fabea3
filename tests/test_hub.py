"""A class on JupyterHub: log in, follow the nbgitpuller link, work, click the link again.

A real JupyterHub on 127.0.0.1 (test password, one local JupyterLab per student,
configurable-http-proxy from npm: `npm ci --prefix .ci/node`), a git repository holding the
student edition (built here, committed into a temporary repository), and two students in
Chromium, each in their own browser context:

1. each opens the nbgitpuller link made by tools/links.py, lands on the hub's login page,
   logs in, and gets their own copy of the lessons;
2. each runs lesson 00: no error, the slider renders and moves its plot, and the exercise
   checks say "not attempted yet" (it is the student edition);
3. Ada solves exercise 00.1 in the browser, runs its check and saves; Grace's copy is unchanged;
4. Grace deletes lesson 02; the instructor commits an erratum to lessons 00 and 01 and a new
   file; both click the link again (nbgitpuller's merge): Ada's answer is kept, the erratum
   reaches the lessons they had not edited, the new file arrives and Grace's lesson 02 returns;
5. the hub stops, and with it every process it started.

Skipped (with a reason) when JupyterHub, nbgitpuller, the proxy, Chromium or Playwright is
missing; with REQUIRE_HUB=1 (CI) that is a failure.
"""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import nbformat.v4
import pytest

from hubserver import HubServer, find_proxy
from labserver import ALL_CELLS_RUN_JS as DONE_JS, CHROMIUM_ARGS, KERNEL_IDLE_JS as READY_JS, chromium_path

CHROMIUM = chromium_path()

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import links  # noqa: E402

try:
    from playwright.sync_api import sync_playwright
except ImportError:          # pragma: no cover - depends on the machine
    sync_playwright = None


def _missing() -> str | None:
    for module, hint in (("jupyterhub", "pip install -e '.[hub]'"), ("nbgitpuller", "pip install -e '.[hub]'")):
        try:
            __import__(module)
        except ImportError:
            return f"{module} is not installed ({hint})"
    if find_proxy() is None:
        return "configurable-http-proxy not found (npm ci --prefix .ci/node)"
    if sync_playwright is None:
        return "Python package playwright is not installed"
    if CHROMIUM is None:
        return "Chromium not found (Debian: apt-get install chromium)"
    if shutil.which("git") is None:
        return "git is not installed"
    return None


MISSING = _missing()
if MISSING and os.environ.get("REQUIRE_HUB") == "1":
    pytest.fail(f"REQUIRE_HUB=1 but {MISSING}", pytrace=False)
pytestmark = [pytest.mark.browser, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]

LESSON = "00_start_here.ipynb"
STUDENTS = ("ada", "grace")
ANSWER = "    return n - k + 1  # ada's answer"
ERRATUM = "Erratum: a sentence of this lesson was corrected."

def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
                                   GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")).stdout


def _student_repository(work: Path, branch: str) -> Path:
    """A git repository whose `branch` holds the student edition under notebooks/."""
    repo = work / "course-repo"
    (repo / "notebooks").mkdir(parents=True)
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_student.py"), "--out", str(repo / "notebooks")],
                   check=True, capture_output=True)
    _git(repo, "init", "-q", "-b", branch)
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "student edition")
    return repo


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    work = tmp_path_factory.mktemp("hub")
    course = links.load()
    repo = _student_repository(work, course.student_branch)
    # The same link builder the instructor uses, pointed at the local repository.
    local = dataclasses.replace(course, repository=repo.as_uri())
    with HubServer(work, users=list(STUDENTS), proxy=find_proxy()) as hub:
        yield hub, repo, links.hub_link(local, hub.url(""), LESSON)
    assert not hub.leftover, f"processes outlived the hub: {hub.leftover}"


def _login_via_link(page, hub, link, user):
    page.goto(link)
    page.wait_for_selector("input[name=username]")        # the hub's own login page
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", hub.password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"**/user/{user}/lab/**", timeout=180_000)
    page.wait_for_function(READY_JS, timeout=180_000)


def _run_lesson_and_move_slider(page):
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_timeout(1000)
    page.wait_for_function(DONE_JS, timeout=180_000, polling=500)
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.first.inner_text()
    assert page.get_by_text("not attempted yet").count() >= 1, "the student edition's checks say 'not attempted yet'"
    panel = page.locator(".kf-slider-panel").first
    panel.scroll_into_view_if_needed()
    page.wait_for_function("(el) => !!el.querySelector('img')", arg=panel.element_handle(), timeout=60_000)
    before = panel.locator("img").first.get_attribute("src")
    handle = panel.locator(".widget-slider .noUi-handle").first
    handle.focus()
    for _ in range(3):
        handle.press("ArrowRight")
    page.wait_for_function("([el, old]) => { const img = el.querySelector('img'); return img && img.src !== old; }",
                           arg=[panel.element_handle(), before], timeout=30_000)
    page.wait_for_function(DONE_JS, timeout=60_000)


def _solve_first_exercise(page):
    """Type an answer into exercise 00.1 (through the notebook model), run it and its check, save."""
    index = page.evaluate("""(answer) => {
      const nb = window.jupyterapp.shell.currentWidget.content;
      const i = nb.widgets.findIndex(c => c.model.sharedModel.getSource().includes('def valid_length'));
      const src = nb.widgets[i].model.sharedModel.getSource();
      nb.widgets[i].model.sharedModel.setSource(src.replace(/^\\s*raise NotImplementedError.*$/m, answer));
      nb.activeCellIndex = i;
      return i;
    }""", ANSWER)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-cell-and-select-next')")
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-cell-and-select-next')")
    check = page.locator(".jp-Notebook .jp-Cell").nth(index + 1).locator(".jp-OutputArea-output")
    check.first.wait_for(timeout=60_000)
    feedback = check.first.inner_text()
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    return feedback


def _source_on_disk(path: Path) -> str:
    return "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"])


def test_two_students_get_their_own_copies_and_keep_their_work(classroom, tmp_path):
    hub, repo, link = classroom
    assert "token" not in link.lower() and hub.password not in link
    start = time.monotonic()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        pages = {}
        try:
            for user in STUDENTS:
                page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                page.set_default_timeout(60_000)
                pages[user] = page
                _login_via_link(page, hub, link, user)
                hub.remember_processes()
                _run_lesson_and_move_slider(page)

            copies = {u: hub.home(u) / links.load().folder / "notebooks" / LESSON for u in STUDENTS}
            assert all(c.exists() for c in copies.values()), "each student has a copy in their own home"

            feedback = _solve_first_exercise(pages["ada"])
            assert "correct" in feedback.lower() and "not" not in feedback.lower(), feedback
            deadline = time.monotonic() + 30
            while "ada's answer" not in _source_on_disk(copies["ada"]) and time.monotonic() < deadline:
                time.sleep(0.5)
            assert "ada's answer" in _source_on_disk(copies["ada"]), "Ada's answer was saved in her copy"
            assert "ada's answer" not in _source_on_disk(copies["grace"]), "Grace's copy is her own"

            # Grace deletes lesson 02 from her copy (through Jupyter's contents API, as the file browser does).
            grace_02 = copies["grace"].parent / "02_peak_detection.ipynb"
            pages["grace"].evaluate("(path) => window.jupyterapp.serviceManager.contents.delete(path)",
                                    f"{links.load().folder}/notebooks/{grace_02.name}")
            assert not grace_02.exists()

            # The instructor publishes an erratum to lessons 00 and 01 and a new file.
            for name in (LESSON, "01_kernel_vs_filter.ipynb"):
                path = repo / "notebooks" / name
                nb = nbformat.read(path, as_version=4)
                nb.cells.append(nbformat.v4.new_markdown_cell(ERRATUM))
                nbformat.write(nb, path)
            (repo / "notebooks" / "ANNOUNCEMENT.md").write_text("Lesson 02 is due on Monday.\n")
            _git(repo, "add", ".")
            _git(repo, "commit", "-qm", "erratum and announcement")

            # Both click the same link again.
            for user in STUDENTS:
                pages[user].goto(link)
                pages[user].wait_for_url(f"**/user/{user}/lab/**", timeout=120_000)
                pages[user].wait_for_function(READY_JS, timeout=120_000)
            mine = _source_on_disk(copies["ada"])
            assert "ada's answer" in mine, "the second click kept Ada's answer (local edits win)"
            assert ERRATUM in mine, "the erratum merged into Ada's edited copy (it touched other lines)"
            for user in STUDENTS:
                folder = copies[user].parent
                assert (folder / "ANNOUNCEMENT.md").exists(), f"{user}: the new commit arrived"
                assert ERRATUM in _source_on_disk(folder / "01_kernel_vs_filter.ipynb"), \
                    f"{user}: the erratum reached the lesson they had not opened"
                nbformat.read(copies[user], as_version=4)       # still a valid notebook after the merge
            assert grace_02.exists(), "a deleted lesson comes back on the next click"
            assert "ada's answer" not in _source_on_disk(copies["grace"])
            hub.remember_processes()
        except Exception:
            for user, page in pages.items():
                page.screenshot(path=str(tmp_path / f"{user}.png"), full_page=True)
            print((hub.log).read_text()[-4000:])
            raise
        finally:
            browser.close()
    print(f"two students, log in to second pull: {time.monotonic() - start:.0f} s")
