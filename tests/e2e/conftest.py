"""A real ``collabgraph serve`` for the browser tests, with accounts to sign in as."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from collabgraph.access import Accounts
from collabgraph.store.embedded import EmbeddedServer
from collabgraph.store.falkor import FalkorStore, connect_unix
from tests.api.conftest import wait_for_health
from tests.conftest import ROOT

#: Every test account's password.
PASSWORD = "correct horse battery"


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class Served:
    """A running server: its base URL, data folder and an API token per account."""

    base: str
    data: Path
    tokens: dict[str, str] = field(default_factory=dict)

    def bearer(self, email: str = "admin@example.org") -> dict[str, str]:
        """The header a script of that account sends."""
        return {"Authorization": f"Bearer {self.tokens[email]}"}


def start_server(
    data: Path, log: Path, accounts: list[tuple[str, str, list[str]]]
) -> tuple[subprocess.Popen[bytes], Served]:
    """Create the accounts in the data folder's store, then start ``collabgraph serve``."""
    served = Served(base="", data=data)
    if accounts:
        server = EmbeddedServer(data)
        store = FalkorStore(connect_unix(str(server.ensure_running())), server=server)
        made = Accounts(store)
        for email, role, districts in accounts:
            made.add(email, role, PASSWORD, districts)
            served.tokens[email] = made.new_token(email)
        store.close()
    port = free_port()
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(data)}
    for name in ("NEO4J_URI", "COLLABGRAPH_API_TOKEN"):
        env.pop(name, None)
    cmd = [sys.executable, "-m", "collabgraph", "serve", "--port", str(port)]
    out = log.open("wb")
    proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    served.base = f"http://127.0.0.1:{port}"
    wait_for_health(served.base, proc, lambda: f"see {log}")
    return proc, served


def stop_server(proc: subprocess.Popen[bytes], data: Path) -> None:
    """Stop the server process and its embedded store."""
    proc.terminate()
    proc.wait(timeout=30)
    EmbeddedServer(data).stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A real ``collabgraph serve`` on a fresh data folder with an admin, and association,
    partner and researcher accounts of the small example district."""
    folder = tmp_path_factory.mktemp("e2e")
    district = ["lakeside-usd"]
    proc, served = start_server(
        folder / "data",
        folder / "server.log",
        [
            ("admin@example.org", "admin", []),
            ("association@example.org", "association", district),
            ("partner@example.org", "partner", district),
            ("researcher@example.org", "researcher", district),
        ],
    )
    try:
        yield served
    finally:
        stop_server(proc, served.data)


def sign_in(tab: Any, base: str, email: str) -> None:
    """Sign a browser tab in through the sign-in form."""
    tab.goto(f"{base}/signin")
    tab.fill("#email", email)
    tab.fill("#password", PASSWORD)
    with tab.expect_navigation():
        tab.click("form button[type=submit]")
    if "/signin" in tab.url:
        raise AssertionError(f"sign-in as {email} failed: {tab.content()[:500]}")
