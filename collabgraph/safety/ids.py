"""One grammar for every id, and file names derived from ids that stay in their folder.

An id is what other rows refer to and what file names, URLs and store keys are
built from, so it is kept to plain characters: letters (any script), digits,
``_``, ``-`` and ``.``, starting with a letter, digit or ``_`` (so never ``.``,
``..`` or ``-x``), at most :data:`MAX_ID_LENGTH` characters. No ``/`` or ``\\``,
no spaces, no ``;`` (the list separator of spreadsheet cells).

Examples
--------
>>> [is_id(s) for s in ("abc-unified", "lincoln_es.2", "山田", "../x", ".hidden", "a/b", "-x")]
[True, True, True, False, False, False, False]
>>> inside(Path("/out"), "abc-unified.html")
PosixPath('/out/abc-unified.html')
>>> inside(Path("/out"), "../escaped.html")
Traceback (most recent call last):
...
collabgraph.safety.ids.UnsafeName: the file name '../escaped.html' would be written outside /out
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Final

from collabgraph.errors import CollabGraphError

__all__ = ["ID_PATTERN", "MAX_ID_LENGTH", "UnsafeName", "id_problem", "inside", "is_id"]

MAX_ID_LENGTH: Final = 200

#: The id grammar, for pydantic (Rust regex: ``\w`` is Unicode letters, digits and ``_``).
ID_PATTERN: Final = r"^\w[\w.\-]*$"

_ID_RE: Final = re.compile(r"\w[\w.\-]*")


class UnsafeName(CollabGraphError):
    """A file name derived from data would leave its output folder."""


def is_id(text: str) -> bool:
    """Whether ``text`` follows the id grammar."""
    return len(text) <= MAX_ID_LENGTH and _ID_RE.fullmatch(text) is not None


def id_problem(text: str) -> str:
    """Why ``text`` is not a valid id, in plain words (empty when it is one).

    >>> id_problem("../escaped-district")
    "'../escaped-district' is not a valid id: it starts with '.'; ids may hold letters, \
digits, '_', '-' and '.', and start with a letter, a digit or '_'"
    """
    if is_id(text):
        return ""
    if len(text) > MAX_ID_LENGTH:
        why = f"it is longer than {MAX_ID_LENGTH} characters"
    elif not text:
        why = "it is empty"
    elif text[0] in ".-":
        why = f"it starts with '{text[0]}'"
    else:
        bad = next((c for c in text if not (c.isalnum() or c in "_.-")), None)
        shown = {" ": "a space", "\t": "a tab", "/": "'/'", "\\": "'\\'", ";": "';'"}
        why = f"it contains {shown.get(bad, repr(bad)) if bad is not None else 'a mark'}"
    return (
        f"{text!r} is not a valid id: {why}; ids may hold letters, digits, '_', '-' and '.', "
        "and start with a letter, a digit or '_'"
    )


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refused unless it is a plain file name directly inside ``folder``.

    Raises
    ------
    UnsafeName
        For a name with a path separator, ``..``, a leading ``.`` or a NUL.
    """
    bad = (
        not name
        or name in (".", "..")
        or name.startswith(".")
        or "\x00" in name
        or "/" in name
        or (os.sep != "/" and os.sep in name)
        or "\\" in name
    )
    target = folder / name
    if bad or target.resolve().parent != folder.resolve():
        raise UnsafeName(f"the file name {name!r} would be written outside {folder}")
    return target
