"""The YAML and JSON encodings: one file holding the whole workbook.

The file is a mapping with a ``format`` key, a ``district`` mapping and one list
per section::

    format: collabgraph/1
    district: {id: abc-unified, name: ABC Unified School District}
    schools:
      - {id: aloha-es, name: Aloha Elementary, level: elementary}

YAML problems are reported with their line number as well as their path.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import yaml

from collabgraph.errors import Location, Problem, WorkbookError
from collabgraph.model import FORMAT, SECTIONS, Workbook
from collabgraph.safety.limits import (
    InputLimits,
    check_row_count,
    count_rows,
    load_json,
    scan_yaml,
)
from collabgraph.workbook.raw import LocPath, RawDocument, RawRow
from collabgraph.workbook.validate import suggest

#: libyaml's loader when PyYAML was built with it (several times faster), else the pure one.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

__all__ = [
    "decode_text",
    "document_from_mapping",
    "dump_json",
    "dump_yaml",
    "parse_json",
    "parse_yaml",
    "workbook_to_mapping",
]

_TOP_KEYS = ("format", *SECTIONS)


def decode_text(data: bytes, source: str) -> str:
    """Decode a file's bytes as UTF-8 (a byte-order mark is allowed).

    Raises
    ------
    WorkbookError
        If the file is empty or is not UTF-8 text.

    Examples
    --------
    >>> decode_text("café".encode(), "x.yaml")
    'café'
    >>> decode_text(b"caf\\xe9", "x.yaml")
    Traceback (most recent call last):
    ...
    collabgraph.errors.WorkbookError: x.yaml: 1 problem found
      - x.yaml, line 1: the file is not UTF-8 text (byte 0xe9 at position 3 ...
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise WorkbookError(
            [
                Problem(
                    Location(file=source, line=line),
                    f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at position "
                    f"{exc.start} cannot be read); save it with UTF-8 encoding",
                    "not_utf8",
                )
            ],
            source,
        ) from exc
    if not text.strip():
        raise WorkbookError(
            [Problem(Location(file=source), "the file is empty", "empty_file")], source
        )
    return text


def _path_text(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _line_map(
    node: yaml.Node,
    path: tuple[str | int, ...],
    lines: dict[Any, int],
    dups: list[tuple[tuple[str | int, ...], int]],
) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                dups.append(((*path, key), key_node.start_mark.line + 1))
            seen.add(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _line_map(value_node, (*path, key), lines, dups)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_map(item, (*path, i), lines, dups)


def parse_yaml(text: str, source: str) -> RawDocument:
    """Read a YAML workbook into a :class:`RawDocument`, keeping line numbers.

    >>> doc = parse_yaml("format: collabgraph/1\\ndistrict:\\n  id: d\\n  name: D\\n", "d.yaml")
    >>> doc.sections["district"][0].data
    {'id': 'd', 'name': 'D'}
    >>> str(doc.sections["district"][0].at(("name",)))
    'd.yaml, line 4, at district.name'
    """
    limits = InputLimits.from_env()
    # Characters, nesting and alias expansion are checked on the parser's events
    # first: building the value of a "billion laughs" file is what must not happen.
    scan_yaml(text, source, limits)
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            value = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        at = Location(file=source, line=mark.line + 1 if mark else None)
        reason = f"{exc.problem} (column {mark.column + 1})" if mark else str(exc.problem)
        raise WorkbookError(
            [Problem(at, f"this is not valid YAML: {reason}", "syntax")], source
        ) from exc
    except yaml.YAMLError as exc:
        raise WorkbookError(
            [Problem(Location(file=source), f"this is not valid YAML: {exc}", "syntax")], source
        ) from exc
    if isinstance(value, dict):
        check_row_count(count_rows(value.values()), source, limits)
    lines: dict[Any, int] = {}
    dups: list[tuple[tuple[str | int, ...], int]] = []
    if node is not None:
        _line_map(node, (), lines, dups)

    def where(path: tuple[str | int, ...]) -> Location:
        probe = path
        while probe and probe not in lines:
            probe = probe[:-1]
        return Location(file=source, line=lines.get(probe), path=_path_text(path) or None)

    doc = document_from_mapping(value, source, where)
    for path, line in dups:
        doc.problems.append(
            Problem(
                Location(file=source, line=line, path=_path_text(path)),
                f"the key '{path[-1]}' appears twice here; keep only one",
                "duplicate_key",
            )
        )
    return doc


def parse_json(text: str, source: str) -> RawDocument:
    """Read a JSON workbook into a :class:`RawDocument`.

    >>> doc = parse_json('{"format": "collabgraph/1", "district": {"id": "d"}}', "d.json")
    >>> doc.format
    'collabgraph/1'
    """
    limits = InputLimits.from_env()
    try:
        value = load_json(text, source, limits)  # refuses values nested too deep
    except json.JSONDecodeError as exc:
        raise WorkbookError(
            [
                Problem(
                    Location(file=source, line=exc.lineno),
                    f"this is not valid JSON: {exc.msg} (column {exc.colno})",
                    "syntax",
                )
            ],
            source,
        ) from exc
    if isinstance(value, dict):
        check_row_count(count_rows(value.values()), source, limits)

    def where(path: tuple[str | int, ...]) -> Location:
        return Location(file=source, path=_path_text(path) or None)

    return document_from_mapping(value, source, where)


def document_from_mapping(
    value: Any, source: str, where: Callable[[tuple[str | int, ...]], Location]
) -> RawDocument:
    """Split a parsed YAML/JSON value into sections and rows.

    ``where`` maps a path in the document to a :class:`Location`.
    """
    doc = RawDocument(source=source)
    if not isinstance(value, dict):
        doc.problems.append(
            Problem(
                where(()),
                "the workbook must be a mapping with 'format', 'district' and "
                "section lists at the top level",
                "bad_structure",
            )
        )
        doc.unreadable = True
        return doc
    doc.format = value.get("format")
    doc.format_location = where(("format",))
    for key in value:
        if str(key) not in _TOP_KEYS:
            doc.problems.append(
                Problem(
                    where((str(key),)),
                    f"unknown section '{key}'" + suggest(str(key), _TOP_KEYS),
                    "unknown_section",
                )
            )
    for name in SECTIONS:
        doc.section_locations[name] = where((name,))
        if name not in value or value[name] is None:
            continue
        items = value[name]
        if name == "district":
            items = [items]
        if not isinstance(items, list):
            doc.problems.append(
                Problem(
                    where((name,)),
                    f"the '{name}' section must be a list of rows",
                    "bad_structure",
                )
            )
            continue
        rows: list[RawRow] = []
        for i, item in enumerate(items):
            base: tuple[str | int, ...] = (name,) if name == "district" else (name, i)
            if not isinstance(item, dict):
                doc.problems.append(
                    Problem(
                        where(base),
                        "each row must be a mapping of field names to values",
                        "bad_structure",
                    )
                )
                continue

            def locate(path: LocPath, base: tuple[str | int, ...] = base) -> Location:
                return where((*base, *path))

            def here(base: tuple[str | int, ...] = base) -> Location:
                return where(base)

            rows.append(RawRow({str(k): v for k, v in item.items()}, here, locate))
        doc.sections[name] = rows
    return doc


def workbook_to_mapping(wb: Workbook) -> dict[str, Any]:
    """The workbook as plain data: ``format`` first, then each non-empty section.

    Fields left at their defaults are omitted, so files stay short.

    >>> from collabgraph.model import District
    >>> workbook_to_mapping(Workbook(district=District(id="d", name="D")))
    {'format': 'collabgraph/1', 'district': {'id': 'd', 'name': 'D'}}
    """
    out: dict[str, Any] = {"format": FORMAT}
    for name in SECTIONS:
        if name == "district":
            out[name] = wb.district.model_dump(mode="json", exclude_defaults=True)
            continue
        rows = getattr(wb, name)
        if rows:
            out[name] = [row.model_dump(mode="json", exclude_defaults=True) for row in rows]
    return out


def dump_yaml(wb: Workbook) -> str:
    """The workbook as YAML text (UTF-8 safe, key order kept)."""
    return yaml.safe_dump(workbook_to_mapping(wb), sort_keys=False, allow_unicode=True, width=100)


def dump_json(wb: Workbook) -> str:
    """The workbook as indented JSON text."""
    return json.dumps(workbook_to_mapping(wb), ensure_ascii=False, indent=2) + "\n"
