"""Re-execute lesson notebooks in place, top to bottom, in one fresh kernel each.

    python tools/execute_notebooks.py [--force] [notebooks/NN_name.ipynb ...]

Uses the Python environment it runs in (the locked `.venv`), so the saved outputs are
exactly what `make test` (nbval) will compare against. It refuses to overwrite a
notebook that has uncommitted edits (yours!) unless --force is given.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def has_uncommitted_edits(path: Path) -> bool:
    """True when git knows the file and it differs from HEAD, or git doesn't track it."""
    where = path.resolve().parent
    try:
        tracked = subprocess.run(["git", "ls-files", "--error-unmatch", path.name], cwd=where,
                                 capture_output=True).returncode == 0
    except FileNotFoundError:      # no git: we cannot tell, so be careful
        return True
    if not tracked:
        return True
    return subprocess.run(["git", "diff", "--quiet", "HEAD", "--", path.name], cwd=where,
                          capture_output=True).returncode != 0


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def kernel_manager(folder: str) -> AsyncKernelManager:
    """A kernel that talks over IPC sockets in ``folder``: no TCP ports to race for.

    nbclient does not shut down a kernel whose manager it was given: run it with
    ``cleanup_kc=True`` (``execute(cleanup_kc=True)``), or the kernel lives on until this
    process exits.
    """
    return AsyncKernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(folder, "kernel"))


def execute(path: Path, timeout: int = 300) -> float:
    """Execute one notebook in place; returns the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kf-kernel-") as sockets:
        client = NotebookClient(nb, km=kernel_manager(sockets), timeout=timeout,
                                resources={"metadata": {"path": str(path.parent)}},
                                store_widget_state=True, record_timing=False)
        client.execute(cleanup_kc=True)     # the kernel is ours: shut it down when done
    seconds = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nbformat.write(nb, path)
    return seconds


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--force", action="store_true", help="overwrite notebooks with uncommitted edits")
    args = parser.parse_args(argv)
    os.environ.setdefault("JUPYTER_PREFER_ENV_PATH", "1")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    paths = [p.resolve() for p in args.notebooks] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    refused = [p for p in paths if not args.force and has_uncommitted_edits(p)]
    if refused:
        for p in refused:
            print(f"refusing to overwrite {_shown(p)}: it has uncommitted edits "
                  f"(commit them, or run `make execute FORCE=1` to discard its outputs anyway)",
                  file=sys.stderr)
        return 2
    for p in paths:
        seconds = execute(p)
        print(f"executed {_shown(p)} in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
