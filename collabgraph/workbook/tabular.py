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
* a required column that is missing, a column name nobody knows (with a
  suggestion) and a column named twice are reported at row 1;
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

Writers are the exact inverse of the readers and never leave a half-written
file: each file is written to a temporary name in the same folder first and
then moved into place.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import secrets
import shutil
import types
import typing
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import IO, Any, Final

from pydantic import BaseModel

from collabgraph.errors import Location, Problem, WorkbookError
from collabgraph.model import FORMAT, LIST_SEPARATOR, SECTIONS, Workbook
from collabgraph.workbook.document import decode_text
from collabgraph.workbook.raw import LocPath, RawDocument, RawRow
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

#: The first sheet of an Excel workbook: how to fill it in. Readers skip it.
INSTRUCTIONS_SHEET: Final = "instructions"

#: A value as the writers take it: text, a number, a date, or nothing.
Cell = str | int | float | bool | dt.date | None

#: What each section holds, one line each (used in the instructions and README).
SECTION_HELP: Final[dict[str, str]] = {
    "district": "The district this workbook describes: exactly one row, with the format tag.",
    "schools": "Worksites: one row per school or other site where members work.",
    "organizations": (
        "The parties: the district office, the local association and its state and "
        "national affiliates, the board, parent groups, universities and other partners."
    ),
    "topics": (
        "Topics and focus areas that positions, teams and meetings refer to "
        "(curriculum, instruction, mentoring and student-data exist without a row)."
    ),
    "priorities": "The focus areas the partnership has committed to, optionally ranked.",
    "people": (
        "People, kept to an id, a display name and a worksite. Give a side for anyone "
        "who holds no position."
    ),
    "positions": (
        "Lasting roles on either side (superintendent, association president, building "
        "rep at a school ...) and who holds each one now."
    ),
    "teams": "Leadership teams, working committees, PLCs and task forces, and who oversees them.",
    "memberships": "Who sits on which team, in what role, and who appointed them.",
    "meetings": "Standing meetings between positions and how often they are meant to happen.",
    "counterparts": (
        "Declared role-alike pairs: an administration position and the association "
        "position that mirrors it."
    ),
    "ties": (
        "Who talks with whom, for example from a network survey: the source person "
        "says they talk with the target person."
    ),
}

#: What each column means, in a few words (the type and allowed values are added).
_COLUMN_HELP: Final[dict[tuple[str, str], str]] = {
    ("district", "format"): f"The version of the workbook format; keep it as {FORMAT}.",
    ("district", "id"): "A short id for the district.",
    ("district", "name"): "The district's full name.",
    ("district", "state"): "State or region.",
    ("district", "note"): "Anything worth keeping with the workbook.",
    ("district", "tie_scale"): (
        "The top of the scale tie weights are on (5 for a 1-5 rating, 30 for talks a month)."
    ),
    ("schools", "id"): "A short id for the school, used by other tables.",
    ("schools", "name"): "The school's name.",
    ("schools", "level"): "The grades the school serves.",
    ("schools", "represented_staff"): "How many staff at this site the association represents.",
    ("organizations", "id"): "A short id for the organization.",
    ("organizations", "name"): "The organization's name.",
    ("organizations", "side"): "Which side of the partnership it belongs to.",
    ("organizations", "kind"): "What kind of organization it is.",
    ("organizations", "affiliate_of"): "The organization it is affiliated with, if any.",
    ("topics", "id"): "A short id for the topic.",
    ("topics", "name"): "The topic's name.",
    ("topics", "description"): "What the topic covers.",
    ("priorities", "topic"): "The topic the partnership has made a priority.",
    ("priorities", "rank"): "1 for the first priority, 2 for the next, and so on.",
    ("priorities", "note"): "Why or when it was chosen.",
    ("people", "id"): "A short id for the person (not an email address).",
    ("people", "name"): "The name to show.",
    ("people", "side"): "Needed only for people who hold no position.",
    ("people", "school"): "The school where the person works, if any.",
    ("positions", "id"): "A short id for the position.",
    ("positions", "title"): "The position's title.",
    ("positions", "side"): "management for the administration, labor for the association.",
    ("positions", "kind"): "The role the position plays.",
    ("positions", "level"): "Where the position sits.",
    ("positions", "school"): "The school, for school positions (principal, building rep).",
    ("positions", "organization"): "The organization the position belongs to.",
    ("positions", "portfolio"): "The topics this position is responsible for.",
    ("positions", "holder"): "The person who holds the position now.",
    ("positions", "holder_since"): "Since when the holder has held it.",
    ("teams", "id"): "A short id for the team.",
    ("teams", "name"): "The team's name.",
    ("teams", "kind"): "Which kind of team it is.",
    ("teams", "level"): "Whether it works for the whole district or for one school.",
    ("teams", "school"): "The school, for school-level teams.",
    ("teams", "topics"): "The topics the team works on.",
    ("teams", "overseen_by"): "The leadership teams this team reports to.",
    ("teams", "decision_step"): "1 to 7 on the decision-making scale; 4 means fully shared.",
    ("memberships", "person"): "The person on the team.",
    ("memberships", "team"): "The team.",
    ("memberships", "role"): "The person's role on the team.",
    ("memberships", "appointed_by"): "Who appointed the person.",
    ("meetings", "id"): "A short id for the meeting.",
    ("meetings", "name"): "The meeting's name.",
    ("meetings", "cadence"): "How often it is meant to happen.",
    ("meetings", "attendees"): "The positions that attend (two or more).",
    ("meetings", "last_held"): "When it last took place.",
    ("meetings", "topics"): "The topics it covers.",
    ("counterparts", "management"): "The administration position.",
    ("counterparts", "labor"): "The association position that mirrors it.",
    ("counterparts", "note"): "Anything about the pairing.",
    ("ties", "source"): "The person who reports the tie.",
    ("ties", "target"): "The person they talk with.",
    ("ties", "weight"): (
        "Strength above 0 and at most the district's tie_scale (1 unless set); left "
        "empty, it comes from frequency."
    ),
    ("ties", "frequency"): "How often they talk.",
    ("ties", "topic"): "What they talk about, if the survey asked per topic.",
    ("ties", "wave"): "The survey wave, such as 2024 or 2025-spring.",
    ("ties", "origin"): "Where the tie comes from, such as survey or interview.",
}

