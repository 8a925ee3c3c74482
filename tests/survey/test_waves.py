"""A survey wave in the network report: the CLI, its JSON, the API and the printed report.

Hand-computed on the 6-person golden survey (docs/survey.md, "What the numbers mean"):

* wave ``w1``: a, b, c, d send answers (e saves, never sends; f does not answer).
  a names b and c, b names a, c names e, d names a and b. Response 4/6 = 0.6667; among
  respondents the pairs {a,b} {a,c} {a,d} {b,d}: 4 of 6 = 0.6667; with {c,e}, 5 of 15
  roster pairs = 0.3333; only {a,b} mutual: one-sided 3/4 = 0.75, reciprocity 2 x 1 / 5
  = 0.4. North (a b c) 3/3 = 1.0; South (d e f) 1/3 = 0.3333.
* wave ``w2``: all six answer: a-b, c-d, e-f both ways, and a names c. Response 1.0;
  pairs {a,b} {c,d} {e,f} {a,c}: 4 of 15 = 0.2667 among respondents and the roster;
  3 mutual of 4 tied pairs: one-sided 0.25; reciprocity 2 x 3 / 7 = 0.8571.
* w1 -> w2: response +0.3333, density among respondents -0.4, reciprocity +0.4571.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import collabgraph.cli  # noqa: F401  (registers the commands)
from api.config import Settings
from api.main import create_app
from collabgraph.access import Accounts
from collabgraph.cli.app import app
from collabgraph.network import analyze_network
from collabgraph.report import build_report, report_html
from collabgraph.store.embedded import EmbeddedServer
from collabgraph.store.falkor import FalkorStore
from collabgraph.survey import (
    AnswerSet,
    SurveySpec,
    close_survey,
    create_survey,
    issue_links,
    save_answers,
)
from collabgraph.survey.waves import survey_waves, with_surveys

W1 = {
    "a": [("q-data", "b"), ("q-curriculum", "c")],
    "b": [("q-data", "a")],
    "c": [("q-mentoring", "e")],
    "d": [("q-union", "a"), ("q-union", "b")],
    "e": [("q-data", "f")],  # saved, never sent
}
W2 = {
    "a": [("q-data", "b"), ("q-data", "c")],
    "b": [("q-data", "a")],
    "c": [("q-data", "d")],
    "d": [("q-data", "c")],
    "e": [("q-data", "f")],
    "f": [("q-data", "e")],
}


def _run_wave(store: FalkorStore, district: str, wave: str, answers: dict[str, Any]) -> None:
    create_survey(store, SurveySpec(district=district, wave=wave))
    tokens = {x.id: x.token for x in issue_links(store, district, wave)}
    for who, rows in answers.items():
        body = {
            "answers": [{"question": q, "person": p, "frequency": "weekly"} for q, p in rows],
            "submitted": not (wave == "w1" and who == "e"),
        }
        save_answers(store, tokens[who], AnswerSet.model_validate(body))


@pytest.fixture
def two_waves(falkor_store: FalkorStore, golden_district: Callable[..., str]) -> str:
    """The golden district with two closed surveys, w1 and w2, and an open one, w3."""
    district = golden_district()
    for wave, answers in (("w1", W1), ("w2", W2)):
        _run_wave(falkor_store, district, wave, answers)
        close_survey(falkor_store, district, wave)
    _run_wave(falkor_store, district, "w3", {"a": [("q-data", "b")]})
    return district


def _figures(block: Any) -> tuple[Any, ...]:
    get = block.get if isinstance(block, dict) else lambda k: getattr(block, k)
    return tuple(
        get(k)
        for k in (
            "asked",
            "responded",
            "response_rate",
            "density_respondents",
            "density_roster",
            "one_sided_share",
            "reciprocity",
        )
    )


W1_FIGURES = (6, 4, 0.6667, 0.6667, 0.3333, 0.75, 0.4)
W2_FIGURES = (6, 6, 1.0, 0.2667, 0.2667, 0.25, 0.8571)


def test_the_report_of_a_survey_wave_and_the_comparison(
    falkor_store: FalkorStore, two_waves: str
) -> None:
    surveys = survey_waves(falkor_store, two_waves, threshold=0.5)
    assert sorted(surveys) == ["w1", "w2", "w3"]
    graph = falkor_store.read_graph(two_waves)
    report = with_surveys(analyze_network(graph, wave="w1"), surveys)
    assert report.survey is not None
    assert _figures(report.survey) == W1_FIGURES
    assert [(s.school, s.rate, s.below_threshold) for s in report.survey.schools] == [
        ("North School", 1.0, False),
        ("South School", 0.3333, True),
    ]
    assert report.survey.below_threshold == ["South School"] and report.survey.threshold == 0.5
    # every wave compares, with the survey figures
    every = with_surveys(analyze_network(graph), surveys)
    assert every.survey is None and [w.wave for w in every.per_wave] == ["w1", "w2"]
    assert [_figures(w.survey) for w in every.per_wave] == [W1_FIGURES, W2_FIGURES]
    (change,) = every.changes
    assert (change.before, change.after) == ("w1", "w2")
    assert change.delta["response_rate"] == 0.3333
    assert change.delta["density_respondents"] == -0.4
    assert change.delta["reciprocity"] == 0.4571
    # a wave without a survey compares as before: its survey figures are empty
    plain = analyze_network(graph)
    assert plain.changes[0].delta["response_rate"] is None


def test_what_a_role_without_names_sees(falkor_store: FalkorStore, two_waves: str) -> None:
    surveys = survey_waves(falkor_store, two_waves, threshold=0.5)
    w1, w2 = surveys["w1"].for_groups(5), surveys["w2"].for_groups(5)
    # two schools of three asked: together (6 >= 5), never apart
    assert [(s.school, s.asked, s.responded, s.rate) for s in w1.schools] == [
        ("2 smaller schools", 6, 4, 0.6667)
    ]
    assert w1.below_threshold == [] and w1.response_rate == 0.6667
    # four answered in w1 (< 5): no network figures, and it says why
    assert _figures(w1)[3:] == (None, None, None, None)
    assert w1.undefined["reciprocity"] == "fewer than 5 people answered"
    assert _figures(w2) == W2_FIGURES
    assert surveys["w2"].for_groups(7).density_respondents is None


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def cli_env(falkor_server: EmbeddedServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("COLLABGRAPH_DATA_DIR", str(falkor_server.data_dir))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("COLLABGRAPH_STORE", raising=False)
    yield


def test_analyze_a_survey_wave_in_the_terminal_and_as_json(
    two_waves: str, cli_env: None, tmp_path: Path
) -> None:
    res = _invoke("analyze", two_waves, "--only", "network", "--wave", "w1", "--json")
    assert res.exit_code == 0, res.output
    survey = json.loads(res.stdout)["network"]["survey"]
    assert _figures(survey) == W1_FIGURES
    assert survey["below_threshold"] == ["South School"]
    res = _invoke("analyze", two_waves, "--only", "network", "--wave", "w1", "--threshold", "0.2")
    assert res.exit_code == 0, res.output
    text = " ".join(res.stdout.split())
    assert "Survey wave w1 (closed): who answered" in text
    assert "Response by school" in text and "Survey waves: response and figures" in text
    assert "Change in the survey figures" in text
    # a kept result is never the answer for another threshold, nor after the survey moved on
    res = _invoke("analyze", two_waves, "--only", "network", "--wave", "w1", "--json")
    assert json.loads(res.stdout)["network"]["survey"]["threshold"] == 0.5
    res = _invoke(
        "analyze", two_waves, "--only", "network", "--wave", "w1", "--json", "--threshold", "0.9"
    )
    assert json.loads(res.stdout)["network"]["survey"]["threshold"] == 0.9
    from collabgraph.store import open_store
    from collabgraph.survey import reopen_survey

    reopen_survey(open_store(), two_waves, "w1")
    res = _invoke("analyze", two_waves, "--only", "network", "--wave", "w1", "--json")
    assert json.loads(res.stdout)["network"]["survey"]["state"] == "open"
    res = _invoke("analyze", two_waves, "--only", "network", "--json")
    changes = json.loads(res.stdout)["network"]["changes"]
    assert changes[0]["delta"]["density_respondents"] == -0.4
    # an open survey's wave has no ties yet: say so, and where its response rate is
    res = _invoke("analyze", two_waves, "--only", "network", "--wave", "w3")
    assert res.exit_code == 2 and "survey of wave 'w3' is open" in " ".join(res.output.split())
    res = _invoke("analyze", two_waves, "--wave", "w1", "--threshold", "1.5")
    assert res.exit_code == 2 and "--threshold" in res.output


def test_the_tables_label_both_densities(falkor_store: FalkorStore, two_waves: str) -> None:
    from rich.console import Console

    from collabgraph.network import network_tables

    surveys = survey_waves(falkor_store, two_waves, threshold=0.2)
    report = with_surveys(analyze_network(falkor_store.read_graph(two_waves), wave="w1"), surveys)
    console = Console(width=250, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    for table in network_tables(report):
        console.print(table)
    lines = [
        " ".join(line.replace("│", " ").split()) for line in console.export_text().splitlines()
    ]
    for start in (
        "response rate 4 of 6 (0.67) The share of the people asked",
        "density among respondents 0.6667 The share of pairs",
        "density among all rostered (6 people) 0.3333 The same share over everyone",
        "ties named by one side only 0.7500",
        "reciprocity 0.4000",
        "schools under 20% response none",
        "South School 3 1 0.33",
    ):
        assert any(line.startswith(start) for line in lines), start


PASSWORD = "a long enough password 1"


def _headers(store: FalkorStore, role: str, district: str) -> dict[str, str]:
    accounts = Accounts(store)
    email = f"{role}-{uuid.uuid4().hex[:6]}@example.org"
    accounts.add(email, role, PASSWORD, [district] if role != "admin" else None)
    return {"Authorization": f"Bearer {accounts.new_token(email)}"}


def test_the_api_network_analysis_of_a_survey_wave(
    falkor_store: FalkorStore, two_waves: str
) -> None:
    with TestClient(create_app(Settings(), store=falkor_store), base_url="http://127.0.0.1") as c:
        url = f"/districts/{two_waves}/analyses/network"
        own = _headers(falkor_store, "association", two_waves)
        body = c.get(url, params={"wave": "w1", "threshold": 0.9}, headers=own).json()
        assert _figures(body["survey"]) == W1_FIGURES
        assert body["survey"]["below_threshold"] == ["South School"]
        assert body["survey"]["threshold"] == 0.9
        body = c.get(url, headers=own).json()
        assert [_figures(w["survey"]) for w in body["per_wave"]] == [W1_FIGURES, W2_FIGURES]
        assert body["changes"][0]["delta"]["response_rate"] == 0.3333
        res = c.get(url, params={"wave": "w1", "threshold": 2}, headers=own)
        assert res.status_code == 422
        res = c.get(url, params={"wave": "w3"}, headers=own)
        assert res.status_code in (400, 404, 422) and "is open" in res.text
        # a partner: rates over groups of at least k = 5, nobody named
        partner = _headers(falkor_store, "partner", two_waves)
        res = c.get(url, params={"wave": "w1"}, headers=partner)
        agg = res.json()
        assert agg["survey"]["response_rate"] == 0.6667
        assert [s["school"] for s in agg["survey"]["schools"]] == ["2 smaller schools"]
        assert agg["survey"]["density_respondents"] is None  # 4 answered, fewer than 5
        assert "Person" not in res.text
        agg = c.get(url, headers=partner).json()
        assert [_figures(w) for w in agg["survey_waves"]][1] == W2_FIGURES
        # a researcher: the same rule inside the pseudonymized report
        researcher = _headers(falkor_store, "researcher", two_waves)
        body = c.get(url, params={"wave": "w1"}, headers=researcher).json()
        assert body["survey"]["min_group"] == 5 and body["survey"]["reciprocity"] is None


def test_the_printed_report_shows_the_response_rates(
    falkor_store: FalkorStore, two_waves: str
) -> None:
    graph = falkor_store.read_graph(two_waves)
    surveys = list(survey_waves(falkor_store, two_waves).values())
    page = report_html(build_report(graph, surveys=surveys))
    assert "No tie survey has been run" not in page
    assert "67% (4 of 6)" in page and "Density among all rostered people" in page
    assert "South School" in page and "33% (1 of 3)" in page
    partner = report_html(build_report(graph, "partner", surveys=surveys))
    assert "67% (4 of 6)" in partner and "2 smaller schools" in partner
    first = partner.split('<table class="response"')[1].split("</table>")[0]
    assert "South School" not in first and "Person A" not in partner
    assert "fewer than 5 people answered" in partner
    empty = report_html(build_report(graph))
    assert "No tie survey has been run" in empty


def test_the_partners_survey_block_has_the_associations_fields() -> None:
    from collabgraph.access.aggregate import SchoolResponseAggregate, SurveyAggregate
    from collabgraph.network import SchoolResponse, SurveyWave

    assert set(SurveyAggregate.model_fields) == set(SurveyWave.model_fields)
    assert set(SchoolResponseAggregate.model_fields) == set(SchoolResponse.model_fields)
