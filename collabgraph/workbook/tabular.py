"""The tabular encodings: a folder of CSV files, or one Excel ``.xlsx`` file.

Both hold one table per section of :data:`collabgraph.model.SECTIONS`. A CSV
workbook is a folder with ``district.csv``, ``schools.csv`` ... ``ties.csv``;
an Excel workbook has one sheet per section with the same names, after a first
``instructions`` sheet that readers skip.

The first row of each table names its columns: the fields of the section's
model, in model order. The ``district`` table has one data row and an extra
first column, ``format``, holding ``collabgraph/1``.

Reading rules, the same for both encodings:

* every cell is read as text; an empty cell means "not given";
* list columns (``portfolio``, ``topics``, ``overseen_by``, ``attendees``)
  hold ids separated by ``;``;
* rows with no value at all are skipped;
* column names are read without regard to letter case, surrounding spaces,
  and spaces or hyphens for ``_`` (``Represented Staff`` is
  ``represented_staff``); each such header is a note, not an error;
* a required column that is missing, a column name nobody knows (with a
  suggestion) and a column named twice are reported once, at row 1 — never
  again row by row; a misspelled column that stands for a missing one is one
  message;
* every place names the column by its letter and its name, ``C (level)``;
* the ``district`` table must be there. Other CSV files may be left out (the
  section is then empty), but every sheet of an Excel workbook must exist,
  because a sheet deleted by mistake would otherwise go unnoticed. A CSV file
  or sheet whose name is not a section is reported, with a suggestion.

When a file cannot be decoded, is empty, or a table is missing or has no
header row, the reader's problems are reported on their own: checking rows
against tables that are not there would only add consequences of the same
mistake.

A CSV row number is the row a spreadsheet shows: it equals the line number,
unless a quoted cell spans lines, in which case the line is given as well.
CSV files are written as UTF-8 with a byte-order mark (so that Excel shows
accents right) and read as UTF-8 with or without one; ``,``, ``;`` and tab
delimiters are recognised from the header row.

Writers (:mod:`collabgraph.workbook.tabular_write`, re-exported here) are the
exact inverse of the readers and never leave a half-written file: each file is
written to a temporary name in the same folder first and then moved into place.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collabgraph.errors import Location, Problem, WorkbookError
from collabgraph.model import SECTIONS
from collabgraph.workbook.columns import (
    INSTRUCTIONS_SHEET,
    SECTION_HELP,
    Cell,
    Column,
    cell_text,
    column_letter,
    columns,
    split_list,
)
from collabgraph.workbook.document import decode_text
from collabgraph.workbook.raw import LocPath, RawDocument, RawRow
from collabgraph.workbook.tabular_write import (
    workbook_tables,
    write_csv_folder,
    write_csv_tables,
    write_file_atomic,
    write_xlsx,
    write_xlsx_tables,
)
from collabgraph.workbook.validate import suggest

__all__ = [
    "INSTRUCTIONS_SHEET",
    "SECTION_HELP",
    "Cell",
    "Column",
    "cell_text",
    "columns",
    "read_csv_folder",
    "read_xlsx",
    "split_list",
    "workbook_tables",
    "write_csv_folder",
    "write_csv_tables",
    "write_file_atomic",
    "write_xlsx",
    "write_xlsx_tables",
]


@dataclass(frozen=True)
class _Place:
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


@dataclass(frozen=True)
class _Line:
    """One row of a table as read: its row number, its cells as text, its first line."""

    number: int
    cells: list[str]
    line: int | None = None


def _read_table(
    section: str, lines: Sequence[_Line], place: _Place, doc: RawDocument
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
    used = {i: known[name] for name, i in index_of.items()}
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
                data[found.name] = split_list(text) if found.is_list else text
            elif i >= len(header) or not header[i]:
                strays.append((i, text))
        _report_strays(place, line, strays, stray_columns, problem)
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

        rows.append(RawRow(data, place.row(line.number, line.line), locate))
    return rows


def _report_strays(
    place: _Place,
    line: _Line,
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


def _delimiter(first_line: str, known: set[str]) -> str:
    """Pick the delimiter that splits the header row into the most known column names.

    >>> _delimiter("id;name;level", {"id", "name", "level"})
    ';'
    >>> _delimiter("id,name", {"id", "name"})
    ','
    """
    best, best_score = ",", (-1, -1)
    for candidate in (",", ";", "\t"):
        cells = next(csv.reader([first_line], delimiter=candidate), [])
        score = (sum(canonical_header(c) in known for c in cells), len(cells))
        if score > best_score:
            best, best_score = candidate, score
    return best


def _csv_lines(text: str, section: str, place: _Place) -> list[_Line]:
    """Parse CSV text into numbered rows; a row's number is the spreadsheet's."""
    known = {c.name for c in columns(section)}
    first = text.split("\n", 1)[0].rstrip("\r")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first, known))
    lines: list[_Line] = []
    start = 1
    try:
        for number, record in enumerate(reader, start=1):
            cells = [cell.strip() for cell in record]
            lines.append(_Line(number, cells, start if start != number else None))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise WorkbookError(
            [
                Problem(
                    Location(file=place.file, line=reader.line_num or None),
                    f"this CSV file cannot be read: {exc}",
                    "bad_csv",
                )
            ],
            place.file,
        ) from exc
    return lines


def _is_section_file(entry: Path) -> bool:
    name = entry.name
    return entry.suffix.lower() == ".csv" and not name.startswith((".", "~$")) and entry.is_file()


def read_csv_folder(path: Path) -> RawDocument:
    """Read a folder of CSV files (one per section) into a :class:`RawDocument`.

    Parameters
    ----------
    path : Path
        The folder.

    Returns
    -------
    RawDocument
        The rows that could be read, with every problem the reader found.

    Raises
    ------
    WorkbookError
        When the folder cannot be listed or holds no CSV file at all.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = Path(tmp)
    ...     _ = (folder / "district.csv").write_text("format,id,name\\ncollabgraph/1,d,D\\n")
    ...     _ = (folder / "schools.csv").write_text("id;name;level\\nx;X;high\\n")
    ...     doc = read_csv_folder(folder)
    >>> doc.format, doc.sections["district"][0].data, doc.sections["schools"][0].data
    ('collabgraph/1', {'id': 'd', 'name': 'D'}, {'id': 'x', 'name': 'X', 'level': 'high'})
    >>> doc.sections["schools"][0].at(("level",)).row
    2
    """
    source = str(path)
    try:
        entries = sorted(entry for entry in path.iterdir() if _is_section_file(entry))
    except OSError as exc:
        raise WorkbookError(
            [
                Problem(
                    Location(file=source), f"cannot read the folder: {exc.strerror}", "unreadable"
                )
            ],
            source,
        ) from exc
    expected = [f"{name}.csv" for name in SECTIONS]
    if not entries:
        raise WorkbookError(
            [
                Problem(
                    Location(file=source),
                    "this folder holds no CSV files; a CSV workbook has one file per section ("
                    + ", ".join(expected)
                    + "); 'collabgraph template --format csv' writes an empty one",
                    "missing_section",
                )
            ],
            source,
        )
    doc = RawDocument(source=source)
    found = {entry.name[: -len(".csv")]: entry for entry in entries}
    for stem, entry in found.items():
        if stem not in SECTIONS:
            doc.problems.append(
                Problem(
                    Location(file=str(entry)),
                    f"unknown file '{entry.name}': the files of a CSV workbook are named after "
                    "its sections" + suggest(entry.name, expected),
                    "unknown_section",
                )
            )
    structural = False
    if "district" not in found:
        structural = True
        doc.problems.append(
            Problem(
                Location(file=str(path / "district.csv")),
                "district.csv is missing: every CSV workbook needs it, with the format tag "
                "and the district's id and name",
                "missing_section",
            )
        )
    for section in SECTIONS:
        file = path / f"{section}.csv"
        place = _Place(str(file))
        doc.section_locations[section] = place.whole()
        if section == "district":
            doc.format_location = place.cell(1, None, "format")
        if section not in found:
            continue
        try:
            text = decode_text(file.read_bytes(), str(file))
            lines = _csv_lines(text, section, place)
        except OSError as exc:
            structural = True
            doc.problems.append(
                Problem(place.whole(), f"cannot read the file: {exc.strerror}", "unreadable")
            )
            continue
        except WorkbookError as exc:
            structural = True
            doc.problems.extend(exc.problems)
            continue
        rows = _read_table(section, lines, place, doc)
        structural = structural or rows is None
        doc.sections[section] = rows or []
    doc.unreadable = structural
    return doc


def _xlsx_failure(path: Path, exc: Exception) -> WorkbookError:
    if isinstance(exc, zipfile.BadZipFile):
        reason = (
            "this is not an Excel .xlsx file (it is not a zip package); save it from your "
            "spreadsheet as 'Excel Workbook (.xlsx)'"
        )
        code = "not_xlsx"
    elif isinstance(exc, OSError):
        reason, code = f"cannot read the file: {exc.strerror or exc}", "unreadable"
    else:
        reason = (
            f"this .xlsx file cannot be read ({type(exc).__name__}: {exc}); it may be "
            "damaged: open it and save it again as 'Excel Workbook (.xlsx)'"
        )
        code = "not_xlsx"
    return WorkbookError([Problem(Location(file=str(path)), reason, code)], str(path))


def _load_sheets(path: Path) -> tuple[list[str], dict[str, list[_Line]]]:
    """Every sheet name, and the rows of the sheets named after sections, as text."""
    import openpyxl

    # openpyxl raises many unrelated exception types for a damaged package (zip,
    # XML, KeyError for a missing part ...). Only the library calls are inside
    # this block, so our own mistakes are not hidden by it.
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            names: list[str] = list(book.sheetnames)
            raw: dict[str, list[tuple[int, tuple[Any, ...]]]] = {}
            for name in names:
                if name in SECTIONS:
                    sheet = book[name]
                    sheet.reset_dimensions()  # trust the cells, not the stored size
                    raw[name] = list(enumerate(sheet.iter_rows(values_only=True), start=1))
        finally:
            book.close()
    except Exception as exc:
        raise _xlsx_failure(path, exc) from exc
    tables = {
        name: [_Line(number, [cell_text(v) for v in values]) for number, values in rows]
        for name, rows in raw.items()
    }
    return names, tables


def read_xlsx(path: Path) -> RawDocument:
    """Read an Excel workbook (one sheet per section) into a :class:`RawDocument`.

    Parameters
    ----------
    path : Path
        The ``.xlsx`` file.

    Returns
    -------
    RawDocument
        The rows that could be read, with every problem the reader found.

    Raises
    ------
    WorkbookError
        When the file is not an ``.xlsx`` package or cannot be read.
    """
    names, tables = _load_sheets(path)
    source = str(path)
    doc = RawDocument(source=source)
    for name in names:
        if name not in SECTIONS and name != INSTRUCTIONS_SHEET:
            doc.problems.append(
                Problem(
                    Location(file=source, sheet=name),
                    f"unknown sheet '{name}': the sheets of a workbook are named after its "
                    "sections" + suggest(name, list(SECTIONS)),
                    "unknown_section",
                )
            )
    extra = [n for n in names if n not in SECTIONS and n != INSTRUCTIONS_SHEET]
    structural = False
    for section in SECTIONS:
        place = _Place(source, section)
        doc.section_locations[section] = place.whole()
        if section == "district":
            doc.format_location = place.cell(1, None, "format")
        if section not in tables:
            structural = True
            hint = suggest(section, extra).replace(" (did you mean", " (is it")
            doc.problems.append(
                Problem(
                    Location(file=source),
                    f"the workbook has no sheet '{section}'{hint}; the template has every sheet",
                    "missing_section",
                )
            )
            continue
        rows = _read_table(section, tables[section], place, doc)
        structural = structural or rows is None
        doc.sections[section] = rows or []
    doc.unreadable = structural
    return doc
