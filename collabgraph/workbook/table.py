"""One table of a tabular workbook (a CSV file or a sheet) turned into raw rows.

Shared by the CSV and Excel readers of :mod:`collabgraph.workbook.tabular`: the
header row is matched to the section's columns (letter case, spaces and hyphens
forgiven, each such header noted), header mistakes are reported once per column,
and every value keeps its place: row, column letter and column name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from collabgraph.errors import Location, Problem
from collabgraph.workbook.columns import column_letter, columns, split_list
from collabgraph.workbook.messages import suggest
from collabgraph.workbook.raw import LocPath, RawDocument, RawRow

__all__ = ["Line", "Place", "canonical_header", "read_table", "report_strays"]


@dataclass(frozen=True)
class Place:
    """Where one table lives: a CSV file, or a sheet of an Excel file."""

    file: str
    sheet: str | None = None

    def whole(self) -> Location:
        return Location(file=self.file, sheet=self.sheet)

    def row(self, row: int, line: int | None = None) -> Location:
        return Location(file=self.file, sheet=self.sheet, row=row, line=line)

    def cell(self, row: int, index: int | None, name: str, line: int | None = None) -> Location:
        column = f"{column_letter(index)} ({name})" if index is not None else name
        if self.sheet is None:
            return Location(file=self.file, row=row, column=column, line=line)
        return Location(file=self.file, sheet=self.sheet, row=row, column=column)

    def column_label(self, index: int) -> str:
        return f"column {column_letter(index)}"


class Line(NamedTuple):
    """One row of a table as read: its row number, its cells as text, its first line.

    (A named tuple: a 1,000-school workbook makes some 47,000 of them.)
    """

    number: int
    cells: list[str]
    line: int | None = None


def read_table(
    section: str, lines: Sequence[Line], place: Place, doc: RawDocument
) -> list[RawRow] | None:
    """Turn one table into rows, adding header and cell problems to ``doc``.

    Returns ``None`` when the table has no header row at all (nothing to read).
    """
    problem = doc.problems.append
    if not lines or not any(lines[0].cells):
        what = "sheet" if place.sheet else "file"
        names = ", ".join(c.name for c in columns(section))
        problem(
            Problem(
                place.row(1),
                f"the first row of this {what} must name its columns ({names})",
                "missing_header",
            )
        )
        return None
    header = lines[0].cells
    known = {c.name: c for c in columns(section)}
    index_of: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    for i, written in enumerate(header):
        if not written:
            continue
        name = canonical_header(written)
        where = place.cell(1, i, written)
        if name not in known:
            unknown.append((i, written))
        elif name in index_of:
            first = index_of[name]
            problem(
                Problem(
                    where,
                    f"the column '{name}' appears twice in the first row "
                    f"({place.column_label(first)} and {place.column_label(i)}); keep one",
                    "duplicate_column",
                )
            )
        else:
            index_of[name] = i
            if written != name:
                doc.notes.append(
                    Problem(where, f"column name {written!r} read as {name!r}", "normalized")
                )
    # A missing format column is reported by validation, as a missing format tag.
    missing = [
        c.name
        for c in known.values()
        if c.required and c.name not in index_of and c.name != "format"
    ]
    doc.missing_columns[section] = {c for c in known if c not in index_of}
    explained: set[str] = set()
    for i, written in unknown:
        hint = suggest(canonical_header(written), [*missing, *known])
        words = canonical_header(written).split("_")
        target = next((m for m in missing if f"'{m}'" in hint), None) or next(
            (m for m in missing if m in words and m not in explained), None
        )
        if target is not None:
            explained.add(target)
            message = (
                f"unknown column '{written}' in {section}: the required column '{target}' is "
                f"missing (is this it? then name it '{target}')"
            )
        else:
            message = f"unknown column '{written}' in {section}" + hint
        problem(Problem(place.cell(1, i, written), message, "unknown_column"))
    free = column_letter(len(header))
    for name in missing:
        if name in explained:
            continue
        problem(
            Problem(
                place.cell(1, None, name),
                f"the required column '{name}' is missing from the first row; add it (the "
                f"next free column is {free})",
                "missing_column",
            )
        )
    # (field, is a list column) per column index, looked up once per file, not per cell
    used = {i: (known[name].name, known[name].is_list) for name, i in index_of.items()}
    stray_columns: set[int] = set()
    rows: list[RawRow] = []
    for line in lines[1:]:
        if not any(line.cells):
            continue
        data: dict[str, Any] = {}
        strays: list[tuple[int, str]] = []
        for i, text in enumerate(line.cells):
            if not text:
                continue
            found = used.get(i)
            if found is not None:
                data[found[0]] = split_list(text) if found[1] else text
            elif i >= len(header) or not header[i]:
                strays.append((i, text))
        report_strays(place, line, strays, stray_columns, problem)
        if section == "district" and "format" in data:
            fmt = data.pop("format")
            if doc.format is None:
                doc.format = fmt
                doc.format_location = place.cell(line.number, index_of["format"], "format")
        if not data:
            continue

        def locate(
            path: LocPath, number: int = line.number, at_line: int | None = line.line
        ) -> Location:
            name = str(path[0])
            return place.cell(number, index_of.get(name), name, at_line)

        def here(number: int = line.number, at_line: int | None = line.line) -> Location:
            return place.row(number, at_line)

        rows.append(RawRow(data, here, locate))
    return rows


def report_strays(
    place: Place,
    line: Line,
    strays: Sequence[tuple[int, str]],
    reported: set[int],
    problem: Callable[[Problem], None],
) -> None:
    """Report values in columns that have no name.

    In a CSV file this usually means a value holding the delimiter was not
    quoted, so every such row is reported; in a sheet, each column once.
    """
    if not strays:
        return
    if place.sheet is None:
        problem(
            Problem(
                place.row(line.number, line.line),
                f"this row has more cells than the first row has column names (the value "
                f"{strays[0][1]!r} has no column); if a value contains the delimiter, put it "
                'in double quotes ("Smith, Jo")',
                "extra_cells",
            )
        )
        return
    for index, _text in strays:
        if index in reported:
            continue
        reported.add(index)
        problem(
            Problem(
                place.cell(line.number, index, "no name"),
                f"column {column_letter(index)} holds values but has no name in row 1; "
                "name it or clear it",
                "unnamed_column",
            )
        )


def canonical_header(written: str) -> str:
    """A header cell as a column name: lower case, spaces and hyphens as ``_``.

    >>> canonical_header(" Represented Staff "), canonical_header("holder-since")
    ('represented_staff', 'holder_since')
    """
    return re.sub(r"[\s\-]+", "_", written.strip()).casefold()
