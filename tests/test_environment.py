"""environment.yml (conda, Binder) and pyproject.toml must ask for the same runtime packages.

environment.yml is the learners' runtime (the tests' tools come from `make test`), written in
conda-forge's names: CONDA_TO_PYPI maps the ones that differ from PyPI's.
"""
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import pytest
    tomllib = pytest.importorskip("tomli", reason="Python 3.10 without tomli cannot read pyproject.toml")


def _split(spec: str):
    name, constraint = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", spec).groups()
    return name.lower().replace("_", "-"), constraint.replace(" ", "")


# conda-forge name -> PyPI name, where they differ (conda-forge's `playwright` is the Node.js
# package; the Python binding is `playwright-python`).
CONDA_TO_PYPI = {"matplotlib-base": "matplotlib", "playwright-python": "playwright"}
# In environment.yml but not a dependency of the course: the server extension a JupyterHub
# running the Binder / repo2docker image needs for its nbgitpuller links.
IMAGE_ONLY = {"nbgitpuller"}


def _environment():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda, pip, python = {}, [], None
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip.extend(dep.get("pip", []))
            continue
        name, constraint = _split(dep)
        if name == "python":
            python = constraint
        elif name != "pip":
            conda[CONDA_TO_PYPI.get(name, name)] = constraint
    return env, conda, pip, python


def test_conda_environment_matches_pyproject_runtime():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_split(s) for s in project["dependencies"])
    env, conda, pip, _ = _environment()
    assert env["channels"] == ["conda-forge"]
    assert {k: v for k, v in conda.items() if k not in IMAGE_ONLY} == wanted
    assert "-e ." in pip, "environment.yml installs the helpers package itself"


def test_conda_environment_pins_a_python_binder_understands():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    _, _, _, python = _environment()
    # repo2docker reads only `python=X.Y`; `python>=3.10` falls back to its default.
    assert re.fullmatch(r"=3\.\d+", python), f"environment.yml's python must be 'python=3.X', got {python!r}"
    oldest = tuple(int(x) for x in re.search(r">=\s*(\d+\.\d+)", project["requires-python"]).group(1).split("."))
    assert tuple(int(x) for x in python[1:].split(".")) >= oldest


def test_conda_names_are_conda_forge_names():
    _, conda, _, _ = _environment()
    raw = [_split(d)[0] for d in yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
           if isinstance(d, str)]
    assert "playwright" not in raw, "conda-forge's playwright is Node.js; the Python binding is playwright-python"
    assert "matplotlib" not in raw, "matplotlib-base: conda-forge's matplotlib pulls in the Qt GUI"


def test_lock_pins_every_dependency_exactly():
    lock = {}
    for line in (ROOT / "requirements-lock.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            lock[name.lower().replace("_", "-")] = version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for spec in project["dependencies"] + project["optional-dependencies"]["test"]:
        assert _split(spec)[0] in lock, f"{spec} is not in requirements-lock.txt"
    assert not any("==" in s for s in project["dependencies"]), "pyproject keeps ranges, the lock pins"
