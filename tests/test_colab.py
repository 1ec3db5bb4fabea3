"""In Colab the setup cell installs the course from its repository; elsewhere it installs nothing.

Simulated, offline: each lesson's setup cell runs in a fresh IPython shell (a subprocess) with
a stub ``google.colab`` package and a fake ``pip`` (both first on PYTHONPATH) that records
its arguments instead of installing. The helpers come from this environment, as they would
from the clone in Colab. Also checks that the lessons use nothing Colab's front end cannot
show (it is not JupyterLab: no lab extensions, no ipympl, no JavaScript outputs).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    tomllib = pytest.importorskip("tomli", reason="Python 3.10 without tomli cannot read course.toml")

COURSE = tomllib.loads((ROOT / "course.toml").read_text())["course"]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

RUN_CELL = """
import json, sys
from IPython.core.interactiveshell import InteractiveShell
result = InteractiveShell.instance().run_cell(open(sys.argv[1]).read())
result.raise_error()
print(json.dumps({"colab": "google.colab" in sys.modules,
                  "drive": "google.colab.drive" in sys.modules,
                  "path0": sys.path[0]}))
"""


def _setup_source(path: Path) -> str:
    nb = nbformat.read(path, as_version=4)
    return next(c.source for c in nb.cells if c.cell_type == "code" and re.search(r"^\s*from helpers\b", c.source, re.M))


@pytest.fixture(scope="module")
def fakes(tmp_path_factory):
    root = tmp_path_factory.mktemp("colab")
    colab = root / "stubs" / "google" / "colab"
    colab.mkdir(parents=True)
    (colab.parent / "__init__.py").write_text("")
    (colab / "__init__.py").write_text('"""Stands in for Colab\'s google.colab in tests."""\n')
    (colab / "drive.py").write_text("raise RuntimeError('the course must never ask for Google Drive')\n")
    pip = root / "fakepip" / "pip"
    pip.mkdir(parents=True)
    (pip / "__init__.py").write_text("")
    (pip / "__main__.py").write_text(
        "import json, os, sys\n"
        "with open(os.environ['FAKE_PIP_LOG'], 'a') as f:\n"
        "    f.write(json.dumps(sys.argv[1:]) + '\\n')\n")
    return root


def _run(path: Path, fakes: Path, tmp_path: Path, colab: bool):
    cell = tmp_path / "setup.py"
    cell.write_text(_setup_source(path))
    log = tmp_path / "pip.log"
    log.write_text("")
    paths = [str(fakes / "fakepip")] + ([str(fakes / "stubs")] if colab else [])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths), FAKE_PIP_LOG=str(log), MPLBACKEND="Agg")
    if colab:   # the stub is imported first, as Colab's kernel imports google.colab at start-up
        code = "import google.colab\n" + RUN_CELL
    else:
        code = RUN_CELL
    out = subprocess.run([sys.executable, "-c", code, str(cell)], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    state = json.loads(out.stdout.strip().splitlines()[-1])
    calls = [json.loads(l) for l in log.read_text().splitlines()]
    return state, calls, out.stdout


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_setup_cell_installs_the_course_in_colab_only(path, fakes, tmp_path):
    state, calls, stdout = _run(path, fakes, tmp_path, colab=True)
    assert state["colab"] and not state["drive"], "no Google Drive"
    target = f"/content/{PROJECT['name']}"
    runtime = [d for d in PROJECT["dependencies"] if not d.startswith("jupyterlab")]
    assert calls == [
        ["install", "--quiet", "--no-deps", "--src", "/content", "-e",
         f"git+{COURSE['repository']}@{COURSE['branch']}#egg={PROJECT['name']}"],
        ["install", "--quiet", *runtime],
    ]
    assert state["path0"] == target, "the fresh clone is importable without restarting the kernel"
    assert "installing the course from " + COURSE["repository"] in stdout

    state, calls, _ = _run(path, fakes, tmp_path, colab=False)
    assert not state["colab"] and calls == [], "outside Colab the setup cell installs nothing"


def test_no_lesson_asks_for_drive_or_needs_jupyterlab_only_features():
    for path in LESSONS:
        nb = nbformat.read(path, as_version=4)
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        for bad in ("google.colab.drive", "drive.mount", "%matplotlib widget", "%matplotlib ipympl",
                    "ipympl", "anywidget", "Javascript(", "jupyterlab"):
            assert bad not in code, f"{path.name} uses {bad!r}, which Colab cannot show"
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                assert "application/javascript" not in data, f"{path.name}: a JavaScript output"
                assert "<script" not in str(data.get("text/html", "")), f"{path.name}: a <script> in HTML"
            if cell.cell_type == "markdown":
                for src in re.findall(r"!\[[^\]]*\]\(([^)\s]+)|<img[^>]*src=\"([^\"]+)\"", cell.source):
                    assert any(s.startswith("data:") for s in src if s), \
                        f"{path.name}: image {src} is a file Colab cannot load from the notebook"


def test_helpers_use_only_core_widgets():
    for module in (ROOT / "helpers").rglob("*.py"):
        text = module.read_text()
        for bad in ("ipympl", "anywidget", "bqplot", "ipycanvas", "Javascript(", "IPython.display.Javascript"):
            assert bad not in text, f"{module.relative_to(ROOT)} imports {bad}: Colab shows only core widgets"