#: Columns that hold the id of a row of another section.
_REFERENCES: Final[dict[tuple[str, str], str]] = {
    ("organizations", "affiliate_of"): "organizations",
    ("priorities", "topic"): "topics",
    ("people", "school"): "schools",
    ("positions", "school"): "schools",
    ("positions", "organization"): "organizations",
    ("positions", "portfolio"): "topics",
    ("positions", "holder"): "people",
    ("teams", "school"): "schools",
    ("teams", "topics"): "topics",
    ("teams", "overseen_by"): "teams",
    ("memberships", "person"): "people",
    ("memberships", "team"): "teams",
    ("meetings", "attendees"): "positions",
    ("meetings", "topics"): "topics",
    ("counterparts", "management"): "positions",
    ("counterparts", "labor"): "positions",
    ("ties", "source"): "people",
    ("ties", "target"): "people",
    ("ties", "topic"): "topics",
}


@dataclass(frozen=True)
class Column:
    """One column of one table: what it holds and how to fill it in.

    ``kind`` is one of ``"text"``, ``"id"``, ``"choice"``, ``"whole number"``,
    ``"number"``, ``"date"`` or ``"id list"``.
    """

    section: str
    name: str
    kind: str
    required: bool
    choices: tuple[str, ...] = ()
    default: str | None = None
    refers_to: str | None = None

    @property
    def is_list(self) -> bool:
        """Whether the cell holds several values separated by ``;``."""
        return self.kind == "id list"

    def describe(self, *, yaml_lists: bool = False) -> str:
        """A plain description of the column, for header comments and READMEs.

        With ``yaml_lists``, list columns are described as YAML lists instead of
        ``;``-separated cells.

        >>> print(columns("teams")[2].describe())
        Required. Which kind of team it is. One of: dlt, slt, working_committee, plc, task_force,
        other.
        >>> print(columns("positions")[4].describe())
        Optional. Where the position sits. One of: district, school, state, national. Left \
empty, it is district.
        """
        parts = ["Required." if self.required else "Optional."]
        helptext = _COLUMN_HELP.get((self.section, self.name))
        if helptext:
            parts.append(helptext)
        if self.kind == "id" and self.refers_to:
            parts.append(f"The id of a row in {self.refers_to}.")
        elif self.kind == "id":
            parts.append("No spaces and no ';'.")
        elif self.is_list and yaml_lists:
            parts.append(f"A list of ids of rows in {self.refers_to}, such as [a, b].")
        elif self.is_list:
            parts.append(f"Ids of rows in {self.refers_to}, separated by '{LIST_SEPARATOR}'.")
        elif self.kind == "choice":
            parts.append("One of: " + ", ".join(self.choices) + ".")
        elif self.kind == "date":
            parts.append("A date written YYYY-MM-DD.")
        elif self.kind == "whole number":
            parts.append("A whole number.")
        elif self.kind == "number":
            parts.append("A number.")
        if self.default is not None:
            parts.append(f"Left empty, it is {self.default}.")
        return " ".join(parts)


