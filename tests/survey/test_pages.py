"""The association's survey pages on the dashboard (real app, real embedded store).

The browser walk-through is in ``tests/survey/test_dashboard_browser.py``; these tests drive
every page and form through FastAPI's test client, bad input included.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.config import Settings
from api.main import create_app
from collabgraph.access import Accounts, Audit
from collabgraph.store.falkor import FalkorStore
from tests.api.test_pages import text_of

PASSWORD = "a long enough password 1"
WAVE = "w1"


def _token(store: FalkorStore, role: str, districts: list[str]) -> dict[str, str]:
    accounts = Accounts(store)
    email = f"{role}-{uuid.uuid4().hex[:6]}@example.org"
    accounts.add(email, role, PASSWORD, districts)
    return {"Authorization": f"Bearer {accounts.new_token(email)}"}


@pytest.fixture
def district(golden_district: Callable[..., str]) -> str:
    return golden_district()


@pytest.fixture
def app(falkor_store: FalkorStore) -> Any:
    return create_app(Settings(), store=falkor_store)


@pytest.fixture
def leader(app: Any, falkor_store: FalkorStore, district: str) -> Iterator[TestClient]:
    """The association's leader of the golden district (a bearer token: no CSRF needed)."""
    headers = _token(falkor_store, "association", [district])
    with TestClient(app, base_url="http://127.0.0.1:8000", headers=headers) as c:
        yield c


def _create(client: TestClient, district: str, **fields: Any) -> Any:
    data = {"wave": WAVE, "respondents": "reps", "roster": "association", **fields}
    return client.post(f"/d/{district}/surveys", data=data, follow_redirects=False)


def _links(client: TestClient, district: str, **fields: str) -> Any:
    return client.post(f"/d/{district}/surveys/{WAVE}/links", data=fields, follow_redirects=False)


def _tokens(csv_text: str) -> dict[str, str]:
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    return {r["name"]: r["link"].rsplit("/", 1)[1] for r in rows}


@pytest.mark.parametrize(
    ("fields", "named", "status"),
    [
        ({"wave": "fall 2026!"}, "Wave label: use letters, digits", 422),
        ({"wave": ""}, "Wave label", 422),
        ({"max_names": "many"}, "Names per question: give a whole number", 422),
        ({"max_names": "0"}, "Names per question", 422),
        ({"opens": "2026-10-01", "closes": "2026-09-01"}, "Closes on: closes (2026-09-01)", 422),
        ({"opens": "tomorrow"}, "Opens on: give a date as YYYY-MM-DD", 422),
        ({"respondents": "list"}, "People to ask: choose at least one person", 422),
        ({"respondents": "list", "people": ["nobody"]}, "Who is asked: respondent ids", 422),
        ({"respondents": "everyone"}, "Who is asked", 422),
        ({"respondents": "officers"}, "Who is asked: nobody to ask", 422),  # no officers
        ({"intro": "x" * 4001}, "Introduction", 422),
    ],
)
def test_bad_form_input_names_the_field_and_writes_nothing(
    leader: TestClient, district: str, fields: dict[str, Any], named: str, status: int
) -> None:
    res = _create(leader, district, **fields)
    assert res.status_code == status, res.text[:500]
    assert res.headers["content-type"].startswith("text/html")
    assert named in text_of(res.text), text_of(res.text)[:800]
    assert "Nothing was created" in res.text
    assert leader.get(f"/districts/{district}/surveys").json() == []
    for value in fields.values():  # what was typed is kept in the form
        if isinstance(value, str) and value and value not in ("list", "everyone", "officers"):
            assert value[:200] in res.text


