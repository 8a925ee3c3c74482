"""The CSV-folder and Excel encodings: round trips, and every bad input reported at its place."""

from __future__ import annotations

import copy
import csv
import json
import os
import shutil
import stat
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings

from collabgraph.errors import WorkbookError
from collabgraph.model import SECTIONS, Workbook
from collabgraph.workbook import (
    Encoding,
    dump_json,
    dump_yaml,
    load_workbook,
    write_workbook,
)
from collabgraph.workbook.document import parse_yaml
from collabgraph.workbook.tabular import columns
from collabgraph.workbook.validate import validate_document
from tests.conftest import EXAMPLES, MINI
from tests.test_properties import workbooks

#: Every section and every kind of field: lists, dates, floats, ints, enums, notes
#: over several lines, commas, quotes, semicolons in text, and names in several scripts.
FULL: dict[str, Any] = copy.deepcopy(MINI)
FULL["district"]["note"] = 'Pilot year, "phase 2";\nsecond line of the note'
FULL["schools"].append({"id": "007", "name": 'Grant High, "North" campus', "level": "k12"})
FULL["topics"][1]["description"] = "Hiring, evaluation;\nleave and transfers"
FULL["priorities"].append({"topic": "hr", "rank": 2, "note": "Board's request"})
FULL["people"].extend(
    [
        {"id": "p-greek", "name": "Νίκος Παπαδόπουλος", "side": "community"},
        {"id": "p-eq", "name": "=1+2 (not a formula)", "side": "external", "school": "007"},
    ]
)
FULL["positions"][1]["portfolio"] = ["hr", "curriculum", "mentoring"]
FULL["teams"][2]["overseen_by"] = ["dlt", "slt-grant"]
FULL["meetings"].append(
    {
        "id": "reps",
        "name": "Reps' council; monthly",
        "cadence": "as_needed",
        "attendees": ["rep-lincoln", "rep-grant", "president"],
    }
)
FULL["counterparts"][0]["note"] = "top pair; meets weekly, in person"
FULL["ties"].extend(
    [
        {"source": "p-greek", "target": "p-eq", "weight": 1 / 3, "wave": "2025", "origin": "x"},
        {"source": "p-eq", "target": "p-greek", "weight": 1e-05, "frequency": "yearly"},
    ]
)


def full_workbook() -> Workbook:
    return validate_document(parse_yaml(yaml.safe_dump(FULL, allow_unicode=True), "full.yaml"))


WB = full_workbook()


def problems(path: Path) -> list[tuple[str, str, str]]:
    """(where, message, code) of every problem the loader reports for ``path``."""
    with pytest.raises(WorkbookError) as info:
        load_workbook(path)
    return [(str(p.location), p.message, p.code) for p in info.value.problems]


def csv_folder(tmp_path: Path) -> Path:
    return write_workbook(WB, tmp_path / "wb", Encoding.CSV)


def xlsx_file(tmp_path: Path) -> Path:
    return write_workbook(WB, tmp_path / "wb.xlsx")


def rewrite_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


# --------------------------------------------------------------------------- round trips


def test_full_workbook_covers_every_section() -> None:
    assert all(count > 0 for count in WB.counts().values())
    assert {p.name for p in WB.people} >= {
        "Zoë O'Brien",
        "José Núñez",
        "山田 太郎",
        "Ольга Петрова",
    }


def test_round_trip_yaml_csv_xlsx_yaml(tmp_path: Path) -> None:
    source = tmp_path / "source.yaml"
    source.write_text(yaml.safe_dump(FULL, allow_unicode=True), "utf-8")
    from_yaml = load_workbook(source)
    from_csv = load_workbook(write_workbook(from_yaml, tmp_path / "folder", Encoding.CSV))
    from_xlsx = load_workbook(write_workbook(from_csv, tmp_path / "book.xlsx"))
    back = load_workbook(write_workbook(from_xlsx, tmp_path / "back.yaml"))
    assert from_csv == from_yaml
    assert from_xlsx == from_yaml
    assert back == from_yaml
    assert dump_yaml(back) == dump_yaml(from_yaml)
    # The values that are easiest to lose come back exactly.
    assert back.ties[3].weight == 1 / 3
    assert back.ties[4].weight == 1e-05
    assert back.district.note == 'Pilot year, "phase 2";\nsecond line of the note'
    assert back.counterparts[0].note == "top pair; meets weekly, in person"
    assert back.schools[2].id == "007"


