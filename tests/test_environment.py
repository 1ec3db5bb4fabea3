"""environment.yml (conda, Binder) and pyproject.toml must ask for the same packages."""
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


def test_conda_environment_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_split(s) for s in project["dependencies"] + project["optional-dependencies"]["test"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {}
    pip = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip.extend(dep.get("pip", []))
        else:
            name, constraint = _split(dep)
            if name not in ("python", "pip"):
                conda[name] = constraint
    assert conda == wanted
    assert "-e ." in pip, "environment.yml installs the helpers package itself"
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert python.replace(" ", "") == "python" + project["requires-python"].replace(" ", "")


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
