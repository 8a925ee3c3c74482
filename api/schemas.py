"""Request and response models of the API (``XCreate`` in, ``XPublic`` out)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from collabgraph.model import Counterpart, Meeting, Membership, Person, Position, Team, Tie
from collabgraph.store import Counts, LoadSummary
from collabgraph.workbook.changes import WorkbookChanges

__all__ = [
    "DistrictPublic",
    "DistrictsPublic",
    "EdgePublic",
    "GraphPublic",
    "HealthPublic",
    "ImportPublic",
    "MeetingCreate",
    "MembershipCreate",
    "NodePublic",
    "NotePublic",
    "PersonCreate",
    "PositionCreate",
    "TeamCreate",
    "TieCreate",
]


class HealthPublic(BaseModel):
    """Is the service up, and can it reach its store?"""

    ok: bool
    version: str
    store_kind: str
    store_reachable: bool
    store_version: str | None = None
    detail: str | None = None


class DistrictPublic(BaseModel):
    """A district with its key figures."""

    id: str
    name: str
    counts: Counts
    people: int
    schools: int
    ties: int


class DistrictsPublic(BaseModel):
    """All districts in the store."""

    districts: list[DistrictPublic]


class NotePublic(BaseModel):
    """Something read other than written (a header ``Name`` as ``name``...): never an error."""

    location: dict[str, str | int]
    where: str
    message: str
    code: str


class ImportPublic(BaseModel):
    """What an import did (or, with ``validate_only``, would do)."""

    district: str
    validated: bool = True
    written: bool
    rows: dict[str, int] = Field(description="Rows per workbook section.")
    changes: WorkbookChanges | None = Field(
        default=None,
        description="Rows added, changed and removed per section (what a load would do, "
        "with validate_only).",
    )
    notes: list[NotePublic] = Field(default_factory=list)
    summary: LoadSummary | None = None


class NodePublic(BaseModel):
    """A node of the district graph."""

    key: str
    kind: str
    properties: dict[str, Any]


class EdgePublic(BaseModel):
    """A relationship of the district graph."""

    source: str
    target: str
    type: str
    properties: dict[str, Any]


class GraphPublic(BaseModel):
    """A page of the district graph's nodes and edges."""

    district: str
    total_nodes: int
    total_edges: int
    offset: int
    limit: int
    nodes: list[NodePublic]
    edges: list[EdgePublic]


class _Create(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PersonCreate(Person):
    """A new person (or the full replacement of one)."""


class PositionCreate(Position):
    """A new position (or the full replacement of one)."""


class TeamCreate(Team):
    """A new team (or the full replacement of one)."""


class MeetingCreate(Meeting):
    """A new standing meeting (or the full replacement of one)."""


class MembershipCreate(Membership):
    """A seat on a team."""


class TieCreate(Tie):
    """A communication tie."""


class CounterpartCreate(Counterpart):
    """A declared counterpart pair."""