def test_csv_files_as_written(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path)
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{s}.csv" for s in SECTIONS)
    raw = (folder / "district.csv").read_bytes()
    assert raw.startswith(
        b"\xef\xbb\xbfformat,id,name,state,note,tie_scale,rep_staff_healthy,rep_staff_hard\r\n"
    )
    assert read_csv(folder / "district.csv")[1] == [
        "collabgraph/1",
        "mini",
        "Mini Unified",
        "CA",
        'Pilot year, "phase 2";\nsecond line of the note',
        "",
        "",
        "",
    ]
    meetings = read_csv(folder / "meetings.csv")
    assert meetings[0] == ["id", "name", "cadence", "attendees", "last_held", "topics"]
    assert meetings[1] == [
        "supt-pres",
        "Superintendent and President",
        "weekly",
        "supt; president",
        "2026-11-16",
        "hr",
    ]
    ties = read_csv(folder / "ties.csv")
    assert ties[2] == ["p-rep2", "p-rep1", "0.75", "weekly", "", "2024", ""]
    assert ties[4][2] == "0.3333333333333333"


def test_xlsx_as_written(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(xlsx_file(tmp_path))
    assert book.sheetnames == ["instructions", *SECTIONS]
    teams = book["teams"]
    assert [c.value for c in teams[1]] == [c.name for c in columns("teams")]
    assert all(c.font.bold for c in teams[1])
    assert teams.freeze_panes == "A2"
    assert "One of: dlt, slt" in teams["C1"].comment.text
    checks = {str(dv.sqref): dv.formula1 for dv in teams.data_validations.dataValidation}
    assert checks["C2:C1048576"] == '"dlt,slt,working_committee,plc,task_force,other"'
    district = book["district"]
    assert [c.value for c in district[2]][:3] == ["collabgraph/1", "mini", "Mini Unified"]
    # Numbers and dates are stored as such; text that looks like a formula stays text.
    assert book["schools"]["D2"].value == 40
    assert book["ties"]["C2"].value == 0.5
    holder_since = book["positions"]["J3"]
    assert holder_since.is_date and holder_since.number_format == "yyyy-mm-dd"
    formula_like = next(c for c in book["people"]["B"] if c.value == "=1+2 (not a formula)")
    assert formula_like.data_type == "s"
    instructions = "\n".join(str(c.value) for c in book["instructions"]["A"] if c.value)
    assert "docs/workbook.md" in instructions
    assert "YYYY-MM-DD" in instructions
    assert "separate them with ';'" in instructions
    for section in SECTIONS:
        assert f"{section}: " in instructions


def test_xlsx_cells_typed_by_hand_are_read_as_text(tmp_path: Path) -> None:
    path = xlsx_file(tmp_path)
    book = openpyxl.load_workbook(path)
    book["schools"]["D2"] = 40.0  # a whole number stored as a float
    book["positions"]["J3"].value = __import__("datetime").datetime(2023, 7, 1)
    book["ties"]["C4"] = 1  # an int weight
    book["ties"]["F2"] = 2024  # a wave typed as a number
    book["schools"]["B2"] = "  Lincoln Elementary  "
    book.save(path)
    assert load_workbook(path) == WB


def test_semicolon_csv_saved_by_excel(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path)
    for file in folder.iterdir():
        rows = read_csv(file)
        with file.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle, delimiter=";", quoting=csv.QUOTE_MINIMAL).writerows(rows)
    assert (folder / "people.csv").read_text("utf-8-sig").splitlines()[0] == "id;name;side;school"
    assert load_workbook(folder) == WB


def test_tab_separated_without_bom_and_with_lf(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path)
    for file in folder.iterdir():
        rows = read_csv(file)
        with file.open("w", encoding="utf-8", newline="\n") as handle:
            csv.writer(handle, delimiter="\t", lineterminator="\n").writerows(rows)
    assert load_workbook(folder) == WB


def test_missing_optional_csv_files_and_header_only_files(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path)
    (folder / "ties.csv").unlink()
    (folder / "priorities.csv").unlink()
    rewrite_csv(folder / "counterparts.csv", [["management", "labor", "note"]])
    wb = load_workbook(folder)
    assert wb.ties == [] and wb.priorities == [] and wb.counterparts == []
    assert wb.people == WB.people


def test_blank_rows_reordered_and_absent_optional_columns(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path)
    schools = [[r[2], r[1], r[0]] for r in read_csv(folder / "schools.csv")]  # no staff column
    rewrite_csv(folder / "schools.csv", [schools[0], [], schools[1], ["", " ", ""], *schools[2:]])
    positions = read_csv(folder / "positions.csv")
    assert positions[0][-1] == "holder_since"
    rewrite_csv(folder / "positions.csv", [r[:-1] for r in positions])
    wb = load_workbook(folder)
    assert wb.schools == [s.model_copy(update={"represented_staff": None}) for s in WB.schools]
    assert [p.holder_since for p in wb.positions] == [None] * 4
    assert wb.ties == WB.ties


