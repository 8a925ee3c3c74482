"""Start a benchmark's API server in its own process, and serve an app in that process.

A benchmark script that re-runs itself with ``--serve PORT_FILE`` builds its app
(the product's, plus the peer endpoint it times) and calls :func:`serve`; the
timing side calls :func:`start_api` and talks to it over 127.0.0.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

__all__ = ["serve", "start_api"]


def serve(app: Any, port_file: str) -> None:
    """Serve ``app`` on a free port of 127.0.0.1 and write the port to ``port_file``."""
    import uvicorn

    from collabgraph.cli.serve_cmds import listen

    listener = listen("127.0.0.1", 0)
    Path(port_file).write_text(str(listener.getsockname()[1]))
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[listener])


def start_api(script: str, data: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Run ``script --serve PORT_FILE`` on the data folder ``data``; the process and its URL."""
    port_file = data.parent / f"port-{uuid.uuid4().hex[:6]}"
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(data)}
    env.pop("NEO4J_URI", None)
    proc = subprocess.Popen(
        [sys.executable, script, "--serve", str(port_file)], env=env, stdin=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while not port_file.exists() or not port_file.read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the API server did not start")
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port_file.read_text()}"
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                return proc, base
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the API server did not answer")
        time.sleep(0.05)
