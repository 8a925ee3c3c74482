"""Spreadsheet habits: what a person types the way they use Excel is read, with a note each.

Headers and choice values in any letter case and spacing, documented synonyms,
unambiguous dates and real date-time cells are read (and noted); ambiguous dates
and ids that differ only in letter case are refused with a plain message; one
mistake in a header is one message, not one per row.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

import collabgraph.cli  # noqa: F401  (registers every command)
from collabgraph.cli.app import app
from collabgraph.errors import WorkbookError
from collabgraph.model import Workbook
from collabgraph.workbook import Encoding, load_workbook, load_workbook_noted, write_workbook
from tests.conftest import MINI

runner = CliRunner()


def _eight_schools() -> Workbook:
    doc = copy.deepcopy(MINI)
    doc["schools"] = [
        {"id": f"s{i}", "name": f"School {i}", "level": "elementary"} for i in range(1, 9)
    ] + doc["schools"]
    return Workbook.model_validate(doc)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_workbook(_eight_schools(), tmp_path / "wb.xlsx")


def _set(path: Path, sheet: str, column: str, row: int, value: Any) -> str:
    """Write ``value`` in the named column of ``sheet`` at ``row``; return the cell's letter."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for cell in ws[1]:
        if cell.value == column:
            ws.cell(row=row, column=cell.column, value=value)
            wb.save(path)
            return str(cell.column_letter)
    raise KeyError(column)


def _row_of(path: Path, sheet: str, column: str, value: str) -> int:
    ws = openpyxl.load_workbook(path)[sheet]
    index = [c.value for c in ws[1]].index(column)
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if row[index] == value:
            return number
    raise KeyError(value)


def _problems(path: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(WorkbookError) as info:
        load_workbook(path)
    return [(str(p.location), p.message, p.code) for p in info.value.problems]


def test_headers_and_choices_in_any_case_and_synonyms_are_read_with_notes(book: Path) -> None:
    letter = _set(book, "schools", "name", 1, "Name")
    for row in range(2, 10):
        _set(book, "schools", "level", row, "Elementary")
    _set(book, "meetings", "cadence", 2, "Bi-Weekly")
    _set(book, "teams", "kind", _row_of(book, "teams", "id", "dlt"), "DLT")
    _set(book, "positions", "side", _row_of(book, "positions", "id", "supt"), "Administration")
    wb, notes = load_workbook_noted(book)
    assert wb.schools[0].name == "School 1" and wb.schools[0].level.value == "elementary"
    assert wb.meetings[0].cadence.value == "biweekly"
    assert next(t for t in wb.teams if t.id == "dlt").kind.value == "dlt"
    assert next(p for p in wb.positions if p.id == "supt").side.value == "management"
    messages = {(n.message, n.code) for n in notes}
    assert ("column name 'Name' read as 'name'", "normalized") in messages
    # one note for the eight rows that say Elementary
    assert (
        "level 'Elementary' read as 'elementary' (letter case and spacing ignored) "
        "(8 rows, the first here)",
        "normalized",
    ) in messages
    assert any("cadence 'Bi-Weekly' read as 'biweekly'" in m for m, _ in messages)
    assert any("side 'Administration' read as 'management' (a synonym)" in m for m, _ in messages)
    header_note = next(n for n in notes if n.message.startswith("column name"))
    assert header_note.location.column == f"{letter} (Name)"


def test_dates_in_common_forms_and_real_date_time_cells(book: Path) -> None:
    _set(book, "meetings", "last_held", 2, dt.datetime(2025, 9, 15, 14, 30))
    holder = _row_of(book, "positions", "id", "president")
    _set(book, "positions", "holder_since", holder, "2025-9-5")
    wb, notes = load_workbook_noted(book)
    assert wb.meetings[0].last_held == dt.date(2025, 9, 15)
    assert next(p for p in wb.positions if p.id == "president").holder_since == dt.date(2025, 9, 5)
    texts = [n.message for n in notes]
    assert "last_held '2025-09-15 14:30' read as '2025-09-15' (the time is left out)" in texts
    assert "holder_since '2025-9-5' read as '2025-09-05' (read as a date)" in texts


def test_ambiguous_date_is_refused_naming_both_readings(book: Path) -> None:
    letter = _set(book, "meetings", "last_held", 2, "9/5/2025")
    [(where, message, code)] = _problems(book)
    assert where.endswith(f"sheet meetings, row 2, column {letter} (last_held)")
    assert code == "ambiguous_date"
    assert "9 May 2025 (day first)" in message and "5 September 2025 (month first)" in message
    assert "2025-05-09 or 2025-09-05" in message


def test_id_that_differs_in_case_gets_a_did_you_mean(book: Path) -> None:
    row = _row_of(book, "memberships", "team", "slt-grant")
    letter = _set(book, "memberships", "team", row, "SLT-Grant")
    [(where, message, code)] = _problems(book)
    assert where.endswith(f"sheet memberships, row {row}, column {letter} (team)")
    assert code == "unknown_reference"
    assert message == (
        "unknown team 'SLT-Grant': no team with that id (did you mean 'slt-grant'? ids match "
        "letter case exactly)"
    )


def test_list_written_with_commas_is_told_to_use_semicolons(book: Path) -> None:
    _set(book, "meetings", "attendees", 2, "supt, president")
    [(_, message, _)] = _problems(book)
    assert message.endswith(
        "To list several ids in one cell, separate them with ';' (supt; president)"
    )


def test_one_wrong_header_is_one_message_not_one_per_row(book: Path, tmp_path: Path) -> None:
    _set(book, "schools", "name", 1, "school name")
    found = _problems(book)
    assert len(found) == 1
    where, message, code = found[0]
    assert where.endswith("sheet schools, row 1, column B (school name)")
    assert code == "unknown_column"
    assert "the required column 'name' is missing" in message
    # the same in a CSV folder, where places now name the column letter too
    folder = write_workbook(_eight_schools(), tmp_path / "csv", Encoding.CSV)
    schools = folder / "schools.csv"
    schools.write_text(schools.read_text("utf-8-sig").replace("id,name,", "id,title,", 1))
    # two columns, two messages: the unknown one and the missing one (none per row)
    assert _problems(folder) == [
        (
            f"{schools}, row 1, column B (title)",
            "unknown column 'title' in schools",
            "unknown_column",
        ),
        (
            f"{schools}, row 1, column name",
            "the required column 'name' is missing from the first row; add it (the next free "
            "column is E)",
            "missing_column",
        ),
    ]


def test_validate_prints_the_notes(book: Path) -> None:
    _set(book, "schools", "level", 2, "ELEMENTARY")
    result = runner.invoke(app, ["validate", str(book)])
    assert result.exit_code == 0, result.output
    assert "1 note" in result.stdout and "'ELEMENTARY' read as 'elementary'" in result.stdout
    as_json = json.loads(runner.invoke(app, ["validate", str(book), "--json"]).stdout)
    assert as_json["notes"][0]["code"] == "normalized"
    assert as_json["notes"][0]["location"]["sheet"] == "schools"
