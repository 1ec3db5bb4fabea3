"""Create or repair the course's virtual environment and install what a job needs.

    python3 tools/setup_venv.py [--extras test] [--python-explicit] [--stale-ok]

`make lab` runs it for the runtime packages, `make test` with `--extras test`. It

* rebuilds a half-made `.venv` (no working python, or no pip and no record of a finished set-up);
* rebuilds `.venv` when you name a different Python (`make lab PYTHON=python3.12`), and otherwise
  keeps the one you have;
* installs nothing, and so touches no network, when `pyproject.toml`, `requirements-lock.txt`,
  the venv's Python and the wanted extras are the same as at the last successful install;
* installs with uv (on PATH, or its binary fetched from PyPI into the venv, a second or two) and
  falls back to pip;
  both read the same lock. With Python 3.11 it installs the locked versions CI tests; with other
  versions, the compatible ranges from `pyproject.toml`;
* with `--stale-ok` (`make lab`), when an install fails (offline) but an earlier one finished,
  says so and keeps the existing environment.

It needs Python >= 3.10 (the Makefile checks that first, in one line). Exit status 0 means the
venv is ready to use.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = "requirements-lock.txt"
LOCKED_PYTHON = (3, 11)               # requirements-lock.txt was resolved with this Python
CREATED = ".kf-created"               # written once the venv exists with its installer
INSTALLED = ".kf-installed"           # what the last successful install was for
# setuptools' editable build warns that a folder named like the package may shadow it: the course
# *is* that folder. The build runs in a subprocess, which inherits this filter.
QUIET_BUILD = "ignore:Editable installation"


def say(message: str) -> None:
    print(f"setup: {message}", flush=True)


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def venv_bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


def probe(python: Path) -> dict | None:
    """Version of ``python``, whether it is a venv and has pip; None if it does not run."""
    code = ("import sys, json, importlib.util as u; print(json.dumps({'version': list(sys.version_info[:3]), "
            "'venv': sys.prefix != sys.base_prefix, 'pip': u.find_spec('pip') is not None}))")
    try:
        out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    try:
        return json.loads(out.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None


def dotted(version) -> str:
    return ".".join(str(v) for v in version)


def fingerprint(root: Path, version) -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", LOCK):
        path = root / name
        digest.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b"") + b"\0")
    digest.update(dotted(version).encode())
    return digest.hexdigest()


def read_record(venv: Path) -> dict:
    try:
        return json.loads((venv / INSTALLED).read_text())
    except (OSError, ValueError):
        return {}


def find_uv(venv: Path) -> str | None:
    if os.environ.get("KF_NO_UV"):                   # force the pip route (tests, troubleshooting)
        return None
    local = venv_bin(venv, "uv")
    if local.exists():
        return str(local)
    return shutil.which("uv")


def run_quiet(cmd: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``cmd`` with its output kept back; the caller shows it only when something failed."""
    return subprocess.run(cmd, capture_output=True, text=True, env=env)


def tail(result: subprocess.CompletedProcess, lines: int = 15) -> str:
    text = (result.stdout or "") + (result.stderr or "")
    kept = [line for line in text.splitlines() if line.strip() and "is ignored: it is neither a file" not in line]
    return "\n".join(kept[-lines:])


def create(venv: Path, python: str) -> None:
    """Make ``venv`` with ``python`` and an installer in it; remove it again if that fails.

    Without pip (`--without-pip`, or uv's own venv): pip's ensurepip takes seconds and is missing
    from Debian's Python without python3-venv. uv comes from PATH or PyPI; pip only if uv can't.
    """
    uv = None if os.environ.get("KF_NO_UV") else shutil.which("uv")
    if uv:
        result = run_quiet([uv, "venv", "--quiet", "--python", python, str(venv)])
    else:
        result = run_quiet([python, "-m", "venv", "--without-pip", str(venv)])
    problem = None
    if result.returncode != 0 or probe(venv_python(venv)) is None:
        problem = (tail(result, 1) or "no error message").strip()
    else:
        result = ensure_installer(venv)
        if result is not None and result.returncode != 0:
            problem = "no uv from PyPI, and pip's ensurepip failed: " + (tail(result, 1) or "").strip()
    if problem:
        shutil.rmtree(venv, ignore_errors=True)          # never leave a half-made venv behind
        hint = ""
        if "ensurepip" in problem or "python3-venv" in problem or "ensurepip" in tail(result):
            hint = " On Debian or Ubuntu: `sudo apt install python3-venv` (or install uv), then run it again."
        sys.exit(f"setup: could not create {venv.name} with {python}: {problem}.{hint}")
    (venv / CREATED).write_text(python + "\n")


