"""The set-up behind `make lab` / `make test` (tools/setup_venv.py and the Makefile's Python check).

Most tests run the real script in a scratch copy of the course with a stub `uv` on PATH: the stub
makes real venvs (without pip, so nothing can install behind its back) and logs every install it
is asked for. The offline and warning tests use the real uv and pip against a tiny project.
"""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYENV_ROOT = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))

STUB_UV = """#!/bin/sh
# stub uv: logs every call; `uv venv --quiet --python PY DIR` makes a real venv without pip
echo "$@" >> "$STUB_LOG"
if [ "$1" = venv ]; then
    "$4" -m venv --without-pip "$5" || exit 1
    if [ -n "$STUB_HALF" ]; then echo "error: ensurepip is not available" >&2; exit 1; fi
    exit 0
fi
if [ -n "$STUB_FAIL" ]; then echo "error: Failed to fetch: Connection refused (os error 111)" >&2; exit 2; fi
exit 0
"""


def _executable(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IEXEC | stat.S_IXGRP | stat.S_IXOTH)
    return path


@pytest.fixture
def course(tmp_path):
    """A scratch course folder with the real pyproject, lock and set-up script, and a stub uv."""
    root = tmp_path / "course"
    (root / "tools").mkdir(parents=True)
    for name in ("pyproject.toml", "requirements-lock.txt", "tools/setup_venv.py"):
        shutil.copy(ROOT / name, root / name)
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    _executable(stubs / "uv", STUB_UV)
    log = tmp_path / "uv.log"
    log.touch()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UV_", "KF_", "VIRTUAL_ENV"))}
    env.update(PATH=f"{stubs}{os.pathsep}{env['PATH']}", STUB_LOG=str(log))
    return root, env, log


def run_setup(root, env, *args, python=sys.executable, **extra_env):
    return subprocess.run([str(python), str(root / "tools" / "setup_venv.py"), *args], cwd=root,
                          env={**env, **extra_env}, capture_output=True, text=True, timeout=120)


def installs(log: Path) -> list[str]:
    return [line for line in log.read_text().splitlines() if line.startswith("pip install")]


def venv_version(root) -> str:
    out = subprocess.run([str(root / ".venv/bin/python"), "-c", "import sys; print(sys.version.split()[0])"],
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_first_run_creates_the_venv_and_installs_runtime_only_from_the_lock(course):
    root, env, log = course
    result = run_setup(root, env, "--stale-ok")
    assert result.returncode == 0, result.stderr
    assert (root / ".venv/bin/python").exists()
    (install,) = installs(log)
    locked = sys.version_info[:2] == (3, 11)
    assert install.endswith("-e .") and ("-c requirements-lock.txt" in install) == locked
    assert "[test]" not in install
    result = run_setup(root, env, "--extras", "test")
    assert result.returncode == 0, result.stderr
    assert installs(log)[-1].endswith("-e .[test]") and len(installs(log)) == 2
    assert "test" in json.loads((root / ".venv/.kf-installed").read_text())["extras"]


def test_nothing_is_installed_when_lock_and_pyproject_are_unchanged(course):
    root, env, log = course
    assert run_setup(root, env, "--extras", "test").returncode == 0
    before = installs(log)
    # any install from now on would fail loudly, as it would offline
    for args in (["--extras", "test"], ["--stale-ok"], []):
        result = run_setup(root, env, *args, STUB_FAIL="1")
        assert result.returncode == 0 and result.stdout == "" and result.stderr == "", result
    assert installs(log) == before
    (root / "pyproject.toml").write_text((root / "pyproject.toml").read_text() + "\n# changed\n")
    assert run_setup(root, env).returncode == 0
    assert len(installs(log)) == len(before) + 1, "a changed pyproject.toml reinstalls"


def test_a_half_made_venv_is_rebuilt(course):
    root, env, log = course
    # what `python3 -m venv` leaves behind on Debian without python3-venv: a python, no pip
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root / ".venv")], check=True)
    result = run_setup(root, env)
    assert result.returncode == 0, result.stderr
    assert "incomplete" in result.stdout and "rebuilding" in result.stdout
    assert (root / ".venv/.kf-created").exists() and len(installs(log)) == 1
    assert run_setup(root, env).stdout == "", "once rebuilt it is complete"


def test_a_failed_venv_creation_leaves_nothing_behind_and_says_why(course):
    root, env, log = course
    result = run_setup(root, env, STUB_HALF="1")
    assert result.returncode == 1
    message = result.stderr.strip().splitlines()[-1]
    assert "could not create .venv" in message and "apt install python3-venv" in message
    assert not (root / ".venv").exists(), "a half-made venv would break every later run"


