"""Start a throwaway JupyterHub for tests: loopback only, test users, local single-user servers.

``with HubServer(work, users=["ada", "grace"]) as hub:`` gives ``hub.url(path)``,
``hub.home(user)`` and ``hub.password``. The hub runs configurable-http-proxy (npm) and one
JupyterLab per user as local processes in the same Unix account (JupyterHub's
SimpleLocalProcessSpawner: fine for a test, no isolation for a real class). On exit the hub
is stopped; ``hub.leftover`` lists any process it started that outlived it (then killed).
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from labserver import free_port, wait_http

ROOT = Path(__file__).resolve().parent.parent
PROXY_CANDIDATES = (os.environ.get("CONFIGURABLE_HTTP_PROXY"),
                    str(ROOT / ".ci" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"),
                    shutil.which("configurable-http-proxy"))


def find_proxy() -> str | None:
    """configurable-http-proxy's path: $CONFIGURABLE_HTTP_PROXY, .ci/node (npm ci), or PATH."""
    return next((p for p in PROXY_CANDIDATES if p and Path(p).exists()), None)


def _user_settings(home: Path) -> None:
    """A fresh user's Jupyter settings: no news toast, every cell rendered (no lazy windowing)."""
    labconfig = home / ".jupyter" / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    (labconfig / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    tracker = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True, exist_ok=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))


class HubServer:
    def __init__(self, work: Path, users: list[str], proxy: str):
        self.work = Path(work)
        self.users = list(users)
        self.proxy = proxy
        self.port = free_port()
        self.password = secrets.token_hex(8)
        self.proc = None
        self.log = self.work / "hub.log"
        self.leftover: list[str] = []
        self._started: dict[int, psutil.Process] = {}

    def url(self, path: str = "hub/") -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def home(self, user: str) -> Path:
        return self.work / "homes" / user

    def _config(self) -> str:
        bindir = Path(sys.executable).parent
        args = ["--LabApp.expose_app_in_browser=True", "--LabApp.extension_manager=readonly",
                "--LabApp.news_url=None",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.append("--allow-root")   # without it the single-user server exits as root
        settings = {
            "JupyterHub.bind_url": f"http://127.0.0.1:{self.port}",
            "JupyterHub.hub_bind_url": f"http://127.0.0.1:{free_port()}",
            "JupyterHub.db_url": f"sqlite:///{self.work / 'jupyterhub.sqlite'}",
            "JupyterHub.cookie_secret_file": str(self.work / "jupyterhub_cookie_secret"),
            "JupyterHub.authenticator_class": "dummy",
            "DummyAuthenticator.password": self.password,
            "Authenticator.allowed_users": set(self.users),
            "JupyterHub.spawner_class": "simple",
            "SimpleLocalProcessSpawner.home_dir_template": str(self.work / "homes" / "{username}"),
            "Spawner.cmd": [str(bindir / "jupyterhub-singleuser")],
            "Spawner.args": args,
            "Spawner.default_url": "/lab",
            "Spawner.start_timeout": 120,
            "Spawner.http_timeout": 120,
            "Spawner.environment": {"JUPYTER_PREFER_ENV_PATH": "1",
                                    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
                                    "PATH": f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}"},
            "ConfigurableHTTPProxy.command": [self.proxy],
            "ConfigurableHTTPProxy.api_url": f"http://127.0.0.1:{free_port()}",
            "ConfigurableHTTPProxy.pid_file": str(self.work / "proxy.pid"),
            "JupyterHub.pid_file": str(self.work / "jupyterhub.pid"),
            "JupyterHub.cleanup_servers": True,
            "JupyterHub.cleanup_proxy": True,
        }
        return "".join(f"c.{key} = {value!r}\n" for key, value in settings.items())

    def __enter__(self):
        for user in self.users:
            _user_settings(self.home(user))
        config = self.work / "jupyterhub_config.py"
        config.write_text(self._config())
        self._log_file = open(self.log, "w")
        env = dict(os.environ, JUPYTER_PREFER_ENV_PATH="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=self.work, env=env,
            stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_http(self.url("hub/login"), timeout=90)
        except Exception:
            self.__exit__(None, None, None)
            raise
        return self

    def remember_processes(self) -> None:
        """Note every process the hub has started so far (proxy, single-user servers, kernels)."""
        if self.proc and self.proc.poll() is None:
            for child in psutil.Process(self.proc.pid).children(recursive=True):
                self._started.setdefault(child.pid, child)

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.remember_processes()
            self.proc.send_signal(signal.SIGTERM)     # the hub stops its servers and its proxy
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        _gone, alive = psutil.wait_procs(list(self._started.values()), timeout=20)
        for proc in alive:
            try:
                self.leftover.append(" ".join(proc.cmdline()[:3]))
                proc.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(alive, timeout=10)
        self._log_file.close()
        return False
