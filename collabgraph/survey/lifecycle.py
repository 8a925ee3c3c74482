"""Create, watch and close a survey (the association's side).

Closing turns every answer of a respondent who submitted (answers saved but
never submitted do not count) into a ``TIE`` of the survey's wave: source the
respondent, target the person named, ``topic`` the question's topic,
``frequency`` the answer, ``weight`` the answer's weight on the scale of
:mod:`collabgraph.survey.model` times the district's ``tie_scale``, and
``origin`` ``survey``. One statement removes the wave's survey ties and writes
the new ones (:mod:`collabgraph.survey.closing`), so a close is all or nothing;
closing a closed survey changes nothing; re-opening and closing again replaces the
wave's survey ties exactly.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from pydantic import BaseModel, Field

from collabgraph.collector import paused
from collabgraph.model import Frequency, Tie, Workbook
from collabgraph.store.base import Store, UnknownDistrict
from collabgraph.survey.closing import ORIGIN, write_survey_ties
from collabgraph.survey.errors import SurveyError, SurveyExists, UnknownSurvey
from collabgraph.survey.model import ANSWER_WEIGHT, SurveySpec, SurveyState
from collabgraph.survey.roster import respondents_of, roster_people
from collabgraph.survey.storage import SurveyGraph, dumps, person_key
from collabgraph.survey.tokens import new_token, token_hash

__all__ = [
    "ORIGIN",
    "CloseResult",
    "IssuedLink",
    "Survey",
    "close_survey",
    "counted_answers",
    "create_survey",
    "get_survey",
    "issue_links",
    "list_surveys",
    "read_answers",
    "reopen_survey",
    "revoke_link",
    "survey_ties",
    "update_spec",
]


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Survey(BaseModel):
    """A stored survey: its settings and where it is in its life."""

    district: str
    wave: str
    state: SurveyState
    spec: SurveySpec
    answered: bool = Field(description="An answer has arrived (questions are then fixed).")
    created_at: str = ""
    closed_at: str | None = None
    ties: int | None = Field(default=None, description="Ties written by the last close.")


class IssuedLink(BaseModel):
    """A respondent's fresh link token (shown once; the store keeps its hash)."""

    id: str
    name: str
    school: str
    token: str


class CloseResult(BaseModel):
    """What a close did."""

    district: str
    wave: str
    ties: int
    skipped: list[str] = Field(
        default_factory=list, description="Answers naming people no longer in the district."
    )
    already_closed: bool = False


def create_survey(store: Store, spec: SurveySpec, *, workbook: Workbook | None = None) -> Survey:
    """Create a survey wave: its roster snapshot and its respondents (no links yet).

    Raises
    ------
    SurveyExists
        When the district already has a survey of that wave.
    SurveyError
        When nobody would be asked or nobody could be named.
    """
    wb = workbook if workbook is not None else store.read_workbook(spec.district)
    people = roster_people(wb, spec.roster)
    asked = respondents_of(wb, spec)
    if not asked:
        raise SurveyError(
            f"nobody to ask: district {spec.district!r} has no {spec.respondents.value} "
            "(choose --respondents association, or list the people)"
        )
    if not people:
        raise SurveyError(f"nobody to name: district {spec.district!r} has no roster people")
    graph = SurveyGraph(store, spec.district)
    graph.ensure_schema()
    wave = spec.wave
    rows = graph.run(
        "create_survey",
        {
            "wave": wave,
            "nonce": uuid.uuid4().hex,
            "props": {
                "spec": dumps(spec.model_dump(mode="json")),
                "state": SurveyState.OPEN.value,
                "created_at": _now(),
            },
            "people": [
                {"key": person_key(wave, p.id), "wave": wave, **p.model_dump()} for p in people
            ],
            "respondents": [
                {
                    "key": person_key(wave, p.id),
                    "wave": wave,
                    **p.model_dump(),
                    "token_hash": "",
                    "revoked": False,
                    "submitted": False,
                    "saved_at": "",
                }
                for p in asked
            ],
        },
        write=True,
    )
    if not rows:
        raise SurveyExists(spec.district, wave)
    return get_survey(store, spec.district, wave)


def _survey(district: str, row: dict[str, Any]) -> Survey:
    return Survey(
        district=district,
        wave=row["wave"],
        state=SurveyState(row["state"]),
        spec=SurveySpec.model_validate(json.loads(row["spec"])),
        answered=bool(row["answered"]),
        created_at=row.get("created_at") or "",
        closed_at=row.get("closed_at"),
        ties=row.get("ties"),
    )


def get_survey(store: Store, district: str, wave: str) -> Survey:
    """A stored survey; :class:`UnknownSurvey` when there is none."""
    rows = SurveyGraph(store, district).run("read_survey", {"wave": wave})
    if not rows and not store.has_district(district):
        raise UnknownDistrict(district, store.list_districts())
    if not rows:
        raise UnknownSurvey(district, wave)
    return _survey(district, rows[0])


def list_surveys(store: Store, district: str) -> list[dict[str, Any]]:
    """Wave, state and dates of every survey of a district."""
    return SurveyGraph(store, district).run("list_surveys")


def update_spec(store: Store, spec: SurveySpec) -> Survey:
    """Replace a survey's questions and texts; only until the first answer arrives."""
    current = get_survey(store, spec.district, spec.wave)
    fixed = ("respondents", "respondent_ids", "roster")
    if any(getattr(spec, f) != getattr(current.spec, f) for f in fixed):
        raise SurveyError("who is asked and who can be named are fixed when a survey is created")
    rows = SurveyGraph(store, spec.district).run(
        "update_survey_spec",
        {"wave": spec.wave, "spec": dumps(spec.model_dump(mode="json")), "open": "open"},
        write=True,
    )
    if not rows:
        raise SurveyError(
            f"the questions of wave {spec.wave!r} can no longer change: answers have arrived "
            "or the survey is closed"
        )
    return get_survey(store, spec.district, spec.wave)