# --------------------------------------------------------------------------- CSV problems


def test_csv_missing_required_column(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path)
    file = folder / "schools.csv"
    rewrite_csv(file, [row[:2] + row[3:] for row in read_csv(file)])
    # One message for the column, not one more per row that lacks the field.
    assert problems(folder) == [
        (
            f"{file}, row 1, column level",
            "the required column 'level' is missing from the first row; add it (the next "
            "free column is D)",
            "missing_column",
        )
    ]


def test_csv_misspelled_column_gets_a_suggestion(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path)
    file = folder / "schools.csv"
    rows = read_csv(file)
    rows[0][1] = "nmae"
    rewrite_csv(file, rows)
    # One mistake, one message: the misspelled header stands for the missing column.
    assert problems(folder) == [
        (
            f"{file}, row 1, column B (nmae)",
            "unknown column 'nmae' in schools: the required column 'name' is missing (is this "
            "it? then name it 'name')",
            "unknown_column",
        ),
    ]


def test_csv_duplicate_column(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path)
    file = folder / "topics.csv"
    rewrite_csv(file, [[*row, row[1]] for row in read_csv(file)])
    assert problems(folder) == [
        (
            f"{file}, row 1, column D (name)",
            "the column 'name' appears twice in the first row (column B and column D); keep one",
            "duplicate_column",
        )
    ]


def test_csv_unquoted_comma_is_reported_at_its_row(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path)
    file = folder / "people.csv"
    with file.open("a", encoding="utf-8", newline="") as handle:
        handle.write("p-new,Smith, Jo,labor,grant-hs\r\n")
    found = problems(folder)
    assert found[0] == (
        f"{file}, row 9",
        "this row has more cells than the first row has column names (the value 'grant-hs' "
        'has no column); if a value contains the delimiter, put it in double quotes ("Smith, Jo")',
        "extra_cells",
    )
    assert found[1][0] == f"{file}, row 9, column C (side)"
    assert found[1][2] == "bad_enum"


def test_csv_unknown_file_gets_a_suggestion(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path)
    (folder / "notes.txt").write_text("ignored: not a CSV file", "utf-8")
    shutil.copy(folder / "schools.csv", folder / "shools.csv")
    assert problems(folder) == [
        (
            str(folder / "shools.csv"),
            "unknown file 'shools.csv': the files of a CSV workbook are named after its "
            "sections (did you mean 'schools.csv'?)",
            "unknown_section",
        )
    ]


def test_csv_not_utf8(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path)
    file = folder / "people.csv"
    file.write_bytes(file.read_text("utf-8-sig").encode("utf-8").replace(b"\xc3\xab", b"\xeb"))
    found = problems(folder)
    assert len(found) == 1
    where, message, code = found[0]
    assert where == f"{file}, line 2"
    assert message.startswith("the file is not UTF-8 text (byte 0xeb at position ")
    assert code == "not_utf8"


def test_csv_empty_file(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path)
    (folder / "priorities.csv").write_bytes(b"")
    (folder / "ties.csv").write_bytes(b"\xef\xbb\xbf\r\n")
    assert problems(folder) == [
        (str(folder / "priorities.csv"), "the file is empty", "empty_file"),
        (str(folder / "ties.csv"), "the file is empty", "empty_file"),
    ]


def test_csv_missing_district(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path)
    (folder / "district.csv").unlink()
    assert problems(folder) == [
        (
            str(folder / "district.csv"),
            "district.csv is missing: every CSV workbook needs it, with the format tag and "
            "the district's id and name",
            "missing_section",
        )
    ]


def test_csv_district_row_and_format(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path)
    file = folder / "district.csv"
    rewrite_csv(file, [["format", "id", "name"], ["collabgraph/2", "d", "D"]])
    assert problems(folder) == [
        (
            f"{file}, row 2, column A (format)",
            "unknown format 'collabgraph/2': this version of collabgraph reads 'collabgraph/1'",
            "bad_format",
        )
    ]
    rewrite_csv(file, [["id", "name"], ["d", "D"]])
    assert problems(folder)[0][0] == f"{file}, row 1, column format"
    assert problems(folder)[0][2] == "missing_format"
    rewrite_csv(file, [["format", "id", "name"], ["collabgraph/1", "", ""]])
    assert problems(folder) == [
        (
            str(file),
            "the district section is missing: give the district's id and name",
            "missing_section",
        )
    ]


