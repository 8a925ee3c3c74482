"""What one row of a workbook section names, and how to find it in the store.

A row edit checks only what the row touches. This module says, per section,
which label a row's own node has (or which relationship it is), which other
rows it refers to, and how a key in an address (``ana@dlt``, ``a>b|topic|wave``)
splits into the store keys of its ends. Ids may contain the separators, so a
key can split more than one way: every split is tried.

Examples
--------
>>> from collabgraph.model import Membership, Tie
>>> references("memberships", Membership(person="ana", team="dlt"))
{'Person': {'ana'}, 'Team': {'dlt'}}
>>> refs = references("ties", Tie(source="a", target="b", topic="my-topic"))
>>> sorted(refs), sorted(refs["Person"])
(['Person', 'Topic'], ['a', 'b'])
>>> splits("a@b@c", "@")
[('a', 'b@c'), ('a@b', 'c')]
"""

from __future__ import annotations

from typing import Final

from pydantic import BaseModel

from collabgraph.model import (
    BUILTIN_TOPICS,
    Counterpart,
    Meeting,
    Membership,
    Person,
    Position,
    Team,
    Tie,
)

__all__ = [
    "EDGE_SECTIONS",
    "NODE_SECTIONS",
    "REF_STATEMENTS",
    "references",
    "splits",
]

#: Sections whose rows are nodes -> their label.
NODE_SECTIONS: Final[dict[str, str]] = {
    "people": "Person",
    "positions": "Position",
    "teams": "Team",
    "meetings": "StandingMeeting",
}

#: Sections whose rows are one relationship -> (type, key separator).
EDGE_SECTIONS: Final[dict[str, tuple[str, str]]] = {
    "memberships": ("MEMBER_OF", "@"),
    "counterparts": ("COUNTERPART_OF", "~"),
    "ties": ("TIE", ">"),
}

#: Label -> the statement that says which of a list of store keys exist.
REF_STATEMENTS: Final[dict[str, str]] = {
    "School": "read_school_refs",
    "Organization": "read_organization_refs",
    "Topic": "read_topic_refs",
    "Person": "read_person_refs",
    "Position": "read_position_refs",
    "Team": "read_team_refs",
    "StandingMeeting": "read_standing_meeting_refs",
}


def _add(out: dict[str, set[str]], label: str, *ids: str | None) -> None:
    for ident in ids:
        if ident is not None:
            out.setdefault(label, set()).add(ident)


def _topics(out: dict[str, set[str]], ids: list[str] | tuple[str | None, ...]) -> None:
    # Built-in topics need no declared row; the rest must exist.
    _add(out, "Topic", *(t for t in ids if t is not None and t not in BUILTIN_TOPICS))


def references(section: str, row: BaseModel) -> dict[str, set[str]]:
    """Ids the row names in other sections, per label (its own id not included)."""
    out: dict[str, set[str]] = {}
    if isinstance(row, Person):
        _add(out, "School", row.school)
    elif isinstance(row, Position):
        _add(out, "School", row.school)
        _add(out, "Organization", row.organization)
        _add(out, "Person", row.holder)
        _topics(out, row.portfolio)
    elif isinstance(row, Team):
        _add(out, "School", row.school)
        _add(out, "Team", *(t for t in row.overseen_by if t != row.id))
        _topics(out, row.topics)
    elif isinstance(row, Meeting):
        _add(out, "Position", *row.attendees)
        _topics(out, row.topics)
    elif isinstance(row, Membership):
        _add(out, "Person", row.person)
        _add(out, "Team", row.team)
    elif isinstance(row, Counterpart):
        _add(out, "Position", row.management, row.labor)
    elif isinstance(row, Tie):
        _add(out, "Person", row.source, row.target)
        _topics(out, (row.topic,))
    else:  # pragma: no cover - guarded by the callers
        raise TypeError(f"no references known for a {type(row).__name__} in {section}")
    return out


def splits(key: str, sep: str) -> list[tuple[str, str]]:
    """Every way ``key`` splits into two non-empty parts at one ``sep``."""
    out: list[tuple[str, str]] = []
    start = 0
    while (i := key.find(sep, start)) != -1:
        if i > 0 and i + len(sep) < len(key):
            out.append((key[:i], key[i + len(sep) :]))
        start = i + 1
    return out