def test_texts_at_their_limit_are_taken_whole(leader: TestClient, district: str) -> None:
    """The intro and the consent take 4,000 characters each (4,001 is refused above); the
    form field's own cap (20,000) is checked before the form is read."""
    intro, consent = "i" * 4000, "c" * 4000
    made = _create(leader, district, intro=intro, consent=consent)
    assert made.status_code == 303, made.text[:500]
    survey = leader.get(f"/districts/{district}/surveys/{WAVE}").json()
    assert (survey["spec"]["intro"], survey["spec"]["consent"]) == (intro, consent)
    huge = _create(leader, district, wave="w2", intro="x" * 20_001)
    assert huge.status_code == 422
    assert len(leader.get(f"/districts/{district}/surveys").json()) == 1  # w2 not made


def test_a_leader_runs_a_wave_from_the_pages(
    leader: TestClient, falkor_store: FalkorStore, district: str
) -> None:
    form = leader.get(f"/d/{district}/surveys")
    assert form.status_code == 200 and "Building representatives" in form.text
    assert "(6 people)" in form.text  # six reps
    made = _create(leader, district, intro="Five minutes.", max_names="5")
    assert made.status_code == 303, made.text[:500]
    assert made.headers["location"] == f"/d/{district}/surveys/{WAVE}"
    assert _create(leader, district).status_code == 409  # the same wave again
    page = leader.get(made.headers["location"])
    assert page.status_code == 200
    assert 'id="state">draft' in page.text and "6 people to ask" in page.text
    assert "Nobody has a link yet" in page.text and "not made yet" in page.text
    listed = leader.get(f"/d/{district}")
    assert re.search(r'data-wave="w1">.*?draft', listed.text, re.S)

    # open: make the links (the CSV for a mail merge)
    res = _links(leader, district, format="csv")
    assert res.status_code == 200 and res.headers["cache-control"] == "no-store"
    assert res.headers["content-disposition"].endswith('-w1-links.csv"')
    tokens = _tokens(res.text)
    assert sorted(tokens) == [f"Person {c}" for c in "ABCDEF"]
    assert "open" in leader.get(f"/d/{district}/surveys/{WAVE}").text
    again = _links(leader, district, format="csv")  # would kill the links just sent
    assert again.status_code == 422 and "Replace the links" in again.text

    # the golden answers: a names b, c; b names a; c names e; d names a, b (e, f do not answer)
    named = {"A": "bc", "B": "a", "C": "e", "D": "ab"}
    for who, people in named.items():
        body = {
            "answers": [{"question": "q-data", "person": p, "frequency": "weekly"} for p in people],
            "write_ins": [{"question": "q-union", "name": "Sam Sub", "frequency": "daily"}]
            if who == "A"
            else [],
            "submitted": True,
        }
        assert leader.put(f"/s/{tokens['Person ' + who]}/answers", json=body).status_code == 200
    page = leader.get(f"/d/{district}/surveys/{WAVE}", params={"under": "60"})
    text = text_of(page.text)
    assert "67% 4 of 6 people asked have sent their answers" in text
    for label, value in [
        ("Density among respondents", "0.67"),
        ("Density among everyone rostered", "0.33"),
        ("Named by one side only", "75%"),
        ("Named back", "0.40"),
    ]:
        assert f"{label} {value}" in text, label
    assert "Under 60%: South School (33%)" in text  # d of d, e, f answered
    assert re.search(r"Not answered yet \(2\) .* Person E South School active Person F", text)
    # the write-in: a bad match names the field, then a good one
    key = re.search(r'data-write-in="([0-9a-f]+)"', page.text)
    assert key and "Sam Sub" in text
    url = f"/d/{district}/surveys/{WAVE}/write-ins/{key.group(1)}"
    bad = leader.post(url, data={"decision": "matched", "person": "boss"})  # not on the roster
    assert bad.status_code == 422 and "Match to: 'boss' is not on the roster" in text_of(bad.text)
    bad = leader.post(url, data={"decision": "matched"})
    assert bad.status_code == 422 and "Match to: choose the roster person" in bad.text
    gone = leader.post(url[:-4] + "0000", data={"decision": "discarded"})
    assert gone.status_code == 404 and "Write-in: no write-in" in text_of(gone.text)
    ok = leader.post(url, data={"decision": "matched", "person": "f"}, follow_redirects=False)
    assert ok.status_code == 303
    page = leader.get(ok.headers["location"])
    assert "Write-in matched to Person F" in page.text and "Matched to Person F" in page.text

    # the answers CSV, then close: the flash says how many ties
    answers = leader.get(f"/d/{district}/surveys/{WAVE}/answers.csv")
    assert answers.status_code == 200
    assert len(answers.text.strip().splitlines()) == 1 + 6
    closed = leader.post(f"/d/{district}/surveys/{WAVE}/close", follow_redirects=False)
    assert closed.status_code == 303
    page = leader.get(closed.headers["location"])
    assert "7 ties of wave w1 are now in the district" in page.text  # 6 answers + the match
    assert 'id="state">closed' in page.text and "Reopen the survey" in page.text
    late = _links(leader, district, format="csv", replace="true")
    assert late.status_code == 409 and "the survey is closed" in late.text
    again = leader.post(f"/d/{district}/surveys/{WAVE}/close", follow_redirects=False)
    assert "was already closed" in leader.get(again.headers["location"]).text
    # the printed report flags the schools under the leader's threshold
    report = text_of(leader.get(f"/d/{district}/report", params={"threshold": "0.6"}).text)
    assert "under 60% response: South School" in report
    report = text_of(leader.get(f"/d/{district}/report", params={"threshold": "0.3"}).text)
    assert "South School" in report and "under 30% response" not in report
    assert leader.get(f"/d/{district}/report", params={"threshold": "1.5"}).status_code == 422
    reopened = leader.post(f"/d/{district}/surveys/{WAVE}/reopen", follow_redirects=False)
    assert 'id="state">open' in leader.get(reopened.headers["location"]).text

    # reminders: new links for those who have not answered only
    res = _links(leader, district, format="sheet", who="unanswered", replace="true")
    assert res.status_code == 200 and res.text.count('class="slip"') == 2
    assert "default-src 'none'" in res.headers["content-security-policy"]

    # the audit log has every action of the pages (never the answers)
    ops = [e.operation for e in Audit(falkor_store).entries(district=district)]
    for op in ("POST /d/{district}/surveys", "/links", "/write-ins/{key}", "/close", "/reopen"):
        assert any(o.startswith("survey: ") and o.endswith(op) for o in ops), (op, ops)
    assert f"export: GET /d/{{district}}/surveys/{WAVE}/answers.csv" in ops  # the wave named


