"""The domain model of a district partnership, as pydantic v2 models.

One :class:`Workbook` describes one district: its schools, the organizations on
each side of the table, the positions people hold, the teams and standing
meetings that make up the partnership, and the communication ties between
people. Positions are the durable structure; people come and go by holding
them.

Each section of the workbook is a list of rows of one model. Every row with an
identity has an ``id``: a non-empty string, unique within its section, used for
references between sections and as the key of every upsert in the store.

Examples
--------
>>> school = School(id="lincoln-es", name="Lincoln Elementary", level="elementary")
>>> school.level
<SchoolLevel.ELEMENTARY: 'elementary'>
>>> Tie(source="ana", target="bo").weight
1.0
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Final

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from collabgraph.safety.ids import ID_PATTERN, MAX_ID_LENGTH

__all__ = [
    "BUILTIN_TOPICS",
    "FORMAT",
    "LIST_SEPARATOR",
    "SECTIONS",
    "Appointer",
    "Cadence",
    "Counterpart",
    "District",
    "Frequency",
    "Ident",
    "Meeting",
    "Membership",
    "MembershipRole",
    "OrgKind",
    "Organization",
    "Person",
    "Position",
    "PositionKind",
    "PositionLevel",
    "Priority",
    "School",
    "SchoolLevel",
    "Side",
    "Team",
    "TeamKind",
    "TeamLevel",
    "Tie",
    "Topic",
    "Workbook",
]

#: The format tag every workbook carries; bump the number on incompatible change.
FORMAT: Final = "collabgraph/1"

#: How list-valued cells are written in CSV and Excel encodings.
LIST_SEPARATOR: Final = ";"

Ident = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=MAX_ID_LENGTH, pattern=ID_PATTERN
    ),
]
"""An identifier (:mod:`collabgraph.safety.ids`): letters, digits, ``_``, ``-`` and ``.``,
starting with a letter, a digit or ``_``; so no spaces, ``;``, ``/`` or ``\\``."""

#: Printable text on one line: no control characters (a NUL would cut a query short).
ONE_LINE: Final = r"^[^\x00-\x1f\x7f]*$"
#: Printable text that may span lines (newlines and tabs allowed).
MULTI_LINE: Final = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300, pattern=ONE_LINE)
]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000, pattern=MULTI_LINE)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200, pattern=ONE_LINE)]


class Side(StrEnum):
    """The stakeholder group a position, person or organization belongs to."""

    MANAGEMENT = "management"
    LABOR = "labor"
    BOARD = "board"
    COMMUNITY = "community"
    EXTERNAL = "external"


class SchoolLevel(StrEnum):
    """The grades a school serves."""

    EARLY_CHILDHOOD = "early_childhood"
    ELEMENTARY = "elementary"
    MIDDLE = "middle"
    HIGH = "high"
    K8 = "k8"
    K12 = "k12"
    ADULT = "adult"
    ALTERNATIVE = "alternative"
    OTHER = "other"


class OrgKind(StrEnum):
    """What kind of organization takes part in the partnership."""

    LOCAL_ASSOCIATION = "local_association"
    STATE_AFFILIATE = "state_affiliate"
    NATIONAL_AFFILIATE = "national_affiliate"
    OTHER_UNION = "other_union"
    DISTRICT_ADMINISTRATION = "district_administration"
    SCHOOL_BOARD = "school_board"
    PTA = "pta"
    STUDENT_COUNCIL = "student_council"
    UNIVERSITY = "university"
    NONPROFIT = "nonprofit"
    CONSORTIUM = "consortium"
    FACILITATOR = "facilitator"
    OTHER = "other"


class PositionLevel(StrEnum):
    """Where a position sits in the system."""

    DISTRICT = "district"
    SCHOOL = "school"
    STATE = "state"
    NATIONAL = "national"


class PositionKind(StrEnum):
    """The role a position plays; used by the analyses to find reps, officers, cabinet."""

    SUPERINTENDENT = "superintendent"
    CABINET = "cabinet"
    DIRECTOR = "director"
    COORDINATOR = "coordinator"
    PRINCIPAL = "principal"
    ASSISTANT_PRINCIPAL = "assistant_principal"
    PRESIDENT = "president"
    VICE_PRESIDENT = "vice_president"
    OFFICER = "officer"
    CHIEF_NEGOTIATOR = "chief_negotiator"
    BUILDING_REP = "building_rep"
    COMMITTEE_CHAIR = "committee_chair"
    ASSOCIATION_STAFF = "association_staff"
    TEACHER_LEADER = "teacher_leader"
    BOARD_MEMBER = "board_member"
    PARENT_LEADER = "parent_leader"
    STUDENT_LEADER = "student_leader"
    PARTNER = "partner"
    OTHER = "other"


class TeamKind(StrEnum):
    """The kinds of collaborative team the guidebook describes."""

    DLT = "dlt"
    SLT = "slt"
    WORKING_COMMITTEE = "working_committee"
    PLC = "plc"
    TASK_FORCE = "task_force"
    OTHER = "other"


class TeamLevel(StrEnum):
    """Whether a team works for the whole district or for one school."""

    DISTRICT = "district"
    SCHOOL = "school"


class MembershipRole(StrEnum):
    """A person's role on a team."""

    CHAIR = "chair"
    CO_CHAIR = "co_chair"
    MEMBER = "member"


