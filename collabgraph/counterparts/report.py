"""The models of a counterpart report (what :func:`collabgraph.counterparts.find_counterparts`
returns)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CounterpartPair",
    "CounterpartReport",
    "Method",
    "NotCoChairing",
    "PositionRef",
    "StandingMeetingRow",
    "UnmatchedPosition",
]

Method = Literal["declared", "standing_meeting", "suggested_match", "suggested_best"]


class PositionRef(BaseModel):
    """A position named in a counterpart report."""

    model_config = ConfigDict(frozen=True)

    key: str
    id: str
    title: str
    kind: str
    side: str


class CounterpartPair(BaseModel):
    """An administration position and its association counterpart."""

    model_config = ConfigDict(frozen=True)

    management: PositionRef
    labor: PositionRef
    method: Method
    score: float = Field(description="Similarity in [0, 1] (reported for every pair).")
    reason: str = Field(
        default="",
        description="Why the pair is there, in words: declared, the meeting they share, or "
        "for a suggestion what the score rests on ('both cover special education').",
    )
    shared_topics: list[str] = Field(default_factory=list)
    meetings: list[str] = Field(
        default_factory=list, description="Pairing standing meetings both attend."
    )
    group_meetings: list[str] = Field(
        default_factory=list, description="Larger group meetings both attend (no pairing)."
    )
    note: str | None = None

    @property
    def established(self) -> bool:
        """Declared or meeting already (not a suggestion)."""
        return self.method in {"declared", "standing_meeting"}


class UnmatchedPosition(BaseModel):
    """A position with no declared or meeting counterpart, with any suggested partners."""

    model_config = ConfigDict(frozen=True)

    position: PositionRef
    suggested: list[str] = Field(default_factory=list, description="Position keys suggested.")


class NotCoChairing(BaseModel):
    """A pair sharing a topic whose committee they do not both chair."""

    model_config = ConfigDict(frozen=True)

    management: str
    labor: str
    topic: str
    team: str
    management_role: str | None = Field(description="chair, co_chair, member or None (absent).")
    labor_role: str | None


class StandingMeetingRow(BaseModel):
    """One row of the Standing Meeting Worksheet."""

    model_config = ConfigDict(frozen=True)

    administration: str
    association: str
    meeting: str | None = None
    meeting_key: str | None = Field(default=None, description="The meeting's node key.")
    cadence: str | None = None
    last_held: str | None = None
    status: str


class CounterpartReport(BaseModel):
    """Everything :func:`find_counterparts` found."""

    district: str | None
    name: str | None
    empty: bool = False
    note: str | None = None
    pairs: list[CounterpartPair] = Field(default_factory=list)
    unmatched_management: list[UnmatchedPosition] = Field(default_factory=list)
    unmatched_labor: list[UnmatchedPosition] = Field(default_factory=list)
    without_meeting: list[CounterpartPair] = Field(default_factory=list)
    not_co_chairing: list[NotCoChairing] = Field(default_factory=list)
    worksheet: list[StandingMeetingRow] = Field(default_factory=list)
