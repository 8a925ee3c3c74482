"""An association leader runs a survey from the dashboard, in real headless Chromium.

A real ``collabgraph serve`` on 127.0.0.1 with an association and a partner account of
the golden district; no request may leave 127.0.0.1. The leader creates a wave through
the form, opens it (the links CSV is downloaded), a respondent answers through its link
on a phone, the leader sees the response rate change, matches the write-in and closes
the wave; the partner then sees the rates and no name. axe-core (``tests/vendor``) finds
nothing serious or critical on the new pages.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.chromium import Watch, browser_marks
from tests.conftest import ROOT
from tests.e2e.conftest import Served, sign_in, start_server, stop_server
from tests.survey.conftest import golden_doc

pytestmark = browser_marks

DISTRICT = "golden-dash"
VENDOR = ROOT / "tests" / "vendor"
ARTIFACTS = ROOT / "test-artifacts"
LEADER = "leader@example.org"
PARTNER = "partner@example.org"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The server, with the golden district loaded and a leader and a partner account."""
    folder = tmp_path_factory.mktemp("survey-dashboard")
    accounts = [
        ("admin@example.org", "admin", []),
        (LEADER, "association", [DISTRICT]),
        (PARTNER, "partner", [DISTRICT]),
    ]
    proc, served = start_server(folder / "data", folder / "server.log", accounts)
    try:
        doc = yaml.safe_dump(golden_doc(DISTRICT)).encode()
        res = httpx.post(f"{served.base}/imports", files={"file": ("g.yaml", doc)},
                         headers=served.bearer(), timeout=60)  # fmt: skip
        assert res.status_code == 200, res.text
        yield served
    finally:
        stop_server(proc, served.data)


def _tab(browser: Any, watch: Watch, **options: Any) -> Any:
    context = browser.new_context(bypass_csp=True, **options)  # bypass: to inline axe-core
    context.route("**/*", watch.route)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    return tab


