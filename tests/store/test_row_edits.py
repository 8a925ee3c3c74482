"""Row edits through the store: the same district as the whole-workbook edit, on every adapter.

Each edit is made twice: with :func:`collabgraph.editing.upsert_row` /
``delete_row`` on the workbook in memory (re-validating the whole district, the
reference), and with ``store.put_row`` / ``store.delete_row`` (a few indexed reads and
one targeted statement). The district read back from the store must equal the reference.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel

from collabgraph import editing
from collabgraph.editing import RowNotFound
from collabgraph.errors import WorkbookError
from collabgraph.model import (
    Counterpart,
    Meeting,
    Membership,
    Person,
    Position,
    Team,
    Tie,
    Workbook,
)
from collabgraph.store import StaleRevision, Store
from collabgraph.store.edits import RowExists

Edit = tuple[str, str, str | None, BaseModel | None]  # (op, section, key, row)


def _doc(make_doc: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """The mini workbook, with a side of their own for the president (so the position
    can be deleted: a holder without a side needs one)."""
    doc = make_doc()
    doc["people"][1]["side"] = "labor"
    return doc


EDITS: list[Edit] = [
    ("put", "people", None, Person(id="p-new", name="Ama Mensah", side="labor", school="grant-hs")),
    ("put", "people", "p-rep1", Person(id="p-rep1", name="Taro Yamada")),  # drops the school
    ("put", "people", "p-teacher", Person(id="p-teacher", name="Sam Lee", side="management")),
    (
        "put",
        "positions",
        "supt",
        Position(
            id="supt",
            title="Superintendent of Schools",
            side="management",
            kind="superintendent",
            organization="district-office",
            holder="p-supt",
            portfolio=["special-ed", "mentoring"],  # a built-in topic, reordered
        ),
    ),
    (
        "put",
        "positions",
        None,
        Position(
            id="vp",
            title="Vice President",
            side="labor",
            kind="vice_president",
            organization="mta",
            holder="p-teacher",
            holder_since="2025-01-01",
        ),
    ),
    (
        "put",
        "teams",
        "sped-cmte",
        Team(
            id="sped-cmte",
            name="SpEd Working Group",
            kind="working_committee",
            level="district",
            topics=["hr"],
            overseen_by=[],
        ),
    ),
    (
        "put",
        "teams",
        None,
        Team(
            id="slt-lincoln",
            name="Lincoln SLT",
            kind="slt",
            level="school",
            school="lincoln-es",
            overseen_by=["dlt"],
            topics=["curriculum"],
        ),
    ),
    ("put", "memberships", None, Membership(person="p-rep1", team="dlt", appointed_by="labor")),
    ("put", "memberships", "p-supt@dlt", Membership(person="p-supt", team="dlt", role="member")),
    (
        "put",
        "meetings",
        None,
        Meeting(
            id="reps",
            name="Reps and principals",
            cadence="monthly",
            attendees=["rep-lincoln", "rep-grant", "supt"],
            topics=["instruction"],
        ),
    ),
    ("put", "counterparts", "supt~president", Counterpart(management="supt", labor="president")),
    ("put", "ties", None, Tie(source="p-teacher", target="p-rep2", frequency="monthly")),
    ("put", "ties", "p-pres>p-rep1||", Tie(source="p-pres", target="p-rep1", weight=0.25)),
    ("delete", "ties", "p-rep1>p-rep2|curriculum|2024", None),
    ("delete", "memberships", "p-rep2@slt-grant", None),
    ("delete", "counterparts", "supt~president", None),
    ("delete", "meetings", "supt-pres", None),
    ("delete", "people", "p-rep2", None),  # their seats, ties and the position's holder go
    ("delete", "teams", "dlt", None),  # its seats and oversight links go
    ("delete", "positions", "president", None),  # the meeting it was in (2 seats) goes
]


def _reference(wb: Workbook, op: str, section: str, key: str | None, row: Any) -> Workbook:
    if op == "delete":
        assert key is not None
        return editing.delete_row(wb, section, key)
    return editing.upsert_row(wb, section, row, key=key)


def _apply(store: Store, district: str, op: str, section: str, key: str | None, row: Any) -> None:
    if op == "delete":
        assert key is not None
        store.delete_row(district, section, key)
    else:
        store.put_row(district, section, row, key=key)


def _same(a: Workbook, b: Workbook) -> None:
    for section in (*editing.EDITABLE, "topics", "schools"):
        got = sorted(r.model_dump_json() for r in getattr(a, section))
        want = sorted(r.model_dump_json() for r in getattr(b, section))
        assert got == want, section


@pytest.mark.parametrize(
    ("op", "section", "key", "row"), EDITS, ids=[f"{e[0]}-{e[1]}-{e[2] or 'new'}" for e in EDITS]
)
def test_a_row_edit_gives_the_whole_workbook_edit(
    store: Store,
    make_doc: Callable[..., dict[str, Any]],
    to_workbook: Callable[[dict[str, Any]], Workbook],
    op: str,
    section: str,
    key: str | None,
    row: Any,
) -> None:
    wb = to_workbook(_doc(make_doc))
    district = wb.district.id
    store.upsert_workbook(wb)
    before = store.revision(district)
    expected = _reference(wb, op, section, key, row)
    _apply(store, district, op, section, key, row)
    _same(store.read_workbook(district), expected)
    assert store.revision(district) != before
    store.delete_district(district)


def test_all_edits_in_a_row_give_the_whole_workbook_edits(
    store: Store,
    make_doc: Callable[..., dict[str, Any]],
    to_workbook: Callable[[dict[str, Any]], Workbook],
) -> None:
    wb = to_workbook(_doc(make_doc))
    district = wb.district.id
    store.upsert_workbook(wb)
    expected = wb
    for op, section, key, row in EDITS:
        expected = _reference(expected, op, section, key, row)
        _apply(store, district, op, section, key, row)
    got = store.read_workbook(district)
    _same(got, expected)
    # A new row comes after the loaded ones.
    assert [p.id for p in got.people][-1] == "p-new"
    store.delete_district(district)


def test_refusals_change_nothing(
    store: Store,
    make_doc: Callable[..., dict[str, Any]],
    to_workbook: Callable[[dict[str, Any]], Workbook],
) -> None:
    wb = to_workbook(_doc(make_doc))
    district = wb.district.id
    store.upsert_workbook(wb)
    revision = store.revision(district)
    counts = store.counts(district)
    with pytest.raises(WorkbookError) as info:
        store.put_row(district, "memberships", Membership(person="p-pres", team="no-such-team"))
    (problem,) = info.value.problems
    assert problem.code == "unknown_reference"
    assert "unknown team 'no-such-team'" in problem.message
    assert problem.location.path == "team"
    with pytest.raises(WorkbookError) as info:
        store.put_row(district, "ties", Tie(source="p-pres", target="p-pres"))
    assert info.value.problems[0].code == "self_tie"
    with pytest.raises(WorkbookError) as info:
        store.put_row(
            district,
            "positions",
            Position(
                id="rep-x",
                title="Rep",
                side="labor",
                kind="building_rep",
                organization="district-office",
            ),
        )
    assert {p.code for p in info.value.problems} == {"missing_school", "side_mismatch"}
    with pytest.raises(WorkbookError) as info:  # the pair needs a management end
        store.put_row(
            district,
            "positions",
            Position(id="supt", title="S", side="labor", kind="superintendent", holder="p-supt"),
            key="supt",
        )
    assert info.value.problems[0].code == "side_mismatch"
    with pytest.raises(WorkbookError) as info:  # p-rep2 has no side of their own
        store.delete_row(district, "positions", "rep-grant")
    assert info.value.problems[0].code == "missing_side"
    with pytest.raises(WorkbookError) as info:
        store.put_row(district, "people", Person(id="p-x", name="X"))
    assert info.value.problems[0].code == "missing_side"
    with pytest.raises(WorkbookError) as info:
        store.put_row(district, "people", Person(id="p-x", name="X", side="labor"), key="p-y")
    assert info.value.problems[0].code == "key_mismatch"
    with pytest.raises(RowExists):
        store.put_row(district, "people", Person(id="p-pres", name="Again", side="labor"))
    with pytest.raises(RowNotFound):
        store.put_row(district, "people", Person(id="p-x", name="X", side="labor"), key="p-x")
    with pytest.raises(RowNotFound):
        store.delete_row(district, "ties", "nope")
    with pytest.raises(RowNotFound):
        store.delete_row(district, "memberships", "p-pres@no-team")
    # Removals of relationship rows are one statement with no read first: one that
    # names real people but no stored tie removes nothing and gives the token back.
    with pytest.raises(RowNotFound):
        store.delete_row(district, "ties", "p-pres>p-rep1|no-topic|no-wave")
    with pytest.raises(RowNotFound):
        store.delete_row(district, "memberships", "p-teacher@dlt-x")
    assert store.revision(district) == revision
    assert store.counts(district) == counts
    store.delete_district(district)


def test_a_stale_revision_is_refused(
    store: Store,
    make_doc: Callable[..., dict[str, Any]],
    to_workbook: Callable[[dict[str, Any]], Workbook],
) -> None:
    wb = to_workbook(_doc(make_doc))
    district = wb.district.id
    store.upsert_workbook(wb)
    seen = store.revision(district)
    assert seen is not None
    first = store.put_row(
        district,
        "people",
        Person(id="p-pres", name="First", side="labor"),
        key="p-pres",
        if_revision=seen,
    )
    assert first.revision == store.revision(district) != seen
    with pytest.raises(StaleRevision) as info:
        store.put_row(
            district,
            "people",
            Person(id="p-pres", name="Second", side="labor"),
            key="p-pres",
            if_revision=seen,
        )
    assert info.value.current == first.revision
    with pytest.raises(StaleRevision):
        store.delete_row(district, "people", "p-pres", if_revision=seen)
    names = {p.id: p.name for p in store.read_workbook(district).people}
    assert names["p-pres"] == "First"
    store.delete_row(district, "people", "p-pres", if_revision=first.revision)
    store.delete_district(district)