class Appointer(StrEnum):
    """Who appointed a team member."""

    MANAGEMENT = "management"
    LABOR = "labor"
    JOINT = "joint"


class Cadence(StrEnum):
    """How often a standing meeting is meant to happen."""

    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"
    AS_NEEDED = "as_needed"

    @property
    def days(self) -> int | None:
        """Expected days between meetings, or ``None`` for ``as_needed``.

        >>> Cadence.MONTHLY.days
        31
        """
        return _CADENCE_DAYS[self]


_CADENCE_DAYS: Final[dict[Cadence, int | None]] = {
    Cadence.WEEKLY: 7,
    Cadence.BIWEEKLY: 14,
    Cadence.MONTHLY: 31,
    Cadence.QUARTERLY: 92,
    Cadence.YEARLY: 366,
    Cadence.AS_NEEDED: None,
}


class Frequency(StrEnum):
    """How often two people talk, as a survey answers it."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"

    @property
    def weight(self) -> float:
        """The tie strength a frequency stands for when no weight is given.

        >>> Frequency.WEEKLY.weight
        0.75
        """
        return _FREQUENCY_WEIGHT[self]


_FREQUENCY_WEIGHT: Final[dict[Frequency, float]] = {
    Frequency.DAILY: 1.0,
    Frequency.WEEKLY: 0.75,
    Frequency.MONTHLY: 0.5,
    Frequency.QUARTERLY: 0.25,
    Frequency.YEARLY: 0.1,
}

#: Topics every workbook may use without declaring them: the four topics of the
#: teacher-network survey instrument used by the research the product follows.
BUILTIN_TOPICS: Final[dict[str, str]] = {
    "student-data": "Student performance data",
    "curriculum": "Curriculum",
    "instruction": "Instructional practice",
    "mentoring": "Mentoring",
}


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)


class District(_Row):
    """The district the workbook describes."""

    id: Ident
    name: Name
    state: Name | None = None
    note: Note | None = None
    tie_scale: Annotated[float, Field(gt=0.0, le=1_000_000, allow_inf_nan=False)] | None = Field(
        default=None,
        description=(
            "The top of the scale tie weights are given on: 5 for a 1-5 rating, 30 for "
            "talks per month. Left empty, it is 1 (weights in (0, 1]). The analysis divides "
            "every weight by it, so weighted figures stay comparable between districts."
        ),
    )

    rep_staff_healthy: Annotated[int, Field(ge=1, le=100_000)] | None = Field(
        default=None,
        description=(
            "Staff per building rep at or below which a site counts as covered; left "
            "empty, 50 (see docs/metrics.md for the practice behind it)."
        ),
    )
    rep_staff_hard: Annotated[int, Field(ge=1, le=100_000)] | None = Field(
        default=None,
        description="Staff per building rep above which one rep cannot cover a site; left "
        "empty, 100.",
    )

    @model_validator(mode="after")
    def _thresholds_in_order(self) -> District:
        healthy, hard = self.rep_staff_healthy or 50, self.rep_staff_hard or 100
        if hard < healthy:
            raise ValueError(
                f"rep_staff_hard ({hard}) must be at least rep_staff_healthy ({healthy})"
            )
        return self

    @property
    def scale(self) -> float:
        """The tie scale, 1 when not given."""
        return self.tie_scale or 1.0


class School(_Row):
    """A worksite."""

    id: Ident
    name: Name
    level: SchoolLevel
    represented_staff: Annotated[int, Field(ge=0, le=100_000)] | None = Field(
        default=None, description="Staff the association represents at this site."
    )


class Organization(_Row):
    """A party to the partnership: the local, its affiliates, the administration..."""

    id: Ident
    name: Name
    side: Side
    kind: OrgKind
    affiliate_of: Ident | None = Field(default=None, description="Parent organization id.")


class Position(_Row):
    """A durable role (building rep at X, Asst. Supt. HR...) that a person may hold."""

    id: Ident
    title: Name
    side: Side
    kind: PositionKind
    level: PositionLevel = PositionLevel.DISTRICT
    school: Ident | None = None
    organization: Ident | None = None
    portfolio: list[Ident] = Field(default_factory=list, description="Topic ids.")
    holder: Ident | None = Field(default=None, description="Person id of the holder.")
    holder_since: dt.date | None = None


class Person(_Row):
    """A person. Personal data is kept to an id, a display name and where they work."""

    id: Ident
    name: Name
    side: Side | None = Field(default=None, description="Needed when the person holds no position.")
    school: Ident | None = None


class Team(_Row):
    """A leadership team, working committee, PLC or task force."""

    id: Ident
    name: Name
    kind: TeamKind
    level: TeamLevel
    school: Ident | None = None
    topics: list[Ident] = Field(default_factory=list)
    overseen_by: list[Ident] = Field(default_factory=list, description="Team ids.")
    decision_step: Annotated[int, Field(ge=1, le=7)] | None = Field(
        default=None, description="Step on the seven-step decision-making scale (4 = shared)."
    )


class Membership(_Row):
    """A person's seat on a team."""

    person: Ident
    team: Ident
    role: MembershipRole = MembershipRole.MEMBER
    appointed_by: Appointer | None = None


