"""Plan one row edit: check only what the row touches, then the statements that write it.

A plan is made inside the store's write step (under its lock or transaction),
with a ``read`` callable that runs named read statements there. It reads the
row's own node or relationship (does it exist? its order), and the rows it
names (do they exist? their side), then validates a *small* workbook — the
row plus stand-ins for what it names — with the same validator a workbook file
goes through, so a missing reference gets the same located problem as in a
file. The write is one statement: ``merge_<label>_row`` (the row's node and
each kind of relationship it owns, old ones removed and new ones merged, with
the rows a load's ``merge_*`` statements take), the ``merge_*`` statement of a
relationship row (a membership, a pair, a tie), or one ``delete_*`` statement.
Nothing else of the district is read or rewritten.

Examples
--------
>>> from collabgraph.model import Tie
>>> facts = {"read_person_refs": [{"id": "a", "side": "labor", "seq": 0, "holds": []},
...                               {"id": "b", "side": "labor", "seq": 1, "holds": []}],
...          "read_tie_rows": []}
>>> plan = plan_put("d", "ties", Tie(source="a", target="b"), read=lambda n, p: facts[n])
>>> [name for name, _ in plan.writes], plan.created
(['merge_person_tie_person'], True)
>>> plan.writes[0][1]["rows"][0]["key"]
'a>b||'
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from collabgraph.editing import EDITABLE, RowNotFound, row_key
from collabgraph.errors import CollabGraphError, Location, Problem, WorkbookError
from collabgraph.graph import workbook_to_graph
from collabgraph.model import FORMAT, Counterpart, Membership, Position, Side, Tie, Workbook
from collabgraph.store.edits.refs import (
    EDGE_SECTIONS,
    NODE_SECTIONS,
    REF_STATEMENTS,
    references,
    splits,
)
from collabgraph.store.rows import store_key, store_rows
from collabgraph.store.specs import BUILTIN_TOPIC_STATEMENT, EDGE_SPECS
from collabgraph.workbook.document import document_from_mapping
from collabgraph.workbook.validate import validate_document

__all__ = ["EditPlan", "Reader", "RowExists", "new_order", "plan_delete", "plan_put"]

#: Runs a named read statement with parameters; rows as dicts.
Reader = Callable[[str, Mapping[str, Any]], list[dict[str, Any]]]

_MERGE_EDGE = {
    "memberships": "merge_person_member_of_team",
    "counterparts": "merge_position_counterpart_of_position",
    "ties": "merge_person_tie_person",
}
_READ_EDGE = {
    "memberships": "read_membership_rows",
    "counterparts": "read_counterpart_rows",
    "ties": "read_tie_rows",
}
_DELETE = {
    "people": ["delete_person"],
    "positions": ["delete_position"],
    "teams": ["delete_team"],
    "meetings": ["delete_standing_meeting"],
    "memberships": ["delete_membership"],
    "counterparts": ["delete_counterpart"],
    "ties": ["delete_tie"],
}
_KEY_FIELD = {"memberships": "person", "counterparts": "management", "ties": "source"}
#: Node section -> the one statement that writes a row of it (``merge_<label>_row``).
_MERGE_ROW = {
    "people": "merge_person_row",
    "positions": "merge_position_row",
    "teams": "merge_team_row",
    "meetings": "merge_standing_meeting_row",
}


class RowExists(CollabGraphError):
    """A row with that key is already in the section (create refused; replace it instead)."""

    def __init__(self, section: str, key: str) -> None:
        super().__init__(f"a {section} row with key {key!r} already exists; use PUT to replace it")
        self.section = section
        self.key = key


@dataclass
class EditPlan:
    """The statements one row edit runs, in order, as ``(name, parameters)``.

    ``must_remove``: the edit is the removal of a relationship row in one statement
    that checks nothing first; its reply's ``removed`` count says whether the row
    was there, and the store reports :class:`RowNotFound` (and undoes nothing
    else, as nothing else was done) when it was not.
    """

    section: str
    key: str
    writes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    created: bool = False
    must_remove: bool = False


def new_order() -> int:
    """A row order later than any a load gives (loads number rows from 0): microseconds now.

    >>> new_order() > 10**15
    True
    """
    return time.time_ns() // 1000


def _check_section(section: str) -> None:
    if section not in EDITABLE:
        raise CollabGraphError(f"rows of '{section}' cannot be edited one by one")


def _problem(section: str, doing: str, path: str | None, message: str, code: str) -> WorkbookError:
    source = f"{section} {doing}"
    return WorkbookError([Problem(Location(file=source, path=path), message, code)], source)


def _lookup(
    read: Reader, district: str, wanted: Mapping[str, set[str]]
) -> dict[str, dict[str, dict[str, Any]]]:
    """For each label, the rows (by id) of the wanted ids that exist."""
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for label, ids in wanted.items():
        keys = sorted(store_key(district, i) for i in ids)
        rows = read(REF_STATEMENTS[label], {"keys": keys}) if keys else []
        found[label] = {str(r["id"]): r for r in rows}
    return found


def _edge_ends(district: str, section: str, row: BaseModel) -> dict[str, str]:
    if isinstance(row, Membership):
        return {"src": store_key(district, row.person), "dst": store_key(district, row.team)}
    if isinstance(row, Counterpart):
        return {"src": store_key(district, row.management), "dst": store_key(district, row.labor)}
    if isinstance(row, Tie):
        return {"src": store_key(district, row.source), "key": row.key}
    raise TypeError(section)  # pragma: no cover


def _edge_order(read: Reader, section: str, ends: dict[str, str]) -> int | None:
    rows = read(_READ_EDGE[section], {"rows": [ends]})
    if not rows:
        return None
    order = rows[0].get("order")
    return int(order) if order is not None else 0


def _stubs(
    section: str, row: BaseModel, found: dict[str, dict[str, dict[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    """Stand-in rows for what the edited row names: valid, carrying only what checks use."""
    own = getattr(row, "id", None)
    own_label = NODE_SECTIONS.get(section)

    def ids(label: str) -> list[str]:
        return sorted(i for i in found.get(label, {}) if not (label == own_label and i == own))

    data: dict[str, list[dict[str, Any]]] = {
        "schools": [{"id": i, "name": i, "level": "elementary"} for i in ids("School")],
        "organizations": [
            {"id": i, "name": i, "side": found["Organization"][i]["side"], "kind": "nonprofit"}
            for i in ids("Organization")
        ],
        "topics": [
            {"id": i, "name": i} for i in ids("Topic") if not found["Topic"][i].get("builtin")
        ],
        "people": [{"id": i, "name": i, "side": "labor"} for i in ids("Person")],
        "positions": [
            {"id": i, "title": i, "side": found["Position"][i]["side"], "kind": "other"}
            for i in ids("Position")
        ],
        "teams": [{"id": i, "name": i, "kind": "other", "level": "district"} for i in ids("Team")],
    }
    if section == "people" and own in found.get("Person", {}):
        # The positions the person holds: they decide whether a side is needed.
        data["positions"] = [
            {"id": p, "title": p, "side": "labor", "kind": "other", "holder": own}
            for p in found["Person"][own].get("holds") or []
        ]
    return data


def _validate(
    district: str, section: str, row: BaseModel, stubs: dict[str, list[dict[str, Any]]]
) -> Workbook:
    data: dict[str, Any] = {"format": FORMAT, "district": {"id": district, "name": district}}
    data.update({k: v for k, v in stubs.items() if v})
    data.setdefault(section, []).append(row.model_dump(mode="json", exclude_none=True))
    index = len(data[section]) - 1
    source = f"{section} change"

    def where(path: tuple[str | int, ...]) -> Location:
        if len(path) >= 2 and path[0] == section and path[1] == index:
            rest = ".".join(str(p) for p in path[2:])
            return Location(file=source, path=rest or None)
        return Location(file=source, path="(stored rows)")

    return validate_document(document_from_mapping(data, source, where))


def _position_checks(
    district: str, row: Position | None, old: dict[str, Any], read: Reader, doing: str
) -> None:
    """What a position's replacement or removal would break elsewhere."""
    holder, holds = old.get("holder"), int(old.get("holder_holds") or 0)
    new_holder = row.holder if row is not None else None
    if (
        holder is not None
        and holder != new_holder
        and old.get("holder_side") is None
        and holds <= 1
    ):
        raise _problem(
            "positions",
            doing,
            "holder",
            f"person {holder!r} would hold no position and has no side of their own: "
            "give them a side first",
            "missing_side",
        )
    if row is None or row.side == old.get("side"):
        return
    (pairs,) = read("read_position_pairs", {"key": store_key(district, row.id)})
    for count, end, side in (
        (pairs["as_management"], "management", Side.MANAGEMENT),
        (pairs["as_labor"], "labor", Side.LABOR),
    ):
        if int(count) and row.side is not side:
            raise _problem(
                "positions",
                doing,
                "side",
                f"position {row.id!r} is the {end} end of {int(count)} counterpart pair(s), "
                f"so it must stay on side {side.value!r}",
                "side_mismatch",
            )


