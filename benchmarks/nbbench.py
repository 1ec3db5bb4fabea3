"""Execute lesson notebooks headless and time them.

Each notebook runs in its own fresh kernel (nbclient), on a copy in a temporary folder, so
the committed notebooks are never touched. Nothing is added to the notebooks: the slider
panels are timed by ``benchmarks/panels.py`` (in-process) and ``benchmarks/browser.py``
(Chromium).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient


def copy_notebooks(src_dir: Path, dst_root: Path) -> Path:
    """Copy ``src_dir``'s notebooks into ``dst_root/notebooks`` (with ``data`` beside it)."""
    dst = dst_root / "notebooks"
    dst.mkdir(parents=True)
    for nb in sorted(src_dir.glob("*.ipynb")):
        shutil.copy2(nb, dst / nb.name)
    data = src_dir.parent / "data"
    if data.is_dir():
        (dst_root / "data").symlink_to(data, target_is_directory=True)
    return dst


def run_notebook(path: Path, timeout: int = 180, root: Path | None = None) -> dict:
    """Execute one notebook in a fresh kernel and time it.

    Returns ``{"seconds": float, "cells": int, "slowest_cells": [...], "error": str or None}``.
    ``seconds`` runs from kernel start to the end
    of the last cell (what "Restart Kernel and Run All Cells" costs a learner). ``timeout``
    is per cell. The kernel talks over IPC sockets in the notebook's temporary folder (no
    TCP ports to collide with other kernels on a shared machine). With ``root``, the kernel
    imports ``helpers`` from ``root`` (first on PYTHONPATH), whatever the environment's
    editable install points at.
    """
    os.environ["JUPYTER_PREFER_ENV_PATH"] = "1"
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    nb = nbformat.read(path, as_version=4)
    km = AsyncKernelManager(kernel_name="python3", transport="ipc",
                            ip=str(path.parent / f".kernel-{path.stem[:2]}"))
    client = NotebookClient(nb, km=km, timeout=timeout, resources={"metadata": {"path": str(path.parent)}},
                            record_timing=False)
    result = {"seconds": None, "cells": sum(c.cell_type == "code" for c in nb.cells),
              "slowest_cells": [], "error": None}
    env = dict(os.environ)
    if root is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(root)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    cell_seconds = []
    start = time.perf_counter()
    try:
        with client.setup_kernel(env=env, cleanup_kc=True):     # shut down when done
            for index, cell in enumerate(nb.cells):
                t0 = time.perf_counter()
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
                if cell.cell_type == "code":
                    first = next((ln for ln in cell.source.splitlines()
                                  if ln.strip() and not ln.startswith("# NBVAL")), "")
                    cell_seconds.append((time.perf_counter() - t0, index, first[:60]))
            result["seconds"] = time.perf_counter() - start
    except Exception as exc:       # report it in the results; keep measuring the others
        text = str(exc).strip().splitlines()
        result["error"] = f"{type(exc).__name__}: {text[-1] if text else ''}"[:500]
    result["slowest_cells"] = [{"cell_index": i, "seconds": round(t, 3), "starts": src}
                               for t, i, src in sorted(cell_seconds, reverse=True)[:3]]
    return result


def run_all(notebook_dir: Path, names: list[str] | None = None, log=print) -> dict:
    """Run every ``NN_*.ipynb`` in ``notebook_dir`` (or those whose name starts with one of
    ``names``) from a temporary copy. Returns ``{stem: run_notebook(...) result}``."""
    with tempfile.TemporaryDirectory(prefix="kf-bench-") as tmp:
        copy = copy_notebooks(notebook_dir, Path(tmp))
        paths = sorted(copy.glob("[0-9][0-9]_*.ipynb"))
        if names:
            paths = [p for p in paths if any(p.stem.startswith(n) for n in names)]
        out = {}
        for p in paths:
            log(f"  executing {p.name} ...")
            out[p.stem] = run_notebook(p, root=notebook_dir.parent)
            r = out[p.stem]
            if r["error"]:
                log(f"    FAILED: {r['error']}")
            else:
                log(f"    {r['seconds']:.1f} s")
        return out
