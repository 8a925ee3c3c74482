"""The one exception family of collabgraph.

Library code raises a subclass of :class:`CollabGraphError`; only the command
line turns it into an exit code, and only the API turns it into an HTTP problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

__all__ = ["CollabGraphError", "Location", "Problem", "WorkbookError"]


class CollabGraphError(Exception):
    """Base class of every error collabgraph raises on purpose."""


@dataclass(frozen=True, order=True)
class Location:
    """Where in a workbook a problem is.

    Each encoding fills in what it has: a YAML or JSON file has a ``path`` (and,
    for YAML, a ``line``); a CSV folder has a ``file``, a ``row`` and a ``column``;
    an Excel file has a ``sheet``, a ``row`` and a ``column``.

    Examples
    --------
    >>> str(Location(file="teams.csv", row=4, column="kind"))
    'teams.csv, row 4, column kind'
    >>> str(Location(file="d.yaml", path="teams[2].kind", line=31))
    'd.yaml, line 31, at teams[2].kind'
    """

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None
    path: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.path:
            parts.append(f"at {self.path}")
        return ", ".join(parts) or "(whole workbook)"

    def as_dict(self) -> dict[str, str | int]:
        """The non-empty fields, for JSON output."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, with its place and a plain-language reason."""

    location: Location
    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@dataclass
class WorkbookError(CollabGraphError):
    """A workbook could not be read or did not validate. Carries every problem found."""

    problems: Sequence[Problem] = field(default_factory=list)
    source: str = ""
    #: What the reader read other than written (see ``RawDocument.notes``).
    notes: Sequence[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{self.source}: " if self.source else ""
        n = len(self.problems)
        lines = [f"{head}{n} problem{'s' if n != 1 else ''} found"]
        lines.extend(f"  - {p}" for p in self.problems)
        return "\n".join(lines)