def test_folder_without_csv_files(tmp_path: Path) -> None:
    folder = tmp_path / "nothing"
    folder.mkdir()
    (folder / "README.txt").write_text("hello", "utf-8")
    [(where, message, code)] = problems(folder)
    assert where == str(folder)
    assert message.startswith("this folder holds no CSV files; a CSV workbook has one file")
    assert code == "missing_section"


def test_csv_bad_enum(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path)
    file = folder / "teams.csv"
    rows = read_csv(file)
    rows[2][2] = "comittee"
    rewrite_csv(file, rows)
    [(where, message, code)] = problems(folder)
    assert where == f"{file}, row 3, column C (kind)"
    assert message == (
        "'comittee' is not an allowed kind value (did you mean 'working_committee'?); use one "
        "of 'dlt', 'slt', 'working_committee', 'plc', 'task_force' or 'other'"
    )
    assert code == "bad_enum"


def test_csv_rows_are_spreadsheet_rows_even_after_a_multi_line_cell(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path)
    file = folder / "topics.csv"
    rows = read_csv(file)
    assert rows[2][2] == "Hiring, evaluation;\nleave and transfers"  # row 3, lines 3 and 4
    rewrite_csv(file, [*rows, ["bad id", "Bad", ""]])
    [(where, message, _)] = problems(folder)
    assert where == f"{file}, row 4, column A (id), line 5"
    assert message.startswith("'bad id' is not a valid id: it contains a space;")


def test_csv_list_cell_with_unknown_reference(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path)
    file = folder / "meetings.csv"
    rows = read_csv(file)
    rows[1][3] = "supt;  presdent ;"
    rewrite_csv(file, rows)
    assert problems(folder) == [
        (
            f"{file}, row 2, column D (attendees)",
            "unknown position 'presdent': no position with that id (did you mean 'president'?)",
            "unknown_reference",
        )
    ]


# --------------------------------------------------------------------------- Excel problems


def test_xlsx_missing_sheet(tmp_path: Path) -> None:
    path = xlsx_file(tmp_path)
    book = openpyxl.load_workbook(path)
    del book["teams"]
    book.save(path)
    assert problems(path) == [
        (
            str(path),
            "the workbook has no sheet 'teams'; the template has every sheet",
            "missing_section",
        )
    ]


def test_xlsx_renamed_sheet(tmp_path: Path) -> None:
    path = xlsx_file(tmp_path)
    book = openpyxl.load_workbook(path)
    book["teams"].title = "Team"
    book.save(path)
    assert problems(path) == [
        (
            f"{path}, sheet Team",
            "unknown sheet 'Team': the sheets of a workbook are named after its sections "
            "(did you mean 'teams'?)",
            "unknown_section",
        ),
        (
            str(path),
            "the workbook has no sheet 'teams' (is it 'Team'?); the template has every sheet",
            "missing_section",
        ),
    ]


def test_not_an_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("id,name\n", "utf-8")
    assert problems(path) == [
        (
            str(path),
            "this is not an Excel .xlsx file (it is not a zip package); save it from your "
            "spreadsheet as 'Excel Workbook (.xlsx)'",
            "not_xlsx",
        )
    ]
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "a zip, but not a workbook")
    [(where, message, code)] = problems(path)
    assert where == str(path)
    assert message.startswith("this .xlsx file cannot be read (")
    assert message.endswith("save it again as 'Excel Workbook (.xlsx)'")
    assert code == "not_xlsx"


def test_xlsx_bad_enum_cell(tmp_path: Path) -> None:
    path = xlsx_file(tmp_path)
    book = openpyxl.load_workbook(path)
    book["teams"]["C3"] = "comittee"
    book.save(path)
    [(where, message, code)] = problems(path)
    assert where == f"{path}, sheet teams, row 3, column C (kind)"
    assert message.startswith("'comittee' is not an allowed kind value")
    assert code == "bad_enum"


def test_xlsx_list_cell_with_unknown_reference(tmp_path: Path) -> None:
    path = xlsx_file(tmp_path)
    book = openpyxl.load_workbook(path)
    book["meetings"]["D3"] = "rep-lincoln; rep-grnat; president"
    book.save(path)
    assert problems(path) == [
        (
            f"{path}, sheet meetings, row 3, column D (attendees)",
            "unknown position 'rep-grnat': no position with that id (did you mean 'rep-grant'?)",
            "unknown_reference",
        )
    ]


