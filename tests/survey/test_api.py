"""The survey over HTTP: the association's routes and the respondent's form (real app, store)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from api.config import Settings
from api.main import create_app
from collabgraph.access import Accounts
from collabgraph.store.falkor import FalkorStore

WAVE = "w1"


PASSWORD = "a long enough password 1"


@pytest.fixture(scope="module")
def admin_token(falkor_store: FalkorStore) -> str:
    accounts = Accounts(falkor_store)
    email = f"admin-{uuid.uuid4().hex[:6]}@example.org"
    accounts.add(email, "admin", PASSWORD)
    return accounts.new_token(email)


@pytest.fixture
def client(falkor_store: FalkorStore, admin_token: str) -> Iterator[TestClient]:
    """Signed in as the admin with a bearer token (the form's routes need no sign-in)."""
    app = create_app(Settings(), store=falkor_store)
    with TestClient(
        app, base_url="http://127.0.0.1:8000", headers={"Authorization": f"Bearer {admin_token}"}
    ) as c:
        yield c


@pytest.fixture
def survey(client: TestClient, golden_district: Callable[..., str]) -> tuple[str, dict[str, str]]:
    district = golden_district()
    res = client.post(f"/districts/{district}/surveys", json={"wave": WAVE})
    assert res.status_code == 201, res.text
    assert res.json()["state"] == "open"
    res = client.post(f"/districts/{district}/surveys/{WAVE}/links")
    assert res.status_code == 200, res.text
    links = {x["id"]: x["link"] for x in res.json()}
    assert sorted(links) == list("abcdef")
    # no COLLABGRAPH_PUBLIC_URL: links on the address the request came in on
    assert all(link.startswith(f"{client.base_url}/s/") for link in links.values()), links
    return district, {k: v.rsplit("/", 1)[1] for k, v in links.items()}


def _role_token(store: FalkorStore, role: str, district: str) -> dict[str, str]:
    accounts = Accounts(store)
    email = f"{role}-{uuid.uuid4().hex[:6]}@example.org"
    accounts.add(email, role, PASSWORD, [district])
    return {"Authorization": f"Bearer {accounts.new_token(email)}"}


def test_the_form_without_javascript_save_come_back_change_submit(
    client: TestClient, survey: tuple[str, dict[str, str]]
) -> None:
    district, tokens = survey
    t = tokens["a"]
    page = client.get(f"/s/{t}")
    assert page.status_code == 200
    html = page.text
    assert html.count("<fieldset") == 6 and "<legend>" in html
    for found in re.findall(r'<(?:select|input)[^>]* id="([^"]+)"', html):
        assert f'for="{found}"' in html, f"no label for {found}"
    assert "http://" not in html.replace("http://127.0.0.1", "") and "https://" not in html
    assert page.headers["referrer-policy"] == "same-origin"
    # the search box sent as a form filters the list (JavaScript off)
    res = client.post(f"/s/{t}", data={"find:q-data": "person b", "action": "search:q-data"},
                      follow_redirects=False)  # fmt: skip
    assert res.status_code == 303
    found = client.get(res.headers["location"]).text
    block = found.split('id="add-q-data"')[1].split("</select>")[0]
    assert re.findall(r'<option value="([^"]+)"', block) == ["b"]
    # pick two names, save, come back
    res = client.post(f"/s/{t}", data={"add:q-data": ["b", "c"], "addfreq:q-data": "weekly",
                                        "action": "save"})  # fmt: skip
    assert res.status_code == 200 and "Your answers are saved" in res.text
    mine = client.get(f"/s/{t}/answers").json()
    assert mine["state"] == "open"
    assert [(a["person"], a["frequency"]) for a in mine["answers"]] == [
        ("b", "weekly"),
        ("c", "weekly"),
    ]
    # change one frequency, remove the other, write someone in, and send
    res = client.post(f"/s/{t}", data={"f:q-data:b": "daily", "f:q-data:c": "weekly",
                                        "rm:q-data": "c", "writein:q-union": "Pat Newcomer",
                                        "action": "submit"})  # fmt: skip
    assert "Thank you" in res.text and "still change them" in res.text
    mine = client.get(f"/s/{t}/answers").json()
    assert mine["state"] == "submitted"
    assert [(a["person"], a["frequency"]) for a in mine["answers"]] == [("b", "daily")]
    assert [w["name"] for w in mine["write_ins"]] == ["Pat Newcomer"]
    # the association sees the status and the write-in
    st = client.get(f"/districts/{district}/surveys/{WAVE}/status").json()
    assert (st["asked"], st["responded"]) == (6, 1)
    assert [w["name"] for w in st["write_ins"]] == ["Pat Newcomer"]
    # the association matches the write-in to a roster person: it counts at the close
    key = st["write_ins"][0]["key"]
    res = client.post(f"/districts/{district}/surveys/{WAVE}/write-ins/{key}",
                      json={"decision": "matched", "person": "f"})  # fmt: skip
    assert res.status_code == 200
    # close: the form says so, a save is refused with 409
    res = client.post(f"/districts/{district}/surveys/{WAVE}/close")
    assert res.json()["ties"] == 2
    closed = client.get(f"/s/{t}")
    assert closed.status_code == 200 and "closed" in closed.text
    res = client.put(f"/s/{t}/answers", json={"answers": []})
    assert res.status_code == 409


def test_json_answers_and_bad_input(client: TestClient, survey: tuple[str, dict[str, str]]) -> None:
    _, tokens = survey
    t = tokens["b"]
    one = {"question": "q-data", "person": "a", "frequency": "monthly"}
    ok = client.put(f"/s/{t}/answers", json={"answers": [one], "submitted": True})
    assert ok.status_code == 200 and ok.json()["state"] == "submitted"
    bad = client.put(f"/s/{t}/answers", json={"answers": [
        {"question": "q-data", "person": "boss", "frequency": "monthly"}]})  # fmt: skip
    assert bad.status_code == 422 and "roster" in bad.json()["detail"]
    bad = client.put(f"/s/{t}/answers", json={"answers": [
        {"question": "q-data", "person": "a", "frequency": "yearly"}]})  # fmt: skip
    assert bad.status_code == 422
    assert client.get(f"/s/{t}/answers").json()["answers"][0]["frequency"] == "monthly"


def test_unknown_and_revoked_links_get_a_plain_page(
    client: TestClient, survey: tuple[str, dict[str, str]]
) -> None:
    district, tokens = survey
    for bad in ("x" * 43, "short", "%2e%2e"):
        res = client.get(f"/s/{bad}")
        assert res.status_code == 404 and "This link does not work" in res.text
        assert res.headers["content-type"].startswith("text/html")
    res = client.post(f"/districts/{district}/surveys/{WAVE}/respondents/c/revoke")
    assert res.status_code == 204
    res = client.get(f"/s/{tokens['c']}")
    assert res.status_code == 404 and "no longer works" in res.text
    assert client.get("/s/assets/survey.js").status_code == 200
    assert client.get("/s/assets/other.js").status_code == 404


def test_association_routes_refuse_bad_requests(
    client: TestClient, survey: tuple[str, dict[str, str]]
) -> None:
    district, _ = survey
    assert client.post(f"/districts/{district}/surveys", json={"wave": WAVE}).status_code == 409
    assert client.get(f"/districts/{district}/surveys/nope").status_code == 404
    assert client.post(f"/districts/{district}/surveys", json={"wave": "a b"}).status_code == 422
    res = client.get(f"/districts/{district}/surveys")
    assert [s["wave"] for s in res.json()] == [WAVE]


def test_who_sees_what(
    client: TestClient, falkor_store: FalkorStore, survey: tuple[str, dict[str, str]]
) -> None:
    district, tokens = survey
    for who in "abcdef":  # everyone answers, so the figures reach k = 5
        one = {"question": "q-data", "person": "a" if who != "a" else "b", "frequency": "weekly"}
        client.put(f"/s/{tokens[who]}/answers", json={"answers": [one], "submitted": True})
    base = f"/districts/{district}/surveys/{WAVE}"
    association = _role_token(falkor_store, "association", district)
    full = client.get(base + "/status", headers=association).json()
    assert full["responded"] == 6 and "not_answered" in full
    assert client.get(base + "/answers", headers=association).status_code == 200
    partner = _role_token(falkor_store, "partner", district)
    agg = client.get(base + "/status", headers=partner)
    assert agg.status_code == 200
    body = agg.json()
    assert "not_answered" not in body and "write_ins" not in body and "Person" not in agg.text
    # two schools of three people each: below k = 5 apart, shown together
    assert body["schools"] == [] and body["smaller_schools"]["asked"] == 6
    assert body["figures"]["response_rate"] == 1.0
    for path in ("/answers", ""):
        assert client.get(base + path, headers=partner).status_code == 403
    assert client.post(base + "/close", headers=partner).status_code == 403
    researcher = _role_token(falkor_store, "researcher", district)
    assert client.get(base + "/answers", headers=researcher).status_code == 403
    # a respondent's link reads its own answers only (there is no other way in)
    mine = client.get(f"/s/{tokens['c']}/answers", headers={}).json()
    assert [a["person"] for a in mine["answers"]] == ["a"]
    # the association's survey actions are in the audit log, without values
    assert client.post(base + "/close", headers=association).status_code == 200
    log = client.get("/audit", params={"limit": 100_000}).json()
    entries = log["entries"] if isinstance(log, dict) else log
    ops = [e["operation"] for e in entries]
    assert any(o.startswith("survey: POST") and o.endswith("/close") for o in ops), ops[-5:]
    assert tokens["a"] not in str(log)


def test_a_form_sent_from_another_site_is_refused(
    client: TestClient, survey: tuple[str, dict[str, str]]
) -> None:
    _, tokens = survey
    t = tokens["d"]
    form = {"add:q-data": ["a"], "action": "submit"}
    elsewhere = {"Origin": "http://elsewhere.example"}
    res = client.post(f"/s/{t}", data=form, headers=elsewhere, follow_redirects=False)
    assert res.status_code == 403
    assert client.get(f"/s/{t}/answers").json()["answers"] == []
