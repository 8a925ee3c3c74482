"""A person's rights reach their survey data: the export shows it, the erasure removes it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from collabgraph.access import erase_person, person_export
from collabgraph.store.falkor import FalkorStore
from collabgraph.survey import AnswerSet, SurveySpec, create_survey, issue_links, save_answers
from collabgraph.survey.storage import SurveyGraph

WAVE = "2026-fall"


def _files_holding(folder: Path, needle: bytes) -> list[Path]:
    return [
        p
        for p in folder.rglob("*")
        if p.is_file() and not p.is_socket() and needle in p.read_bytes()
    ]


def _survey_values(store: FalkorStore, district: str) -> list[object]:
    graph = store.db.select_graph(SurveyGraph(store, district).key)
    rows = graph.query("MATCH (n) RETURN properties(n) AS p").result_set
    return [value for (props,) in rows for value in props.values()]


def test_export_shows_and_erase_removes_a_persons_survey_data(
    falkor_store: FalkorStore, golden_district: Callable[..., str]
) -> None:
    district = golden_district()
    spec = SurveySpec(district=district, wave=WAVE, respondents="list", respondent_ids=["a", "b"])
    create_survey(falkor_store, spec)
    tokens = {x.id: x.token for x in issue_links(falkor_store, district, WAVE)}
    secret = f"Quill Marrow {uuid.uuid4().hex[:8]}"  # a write-in only 'a' ever typed
    answers = {
        "a": {
            "answers": [{"question": "q-data", "person": "b", "frequency": "weekly"}],
            "write_ins": [{"question": "q-data", "name": secret, "frequency": "daily"}],
            "submitted": True,
        },
        "b": {
            "answers": [{"question": "q-union", "person": "a", "frequency": "monthly"}],
            "submitted": True,
        },
    }
    for who, body in answers.items():
        save_answers(falkor_store, tokens[who], AnswerSet.model_validate(body))

    held = person_export(falkor_store, district, "a", b"k" * 32).survey
    assert held["answers"] == [
        {"wave": WAVE, "question": "q-data", "named": "b", "frequency": "weekly"}
    ]
    assert held["named_in"] == [{"wave": WAVE, "question": "q-union", "frequency": "monthly"}]
    assert [(w["name"], w["written_by_them"]) for w in held["write_ins"]] == [(secret, True)]
    assert held["asked"] == [WAVE]

    data = falkor_store.server.data_dir if falkor_store.server else None
    assert data is not None and _files_holding(data, secret.encode())

    report = erase_person(falkor_store, district, "a")
    # a's respondent record and roster entry, the write-in, the list of people asked
    assert report.survey_records == 4
    values = _survey_values(falkor_store, district)
    assert "a" not in values and "Person A" not in values and secret not in values
    assert all("Person A" not in str(v) and secret not in str(v) for v in values)
    assert person_export(falkor_store, district, "b", b"k" * 32).survey["answers"] == []
    assert _files_holding(data, secret.encode()) == []
    # The survey still reads back, with b still asked.
    from collabgraph.survey import get_survey

    assert get_survey(falkor_store, district, WAVE).spec.respondent_ids == ["b"]
