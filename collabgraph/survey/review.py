"""The association's desk: every wave at a glance, write-ins to review, the answers as CSV.

* :func:`wave_summaries`: each survey wave of a district with its state and
  response rate (a wave whose links were never made is a *draft*: nobody can
  answer it yet);
* :func:`write_ins_to_review`: the names respondents wrote in, with who wrote
  them and for which question;
* :func:`review_write_in`: match a write-in to a person of the wave's roster, or
  discard it (a matched write-in counts as an answer at the next close);
* :func:`likely_matches`: the roster people a written-in name most looks like;
* :func:`answers_csv`: every answer of a wave as CSV.

Examples
--------
>>> display_state("open", links=0, saved=0)
'draft'
>>> display_state("open", links=3, saved=0), display_state("closed", links=3, saved=1)
('open', 'closed')
>>> from collabgraph.survey.roster import RosterPerson
>>> roster = [RosterPerson(id="a", name="Ann Lee"), RosterPerson(id="s", name="Samuel Ortiz"),
...           RosterPerson(id="z", name="Zoe Ng")]
>>> [p.id for p in likely_matches("Sam Ortiz", roster, limit=2)]
['s', 'a']
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import unicodedata
from collections.abc import Sequence
from typing import Any, Final

from pydantic import BaseModel

from collabgraph.store.base import Store
from collabgraph.survey.errors import SurveyError
from collabgraph.survey.lifecycle import get_survey, list_surveys, read_answers
from collabgraph.survey.roster import RosterPerson
from collabgraph.survey.storage import SurveyGraph

__all__ = [
    "DECISIONS",
    "UnknownWriteIn",
    "WaveSummary",
    "WriteInRow",
    "answers_csv",
    "display_state",
    "fold",
    "likely_matches",
    "review_write_in",
    "surveys_supported",
    "wave_summaries",
    "wave_summary",
    "write_ins_to_review",
]

#: What the association may decide about a write-in.
DECISIONS: Final = ("matched", "discarded")


class UnknownWriteIn(SurveyError):
    """No write-in with that key in that wave (it may have been replaced by a new save)."""

    def __init__(self, wave: str, key: str) -> None:
        super().__init__(
            f"no write-in {key!r} in wave {wave!r} (the respondent may have saved again "
            "since; reload the page)"
        )


def surveys_supported(store: Store) -> bool:
    """Whether ``store`` keeps surveys (the embedded store only, for now)."""
    from collabgraph.store.falkor import FalkorStore

    return isinstance(getattr(store, "inner", store), FalkorStore)


def display_state(state: str, *, links: int, saved: int) -> str:
    """The state a leader reads: ``draft`` for an open wave nobody has a link to yet."""
    if state == "open" and links == 0 and saved == 0:
        return "draft"
    return state


class WaveSummary(BaseModel):
    """One survey wave at a glance."""

    wave: str
    state: str
    asked: int
    responded: int
    rate: float | None
    links: int
    created_at: str = ""
    closed_at: str | None = None


def _summary(graph: SurveyGraph, row: dict[str, Any]) -> WaveSummary:
    people = graph.run("read_survey_respondents", {"wave": row["wave"]})
    done = sum(1 for p in people if p["submitted"])
    links = sum(1 for p in people if p["has_link"])
    saved = sum(1 for p in people if p["saved_at"])
    return WaveSummary(
        wave=row["wave"],
        state=display_state(row["state"], links=links, saved=saved),
        asked=len(people),
        responded=done,
        rate=round(done / len(people), 4) if people else None,
        links=links,
        created_at=row.get("created_at") or "",
        closed_at=row.get("closed_at"),
    )


def wave_summaries(store: Store, district: str) -> list[WaveSummary]:
    """Every survey wave of ``district``, oldest first, with its state and response rate."""
    graph = SurveyGraph(store, district)
    return [_summary(graph, row) for row in list_surveys(store, district)]


def wave_summary(store: Store, district: str, wave: str) -> WaveSummary:
    """One wave at a glance (:class:`~collabgraph.survey.errors.UnknownSurvey` when none)."""
    survey = get_survey(store, district, wave)
    row = {"wave": wave, "state": survey.state.value, "created_at": survey.created_at,
           "closed_at": survey.closed_at}  # fmt: skip
    return _summary(SurveyGraph(store, district), row)


class WriteInRow(BaseModel):
    """A written-in name, with who wrote it and how it was reviewed."""

    key: str
    respondent: str
    respondent_name: str
    question: str
    question_text: str
    name: str
    frequency: str
    status: str
    person: str
    person_name: str


def write_ins_to_review(store: Store, district: str, wave: str) -> list[WriteInRow]:
    """The wave's write-ins, pending ones first, with names instead of ids."""
    survey = get_survey(store, district, wave)
    graph = SurveyGraph(store, district)
    text = {q.id: q.text for q in survey.spec.questions}
    who = {r["id"]: r["name"] for r in graph.run("read_survey_respondents", {"wave": wave})}
    roster = {r["id"]: r["name"] for r in graph.run("read_survey_people", {"wave": wave})}
    rows = [
        WriteInRow(
            key=w["key"],
            respondent=w["respondent"],
            respondent_name=who.get(w["respondent"], w["respondent"]),
            question=w["question"],
            question_text=text.get(w["question"], w["question"]),
            name=w["name"],
            frequency=w["frequency"],
            status=w["status"] or "pending",
            person=w["person"] or "",
            person_name=roster.get(w["person"] or "", ""),
        )
        for w in graph.run("read_survey_write_ins", {"wave": wave})
    ]
    return sorted(rows, key=lambda r: (r.status != "pending", r.respondent_name, r.name))


