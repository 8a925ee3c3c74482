"""Run researchers' queries read-only, with a time limit and a row limit, on either engine.

The query text must already have passed :func:`collabgraph.research.check_query`.
FalkorDB runs it with ``GRAPH.RO_QUERY`` against one district's graph, with a
``LIMIT`` of one row past the cap put on every top-level ``RETURN``
(:func:`collabgraph.safety.cypher.cap_rows`) so neither the engine nor this
process ever holds more rows than the caller may see, on a connection of its
own that stops waiting one second after the time limit. A query the engine
still runs then (FalkorDB does not time every operation: a string doubled in a
loop grows unchecked) is ended by shutting the embedded server down cleanly
and starting it again; so is a query while which the server's resident memory
grows by more than the query memory capacity plus 256 MB (sampled every 20 ms). Neo4j runs it in a
read transaction with a transaction timeout and its rows are streamed, stopping
at the cap (there, all districts share one database: filter on the nodes'
``district`` property).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

from collabgraph.research import QueryBusy, QueryRejected, QueryResult, QueryTimeout, Timer
from collabgraph.safety.cypher import CypherSyntaxError, cap_rows
from collabgraph.safety.watch import MemoryWatch
from collabgraph.store.base import Store, StoreError, StoreUnavailable, UnknownDistrict

__all__ = ["run_readonly"]

log = logging.getLogger("collabgraph.readonly")
_restarting = threading.Lock()


def _plain(value: Any) -> Any:
    """Rows as JSON-able values: nodes and relationships become their properties."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    props = getattr(value, "properties", None)
    if isinstance(props, dict):
        return {str(k): _plain(v) for k, v in props.items()}
    items = getattr(value, "items", None)
    if callable(items):
        return {str(k): _plain(v) for k, v in items()}
    return str(value)


def _socket_path(store: Any) -> str | None:
    kwargs = store.r.connection_pool.connection_kwargs
    path = kwargs.get("path")
    return str(path) if path else None


def _runaway(path: str | None, key: str, text: str, timeout_ms: int) -> bool:
    """Whether the server is still running this query past its limit (and is otherwise free).

    ``GRAPH.INFO`` lists the running queries with their text and duration. A
    server whose main thread does not answer within two seconds is busy with
    something else (a bulk load), and is left alone.
    """
    import redis

    if path is None:
        return False
    probe = redis.Redis(unix_socket_path=path, socket_timeout=2)
    try:
        reply = probe.execute_command("GRAPH.INFO", "RunningQueries")  # type: ignore[no-untyped-call]
    except (redis.RedisError, OSError):
        return False
    finally:
        probe.close()
    for entry in reply[1] if len(reply) > 1 else []:
        fields = dict(zip(entry[::2], entry[1::2], strict=False))
        name = fields.get(b"Graph name", fields.get("Graph name"))
        query = fields.get(b"Query", fields.get("Query"))
        took = fields.get(b"Execution duration", fields.get("Execution duration"))
        name = name.decode() if isinstance(name, bytes) else name
        query = query.decode(errors="replace") if isinstance(query, bytes) else query
        if name == key and isinstance(query, str) and query.endswith(text):
            try:
                return float(str(took)) > timeout_ms
            except (TypeError, ValueError):
                return True
    return False


def _restart(store: Any) -> None:
    """Stop a query the engine does not stop: shut the embedded server down and start it.

    ``SHUTDOWN`` runs on the server's main thread while the query runs on a worker,
    so it is answered at once, the append-only file is flushed (nothing written is
    lost) and the runaway query ends with the process.
    """
    server = getattr(store, "server", None)
    if server is None:
        return
    with _restarting:  # two watched queries may trip at once: one restart at a time
        log.warning("a query outran its time or memory limit; restarting the store")
        try:
            server.stop(timeout=30)
            server.ensure_running()
        except StoreUnavailable:
            log.exception("the embedded store did not start again; the next request retries")


