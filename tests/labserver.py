"""Start a throwaway JupyterLab server for tests: loopback only, token auth on, fresh config."""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fresh_jupyter_env(home: Path) -> dict:
    """Environment variables giving Jupyter empty config/runtime/workspace/settings dirs."""
    env = dict(os.environ)
    dirs = {name: home / name for name in ("config", "runtime", "workspaces", "settings", "data")}
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    env.update({
        "JUPYTER_CONFIG_DIR": str(dirs["config"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
        "JUPYTERLAB_WORKSPACES_DIR": str(dirs["workspaces"]),
        "JUPYTERLAB_SETTINGS_DIR": str(dirs["settings"]),
        "JUPYTER_PREFER_ENV_PATH": "1",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    })
    labconfig = dirs["config"] / "labconfig"
    labconfig.mkdir(exist_ok=True)
    (labconfig / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    # Render every cell (no lazy windowing), so selectors see the whole notebook.
    tracker = dirs["settings"] / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True, exist_ok=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    return env


def wait_http(url: str, timeout: float = 60.0) -> int:
    """Poll ``url`` until it answers; return the HTTP status."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                return resp.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except (urllib.error.URLError, ConnectionError, OSError):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not answer within {timeout} s") from None
            time.sleep(0.3)


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


class LabServer:
    """``with LabServer(root, home) as lab:`` gives ``lab.url(path)`` with the token."""

    def __init__(self, root: Path, home: Path):
        self.root, self.home = Path(root), Path(home)
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.proc = None
        self.log = self.home / "lab.log"

    def url(self, path: str = "lab", query: str = "") -> str:
        sep = "&" if query else ""
        return f"http://127.0.0.1:{self.port}/{path}?{query}{sep}token={self.token}"

    def __enter__(self):
        env = fresh_jupyter_env(self.home)
        cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
               f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
               "--LabApp.expose_app_in_browser=True", "--LabApp.extension_manager=readonly",
               "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--allow-root")
        self._log_file = open(self.log, "w")
        self.proc = subprocess.Popen(cmd, cwd=self.root, env=env, stdout=self._log_file,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_http(f"http://127.0.0.1:{self.port}/api/status?token={self.token}", timeout=90)
        except Exception:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log_file.close()
        return False


# --------------------------------------------------------------------------- Chromium (Playwright)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]

#: true when the open notebook's kernel is idle
KERNEL_IDLE_JS = """() => {
  const nb = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = nb && nb.context && nb.context.isReady && nb.context.sessionContext.session
                 && nb.context.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle';
}"""

#: true when the kernel is idle and every code cell up to index ``upto`` (counting all cells;
#: -1: to the end) has run
CELLS_RUN_JS = """(upto) => {
  const nb = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!nb || !nb.content || !nb.context || !nb.context.sessionContext.session) return false;
  const kernel = nb.context.sessionContext.session.kernel;
  if (!kernel || kernel.status !== 'idle') return false;
  const code = nb.content.widgets.filter((c, i) => c.model.type === 'code' && (upto < 0 || i <= upto));
  return code.length > 0 && code.every(c => c.model.executionCount !== null);
}"""

#: true when the kernel is idle and every code cell has run
ALL_CELLS_RUN_JS = f"() => ({CELLS_RUN_JS})(-1)"


def chromium_path() -> str | None:
    """Debian's Chromium (or $CHROMIUM), or None."""
    for path in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                 shutil.which("chromium-browser")):
        if path and Path(path).exists():
            return path
    return None


def run_all_cells(page, lab: "LabServer", name: str, timeout_ms: int = 240_000) -> None:
    """Open ``notebooks/<name>`` in ``page``, clear its outputs (stale ones can't satisfy a
    selector), run all cells and wait until every cell has run and the kernel is idle."""
    run_cells(page, lab, name, through=-1, timeout_ms=timeout_ms)


def run_cells(page, lab: "LabServer", name: str, through: int, timeout_ms: int = 240_000) -> None:
    """Like run_all_cells, but only cells 0..``through`` (an index into all cells; -1: all).

    The browser test stops after a notebook's last slider panel: nbval has already run every
    cell; what only a browser can show is the widgets."""
    page.goto(lab.url(f"lab/tree/notebooks/{name}", "reset"))
    page.wait_for_function(KERNEL_IDLE_JS, timeout=120_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    n_cells = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.widgets.length")
    if 0 <= through < n_cells - 1:
        # Select the cell after the last one wanted, then "run all above" (JupyterLab's command).
        page.evaluate("(i) => { window.jupyterapp.shell.currentWidget.content.activeCellIndex = i; }",
                      through + 1)
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-above'); }")
    else:
        through = -1
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    # Cleared cells have no execution count, so this can't be true before the run has started.
    page.wait_for_function(CELLS_RUN_JS, arg=through, timeout=timeout_ms, polling=100)
