"""`make execute` never overwrites a notebook with uncommitted edits unless forced."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from execute_notebooks import has_uncommitted_edits, main  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture
def repo(tmp_path):
    def git(*args):
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True)
    git("init", "-q")
    git("config", "user.email", "t@example.org")
    git("config", "user.name", "t")
    nb = tmp_path / "00_demo.ipynb"
    shutil.copy(ROOT / "notebooks" / "00_start_here.ipynb", nb)
    git("add", nb.name)
    git("commit", "-qm", "add")
    return nb


def test_detects_edits_and_untracked_files(repo):
    assert has_uncommitted_edits(repo) is False
    repo.write_text(repo.read_text().replace("Start here", "Start here (edited)"))
    assert has_uncommitted_edits(repo) is True
    new = repo.parent / "01_new.ipynb"
    shutil.copy(repo, new)
    assert has_uncommitted_edits(new) is True


def test_refuses_to_overwrite_an_edited_notebook(repo, capsys):
    edited = repo.read_text().replace("Start here", "Start here (my notes)")
    repo.write_text(edited)
    assert main([str(repo)]) == 2
    assert "refusing to overwrite" in capsys.readouterr().err
    assert repo.read_text() == edited           # the learner's edit is intact


def test_execute_shuts_its_kernel_down(tmp_path):
    """Each notebook's kernel ends with it (they used to live on, one per notebook, until exit)."""
    import os
    import time

    import nbformat
    from execute_notebooks import execute

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os\nprint(os.getpid())")])
    path = tmp_path / "pid.ipynb"
    nbformat.write(nb, path)
    execute(path, timeout=60)
    pid = int(nbformat.read(path, as_version=4).cells[0].outputs[0]["text"].strip())
    assert pid != os.getpid()
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{pid}").exists(), f"kernel {pid} still running after execute()"
