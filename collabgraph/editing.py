"""Edit one row of a workbook in memory and keep the whole district consistent.

:func:`upsert_row` and :func:`delete_row` produce a new, fully validated
:class:`~collabgraph.model.Workbook`: deleting a row also removes what depended
on it (a person's memberships and ties, a team's memberships and oversight
links, a position's counterpart pairs and meeting seats), and adding a row that
names something missing is refused with the same problems a workbook file would
get. They re-validate the whole district, so they suit a workbook in hand; a
stored district is edited row by row by the store itself
(:meth:`collabgraph.store.Store.put_row`), which checks only what the row
touches. :func:`apply_put` and :func:`apply_delete` make the same change to a
workbook *without* validating it again, for a copy of a district whose edit the
store has already checked and written (the API's cached workbook).

Examples
--------
>>> from collabgraph.model import District, Person, Tie, Workbook
>>> wb = Workbook(district=District(id="d", name="D"),
...               people=[Person(id="a", name="Ana", side="labor"),
...                       Person(id="b", name="Bo", side="labor")],
...               ties=[Tie(source="a", target="b")])
>>> after = delete_row(wb, "people", "b")
>>> [p.id for p in after.people], after.ties
(['a'], [])
"""

from __future__ import annotations

from typing import Any, Final

from pydantic import BaseModel

from collabgraph.errors import CollabGraphError, Location
from collabgraph.model import Counterpart, Meeting, Membership, Tie, Workbook
from collabgraph.workbook.document import document_from_mapping, workbook_to_mapping
from collabgraph.workbook.validate import validate_document

__all__ = [
    "EDITABLE",
    "RowNotFound",
    "apply_delete",
    "apply_put",
    "delete_row",
    "find_row",
    "row_key",
    "upsert_row",
]

#: Sections that can be edited row by row.
EDITABLE: Final = (
    "people",
    "positions",
    "teams",
    "memberships",
    "meetings",
    "counterparts",
    "ties",
)


class RowNotFound(CollabGraphError):
    """No row with that key in that section."""

    def __init__(self, section: str, key: str) -> None:
        super().__init__(f"no {section} row with key {key!r}")
        self.section = section
        self.key = key


def row_key(section: str, row: BaseModel) -> str:
    """The key that identifies a row within its section.

    >>> row_key("memberships", Membership(person="ana", team="dlt"))
    'ana@dlt'
    >>> row_key("ties", Tie(source="a", target="b", wave="2024"))
    'a>b||2024'
    """
    if isinstance(row, Membership):
        return f"{row.person}@{row.team}"
    if isinstance(row, Tie):
        return row.key
    if isinstance(row, Counterpart):
        return f"{row.management}~{row.labor}"
    ident: str = getattr(row, "id")  # noqa: B009 - every other editable row has an id
    return ident


def _rows(wb: Workbook, section: str) -> list[Any]:
    if section not in EDITABLE:
        raise CollabGraphError(f"rows of '{section}' cannot be edited one by one")
    rows: list[Any] = getattr(wb, section)
    return rows


def find_row(wb: Workbook, section: str, key: str) -> BaseModel:
    """The row of ``section`` with ``key``; :class:`RowNotFound` if there is none."""
    for row in _rows(wb, section):
        if row_key(section, row) == key:
            found: BaseModel = row
            return found
    raise RowNotFound(section, key)


def _revalidate(data: dict[str, Any], source: str) -> Workbook:
    def where(path: tuple[str | int, ...]) -> Location:
        text = ".".join(str(p) for p in path)
        return Location(file=source, path=text or None)

    return validate_document(document_from_mapping(data, source, where))


def apply_put(wb: Workbook, section: str, row: BaseModel, *, key: str | None = None) -> Workbook:
    """``wb`` with ``row`` appended, or in place of the row with ``key``; not re-validated.

    >>> from collabgraph.model import District, Person, Workbook
    >>> wb = Workbook(district=District(id="d", name="D"))
    >>> [p.id for p in apply_put(wb, "people", Person(id="a", name="A", side="labor")).people]
    ['a']
    """
    rows = list(_rows(wb, section))
    if key is None:
        rows.append(row)
    else:
        index = next((i for i, r in enumerate(rows) if row_key(section, r) == key), None)
        if index is None:
            raise RowNotFound(section, key)
        rows[index] = row
    return wb.model_copy(update={section: rows})


def upsert_row(wb: Workbook, section: str, row: BaseModel, *, key: str | None = None) -> Workbook:
    """A new workbook with ``row`` added, or replacing the row with ``key``.

    Raises
    ------
    RowNotFound
        When ``key`` is given and no such row exists.
    WorkbookError
        When the change would break the district (an unknown reference, a duplicate...).
    """
    rows = _rows(wb, section)
    dumped = row.model_dump(mode="json", exclude_defaults=True)
    data = workbook_to_mapping(wb)
    current = data.setdefault(section, [])
    if key is None:
        current.append(dumped)
    else:
        index = next((i for i, r in enumerate(rows) if row_key(section, r) == key), None)
        if index is None:
            raise RowNotFound(section, key)
        current[index] = dumped
    return _revalidate(data, f"{section} change")


def apply_delete(wb: Workbook, section: str, key: str) -> Workbook:
    """``wb`` without the row and what depended on it; not re-validated."""
    find_row(wb, section, key)
    keep = [r for r in _rows(wb, section) if row_key(section, r) != key]
    changes: dict[str, Any] = {section: keep}
    if section == "people":
        changes["memberships"] = [m for m in wb.memberships if m.person != key]
        changes["ties"] = [t for t in wb.ties if key not in (t.source, t.target)]
        changes["positions"] = [
            p.model_copy(update={"holder": None, "holder_since": None}) if p.holder == key else p
            for p in wb.positions
        ]
    elif section == "teams":
        changes["memberships"] = [m for m in wb.memberships if m.team != key]
        changes["teams"] = [
            t.model_copy(update={"overseen_by": [b for b in t.overseen_by if b != key]})
            if key in t.overseen_by
            else t
            for t in keep
        ]
    elif section == "positions":
        changes["counterparts"] = [c for c in wb.counterparts if key not in (c.management, c.labor)]
        meetings: list[Meeting] = []
        for m in wb.meetings:
            seats = [a for a in m.attendees if a != key]
            if len(seats) >= 2:
                meetings.append(
                    m.model_copy(update={"attendees": seats}) if seats != m.attendees else m
                )
        changes["meetings"] = meetings
    return wb.model_copy(update=changes)


def delete_row(wb: Workbook, section: str, key: str) -> Workbook:
    """A new workbook without the row, and without anything that depended on it."""
    new = apply_delete(wb, section, key)
    return _revalidate(workbook_to_mapping(new), f"{section} delete")