def _axe(tab: Any, passes: int = 10) -> list[Any]:
    """The serious and critical violations axe-core finds on the page."""
    axe = (VENDOR / "axe.min.js").read_bytes()
    assert hashlib.sha256(axe).hexdigest() == (VENDOR / "SHA256SUMS").read_text().split()[0]
    tab.add_script_tag(content=axe.decode("utf-8"))
    result = tab.evaluate("async () => await axe.run(document)")
    assert len(result["passes"]) >= passes  # the scan did run
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_leader_runs_a_survey_and_a_partner_sees_only_rates(browser: Any, served: Served) -> None:
    base, watch = served.base, Watch()
    ARTIFACTS.mkdir(exist_ok=True)
    tab = _tab(browser, watch, viewport={"width": 1280, "height": 900})
    sign_in(tab, base, LEADER)
    tab.goto(f"{base}/d/{DISTRICT}")
    assert "No survey yet" in tab.locator("#surveys").inner_text()
    assert _axe(tab) == []
    tab.get_by_role("link", name="Create a survey").click()

    # bad input first: the page names the field and keeps what was typed
    tab.get_by_label("Wave label").fill("fall 2026")
    tab.get_by_label("Introduction (shown at the top of the form)").fill("Five minutes.")
    tab.get_by_role("button", name="Create the survey").click()
    alert = tab.get_by_role("alert")
    assert alert.inner_text().startswith("Wave label: use letters, digits")
    assert tab.get_by_label("Wave label").get_attribute("aria-invalid") == "true"
    assert tab.get_by_label("Introduction (shown at the top of the form)").input_value() == (
        "Five minutes."
    )
    assert _axe(tab) == []
    tab.get_by_label("Wave label").fill("2026-fall")
    tab.get_by_role("button", name="Create the survey").click()
    assert tab.url.endswith(f"/d/{DISTRICT}/surveys/2026-fall")
    assert tab.locator("#state").inner_text() == "draft"
    assert "6 people to ask" in tab.get_by_role("status").inner_text()

    # open it: the links come back as the mail-merge CSV
    with tab.expect_download() as got:
        tab.get_by_role("button", name="Open: make the links (CSV for a mail merge)").click()
    rows = list(csv.DictReader(io.StringIO(Path(got.value.path()).read_text(encoding="utf-8"))))
    links = {r["name"]: r["link"] for r in rows}
    assert sorted(links) == [f"Person {c}" for c in "ABCDEF"]
    assert all(link.startswith(f"{base}/s/") for link in links.values())
    tab.reload()
    assert tab.locator("#state").inner_text() == "open"
    assert tab.locator("#rate").inner_text() == "0%"

    # two respondents answer on a phone, one with a write-in
    for who, names, write_in in (
        ("Person A", ["b", "c"], "Sam Substitute"),
        ("Person B", ["a"], ""),
    ):
        phone = _tab(browser, watch, viewport={"width": 390, "height": 844}, is_mobile=True)
        phone.goto(links[who])
        phone.select_option("#add-q-data", names)
        phone.fill("#wi-q-union", write_in)
        phone.get_by_role("button", name="Send my answers").click()
        assert "Thank you" in phone.locator("[role=status]").inner_text()
        phone.context.close()

    # the leader sees the rate change and reviews the write-in
    tab.reload()
    assert tab.locator("#rate").inner_text() == "33%"
    assert tab.locator("#responded").inner_text() == "2"
    figures = tab.locator("[data-figure=density_respondents] .value").inner_text()
    assert figures == "1.00"  # a and b name each other
    assert tab.locator("#under-list").inner_text() == "Under 50%: South School (0%)."
    tab.get_by_label("Mark schools under this response rate (%)").fill("70")
    tab.get_by_role("button", name="Show").click()
    assert (
        "Under 70%: North School (67%), South School (0%)"
        in tab.locator("#under-list").inner_text()
    )
    not_answered = tab.locator("#not-answered").inner_text()
    assert "Person C" in not_answered and "Person A" not in not_answered
    assert "Sam Substitute" in tab.locator("#write-ins").inner_text()
    assert _axe(tab) == []
    tab.screenshot(path=str(ARTIFACTS / "survey-dashboard.png"), full_page=True)
    tab.get_by_label("Match “Sam Substitute” to").select_option(label="Person F · South School")
    tab.locator("#write-ins").get_by_role("button", name="Match").click()
    assert "Write-in matched to Person F" in tab.get_by_role("status").inner_text()
    assert "Matched to Person F" in tab.locator("#write-ins").inner_text()

    # a reminder: new links as slips to print, for those who have not answered only
    tab.locator("details.relink summary").click()
    tab.get_by_label("Slips to print").check()
    tab.get_by_role("button", name="Make new links").click()
    assert "Links: tick “Replace the links”" in tab.get_by_role("alert").inner_text()
    tab.locator("details.relink summary").click()
    tab.get_by_label("Slips to print").check()
    tab.get_by_label("Replace the links: the links these people have").check()
    tab.get_by_role("button", name="Make new links").click()
    assert tab.locator("section.slip").count() == 4  # C, D, E and F
    assert tab.locator("section.slip svg").count() == 4  # a QR code each
    assert _axe(tab, passes=5) == []  # a short page: fewer rules apply
    tab.goto(f"{base}/d/{DISTRICT}/surveys/2026-fall")

    # close: the answers (and the matched write-in) become ties of the wave
    tab.get_by_role("button", name="Close the survey").click()
    assert "4 ties of wave 2026-fall" in tab.get_by_role("status").inner_text()
    assert tab.locator("#state").inner_text() == "closed"
    tab.goto(f"{base}/d/{DISTRICT}")
    row = tab.locator("tr[data-wave='2026-fall']").inner_text()
    assert "closed" in row and "33%" in row and "2 of 6" in row
    ties = httpx.get(f"{base}/districts/{DISTRICT}/ties", headers=served.bearer(), timeout=30)
    survey_ties = [t for t in ties.json() if t.get("wave") == "2026-fall"]
    assert sorted((t["source"], t["target"]) for t in survey_ties) == [
        ("a", "b"), ("a", "c"), ("a", "f"), ("b", "a"),
    ]  # fmt: skip
    tab.context.close()

    # the partner: the wave and its rates, no name, no buttons
    other = _tab(browser, watch, viewport={"width": 1280, "height": 900})
    sign_in(other, base, PARTNER)
    other.goto(f"{base}/d/{DISTRICT}")
    other.locator("#surveys").get_by_role("link", name="2026-fall").click()
    assert other.locator("#rate").inner_text() == "33%"
    page_text = other.locator("main").inner_text()
    assert not re.search(r"Person [A-F]|Sam Substitute", page_text), page_text
    assert other.locator("main form[method=post]").count() == 0
    assert other.locator("#withheld").count() == 1  # 2 answers: under k, no figures
    assert _axe(other) == []
    answers = other.evaluate(
        "async (u) => (await fetch(u)).status",
        f"{base}/d/{DISTRICT}/surveys/2026-fall/answers.csv",
    )
    assert answers == 403
    other.context.close()
    assert watch.outside == []