def plan_put(
    district: str, section: str, row: BaseModel, *, read: Reader, key: str | None = None
) -> EditPlan:
    """Plan adding ``row`` (``key`` is ``None``) or replacing the row with ``key``.

    Raises
    ------
    RowExists
        Adding a row whose key is taken.
    RowNotFound
        Replacing a row that is not there.
    WorkbookError
        The row names something missing, breaks a rule, or its key differs from ``key``.
    """
    _check_section(section)
    own_key = row_key(section, row)
    if key is not None and key != own_key:
        field_name = _KEY_FIELD.get(section, "id")
        raise _problem(
            section,
            "change",
            field_name,
            f"the row's key {own_key!r} differs from the key in the address {key!r}: "
            "a row keeps its key (delete it and add a new one to change it)",
            "key_mismatch",
        )
    wanted = references(section, row)
    label = NODE_SECTIONS.get(section)
    if label is not None:
        wanted.setdefault(label, set()).add(own_key)
    found = _lookup(read, district, wanted)
    existing: dict[str, Any] | None = None
    if label is not None:
        existing = found[label].get(own_key)
        exists = existing is not None
        order = int(existing["seq"]) if existing and existing.get("seq") is not None else None
    else:
        ends = _edge_ends(district, section, row)
        order = _edge_order(read, section, ends)
        exists = order is not None
    if key is None and exists:
        raise RowExists(section, own_key)
    if key is not None and not exists:
        raise RowNotFound(section, key)
    if isinstance(row, Position) and existing is not None:
        _position_checks(district, row, existing, read, "change")
    mini = _validate(district, section, row, _stubs(section, row, found))
    plan = EditPlan(section, own_key, created=not exists)
    plan.writes = _writes(district, section, mini, order if order is not None else new_order())
    return plan


