"""API fixtures: the real app on a real embedded FalkorDB in a temporary folder."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient

from api.config import Settings
from api.main import create_app
from collabgraph.access import Accounts
from collabgraph.store.embedded import EmbeddedServer
from collabgraph.store.falkor import FalkorStore
from tests.conftest import MINI


@pytest.fixture(scope="session")
def api_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FalkorStore]:
    from falkordb import FalkorDB

    server = EmbeddedServer(tmp_path_factory.mktemp("api-falkor"))
    sock = server.ensure_running()
    store = FalkorStore(FalkorDB(unix_socket_path=str(sock)), server=server)
    yield store
    store.close()
    server.stop()


#: The admin account every API test signs in as.
ADMIN = "admin@example.org"
#: Its password (and every other test account's).
PASSWORD = "correct horse battery"


def app_settings(**changes: Any) -> Settings:
    """Settings for a test app: small limits, and TestClient's host name allowed."""
    base: dict[str, Any] = {
        "max_body_bytes": 64 * 1024,
        "query_timeout_ms": 2000,
        "allowed_hosts": "testserver",
    }
    return Settings(**{**base, **changes})


@pytest.fixture(scope="session")
def admin_token(api_store: FalkorStore) -> str:
    """An API token of the admin account (created once for the session's store)."""
    accounts = Accounts(api_store)
    accounts.add(ADMIN, "admin", PASSWORD)
    return accounts.new_token(ADMIN)


@pytest.fixture(scope="session")
def role_tokens(api_store: FalkorStore, admin_token: str) -> dict[str, str]:
    """An API token per role: the admin, and an association, partner and researcher
    account of the MINI district (``mini``)."""
    accounts = Accounts(api_store)
    tokens = {"admin": admin_token}
    for role in ("association", "partner", "researcher"):
        email = f"{role}@example.org"
        accounts.add(email, role, PASSWORD, ["mini"])
        tokens[role] = accounts.new_token(email)
    return tokens


def bearer(token: str) -> dict[str, str]:
    """The header a script sends."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def client(api_store: FalkorStore, admin_token: str) -> Iterator[TestClient]:
    """A test client signed in as the admin with a bearer token, on an empty store."""
    for district in api_store.list_districts():
        api_store.delete_district(district)
    app = create_app(app_settings(), store=api_store)
    with TestClient(app, headers=bearer(admin_token)) as test_client:
        yield test_client


def mini_yaml(**changes: Any) -> bytes:
    """The MINI workbook as YAML bytes, with top-level sections replaced."""
    doc = {**MINI, **changes}
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()


@pytest.fixture
def loaded(client: TestClient) -> TestClient:
    """A client whose store holds the MINI district."""
    res = client.post("/imports", files={"file": ("mini.yaml", mini_yaml())})
    assert res.status_code == 200, res.text
    return client


def upload(client: TestClient, name: str, data: bytes, **params: Any) -> Any:
    return client.post("/imports", files={"file": (name, data)}, params=params)


def counts(client: TestClient, district: str = "mini") -> dict[str, Any]:
    res = client.get(f"/districts/{district}")
    assert res.status_code == 200, res.text
    body: dict[str, Any] = res.json()["counts"]
    return body


def here() -> Path:
    return Path(__file__).parent


def wait_for_health(
    base: str, proc: subprocess.Popen[Any], why: Callable[[], str], timeout: float = 60.0
) -> None:
    """Wait until a ``collabgraph serve`` process answers ``/health`` with 200.

    Fails the test, with ``why()`` (e.g. the server's output), if the process
    exits first or does not answer within ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            pytest.fail(f"the server exited with {proc.returncode}: {why()}")
        if time.monotonic() > deadline:
            pytest.fail(f"the server did not come up within {timeout:.0f} s: {why()}")
        time.sleep(0.2)


@pytest.fixture
def app_client(api_store: FalkorStore, role_tokens: dict[str, str]) -> Iterator[TestClient]:
    """An anonymous client (each request brings its own token) on a store holding MINI."""
    for district in api_store.list_districts():
        api_store.delete_district(district)
    app = create_app(app_settings(), store=api_store)
    with TestClient(app) as test_client:
        reload_mini(test_client, role_tokens)
        yield test_client


def reload_mini(client: TestClient, tokens: dict[str, str]) -> None:
    res = client.post(
        "/imports",
        params={"replace": "true"},
        files={"file": ("mini.yaml", mini_yaml())},
        headers=bearer(tokens["admin"]),
    )
    assert res.status_code == 200, res.text
