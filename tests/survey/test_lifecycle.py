"""A survey on the real embedded store: create, links, answers, close, re-open (golden district)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from collabgraph.store.falkor import FalkorStore
from collabgraph.survey import (
    AnswerSet,
    LinkState,
    SaveRefused,
    SurveyError,
    SurveyExists,
    SurveySpec,
    close_survey,
    create_survey,
    find_link,
    get_survey,
    issue_links,
    reopen_survey,
    save_answers,
    survey_status,
)
from collabgraph.survey.answers import own_answers
from collabgraph.survey.lifecycle import revoke_link, update_spec
from collabgraph.survey.storage import SurveyGraph

WAVE = "2026-fall"

#: The golden answers: respondent -> [(question, person, frequency)]; e saves but never submits.
GOLDEN = {
    "a": [("q-data", "b", "weekly"), ("q-curriculum", "c", "monthly")],
    "b": [("q-data", "a", "daily")],
    "c": [("q-mentoring", "e", "quarterly")],
    "d": [("q-union", "a", "weekly"), ("q-union", "b", "weekly")],
    "e": [("q-data", "f", "daily")],
}


def _answers(rows: list[tuple[str, str, str]], submitted: bool = True) -> AnswerSet:
    return AnswerSet.model_validate(
        {
            "answers": [{"question": q, "person": p, "frequency": f} for q, p, f in rows],
            "submitted": submitted,
        }
    )


def _survey_ties(store: FalkorStore, district: str) -> set[tuple[str, str, str, float]]:
    wb = store.read_workbook(district)
    return {
        (t.source, t.target, t.topic or "", t.weight)
        for t in wb.ties
        if t.origin == "survey" and t.wave == WAVE
    }


@pytest.fixture
def golden(
    falkor_store: FalkorStore, golden_district: Callable[..., str]
) -> tuple[str, dict[str, str]]:
    district = golden_district()
    create_survey(falkor_store, SurveySpec(district=district, wave=WAVE))
    tokens = {x.id: x.token for x in issue_links(falkor_store, district, WAVE)}
    for who, rows in GOLDEN.items():
        save_answers(falkor_store, tokens[who], _answers(rows, submitted=who != "e"))
    return district, tokens


def test_golden_figures_are_the_hand_computed_ones(
    falkor_store: FalkorStore, golden: tuple[str, dict[str, str]]
) -> None:
    district, _ = golden
    st = survey_status(falkor_store, district, WAVE, threshold=0.5)
    assert (st.asked, st.responded, st.started, st.rate) == (6, 4, 1, 0.6667)
    assert [(s.school, s.asked, s.responded, s.rate, s.below_threshold) for s in st.schools] == [
        ("North School", 3, 3, 1.0, False),
        ("South School", 3, 1, 0.3333, True),
    ]
    assert sorted(r["id"] for r in st.not_answered) == ["e", "f"]
    f = st.figures
    # respondents a b c d: pairs {a,b} {a,c} {a,d} {b,d} of 6 -> 4/6; roster adds {c,e}: 5/15
    assert (f.density_respondents, f.density_roster) == (0.6667, 0.3333)
    # only {a,b} is mutual: one-sided 3/4; reciprocity 2 x 1 / 5 reported ties
    assert (f.one_sided_share, f.reciprocity) == (0.75, 0.4)


def test_close_writes_the_wave_ties_once_and_reclose_changes_nothing(
    falkor_store: FalkorStore, golden: tuple[str, dict[str, str]]
) -> None:
    district, tokens = golden
    result = close_survey(falkor_store, district, WAVE)
    expected = {
        ("a", "b", "student-data", 0.75),
        ("a", "c", "curriculum", 0.5),
        ("b", "a", "student-data", 1.0),
        ("c", "e", "mentoring", 0.25),
        ("d", "a", "union-business", 0.75),
        ("d", "b", "union-business", 0.75),
    }
    assert result.ties == 6 and _survey_ties(falkor_store, district) == expected
    wb = falkor_store.read_workbook(district)
    assert {t.id for t in wb.topics} >= {"union-business", "articulation"}
    assert [(t.source, t.target) for t in wb.ties if t.origin is None] == [("a", "f")]
    revision = falkor_store.revision(district)
    again = close_survey(falkor_store, district, WAVE)
    assert again.already_closed and falkor_store.revision(district) == revision
    # a closed survey takes no answers, and its link says so
    assert find_link(falkor_store, tokens["a"]).state is LinkState.CLOSED
    with pytest.raises(SaveRefused):
        save_answers(falkor_store, tokens["a"], _answers([]))


def test_reopen_change_and_close_replaces_the_wave_exactly(
    falkor_store: FalkorStore, golden: tuple[str, dict[str, str]]
) -> None:
    district, tokens = golden
    close_survey(falkor_store, district, WAVE)
    reopen_survey(falkor_store, district, WAVE)
    save_answers(falkor_store, tokens["a"], _answers([("q-instruction", "d", "daily")]))
    result = close_survey(falkor_store, district, WAVE)
    assert result.ties == 5
    got = _survey_ties(falkor_store, district)
    assert ("a", "d", "instruction", 1.0) in got
    assert not {t for t in got if t[0] == "a" and t[1] in "bc"}
    # re-loading the same workbook the store gives back keeps the survey ties
    wb = falkor_store.read_workbook(district)
    falkor_store.upsert_workbook(wb, replace=True)
    assert _survey_ties(falkor_store, district) == got


def test_own_answers_saving_again_replaces_them(
    falkor_store: FalkorStore, golden: tuple[str, dict[str, str]]
) -> None:
    district, tokens = golden
    link = find_link(falkor_store, tokens["a"])
    assert (link.state, link.respondent, link.district) == (LinkState.SUBMITTED, "a", district)
    mine = own_answers(falkor_store, link, tokens["a"])
    assert {(r["question"], r["person"]) for r in mine.answers} == {
        ("q-data", "b"),
        ("q-curriculum", "c"),
    }
    save_answers(falkor_store, tokens["a"], _answers([("q-data", "c", "monthly")]))
    mine = own_answers(falkor_store, link, tokens["a"])
    assert [(r["question"], r["person"], r["frequency"]) for r in mine.answers] == [
        ("q-data", "c", "monthly")
    ]


def test_bad_answers_are_refused_before_anything_is_written(
    falkor_store: FalkorStore, golden: tuple[str, dict[str, str]]
) -> None:
    _, tokens = golden
    for rows, says in [
        ([("q-nope", "b", "daily")], "no question 'q-nope'"),
        ([("q-data", "boss", "daily")], "not on this survey's roster"),
        ([("q-data", "b", "daily"), ("q-data", "b", "weekly")], "named twice"),
    ]:
        with pytest.raises(SurveyError, match=says):
            save_answers(falkor_store, tokens["b"], _answers(rows))
    mine = own_answers(falkor_store, find_link(falkor_store, tokens["b"]), tokens["b"])
    assert [(r["person"]) for r in mine.answers] == ["a"]


def test_links_revoke_reissue_unknown(
    falkor_store: FalkorStore, golden: tuple[str, dict[str, str]]
) -> None:
    district, tokens = golden
    assert find_link(falkor_store, "x" * 43).state is LinkState.UNKNOWN
    assert find_link(falkor_store, "../../etc").state is LinkState.UNKNOWN
    revoke_link(falkor_store, district, WAVE, "b")
    assert find_link(falkor_store, tokens["b"]).state is LinkState.REVOKED
    with pytest.raises(SaveRefused):
        save_answers(falkor_store, tokens["b"], _answers([]))
    (fresh,) = issue_links(falkor_store, district, WAVE, only=["b"])
    assert find_link(falkor_store, tokens["b"]).state is LinkState.UNKNOWN  # old link is dead
    link = find_link(falkor_store, fresh.token)
    assert link.state is LinkState.SUBMITTED  # answers stayed with the respondent
    # the store holds hashes only
    graph = SurveyGraph(falkor_store, district)
    assert fresh.token.encode() not in graph.store.r.dump(graph.key)


def test_create_twice_and_questions_fixed_after_first_answer(
    falkor_store: FalkorStore, golden_district: Callable[..., str]
) -> None:
    district = golden_district()
    spec = SurveySpec(district=district, wave=WAVE)
    create_survey(falkor_store, spec)
    with pytest.raises(SurveyExists):
        create_survey(falkor_store, spec)
    fewer = spec.model_copy(update={"questions": spec.questions[:2]})
    assert len(update_spec(falkor_store, fewer).spec.questions) == 2
    (link, *_) = issue_links(falkor_store, district, WAVE)
    save_answers(falkor_store, link.token, _answers([]))
    with pytest.raises(SurveyError, match="can no longer change"):
        update_spec(falkor_store, spec)


def test_a_wave_with_ties_from_the_workbook_is_not_closed_over(falkor_store: FalkorStore) -> None:
    from collabgraph.errors import Location
    from collabgraph.workbook import validate_document
    from collabgraph.workbook.document import document_from_mapping
    from tests.survey.conftest import golden_doc

    doc = golden_doc("golden-typed")
    doc["ties"] = [{"source": "a", "target": "b", "weight": 0.5, "wave": WAVE}]
    falkor_store.upsert_workbook(
        validate_document(document_from_mapping(doc, "g", lambda p: Location())), replace=True
    )
    create_survey(falkor_store, SurveySpec(district="golden-typed", wave=WAVE))
    with pytest.raises(SurveyError, match="did not come from this survey"):
        close_survey(falkor_store, "golden-typed", WAVE)
    assert _survey_ties(falkor_store, "golden-typed") == set()
    assert get_survey(falkor_store, "golden-typed", WAVE).state.value == "open"  # still open
    falkor_store.delete_district("golden-typed")
    SurveyGraph(falkor_store, "golden-typed").delete()


def test_deleting_the_district_deletes_its_surveys(
    falkor_store: FalkorStore, golden: tuple[str, dict[str, str]]
) -> None:
    district, tokens = golden
    assert SurveyGraph(falkor_store, district).exists()
    assert falkor_store.delete_district(district)
    assert not SurveyGraph(falkor_store, district).exists()
    assert find_link(falkor_store, tokens["a"]).state is LinkState.UNKNOWN


def _with_write_ins(rows: list[tuple[str, str, str]], submitted: bool = True) -> AnswerSet:
    return AnswerSet.model_validate(
        {
            "write_ins": [{"question": q, "name": n, "frequency": f} for q, n, f in rows],
            "submitted": submitted,
        }
    )


def test_a_review_survives_the_respondents_later_saves(
    falkor_store: FalkorStore, golden: tuple[str, dict[str, str]]
) -> None:
    district, tokens = golden
    graph = SurveyGraph(falkor_store, district)
    first = [
        ("q-data", "Pat Newcomer", "weekly"),
        ("q-union", "Sam Sub", "monthly"),
        ("q-union", "Lee Gone", "daily"),
    ]
    save_answers(falkor_store, tokens["b"], _with_write_ins(first))
    keys = {w["name"]: w["key"] for w in graph.run("read_survey_write_ins", {"wave": WAVE})}
    for name, status, person in [("Pat Newcomer", "matched", "f"), ("Sam Sub", "discarded", "")]:
        graph.run(
            "review_survey_write_in",
            {"key": keys[name], "status": status, "person": person},
            write=True,
        )
    # b saves again: Pat unchanged (a new frequency), Sam unchanged, Lee dropped, a new name,
    # and a changed text ("Sam Subb") which is a new write-in
    again = [
        ("q-data", "Pat Newcomer", "daily"),
        ("q-union", "Sam Sub", "monthly"),
        ("q-union", "Sam Subb", "monthly"),
        ("q-mentoring", "Kim New", "weekly"),
    ]
    save_answers(falkor_store, tokens["b"], _with_write_ins(again))
    got = {
        w["name"]: (w["key"], w["status"], w["person"], w["frequency"])
        for w in graph.run("read_survey_write_ins", {"wave": WAVE})
    }
    assert got == {
        "Pat Newcomer": (keys["Pat Newcomer"], "matched", "f", "daily"),
        "Sam Sub": (keys["Sam Sub"], "discarded", "", "monthly"),
        "Sam Subb": (got["Sam Subb"][0], "pending", "", "monthly"),
        "Kim New": (got["Kim New"][0], "pending", "", "weekly"),
    }
    assert got["Sam Subb"][0] != keys["Sam Sub"]
    # the matched write-in counts at the close with the frequency last sent
    close_survey(falkor_store, district, WAVE)
    assert ("b", "f", "student-data", 1.0) in _survey_ties(falkor_store, district)
