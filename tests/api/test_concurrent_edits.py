"""Real processes on one data folder: two `collabgraph serve`, a `collabgraph load`, kill -9.

Every server listens on 127.0.0.1 on a free port; every loop is bounded. The
final rows are read straight from the store and compared exactly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from collabgraph.store.embedded import EmbeddedServer
from tests.api.conftest import mini_yaml
from tests.conftest import MINI
from tests.processes import Server
from tests.processes import serve as serve_env
from tests.store.conftest import open_falkor

ROOT = Path(__file__).resolve().parents[2]
MINI_PEOPLE = {p["id"] for p in MINI["people"]}


#: The servers' install-wide admin token, and the header the clients send with it.
TOKEN = "concurrent-edits-install-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}


def _env(data: Path) -> dict[str, str]:
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    for name in ("NEO4J_URI", "COLLABGRAPH_STORE"):
        env.pop(name, None)
    env["COLLABGRAPH_API_TOKEN"] = TOKEN
    return env


def serve(data: Path, log: Path) -> Server:
    return serve_env(_env(data), log)


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    """A data folder holding the MINI district, loaded with the CLI; its server stopped after."""
    folder = tmp_path / "data"
    (tmp_path / "mini.yaml").write_bytes(mini_yaml())
    subprocess.run(
        [sys.executable, "-m", "collabgraph", "load", str(tmp_path / "mini.yaml")],
        env=_env(folder), check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    yield folder
    EmbeddedServer(folder).stop()


def _people(data: Path) -> dict[str, Any]:
    """The people the store holds now (a fresh connection; starts the server if it is down)."""
    _server, store = open_falkor(data)
    try:
        return {p.id: p for p in store.read_workbook("mini").people}
    finally:
        store.close()


def test_two_servers_and_a_cli_load_lose_nothing(data: Path, tmp_path: Path) -> None:
    servers = [serve(data, tmp_path / f"serve-{i}.log") for i in range(2)]
    statuses: list[int] = []
    extra = {
        **MINI,
        "people": [*MINI["people"], {"id": "p-cli", "name": "From CLI", "side": "labor"}],
    }
    import yaml

    (tmp_path / "extra.yaml").write_text(yaml.safe_dump(extra, allow_unicode=True), "utf-8")
    loading = threading.Event()
    loading.set()
    posted: list[str] = []
    try:

        def post(index: int, server: Server) -> None:
            # At least 20 each, and on until the load is over, so the two overlap.
            with httpx.Client(base_url=server.base, timeout=60, headers=ADMIN) as client:
                for i in range(400):
                    if i >= 20 and not loading.is_set():
                        break
                    person = {"id": f"s{index}-{i}", "name": f"Person {index}.{i}", "side": "labor"}
                    res = client.post("/districts/mini/people", json=person)
                    statuses.append(res.status_code)
                    posted.append(person["id"])

        threads = [threading.Thread(target=post, args=(i, s)) for i, s in enumerate(servers)]
        for t in threads:
            t.start()
        load = subprocess.run(
            [sys.executable, "-m", "collabgraph", "load", str(tmp_path / "extra.yaml")],
            env=_env(data), capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        loading.clear()
        for t in threads:
            t.join(timeout=120)
        assert load.returncode == 0, load.stderr
        assert len(posted) >= 40
        assert statuses == [201] * len(posted)
        people = _people(data)
        assert set(people) == MINI_PEOPLE | {"p-cli"} | set(posted)
        assert len(posted) == len(set(posted))
        assert people["s1-7"].name == "Person 1.7"

        # Optimistic concurrency across the two servers: the second writer with the same
        # revision is refused, and the first one's change is what stays.
        a, b = (httpx.Client(base_url=s.base, timeout=60, headers=ADMIN) for s in servers)
        with a, b:
            got = a.get("/districts/mini/people/p-teacher")
            tag = got.headers["etag"]
            row = got.json()
            first = b.put(
                "/districts/mini/people/p-teacher",
                json={**row, "name": "B"},
                headers={"If-Match": tag},
            )
            assert first.status_code == 200, first.text
            assert first.headers["etag"] != tag
            second = a.put(
                "/districts/mini/people/p-teacher",
                json={**row, "name": "A"},
                headers={"If-Match": tag},
            )
            assert second.status_code == 412, second.text
            assert second.headers["etag"] == first.headers["etag"]
            gone = a.delete("/districts/mini/people/p-teacher", headers={"If-Match": tag})
            assert gone.status_code == 412
        assert _people(data)["p-teacher"].name == "B"
    finally:
        for s in servers:
            s.kill()


@dataclass
class Burst:
    """Clients posting people as fast as they are answered, to whichever server is current."""

    base: str
    acked: dict[str, str] = field(default_factory=dict)
    tried: set[str] = field(default_factory=set)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: Answers other than 201 or 503 (none expected).
    unexpected: list[tuple[int, str]] = field(default_factory=list)

    def run(self, worker: int) -> None:
        deadline = time.monotonic() + 120
        i = 0
        while not self.stop.is_set() and time.monotonic() < deadline:
            ident = f"k{worker}-{i}"
            i += 1
            person = {"id": ident, "name": f"Kept {ident}", "side": "labor", "school": "grant-hs"}
            with self.lock:
                self.tried.add(ident)
            try:
                res = httpx.post(
                    f"{self.base}/districts/mini/people", json=person, timeout=30, headers=ADMIN
                )
            except httpx.TransportError:
                time.sleep(0.05)
                continue
            if res.status_code == 201:
                with self.lock:
                    self.acked[ident] = person["name"]
            else:  # 503: the store went away, so not acknowledged
                if res.status_code != 503:
                    self.unexpected.append((res.status_code, res.text))
                time.sleep(0.05)

    def wait_for(self, n: int, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acked) < n:
            assert time.monotonic() < deadline, f"only {len(self.acked)} of {n} edits acknowledged"
            time.sleep(0.02)


def test_kill_9_of_the_api_and_the_store_mid_burst_loses_no_acknowledged_edit(
    data: Path, tmp_path: Path
) -> None:
    server = serve(data, tmp_path / "serve-a.log")
    burst = Burst(server.base)
    workers = [threading.Thread(target=burst.run, args=(w,)) for w in range(3)]
    for w in workers:
        w.start()
    try:
        burst.wait_for(10)
        store_pid = EmbeddedServer(data).pid()
        assert store_pid is not None
        os.kill(store_pid, signal.SIGKILL)  # the embedded redis-server, mid-burst
        burst.wait_for(25)  # the API restarted the store and goes on
        server.kill()  # the API, mid-burst
        server = serve(data, tmp_path / "serve-b.log")
        burst.base = server.base
        burst.wait_for(40)
    finally:
        burst.stop.set()
        for w in workers:
            w.join(timeout=60)
        server.kill()
    # Kill the store once more, with nothing stopped cleanly, then read what it replays.
    pid = EmbeddedServer(data).pid()
    if pid is not None:
        os.kill(pid, signal.SIGKILL)
    assert burst.unexpected == []
    people = _people(data)
    missing = set(burst.acked) - set(people)
    assert not missing, f"acknowledged but lost: {sorted(missing)}"
    for ident, name in burst.acked.items():
        assert people[ident].name == name
    # Nothing torn: every person added is whole (the row and its school), and nothing
    # appeared that nobody sent.
    added = {i: p for i, p in people.items() if i not in MINI_PEOPLE}
    assert set(added) <= burst.tried
    assert {p.school for p in added.values()} == {"grant-hs"}
