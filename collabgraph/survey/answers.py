"""The respondent's side: open a link, read one's own answers, save them.

A link names no district; :func:`find_link` looks its hash up in the survey
graph of each district (an index lookup each) and remembers where it found it.
A save is one statement that checks the link and the survey's state and
replaces that respondent's answers whole; a write-in sent again unchanged keeps
the association's review (:func:`write_in_key`).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import time
from enum import StrEnum
from typing import Any, Final

from pydantic import BaseModel, Field

from collabgraph.store.base import Store
from collabgraph.survey.errors import SurveyError
from collabgraph.survey.model import AnswerSet, SurveySpec, SurveyState
from collabgraph.survey.roster import RosterPerson
from collabgraph.survey.storage import SurveyGraph, person_key
from collabgraph.survey.tokens import looks_like_token, token_hash

__all__ = [
    "Link",
    "LinkState",
    "SaveRefused",
    "check_answers",
    "find_link",
    "own_answers",
    "roster_of",
    "save_answers",
    "write_in_key",
]


class LinkState(StrEnum):
    """What a link leads to."""

    OPEN = "open"
    SUBMITTED = "submitted"  #: answered; may still change answers
    CLOSED = "closed"
    REVOKED = "revoked"
    UNKNOWN = "unknown"


class Link(BaseModel):
    """A link looked up: whose it is and the survey it belongs to."""

    state: LinkState
    district: str = ""
    wave: str = ""
    respondent: str = ""
    name: str = ""
    saved_at: str = ""
    spec: SurveySpec | None = None


class SaveRefused(SurveyError):
    """The link is unknown or revoked, or the survey no longer takes answers."""

    def __init__(self, state: LinkState) -> None:
        super().__init__(f"this survey link cannot take answers ({state.value})")
        self.state = state


_where: dict[str, str] = {}
_districts: list[tuple[float, list[str]]] = []
#: Seconds the list of districts is reused for link lookups (a miss reads it again).
DISTRICTS_TTL: Final = 5.0


def _district_list(store: Store, *, fresh: bool = False) -> list[str]:
    now = time.monotonic()
    if fresh or not _districts or now - _districts[0][0] > DISTRICTS_TTL:
        _districts[:] = [(now, store.list_districts())]
    return _districts[0][1]


@functools.lru_cache(maxsize=256)
def _spec(text: str) -> SurveySpec:
    return SurveySpec.model_validate_json(text)


def _lookup(store: Store, digest: str, districts: list[str]) -> Link | None:
    first = _where.get(digest)
    order = ([first] if first in districts else []) + [d for d in districts if d != first]
    for district in order:
        rows = SurveyGraph(store, district).run("find_survey_respondent", {"hash": digest})
        if not rows:
            continue
        _where[digest] = district
        row = rows[0]
        if row["revoked"]:
            state = LinkState.REVOKED
        elif row["state"] != SurveyState.OPEN.value:
            state = LinkState.CLOSED
        elif row["submitted"]:
            state = LinkState.SUBMITTED
        else:
            state = LinkState.OPEN
        return Link(
            state=state,
            district=district,
            wave=row["wave"],
            respondent=row["id"],
            name=row["name"],
            saved_at=row["saved_at"] or "",
            spec=_spec(row["spec"]),
        )
    return None


def find_link(store: Store, token: str) -> Link:
    """Whose link ``token`` is, and whether it still takes answers."""
    if not looks_like_token(token):
        return Link(state=LinkState.UNKNOWN)
    digest = token_hash(token)
    seen = _district_list(store)
    found = _lookup(store, digest, seen)
    if found is None:  # a district added since the list was read?
        now = [d for d in _district_list(store, fresh=True) if d not in seen]
        found = _lookup(store, digest, now) if now else None
    return found or Link(state=LinkState.UNKNOWN)


_rosters: dict[tuple[int, str, str], tuple[RosterPerson, ...]] = {}


def roster_of(store: Store, district: str, wave: str) -> tuple[RosterPerson, ...]:
    """The people a respondent of this wave may name (fixed at creation, so cached)."""
    key = (id(store), district, wave)
    found = _rosters.get(key)
    if found is None:
        rows = SurveyGraph(store, district).run("read_survey_people", {"wave": wave})
        found = tuple(
            RosterPerson(id=r["id"], name=r["name"], school=r["school"] or "") for r in rows
        )
        if found:
            _rosters[key] = found
    return found


def check_answers(spec: SurveySpec, roster: tuple[RosterPerson, ...], answers: AnswerSet) -> None:
    """Refuse answers that name an unknown question or person, twice a pair, or too many."""
    questions = {q.id for q in spec.questions}
    people = {p.id for p in roster}
    seen: set[tuple[str, str]] = set()
    per_question: dict[str, int] = {}
    for i, a in enumerate(answers.answers):
        where = f"answers[{i}]"
        if a.question not in questions:
            raise SurveyError(f"{where}: no question {a.question!r} in this survey")
        if a.person not in people:
            raise SurveyError(f"{where}: {a.person!r} is not on this survey's roster")
        if (a.question, a.person) in seen:
            raise SurveyError(f"{where}: {a.person!r} is named twice for {a.question!r}")
        seen.add((a.question, a.person))
        per_question[a.question] = per_question.get(a.question, 0) + 1
        if spec.max_names is not None and per_question[a.question] > spec.max_names:
            raise SurveyError(
                f"{where}: at most {spec.max_names} names per question ({a.question!r})"
            )
    for i, w in enumerate(answers.write_ins):
        if w.question not in questions:
            raise SurveyError(f"write_ins[{i}]: no question {w.question!r} in this survey")


def write_in_key(wave: str, respondent: str, question: str, name: str) -> str:
    """The key of a write-in: the same text for the same question is the same write-in.

    A respondent's later save that sends it again keeps the association's review of it.

    >>> write_in_key("w", "a", "q", "Pat") == write_in_key("w", "a", "q", "Pat")
    True
    >>> write_in_key("w", "a", "q", "Pat") == write_in_key("w", "a", "q", "Pat Lee")
    False
    """
    return hashlib.sha256(f"{wave}|{respondent}|{question}|{name}".encode()).hexdigest()[:24]


def save_answers(store: Store, token: str, answers: AnswerSet, *, link: Link | None = None) -> Link:
    """Replace the answers of a link's respondent (one statement); the link after the save.

    ``link`` is the link as just looked up (by :func:`find_link`), to save looking it up again.

    Raises
    ------
    SaveRefused
        The link is unknown or revoked, or its survey is not open.
    SurveyError
        The answers do not fit the survey (see :func:`check_answers`).
    """
    link = link if link is not None else find_link(store, token)
    if link.state not in (LinkState.OPEN, LinkState.SUBMITTED) or link.spec is None:
        raise SaveRefused(link.state)
    check_answers(link.spec, roster_of(store, link.district, link.wave), answers)
    digest = token_hash(token)
    at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    write_ins = [
        {
            "key": write_in_key(link.wave, link.respondent, w.question, w.name),
            "question": w.question,
            "name": w.name,
            "frequency": w.frequency.value,
        }
        for w in answers.write_ins
    ]
    params: dict[str, Any] = {
        "hash": digest,
        "answers": [
            {
                "question": a.question,
                "person": person_key(link.wave, a.person),
                "frequency": a.frequency.value,
            }
            for a in answers.answers
        ],
        "write_ins": write_ins,
        "keys": [w["key"] for w in write_ins],
        "submitted": answers.submitted,
        "at": at,
        "open": SurveyState.OPEN.value,
        "pending": "pending",
        "none": "",
    }
    rows = SurveyGraph(store, link.district).run("save_survey_answers", params, write=True)
    if not rows:  # revoked or closed between the lookup and the save
        raise SaveRefused(find_link(store, token).state)
    submitted = bool(rows[0]["submitted"])
    return link.model_copy(
        update={
            "saved_at": rows[0]["saved_at"],
            "state": LinkState.SUBMITTED if submitted else LinkState.OPEN,
        }
    )


class OwnAnswers(BaseModel):
    """What a respondent has answered so far."""

    answers: list[dict[str, Any]] = Field(default_factory=list)
    write_ins: list[dict[str, Any]] = Field(default_factory=list)


def own_answers(store: Store, link: Link, token: str) -> OwnAnswers:
    """A respondent's own answers and write-ins (nobody else's)."""
    graph = SurveyGraph(store, link.district)
    digest = token_hash(token)
    return OwnAnswers(
        answers=graph.run("read_own_answers", {"hash": digest}),
        write_ins=graph.run("read_own_write_ins", {"hash": digest}),
    )