def test_offline_with_a_changed_lock_keeps_the_existing_environment(course):
    root, env, log = course
    assert run_setup(root, env, "--extras", "test").returncode == 0
    lock = root / "requirements-lock.txt"
    lock.write_text(lock.read_text().replace("pytest==", "pytest==0.0.0+changed-"))
    lab = run_setup(root, env, "--stale-ok", STUB_FAIL="1")
    assert lab.returncode == 0, lab.stderr
    assert "could not install the changed dependencies" in lab.stdout
    assert "starting with the existing environment" in lab.stdout
    test = run_setup(root, env, "--extras", "test", STUB_FAIL="1")
    assert test.returncode == 1 and "Are you online?" in test.stderr
    # nothing was recorded, so the next run (online) installs the change
    assert run_setup(root, env, "--stale-ok").returncode == 0
    assert run_setup(root, env, "--stale-ok", STUB_FAIL="1").stdout == ""


def _other_python():
    for version in ("3.12.1", "3.13.0", "3.10.13"):
        python = PYENV_ROOT / "versions" / version / "bin" / "python3"
        if python.exists() and version[:4] != ".".join(map(str, sys.version_info[:2])):
            return python
    return None


def test_a_python_named_on_the_command_line_rebuilds_a_venv_made_with_another(course):
    root, env, log = course
    other = _other_python()
    if other is None:
        pytest.skip("needs a second Python (pyenv's 3.10, 3.12 or 3.13) to compare with")
    assert run_setup(root, env).returncode == 0
    mine = venv_version(root)
    kept = run_setup(root, env, "--python-name", "python3.x", python=other)
    assert kept.returncode == 0 and venv_version(root) == mine
    assert f"keeping .venv (Python {mine})" in kept.stdout and "PYTHON=python3.x" in kept.stdout
    rebuilt = run_setup(root, env, "--python-explicit", "--python-name", "python3.x", python=other)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert f".venv uses Python {mine}; you asked for python3.x" in rebuilt.stdout
    assert venv_version(root) != mine and installs(log)[-1].endswith("-e .")


def _real_uv():
    candidates = [ROOT / ".venv" / "bin" / "uv", shutil.which("uv")]
    return next((str(c) for c in candidates if c and Path(c).exists()), None)


