"""CSV formula neutralization, as OWASP recommends, and its exact undo on reading.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some, a tab or a carriage return) as a formula: ``=HYPERLINK(...)`` or
``=cmd|' /C calc'!A0`` in a name would act when a leader opens an export.
Every CSV collabgraph writes passes its cells through :func:`neutralize`, which
puts a ``'`` in front of such a cell (spreadsheets show the text, not a
formula); plain numbers such as ``-2`` or ``+1.5`` are left alone. Reading a
CSV workbook undoes it with :func:`restore`, so a round trip gives the text back.

A cell that already starts with ``'`` followed by something neutralized is
quoted once more, so :func:`restore` is an exact inverse.

Examples
--------
>>> neutralize("=HYPERLINK(\\"http://x\\")"), neutralize("-2"), neutralize("Ana")
('\\'=HYPERLINK("http://x")', '-2', 'Ana')
>>> all(restore(neutralize(s)) == s for s in ("=1+1", "'=1", "''@x", "-1+cmd", "'plain", "@"))
True
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["TRIGGERS", "neutralize", "restore"]

#: First characters a spreadsheet may take as the start of a formula.
TRIGGERS: Final = frozenset({"=", "+", "-", "@", "\t", "\r"})

_NUMBER: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _needs_guard(text: str) -> bool:
    i = 0
    while i < len(text) and text[i] == "'":
        i += 1
    rest = text[i:]
    return bool(rest) and rest[0] in TRIGGERS and _NUMBER.fullmatch(rest) is None


def neutralize(text: str) -> str:
    """The cell as a spreadsheet will show it as text, never run it as a formula."""
    return "'" + text if _needs_guard(text) else text


def restore(text: str) -> str:
    """Undo :func:`neutralize` (a cell it did not change is returned as it is)."""
    if text.startswith("'") and _needs_guard(text[1:]):
        return text[1:]
    return text
