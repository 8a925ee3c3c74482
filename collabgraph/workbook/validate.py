"""Validation of a raw workbook: every row, every reference, every problem at once.

Validation runs in two passes over a :class:`~collabgraph.workbook.raw.RawDocument`:

1. each row is checked against its section's pydantic model (types, enums,
   ranges, required fields, unknown fields);
2. the rows that passed are checked together: unique ids, references that
   resolve, no self-ties, sides that agree.

Nothing stops at the first problem. If any problem is found the whole workbook
is rejected with a :class:`~collabgraph.errors.WorkbookError` listing them all,
each with the place the reader recorded for it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, Final, cast

from pydantic import BaseModel, ValidationError

from collabgraph.errors import Location, Problem, WorkbookError
from collabgraph.model import (
    BUILTIN_TOPICS,
    FORMAT,
    SECTIONS,
    Counterpart,
    District,
    Meeting,
    Membership,
    Organization,
    Person,
    Position,
    PositionKind,
    PositionLevel,
    Priority,
    Side,
    Team,
    TeamKind,
    TeamLevel,
    Tie,
    Workbook,
)
from collabgraph.workbook.messages import message, suggest
from collabgraph.workbook.normalize import normalize_document
from collabgraph.workbook.raw import LocPath, RawDocument, RawRow

__all__ = ["suggest", "validate_document"]

#: Position kinds that only make sense at one school.
SCHOOL_BOUND_KINDS: Final = frozenset(
    {PositionKind.PRINCIPAL, PositionKind.ASSISTANT_PRINCIPAL, PositionKind.BUILDING_REP}
)


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        #: Ids of rows that failed their own checks, per section. References to them
        #: are not reported again: the row's own problem is the one to fix.
        self.failed_ids: dict[str, set[str]] = {}
        self.failed_rows: dict[str, list[dict[str, Any]]] = {}

    def add(self, where: Location, message: str, code: str) -> None:
        self.problems.append(Problem(where, message, code))


def _check_rows(
    doc: RawDocument, out: _Collector, reported: set[tuple[int, str]]
) -> dict[str, list[tuple[BaseModel, RawRow]]]:
    valid: dict[str, list[tuple[BaseModel, RawRow]]] = {name: [] for name in SECTIONS}
    for name, rows in doc.sections.items():
        model = SECTIONS[name]
        absent = doc.missing_columns.get(name, set())
        for row in rows:
            try:
                valid[name].append((model.model_validate(row.data), row))
            except ValidationError as exc:
                raw_id = row.data.get("id")
                if isinstance(raw_id, str):
                    out.failed_ids.setdefault(name, set()).add(raw_id.strip())
                out.failed_rows.setdefault(name, []).append(row.data)
                for err in exc.errors():
                    path: LocPath = tuple(err["loc"])
                    first = str(path[0]) if path else ""
                    if (err["type"] == "missing" and first in absent) or (
                        id(row),
                        first,
                    ) in reported:
                        continue  # already reported once, for the whole column or the value
                    code = "unknown_field" if err["type"] == "extra_forbidden" else err["type"]
                    code = "bad_enum" if code == "enum" else code
                    out.add(row.at(path), message(err, model), code)
    return valid


class _Ids(dict[str, tuple[Any, RawRow]]):
    """Valid rows by id; ``in`` also accepts ids of rows that failed their own checks."""

    def __init__(self, failed: set[str]) -> None:
        super().__init__()
        self.failed = failed

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key) or key in self.failed


def _unique(rows: Sequence[tuple[Any, RawRow]], key: str, section: str, out: _Collector) -> _Ids:
    seen = _Ids(out.failed_ids.get(section, set()))
    for obj, row in rows:
        ident = getattr(obj, key)
        if dict.__contains__(seen, ident):
            first = seen[ident][1].location
            out.add(
                row.at((key,)),
                f"duplicate {key} {ident!r} in {section} (first used at {first})",
                "duplicate_id",
            )
        else:
            seen[ident] = (obj, row)
    return seen


def _ref(
    out: _Collector,
    row: RawRow,
    path: LocPath,
    value: str | None,
    targets: dict[str, Any] | set[str],
    what: str,
) -> bool:
    # True when the reference names a valid row (the common case, checked first)
    if value is None:
        return not isinstance(targets, _Ids)
    if isinstance(targets, _Ids):
        if dict.__contains__(targets, value):
            return True
        if value in targets.failed:
            return False  # a row that failed its own checks: reported there
    elif value in targets:
        return True
    hint = suggest(value, targets)
    if hint and hint.casefold() == f" (did you mean '{value}'?)".casefold():
        hint = hint[:-1] + " ids match letter case exactly)"
    out.add(
        row.at(path),
        f"unknown {what} {value!r}: no {what} with that id{hint}",
        "unknown_reference",
    )
    return False


def _cross_check(valid: dict[str, list[tuple[Any, RawRow]]], out: _Collector) -> None:
    schools = _unique(valid["schools"], "id", "schools", out)
    orgs = _unique(valid["organizations"], "id", "organizations", out)
    declared_topics = _unique(valid["topics"], "id", "topics", out)
    topics: set[str] = set(declared_topics) | set(BUILTIN_TOPICS) | declared_topics.failed
    people = _unique(valid["people"], "id", "people", out)
    positions = _unique(valid["positions"], "id", "positions", out)
    teams = _unique(valid["teams"], "id", "teams", out)
    _unique(valid["meetings"], "id", "meetings", out)

    org: Organization
    for org, row in valid["organizations"]:
        _ref(out, row, ("affiliate_of",), org.affiliate_of, orgs, "organization")
        if org.affiliate_of == org.id:
            out.add(
                row.at(("affiliate_of",)),
                "an organization cannot affiliate with itself",
                "self_reference",
            )

    pri: Priority
    seen_priorities: set[str] = set()
    for pri, row in valid["priorities"]:
        _ref(out, row, ("topic",), pri.topic, topics, "topic")
        if pri.topic in seen_priorities:
            out.add(row.at(("topic",)), f"priority {pri.topic!r} is declared twice", "duplicate_id")
        seen_priorities.add(pri.topic)

    held_by: set[str] = {
        str(raw["holder"]).strip()
        for raw in out.failed_rows.get("positions", [])
        if raw.get("holder")
    }
    pos: Position
    for pos, row in valid["positions"]:
        _ref(out, row, ("school",), pos.school, schools, "school")
        _ref(out, row, ("holder",), pos.holder, people, "person")
        if pos.holder is not None:
            held_by.add(pos.holder)
        if _ref(out, row, ("organization",), pos.organization, orgs, "organization") and (
            pos.organization is not None and orgs[pos.organization][0].side != pos.side
        ):
            org_side = orgs[pos.organization][0].side
            out.add(
                row.at(("side",)),
                f"position is on side {pos.side.value!r} but its organization "
                f"{pos.organization!r} is on side {org_side.value!r}",
                "side_mismatch",
            )
        for i, topic in enumerate(pos.portfolio):
            _ref(out, row, ("portfolio", i), topic, topics, "topic")
        if pos.kind in SCHOOL_BOUND_KINDS and pos.school is None:
            out.add(
                row.at(("school",)),
                f"a {pos.kind.value} position must name its school",
                "missing_school",
            )
        if pos.level is PositionLevel.SCHOOL and pos.school is None:
            out.add(
                row.at(("school",)),
                "a school-level position must name its school",
                "missing_school",
            )

    person: Person
    for person, row in valid["people"]:
        _ref(out, row, ("school",), person.school, schools, "school")
        if person.side is None and person.id not in held_by:
            out.add(
                row.at(("side",)),
                f"person {person.id!r} holds no position, so give their side "
                f"({', '.join(s.value for s in Side)})",
                "missing_side",
            )

    team: Team
    for team, row in valid["teams"]:
        _ref(out, row, ("school",), team.school, schools, "school")
        for i, topic in enumerate(team.topics):
            _ref(out, row, ("topics", i), topic, topics, "topic")
        for i, boss in enumerate(team.overseen_by):
            if boss == team.id:
                out.add(
                    row.at(("overseen_by", i)), "a team cannot oversee itself", "self_reference"
                )
            else:
                _ref(out, row, ("overseen_by", i), boss, teams, "team")
        if team.level is TeamLevel.SCHOOL and team.school is None:
            out.add(
                row.at(("school",)), "a school-level team must name its school", "missing_school"
            )
        if team.kind is TeamKind.SLT and team.level is not TeamLevel.SCHOOL:
            out.add(
                row.at(("level",)),
                "a School Leadership Team (slt) must have level 'school'",
                "bad_level",
            )
        if team.kind is TeamKind.DLT and team.level is not TeamLevel.DISTRICT:
            out.add(
                row.at(("level",)),
                "a District Leadership Team (dlt) must have level 'district'",
                "bad_level",
            )

    mem: Membership
    seats: dict[tuple[str, str], RawRow] = {}
    for mem, row in valid["memberships"]:
        _ref(out, row, ("person",), mem.person, people, "person")
        _ref(out, row, ("team",), mem.team, teams, "team")
        if (mem.person, mem.team) in seats:
            out.add(
                row.location,
                f"{mem.person!r} is listed on team {mem.team!r} twice "
                f"(first at {seats[(mem.person, mem.team)].location})",
                "duplicate_id",
            )
        seats.setdefault((mem.person, mem.team), row)

    meeting: Meeting
    for meeting, row in valid["meetings"]:
        counts = Counter(meeting.attendees)
        for i, pid in enumerate(meeting.attendees):
            _ref(out, row, ("attendees", i), pid, positions, "position")
            if counts[pid] > 1 and meeting.attendees.index(pid) != i:
                out.add(
                    row.at(("attendees", i)), f"position {pid!r} is listed twice", "duplicate_id"
                )
        for i, topic in enumerate(meeting.topics):
            _ref(out, row, ("topics", i), topic, topics, "topic")

    pair: Counterpart
    pairs: set[tuple[str, str]] = set()
    for pair, row in valid["counterparts"]:
        for field, side in (("management", Side.MANAGEMENT), ("labor", Side.LABOR)):
            pid = getattr(pair, field)
            if _ref(out, row, (field,), pid, positions, "position") and (
                positions[pid][0].side is not side
            ):
                out.add(
                    row.at((field,)),
                    f"position {pid!r} is on side {positions[pid][0].side.value!r}; the "
                    f"'{field}' column takes a {side.value} position",
                    "side_mismatch",
                )
        if (pair.management, pair.labor) in pairs:
            out.add(row.location, "this counterpart pair is declared twice", "duplicate_id")
        pairs.add((pair.management, pair.labor))

    districts = valid["district"]
    scale = districts[0][0].scale if districts else 1.0
    tie: Tie
    keys: dict[str, RawRow] = {}
    for index, (tie, row) in enumerate(valid["ties"]):
        if row.data.get("weight") is None and scale != 1.0:
            # a weight taken from the frequency (or a full-strength default) is on the
            # district's scale too
            base = tie.frequency.weight if tie.frequency is not None else 1.0
            tie = tie.model_copy(update={"weight": base * scale})
            valid["ties"][index] = (tie, row)
        if tie.weight > scale:
            out.add(
                row.at(("weight",)),
                f"weight {tie.weight:g} is above the district's tie scale ({scale:g}"
                + (", the default" if not districts or districts[0][0].tie_scale is None else "")
                + "); set tie_scale on the district row to the top of the scale you use",
                "out_of_range",
            )
        _ref(out, row, ("source",), tie.source, people, "person")
        _ref(out, row, ("target",), tie.target, people, "person")
        _ref(out, row, ("topic",), tie.topic, topics, "topic")
        if tie.source == tie.target:
            out.add(
                row.at(("target",)),
                f"a person cannot have a tie to themselves ({tie.source!r})",
                "self_tie",
            )
        if tie.key in keys:
            out.add(
                row.location,
                f"the tie {tie.source!r} -> {tie.target!r} (topic "
                f"{tie.topic or '-'}, wave {tie.wave or '-'}) is listed twice "
                f"(first at {keys[tie.key].location})",
                "duplicate_id",
            )
        keys.setdefault(tie.key, row)


def validate_document(doc: RawDocument) -> Workbook:
    """Validate a raw workbook and build the :class:`~collabgraph.model.Workbook`.

    Parameters
    ----------
    doc : RawDocument
        What a reader produced from one file or folder.

    Returns
    -------
    Workbook
        The validated workbook.

    Raises
    ------
    WorkbookError
        With every problem found, reader problems first.

    Examples
    --------
    >>> from collabgraph.workbook.raw import RawDocument, RawRow
    >>> from collabgraph.errors import Location
    >>> doc = RawDocument(source="x", format="collabgraph/1", sections={
    ...     "district": [RawRow({"id": "d", "name": "D"}, Location(path="district"))],
    ...     "people": [RawRow({"id": "a", "name": "A", "side": "labor"}, Location())],
    ...     "ties": [RawRow({"source": "a", "target": "a"}, Location(path="ties[0]"))]})
    >>> validate_document(doc)
    Traceback (most recent call last):
    ...
    collabgraph.errors.WorkbookError: x: 1 problem found
      - at ties[0]: a person cannot have a tie to themselves ('a')
    """
    out = _Collector()
    out.problems.extend(doc.problems)
    if doc.unreadable:
        raise WorkbookError(out.problems, doc.source, doc.notes)
    if doc.format is None:
        out.add(
            doc.format_location,
            f"the format tag is missing: add 'format: {FORMAT}' (or a format row)",
            "missing_format",
        )
    elif doc.format != FORMAT:
        out.add(
            doc.format_location,
            f"unknown format {doc.format!r}: this version of collabgraph reads {FORMAT!r}",
            "bad_format",
        )
    district_rows = doc.sections.get("district", [])
    if not district_rows:
        out.add(
            doc.where("district"),
            "the district section is missing: give the district's id and name",
            "missing_section",
        )
    elif len(district_rows) > 1:
        out.add(
            district_rows[1].location,
            "a workbook describes exactly one district; found more than one district row",
            "duplicate_id",
        )
    normalized = normalize_document(doc)
    doc.notes.extend(normalized.notes)
    out.problems.extend(normalized.problems)
    valid = _check_rows(doc, out, normalized.reported)
    _cross_check(valid, out)
    if out.problems:
        raise WorkbookError(out.problems, doc.source, doc.notes)
    district = cast(District, valid["district"][0][0])
    sections: dict[str, Any] = {
        name: [obj for obj, _ in valid[name]] for name in SECTIONS if name != "district"
    }
    # Every row is already a validated model: build without validating twice.
    return Workbook.model_construct(format=FORMAT, district=district, **sections)
