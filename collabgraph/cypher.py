"""Every Cypher statement collabgraph runs, loaded by name from ``cypher/``.

Statements live in ``.cypher`` files, one statement per file, named
``verb_noun.cypher`` (``merge_schools``, ``read_nodes``, ...). Engine-specific
schema files hold several statements separated by ``;`` and live under
``cypher/schema/`` (``schema/neo4j``, ``schema/falkordb``). Values are always
passed as parameters, never formatted into the text.

The folder is found in the source checkout (``<repo>/cypher``) or, for an
installed wheel, in ``<prefix>/share/collabgraph/cypher`` where the wheel puts
it. ``COLLABGRAPH_CYPHER_DIR`` overrides both.

Examples
--------
>>> "MERGE (n:School" in statement("merge_schools")
True
>>> statement("merge_schools") is statement("merge_schools")  # cached
True
>>> schema_statements("falkordb")[0].startswith("CREATE INDEX")
True
"""

from __future__ import annotations

import functools
import os
import site
import sys
import sysconfig
from pathlib import Path
from typing import Final

from collabgraph.errors import CollabGraphError

__all__ = [
    "CypherError",
    "cypher_dir",
    "schema_statements",
    "statement",
    "statement_names",
]

#: Where the wheel installs the statements, relative to an installation prefix.
SHARE_PATH: Final = Path("share", "collabgraph", "cypher")


class CypherError(CollabGraphError):
    """A named Cypher statement is missing or its folder cannot be found."""


def _candidates() -> list[Path]:
    found: list[Path] = []
    override = os.environ.get("COLLABGRAPH_CYPHER_DIR")
    if override:
        return [Path(override)]
    found.append(Path(__file__).resolve().parent.parent / "cypher")
    prefixes = [sysconfig.get_path("data"), sys.prefix, sys.base_prefix, site.getuserbase()]
    found.extend(Path(p) / SHARE_PATH for p in prefixes if p)
    return found


@functools.cache
def cypher_dir() -> Path:
    """The folder holding the ``.cypher`` files.

    Raises
    ------
    CypherError
        When neither the checkout nor the installed location has it.
    """
    tried = _candidates()
    for path in tried:
        if (path / "schema").is_dir():
            return path
    raise CypherError(
        "cannot find collabgraph's Cypher statements; looked in "
        + ", ".join(str(p) for p in tried)
        + " (reinstall collabgraph, or set COLLABGRAPH_CYPHER_DIR)"
    )


def _strip_comments(text: str) -> str:
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    return "\n".join(lines).strip()


@functools.cache
def statement(name: str) -> str:
    """The text of one named statement, without comment lines (cached).

    Parameters
    ----------
    name : str
        The file name without ``.cypher``, e.g. ``"read_nodes"``.

    Raises
    ------
    CypherError
        When there is no such file, or it holds more than one statement.
    """
    path = cypher_dir() / f"{name}.cypher"
    try:
        text = _strip_comments(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CypherError(f"no Cypher statement named {name!r} (expected {path})") from None
    if not text or ";" in text.rstrip(";"):
        raise CypherError(f"{path} must hold exactly one statement")
    return text.rstrip(";").strip()


@functools.cache
def schema_statements(engine: str) -> tuple[str, ...]:
    """The schema statements (indexes, constraints) for ``"neo4j"`` or ``"falkordb"``."""
    path = cypher_dir() / "schema" / f"{engine}.cypher"
    try:
        text = _strip_comments(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CypherError(f"no schema file for engine {engine!r} (expected {path})") from None
    return tuple(part.strip() for part in text.split(";") if part.strip())


def statement_names() -> list[str]:
    """Names of every single-statement file, sorted.

    >>> "read_edges" in statement_names()
    True
    """
    return sorted(p.stem for p in cypher_dir().glob("*.cypher"))