def issue_links(
    store: Store, district: str, wave: str, only: list[str] | None = None
) -> list[IssuedLink]:
    """New link tokens for every respondent (or those in ``only``); old links stop working.

    Answers stay with the respondent, so re-issuing a link loses nothing.
    """
    get_survey(store, district, wave)
    graph = SurveyGraph(store, district)
    everyone = graph.run("read_survey_respondents", {"wave": wave})
    if only is not None:
        known = {r["id"] for r in everyone}
        missing = sorted(set(only) - known)
        if missing:
            raise SurveyError(f"not respondents of wave {wave!r}: " + ", ".join(missing[:10]))
        everyone = [r for r in everyone if r["id"] in set(only)]
    links = [
        IssuedLink(id=r["id"], name=r["name"], school=r["school"] or "", token=new_token())
        for r in everyone
    ]
    for start in range(0, len(links), 2000):
        part = links[start : start + 2000]
        graph.run(
            "set_survey_tokens",
            {"rows": [{"key": person_key(wave, x.id), "hash": token_hash(x.token)} for x in part]},
            write=True,
        )
    return links


def revoke_link(store: Store, district: str, wave: str, person: str) -> None:
    """Revoke one respondent's link (its answers stay; issue a new link to let it back in)."""
    rows = SurveyGraph(store, district).run(
        "revoke_survey_token", {"key": person_key(wave, person)}, write=True
    )
    if not rows:
        raise SurveyError(f"{person!r} is not a respondent of wave {wave!r}")


def read_answers(store: Store, district: str, wave: str) -> list[dict[str, Any]]:
    """Every answer of a wave (respondent, question, person, frequency), sorted."""
    return SurveyGraph(store, district).run("read_survey_answers", {"wave": wave})


def counted_answers(store: Store, district: str, wave: str) -> list[list[str]]:
    """The answers that count, as ``[respondent, question, person, frequency]`` rows: those
    of respondents who submitted, and the write-ins the association matched to a roster
    person (unordered; a pair named twice for one question is there twice)."""
    graph = SurveyGraph(store, district)
    rows: list[list[str]] = []
    params = {"wave": wave, "sep": "\t", "line": "\n", "none": ""}
    for r in graph.run("read_survey_submitted_answers", params, known=True):
        who, *answers = r["answers"].split("\n")
        rows += ([who, *a.split("\t")] for a in answers)
    params = {"wave": wave, "matched": "matched"}
    rows += (
        [w["respondent"], w["question"], w["person"], w["frequency"]]
        for w in graph.run("read_survey_matched_write_ins", params, known=True)
    )
    return rows


def survey_ties(survey: Survey, answers: list[dict[str, Any]], scale: float = 1.0) -> list[Tie]:
    """The ties a wave's answers stand for.

    >>> from collabgraph.survey.model import SurveySpec
    >>> s = Survey(district="d", wave="w", state="open", answered=True,
    ...            spec=SurveySpec(district="d", wave="w"))
    >>> [t.key for t in survey_ties(s, [{"respondent": "a", "person": "b",
    ...     "question": "q-mentoring", "frequency": "weekly"}])]
    ['a>b|mentoring|w']
    """
    topic = {q.id: q.topic for q in survey.spec.questions}
    ties = []
    for a in answers:
        if a["question"] not in topic or a["respondent"] == a["person"]:
            continue
        freq = Frequency(a["frequency"])
        ties.append(
            Tie(
                source=a["respondent"],
                target=a["person"],
                topic=topic[a["question"]],
                frequency=freq,
                weight=ANSWER_WEIGHT[freq.value] * scale,
                wave=survey.wave,
                origin=ORIGIN,
            )
        )
    return ties


def close_survey(store: Store, district: str, wave: str) -> CloseResult:
    """Close a survey and write its ties (all or nothing; closing again changes nothing)."""
    survey = get_survey(store, district, wave)
    graph = SurveyGraph(store, district)
    if survey.state is SurveyState.CLOSED:
        return CloseResult(district=district, wave=wave, ties=survey.ties or 0, already_closed=True)
    # First stop new answers (a save checks the state in its own statement), then read them.
    graph.run(
        "set_survey_state",
        {"wave": wave, "from": ["open", "closing"], "to": "closing", "at": None, "ties": None},
        write=True,
    )
    try:
        with paused():  # tens of thousands of small objects: no collector scans of the heap
            written = write_survey_ties(
                store, district, wave, survey.spec.questions, counted_answers(store, district, wave)
            )
    except SurveyError:
        graph.run(
            "set_survey_state",
            {"wave": wave, "from": ["closing"], "to": "open", "at": None, "ties": None},
            write=True,
        )
        raise
    graph.run(
        "set_survey_state",
        {"wave": wave, "from": ["closing"], "to": "closed", "at": _now(), "ties": written.ties},
        write=True,
    )
    return CloseResult(district=district, wave=wave, ties=written.ties, skipped=written.skipped)


def reopen_survey(store: Store, district: str, wave: str) -> Survey:
    """Take answers again; the wave's survey ties stay until the next close replaces them."""
    get_survey(store, district, wave)
    SurveyGraph(store, district).run(
        "set_survey_state",
        {"wave": wave, "from": ["closed", "closing"], "to": "open", "at": None, "ties": None},
        write=True,
    )
    return get_survey(store, district, wave)
