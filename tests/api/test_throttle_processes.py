"""Sign-in throttling holds across server processes: a second server is no second set of tries.

Two real ``collabgraph serve`` processes on one data folder, 127.0.0.1, bounded loops.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from collabgraph.access.throttle import ACCOUNT_LIMIT
from collabgraph.store.embedded import EmbeddedServer
from tests.processes import serve

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long enough password for the test"


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "data"
    yield folder
    EmbeddedServer(folder).stop()


def _env(data: Path) -> dict[str, str]:
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    for name in ("NEO4J_URI", "COLLABGRAPH_STORE", "COLLABGRAPH_API_TOKEN"):
        env.pop(name, None)
    return env


def _sign_in(base: str, password: str) -> httpx.Response:
    return httpx.post(
        f"{base}/signin",
        data={"email": "rep@example.org", "password": password},
        headers={"Origin": base},
        timeout=30,
    )


def test_failed_sign_ins_on_two_servers_add_up(data: Path, tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "collabgraph", "users", "add", "rep@example.org",
         "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n", env=_env(data), check=True, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    servers = [serve(_env(data), tmp_path / f"serve-{i}.log") for i in range(2)]
    try:
        answers = [
            _sign_in(servers[n % 2].base, "not the password").status_code
            for n in range(ACCOUNT_LIMIT)
        ]
        assert answers == [401] * ACCOUNT_LIMIT  # spread over both servers
        for server in servers:  # now locked on both, even with the right password
            locked = _sign_in(server.base, PASSWORD)
            assert locked.status_code == 429, locked.text
            assert int(locked.headers["retry-after"]) > 0
            assert "set-cookie" not in locked.headers
    finally:
        for server in servers:
            server.stop()
