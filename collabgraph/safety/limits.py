"""Limits on workbook files, checked before the expensive work starts.

========================================  ==============================================
``COLLABGRAPH_MAX_ROWS``                  rows in one workbook, all sections together
                                          (default 500,000)
``COLLABGRAPH_MAX_UNPACKED_MB``           what an ``.xlsx`` or a zip of CSV files may
                                          unpack to, and the size of a YAML/JSON file
                                          or CSV folder (default 256)
========================================  ==============================================

The checks read only what they must: a zip's declared member sizes (which
:mod:`zipfile` also enforces while it inflates), the line breaks of a CSV file,
the events of a YAML file (never the built value, which an alias can make
exponentially large), the brackets of a JSON file. Each failure is a
:class:`~collabgraph.errors.WorkbookError` naming the file and, where there is
one, the line.

Examples
--------
>>> limits = InputLimits(max_rows=10)
>>> scan_yaml("a: &x [1, 2]\\nb: *x\\n", "d.yaml", limits)
>>> check_json_depth('{"a": [[1]]}', "d.json", limits)
>>> load_json('{"a": [[1]]}', "d.json", limits)
{'a': [[1]]}
>>> scan_yaml("a: 1\\nb: \\x00\\n", "d.yaml", limits)
Traceback (most recent call last):
...
collabgraph.errors.WorkbookError: d.yaml: 1 problem found
  - d.yaml, line 2: the file holds a control character (code 0) in column 4; ...
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from collabgraph.errors import Location, Problem, WorkbookError

__all__ = [
    "DEFAULT_MAX_ROWS",
    "InputLimits",
    "check_csv_rows",
    "check_json_depth",
    "check_row_count",
    "check_size",
    "check_xlsx_rows",
    "check_zip",
    "load_json",
    "scan_yaml",
]

DEFAULT_MAX_ROWS: Final = 500_000
DEFAULT_MAX_UNPACKED_MB: Final = 256


@dataclass(frozen=True)
class InputLimits:
    """How large a workbook may be, in rows, bytes, nesting and alias expansion."""

    max_rows: int = DEFAULT_MAX_ROWS
    max_bytes: int = DEFAULT_MAX_UNPACKED_MB * 1024 * 1024
    #: Nesting of lists and mappings (a workbook needs about 5).
    max_depth: int = 32
    #: Values that YAML aliases may add on top of the values written out (or as many
    #: as are written out, when that is more: aliases may at most double a file).
    max_alias_values: int = 100_000
    #: Members of an ``.xlsx`` or a zip of CSV files.
    max_members: int = 200

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> InputLimits:
        """Limits from ``COLLABGRAPH_MAX_ROWS`` and ``COLLABGRAPH_MAX_UNPACKED_MB``.

        Raises
        ------
        WorkbookError
            For a setting that is not a positive whole number.

        >>> InputLimits.from_env({"COLLABGRAPH_MAX_ROWS": "1000"}).max_rows
        1000
        """
        env = os.environ if env is None else env

        def whole(name: str, default: int) -> int:
            raw = env.get(name, "").strip() or str(default)
            if not raw.isdigit() or int(raw) < 1:
                raise _error(
                    name, f"the setting {name} must be a positive whole number, not {raw!r}"
                )
            return int(raw)

        return cls(
            max_rows=whole("COLLABGRAPH_MAX_ROWS", DEFAULT_MAX_ROWS),
            max_bytes=whole("COLLABGRAPH_MAX_UNPACKED_MB", DEFAULT_MAX_UNPACKED_MB) * 1024 * 1024,
        )


def _error(
    source: str, message: str, line: int | None = None, code: str = "too_large"
) -> WorkbookError:
    return WorkbookError([Problem(Location(file=source, line=line), message, code)], source)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB"


def check_size(size: int, source: str, limits: InputLimits) -> None:
    """Refuse a file (or folder of files) larger than ``max_bytes``."""
    if size > limits.max_bytes:
        raise _error(
            source,
            f"the workbook is {_mb(size)}, more than the limit of {_mb(limits.max_bytes)} "
            "(COLLABGRAPH_MAX_UNPACKED_MB)",
        )


def check_row_count(count: int, source: str, limits: InputLimits, where: str = "") -> None:
    """Refuse a workbook with more than ``max_rows`` rows."""
    if count > limits.max_rows:
        raise _error(
            source,
            f"the workbook has more than {limits.max_rows:,} rows{where} "
            "(COLLABGRAPH_MAX_ROWS); split it or raise the limit",
        )


def check_csv_rows(data: bytes, source: str, limits: InputLimits, seen: int = 0) -> int:
    """Rows seen so far plus this CSV file's lines (an upper bound), checked against the limit.

    Counting line breaks is cheap and never undercounts rows, so no file is
    parsed before the limit is known to hold.

    >>> check_csv_rows(b"id,name\\na,A\\nb,B\\n", "s.csv", InputLimits(max_rows=5))
    2
    """
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
    total = seen + max(0, lines - 1)  # the header line is not a row
    check_row_count(total, source, limits)
    return total


def check_zip(archive: zipfile.ZipFile, source: str, limits: InputLimits) -> None:
    """Refuse a zip (or ``.xlsx``) by its member count and declared unpacked size.

    :mod:`zipfile` never inflates a member past its declared size (it fails on
    the checksum instead), so the declared sizes bound what reading it can produce.
    """
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise _error(
            source,
            f"the file holds {len(members):,} parts; at most {limits.max_members:,} are accepted",
        )
    total = sum(m.file_size for m in members)
    if total > limits.max_bytes:
        biggest = max(members, key=lambda m: m.file_size)
        raise _error(
            source,
            f"the file unpacks to {_mb(total)} ({biggest.filename} alone is "
            f"{_mb(biggest.file_size)}), more than the limit of {_mb(limits.max_bytes)} "
            "(COLLABGRAPH_MAX_UNPACKED_MB)",
        )


_ROW_TAG: Final = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


def check_xlsx_rows(package: zipfile.ZipFile, source: str, limits: InputLimits) -> None:
    """Refuse an ``.xlsx`` whose sheets hold more than ``max_rows`` rows, before parsing it.

    Counts the ``<row`` elements of every worksheet while inflating it in
    chunks (an upper bound: the instructions sheet and empty styled rows count too).
    """
    total = 0
    for info in package.infolist():
        name = info.filename
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        rows = 0
        tail = b""
        with package.open(info) as member:
            while chunk := member.read(1 << 20):
                buf = tail + chunk
                # A match wholly inside the kept tail was counted with the previous chunk.
                rows += sum(1 for m in _ROW_TAG.finditer(buf) if m.end() > len(tail))
                tail = buf[-16:]
                if total + rows - 1 > limits.max_rows:
                    check_row_count(total + rows - 1, source, limits, f" ({name})")
        total += max(0, rows - 1)  # a header row per sheet
    check_row_count(total, source, limits)


# --------------------------------------------------------------------------- YAML

#: Characters YAML does not allow in a stream (and a NUL that would cut a query short).
_YAML_BAD: Final = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def scan_yaml(text: str, source: str, limits: InputLimits) -> None:
    """Check a YAML text before it is built: characters, nesting and alias expansion.

    Walks the parser's events only, counting for every anchor how many values it
    stands for, so a few hundred bytes of nested aliases ("billion laughs") are
    refused at the alias that passes the limit, without expanding anything.
    Aliases may add ``max_alias_values`` values, or as many as the file writes
    out when that is more (merge keys in a long file).

    Raises
    ------
    WorkbookError
        At the line of the offending character, the too-deep value or the alias.
    """
    bad = _YAML_BAD.search(text)
    if bad:
        line, col = _line_col(text, bad.start())
        raise _error(
            source,
            f"the file holds a control character (code {ord(bad.group())}) in column {col}; "
            "remove it (only tabs and line breaks are allowed)",
            line,
            "bad_character",
        )
    if "&" not in text and not _may_nest_deeply(text, limits.max_depth):
        return  # no anchor, so no alias; nesting is shallow
    import yaml

    loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # [anchor, values so far]
    added = written = 0
    try:
        for parsed in yaml.parse(text, Loader=loader):
            event: Any = parsed
            kind = type(event).__name__
            if kind in ("SequenceStartEvent", "MappingStartEvent"):
                stack.append([event.anchor, 1])
                written += 1
                if len(stack) > limits.max_depth:
                    raise _error(
                        source,
                        f"the values are nested more than {limits.max_depth} levels deep here",
                        event.start_mark.line + 1,
                        "too_deep",
                    )
            elif kind in ("SequenceEndEvent", "MappingEndEvent"):
                anchor, count = stack.pop()
                if anchor is not None:
                    sizes[anchor] = count
                if stack:
                    stack[-1][1] += count
            elif kind == "ScalarEvent":
                written += 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
                if stack:
                    stack[-1][1] += 1
            elif kind == "AliasEvent":
                if any(frame[0] == event.anchor for frame in stack):
                    raise _error(
                        source,
                        f"the alias *{event.anchor} refers to the value it is inside of",
                        event.start_mark.line + 1,
                        "bad_structure",
                    )
                count = sizes.get(event.anchor, 1)
                added += count
                if stack:
                    stack[-1][1] += count
                budget = max(limits.max_alias_values, written)
                if added > budget:
                    raise _error(
                        source,
                        f"the alias *{event.anchor} makes the aliases in this file stand for "
                        f"more than {budget:,} values (anchors repeated inside each other); "
                        "write the rows out instead",
                        event.start_mark.line + 1,
                        "too_large",
                    )
    except yaml.YAMLError:
        return  # the real parse reports syntax errors with their place


def _may_nest_deeply(text: str, depth: int) -> bool:
    """Cheap test: could the text nest ``depth`` levels (by brackets or by indentation)?"""
    if text.count("[") + text.count("{") >= depth:
        return True
    return any(len(line) - len(line.lstrip(" -")) >= depth for line in text.splitlines())


# --------------------------------------------------------------------------- JSON

_JSON_TOKENS: Final = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def check_json_depth(text: str, source: str, limits: InputLimits) -> None:
    """Refuse JSON nested deeper than ``max_depth`` (a parser would recurse that deep).

    Raises
    ------
    WorkbookError
        At the line where the limit is passed.
    """
    if text.count("[") + text.count("{") < limits.max_depth:
        return
    depth = 0
    for m in _JSON_TOKENS.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            if depth > limits.max_depth:
                raise _error(
                    source,
                    f"the values are nested more than {limits.max_depth} levels deep here",
                    text.count("\n", 0, m.start()) + 1,
                    "too_deep",
                )
        elif c in "]}":
            depth -= 1


_CONTAINERS: Final = (dict, list)


def _nesting(value: Any, limit: int) -> int:
    """How deep lists and mappings nest in a value from ``json.loads`` (counting
    stops past ``limit``; the parser makes plain ``dict`` and ``list`` only).

    >>> _nesting({"a": [[1]], "b": "[[["}, 10), _nesting(5, 10)
    (3, 0)
    """
    level = [value] if type(value) in _CONTAINERS else []
    depth = 0
    while level and depth <= limit:
        depth += 1
        level = [
            inner
            for item in level
            for inner in (item.values() if type(item) is dict else item)
            if type(inner) in _CONTAINERS
        ]
    return depth


def load_json(text: str, source: str, limits: InputLimits) -> Any:
    """``json.loads`` of a workbook, refusing values nested deeper than ``max_depth``.

    The same check as :func:`check_json_depth` with the same located problem,
    at a fraction of the cost for a large file: CPython's JSON parser (C code) stops by
    itself with ``RecursionError`` long before its stack is at risk, so the
    text is parsed first and its nesting counted on the parsed value, level by
    level (1,000 schools: 0.04 s for parse and count against 0.17 s for the
    scan of every string for brackets alone). Only a document found too deep,
    or one that does not parse, is scanned, to name the line where the limit
    is passed.

    Raises
    ------
    WorkbookError
        Nested too deep.
    json.JSONDecodeError
        Not JSON (and not too deep before the error).
    """
    if text.count("[") + text.count("{") < limits.max_depth:
        return json.loads(text)
    try:
        value = json.loads(text)
    except RecursionError:
        check_json_depth(text, source, limits)
        raise _error(source, "the values are nested too deep to read", None, "too_deep") from None
    except json.JSONDecodeError:
        check_json_depth(text, source, limits)  # too deep before the syntax error: say that
        raise
    if _nesting(value, limits.max_depth) > limits.max_depth:
        check_json_depth(text, source, limits)
    return value


def count_rows(sections: Iterable[Any]) -> int:
    """Rows in the section lists of a parsed document (a section that is not a list counts 1)."""
    return sum(len(v) if isinstance(v, list) else 1 for v in sections)
