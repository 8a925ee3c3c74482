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
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from collabgraph.errors import Location, Problem, WorkbookError
from collabgraph.model import SECTIONS
from collabgraph.safety.cells import restore
from collabgraph.safety.limits import (
    InputLimits,
    check_csv_rows,
    check_row_count,
    check_size,
    check_xlsx_rows,
    check_zip,
)
from collabgraph.workbook.columns import (
    INSTRUCTIONS_SHEET,
    SECTION_HELP,
    Cell,
    Column,
    cell_text,
    columns,
    split_list,
)
from collabgraph.workbook.document import decode_text
from collabgraph.workbook.messages import suggest
from collabgraph.workbook.raw import RawDocument
from collabgraph.workbook.table import Line, Place, canonical_header, read_table
from collabgraph.workbook.tabular_write import (
    workbook_tables,
    write_csv_folder,
    write_csv_tables,
    write_file_atomic,
    write_xlsx,
    write_xlsx_tables,
)

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


def _csv_lines(text: str, section: str, place: Place) -> list[Line]:
    """Parse CSV text into numbered rows; a row's number is the spreadsheet's."""
    known = {c.name for c in columns(section)}
    first = text.split("\n", 1)[0].rstrip("\r")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first, known))
    lines: list[Line] = []
    start = 1
    try:
        for number, record in enumerate(reader, start=1):
            # undo neutralize(), which only ever adds a leading apostrophe
            cells = [restore(c) if c[:1] == "'" else c for c in map(str.strip, record)]
            lines.append(Line(number, cells, start if start != number else None))
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
    limits = InputLimits.from_env()
    check_size(sum(_size(entry) for entry in entries), source, limits)
    rows_seen = 0
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
        place = Place(str(file))
        doc.section_locations[section] = place.whole()
        if section == "district":
            doc.format_location = place.cell(1, None, "format")
        if section not in found:
            continue
        try:
            data = file.read_bytes()
            rows_seen = check_csv_rows(data, str(file), limits, rows_seen)  # before parsing
            text = decode_text(data, str(file))
            lines = _csv_lines(text, section, place)
        except OSError as exc:
            structural = True
            doc.problems.append(
                Problem(place.whole(), f"cannot read the file: {exc.strerror}", "unreadable")
            )
            continue
        except WorkbookError as exc:
            if any(p.code == "too_large" for p in exc.problems):
                raise
            structural = True
            doc.problems.extend(exc.problems)
            continue
        rows = read_table(section, lines, place, doc)
        structural = structural or rows is None
        doc.sections[section] = rows or []
    doc.unreadable = structural
    return doc


def _size(entry: Path) -> int:
    try:
        return entry.stat().st_size
    except OSError:
        return 0


def _bounded_rows(
    rows: Iterator[tuple[Any, ...]], sheet: str, source: str, limits: InputLimits, seen: list[int]
) -> list[tuple[int, tuple[Any, ...]]]:
    """A sheet's rows, numbered, stopping as soon as the workbook passes ``max_rows``."""
    out: list[tuple[int, tuple[Any, ...]]] = []
    for number, values in enumerate(rows, start=1):
        if number > 1 and any(v is not None for v in values):
            seen[0] += 1
            check_row_count(seen[0], source, limits, f" (sheet {sheet}, row {number})")
        out.append((number, values))
    return out


def _xlsx_failure(path: Path, exc: Exception) -> WorkbookError:
    if isinstance(exc, zipfile.BadZipFile) and "CRC" in str(exc):
        # A part that inflates to other than its declared size (or is damaged).
        reason = (
            f"this .xlsx file is damaged: {exc}; open it and save it again as "
            "'Excel Workbook (.xlsx)'"
        )
        code = "not_xlsx"
    elif isinstance(exc, zipfile.BadZipFile):
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


def _load_sheets(path: Path) -> tuple[list[str], dict[str, list[Line]]]:
    """Every sheet name, and the rows of the sheets named after sections, as text."""
    import openpyxl

    # openpyxl raises many unrelated exception types for a damaged package (zip,
    # XML, KeyError for a missing part ...). Only the library calls are inside
    # this block, so our own mistakes are not hidden by it.
    limits = InputLimits.from_env()
    seen = [0]
    try:
        # The package's declared unpacked size is checked before anything is inflated.
        with zipfile.ZipFile(path) as package:
            check_zip(package, str(path), limits)
            check_xlsx_rows(package, str(path), limits)
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            names: list[str] = list(book.sheetnames)
            raw: dict[str, list[tuple[int, tuple[Any, ...]]]] = {}
            for name in names:
                if name in SECTIONS:
                    sheet = book[name]
                    sheet.reset_dimensions()  # trust the cells, not the stored size
                    raw[name] = _bounded_rows(
                        sheet.iter_rows(values_only=True), name, str(path), limits, seen
                    )
        finally:
            book.close()
    except WorkbookError:
        raise
    except Exception as exc:
        raise _xlsx_failure(path, exc) from exc
    tables = {
        name: [Line(number, [cell_text(v) for v in values]) for number, values in rows]
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
        place = Place(source, section)
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
        rows = read_table(section, tables[section], place, doc)
        structural = structural or rows is None
        doc.sections[section] = rows or []
    doc.unreadable = structural
    return doc
