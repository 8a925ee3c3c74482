"""Researchers' commands: ``collabgraph query`` and ``collabgraph queries``.

They run over the same read-only path as the API's ``/queries`` endpoints
(:mod:`collabgraph.querying`): the same guard, the same engine read-only mode,
the same time and row limits (``COLLABGRAPH_QUERY_TIMEOUT_MS``,
``COLLABGRAPH_QUERY_MAX_ROWS``).
"""

from __future__ import annotations

import csv
import json
import sys
from typing import Annotated, Any

import typer
from rich.markup import escape

from collabgraph.cli import audit_trail
from collabgraph.cli.app import command, console, print_json
from collabgraph.cli.store_cmds import StoreOpt
from collabgraph.research import NamedQuery, QueryRejected, QueryResult, named_queries
from collabgraph.safety.cells import neutralize
from collabgraph.store import Store, StoreSettings, open_store
from collabgraph.text_tables import FittedTable

__all__ = ["parse_params", "queries", "query"]


def _typed(query: NamedQuery | None, name: str, text: str) -> Any:
    """A ``--param`` value: by the named query's declared type, else JSON if it parses."""
    declared = {p.name: p.type for p in query.params} if query else {}
    kind = declared.get(name)
    if kind == "string":
        return text
    try:
        return json.loads(text)
    except ValueError:
        if kind is not None:
            raise QueryRejected(f"parameter ${name} must be of type {kind}, got {text!r}") from None
        return text


def parse_params(given: list[str], query: NamedQuery | None = None) -> dict[str, Any]:
    """``["k=v", ...]`` as parameters.

    For a named query each value takes the parameter's declared type; for ad-hoc
    Cypher a value that reads as JSON (``3``, ``0.5``, ``true``, ``null``,
    ``["a","b"]``) is that value and anything else is text; quote a number to
    pass it as text (``wave='"2024"'``).

    >>> parse_params(["school=lincoln-es", "min=0.5", 'wave="2024"'])
    {'school': 'lincoln-es', 'min': 0.5, 'wave': '2024'}

    Raises
    ------
    QueryRejected
        For an item without ``=``, or a value that does not fit its declared type.
    """
    out: dict[str, Any] = {}
    for item in given:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise QueryRejected(f"--param takes name=value, got {item!r}")
        out[name.strip()] = _typed(query, name.strip(), text)
    return out


def _store(choice: str | None) -> Store:
    return open_store(StoreSettings.from_env(choice))


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _emit(result: QueryResult, *, as_json: bool, as_csv: bool) -> None:
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    if as_csv:
        out = csv.writer(sys.stdout, lineterminator="\n")
        # Formula-looking cells are neutralized, as in every CSV collabgraph writes.
        out.writerow([neutralize(c) for c in result.columns])
        for row in result.rows:
            out.writerow([neutralize(_show(row.get(c))) for c in result.columns])
        return
    table = FittedTable(title_justify="left", show_lines=False)
    for column in result.columns:
        table.add_column(escape(column))
    for row in result.rows:
        table.add_row(*(escape(_show(row.get(c))) for c in result.columns))
    console.print(table)
    cut = " (cut at the row limit)" if result.truncated else ""
    console.print(f"{result.row_count} row{'s' if result.row_count != 1 else ''}{cut}")


TimeoutOpt = Annotated[
    int,
    typer.Option(
        "--timeout-ms",
        envvar="COLLABGRAPH_QUERY_TIMEOUT_MS",
        min=10,
        max=600_000,
        help="Stop the query after this many milliseconds.",
    ),
]
RowsOpt = Annotated[
    int,
    typer.Option(
        "--max-rows",
        envvar="COLLABGRAPH_QUERY_MAX_ROWS",
        min=1,
        max=1_000_000,
        help="Return at most this many rows (the rest are cut and flagged).",
    ),
]


@command()
def query(
    district: Annotated[
        str | None,
        typer.Argument(
            help="The district (optional for --named queries of scope 'all').", show_default=False
        ),
    ] = None,
    cypher: Annotated[
        str | None, typer.Argument(help="Read-only Cypher (not with --named).", show_default=False)
    ] = None,
    named: Annotated[
        str | None,
        typer.Option("--named", help="Run a named query instead (see: collabgraph queries)."),
    ] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="A query parameter, name=value (repeatable)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the rows as CSV.")] = False,
    timeout_ms: TimeoutOpt = 5000,
    max_rows: RowsOpt = 10_000,
    store: StoreOpt = None,
) -> None:
    """Run read-only Cypher, or a named query, against the store.

    \b
    collabgraph query abc-unified "MATCH (p:Person) RETURN count(p) AS people"
    collabgraph query abc-unified "MATCH (t:TIE) ..." --param wave=2024 --csv
    collabgraph query --named density_per_district
    collabgraph query --named tie_density_by_school abc-unified --json
    """
    if as_json and as_csv:
        raise QueryRejected("choose one of --json and --csv")
    if named is not None:
        if cypher is not None:
            raise QueryRejected("give either --named NAME or a Cypher query, not both")
        from collabgraph.querying import run_named

        spec = named_queries().get(named)
        params = parse_params(param or [], spec)
        db = _store(store)
        result = run_named(
            db,
            named,
            params,
            district=district,
            timeout_ms=timeout_ms,
            max_rows=max_rows,
        )
    else:
        if district is None or cypher is None:
            raise QueryRejected(
                'give a district and a Cypher query (collabgraph query DISTRICT "MATCH ..."), '
                "or --named NAME"
            )
        from collabgraph.querying import run_adhoc

        db = _store(store)
        result = run_adhoc(
            db,
            cypher,
            parse_params(param or []),
            district=district,
            timeout_ms=timeout_ms,
            max_rows=max_rows,
        )
    audit_trail.record(db, "query: cli query", district)
    _emit(result, as_json=as_json, as_csv=as_csv)


@command()
def queries(
    as_json: Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")] = False,
) -> None:
    """List the named queries: what each answers, its scope and its parameters."""
    listed = list(named_queries().values())
    if as_json:
        print_json([q.model_dump(mode="json") for q in listed])
        return
    table = FittedTable(
        title="Named queries (collabgraph query --named NAME [DISTRICT])", title_justify="left"
    )
    table.add_column("name")
    table.add_column("scope")
    table.add_column("parameters")
    table.add_column("what it answers")
    for q in listed:
        params = ", ".join(f"{p.name} ({p.type})" for p in q.params)
        table.add_row(escape(q.name), q.scope, escape(params), escape(q.description))
    console.print(table)
