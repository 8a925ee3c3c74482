"""``collabgraph survey ...`` end to end on a fresh embedded store."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import collabgraph.cli  # noqa: F401  (registers the commands)
from collabgraph.cli.app import app
from collabgraph.store import StoreSettings, open_store
from collabgraph.store.embedded import EmbeddedServer
from collabgraph.survey import AnswerSet, save_answers
from tests.survey.conftest import golden_doc

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    data = tmp_path / "data"
    monkeypatch.setenv("COLLABGRAPH_DATA_DIR", str(data))
    monkeypatch.setenv("COLLABGRAPH_PUBLIC_URL", "https://survey.example.org/")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("COLLABGRAPH_STORE", raising=False)
    yield data
    EmbeddedServer(data).stop()


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_create_links_status_close_export(data_dir: Path, tmp_path: Path) -> None:
    wb = tmp_path / "golden.yaml"
    wb.write_text(yaml.safe_dump(golden_doc("gold")), "utf-8")
    assert invoke("load", str(wb)).exit_code == 0
    questions = tmp_path / "q.yaml"
    questions.write_text(
        yaml.safe_dump([{"id": "q1", "topic": "mentoring", "text": "Whom do you mentor?"}])
    )
    res = invoke("survey", "create", "gold", "--wave", "w1", "--questions", str(questions))
    assert res.exit_code == 0, res.output
    assert "6 respondents, 1 questions" in res.stdout
    res = invoke("survey", "create", "gold", "--wave", "w1")
    assert res.exit_code == 2 and "already has a survey" in res.output

    out, sheet = tmp_path / "links.csv", tmp_path / "links.html"
    res = invoke("survey", "links", "gold", "--wave", "w1", "-o", str(out), "--sheet", str(sheet))
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["name"] for r in rows] == [f"Person {c}" for c in "ABCDEF"]
    assert all(r["link"].startswith("https://survey.example.org/s/") for r in rows)
    html = sheet.read_text()
    assert html.count("<svg") == 6 and "src=" not in html and "href=" not in html

    token = rows[0]["link"].rsplit("/", 1)[1]
    store = open_store(StoreSettings.from_env())
    one = {"question": "q1", "person": "b", "frequency": "weekly"}
    save_answers(store, token, AnswerSet.model_validate({"answers": [one], "submitted": True}))

    res = invoke("survey", "status", "gold", "--wave", "w1", "--json")
    st = json.loads(res.stdout)
    assert (st["asked"], st["responded"]) == (6, 1)
    assert [s["rate"] for s in st["schools"]] == [0.3333, 0.0]
    res = invoke("survey", "close", "gold", "--wave", "w1")
    assert res.exit_code == 0 and "closed: 1 ties" in res.stdout
    res = invoke("survey", "close", "gold", "--wave", "w1")
    assert "already closed with 1 ties" in res.stdout
    answers = tmp_path / "answers.csv"
    invoke("survey", "export", "gold", "--wave", "w1", "-o", str(answers))
    assert answers.read_text().splitlines() == [
        "respondent,question,topic,person,frequency",
        "a,q1,mentoring,b,weekly",
    ]


def test_bad_input_exits_2_with_the_place(data_dir: Path, tmp_path: Path) -> None:
    wb = tmp_path / "golden.yaml"
    wb.write_text(yaml.safe_dump(golden_doc("gold2")), "utf-8")
    assert invoke("load", str(wb)).exit_code == 0
    bad = tmp_path / "q.yaml"
    bad.write_text(yaml.safe_dump([{"id": "q1", "topic": "bad topic!", "text": "x"}]))
    res = invoke("survey", "create", "gold2", "--wave", "w1", "--questions", str(bad))
    assert res.exit_code == 2 and "question 1, topic" in res.output
    res = invoke("survey", "create", "gold2", "--wave", "w1", "--respondents", "officers")
    assert res.exit_code == 2 and "nobody to ask" in res.output
    res = invoke("survey", "status", "gold2", "--wave", "nope")
    assert res.exit_code == 2 and "no survey of wave 'nope'" in res.output
    res = invoke("survey", "status", "nowhere", "--wave", "w1")
    assert res.exit_code == 2 and "no district 'nowhere'" in res.output
    res = invoke("survey", "links", "gold2", "--wave", "w1", "-o", str(tmp_path / "no" / "x.csv"))
    assert res.exit_code == 2 and "no folder" in res.output
