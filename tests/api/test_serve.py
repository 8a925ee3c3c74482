"""`collabgraph serve` as a real process on a free loopback port, spoken to with httpx."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from collabgraph.store.embedded import EmbeddedServer
from tests.api.conftest import mini_yaml


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_serve_runs_the_api_on_the_embedded_store(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(tmp_path / "data")}
    env.pop("NEO4J_URI", None)
    cmd = [sys.executable, "-m", "collabgraph", "serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "the server did not come up within 60 s"
            time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=30) as client:
            health = client.get("/health").json()
            assert health["store_reachable"] is True
            res = client.post("/imports", files={"file": ("mini.yaml", mini_yaml())})
            assert res.status_code == 200, res.text
            assert [d["id"] for d in client.get("/districts").json()["districts"]] == ["mini"]
            gaps = client.get("/districts/mini/analyses/gaps")
            assert gaps.status_code == 200, gaps.text
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        EmbeddedServer(tmp_path / "data").stop()


def test_serve_refuses_a_public_address_without_a_token(tmp_path: Path) -> None:
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(tmp_path / "data")}
    env.pop("COLLABGRAPH_API_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-m", "collabgraph", "serve", "--host", "0.0.0.0", "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "COLLABGRAPH_API_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr
