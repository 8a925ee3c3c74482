"""The researchers' read-only query path: named queries and guarded ad-hoc Cypher.

Two layers keep this path read-only on both engines:

1. the engine's own read-only mode (``GRAPH.RO_QUERY`` on FalkorDB, a read
   transaction on Neo4j — which is only a routing hint, so production Neo4j
   deployments should give researchers a read-only user, see ``docs/research.md``);
2. :func:`check_query`, which rejects what those modes let through: ``LOAD CSV``
   (it reads local files and opens outbound connections even in read-only
   mode), procedure calls not on an allowlist, write clauses, and control
   characters (a NUL silently cuts a FalkorDB query short). Parameters must be
   plain JSON values with finite numbers (:func:`check_params`).

Examples
--------
>>> check_query("MATCH (p:Person) RETURN count(p) AS n")
>>> check_query("match (n) detach delete n")
Traceback (most recent call last):
...
collabgraph.research.QueryRejected: the query contains DELETE, which writes or changes ...
>>> check_query("RETURN 1 // LOAD CSV FROM 'file:///etc/passwd' AS x")
Traceback (most recent call last):
...
collabgraph.research.QueryRejected: LOAD CSV is not allowed: ...
"""

from __future__ import annotations

import functools
import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from pydantic import BaseModel, Field

from collabgraph.cypher import cypher_dir
from collabgraph.errors import CollabGraphError
from collabgraph.safety.cypher import (
    CypherSyntaxError,
    Token,
    check_ranges,
    function_names,
    procedure_names,
    tokenize,
)

__all__ = [
    "NamedQuery",
    "QueryBusy",
    "QueryParam",
    "QueryRejected",
    "QueryResult",
    "QueryTimeout",
    "check_params",
    "check_query",
    "code_only",
    "named_queries",
]

#: Clauses that write or change the schema.
WRITE_WORDS: Final = (
    "CREATE",
    "MERGE",
    "SET",
    "DELETE",
    "DETACH",
    "REMOVE",
    "DROP",
    "FOREACH",
    "LOAD",
    "PERIODIC",
    "TRANSACTIONS",
    "GRANT",
    "DENY",
    "REVOKE",
    "ALTER",
    "RENAME",
    "START",
    "STOP",
    "TERMINATE",
    "USE",
    "FINISH",
)

#: Procedures a researcher may CALL: the read-only catalogue procedures, as documented.
ALLOWED_PROCEDURE_NAMES: Final = (
    "db.labels",
    "db.relationshipTypes",
    "db.propertyKeys",
    "db.indexes",
    "db.constraints",
    "db.schema.visualization",
    "db.schema.nodeTypeProperties",
    "db.schema.relTypeProperties",
)
ALLOWED_PROCEDURES: Final = frozenset(n.lower() for n in ALLOWED_PROCEDURE_NAMES)

#: Function namespaces a query may use (built-in temporal and spatial functions).
ALLOWED_NAMESPACES: Final = frozenset(
    {
        "date",
        "datetime",
        "localdatetime",
        "localtime",
        "time",
        "duration",
        "point",
        "vector",
    }
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PARAM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
MAX_QUERY_CHARS: Final = 20_000


class QueryRejected(CollabGraphError):
    """A query or its parameters are not allowed on the read-only path."""


class QueryTimeout(CollabGraphError):
    """A query ran past its time limit and was stopped."""


class QueryBusy(CollabGraphError):
    """Too many queries are running; this one was not started (try again shortly)."""


def code_only(text: str) -> str:
    """The query with comments and string literals blanked out (quoted names kept).

    >>> code_only("RETURN 'CREATE' /* SET */ AS x // DELETE")
    "RETURN '      '           AS x         "

    Raises
    ------
    QueryRejected
        For an unterminated string, quoted name or comment.
    """
    out = [" " if c not in "\n" else c for c in text]
    for tok in _tokens(text):
        if tok.kind == "string":
            out[tok.start : tok.end] = tok.text[0] + " " * (len(tok.text) - 2) + tok.text[-1]
        else:
            out[tok.start : tok.end] = tok.text
    return "".join(out)


def _tokens(text: str) -> list[Token]:
    try:
        return tokenize(text)
    except CypherSyntaxError as exc:
        raise QueryRejected(str(exc)) from exc


def check_query(text: str, params: Mapping[str, Any] | None = None) -> None:
    """Reject anything that could write, reach outside the database or run unbounded.

    The text is split into tokens the way the engine reads it (comments, strings,
    backtick-quoted names), so a procedure is judged by the name the engine runs,
    however it is quoted.

    Parameters
    ----------
    text : str
        The query.
    params : mapping, optional
        Its parameters; a ``range()`` bound given as a parameter is checked by value.

    Raises
    ------
    QueryRejected
        With the reason in plain words.

    Examples
    --------
    >>> check_query("CALL db.labels() YIELD label RETURN label")
    >>> check_query("CALL `db`.`labels`()")
    >>> check_query("CALL `algo.pageRank`('Person', 'TIE')")
    Traceback (most recent call last):
    ...
    collabgraph.research.QueryRejected: the procedure 'algo.pageRank' is not on the allowlist ...
    """
    if not text.strip():
        raise QueryRejected("the query is empty")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryRejected(f"the query is longer than {MAX_QUERY_CHARS} characters")
    bad = _CONTROL.search(text)
    if bad:
        raise QueryRejected(
            f"the query contains a control character (code {ord(bad.group())}) at position "
            f"{bad.start()}"
        )
    # LOAD CSV is refused wherever the words appear, even in a comment or string.
    if re.search(r"\bLOAD\s+CSV\b", text, re.IGNORECASE):
        raise QueryRejected("LOAD CSV is not allowed: it reads files and opens network connections")
    tokens = _tokens(text)
    # Write words are refused anywhere, even inside a comment, a string or a quoted
    # name: no reading of quotes can then disagree with the engine's. Text values
    # belong in parameters.
    words = {w.upper() for w in _WORD.findall(text)}
    for word in WRITE_WORDS:
        if word in words:
            raise QueryRejected(
                f"the query contains {word}, which writes or changes the database; this path "
                "is read-only (a text value with that word can be passed as a parameter)"
            )
    semis = [t for t in tokens if t.text == ";"]
    if semis and (len(semis) > 1 or semis[0] is not tokens[-1]):
        raise QueryRejected(
            f"the query holds more than one statement (a ';' at position {semis[0].start}); "
            "send one statement at a time"
        )
    for name, at in procedure_names(tokens):
        if name.lower() not in ALLOWED_PROCEDURES:
            raise QueryRejected(
                f"the procedure {name!r} is not on the allowlist ("
                + ", ".join(sorted(ALLOWED_PROCEDURE_NAMES))
                + f"); found at position {at}"
            )
    for name, at in function_names(tokens):
        if "." in name and name.split(".", 1)[0].lower() not in ALLOWED_NAMESPACES:
            raise QueryRejected(
                f"the function '{name}' (at position {at}) is not allowed; only built-in "
                "functions may be called"
            )
    why = check_ranges(tokens, params or {})
    if why:
        raise QueryRejected(why)


def _check_value(value: Any, where: str, depth: int = 0) -> None:
    if depth > 5:
        raise QueryRejected(f"parameter {where} is nested too deeply")
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise QueryRejected(f"parameter {where} must be a finite number")
        return
    if isinstance(value, str):
        bad = _CONTROL.search(value)
        if bad:
            raise QueryRejected(
                f"parameter {where} contains a control character (code {ord(bad.group())})"
            )
        return
    if isinstance(value, list):
        if len(value) > 10_000:
            raise QueryRejected(f"parameter {where} has more than 10000 items")
        for i, item in enumerate(value):
            _check_value(item, f"{where}[{i}]", depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not _PARAM_NAME.match(key):
                raise QueryRejected(f"parameter {where} has a key that is not a plain name")
            _check_value(item, f"{where}.{key}", depth + 1)
        return
    raise QueryRejected(
        f"parameter {where} must be text, a number, true/false, null, a list or a mapping"
    )


def check_params(params: Mapping[str, Any]) -> None:
    """Parameters must be plain JSON values: finite numbers, no control characters.

    >>> check_params({"school": "lincoln-es", "min": 0.5})
    >>> check_params({"x": float("nan")})
    Traceback (most recent call last):
    ...
    collabgraph.research.QueryRejected: parameter $x must be a finite number
    """
    for key, value in params.items():
        if not isinstance(key, str) or not _PARAM_NAME.match(key):
            raise QueryRejected(f"parameter name {key!r} is not a plain name")
        _check_value(value, f"${key}")


class QueryResult(BaseModel):
    """Rows of a read-only query, cut at the row limit."""

    columns: list[str]
    rows: list[dict[str, Any]]
    row_count: int
    truncated: bool = Field(description="More rows existed than the row limit allowed.")
    elapsed_ms: float


class QueryParam(BaseModel):
    """A typed parameter of a named query."""

    name: str
    type: str
    default: Any = None
    description: str = ""


class NamedQuery(BaseModel):
    """A query shipped in ``cypher/queries/``."""

    name: str
    description: str
    scope: str = Field(description="'district' (one district) or 'all' (every district)")
    params: list[QueryParam] = Field(default_factory=list)
    text: str = Field(exclude=True)


_TYPES: Final = {"string": str, "integer": int, "float": float, "boolean": bool}


def _parse_named(name: str, text: str) -> NamedQuery:
    description: list[str] = []
    scope = "district"
    params: list[QueryParam] = []
    for line in text.splitlines():
        if not line.startswith("//"):
            continue
        body = line[2:].strip()
        if body.startswith("scope:"):
            scope = body.split(":", 1)[1].strip()
        elif body.startswith("param "):
            head, _, desc = body[6:].partition(":")
            parts = head.split()
            default: Any = None
            if len(parts) == 3:
                default = (
                    _TYPES[parts[1]](parts[2]) if parts[1] != "boolean" else (parts[2] == "true")
                )
            params.append(
                QueryParam(name=parts[0], type=parts[1], default=default, description=desc.strip())
            )
        elif body:
            description.append(body)
    return NamedQuery(
        name=name, description=" ".join(description), scope=scope, params=params, text=text
    )


@functools.cache
def named_queries() -> dict[str, NamedQuery]:
    """The named queries shipped in ``cypher/queries/``, by name."""
    folder = cypher_dir() / "queries"
    return {
        path.stem: _parse_named(path.stem, path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.cypher"))
    }


def bind_params(query: NamedQuery, given: Mapping[str, Any]) -> dict[str, Any]:
    """Check and complete the parameters of a named query (types, unknown names, defaults)."""
    known = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise QueryRejected(
            f"unknown parameter(s) for {query.name}: {', '.join(unknown)}; "
            f"it takes: {', '.join(known) or 'none'}"
        )
    out: dict[str, Any] = {}
    for name, param in known.items():
        value = given.get(name, param.default)
        want = _TYPES[param.type]
        if (
            value is not None
            and not (isinstance(value, want) and not (want is not bool and isinstance(value, bool)))
            and not (want is float and isinstance(value, int) and not isinstance(value, bool))
        ):
            raise QueryRejected(f"parameter ${name} must be of type {param.type}")
        out[name] = value
    check_params(out)
    return out


@dataclass
class Timer:
    """Milliseconds since creation."""

    start: float = field(default_factory=time.perf_counter)

    def ms(self) -> float:
        """Elapsed milliseconds."""
        return round((time.perf_counter() - self.start) * 1000, 3)
