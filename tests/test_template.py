"""Fill-in templates: they open, they describe every column, and they validate once filled."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from pydantic import BaseModel
from typer.testing import CliRunner

from collabgraph.cli import app
from collabgraph.errors import WorkbookError
from collabgraph.model import FORMAT, SECTIONS, Workbook
from collabgraph.workbook import Encoding, load_workbook
from collabgraph.workbook.document import parse_yaml, workbook_to_mapping
from collabgraph.workbook.tabular import columns
from collabgraph.workbook.template import EXAMPLE, write_template
from collabgraph.workbook.validate import validate_document
from tests.conftest import MINI

SMALL: Workbook = validate_document(parse_yaml(yaml.safe_dump(MINI, allow_unicode=True), "m"))


def rows_of(wb: Workbook, section: str) -> list[BaseModel]:
    return [wb.district] if section == "district" else list(getattr(wb, section))


def cells(row: BaseModel) -> dict[str, Any]:
    """A row as a person would type it: lists joined with ';', dates as text."""
    out: dict[str, Any] = {}
    for name, value in row.model_dump(mode="json").items():
        out[name] = ";".join(value) if isinstance(value, list) else value
    return out


def problems(path: Path) -> list[tuple[str, str, str]]:
    with pytest.raises(WorkbookError) as info:
        load_workbook(path)
    return [(str(p.location), p.message, p.code) for p in info.value.problems]


def test_xlsx_template_opens_and_describes_every_column(tmp_path: Path) -> None:
    path = write_template(tmp_path / "blank", Encoding.XLSX)
    assert path == tmp_path / "blank.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["instructions", *SECTIONS]
    for section in SECTIONS:
        sheet = book[section]
        assert [c.value for c in sheet[1]] == [c.name for c in columns(section)]
        for cell in sheet[1]:
            assert cell.comment is not None
            assert cell.comment.text.startswith(("Required.", "Optional."))
        expected_rows = 2 if section == "district" else 1
        assert sheet.max_row == expected_rows
    assert [c.value for c in book["district"][2]] == [FORMAT] + [None] * 7
    level = book["schools"]["C1"].comment.text
    assert level == (
        "Required. The grades the school serves. One of: early_childhood, elementary, middle, "
        "high, k8, k12, adult, alternative, other. Example: elementary"
    )
    assert book["meetings"]["D1"].comment.text == (
        "Required. The positions that attend (two or more). Ids of rows in positions, "
        "separated by ';'. Example: rea-president; supt"
    )


def test_unfilled_xlsx_template_asks_for_the_district(tmp_path: Path) -> None:
    path = write_template(tmp_path / "blank.xlsx", "xlsx")
    assert problems(path) == [
        (
            f"{path}, sheet district",
            "the district section is missing: give the district's id and name",
            "missing_section",
        )
    ]


def test_filled_xlsx_template_validates(tmp_path: Path) -> None:
    path = write_template(tmp_path / "filled.xlsx", Encoding.XLSX)
    book = openpyxl.load_workbook(path)
    for section in SECTIONS:
        sheet = book[section]
        header = [c.value for c in sheet[1]]
        for row in rows_of(SMALL, section):
            values = cells(row)
            if section == "district":
                for i, name in enumerate(header[1:], start=2):
                    sheet.cell(row=2, column=i, value=values[name])
            else:
                sheet.append([values.get(name) for name in header])
    book.save(path)
    assert load_workbook(path) == SMALL


DISTRICT_SETTINGS = ["tie_scale", "rep_staff_healthy", "rep_staff_hard"]


def test_csv_template_and_its_readme(tmp_path: Path) -> None:
    folder = write_template(tmp_path / "blank-csv", Encoding.CSV)
    assert folder == tmp_path / "blank-csv"
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(["README.txt", *(f"{s}.csv" for s in SECTIONS)])
    with (folder / "district.csv").open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["format", "id", "name", "state", "note", *DISTRICT_SETTINGS],
            [FORMAT, "", "", "", "", "", "", ""],
        ]
    readme = (folder / "README.txt").read_text("utf-8")
    for section in SECTIONS:
        assert f"\n{section}.csv\n" in readme
    assert "docs/workbook.md" in readme
    assert problems(folder)[0][2] == "missing_section"


def test_filled_csv_template_validates(tmp_path: Path) -> None:
    folder = write_template(tmp_path / "filled", Encoding.CSV)
    for section in SECTIONS:
        file = folder / f"{section}.csv"
        with file.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle))
        rows = [cells(r) for r in rows_of(SMALL, section)]
        mode = "w" if section == "district" else "a"
        with file.open(mode, encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            if section == "district":
                writer.writerow(header)
                rows = [{"format": FORMAT, **rows[0]}]
            for row in rows:
                writer.writerow(["" if row.get(n) is None else row[n] for n in header])
    assert load_workbook(folder) == SMALL


def test_yaml_template_examples_form_a_valid_workbook(tmp_path: Path) -> None:
    path = write_template(tmp_path / "blank", "yaml")
    assert path.name == "blank.yaml"
    text = path.read_text("utf-8")
    for section in SECTIONS:
        assert f"\n{section}:\n" in text
    line = text.splitlines().index("district:") + 1
    assert problems(path) == [
        (
            f"{path}, line {line}, at district",
            "the district section is missing: give the district's id and name",
            "missing_section",
        )
    ]
    uncommented = path.with_name("examples.yaml")
    uncommented.write_text(text.replace("\n  # ", "\n  "), "utf-8")
    wb = load_workbook(uncommented)
    assert {name: n for name, n in wb.counts().items()} == {
        name: len(rows) for name, rows in EXAMPLE.items()
    }
    assert wb.positions[0].portfolio == ["sped", "curriculum"]


def test_filled_yaml_and_json_templates_validate(tmp_path: Path) -> None:
    mapping = workbook_to_mapping(SMALL)
    path = write_template(tmp_path / "t.yml", Encoding.YAML)
    assert path.name == "t.yml"
    doc = yaml.safe_load(path.read_text("utf-8"))
    assert set(doc) == {"format", *SECTIONS}
    doc.update({k: v for k, v in mapping.items() if k != "format"})
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    assert load_workbook(path) == SMALL
    path = write_template(tmp_path / "t", Encoding.JSON)
    assert path.name == "t.json"
    doc = json.loads(path.read_text("utf-8"))
    assert doc["format"] == FORMAT and doc["ties"] == []
    doc.update({k: v for k, v in mapping.items() if k != "format"})
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    assert load_workbook(path) == SMALL


def test_template_never_overwrites(tmp_path: Path) -> None:
    path = write_template(tmp_path / "mine.xlsx", Encoding.XLSX)
    before = path.read_bytes()
    with pytest.raises(WorkbookError) as info:
        write_template(path, Encoding.XLSX)
    assert info.value.problems[0].code == "exists"
    assert path.read_bytes() == before
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "people.csv").write_text("id,name\n", "utf-8")
    with pytest.raises(WorkbookError):
        write_template(folder, Encoding.CSV)
    empty = tmp_path / "empty"
    empty.mkdir()
    assert write_template(empty, Encoding.CSV) == empty


def test_template_command(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "new.xlsx"
    result = runner.invoke(app, ["template", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file()
    again = runner.invoke(app, ["template", str(out)])
    assert again.exit_code == 2
    assert "never overwrites" in again.output