def _base_type(annotation: Any) -> Any:
    """Strip ``Optional[...]`` and ``Annotated[...]`` from a field annotation."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin is typing.Union or origin is types.UnionType:
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _column(section: str, name: str, model: type[BaseModel]) -> Column:
    info = model.model_fields[name]
    base = _base_type(info.annotation)
    refers_to = _REFERENCES.get((section, name))
    choices: tuple[str, ...] = ()
    if typing.get_origin(base) is list:
        kind = "id list"
    elif isinstance(base, type) and issubclass(base, Enum):
        kind = "choice"
        choices = tuple(str(member.value) for member in base)
    elif base is bool:
        kind = "text"
    elif base is int:
        kind = "whole number"
    elif base is float:
        kind = "number"
    elif base is dt.date:
        kind = "date"
    elif name == "id" or refers_to:
        kind = "id"
    else:
        kind = "text"
    default: str | None = None
    if not info.is_required() and info.default_factory is None and info.default is not None:
        raw = info.default
        default = str(raw.value if isinstance(raw, Enum) else raw)
    return Column(section, name, kind, info.is_required(), choices, default, refers_to)


def columns(section: str) -> list[Column]:
    """The columns of a section's table, in order (``district`` starts with ``format``).

    >>> [c.name for c in columns("district")]
    ['format', 'id', 'name', 'state', 'note']
    >>> [(c.name, c.kind) for c in columns("meetings")][2:4]
    [('cadence', 'choice'), ('attendees', 'id list')]
    """
    model = SECTIONS[section]
    out = [_column(section, name, model) for name in model.model_fields]
    if section == "district":
        out.insert(0, Column("district", "format", "text", True))
    return out


def split_list(text: str) -> list[str]:
    """Split a list cell on ``;``, dropping blanks.

    >>> split_list(" supt ;president;; ")
    ['supt', 'president']
    """
    return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]


def cell_text(value: object) -> str:
    """A cell as text, the way readers see every cell.

    Whole numbers lose their ``.0``, dates become ``YYYY-MM-DD`` and
    true/false become ``true``/``false``; an empty result means "not given".

    >>> [cell_text(v) for v in (None, 12, 12.0, 0.25, True, dt.date(2024, 9, 1), "  x ")]
    ['', '12', '12', '0.25', 'true', '2024-09-01', 'x']
    >>> cell_text(dt.datetime(2024, 9, 1, 0, 0))
    '2024-09-01'
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time() and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


# --------------------------------------------------------------------------- reading


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
        if self.sheet is None:
            return Location(file=self.file, row=row, column=name, line=line)
        column = f"{_letter(index)} ({name})" if index is not None else name
        return Location(file=self.file, sheet=self.sheet, row=row, column=column)

    def column_label(self, index: int) -> str:
        return f"column {_letter(index)}" if self.sheet else f"column {index + 1}"


def _letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index.

    >>> [_letter(i) for i in (0, 2, 25, 26, 701, 702)]
    ['A', 'C', 'Z', 'AA', 'ZZ', 'AAA']
    """
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


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
    for i, name in enumerate(header):
        if not name:
            continue
        where = place.cell(1, i, name)
        if name not in known:
            problem(
                Problem(
                    where,
                    f"unknown column '{name}' in {section}" + suggest(name, known),
                    "unknown_column",
                )
            )
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
    for col in known.values():
        # A missing format column is reported by validation, as a missing format tag.
        if col.required and col.name not in index_of and col.name != "format":
            problem(
                Problem(
                    place.cell(1, None, col.name),
                    f"the required column '{col.name}' is missing from the first row",
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
                f"column {_letter(index)} holds values but has no name in row 1; "
                "name it or clear it",
                "unnamed_column",
            )
        )


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
        score = (sum(c.strip() in known for c in cells), len(cells))
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


# --------------------------------------------------------------------------- writing


def workbook_tables(wb: Workbook) -> dict[str, list[dict[str, Cell]]]:
    """Every section of a workbook as rows of cell values, keyed by column name.

    Enums become their values and lists are joined with ``"; "``; numbers and
    dates keep their type (the Excel writer stores them as such).

    >>> from collabgraph.model import District, Team
    >>> wb = Workbook(district=District(id="d", name="D"),
    ...               teams=[Team(id="t", name="T", kind="dlt", level="district",
    ...                           topics=["hr", "curriculum"])])
    >>> tables = workbook_tables(wb)
    >>> tables["district"]
    [{'format': 'collabgraph/1', 'id': 'd', 'name': 'D', 'state': None, 'note': None}]
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
        writer.writerow([_csv_text(row.get(name)) for name in names])
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
        letter = _letter(i)
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