# uv's wheels on PyPI hold one static binary; the platform tag that fits each machine.
UV_WHEEL_TAGS = {("linux", "x86_64"): "manylinux_2_17_x86_64", ("linux", "aarch64"): "manylinux_2_17_aarch64",
                 ("darwin", "x86_64"): "macosx_10_12_x86_64", ("darwin", "arm64"): "macosx_11_0_arm64",
                 ("win32", "AMD64"): "win_amd64", ("win32", "ARM64"): "win_arm64"}
UV_JSON = "https://pypi.org/pypi/uv/json"


def fetch_uv(venv: Path) -> bool:
    """Put PyPI's newest uv binary into the venv (checked against PyPI's SHA-256); False if not possible."""
    system = "linux" if sys.platform.startswith("linux") else sys.platform
    tag = UV_WHEEL_TAGS.get((system, platform.machine()))
    if tag is None or (system == "linux" and platform.libc_ver()[0] != "glibc"):
        return False
    try:
        with urllib.request.urlopen(os.environ.get("KF_UV_JSON", UV_JSON), timeout=15) as response:
            meta = json.load(response)
            base = response.geturl()
        wheel = next(f for f in meta["urls"] if f["filename"].endswith(".whl") and tag in f["filename"])
        with urllib.request.urlopen(urllib.parse.urljoin(base, wheel["url"]), timeout=120) as response:
            data = response.read()
        if hashlib.sha256(data).hexdigest() != wheel["digests"]["sha256"]:
            return False
        name = "uv.exe" if os.name == "nt" else "uv"
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            member = next(n for n in archive.namelist() if n.endswith("/scripts/" + name))
            target = venv_bin(venv, "uv")
            target.write_bytes(archive.read(member))
        target.chmod(0o755)
        return True
    except (OSError, ValueError, KeyError, StopIteration, zipfile.BadZipFile):
        return False


def ensure_installer(venv: Path) -> subprocess.CompletedProcess | None:
    """uv (PATH, venv, or PyPI), else pip (ensurepip). Returns ensurepip's result if it ran."""
    if find_uv(venv):
        return None
    if not os.environ.get("KF_NO_UV") and fetch_uv(venv):
        return None
    if probe(venv_python(venv)).get("pip"):
        return None
    if not os.environ.get("KF_NO_UV"):
        say("could not get uv from PyPI; installing with pip instead (slower)")
    return run_quiet([str(venv_python(venv)), "-m", "ensurepip", "--default-pip"])


def check_venv(venv: Path, python: str, version, explicit: bool) -> None:
    """Remove ``venv`` when it is half-made, or made with another Python that was asked for by name."""
    if not venv.exists():
        return
    state = probe(venv_python(venv))
    if state is None or not state["venv"] or not (state["pip"] or (venv / CREATED).exists()):
        say(f"{venv.name} is incomplete (an earlier set-up stopped half-way): rebuilding it")
        shutil.rmtree(venv)
        return
    if state["version"] != list(version):
        if explicit:
            say(f"{venv.name} uses Python {dotted(state['version'])}; you asked for {python} "
                f"({dotted(version)}): rebuilding {venv.name}")
            shutil.rmtree(venv)
        else:
            say(f"keeping {venv.name} (Python {dotted(state['version'])}); to rebuild it with "
                f"{python} ({dotted(version)}), run with PYTHON={python}")