def _falkor(
    store: Any, text: str, params: Mapping[str, Any], district: str, timeout_ms: int, max_rows: int
) -> QueryResult:
    import redis
    from falkordb import FalkorDB

    from collabgraph.store.falkor import graph_key

    if not store.has_district(district):
        raise UnknownDistrict(district, store.list_districts())
    try:
        # One row past the cap tells whether the answer was cut; the engine builds no more.
        bounded = cap_rows(text, params, max_rows + 1)
    except CypherSyntaxError as exc:
        raise QueryRejected(str(exc)) from exc
    # A connection of its own whose reads give up one second after the query's limit:
    # parts of a query the engine does not time (building a list, sending the rows)
    # cannot keep the caller waiting past it.
    path = _socket_path(store)
    wait = timeout_ms / 1000 + 1.0
    db = FalkorDB(unix_socket_path=path, socket_timeout=wait) if path else store.db
    server = getattr(store, "server", None)
    budget = (server.limits.query_memory_mb + 256) * 1024 * 1024 if server else 0
    watch = MemoryWatch(
        server.pid() if server else None, budget=budget, on_exceed=lambda: _restart(store)
    )
    timer = Timer()
    try:
        with watch:
            result = db.select_graph(graph_key(district)).ro_query(
                bounded, dict(params), timeout=timeout_ms
            )
    except redis.TimeoutError as exc:
        if _runaway(path, graph_key(district), bounded, timeout_ms):
            _restart(store)
            raise QueryTimeout(
                f"the query ran past its limit of {timeout_ms} ms and the store could not "
                "stop it, so the embedded store was restarted (its data is kept)"
            ) from exc
        raise QueryTimeout(
            f"the query ran past its limit of {timeout_ms} ms; the store is busy, try again"
        ) from exc
    except (redis.ConnectionError, ConnectionError) as exc:
        if watch.tripped:
            raise QueryRejected(
                f"the store grew by more than {budget // (1024 * 1024)} MB while the query ran "
                "(COLLABGRAPH_QUERY_MEMORY_MB + 256), so the query was stopped by restarting "
                "the embedded store (its data is kept); narrow the query down"
            ) from exc
        if server is not None and not server.is_running():
            raise StoreUnavailable(
                "the query needed more memory than the embedded store may use "
                "(COLLABGRAPH_STORE_MEMORY_MB) and the store stopped; it starts again with "
                "the next request, with its data"
            ) from exc
        raise StoreUnavailable(f"lost the embedded store while querying: {exc}") from exc
    except redis.ResponseError as exc:
        message = str(exc)
        lowered = message.lower()
        if "timed out" in lowered or "timeout" in lowered:
            raise QueryTimeout(
                f"the query ran past its limit of {timeout_ms} ms and was stopped"
            ) from exc
        if "mem consumption" in lowered or "maxmemory" in lowered:
            raise QueryRejected(
                "the query needs more memory than one query may use; narrow it down or aggregate"
            ) from exc
        if "max pending queries" in lowered:
            raise QueryBusy("the store is busy with other queries; try again in a moment") from exc
        raise QueryRejected(f"the store refused the query: {message}") from exc
    finally:
        if db is not store.db:
            db.connection.close()
    columns = [str(h[1]) for h in result.header]
    rows = [
        dict(zip(columns, (_plain(v) for v in row), strict=True))
        for row in result.result_set[:max_rows]
    ]
    return QueryResult(
        columns=columns,
        rows=rows,
        row_count=len(rows),
        truncated=len(result.result_set) > max_rows,
        elapsed_ms=timer.ms(),
    )


def _neo4j(
    store: Any, text: str, params: Mapping[str, Any], timeout_ms: int, max_rows: int
) -> QueryResult:
    import neo4j
    import neo4j.exceptions as nx4

    timer = Timer()

    def work(tx: neo4j.ManagedTransaction) -> tuple[list[str], list[dict[str, Any]], bool]:
        result = tx.run(neo4j.Query(text, timeout=timeout_ms / 1000), dict(params))  # type: ignore[arg-type]
        columns = list(result.keys())
        rows: list[dict[str, Any]] = []
        for record in result:
            if len(rows) >= max_rows:
                return columns, rows, True
            rows.append({k: _plain(record[k]) for k in columns})
        return columns, rows, False

    try:
        session = store._session()
        with session:
            columns, rows, truncated = session.execute_read(work)
    except nx4.ClientError as exc:
        code = exc.code or ""
        if "Timeout" in code or "TransactionTimedOut" in code:
            raise QueryTimeout(
                f"the query ran past its limit of {timeout_ms} ms and was stopped"
            ) from exc
        raise QueryRejected(f"the store refused the query: {exc.message or code}") from exc
    except (nx4.ServiceUnavailable, nx4.SessionExpired, OSError) as exc:
        raise StoreUnavailable(f"cannot reach Neo4j while querying: {exc}") from exc
    except nx4.Neo4jError as exc:
        raise StoreError(f"Neo4j refused the query: {exc.message or exc.code}") from exc
    return QueryResult(
        columns=columns, rows=rows, row_count=len(rows), truncated=truncated, elapsed_ms=timer.ms()
    )


def run_readonly(
    store: Store,
    text: str,
    params: Mapping[str, Any],
    *,
    district: str,
    timeout_ms: int,
    max_rows: int,
) -> QueryResult:
    """Run a checked query read-only; rows past ``max_rows`` are cut and flagged.

    Raises
    ------
    QueryTimeout
        The query ran past ``timeout_ms`` and was stopped.
    QueryRejected
        The engine refused the query (a syntax error, or a write it caught).
    """
    if store.kind == "neo4j":
        return _neo4j(store, text, params, timeout_ms, max_rows)
    return _falkor(store, text, params, district, timeout_ms, max_rows)
