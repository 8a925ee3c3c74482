"""Run researchers' queries: named ones and ad-hoc Cypher, the same way for the CLI and API.

Every query goes through :func:`collabgraph.research.check_query` (or is a
shipped named query) and then :func:`collabgraph.store.readonly.run_readonly`,
the read-only path with a time limit and a row limit.

Both take ``target``, which maps a district to the graph the query runs on (the
API sends a researcher's queries to the district's de-identified projection,
:mod:`collabgraph.access.research`); by default, the district itself.

A named query's ``scope`` says what it answers for: ``district`` queries need
a district; ``all`` queries run over every district, or over the one given
(their text filters on ``$district``, which is ``null`` over all of them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from collabgraph.research import (
    QueryRejected,
    QueryResult,
    bind_params,
    check_params,
    check_query,
    named_queries,
)
from collabgraph.store.base import Store, UnknownDistrict
from collabgraph.store.readonly import run_readonly

__all__ = ["UnknownQuery", "run_adhoc", "run_named"]


class UnknownQuery(QueryRejected):
    """No named query has that name."""


def _same(district: str) -> str:
    return district


def run_adhoc(
    store: Store,
    text: str,
    params: Mapping[str, Any],
    *,
    district: str,
    timeout_ms: int,
    max_rows: int,
    target: Callable[[str], str] = _same,
) -> QueryResult:
    """Check an ad-hoc query and its parameters, then run it read-only on one district.

    Raises
    ------
    QueryRejected
        When the text or a parameter is not allowed (see :func:`check_query`).
    """
    check_params(params)
    check_query(text, params)  # range() bounds given as parameters are checked by value
    return run_readonly(
        store, text, params, district=target(district), timeout_ms=timeout_ms, max_rows=max_rows
    )


def run_named(
    store: Store,
    name: str,
    params: Mapping[str, Any],
    *,
    district: str | None,
    timeout_ms: int,
    max_rows: int,
    target: Callable[[str], str] = _same,
) -> QueryResult:
    """Run one of the shipped queries, for one district or (scope ``all``) for every one.

    Raises
    ------
    UnknownQuery
        When there is no named query ``name``.
    QueryRejected
        For a bad parameter, or a district-scoped query without a district.
    UnknownDistrict
        When ``district`` is not in the store.
    """
    query = named_queries().get(name)
    if query is None:
        known = ", ".join(sorted(named_queries()))
        raise UnknownQuery(f"no named query {name!r}; the named queries are: {known}")
    if "district" in params:
        raise QueryRejected("give the district on its own, not as a parameter")
    bound = bind_params(query, params)
    if district is not None and not store.has_district(district):
        raise UnknownDistrict(district, store.list_districts())
    if query.scope != "all":
        if district is None:
            raise QueryRejected(f"the query {name!r} works on one district: give the district")
        return run_readonly(
            store,
            query.text,
            {**bound, "district": district},
            district=target(district),
            timeout_ms=timeout_ms,
            max_rows=max_rows,
        )
    if store.kind == "neo4j":
        targets: list[str] = [target(district or "")]  # one database holds every district
    else:
        chosen = [district] if district is not None else store.list_districts()
        targets = [target(d) for d in chosen]
    results = [
        run_readonly(
            store,
            query.text,
            {**bound, "district": district},
            district=target,
            timeout_ms=timeout_ms,
            max_rows=max_rows,
        )
        for target in targets
    ]
    rows = [r for res in results for r in res.rows][:max_rows]
    total = sum(res.row_count for res in results)
    return QueryResult(
        columns=results[0].columns if results else [],
        rows=rows,
        row_count=len(rows),
        truncated=total > max_rows or any(r.truncated for r in results),
        elapsed_ms=sum(r.elapsed_ms for r in results),
    )
