"""Reading, validating and writing district workbooks.

A workbook comes in four interchangeable encodings, chosen by the path:

=================  ==========================================================
``*.yaml/*.yml``   one YAML file (:mod:`collabgraph.workbook.document`)
``*.json``         one JSON file (:mod:`collabgraph.workbook.document`)
a folder           one CSV file per section (:mod:`collabgraph.workbook.tabular`)
``*.xlsx``         one sheet per section (:mod:`collabgraph.workbook.tabular`)
=================  ==========================================================

Every encoding is read into the same :class:`~collabgraph.workbook.raw.RawDocument`
and validated by one function, so a problem is found the same way whatever the
file type, and reported at its place in that file.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from collabgraph.errors import Location, Problem, WorkbookError
from collabgraph.model import Workbook
from collabgraph.safety.limits import InputLimits, check_size
from collabgraph.workbook.document import decode_text, dump_json, dump_yaml, parse_json, parse_yaml
from collabgraph.workbook.raw import RawDocument
from collabgraph.workbook.validate import validate_document

__all__ = [
    "Encoding",
    "dump_json",
    "dump_yaml",
    "encoding_of",
    "load_workbook",
    "load_workbook_noted",
    "read_document",
    "validate_document",
    "write_workbook",
]


class Encoding(StrEnum):
    """The four encodings of a workbook."""

    YAML = "yaml"
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


def _fail(path: Path, message: str, code: str) -> WorkbookError:
    return WorkbookError([Problem(Location(file=str(path)), message, code)], str(path))


def encoding_of(path: Path) -> Encoding:
    """Which encoding a path holds, judged by its suffix (a folder is CSV).

    >>> encoding_of(Path("district.yml"))
    <Encoding.YAML: 'yaml'>
    """
    if path.is_dir():
        return Encoding.CSV
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        return Encoding.YAML
    if suffix == ".json":
        return Encoding.JSON
    if suffix == ".xlsx":
        return Encoding.XLSX
    if suffix == ".csv":
        raise _fail(
            path,
            "a CSV workbook is a folder with one CSV file per section; "
            "give the folder's path instead of one file",
            "bad_path",
        )
    raise _fail(
        path,
        f"cannot tell the workbook's format from '{path.name}': use a .yaml, "
        ".json or .xlsx file, or a folder of CSV files",
        "bad_path",
    )


def read_document(path: Path) -> RawDocument:
    """Read a workbook file or folder without validating it.

    Raises
    ------
    WorkbookError
        When the file cannot be read at all (missing, empty, not UTF-8, bad syntax).
    """
    if not path.exists():
        raise _fail(path, "no such file or folder", "not_found")
    encoding = encoding_of(path)
    if encoding is Encoding.CSV or encoding is Encoding.XLSX:
        from collabgraph.workbook.tabular import read_csv_folder, read_xlsx

        if encoding is Encoding.CSV:
            return read_csv_folder(path)
        return read_xlsx(path)
    try:
        check_size(path.stat().st_size, str(path), InputLimits.from_env())
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(path, f"cannot read the file: {exc.strerror}", "unreadable") from exc
    text = decode_text(data, str(path))
    if encoding is Encoding.YAML:
        return parse_yaml(text, str(path))
    return parse_json(text, str(path))


def load_workbook(path: str | Path) -> Workbook:
    """Read and validate a workbook in any encoding.

    Parameters
    ----------
    path : str or Path
        A ``.yaml``/``.yml``, ``.json`` or ``.xlsx`` file, or a folder of CSV files.

    Returns
    -------
    Workbook

    Raises
    ------
    WorkbookError
        Listing every problem with its place; nothing is returned half-valid.
    """
    return validate_document(read_document(Path(path)))


def load_workbook_noted(path: str | Path) -> tuple[Workbook, list[Problem]]:
    """Like :func:`load_workbook`, with the notes on what was read other than written.

    A note says, for example, that the header ``Name`` was read as ``name``, or the
    date ``2025-9-5`` as ``2025-09-05``; notes are never errors.
    """
    doc = read_document(Path(path))
    wb = validate_document(doc)
    return wb, list(doc.notes)


def write_workbook(wb: Workbook, path: str | Path, encoding: Encoding | str | None = None) -> Path:
    """Write a workbook in the given encoding (by default, the one the path implies).

    A CSV workbook is written as a folder, created if needed. Returns the path.
    """
    target = Path(path)
    enc = Encoding(encoding) if encoding is not None else None
    if enc is None:
        enc = Encoding.CSV if not target.suffix else encoding_of(target)
    if enc is Encoding.YAML:
        target.write_text(dump_yaml(wb), encoding="utf-8")
    elif enc is Encoding.JSON:
        target.write_text(dump_json(wb), encoding="utf-8")
    else:
        from collabgraph.workbook.tabular import write_csv_folder, write_xlsx

        if enc is Encoding.CSV:
            write_csv_folder(wb, target)
        else:
            write_xlsx(wb, target)
    return target
