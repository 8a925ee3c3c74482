"""Who may see and change what, through the real app on the real embedded store.

The role-by-operation matrix is generated from the OpenAPI document: every
operation, every role and no session at all, against a hand-written table of
who may do what (design §8). An operation missing from the table fails the
test, and so does a route the access rules do not know.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.policy import POLICY
from collabgraph.store.falkor import FalkorStore
from tests.api.conftest import app_settings, bearer, mini_yaml, reload_mini
from tests.conftest import MINI

A, S, P, R = "admin", "association", "partner", "researcher"
EVERY = frozenset({A, S, P, R})
NAMED = frozenset({A, S})
STRUCTURE = frozenset({A, S, P})
QUERY = frozenset({A, S, R})
PUBLIC = None

#: Who may call each operation of the API (None: anyone, signed in or not).
EXPECTED: dict[tuple[str, str], frozenset[str] | None] = {
    ("GET", "/health"): PUBLIC,
    ("GET", "/districts"): EVERY,
    ("GET", "/districts/{district}"): EVERY,
    ("DELETE", "/districts/{district}"): frozenset({A}),
    ("GET", "/districts/{district}/graph"): QUERY,
    ("POST", "/imports"): NAMED,
    ("GET", "/districts/{district}/people/{key}/export"): NAMED,
    ("POST", "/districts/{district}/people/{key}/erase"): NAMED,
    ("GET", "/districts/{district}/analyses/network"): EVERY,
    ("GET", "/districts/{district}/analyses/gaps"): STRUCTURE,
    ("GET", "/districts/{district}/analyses/counterparts"): STRUCTURE,
    ("GET", "/districts/{district}/worksheets/structure"): STRUCTURE,
    ("GET", "/districts/{district}/worksheets/standing-meetings"): STRUCTURE,
    ("GET", "/districts/{district}/export/workbook"): NAMED,
    ("GET", "/districts/{district}/export/graph"): QUERY,
    ("GET", "/queries"): EVERY,
    ("POST", "/queries/run"): QUERY,
    ("POST", "/queries/{name}"): QUERY,
    ("GET", "/template"): EVERY,
    ("GET", "/districts/{district}/views/{kind}"): STRUCTURE,
    ("GET", "/audit"): frozenset({A}),
    ("PUT", "/districts/{district}/grants/structure"): NAMED,
    # tie surveys: names for the association; a partner or researcher gets aggregates
    ("GET", "/districts/{district}/surveys"): EVERY,
    ("POST", "/districts/{district}/surveys"): NAMED,
    ("GET", "/districts/{district}/surveys/{wave}"): NAMED,
    ("PUT", "/districts/{district}/surveys/{wave}"): NAMED,
    ("GET", "/districts/{district}/surveys/{wave}/status"): EVERY,
    ("POST", "/districts/{district}/surveys/{wave}/links"): NAMED,
    ("POST", "/districts/{district}/surveys/{wave}/respondents/{person}/revoke"): NAMED,
    ("GET", "/districts/{district}/surveys/{wave}/answers"): NAMED,
    ("POST", "/districts/{district}/surveys/{wave}/write-ins/{key}"): NAMED,
    ("POST", "/districts/{district}/surveys/{wave}/close"): NAMED,
    ("POST", "/districts/{district}/surveys/{wave}/reopen"): NAMED,
}
#: A key that exists in MINI, per section.
KEYS = {
    "people": "p-teacher",
    "positions": "rep-grant",
    "teams": "sped-cmte",
    "memberships": "p-teacher@sped-cmte",
    "meetings": "supt-pres",
    "counterparts": "supt~president",
    "ties": "p-pres>p-rep1||",
}
for _section in KEYS:
    _read = NAMED if _section == "ties" else STRUCTURE
    EXPECTED[("GET", f"/districts/{{district}}/{_section}")] = _read
    EXPECTED[("GET", f"/districts/{{district}}/{_section}/{{key}}")] = _read
    EXPECTED[("POST", f"/districts/{{district}}/{_section}")] = NAMED
    EXPECTED[("PUT", f"/districts/{{district}}/{_section}/{{key}}")] = NAMED
    EXPECTED[("DELETE", f"/districts/{{district}}/{_section}/{{key}}")] = NAMED

#: The dashboard's pages (outside the OpenAPI document).
PAGES: dict[tuple[str, str], frozenset[str] | None] = {
    ("GET", "/"): EVERY,
    ("GET", "/d/{district}"): STRUCTURE,
    ("GET", "/d/{district}/report"): STRUCTURE,
    ("POST", "/example"): NAMED,
    ("GET", "/admin"): frozenset({A}),
    ("GET", "/account"): EVERY,
    ("GET", "/docs"): EVERY,
    ("GET", "/openapi.json"): EVERY,
    ("GET", "/signin"): PUBLIC,
    ("GET", "/s/{token}"): PUBLIC,
    ("POST", "/s/{token}"): PUBLIC,
    ("GET", "/s/assets/{name}"): PUBLIC,
    # the survey's pages: the association runs it; a partner sees a wave's aggregates
    ("GET", "/d/{district}/surveys"): NAMED,
    ("POST", "/d/{district}/surveys"): NAMED,
    ("GET", "/d/{district}/surveys/{wave}"): STRUCTURE,
    ("POST", "/d/{district}/surveys/{wave}/links"): NAMED,
    ("POST", "/d/{district}/surveys/{wave}/close"): NAMED,
    ("POST", "/d/{district}/surveys/{wave}/reopen"): NAMED,
    ("POST", "/d/{district}/surveys/{wave}/write-ins/{key}"): NAMED,
    ("GET", "/d/{district}/surveys/{wave}/answers.csv"): NAMED,
}


def _url(path: str) -> str:
    section = next((s for s in KEYS if f"/{s}/{{key}}" in path), "people")
    return (
        path.replace("{district}", "mini")
        .replace("{key}", KEYS[section])
        .replace("{kind}", "network")
        .replace("{name}", "reps_with_no_ties")
    )


def _call(client: TestClient, method: str, path: str, token: str | None) -> Any:
    headers = bearer(token) if token else {}
    url = _url(path)
    if path == "/imports":
        return client.post(url, files={"file": ("mini.yaml", mini_yaml())}, headers=headers)
    if path == "/queries/run":
        body = {"district": "mini", "query": "MATCH (n) RETURN count(n) AS n"}
        return client.post(url, json=body, headers=headers)
    if path == "/queries/{name}":
        return client.post(url, json={"district": "mini"}, headers=headers)
    if path.endswith("/grants/structure"):
        body = {"email": "partner@example.org", "granted": False}
        return client.put(url, json=body, headers=headers)
    if method in ("POST", "PUT"):
        return client.request(method, url, json={}, headers=headers, follow_redirects=False)
    return client.request(method, url, headers=headers, follow_redirects=False)


def test_every_operation_has_a_rule_and_an_expected_row(
    app_client: TestClient, role_tokens: dict[str, str]
) -> None:
    schema = app_client.get("/openapi.json", headers=bearer(role_tokens[A])).json()
    operations = {(m.upper(), p) for p, ms in schema["paths"].items() for m in ms}
    assert operations == set(EXPECTED), operations ^ set(EXPECTED)
    assert operations <= set(POLICY)
    assert set(PAGES) <= set(POLICY)
    # the dashboard's pages are outside the schema: every route the app serves has a rule too
    from fastapi.routing import APIRoute

    served = {
        (m, r.path)
        for r in app_client.app.routes  # type: ignore[attr-defined]
        if isinstance(r, APIRoute)
        for m in r.methods - {"HEAD"}
    }
    assert served <= set(POLICY), served - set(POLICY)


@pytest.fixture(scope="module")
def matrix_client(api_store: FalkorStore, role_tokens: dict[str, str]) -> Iterator[TestClient]:
    """One app for the whole matrix: MINI is loaded again after every write that went through."""
    for district in api_store.list_districts():
        api_store.delete_district(district)
    app = create_app(app_settings(), store=api_store)
    with TestClient(app) as test_client:
        reload_mini(test_client, role_tokens)
        yield test_client


@pytest.mark.parametrize("operation", sorted({**EXPECTED, **PAGES}), ids=" ".join)
def test_role_by_operation_matrix(
    matrix_client: TestClient, role_tokens: dict[str, str], operation: tuple[str, str]
) -> None:
    app_client = matrix_client
    if app_client.get("/districts/mini", headers=bearer(role_tokens[A])).status_code != 200:
        reload_mini(app_client, role_tokens)  # another test emptied the shared store
    method, path = operation
    allowed = {**EXPECTED, **PAGES}[operation]
    for role in (None, A, S, P, R):
        token = role_tokens[role] if role else None
        res = _call(app_client, method, path, token)
        who = role or "no session"
        if allowed is None:
            assert res.status_code not in (401, 403), (who, res.status_code, res.text[:300])
        elif role is None:
            page = operation in PAGES and path not in ("/openapi.json",)
            assert res.status_code == (303 if page else 401), (who, res.status_code)
        elif role in allowed:
            assert res.status_code not in (401, 403), (who, res.status_code, res.text[:300])
            assert res.status_code < 500, (who, res.text[:300])
        else:
            assert res.status_code == 403, (who, res.status_code, res.text[:300])
        if method != "GET" and 200 <= res.status_code < 300:
            reload_mini(app_client, role_tokens)  # a write went through: start again


def test_an_unknown_district_names_only_the_callers_districts(
    app_client: TestClient, role_tokens: dict[str, str]
) -> None:
    other = mini_yaml(district={**MINI["district"], "id": "secret-district"})
    res = app_client.post(
        "/imports", files={"file": ("o.yaml", other)}, headers=bearer(role_tokens[A])
    )
    assert res.status_code == 200, res.text
    for role in (S, P, R):
        headers = bearer(role_tokens[role])
        listed = app_client.get("/districts", headers=headers).json()["districts"]
        assert [d["id"] for d in listed] == ["mini"]
        nowhere = app_client.get("/districts/nowhere", headers=headers)
        hidden = app_client.get("/districts/secret-district", headers=headers)
        assert nowhere.status_code == hidden.status_code == 404, role
        assert "secret-district" not in nowhere.text, (role, nowhere.text)
        # A district that exists but is not theirs looks exactly like one that does not.
        assert hidden.json()["detail"] == nowhere.json()["detail"].replace(
            "'nowhere'", "'secret-district'"
        )
        run = app_client.post(
            "/queries/run",
            json={"district": "secret-district", "query": "MATCH (n) RETURN count(n) AS n"},
            headers=headers,
        )
        assert run.status_code in (403, 404), run.text
        assert "among the districts you may see" in run.text or run.status_code == 403
    # The association may not write the other district either.
    res = app_client.post(
        "/imports", files={"file": ("o.yaml", other)}, headers=bearer(role_tokens[S])
    )
    assert res.status_code in (403, 404), res.text
    admin = app_client.get("/districts/nowhere", headers=bearer(role_tokens[A]))
    assert "secret-district" in admin.json()["detail"]  # an admin sees everything


def _names() -> list[str]:
    return [p["name"] for p in MINI["people"]]


def _ids() -> list[str]:
    return [p["id"] for p in MINI["people"]]


def test_a_partner_sees_no_person_level_network(
    app_client: TestClient, role_tokens: dict[str, str]
) -> None:
    headers = bearer(role_tokens[P])
    network = app_client.get("/districts/mini/analyses/network", headers=headers)
    assert network.status_code == 200
    body = network.json()
    assert body["min_group"] == 5 and "people" in body
    assert "isolates" not in body and "brokers" not in body and "betweenness" not in body
    text = network.text
    for name in _names():
        assert name not in text
    for ident in _ids():
        assert ident not in text
    view = app_client.get("/districts/mini/views/network", headers=headers).text
    for name in _names():
        assert json.dumps(name)[1:-1] not in view and name not in view
    for path in (
        "/districts/mini/ties",
        "/districts/mini/graph",
        "/districts/mini/export/graph",
        "/districts/mini/export/workbook",
    ):
        assert app_client.get(path, headers=headers).status_code == 403, path
    query = {"district": "mini", "query": "MATCH (p:Person) RETURN p.name AS name"}
    assert app_client.post("/queries/run", json=query, headers=headers).status_code == 403
    # The joint structure is there in full.
    assert app_client.get("/districts/mini/analyses/gaps", headers=headers).status_code == 200
    sheet = app_client.get("/districts/mini/worksheets/structure", headers=headers)
    assert sheet.status_code == 200


def test_a_researcher_gets_no_name_and_no_raw_id(
    app_client: TestClient, role_tokens: dict[str, str]
) -> None:
    headers = bearer(role_tokens[R])
    outputs = []
    query = {
        "district": "mini",
        "query": "MATCH (p:Person) OPTIONAL MATCH (p)-[t:TIE]->(q:Person) "
        "RETURN p.id AS id, p.name AS name, q.id AS other",
    }
    run = app_client.post("/queries/run", json=query, headers=headers)
    assert run.status_code == 200, run.text
    rows = run.json()["rows"]
    assert len({r["id"] for r in rows}) == len(MINI["people"])
    assert all(r["id"].startswith("px-") and r["name"] is None for r in rows)
    outputs.append(run.text)
    named = app_client.post(
        "/queries/reps_with_no_ties", json={"district": "mini"}, headers=headers
    )
    assert named.status_code == 200, named.text
    outputs.append(named.text)
    for path in (
        "/districts/mini/analyses/network",
        "/districts/mini/graph",
        "/districts/mini/export/graph?format=graphml",
        "/districts/mini/export/graph?format=nodes-csv",
        "/districts/mini/export/graph?format=edges-csv",
    ):
        res = app_client.get(path, headers=headers)
        assert res.status_code == 200, (path, res.text)
        outputs.append(res.text)
    for text in outputs:
        for name in _names():
            assert name not in text
        for ident in _ids():
            assert not re.search(rf"(?<![\w-]){re.escape(ident)}(?![\w-])", text), ident
    # Stable pseudonyms: the same person has the same one in the query and in the export.
    some = rows[0]["id"]
    assert some in outputs[-2]
    # A write through the query path is still refused on the projection.
    write = {"district": "mini", "query": "CREATE (n:Person {name: 'x'}) RETURN n"}
    assert app_client.post("/queries/run", json=write, headers=headers).status_code == 400


def test_writes_and_sign_ins_are_audited_without_values(
    app_client: TestClient, role_tokens: dict[str, str]
) -> None:
    headers = bearer(role_tokens[S])
    person = {"id": "p-new", "name": "Ada Audited", "side": "labor"}
    assert (
        app_client.post("/districts/mini/people", json=person, headers=headers).status_code == 201
    )
    export = app_client.get("/districts/mini/people/p-new/export", headers=headers)
    assert export.status_code == 200 and export.json()["person"]["name"] == "Ada Audited"
    log = app_client.get("/audit", headers=bearer(role_tokens[A]))
    assert log.status_code == 200
    entries = log.json()
    ops = [(e["who"], e["operation"], e["district"]) for e in entries]
    assert ("association@example.org", "write: POST /districts/{district}/people", "mini") in ops
    assert any(o.startswith("person-export") for _, o, _ in ops)
    assert any(
        e["operation"] == "write: POST /imports" and e["district"] == "mini" for e in entries
    )
    assert "Ada Audited" not in log.text and "p-new" not in log.text
    # The person's export lists the audit entries about them (found by pseudonym).
    again = app_client.get("/districts/mini/people/p-new/export", headers=headers).json()
    assert any(e["operation"].startswith("person-export") for e in again["audit"])
    assert app_client.get("/audit", headers=headers).status_code == 403


def test_an_erasure_through_the_api_drops_the_person_everywhere(
    app_client: TestClient, role_tokens: dict[str, str]
) -> None:
    headers = bearer(role_tokens[S])
    # Warm the caches that hold the person: rows, analyses, views.
    assert app_client.get("/districts/mini/people/p-rep1", headers=headers).status_code == 200
    view = app_client.get("/districts/mini/views/network", headers=headers).text
    assert "山田 太郎" in view or "\\u5c71\\u7530" in view.lower()
    erased = app_client.post("/districts/mini/people/p-rep1/erase", headers=headers)
    assert erased.status_code == 200, erased.text
    assert erased.json()["files_rewritten"] is True and erased.json()["ties"] == 3
    assert app_client.get("/districts/mini/people/p-rep1", headers=headers).status_code == 404
    for path in ("/districts/mini/analyses/network", "/districts/mini/export/workbook"):
        assert "山田 太郎" not in app_client.get(path, headers=headers).text, path
    view = app_client.get("/districts/mini/views/network", headers=headers).text
    assert "山田 太郎" not in view and "\\u5c71\\u7530" not in view.lower()
    again = app_client.post("/districts/mini/people/p-rep1/erase", headers=headers)
    assert again.status_code == 404


def test_a_page_the_role_may_not_open_says_so_in_html(
    app_client: TestClient, role_tokens: dict[str, str]
) -> None:
    res = app_client.get("/admin", headers=bearer(role_tokens[P]))
    assert res.status_code == 403 and res.headers["content-type"].startswith("text/html")
    assert "Not for this account" in res.text
    hidden = app_client.get("/d/secret-district", headers=bearer(role_tokens[P]))
    assert hidden.status_code == 404 and "text/html" in hidden.headers["content-type"]
    assert 'id="upload"' not in app_client.get("/", headers=bearer(role_tokens[P])).text


def test_a_partner_changes_the_joint_structure_only_when_granted(
    app_client: TestClient, role_tokens: dict[str, str]
) -> None:
    partner, association = bearer(role_tokens[P]), bearer(role_tokens[S])
    team = {
        "id": "joint-cmte",
        "name": "Joint Committee",
        "kind": "working_committee",
        "level": "district",
    }
    assert app_client.post("/districts/mini/teams", json=team, headers=partner).status_code == 403
    grant = {"email": "partner@example.org", "granted": True}
    res = app_client.put("/districts/mini/grants/structure", json=grant, headers=association)
    assert res.status_code == 200 and res.json()["structure"] == ["mini"], res.text
    try:
        made = app_client.post("/districts/mini/teams", json=team, headers=partner)
        assert made.status_code == 201, made.text
        meeting = app_client.delete("/districts/mini/meetings/supt-pres", headers=partner)
        assert meeting.status_code == 204, meeting.text
        # Still nothing of the association's own rows.
        person = {"id": "p-x", "name": "X", "side": "labor"}
        assert (
            app_client.post("/districts/mini/people", json=person, headers=partner).status_code
            == 403
        )
        tie = {"source": "p-pres", "target": "p-rep2"}
        assert app_client.post("/districts/mini/ties", json=tie, headers=partner).status_code == 403
        # Only partner accounts are granted anything.
        other = {"email": "researcher@example.org", "granted": True}
        wrong = app_client.put("/districts/mini/grants/structure", json=other, headers=association)
        assert wrong.status_code == 422 and "only partner accounts" in wrong.text
        assert (
            app_client.put(
                "/districts/mini/grants/structure", json=grant, headers=partner
            ).status_code
            == 403
        )
    finally:
        grant["granted"] = False
        app_client.put("/districts/mini/grants/structure", json=grant, headers=association)
    again = app_client.delete("/districts/mini/teams/joint-cmte", headers=partner)
    assert again.status_code == 403


def _on_disk(folder: Path, needle: bytes) -> bool:
    return any(
        needle in f.read_bytes() for f in folder.rglob("*") if f.is_file() and not f.is_socket()
    )


def test_deleting_a_person_removes_the_name_from_disk(
    app_client: TestClient, role_tokens: dict[str, str], api_store: FalkorStore
) -> None:
    assert api_store.server is not None
    folder = api_store.server.data_dir
    headers = bearer(role_tokens[S])
    person = {"id": "p-gone", "name": "Quillon Vantreese", "side": "labor"}
    assert (
        app_client.post("/districts/mini/people", json=person, headers=headers).status_code == 201
    )
    assert _on_disk(folder, b"Quillon Vantreese")
    assert app_client.delete("/districts/mini/people/p-gone", headers=headers).status_code == 204
    assert not _on_disk(folder, b"Quillon Vantreese")
    assert not _on_disk(folder, b"p-gone")


def test_a_partner_always_gets_the_report_that_names_no_one(
    app_client: TestClient, role_tokens: dict[str, str], api_store: FalkorStore
) -> None:
    from collabgraph.access import Accounts
    from tests.conftest import EXAMPLES

    small = (EXAMPLES / "small-district.yaml").read_bytes()
    res = app_client.post(
        "/imports", files={"file": ("small.yaml", small)}, headers=bearer(role_tokens[A])
    )
    assert res.status_code == 200, res.text
    accounts = Accounts(api_store)
    accounts.add(
        "lakeside-partner@example.org", "partner", "correct horse battery", ["lakeside-usd"]
    )
    partner = bearer(accounts.new_token("lakeside-partner@example.org"))
    named = app_client.get(
        "/d/lakeside-usd/report",
        params={"audience": "association"},
        headers=bearer(role_tokens[A]),
    )
    assert "Gabriel Ruiz" in named.text  # the association's copy names the isolated rep
    asked = app_client.get(
        "/d/lakeside-usd/report", params={"audience": "association"}, headers=partner
    )
    assert asked.status_code == 200, asked.text[:300]
    assert "Gabriel Ruiz" not in asked.text


def test_a_partner_sees_no_density_of_a_network_under_k_people(
    app_client: TestClient, role_tokens: dict[str, str]
) -> None:
    association = app_client.get("/districts/mini/analyses/network", headers=bearer(role_tokens[S]))
    n = association.json()["observed"]["n"]
    assert 2 <= n < 5  # the mini district's natural network is smaller than k = 5
    density = association.json()["observed"]["density"]
    shown = f"{density:.2f}"
    for role, withheld in ((S, False), (A, False), (P, True)):
        for path in ("/", "/d/mini"):
            page = app_client.get(path, headers=bearer(role_tokens[role]))
            assert page.status_code == 200, (role, path)
            assert ("withheld: fewer than 5 association people" in page.text) is withheld
            if not withheld:
                assert shown in page.text, (role, path)


def test_a_partner_is_offered_no_download_it_may_not_have(
    app_client: TestClient, role_tokens: dict[str, str]
) -> None:
    for role, offered in ((S, True), (P, False)):
        page = app_client.get("/d/mini", headers=bearer(role_tokens[role])).text
        assert ("/export/workbook" in page) is offered and ("/export/graph" in page) is offered
        assert "/worksheets/structure?format=csv" in page  # the joint structure, for both