def test_a_partner_sees_rates_but_no_names(
    app: Any, leader: TestClient, falkor_store: FalkorStore, district: str
) -> None:
    assert _create(leader, district).status_code == 303
    tokens = _tokens(_links(leader, district, format="csv").text)
    for who in ("Person A", "Person B", "Person D", "Person E", "Person F"):
        body = {"answers": [{"question": "q-data", "person": "c", "frequency": "weekly"}],
                "write_ins": [{"question": "q-data", "name": "Sam Sub", "frequency": "daily"}],
                "submitted": True}  # fmt: skip
        assert leader.put(f"/s/{tokens[who]}/answers", json=body).status_code == 200
    headers = _token(falkor_store, "partner", [district])
    with TestClient(app, base_url="http://127.0.0.1:8000", headers=headers) as partner:
        page = partner.get(f"/d/{district}/surveys/{WAVE}")
        assert page.status_code == 200
        text = text_of(page.text)
        assert "83% 5 of 6 people asked" in text
        assert "Density among respondents" in text  # 5 answered: at least k
        assert "Person" not in text and "Sam Sub" not in text
        assert "Not answered" not in text and "Write-ins" not in text
        assert "/links" not in page.text and "/close" not in page.text
        assert "answers.csv" not in page.text
        assert "Schools where fewer than 5 people were asked" in text
        listed = partner.get(f"/d/{district}")
        assert 'data-wave="w1"' in listed.text and "Create a survey" not in listed.text
        for method, path in [
            ("GET", ""),
            ("POST", ""),
            ("POST", "/w1/links"),
            ("POST", "/w1/close"),
            ("POST", "/w1/reopen"),
            ("GET", "/w1/answers.csv"),
            ("POST", "/w1/write-ins/abc"),
        ]:
            res = partner.request(method, f"/d/{district}/surveys{path}", data={})
            assert res.status_code == 403, (method, path, res.status_code)
    bad = leader.get(f"/d/{district}/surveys/{WAVE}", params={"under": "lots"})
    assert bad.status_code == 422
    assert "Response rate threshold: give a percentage from 0 to 100" in text_of(bad.text)
    assert leader.get(f"/d/{district}/surveys/{WAVE}", params={"under": "101"}).status_code == 422
    missing = leader.get(f"/d/{district}/surveys/nope")
    assert missing.status_code == 404 and "No survey “nope”" in missing.text


