"""Sessions, CSRF, Origin and Host checks, sign-in throttling, passwords, the admin page.

Through FastAPI's test client on the real embedded store; each test signs in
through the sign-in form like a browser does (cookie, then the page's CSRF token).
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from collabgraph.store.falkor import FalkorStore
from tests.api.conftest import ADMIN, PASSWORD, bearer, mini_yaml


def _session(client: TestClient, email: str = ADMIN) -> str:
    """Sign a client in through the form; returns the page's CSRF token."""
    origin = {"Origin": "http://testserver"}
    res = client.post(
        "/signin",
        data={"email": email, "password": PASSWORD, "next": "/"},
        headers=origin,
        follow_redirects=False,
    )
    assert res.status_code == 303, res.text
    cookie = res.headers["set-cookie"]
    assert "HttpOnly" in cookie and "samesite=strict" in cookie.lower()
    page = client.get("/account")
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', page.text)
    assert found, page.text
    return found.group(1)


def test_cookie_writes_need_our_origin_and_the_session_csrf_token(
    app_client: TestClient,
) -> None:
    csrf = _session(app_client)
    files = {"file": ("mini.yaml", mini_yaml())}
    here = {"Origin": "http://testserver"}
    # Reads with the cookie work; a background read by another site does not.
    assert app_client.get("/districts").status_code == 200
    cross = app_client.get("/districts", headers={"Sec-Fetch-Site": "same-site"})
    assert cross.status_code == 403
    refused = [
        app_client.post("/imports", files=files),  # no Origin, no token
        app_client.post("/imports", files=files, headers=here),  # no token
        app_client.post(
            "/imports", files=files, data={"csrf": csrf}, headers={"Origin": "http://evil:1"}
        ),
        app_client.post(
            "/imports", files=files, data={"csrf": csrf}, headers={"Origin": "http://testserver:9"}
        ),
        app_client.post("/imports", files=files, data={"csrf": "0" * 64}, headers=here),
        app_client.delete("/districts/mini", headers={**here, "X-CSRF-Token": "nope"}),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert app_client.get("/districts/mini").status_code == 200  # still there
    ok = app_client.post("/imports", files=files, data={"csrf": csrf}, headers=here)
    assert ok.status_code == 200, ok.text
    referer = app_client.post(
        "/imports",
        files=files,
        headers={"Referer": "http://testserver/", "X-CSRF-Token": csrf},
    )
    assert referer.status_code == 200, referer.text
    # Signing out kills the session everywhere: the old cookie no longer opens anything.
    old = app_client.cookies.get("collabgraph_session")
    out = app_client.post("/signout", data={"csrf": csrf}, headers=here, follow_redirects=False)
    assert out.status_code == 303
    app_client.cookies.set("collabgraph_session", old or "")
    assert app_client.get("/districts").status_code == 401


def test_the_host_header_is_checked(app_client: TestClient) -> None:
    res = app_client.get("/health", headers={"Host": "rebind.attacker.example"})
    assert res.status_code == 400
    assert app_client.get("/health", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_sign_in_is_throttled_per_account(app_client: TestClient, api_store: FalkorStore) -> None:
    from collabgraph.access import Accounts

    Accounts(api_store).add("slow@example.org", "partner", PASSWORD, ["mini"])
    here = {"Origin": "http://testserver"}
    for _ in range(5):
        res = app_client.post(
            "/signin",
            data={"email": "slow@example.org", "password": "wrong password"},
            headers=here,
        )
        assert res.status_code == 401
    blocked = app_client.post(
        "/signin", data={"email": "slow@example.org", "password": PASSWORD}, headers=here
    )
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    assert "set-cookie" not in blocked.headers


def test_a_password_change_ends_other_sessions(
    app_client: TestClient, api_store: FalkorStore
) -> None:
    from collabgraph.access import Accounts

    Accounts(api_store).add("changer@example.org", "partner", PASSWORD, ["mini"])
    csrf = _session(app_client, "changer@example.org")
    here = {"Origin": "http://testserver"}
    res = app_client.post(
        "/account/password",
        data={
            "csrf": csrf,
            "current": PASSWORD,
            "password": "a new long password",
            "again": "a new long password",
        },
        headers=here,
        follow_redirects=False,
    )
    assert res.status_code == 303, res.text
    assert Accounts(api_store).verify("changer@example.org", PASSWORD) is None
    assert Accounts(api_store).verify("changer@example.org", "a new long password") is not None
    blank = app_client.post(
        "/account/password",
        data={
            "csrf": _csrf(app_client),
            "current": "a new long password",
            "password": "          ",
            "again": "          ",
        },
        headers=here,
    )
    assert blank.status_code == 422 and "empty or only spaces" in blank.text


def _csrf(client: TestClient) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/account").text)
    assert found
    return found.group(1)


def test_the_admin_page_adds_accounts_and_shows_a_token_once(app_client: TestClient) -> None:
    csrf = _session(app_client)
    here = {"Origin": "http://testserver"}
    added = app_client.post(
        "/admin/users",
        data={
            "csrf": csrf,
            "email": "new-partner@example.org",
            "role": "partner",
            "districts": "mini, other",
            "password": PASSWORD,
        },
        headers=here,
    )
    assert added.status_code == 200, added.text
    assert 'data-account="new-partner@example.org"' in added.text
    blank = app_client.post(
        "/admin/users",
        data={"csrf": csrf, "email": "x@example.org", "role": "admin", "password": "   "},
        headers=here,
    )
    assert blank.status_code == 422 and "empty or only spaces" in blank.text
    token = app_client.post(
        "/admin/users/token", data={"csrf": csrf, "email": "new-partner@example.org"}, headers=here
    )
    shown = re.search(r'id="new-token">(cgt_[^<]+)<', token.text)
    assert shown, token.text
    me = app_client.get("/districts", headers=bearer(shown.group(1)))
    assert [d["id"] for d in me.json()["districts"]] == ["mini"]
    assert shown.group(1) not in app_client.get("/admin").text  # shown once
    # the whole log (the session's store holds more than the default 1,000 oldest entries)
    log = app_client.get("/audit", params={"limit": 100_000}, headers={"X-CSRF-Token": csrf}).json()
    assert [e["operation"] for e in log if e["operation"].startswith("users")][-2:] == [
        "users: POST /admin/users",
        "users: POST /admin/users/token",
    ]