def install_commands(venv: Path, extras: list[str], locked: bool) -> list[tuple[str, list[str]]]:
    target = "." + (f"[{','.join(extras)}]" if extras else "")
    constraints = ["-c", LOCK] if locked else []
    commands = []
    uv = find_uv(venv)
    if uv:
        # The test run starts dozens of interpreters (kernels, servers, subprocesses): compiled
        # bytecode up front spares each one compiling its imports (pip compiles by default; uv
        # doesn't). `make lab` skips it: a learner's first start compiles only what it imports.
        compile_flags = ["--compile-bytecode"] if "test" in extras else []
        # uv's cache first (no network; fails in a fraction of a second when something is missing)
        for name, flags in (("uv (from its cache)", ["--offline"]), ("uv", [])):
            commands.append((name, [uv, "pip", "install", "--quiet", *flags, *compile_flags,
                                    "--python", str(venv_python(venv)), *constraints, "-e", target]))
    commands.append(("pip", [str(venv_python(venv)), "-m", "pip", "install", "--quiet",
                             "--disable-pip-version-check", *constraints, "-e", target]))
    return commands


def install(venv: Path, extras: list[str], version, stale_ok: bool) -> int:
    record = read_record(venv)
    want = fingerprint(ROOT, version)
    have = set(record.get("extras", [])) if record.get("fingerprint") == want else None
    if have is not None and set(extras) <= have:
        return 0                                          # up to date: no network at all
    locked = tuple(version[:2]) == LOCKED_PYTHON
    what = "runtime" + "".join(f" + {e}" for e in extras)
    source = (f"the locked versions in {LOCK}" if locked else
              f"the ranges in pyproject.toml ({LOCK} is for Python {dotted(LOCKED_PYTHON)})")
    say(f"installing the course's packages ({what}) from {source}")
    start = time.perf_counter()
    prepared = ensure_installer(venv)
    if prepared is not None and prepared.returncode != 0:
        print(f"--- ensurepip said:\n{tail(prepared)}", file=sys.stderr)
    env = dict(os.environ)
    env["PYTHONWARNINGS"] = ",".join(w for w in (env.get("PYTHONWARNINGS"), QUIET_BUILD) if w)
    failures = []
    for name, cmd in install_commands(venv, extras, locked):
        if name.startswith("pip") and not probe(venv_python(venv)).get("pip"):
            continue
        result = run_quiet(cmd, env=env)
        if result.returncode == 0:
            kept = set(extras) | (have or set())
            (venv / INSTALLED).write_text(json.dumps({"fingerprint": want, "extras": sorted(kept)}) + "\n")
            say(f"installed with {name} in {time.perf_counter() - start:.1f} s")
            return 0
        failures.append((name, result))
    name, result = failures[-1] if failures else ("", None)
    reason = tail(result, 1) if result is not None else "no installer"
    if stale_ok and record.get("fingerprint"):
        say(f"could not install the changed dependencies (offline? {name}: {reason.strip()}); "
            f"starting with the existing environment. Run it again when you are online.")
        return 0
    for name, result in failures:
        print(f"--- {name} said:\n{tail(result)}", file=sys.stderr)
    print(f"setup: installing failed ({reason.strip()}). Are you online? Run it again, or start over "
          f"with `rm -rf {venv.name}`.", file=sys.stderr)
    return 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--extras", action="append", default=[], help="optional dependency groups, e.g. test")
    parser.add_argument("--venv", default=".venv", help="the venv's folder, relative to the course (.venv)")
    parser.add_argument("--python-explicit", action="store_true",
                        help="this Python was asked for by name: rebuild a venv made with another one")
    parser.add_argument("--python-name", help="how the Python was named (PYTHON=...), for messages")
    parser.add_argument("--stale-ok", action="store_true",
                        help="if installing fails but an earlier install finished, keep that environment")
    args = parser.parse_args(argv)
    if sys.version_info < (3, 10):
        sys.exit(f"setup: Python >= 3.10 is needed; {sys.executable} is {dotted(sys.version_info[:3])}.")
    os.chdir(ROOT)
    venv = ROOT / args.venv
    python = sys.executable
    version = list(sys.version_info[:3])
    check_venv(venv, args.python_name or python, version, args.python_explicit)
    if not venv.exists():
        say(f"creating {venv.name} with Python {dotted(version)} ({python})")
        create(venv, python)
    version = probe(venv_python(venv))["version"]
    return install(venv, sorted(set(args.extras)), version, args.stale_ok)


if __name__ == "__main__":
    sys.exit(main())
