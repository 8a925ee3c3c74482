"""Writers of the tabular encodings: a folder of CSV files, or one Excel ``.xlsx`` file.

Writers are the exact inverse of the readers (:mod:`collabgraph.workbook.tabular`)
and never leave a half-written file: each file is written to a temporary name in
the same folder first and then moved into place.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import secrets
import shutil
from collections.abc import Iterator, Mapping, Sequence
from enum import Enum
from pathlib import Path
from typing import IO, Any, Final

from pydantic import BaseModel

from collabgraph.errors import Location, Problem, WorkbookError
from collabgraph.model import FORMAT, LIST_SEPARATOR, SECTIONS, Workbook
from collabgraph.safety.cells import neutralize
from collabgraph.workbook.columns import (
    INSTRUCTIONS_SHEET,
    SECTION_HELP,
    Cell,
    cell_text,
    column_letter,
    columns,
)

__all__ = [
    "workbook_tables",
    "write_csv_folder",
    "write_csv_tables",
    "write_file_atomic",
    "write_xlsx",
    "write_xlsx_tables",
]


def workbook_tables(wb: Workbook) -> dict[str, list[dict[str, Cell]]]:
    """Every section of a workbook as rows of cell values, keyed by column name.

    Enums become their values and lists are joined with ``"; "``; numbers and
    dates keep their type (the Excel writer stores them as such).

    >>> from collabgraph.model import District, Team
    >>> wb = Workbook(district=District(id="d", name="D"),
    ...               teams=[Team(id="t", name="T", kind="dlt", level="district",
    ...                           topics=["hr", "curriculum"])])
    >>> tables = workbook_tables(wb)
    >>> tables["district"][0]["format"], tables["district"][0]["tie_scale"]
    ('collabgraph/1', None)
    >>> tables["teams"][0]["kind"], tables["teams"][0]["topics"]
    ('dlt', 'hr; curriculum')
    """
    out: dict[str, list[dict[str, Cell]]] = {}
    for section in SECTIONS:
        rows: list[BaseModel] = [wb.district] if section == "district" else getattr(wb, section)
        table = []
        for row in rows:
            cells = {name: _cell(getattr(row, name)) for name in type(row).model_fields}
            table.append({"format": FORMAT, **cells} if section == "district" else cells)
        out[section] = table
    return out


def _cell(value: Any) -> Cell:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, list):
        return f"{LIST_SEPARATOR} ".join(str(v) for v in value)
    if value is None or isinstance(value, str | int | float | dt.date):
        return value
    return str(value)


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _unwritable(path: Path, exc: OSError) -> WorkbookError:
    reason = exc.strerror or str(exc)
    return WorkbookError(
        [Problem(Location(file=str(path)), f"cannot write here: {reason}", "unwritable")],
        str(path),
    )


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[IO[bytes]]:
    """Open a temporary file next to ``path``; move it over ``path`` only on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = _temp_name(path)
    try:
        # 0o666 lets the umask decide, as for any new file; an existing file's
        # mode is kept (a workbook of union members may be private on purpose).
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as handle:
            yield handle
        if path.exists():
            shutil.copymode(path, temp)
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def write_file_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so no half file is ever left.

    Raises
    ------
    WorkbookError
        When the file cannot be written.
    """
    try:
        with _replacing(path) as handle:
            handle.write(data)
    except OSError as exc:
        raise _unwritable(path, exc) from exc


def _write_csv_file(path: Path, section: str, rows: Sequence[Mapping[str, Cell]]) -> None:
    names = [c.name for c in columns(section)]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        # Formula-looking text is neutralized (OWASP); reading restores it exactly.
        writer.writerow([neutralize(_csv_text(row.get(name))) for name in names])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def write_csv_tables(
    tables: Mapping[str, Sequence[Mapping[str, Cell]]],
    path: Path,
    extra_files: Mapping[str, str] | None = None,
) -> None:
    """Write tables as a CSV folder: one file per section, headers always written.

    Every file is first written to a fresh hidden folder next to ``path``. A new
    folder is then renamed into place at once; in an existing folder each file is
    replaced whole (other files in it are left alone).

    Raises
    ------
    WorkbookError
        When the folder cannot be written.
    """
    try:
        if path.exists() and not path.is_dir():
            raise WorkbookError(
                [Problem(Location(file=str(path)), "this is a file, not a folder", "unwritable")],
                str(path),
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        stage = _temp_name(path)
        os.mkdir(stage, 0o777)
        try:
            for section in SECTIONS:
                _write_csv_file(stage / f"{section}.csv", section, tables.get(section, ()))
            for name, text in (extra_files or {}).items():
                (stage / name).write_bytes(text.encode("utf-8"))
            if not path.exists():
                os.rename(stage, path)
                return
            for item in sorted(stage.iterdir()):
                target = path / item.name
                if target.exists():
                    shutil.copymode(target, item)
                os.replace(item, target)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    except OSError as exc:
        raise _unwritable(path, exc) from exc


def write_csv_folder(wb: Workbook, path: Path) -> None:
    """Write a workbook as a folder of CSV files (UTF-8 with a byte-order mark).

    >>> import tempfile
    >>> from collabgraph.model import District
    >>> from collabgraph.workbook import load_workbook
    >>> wb = Workbook(district=District(id="d", name="Zoë's District"))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_csv_folder(wb, Path(tmp) / "wb")
    ...     print(sorted(p.name for p in (Path(tmp) / "wb").iterdir())[:3])
    ...     load_workbook(Path(tmp) / "wb") == wb
    ['counterparts.csv', 'district.csv', 'meetings.csv']
    True
    """
    write_csv_tables(workbook_tables(wb), path)


_HEADER_FILL: Final = "DDEBF7"


def _instructions(ws: Any) -> None:
    """Fill the instructions sheet: how to fill in the workbook, in our words."""
    from openpyxl.styles import Alignment, Font

    lines: list[tuple[str, str]] = [
        ("title", "collabgraph district workbook"),
        ("", f"Format {FORMAT}. The full description is in docs/workbook.md."),
        ("", ""),
        ("head", "How to fill it in"),
        ("", "Each sheet after this one is a table. Row 1 names the columns: leave it as it is."),
        ("", "Put one item per row from row 2 down. Empty cells mean 'not given'."),
        ("", "Hover over a column name to see what the column holds and which values it takes."),
        ("", "Ids are short words without spaces (oak-es, p-042); other sheets refer to them."),
        (
            "",
            f"Cells that hold several ids separate them with '{LIST_SEPARATOR}', "
            "for example: supt; president.",
        ),
        ("", "Dates are written YYYY-MM-DD, for example 2025-01-13."),
        ("", "The district sheet has exactly one row; keep its format cell as it is."),
        ("", "Keep every sheet, even an empty one, and do not rename sheets."),
        ("", "Check the file with: collabgraph validate <file>.xlsx"),
        ("", ""),
        ("head", "The sheets"),
    ]
    lines.extend(("", f"{name}: {text}") for name, text in SECTION_HELP.items())
    ws.column_dimensions["A"].width = 110
    for number, (style, text) in enumerate(lines, start=1):
        cell = ws.cell(row=number, column=1, value=text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if style == "title":
            cell.font = Font(bold=True, size=14)
        elif style == "head":
            cell.font = Font(bold=True)


def _fill_sheet(
    ws: Any, section: str, rows: Sequence[Mapping[str, Cell]], notes: Mapping[str, str]
) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    cols = columns(section)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    widths = [len(c.name) for c in cols]
    for i, col in enumerate(cols):
        cell = ws.cell(row=1, column=i + 1, value=col.name)
        cell.font = bold
        cell.fill = fill
        note = notes.get(col.name) or col.describe()
        comment = Comment(note, "collabgraph")
        comment.width = 320
        comment.height = 40 + 18 * (len(note) // 45 + 1)
        cell.comment = comment
    for r, row in enumerate(rows, start=2):
        for i, col in enumerate(cols):
            value = row.get(col.name)
            if value is None:
                continue
            if isinstance(value, float) and float(f"{value:.16g}") != value:
                # openpyxl stores 16 significant digits; the few floats that need 17
                # are stored as text so they come back exactly (readers read text).
                value = repr(value)
            cell = ws.cell(row=r, column=i + 1, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula stays text
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if r < 200:
                widths[i] = max(widths[i], len(cell_text(value)))
    for i, col in enumerate(cols):
        letter = column_letter(i)
        ws.column_dimensions[letter].width = min(max(widths[i] + 3, 10), 60)
        listed = ",".join(col.choices)
        if col.kind == "choice" and len(listed) <= 253:
            check = DataValidation(
                type="list",
                formula1=f'"{listed}"',
                allow_blank=not col.required,
                showErrorMessage=True,
                errorTitle=f"Not a {col.name} value",
                error=f"Pick one of: {', '.join(col.choices)}"[:255],
            )
            ws.add_data_validation(check)
            check.add(f"{letter}2:{letter}1048576")
    ws.freeze_panes = "A2"


def write_xlsx_tables(
    tables: Mapping[str, Sequence[Mapping[str, Cell]]],
    path: Path,
    notes: Mapping[str, Mapping[str, str]] | None = None,
) -> None:
    """Write tables as an Excel workbook: an instructions sheet, then one sheet per section.

    Headers are bold and frozen, each header has a comment saying what the column
    holds (``notes[section][column]`` overrides it), and columns with a fixed set
    of values get a drop-down list. The file is written to a temporary name in
    the same folder and moved into place only when complete.

    Raises
    ------
    WorkbookError
        When the file cannot be written.
    """
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = INSTRUCTIONS_SHEET
    _instructions(first)
    for section in SECTIONS:
        ws = book.create_sheet(section)
        _fill_sheet(ws, section, tables.get(section, ()), (notes or {}).get(section, {}))
    try:
        with _replacing(path) as handle:
            book.save(handle)
    except OSError as exc:
        raise _unwritable(path, exc) from exc


def write_xlsx(wb: Workbook, path: Path) -> None:
    """Write a workbook as an Excel ``.xlsx`` file.

    >>> import tempfile
    >>> from collabgraph.model import District
    >>> from collabgraph.workbook import load_workbook
    >>> wb = Workbook(district=District(id="d", name="山田's District"))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_xlsx(wb, Path(tmp) / "wb.xlsx")
    ...     load_workbook(Path(tmp) / "wb.xlsx") == wb
    True
    """
    write_xlsx_tables(workbook_tables(wb), path)