class Topic(_Row):
    """A topic or focus area."""

    id: Ident
    name: Name
    description: Note | None = None


class Priority(_Row):
    """A focus area the partnership has declared."""

    topic: Ident
    rank: Annotated[int, Field(ge=1, le=1000)] | None = None
    note: Note | None = None


class Meeting(_Row):
    """A standing meeting between positions (usually role-alike counterparts)."""

    id: Ident
    name: Name
    cadence: Cadence
    attendees: Annotated[list[Ident], Field(min_length=2)]
    last_held: dt.date | None = None
    topics: list[Ident] = Field(default_factory=list)


class Counterpart(_Row):
    """A declared role-alike pairing of an administration and an association position."""

    management: Ident
    labor: Ident
    note: Note | None = None


class Tie(_Row):
    """A communication tie: ``source`` reports talking with ``target``.

    ``weight`` is the tie's strength, above 0 and at most the district's
    ``tie_scale`` (1 unless the district says otherwise); when only a
    ``frequency`` is given, the weight is the frequency's (see
    :attr:`Frequency.weight`) times the scale, which workbook validation applies.

    >>> Tie(source="a", target="b", frequency="monthly").weight
    0.5
    """

    source: Ident
    target: Ident
    weight: Annotated[float, Field(gt=0.0, le=1_000_000, allow_inf_nan=False)] = 1.0
    frequency: Frequency | None = None
    topic: Ident | None = None
    wave: Label | None = None
    origin: Label | None = None

    @model_validator(mode="before")
    @classmethod
    def _weight_from_frequency(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("weight") is None and data.get("frequency"):
            try:
                return {**data, "weight": Frequency(data["frequency"]).weight}
            except ValueError:
                return data  # the bad frequency is reported by field validation
        return data

    @field_validator("weight", mode="before")
    @classmethod
    def _no_bool_weight(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("weight must be a number, not true/false")
        return value

    @property
    def key(self) -> str:
        """The tie's stable identity: one tie per pair, topic and wave.

        >>> Tie(source="a", target="b", topic="curriculum", wave="2024").key
        'a>b|curriculum|2024'
        """
        return f"{self.source}>{self.target}|{self.topic or ''}|{self.wave or ''}"


#: Section name -> row model, in the order sections are written and validated.
SECTIONS: Final[dict[str, type[_Row]]] = {
    "district": District,
    "schools": School,
    "organizations": Organization,
    "topics": Topic,
    "priorities": Priority,
    "people": Person,
    "positions": Position,
    "teams": Team,
    "memberships": Membership,
    "meetings": Meeting,
    "counterparts": Counterpart,
    "ties": Tie,
}


class Workbook(BaseModel):
    """One district's whole partnership, as read from a workbook file.

    A ``Workbook`` is only ever built by :func:`collabgraph.workbook.load_workbook`
    (or :func:`collabgraph.workbook.validate_document`) after every row and every
    reference has been checked, so code that receives one may trust it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: str = Field(default=FORMAT, pattern=r"^collabgraph/1$")
    district: District
    schools: list[School] = Field(default_factory=list)
    organizations: list[Organization] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list)
    priorities: list[Priority] = Field(default_factory=list)
    people: list[Person] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    teams: list[Team] = Field(default_factory=list)
    memberships: list[Membership] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    counterparts: list[Counterpart] = Field(default_factory=list)
    ties: list[Tie] = Field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Rows per section (the district counts as one).

        >>> Workbook(district=District(id="d", name="D")).counts()["schools"]
        0
        """
        return {name: 1 if name == "district" else len(getattr(self, name)) for name in SECTIONS}

    def person_side(self, person_id: str) -> Side | None:
        """The side a person is on: their own ``side``, else that of a position they hold."""
        for person in self.people:
            if person.id == person_id and person.side is not None:
                return person.side
        for position in self.positions:
            if position.holder == person_id:
                return position.side
        return None
