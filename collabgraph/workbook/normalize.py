"""Forgiving reading of what people type: choice values and dates, with a note for each.

Validation calls :func:`normalize_document` before it checks any row. It turns
what a person would expect to work into the canonical value, and says so:

* **choice values** are matched without regard to letter case, spaces,
  hyphens and underscores (``Elementary``, ``Working Committee``, ``co-chair``,
  ``K-8``, ``bi-weekly``), and a few documented synonyms are accepted
  (:data:`SYNONYMS`: ``fortnightly`` is ``biweekly``, ``union`` is ``labor``...);
* **dates** are read in the common unambiguous forms: ``2025-9-5``,
  ``2025/09/05``, ``5 September 2025``, ``Sep 5, 2025``, a day-first or
  month-first date whose day is above 12 (``25/9/2025``, ``9/25/2025``), and a
  date-time (a real spreadsheet date-time cell, ``2025-09-15 14:30``), whose
  time is dropped. A date that reads two ways (``9/5/2025``) is refused with a
  message naming both readings.

Nothing is changed silently: every change is a note (code ``normalized``), one
per column and written value, with the number of rows and the first place.

Examples
--------
>>> from collabgraph.model import Cadence
>>> normalize_choice(Cadence, "Bi-Weekly")
'biweekly'
>>> normalize_choice(Cadence, "fortnightly")
'biweekly'
>>> read_date("2025-9-5")
(datetime.date(2025, 9, 5), None)
>>> read_date("9/5/2025")[1]
"'9/5/2025' reads two ways: 9 May 2025 (day first) or 5 September 2025 (month first); \
write it as 2025-05-09 or 2025-09-05"
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Final

from pydantic import BaseModel

from collabgraph.errors import Location, Problem
from collabgraph.model import (
    SECTIONS,
    Appointer,
    Cadence,
    Frequency,
    MembershipRole,
    SchoolLevel,
    Side,
    TeamKind,
)
from collabgraph.workbook.columns import base_type
from collabgraph.workbook.raw import RawDocument, RawRow

__all__ = ["SYNONYMS", "Normalized", "normalize_choice", "normalize_document", "read_date"]

#: Other words accepted for a choice value, by the value's squashed form
#: (lower case, letters and digits only). Documented in docs/workbook.md.
SYNONYMS: Final[dict[type[Enum], dict[str, str]]] = {
    Cadence: {
        "fortnightly": "biweekly",
        "everytwoweeks": "biweekly",
        "annual": "yearly",
        "annually": "yearly",
        "adhoc": "as_needed",
    },
    Frequency: {"everyday": "daily", "annual": "yearly", "annually": "yearly"},
    Side: {
        "administration": "management",
        "admin": "management",
        "union": "labor",
        "association": "labor",
        "labour": "labor",
    },
    SchoolLevel: {
        "elementaryschool": "elementary",
        "middleschool": "middle",
        "juniorhigh": "middle",
        "highschool": "high",
        "prek": "early_childhood",
        "preschool": "early_childhood",
    },
    TeamKind: {
        "districtleadershipteam": "dlt",
        "schoolleadershipteam": "slt",
        "professionallearningcommunity": "plc",
    },
    MembershipRole: {"chairperson": "chair", "cochairperson": "co_chair"},
    Appointer: {"both": "joint"},
}

_MONTHS: Final = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH_NAMES: Final = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip

_ISO_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(:\d{2}(\.\d+)?)?$")
_YEAR_FIRST = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_YEAR_LAST = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_MONTH_NAME_DAY = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")


def _squash(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def normalize_choice(enum: type[Enum], value: str) -> str | None:
    """The enum value ``value`` stands for, or ``None`` when it stands for none.

    >>> from collabgraph.model import SchoolLevel, TeamKind
    >>> normalize_choice(SchoolLevel, " K-8 "), normalize_choice(TeamKind, "Working committee")
    ('k8', 'working_committee')
    >>> normalize_choice(SchoolLevel, "college") is None
    True
    """
    squashed = _squash(value)
    for member in enum:
        if _squash(str(member.value)) == squashed:
            return str(member.value)
    return SYNONYMS.get(enum, {}).get(squashed)


def _long(day: dt.date) -> str:
    return f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def read_date(text: str) -> tuple[dt.date | None, str | None]:
    """A written date as a date, or the reason it cannot be taken as one.

    Returns ``(date, None)`` for a date read one way, ``(None, reason)`` for a
    date that reads two ways, and ``(None, None)`` for text that is no date this
    function knows (validation then reports it).

    >>> read_date("2025-09-15 14:30")
    (datetime.date(2025, 9, 15), None)
    >>> read_date("25/9/2025"), read_date("Sep 5, 2025")
    ((datetime.date(2025, 9, 25), None), (datetime.date(2025, 9, 5), None))
    >>> read_date("someday")
    (None, None)
    """
    value = text.strip()
    match = _ISO_TIME.match(value) or _YEAR_FIRST.match(value)
    if match:
        return _make(int(match[1]), int(match[2]), int(match[3])), None
    match = _YEAR_LAST.match(value)
    if match:
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        day_first = _make(year, second, first)
        month_first = _make(year, first, second)
        if day_first and month_first and day_first != month_first:
            return None, (
                f"{value!r} reads two ways: {_long(day_first)} (day first) or "
                f"{_long(month_first)} (month first); write it as {day_first.isoformat()} "
                f"or {month_first.isoformat()}"
            )
        return day_first or month_first, None
    match = _DAY_MONTH_NAME.match(value)
    if match and match[2].casefold() in _MONTHS:
        return _make(int(match[3]), _MONTHS[match[2].casefold()], int(match[1])), None
    match = _MONTH_NAME_DAY.match(value)
    if match and match[1].casefold() in _MONTHS:
        return _make(int(match[3]), _MONTHS[match[1].casefold()], int(match[2])), None
    return None, None


def _fields(model: type[BaseModel]) -> dict[str, Any]:
    """The choice fields (their enum) and date fields (``dt.date``) of a model."""
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        base = base_type(info.annotation)
        if base is dt.date or (isinstance(base, type) and issubclass(base, Enum)):
            out[name] = base
    return out


@dataclass
class _Change:
    section: str
    field: str
    before: str
    after: str
    first: Location
    why: str
    rows: int = 0


@dataclass
class Normalized:
    """What :func:`normalize_document` did: its notes, and the fields it already refused."""

    notes: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: ``(id(row), field)`` of values already reported: validation skips their errors.
    reported: set[tuple[int, str]] = field(default_factory=set)


def _shown(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return str(value)


@functools.cache
def _allowed(kind: type[Enum]) -> frozenset[str]:
    """The canonical values of a choice (asked once per row and field: kept)."""
    return frozenset(str(m.value) for m in kind)


def _one(row: RawRow, name: str, kind: Any, value: Any, out: Normalized) -> tuple[Any, str] | None:
    """The normalized value and a word on why, or ``None`` to keep the value as it is."""
    if kind is dt.date:
        if isinstance(value, dt.datetime):
            return value.date().isoformat(), "the time is left out"
        if not isinstance(value, str) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            return None
        day, reason = read_date(value)
        if reason is not None:
            out.problems.append(Problem(row.at((name,)), reason, "ambiguous_date"))
            out.reported.add((id(row), name))
            return None
        if day is None:
            return None
        why = "the time is left out" if _ISO_TIME.match(value.strip()) else "read as a date"
        return day.isoformat(), why
    if not isinstance(value, str):
        return None
    if value in _allowed(kind):
        return None
    found = normalize_choice(kind, value)
    if found is None:
        return None
    exact = _squash(value) == _squash(found)
    return found, ("letter case and spacing ignored" if exact else "a synonym")


def normalize_document(doc: RawDocument) -> Normalized:
    """Put choice values and dates of every row in canonical form; note each change.

    Rows are changed in place. Returns the notes, the problems of values that
    cannot be read one way (ambiguous dates), and which values those were.
    """
    out = Normalized()
    changes: dict[tuple[str, str, str, str], _Change] = {}
    for section, rows in doc.sections.items():
        model = SECTIONS.get(section)
        if model is None:
            continue
        specs = _fields(model)
        for row in rows:
            for name in list(row.data):
                kind = specs.get(name)
                if kind is None:
                    continue
                done = _one(row, name, kind, row.data[name], out)
                if done is None:
                    continue
                before = _shown(row.data[name])
                row.data[name] = done[0]
                key = (section, name, before, done[0])
                change = changes.setdefault(
                    key, _Change(section, name, before, done[0], row.at((name,)), done[1])
                )
                change.rows += 1
    out.notes.extend(_notes(changes.values()))
    return out


def _notes(changes: Iterable[_Change]) -> list[Problem]:
    notes = []
    for c in changes:
        many = f" ({c.rows} rows, the first here)" if c.rows > 1 else ""
        notes.append(
            Problem(
                c.first,
                f"{c.field} {c.before!r} read as {c.after!r} ({c.why}){many}",
                "normalized",
            )
        )
    return notes
