"""`make lab` serves the course on 127.0.0.1 only, with token auth, opening at lesson 00."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest

from labserver import free_port, fresh_jupyter_env, http_status

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def test_make_lab_is_local_and_needs_the_token(tmp_path):
    port = free_port()
    env = fresh_jupyter_env(tmp_path)
    env["CI"] = "true"             # don't try to open a browser window
    log = tmp_path / "lab.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(["make", "-s", "lab", f"PORT={port}"], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = None
        deadline = time.monotonic() + 120
        while url is None and time.monotonic() < deadline:
            match = re.search(r"(http://127\.0\.0\.1:\d+/\S*\?token=\w+)", log.read_text())
            url = match.group(1) if match else None
            assert proc.poll() is None, f"make lab exited early:\n{log.read_text()[-2000:]}"
            time.sleep(0.5)
        assert url, f"no tokened URL printed:\n{log.read_text()[-2000:]}"
        assert f":{port}/lab/tree/notebooks/00_start_here.ipynb?token=" in url
        token = url.split("token=")[1]

        base = f"http://127.0.0.1:{port}"
        assert http_status(f"{base}/api/contents/notebooks") == 403
        assert http_status(f"{base}/api/contents/notebooks?token=wrong{token}") == 403
        assert http_status(f"{base}/api/contents/notebooks?token={token}") == 200

        servers = [p for p in psutil.Process(proc.pid).children(recursive=True)
                   if any(c.laddr and c.laddr.port == port for c in p.net_connections("tcp"))]
        assert servers, "the server process was not found"
        addresses = {c.laddr.ip for p in servers for c in p.net_connections("tcp")
                     if c.status == psutil.CONN_LISTEN}
        assert addresses == {"127.0.0.1"}, addresses
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