def test_offline_for_real_fails_fast_and_keeps_the_environment(course, tmp_path):
    """Real uv, no reachable index, empty cache: the changed lock cannot install; lab starts anyway."""
    root, env, log = course
    uv = _real_uv()
    if uv is None:
        pytest.skip("uv is not installed (make test puts it into .venv)")
    real = tmp_path / "real-uv"
    real.mkdir()
    os.symlink(uv, real / "uv")
    env = {**env, "PATH": f"{real}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(root / ".venv")], check=True, env=env)
    (root / ".venv/.kf-created").write_text("")
    (root / ".venv/.kf-installed").write_text(json.dumps({"fingerprint": "an older lock", "extras": []}))
    offline = {"UV_INDEX_URL": "http://127.0.0.1:9/simple", "UV_CACHE_DIR": str(tmp_path / "empty-cache"),
               "UV_NO_CONFIG": "1"}
    start = time.monotonic()
    result = run_setup(root, env, "--stale-ok", **offline)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "starting with the existing environment" in result.stdout
    assert time.monotonic() - start < 30


TINY_PROJECT = """[build-system]
requires = ["setuptools>=77"]
build-backend = "setuptools.build_meta"

[project]
name = "kf-tiny"
version = "0.1.0"
requires-python = ">=3.10"
dependencies = []

[tool.setuptools]
packages = ["helpers"]
"""


PIP_IN_CI = pytest.mark.skipif(not os.environ.get("KF_INSTALL_TESTS"),
                               reason="pip's slower route (about 20 s); CI runs it (KF_INSTALL_TESTS=1)")


@pytest.mark.parametrize("installer", ["uv", pytest.param("pip", marks=PIP_IN_CI)])
def test_an_install_prints_no_alarming_warnings(course, tmp_path, installer):
    """A real editable install of a tiny project shaped like the course (flat layout, `helpers`)."""
    root, env, log = course
    (root / "pyproject.toml").write_text(TINY_PROJECT)
    (root / "requirements-lock.txt").write_text("")
    (root / "helpers").mkdir()
    (root / "helpers" / "__init__.py").write_text("ANSWER = 42\n")
    env = {k: v for k, v in env.items() if k != "STUB_LOG"}
    env["PATH"] = os.environ["PATH"]                    # no stub: the real thing
    if installer == "uv":
        uv = _real_uv()
        if uv is None:
            pytest.skip("uv is not installed (make test puts it into .venv)")
        env["PATH"] = f"{Path(uv).parent}{os.pathsep}{env['PATH']}"
    else:
        env["KF_NO_UV"] = "1"
    result = run_setup(root, env)
    assert result.returncode == 0, result.stdout + result.stderr
    shown = result.stdout + result.stderr
    assert "Editable installation" not in shown and "!!" not in shown and "WARNING" not in shown, shown
    assert all(line.startswith("setup: ") for line in shown.splitlines()), shown
    assert f"installed with {installer}" in shown
    check = subprocess.run([str(root / ".venv/bin/python"), "-c", "import helpers; print(helpers.ANSWER)"],
                           cwd=tmp_path, capture_output=True, text=True)
    assert check.stdout.strip() == "42", check.stderr


# --- the Makefile's one-line answers about the interpreter -----------------------------------

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _make(*args):
    return subprocess.run(["make", "-s", "--no-print-directory", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)


@needs_make
@pytest.mark.parametrize("target", ["lab", "test"])
def test_a_missing_python_gets_one_clear_line(target, tmp_path):
    result = _make(target, f"PYTHON={tmp_path}/no-such-python3")
    assert result.returncode != 0
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert "No Python at" in lines[0] and "install Python 3.10 or newer" in lines[0]
    assert f"make {target} PYTHON=" in lines[0]


@needs_make
def test_an_old_python_gets_one_clear_line(tmp_path):
    old = PYENV_ROOT / "versions" / "3.9.18" / "bin" / "python3"
    if not old.exists():           # a stand-in that answers like Python 3.9 would
        old = _executable(tmp_path / "python3.9",
                          "#!/bin/sh\ncase \"$2\" in *old*) echo old;; *) echo 3.9.18;; esac\n")
    result = _make("lab", f"PYTHON={old}")
    assert result.returncode != 0
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert "Python 3.10 or newer is needed" in lines[0] and "is 3.9.18" in lines[0]
    assert "make lab PYTHON=python3.11" in lines[0]


# --- the README's route without make ---------------------------------------------------------

def readme_commands(heading: str) -> list[str]:
    """The lines of the first code block after the paragraph that starts with ``heading``."""
    text = (ROOT / "README.md").read_text()
    after = text[text.index("## Without make"):]
    block = after[after.index(heading):]
    block = block[block.index("```"):]
    body = block.split("\n", 1)[1].split("```", 1)[0]
    return [line for line in body.splitlines() if line.strip()]


def test_the_readme_routes_without_make_are_the_same_three_steps():
    posix = readme_commands("Linux and macOS:")
    windows = readme_commands("Windows (")
    assert [c.split()[0] for c in posix] == ["python3", ".venv/bin/python", ".venv/bin/jupyter"]
    assert [c.split()[0] for c in windows] == ["py", r".venv\Scripts\python", r".venv\Scripts\jupyter"]
    for a, b in zip(posix, windows):                   # same arguments, other spelling of paths
        assert a.split()[-2:] == b.replace("\\", "/").split()[-2:], (a, b)


@pytest.mark.skipif(not os.environ.get("KF_INSTALL_TESTS"),
                    reason="a real pip install (about 30 s); CI runs it (KF_INSTALL_TESTS=1)")
def test_the_posix_route_without_make_works_in_a_fresh_venv(tmp_path):
    course = tmp_path / "course"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(course)], check=True)
    for name in ("README.md", "pyproject.toml", "requirements-lock.txt"):   # this working tree's version
        shutil.copy(ROOT / name, course / name)
    commands = readme_commands("Linux and macOS:")
    if sys.version_info[:2] != (3, 11):                # as the README says: the lock is for 3.11
        commands = [c.replace(" -c requirements-lock.txt", "") for c in commands]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"   # python3 = this Python
    for command in commands[:-1]:
        result = subprocess.run(command, shell=True, cwd=course, env=env, capture_output=True, text=True)
        assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    jupyter, lab, notebook = commands[-1].split()
    assert lab == "lab" and (course / notebook).exists()
    version = subprocess.run([str(course / jupyter), "lab", "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.strip().startswith("4."), version
    kernel = subprocess.run([str(course / ".venv/bin/python"), "-c",
                             "import helpers.conv, ipywidgets, matplotlib; print(ipywidgets.__version__)"],
                            cwd=course / "notebooks", capture_output=True, text=True)
    assert kernel.returncode == 0 and kernel.stdout.startswith("8."), kernel.stderr


def test_uv_comes_from_pypi_as_one_checked_binary(tmp_path):
    """No uv on PATH and no pip in the venv: the script fetches uv's wheel itself (stdlib only)."""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import setup_venv
    finally:
        sys.path.remove(str(ROOT / "tools"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    assert setup_venv.fetch_uv(venv), "could not fetch uv from PyPI (offline?)"
    version = subprocess.run([str(venv / "bin" / "uv"), "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("uv "), version
