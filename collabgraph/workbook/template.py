"""Empty workbooks to fill in, in every encoding.

A template holds every section with its columns and nothing else, plus help
for whoever fills it in:

* **xlsx**: an ``instructions`` sheet, then one sheet per section whose column
  headers carry a comment saying what the column holds, which values it takes
  and an example; columns with a fixed set of values have a drop-down list;
* **csv**: a folder with one CSV file per section (headers only) and a
  ``README.txt`` describing every file and column;
* **yaml**: every section, its columns described in comments, and one example
  row per section kept as a comment (remove the ``# `` to use it);
* **json**: every section, empty (JSON has no comments; see the YAML template).

The ``district`` table's only filled cell is ``format``. The examples in the
comments form one small, valid workbook of an invented district.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path
from typing import Any, Final

import yaml

from collabgraph.errors import Location, Problem, WorkbookError
from collabgraph.model import FORMAT, LIST_SEPARATOR, SECTIONS
from collabgraph.workbook import Encoding
from collabgraph.workbook.tabular import (
    SECTION_HELP,
    Cell,
    cell_text,
    columns,
    write_csv_tables,
    write_file_atomic,
    write_xlsx_tables,
)

__all__ = ["EXAMPLE", "csv_readme", "json_template", "write_template", "yaml_template"]

#: One example row per section: together, a small valid workbook of an invented district.
EXAMPLE: Final[dict[str, list[dict[str, Any]]]] = {
    "district": [{"id": "riverbend", "name": "Riverbend Unified School District", "state": "OR"}],
    "schools": [
        {
            "id": "oak-es",
            "name": "Oak Street Elementary",
            "level": "elementary",
            "represented_staff": 38,
        }
    ],
    "organizations": [
        {
            "id": "rea",
            "name": "Riverbend Education Association",
            "side": "labor",
            "kind": "local_association",
        }
    ],
    "topics": [{"id": "sped", "name": "Special education", "description": "Services and staffing"}],
    "priorities": [{"topic": "sped", "rank": 1, "note": "Agreed at the August retreat"}],
    "people": [
        {"id": "p-001", "name": "Mei Chen", "side": "labor", "school": "oak-es"},
        {"id": "p-002", "name": "Luis Ortega", "side": "management"},
    ],
    "positions": [
        {
            "id": "rea-president",
            "title": "Association President",
            "side": "labor",
            "kind": "president",
            "level": "district",
            "organization": "rea",
            "portfolio": ["sped", "curriculum"],
            "holder": "p-001",
            "holder_since": dt.date(2024, 7, 1),
        },
        {
            "id": "supt",
            "title": "Superintendent",
            "side": "management",
            "kind": "superintendent",
            "holder": "p-002",
        },
    ],
    "teams": [
        {
            "id": "slt-oak",
            "name": "Oak Street SLT",
            "kind": "slt",
            "level": "school",
            "school": "oak-es",
            "topics": ["curriculum"],
            "decision_step": 4,
        }
    ],
    "memberships": [
        {"person": "p-001", "team": "slt-oak", "role": "co_chair", "appointed_by": "joint"}
    ],
    "meetings": [
        {
            "id": "pres-supt",
            "name": "President and superintendent check-in",
            "cadence": "weekly",
            "attendees": ["rea-president", "supt"],
            "last_held": dt.date(2025, 1, 13),
            "topics": ["sped"],
        }
    ],
    "counterparts": [{"management": "supt", "labor": "rea-president", "note": "Top pair"}],
    "ties": [
        {
            "source": "p-001",
            "target": "p-002",
            "weight": 0.5,
            "frequency": "monthly",
            "topic": "curriculum",
            "wave": "2025-spring",
            "origin": "survey",
        }
    ],
}
_SUFFIX: Final = {Encoding.XLSX: ".xlsx", Encoding.YAML: ".yaml", Encoding.JSON: ".json"}


def _example(section: str, column: str) -> str:
    """The example value of a column, as a cell would hold it ('' if none)."""
    for row in EXAMPLE[section]:
        value = FORMAT if column == "format" else row.get(column)
        if isinstance(value, list):
            return f"{LIST_SEPARATOR} ".join(value)
        if value is not None:
            return cell_text(value)
    return ""


def _notes() -> dict[str, dict[str, str]]:
    """Header comments: what each column holds, and an example value."""
    notes: dict[str, dict[str, str]] = {}
    for section in SECTIONS:
        notes[section] = {}
        for col in columns(section):
            example = _example(section, col.name)
            text = col.describe() + (f" Example: {example}" if example else "")
            notes[section][col.name] = text
    return notes


def _empty_tables() -> dict[str, list[dict[str, Cell]]]:
    return {name: [{"format": FORMAT}] if name == "district" else [] for name in SECTIONS}


def _wrap(text: str, prefix: str, hang: str = "    ") -> list[str]:
    lines = textwrap.wrap(text, width=98, initial_indent=prefix, subsequent_indent=prefix + hang)
    return lines or [prefix.rstrip()]


def yaml_template() -> str:
    """The YAML template: every section, its columns in comments, and a commented example.

    Removing the ``# `` in front of every example row gives a valid workbook.

    >>> text = yaml_template()
    >>> text.splitlines()[0]
    '# collabgraph district workbook (format collabgraph/1): an empty template.'
    >>> yaml.safe_load(text)["schools"] is None
    True
    """
    out = [
        f"# collabgraph district workbook (format {FORMAT}): an empty template.",
        "#",
        "# Each section below starts with a description of its fields, followed by an example",
        "# row kept as a comment. To add a row, copy the example, delete the '# ' in front of",
        "# it and change the values. Ids are short words without spaces (oak-es, p-042);",
        "# other sections refer to rows by their ids. Lists are written in brackets,",
        "# [sped, curriculum], and dates as YYYY-MM-DD. Fields you do not need can be left out.",
        "# Check the file with: collabgraph validate <this file>",
        "# The format is described in docs/workbook.md.",
        "",
        f"format: {FORMAT}",
    ]
    for section in SECTIONS:
        out.append("")
        out.append(f"# {section} " + "-" * max(3, 60 - len(section)))
        out.extend(_wrap(SECTION_HELP[section], "# ", hang=""))
        for col in columns(section):
            if col.name == "format":
                continue
            out.extend(_wrap(f"{col.name}: {col.describe(yaml_lists=True)}", "#   "))
        out.append(f"{section}:")
        for row in EXAMPLE[section]:
            flow = yaml.safe_dump(
                row, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10**6
            ).strip()
            out.append(f"  # {flow}" if section == "district" else f"  # - {flow}")
    return "\n".join(out) + "\n"


def json_template() -> str:
    """The JSON template: every section, empty (the district's id and name to fill in).

    >>> json.loads(json_template())["district"]
    {'id': '', 'name': ''}
    """
    doc: dict[str, Any] = {"format": FORMAT, "district": {"id": "", "name": ""}}
    doc.update({name: [] for name in SECTIONS if name != "district"})
    return json.dumps(doc, indent=2) + "\n"


def csv_readme() -> str:
    """The README.txt of a CSV template: what each file and each column holds.

    >>> print(csv_readme().splitlines()[0])
    collabgraph district workbook (format collabgraph/1), as a folder of CSV files
    """
    out = [
        f"collabgraph district workbook (format {FORMAT}), as a folder of CSV files",
        "",
        "Each .csv file in this folder is one table. Open it in a spreadsheet or a text",
        "editor, keep the first row (the column names) as it is and add one row per item.",
        "Empty cells mean 'not given'. Cells that hold several ids separate them with",
        f"'{LIST_SEPARATOR}' (for example: supt; rea-president). Dates are written YYYY-MM-DD.",
        "district.csv has exactly one row; keep its format cell as it is.",
        "A file you do not need may stay empty (headers only) or be deleted.",
        "Save as CSV with UTF-8 encoding; commas, semicolons and tabs are all understood",
        "as the delimiter. Check the folder with: collabgraph validate <this folder>",
        "The format is described in docs/workbook.md.",
    ]
    for section in SECTIONS:
        out.append("")
        out.append(f"{section}.csv")
        out.extend(_wrap(SECTION_HELP[section], "  ", hang=""))
        for col in columns(section):
            example = _example(section, col.name)
            text = f"{col.name}: {col.describe()}" + (f" Example: {example}" if example else "")
            out.extend(_wrap(text, "    "))
    return "\n".join(out) + "\n"


def _target(path: Path, encoding: Encoding) -> Path:
    suffix = _SUFFIX.get(encoding)
    if suffix is None:
        return path
    if encoding is Encoding.YAML and path.suffix.lower() in {".yaml", ".yml"}:
        return path
    if path.suffix.lower() == suffix:
        return path
    return path.with_name(path.name + suffix)


def write_template(path: Path, encoding: Encoding | str) -> Path:
    """Write an empty workbook to fill in, and return where it went.

    Parameters
    ----------
    path : Path
        Where to write it. ``.xlsx``, ``.yaml`` or ``.json`` is added when the
        name lacks it; a CSV template is a folder (created, or an empty one).
    encoding : Encoding or str
        ``xlsx``, ``csv``, ``yaml`` or ``json``.

    Returns
    -------
    Path
        The file or folder written.

    Raises
    ------
    WorkbookError
        When something already exists there (a template never overwrites a
        workbook), or it cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     written = write_template(Path(tmp) / "district", "xlsx")
    ...     print(written.name, written.is_file())
    district.xlsx True
    """
    enc = Encoding(encoding)
    target = _target(Path(path), enc)
    if target.is_file() or (target.is_dir() and any(target.iterdir())):
        raise WorkbookError(
            [
                Problem(
                    Location(file=str(target)),
                    "something is already there; a template never overwrites it: choose "
                    "another name or move the existing one away",
                    "exists",
                )
            ],
            str(target),
        )
    if enc is Encoding.XLSX:
        write_xlsx_tables(_empty_tables(), target, _notes())
    elif enc is Encoding.CSV:
        write_csv_tables(_empty_tables(), target, {"README.txt": csv_readme()})
    elif enc is Encoding.YAML:
        write_file_atomic(target, yaml_template().encode("utf-8"))
    else:
        write_file_atomic(target, json_template().encode("utf-8"))
    return target
