"""The close's parameter header: no value can break out of it, whatever the names."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from collabgraph.errors import Location
from collabgraph.store.falkor import FalkorStore
from collabgraph.survey import (
    AnswerSet,
    SurveyError,
    SurveySpec,
    close_survey,
    create_survey,
    issue_links,
    save_answers,
)
from collabgraph.survey.closing import params_text, tie_matrix_text
from collabgraph.workbook import validate_document
from collabgraph.workbook.document import document_from_mapping
from tests.hostile import MARKUP
from tests.survey.conftest import golden_doc

#: Texts that would end a quoted value, a parameter or the statement if pasted in raw.
HOSTILE = (
    '"}) MATCH (n) DETACH DELETE n //',
    "'}) MATCH (n) DETACH DELETE n //",
    'back\\"slash\\',
    "two\nlines\r\n and a tab\t",
    "ties=[[0,0,0,0,0]] RETURN 1",
    "`backtick` $wave {a: 1}",
    MARKUP,
    "名前 اسم Tên ✓",
)


def test_hostile_texts_come_back_unchanged_through_the_header(falkor_store: FalkorStore) -> None:
    graph = falkor_store.db.select_graph("collabgraph-scratch-" + uuid.uuid4().hex[:8])
    graph.query("CREATE (:Scratch)")
    try:
        for text in HOSTILE:
            params: dict[str, Any] = {"wave": text, "ids": [text, "b"], "rows": [{"key": text}]}
            header = params_text(graph, params, [[0, 1, 2, 3, 4]])
            reply = falkor_store.r.execute_command(
                "GRAPH.RO_QUERY",
                graph.name,
                header + "RETURN $wave, $ids[0], $rows[0].key, size($ties), $ties[0][4]",
            )
            assert reply[1] == [[text, text, text, 1, 4]], text
    finally:
        falkor_store.r.delete(graph.name)


@pytest.mark.parametrize("row", [[0, "1"], [0, 1.5], [0, True], [0, -1], [0, None]])
def test_tie_rows_must_be_whole_numbers(row: list[Any]) -> None:
    with pytest.raises(SurveyError, match="whole numbers"):
        tie_matrix_text([row])


def test_a_close_in_a_district_full_of_hostile_names(falkor_store: FalkorStore) -> None:
    district = "hostile-" + uuid.uuid4().hex[:8]
    doc = golden_doc(district)
    doc["district"]["name"] = HOSTILE[0]
    names = [h for h in HOSTILE if h.isprintable()]  # a workbook refuses control characters
    for person, name in zip(doc["people"], names, strict=False):
        person["name"] = name
    wb = validate_document(document_from_mapping(doc, "hostile", lambda p: Location()))
    falkor_store.upsert_workbook(wb)
    questions = [{"id": "q-1", "topic": "hostile-topic", "text": HOSTILE[1]}]
    create_survey(
        falkor_store,
        SurveySpec.model_validate(
            {"district": district, "wave": "w1", "questions": questions, "intro": HOSTILE[2]}
        ),
    )
    tokens = {x.id: x.token for x in issue_links(falkor_store, district, "w1")}
    for src, dst in [("a", "b"), ("b", "a"), ("c", "d")]:
        one = {"question": "q-1", "person": dst, "frequency": "weekly"}
        write_in = {"question": "q-1", "name": HOSTILE[3], "frequency": "daily"}
        answers = {"answers": [one], "write_ins": [write_in], "submitted": True}
        save_answers(falkor_store, tokens[src], AnswerSet.model_validate(answers))
    assert close_survey(falkor_store, district, "w1").ties == 3
    after = falkor_store.read_workbook(district)
    assert sorted((t.source, t.target, t.topic) for t in after.ties if t.origin == "survey") == [
        ("a", "b", "hostile-topic"),
        ("b", "a", "hostile-topic"),
        ("c", "d", "hostile-topic"),
    ]
    # nothing else moved: the people, their names and the workbook's own tie
    assert [(p.id, p.name) for p in after.people] == [(p.id, p.name) for p in wb.people]
    assert [(t.source, t.target) for t in after.ties if t.origin != "survey"] == [("a", "f")]
    falkor_store.delete_district(district)