def test_the_json_review_uses_the_same_checks(leader: TestClient, district: str) -> None:
    assert _create(leader, district).status_code == 303
    tokens = _tokens(_links(leader, district, format="csv").text)
    body = {"write_ins": [{"question": "q-data", "name": "Sam Sub", "frequency": "daily"}],
            "submitted": True}  # fmt: skip
    assert leader.put(f"/s/{tokens['Person A']}/answers", json=body).status_code == 200
    key = leader.get(f"/districts/{district}/surveys/{WAVE}/status").json()["write_ins"][0]["key"]
    url = f"/districts/{district}/surveys/{WAVE}/write-ins"
    res = leader.post(f"{url}/{key}", json={"decision": "matched", "person": "boss"})
    assert res.status_code == 422 and "not on the roster" in res.json()["detail"]
    res = leader.post(f"{url}/{key}", json={"decision": "matched"})
    assert res.status_code == 422 and "choose the roster person" in res.json()["detail"]
    assert leader.post(f"{url}/nope", json={"decision": "discarded"}).status_code == 404
    ok = leader.post(f"{url}/{key}", json={"decision": "matched", "person": "b"})
    assert ok.json() == {"key": key, "status": "matched"}


def test_a_big_roster_offers_likely_matches_and_a_search_per_write_in(
    app: Any, falkor_store: FalkorStore, golden_district: Callable[..., str]
) -> None:
    district = golden_district(extra_people=400)  # 406 on the roster: no select of everyone
    headers = _token(falkor_store, "association", [district])
    with TestClient(app, base_url="http://127.0.0.1:8000", headers=headers) as leader:
        assert _create(leader, district, respondents="list", people=["a"]).status_code == 303
        tokens = _tokens(_links(leader, district, format="csv").text)
        body = {"write_ins": [{"question": "q-data", "name": "Extra 123", "frequency": "daily"}],
                "submitted": True}  # fmt: skip
        assert leader.put(f"/s/{tokens['Person A']}/answers", json=body).status_code == 200
        page = leader.get(f"/d/{district}/surveys/{WAVE}")
        key = re.search(r'data-write-in="([0-9a-f]+)"', page.text)
        assert key
        select = re.search(r'<select id="match-[^>]+>(.*?)</select>', page.text, re.S)
        assert select and "Everyone on the roster" not in select.group(1)
        options = re.findall(r'<option value="([^"]+)"', select.group(1))
        assert len(options) == 8 and options[0] == "x123"  # the likeliest first
        found = leader.get(
            f"/d/{district}/surveys/{WAVE}", params={f"find:{key.group(1)}": "south"}
        )
        select = re.search(r'<select id="match-[^>]+>(.*?)</select>', found.text, re.S)
        assert select and "Found for “south”" in select.group(1)
        assert re.findall(r'<option value="([^"]+)"', select.group(1)) == ["d", "e", "f"]
        assert f'name="find:{key.group(1)}" value="south"' in found.text
