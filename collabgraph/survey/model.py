"""What a survey is: its questions, who is asked, who can be named, its state.

A survey belongs to one district and one wave label. Its questions each ask
for names from the roster plus a frequency; closing turns every answer into a
``TIE`` of the wave with the question's topic and the frequency's weight.

The frequency scale (what a respondent picks, and the tie weight it becomes,
times the district's ``tie_scale``):

======================  ========  ======
answer                  stored    weight
======================  ========  ======
daily                   daily     1.0
weekly                  weekly    0.75
monthly                 monthly   0.5
a few times a year      quarterly 0.25
======================  ========  ======

Examples
--------
>>> [q.topic for q in DEFAULT_QUESTIONS]
['student-data', 'curriculum', 'articulation', 'instruction', 'mentoring', 'union-business']
>>> SurveySpec(district="d", wave="2026-fall").respondents
<RespondentGroup.REPS: 'reps'>
>>> ANSWER_WEIGHT["quarterly"]
0.25
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from collabgraph.model import Frequency, Ident

__all__ = [
    "ANSWER_CHOICES",
    "ANSWER_WEIGHT",
    "DEFAULT_QUESTIONS",
    "MAX_NAMES",
    "MAX_QUESTIONS",
    "MAX_WRITE_INS",
    "Answer",
    "AnswerSet",
    "Question",
    "RespondentGroup",
    "RosterGroup",
    "SurveySpec",
    "SurveyState",
    "WriteIn",
]

#: The frequencies a respondent may pick, in the order the form shows them.
ANSWER_CHOICES: Final[dict[str, str]] = {
    Frequency.DAILY.value: "Daily",
    Frequency.WEEKLY.value: "Weekly",
    Frequency.MONTHLY.value: "Monthly",
    Frequency.QUARTERLY.value: "A few times a year",
}

#: Tie weight of each answer (before the district's ``tie_scale``).
ANSWER_WEIGHT: Final[dict[str, float]] = {k: Frequency(k).weight for k in ANSWER_CHOICES}

#: Hard limits, checked before anything is written.
MAX_QUESTIONS: Final = 20
MAX_NAMES: Final = 200
MAX_WRITE_INS: Final = 20

_Text = Annotated[str, Field(min_length=1, max_length=400)]
_Long = Annotated[str, Field(max_length=4000)]


class RespondentGroup(StrEnum):
    """Who is asked."""

    REPS = "reps"  #: building representatives
    OFFICERS = "officers"  #: president, vice presidents, officers, chief negotiator
    ASSOCIATION = "association"  #: every person on the association side
    LIST = "list"  #: the ids given in ``respondent_ids``


class RosterGroup(StrEnum):
    """Who can be named."""

    ASSOCIATION = "association"  #: every association person (the default)
    DISTRICT = "district"  #: everyone in the district


class SurveyState(StrEnum):
    """Where a survey is in its life."""

    OPEN = "open"
    CLOSING = "closing"
    CLOSED = "closed"


class Question(BaseModel):
    """One question: whom do you talk with about ``topic``, and how often."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Ident
    topic: Ident
    text: _Text


DEFAULT_QUESTIONS: Final[tuple[Question, ...]] = (
    Question(
        id="q-data",
        topic="student-data",
        text="With whom do you regularly talk about student performance data?",
    ),
    Question(
        id="q-curriculum",
        topic="curriculum",
        text="With whom do you regularly talk about curriculum?",
    ),
    Question(
        id="q-articulation",
        topic="articulation",
        text="With whom do you regularly talk about articulation between grade levels or schools?",
    ),
    Question(
        id="q-instruction",
        topic="instruction",
        text="With whom do you regularly talk about instruction and teaching practice?",
    ),
    Question(
        id="q-mentoring",
        topic="mentoring",
        text="Whom do you mentor, or who mentors you?",
    ),
    Question(
        id="q-union",
        topic="union-business",
        text="With whom do you regularly talk about association business?",
    ),
)


class SurveySpec(BaseModel):
    """What the association asks for when it creates a survey."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    district: Ident
    wave: Ident
    respondents: RespondentGroup = RespondentGroup.REPS
    respondent_ids: list[Ident] = Field(default_factory=list, max_length=100_000)
    roster: RosterGroup = RosterGroup.ASSOCIATION
    questions: list[Question] = Field(
        default_factory=lambda: list(DEFAULT_QUESTIONS), min_length=1, max_length=MAX_QUESTIONS
    )
    max_names: Annotated[int, Field(ge=1, le=MAX_NAMES)] | None = None
    intro: _Long = ""
    consent: _Long = ""
    opens: dt.date | None = None
    closes: dt.date | None = None

    @field_validator("questions")
    @classmethod
    def _unique_questions(cls, qs: list[Question]) -> list[Question]:
        for attr in ("id", "topic"):
            seen: set[str] = set()
            for q in qs:
                value = getattr(q, attr)
                if value in seen:
                    raise ValueError(f"two questions share the {attr} {value!r}")
                seen.add(value)
        return qs

    @model_validator(mode="after")
    def _list_needs_ids(self) -> SurveySpec:
        if self.respondents is RespondentGroup.LIST and not self.respondent_ids:
            raise ValueError("respondents 'list' needs respondent_ids (the person ids to ask)")
        if self.opens and self.closes and self.closes < self.opens:
            raise ValueError(f"closes ({self.closes}) is before opens ({self.opens})")
        return self


class Answer(BaseModel):
    """One name picked for one question, with how often."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    question: Ident
    person: Ident
    frequency: Frequency

    @field_validator("frequency")
    @classmethod
    def _on_scale(cls, f: Frequency) -> Frequency:
        if f.value not in ANSWER_CHOICES:
            raise ValueError(
                f"{f.value!r} is not on the survey's scale ({', '.join(ANSWER_CHOICES)})"
            )
        return f


class WriteIn(BaseModel):
    """A person the respondent named who is not on the roster (reviewed by the association)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    question: Ident
    name: Annotated[str, Field(min_length=1, max_length=120)]
    frequency: Frequency


class AnswerSet(BaseModel):
    """Everything one respondent has answered (what one save writes, whole)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    answers: list[Answer] = Field(default_factory=list, max_length=MAX_QUESTIONS * MAX_NAMES)
    write_ins: list[WriteIn] = Field(default_factory=list, max_length=MAX_WRITE_INS)
    submitted: bool = False
