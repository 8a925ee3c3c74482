"""The encoding-neutral form of a workbook, before validation.

Every reader (YAML, JSON, CSV folder, Excel) turns its file into a
:class:`RawDocument`: the format tag and, per section, a list of
:class:`RawRow` (a plain dict of values plus a way to say where each value came
from). Validation then runs once, the same way for every encoding, and every
problem it finds is reported at the place the reader recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from collabgraph.errors import Location, Problem

__all__ = ["LocPath", "RawDocument", "RawRow"]

LocPath = tuple[str | int, ...]
"""A path inside one row: ``("attendees", 1)`` is the second attendee."""


def _same(base: Location) -> Callable[[LocPath], Location]:
    return lambda _path: base


@dataclass
class RawRow:
    """One row of one section, as the reader found it.

    ``data`` holds the row's fields. Tabular readers leave out empty cells and
    split list cells on ``;``; values may still be strings that validation
    coerces (``"3"`` for a number, ``"2024-09-01"`` for a date).
    ``locate`` maps a path inside the row to the place it came from. The row's
    own place may be given as a function that makes it: readers of large files
    pass one, so a place is only built for a row that has a problem.

    >>> RawRow({}, lambda: Location(file="f.json", path="ties[3]")).location.path
    'ties[3]'
    """

    data: dict[str, Any]
    place: Location | Callable[[], Location]
    locate: Callable[[LocPath], Location] | None = None

    @property
    def location(self) -> Location:
        """The place of the row itself."""
        place = self.place
        if not isinstance(place, Location):
            place = self.place = place()
        return place

    def at(self, path: LocPath = ()) -> Location:
        """The place of a field (or of the row itself for an empty path)."""
        if not path or self.locate is None:
            return self.location
        return self.locate(path)


@dataclass
class RawDocument:
    """A whole workbook as read, with the problems the reader already found."""

    source: str
    format: Any = None
    format_location: Location = field(default_factory=Location)
    sections: dict[str, list[RawRow]] = field(default_factory=dict)
    section_locations: dict[str, Location] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: What was read other than written (a header ``Name`` as ``name``, a date
    #: ``2025-9-5`` as ``2025-09-05``...): one note per change, never an error.
    notes: list[Problem] = field(default_factory=list)
    #: Per section, the columns missing from a table's header row. The reader has
    #: reported each once; validation does not report them again row by row.
    missing_columns: dict[str, set[str]] = field(default_factory=dict)
    #: Set by a reader when the file's overall shape is wrong and no row could be read.
    unreadable: bool = False

    def where(self, section: str) -> Location:
        """The place of a section as a whole (a file, a sheet or a key)."""
        return self.section_locations.get(section, Location(file=self.source))
