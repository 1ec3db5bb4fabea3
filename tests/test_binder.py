"""Binder and Zero to JupyterHub build the course's image with repo2docker: check its plan.

`jupyter-repo2docker --no-build --debug .` prints the Dockerfile it would build, without
Docker and without the network. Skipped when repo2docker is missing (pip install -e '.[hub]');
with REQUIRE_HUB=1 (CI, which installs it) that is a failure.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REPO2DOCKER = shutil.which("jupyter-repo2docker", path=str(Path(sys.executable).parent)) or shutil.which("jupyter-repo2docker")

if REPO2DOCKER is None and os.environ.get("REQUIRE_HUB") == "1":
    pytest.fail("REQUIRE_HUB=1 but jupyter-repo2docker is not installed (pip install -e '.[hub]')", pytrace=False)
pytestmark = pytest.mark.skipif(REPO2DOCKER is None, reason="jupyter-repo2docker is not installed (pip install -e '.[hub]')")


@pytest.fixture(scope="module")
def plan():
    out = subprocess.run([REPO2DOCKER, "--no-build", "--debug", str(ROOT)], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout, out.stderr


def test_repo2docker_uses_the_conda_environment_with_python_311(plan):
    dockerfile, log = plan
    assert "Python version unspecified" not in log, log
    assert "Building conda environment for python=3.11" in log, log
    # the base environment's lock file (its path is escaped in the Dockerfile: "." -> "-2e", "-" -> "-2d")
    assert re.search(r"environment(\.|-2e)py(-|-2d)3(\.|-2e)11(-|-2d)linux", dockerfile), "Python 3.11's base"
    assert '--file "environment.yml"' in dockerfile


def test_repository_is_copied_before_the_environment_is_built(plan):
    dockerfile, _ = plan
    lines = dockerfile.splitlines()
    copy = next(i for i, l in enumerate(lines) if re.match(r"COPY .*\bsrc/ \$\{REPO_DIR\}/", l))
    build = next(i for i, l in enumerate(lines) if "env update" in l and "environment.yml" in l)
    assert copy < build, "`-e .` needs the repository in the image before the environment is built"