def _writes(
    district: str, section: str, mini: Workbook, order: int
) -> list[tuple[str, dict[str, Any]]]:
    rows = store_rows(workbook_to_graph(mini))
    label = NODE_SECTIONS.get(section)
    if label is None:
        name = _MERGE_EDGE[section]
        (edge,) = rows.edges[name]
        edge["props"]["order"] = order
        return [(name, {"rows": [edge]})]
    own = store_key(district, getattr(mini, section)[-1].id)
    (node,) = (
        n
        for name, rows_ in rows.nodes.items()
        if name != BUILTIN_TOPIC_STATEMENT
        for n in rows_
        if n["key"] == own
    )
    node["props"]["seq"] = order
    params: dict[str, Any] = {"key": own, "props": node["props"]}
    if any(spec.dst == "Topic" for spec in _owned(label)):
        params["builtin"] = rows.nodes.get(BUILTIN_TOPIC_STATEMENT, [])
    for spec in _owned(label):
        end, far = ("src", "dst") if spec.owner == "src" else ("dst", "src")
        params[spec.name] = [
            {far: e[far], "props": e["props"]}
            for e in rows.edges.get(spec.merge_statement, [])
            if e[end] == own
        ]
    return [(_MERGE_ROW[section], params)]


def _owned(label: str) -> list[Any]:
    """The kinds of relationship a row of ``label`` owns (it says where they go)."""
    return [
        spec
        for spec in EDGE_SPECS
        if (spec.owner == "src" and spec.src == label)
        or (spec.owner == "dst" and spec.dst == label)
    ]


def plan_delete(district: str, section: str, key: str, *, read: Reader) -> EditPlan:
    """Plan removing the row with ``key`` and what depends on it.

    Deleting a person removes their seats, ties and the positions' hold on them;
    a team its seats and oversight links; a position its pairs, its seats (and a
    standing meeting left with fewer than two seats).

    Raises
    ------
    RowNotFound
        No such row.
    WorkbookError
        The removal would break another row (a holder left with no side).
    """
    _check_section(section)
    label = NODE_SECTIONS.get(section)
    plan = EditPlan(section, key)
    if label is not None:
        found = _lookup(read, district, {label: {key}})
        old = found[label].get(key)
        if old is None:
            raise RowNotFound(section, key)
        if section == "positions":
            _position_checks(district, None, old, read, "delete")
        params: dict[str, Any] = {"key": store_key(district, key)}
        plan.writes = [(name, params) for name in _DELETE[section]]
        return plan
    # A relationship row: one statement removes it, given every way its key splits
    # into two ends; what it removed tells the store whether it was there.
    _, sep = EDGE_SECTIONS[section]
    rows: list[dict[str, str]] = []
    for left, right in splits(key, sep):
        if section == "ties":
            rows.append({"src": store_key(district, left), "key": key})
        else:
            rows.append({"src": store_key(district, left), "dst": store_key(district, right)})
    if not rows:
        raise RowNotFound(section, key)
    plan.writes = [(_DELETE[section][0], {"rows": rows})]
    plan.must_remove = True
    return plan
