"""The researchers' read-only query path: named queries and guarded ad-hoc Cypher."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, ConfigDict, Field

from api.deps import PrincipalDep, QuerySlotsDep, SettingsDep, StoreDep
from api.shaping import query_target
from collabgraph.querying import run_adhoc, run_named
from collabgraph.research import NamedQuery, QueryResult, named_queries

__all__ = ["router"]

router = APIRouter(prefix="/queries", tags=["research"])


class QueryRun(BaseModel):
    """An ad-hoc read-only query."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "district": "abc-unified",
                    "query": "MATCH (a:Person)-[t:TIE]->(b:Person) RETURN a.name AS a, b.name AS b",
                    "params": {},
                    "timeout_ms": 2000,
                    "max_rows": 100,
                }
            ]
        },
    )

    district: str = Field(description="The district to query.")
    query: str = Field(max_length=20_000, description="Read-only Cypher.")
    params: dict[str, Any] = Field(default_factory=dict)
    timeout_ms: int | None = Field(default=None, ge=10, le=600_000)
    max_rows: int | None = Field(default=None, ge=1, le=1_000_000)


class NamedRun(BaseModel):
    """Parameters for a named query."""

    model_config = ConfigDict(extra="forbid")

    district: str | None = Field(default=None, description="Needed for district-scoped queries.")
    params: dict[str, Any] = Field(default_factory=dict)
    timeout_ms: int | None = Field(default=None, ge=10, le=600_000)
    max_rows: int | None = Field(default=None, ge=1, le=1_000_000)


def _limits(settings: Any, timeout_ms: int | None, max_rows: int | None) -> tuple[int, int]:
    return (
        min(timeout_ms or settings.query_timeout_ms, settings.query_timeout_ms),
        min(max_rows or settings.query_max_rows, settings.query_max_rows),
    )


@router.get("", summary="List the named queries", response_model=list[NamedQuery])
def list_queries() -> list[NamedQuery]:
    """Every query shipped in ``cypher/queries/`` with its description and typed parameters."""
    return list(named_queries().values())


@router.post("/run", summary="Run an ad-hoc read-only Cypher query", response_model=QueryResult)
def run_query(
    body: QueryRun,
    store: StoreDep,
    settings: SettingsDep,
    slots: QuerySlotsDep,
    principal: PrincipalDep,
) -> QueryResult:
    """Writes, ``LOAD CSV``, procedures off the allowlist, unbounded ``range()`` calls and
    control characters are refused (400); a query past its time limit is stopped (504);
    rows past the limit are never built and the answer is flagged ``truncated``; when
    ``COLLABGRAPH_QUERY_CONCURRENCY`` queries are already running and none finishes
    within ``COLLABGRAPH_QUERY_WAIT_MS``, the answer is 429 with ``Retry-After``.
    A researcher's query runs on the district's de-identified projection, never on the
    named graph."""
    timeout, rows = _limits(settings, body.timeout_ms, body.max_rows)
    with slots.turn():
        return run_adhoc(
            store,
            body.query,
            body.params,
            district=body.district,
            timeout_ms=timeout,
            max_rows=rows,
            target=lambda d: query_target(principal, store, d),
        )


@router.post("/{name}", summary="Run a named query", response_model=QueryResult)
def run_named_query(
    name: str,
    store: StoreDep,
    settings: SettingsDep,
    slots: QuerySlotsDep,
    principal: PrincipalDep,
    body: Annotated[NamedRun | None, Body()] = None,
) -> QueryResult:
    """Run one of the shipped queries; ``scope: all`` queries run over every district the
    account may see, or over the one given (a researcher's over de-identified projections)."""
    run = body or NamedRun()
    timeout, limit = _limits(settings, run.timeout_ms, run.max_rows)
    with slots.turn():
        return run_named(
            store,
            name,
            run.params,
            district=run.district,
            timeout_ms=timeout,
            max_rows=limit,
            target=lambda d: query_target(principal, store, d),
        )