def review_write_in(
    store: Store,
    district: str,
    wave: str,
    key: str,
    decision: str,
    person: str | None = None,
) -> dict[str, str]:
    """Record the association's decision on one write-in.

    Raises
    ------
    UnknownWriteIn
        When the wave has no write-in ``key``.
    SurveyError
        When the decision is not one of :data:`DECISIONS`, or a match names nobody or
        someone who is not on the wave's roster.
    """
    get_survey(store, district, wave)
    if decision not in DECISIONS:
        raise SurveyError(f"decision: {decision!r} is not one of {', '.join(DECISIONS)}")
    graph = SurveyGraph(store, district)
    if not any(w["key"] == key for w in graph.run("read_survey_write_ins", {"wave": wave})):
        raise UnknownWriteIn(wave, key)
    chosen = ""
    if decision == "matched":
        if not person:
            raise SurveyError("person: choose the roster person this write-in is")
        roster = {r["id"] for r in graph.run("read_survey_people", {"wave": wave})}
        if person not in roster:
            raise SurveyError(f"person: {person!r} is not on the roster of wave {wave!r}")
        chosen = person
    rows = graph.run(
        "review_survey_write_in", {"key": key, "status": decision, "person": chosen}, write=True
    )
    if not rows:  # replaced by a respondent's save between the check and the write
        raise UnknownWriteIn(wave, key)
    return {"key": key, "status": decision, "person": chosen}


@functools.lru_cache(maxsize=65_536)
def fold(text: str) -> str:
    """Text for matching names: case and accents folded, spaces collapsed.

    >>> fold("  José  DE la Peña ")
    'jose de la pena'
    """
    plain = unicodedata.normalize("NFD", text.casefold())
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).split())


def likely_matches(
    name: str, roster: Sequence[RosterPerson], *, limit: int = 10
) -> list[RosterPerson]:
    """The ``limit`` roster people whose names look most like ``name``, best first.

    A shared word (a first or last name) counts most, then how alike the whole
    names are (:class:`difflib.SequenceMatcher`); people with nothing in common
    come last, in roster order.
    """
    want = fold(name)
    words = set(want.split())
    sm = difflib.SequenceMatcher(None, "", want)  # the written-in name is analysed once

    def shared(p: RosterPerson) -> int:
        return -len(words & set(fold(p.name).split()))

    def rough(item: tuple[int, RosterPerson]) -> tuple[int, float, int]:
        sm.set_seq1(fold(item[1].name))
        return (shared(item[1]), -sm.quick_ratio(), item[0])

    def fine(item: tuple[int, RosterPerson]) -> tuple[int, float, int]:
        sm.set_seq1(fold(item[1].name))
        return (shared(item[1]), -sm.ratio(), item[0])

    # a cheap upper bound picks the candidates, the exact ratio orders them
    shortlist = sorted(enumerate(roster), key=rough)[: max(limit * 5, 50)]
    return [p for _, p in sorted(shortlist, key=fine)[:limit]]


def answers_csv(store: Store, district: str, wave: str) -> tuple[str, int]:
    """Every answer of a wave as CSV (respondent, question, topic, person, frequency), and
    how many rows it has."""
    survey = get_survey(store, district, wave)
    topic = {q.id: q.topic for q in survey.spec.questions}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["respondent", "question", "topic", "person", "frequency"])
    rows: list[dict[str, Any]] = read_answers(store, district, wave)
    for a in rows:
        w.writerow([a["respondent"], a["question"], topic.get(a["question"], ""), a["person"],
                    a["frequency"]])  # fmt: skip
    return buf.getvalue(), len(rows)