def test_xlsx_header_problems_and_unnamed_column(tmp_path: Path) -> None:
    path = xlsx_file(tmp_path)
    book = openpyxl.load_workbook(path)
    book["schools"]["C1"] = "levle"
    book["topics"]["E2"] = "stray"
    book["topics"]["E3"] = "stray too"
    book.save(path)
    found = problems(path)
    assert found == [
        (
            f"{path}, sheet schools, row 1, column C (levle)",
            "unknown column 'levle' in schools: the required column 'level' is missing (is "
            "this it? then name it 'level')",
            "unknown_column",
        ),
        (
            f"{path}, sheet topics, row 2, column E (no name)",
            "column E holds values but has no name in row 1; name it or clear it",
            "unnamed_column",
        ),
    ]


def test_xlsx_empty_sheet_and_district_without_values(tmp_path: Path) -> None:
    path = xlsx_file(tmp_path)
    book = openpyxl.load_workbook(path)
    book.remove(book["ties"])
    book.create_sheet("ties")
    book.save(path)
    assert problems(path) == [
        (
            f"{path}, sheet ties, row 1",
            "the first row of this sheet must name its columns (source, target, weight, "
            "frequency, topic, wave, origin)",
            "missing_header",
        )
    ]


# --------------------------------------------------------------------------- writers


def test_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    blocker = tmp_path / "taken.xlsx"
    blocker.mkdir()
    with pytest.raises(WorkbookError) as info:
        write_workbook(WB, blocker, Encoding.XLSX)
    assert info.value.problems[0].code == "unwritable"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.xlsx"]
    afile = tmp_path / "folder-is-a-file"
    afile.write_text("keep me", "utf-8")
    with pytest.raises(WorkbookError) as info:
        write_workbook(WB, afile, Encoding.CSV)
    assert info.value.problems[0].message == "this is a file, not a folder"
    assert afile.read_text("utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder-is-a-file", "taken.xlsx"]


def test_rewriting_keeps_other_files_and_permissions(tmp_path: Path) -> None:
    folder = csv_folder(tmp_path)
    (folder / "notes.txt").write_text("mine", "utf-8")
    os.chmod(folder / "people.csv", 0o600)
    path = xlsx_file(tmp_path)
    os.chmod(path, 0o600)
    small = load_workbook(Path(write_workbook(WB, tmp_path / "x.yaml")))
    write_workbook(small, folder, Encoding.CSV)
    write_workbook(small, path)
    assert (folder / "notes.txt").read_text("utf-8") == "mine"
    assert stat.S_IMODE((folder / "people.csv").stat().st_mode) == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert load_workbook(folder) == load_workbook(path) == WB


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(doc=workbooks())
def test_random_workbooks_round_trip_through_csv_and_xlsx(
    doc: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp("random")
    wb = validate_document(parse_yaml(yaml.safe_dump(doc, allow_unicode=True), "random.yaml"))
    assert load_workbook(write_workbook(wb, tmp / "wb", Encoding.CSV)) == wb
    assert load_workbook(write_workbook(wb, tmp / "wb.xlsx")) == wb


# --------------------------------------------------------------------------- examples


@pytest.mark.parametrize("name", ["abc-unified", "small-district"])
def test_example_encodings_agree(name: str, tmp_path: Path) -> None:
    source = EXAMPLES / f"{name}.yaml"
    if not source.exists():
        pytest.skip(f"{source.name} is not written yet")
    wb = load_workbook(source)
    csv_dir, xlsx = EXAMPLES / f"{name}-csv", EXAMPLES / f"{name}.xlsx"
    assert csv_dir.is_dir() and xlsx.is_file(), "run: python examples/regenerate.py"
    as_json = tmp_path / f"{name}.json"
    as_json.write_text(dump_json(wb), "utf-8")
    assert load_workbook(csv_dir) == wb, "the CSV folder is stale: python examples/regenerate.py"
    assert load_workbook(xlsx) == wb, "the .xlsx is stale: python examples/regenerate.py"
    assert load_workbook(as_json) == wb
    assert json.loads(dump_json(load_workbook(xlsx))) == json.loads(dump_json(wb))


def test_regenerate_script_writes_both_copies(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("regenerate", EXAMPLES / "regenerate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    (tmp_path / "small-district.yaml").write_text(dump_yaml(WB), "utf-8")
    written = module.regenerate(tmp_path)
    assert written == [tmp_path / "small-district.xlsx", tmp_path / "small-district-csv"]
    assert load_workbook(written[0]) == load_workbook(written[1]) == WB
