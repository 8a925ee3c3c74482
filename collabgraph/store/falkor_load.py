"""Whole-workbook loads on the embedded FalkorDB: built beside the live graph, swapped in.

A load of district ``d`` holds the district's lock file from start to end and:

1. a new district, or ``replace``: builds the complete graph in a staging key
   with ``GRAPH.BULK`` (:mod:`collabgraph.store.bulk`), then adds the indexes;
2. an upsert into an existing district: ``GRAPH.COPY`` of the live graph to the
   staging key, then the batched ``merge_*`` and ``prune_*`` statements on it;
3. ``RENAME`` s the staging graph over the live one and changes the revision
   token in one ``MULTI``, under ``WATCH`` of both, so a writer that took no
   lock is never overwritten.

The server's work and the client's overlap: the statements go to the server
from a worker thread, one after the other and in order, while this thread
turns the workbook into rows and encodes the next batch. An upsert starts the
copy first and builds the graph and its rows while the server copies. (On two
cores that is most of the client's time hidden behind the server's.) A
statement that fails stops the load: the ones queued after it are dropped, the
staging graph is deleted and the live graph is as it was.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Final

import redis

from collabgraph.cypher import schema_statements, statement
from collabgraph.graph import DistrictGraph, workbook_to_graph
from collabgraph.model import Workbook
from collabgraph.store.base import (
    Counts,
    LoadSummary,
    Progress,
    StoreError,
    StoreUnavailable,
    batched,
)
from collabgraph.store.bulk import bulk_commands
from collabgraph.store.embedded import MODULE_LIMITS
from collabgraph.store.keys import STAGING_PREFIX, VERSION_PREFIX, graph_key
from collabgraph.store.rows import StoreRows, bulk_rows, no_gc_pauses, store_rows
from collabgraph.store.specs import EDGE_SPECS

if TYPE_CHECKING:
    from collabgraph.store.falkor import FalkorStore

__all__ = [
    "STATS",
    "Sender",
    "add_stats",
    "apply_prunes",
    "apply_rows",
    "build_new",
    "load_workbook",
    "stale_prunes",
    "swap",
]

#: The write statistics a load adds up (FalkorDB's names, as in ``QueryResult``).
STATS: Final = (
    "nodes_created",
    "nodes_deleted",
    "relationships_created",
    "relationships_deleted",
    "properties_set",
)

#: Rows one query may return (the embedded server's RESULTSET_SIZE): more are cut silently.
RESULTSET_LIMIT: Final = int(MODULE_LIMITS["RESULTSET_SIZE"])

_STAT_LABELS: Final = {
    "Nodes created": "nodes_created",
    "Nodes deleted": "nodes_deleted",
    "Relationships created": "relationships_created",
    "Relationships deleted": "relationships_deleted",
    "Properties set": "properties_set",
}


def add_stats(stats: dict[str, int], reply: Any) -> None:
    """Add the statistics of one ``GRAPH.QUERY`` reply (its last element) to ``stats``.

    >>> stats = dict.fromkeys(STATS, 0)
    >>> add_stats(stats, [["Nodes created: 2", "Properties set: 6", "Query internal "
    ...                    "execution time: 0.1 milliseconds"]])
    >>> stats["nodes_created"], stats["properties_set"]
    (2, 6)
    """
    for line in reply[-1] if reply else ():
        text = line.decode() if isinstance(line, bytes) else str(line)
        label, _, value = text.partition(": ")
        name = _STAT_LABELS.get(label)
        if name is not None:
            stats[name] += int(float(value.split(" ")[0]))


class Sender:
    """Send commands to the server from one worker thread, in order, and collect replies.

    The caller keeps preparing the next command while the server runs the last
    one. :meth:`wait` returns the replies in order, and raises the first failure;
    whatever was queued after a failure is not sent.

    >>> calls = []
    >>> with Sender(lambda *args: calls.append(args) or len(calls)) as send:
    ...     send("PING")
    ...     send("ECHO", "x")
    ...     send.wait()
    [1, 2]
    """

    def __init__(self, execute: Callable[..., Any]) -> None:
        self._execute = execute
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="collabgraph-load")
        self._pending: list[tuple[Future[Any], Callable[[Any], None] | None]] = []
        self._failed = False

    def _run(self, args: tuple[Any, ...]) -> Any:
        if self._failed:  # an earlier command failed: send nothing more
            return None
        try:
            return self._execute(*args)
        except BaseException:
            self._failed = True
            raise

    def __call__(self, *args: Any, then: Callable[[Any], None] | None = None) -> None:
        """Queue one command; ``then`` is called with its reply by :meth:`wait`."""
        self._pending.append((self._pool.submit(self._run, args), then))

    def wait(self) -> list[Any]:
        """Every queued reply, in order (the first failure is raised)."""
        replies: list[Any] = []
        pending, self._pending = self._pending, []
        try:
            for future, then in pending:
                reply = future.result()
                if then is not None:
                    then(reply)
                replies.append(reply)
        except BaseException:
            self._failed = True
            for future, _ in pending:
                future.cancel()
            raise
        return replies

    def __enter__(self) -> Sender:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is not None:
            self._failed = True
        # Wait for the command the worker may be running: nothing is left in flight.
        self._pool.shutdown(wait=True, cancel_futures=True)


def _query(
    send: Sender,
    key: str,
    name: str,
    batch: list[dict[str, Any]],
    stats: dict[str, int],
    progress: Callable[[int], None] | None,
) -> None:
    def then(reply: Any) -> None:
        add_stats(stats, reply)
        if progress:
            progress(len(batch))

    text = _params_header({"rows": batch}) + statement(name)
    send("GRAPH.QUERY", key, text, "--compact", then=then)


def apply_rows(
    send: Sender,
    key: str,
    rows: StoreRows,
    stats: dict[str, int],
    progress: Progress | None,
    *,
    prune: bool,
    batch_size: int,
) -> None:
    """Queue every batch of ``rows`` on ``send``: nodes, then prunes, then relationships."""
    total = rows.total
    counted = (lambda n: progress(n, total)) if progress else None
    for name, node_rows in rows.nodes.items():
        for batch in batched(node_rows, batch_size):
            _query(send, key, name, batch, stats, counted)
    if prune:
        apply_prunes(send, key, rows, stats, batch_size=batch_size)
    for name, edge_rows in rows.edges.items():
        for batch in batched(edge_rows, batch_size):
            _query(send, key, name, batch, stats, counted)


def apply_prunes(
    send: Sender, key: str, rows: StoreRows, stats: dict[str, int], *, batch_size: int
) -> None:
    """Queue the ``prune_*`` batches of ``rows`` on ``send``.

    A prune removes only relationships whose far end the row no longer names,
    and the merges add only ones it does name, so the two may run in either order.
    """
    for name, prune_rows in rows.prunes.items():
        for batch in batched(prune_rows, batch_size):
            _query(send, key, name, batch, stats, None)


def _owned_specs() -> tuple[dict[tuple[str, str, str], str], dict[tuple[str, str], str]]:
    """(src label, type, dst label) -> prune statement for source-owned kinds, and
    (type, dst label) -> prune statement for target-owned ones (whose prune statement
    leaves the far end unlabelled)."""
    by_src = {(s.src, s.type, s.dst): s.prune_statement for s in EDGE_SPECS if s.owner == "src"}
    by_dst = {(s.type, s.dst): s.prune_statement for s in EDGE_SPECS if s.owner == "dst"}
    return by_src, by_dst


def _read_owned(store: FalkorStore, key: str) -> list[list[Any]]:
    """The relationships rows own in graph ``key`` (``read_owned_relationships``, verbose)."""
    types = sorted({s.type for s in EDGE_SPECS if s.owner is not None})
    text = _params_header({"types": types}) + statement("read_owned_relationships")
    rows: list[list[Any]] = store._cmd("GRAPH.RO_QUERY", key, text)[1]
    if len(rows) >= RESULTSET_LIMIT:
        raise StoreError(
            f"the district is too large to upsert (over {RESULTSET_LIMIT:,} owned "
            "relationships, the embedded server's RESULTSET_SIZE); load it with --replace"
        )
    return rows


def stale_prunes(
    prunes: dict[str, list[dict[str, Any]]], owned: Iterable[Sequence[Any]]
) -> dict[str, list[dict[str, Any]]]:
    """Keep the prune rows that would remove something.

    ``owned`` are the stored relationships rows own, as ``read_owned_relationships``
    returns them: ``(src label, src key, type, dst label, dst key)``. A prune row
    ``{owner, keep}`` removes the owner's relationships whose far end is not in
    ``keep``; when every stored one is, the row is dropped.

    >>> prunes = {"prune_person_at_school": [{"owner": "d;a", "keep": ["d;s1"]},
    ...                                      {"owner": "d;b", "keep": []},
    ...                                      {"owner": "d;c", "keep": ["d;s1"]}]}
    >>> owned = [("Person", "d;a", "AT", "School", "d;s1"),
    ...          ("Person", "d;b", "AT", "School", "d;s2"),
    ...          ("Person", "d;c", "AT", "School", "d;s2")]
    >>> [r["owner"] for r in stale_prunes(prunes, owned)["prune_person_at_school"]]
    ['d;b', 'd;c']
    """
    by_src, by_dst = _owned_specs()
    stored: dict[str, dict[str, set[str]]] = {}
    for src_label, src, type_, dst_label, dst in owned:
        name = by_src.get((src_label, type_, dst_label))
        if name is not None:
            stored.setdefault(name, {}).setdefault(src, set()).add(dst)
        name = by_dst.get((type_, dst_label))
        if name is not None:
            stored.setdefault(name, {}).setdefault(dst, set()).add(src)
    out: dict[str, list[dict[str, Any]]] = {}
    for name, rows in prunes.items():
        found = stored.get(name, {})
        kept = [r for r in rows if found.get(r["owner"], set()).difference(r["keep"])]
        if kept:
            out[name] = kept
    return out


def _params_header(params: dict[str, Any]) -> str:
    from falkordb.helpers import stringify_param_value

    return "CYPHER " + " ".join(f"{k}={stringify_param_value(v)}" for k, v in params.items()) + " "


def build_new(
    store: FalkorStore,
    key: str,
    g: DistrictGraph,
    stats: dict[str, int],
    progress: Progress | None,
) -> None:
    """Build a new graph ``key`` from ``g`` (``GRAPH.BULK``, or ``MERGE`` when bulk is off)."""
    with Sender(store._cmd) as send:
        if not store.bulk:
            for text in schema_statements("falkordb"):
                send("GRAPH.QUERY", key, text, "--compact")
            apply_rows(
                send, key, store_rows(g), stats, progress, prune=False, batch_size=store.batch_size
            )
            send.wait()
            return
        labels, types = bulk_rows(g)
        # (counted from the rows: a multigraph's number_of_edges walks every node)
        total = sum(len(rows) for rows in labels.values()) + sum(len(e) for _, e in types)
        for cmd in bulk_commands(labels, types):

            def then(reply: Any, rows: int = cmd.rows) -> None:
                created = [int(part.split(" ")[0]) for part in str(reply).split(", ")[:2]]
                stats["nodes_created"] += created[0]
                stats["relationships_created"] += created[1]
                if progress:
                    progress(rows, total)

            send("GRAPH.BULK", key, *cmd.args, then=then)
        for text in schema_statements("falkordb"):
            send("GRAPH.QUERY", key, text, "--compact")
        send.wait()


def swap(store: FalkorStore, staging: str, district: str, copied_from: Any) -> None:
    """Rename the staging graph over the live one, if nothing changed the district
    since the load started (a writer that took no lock); else refuse."""
    live, version_key = graph_key(district), VERSION_PREFIX + district
    with store.r.pipeline(transaction=True) as raw:
        pipe: Any = raw  # redis-py's pipeline methods are untyped
        try:
            pipe.watch(live, version_key)
            if pipe.get(version_key) != copied_from:
                raise redis.WatchError
            pipe.multi()
            pipe.rename(staging, live)
            pipe.set(version_key, uuid.uuid4().hex)
            pipe.execute()
        except redis.WatchError as exc:
            raise StoreError(
                f"district {district!r} changed while it was being loaded; it is as the "
                "other change left it: run the load again"
            ) from exc


@contextlib.contextmanager
def _dropped_on_failure(store: FalkorStore, staging: str, district: str) -> Iterator[None]:
    try:
        yield
    except StoreUnavailable as exc:
        raise StoreUnavailable(
            f"{exc}. District {district!r} is unchanged; run the same load again to complete it"
        ) from exc
    except BaseException:
        with contextlib.suppress(redis.RedisError, OSError):
            store.r.delete(staging)
        raise


def load_workbook(
    store: FalkorStore, wb: Workbook, *, replace: bool, progress: Progress | None
) -> LoadSummary:
    """Load a validated workbook into its district, all or nothing (see the module)."""
    started = time.perf_counter()
    district = wb.district.id
    live = graph_key(district)
    staging = f"{STAGING_PREFIX}{district}:{uuid.uuid4().hex}"
    stats = dict.fromkeys(STATS, 0)
    with store._district_lock(district):
        with store._errors(f"preparing the load of {district!r}"):
            for old in store._stale_staging(district):
                store.r.delete(old)
            exists = bool(store.r.exists(live))
            copied_from = store.r.get(VERSION_PREFIX + district)
        before = store.counts(district) if exists else Counts()
        with (
            _dropped_on_failure(store, staging, district),
            store._errors(f"loading district {district!r}"),
            no_gc_pauses(),
        ):
            if replace or not exists:
                build_new(store, staging, workbook_to_graph(wb), stats, progress)
            else:
                with Sender(store._cmd) as send, Sender(_read_owned) as look:
                    # The server copies the live graph and reads which relationships rows
                    # own while this thread builds the rows.
                    send("GRAPH.COPY", live, staging)
                    look(store, live)
                    rows = store_rows(workbook_to_graph(wb))
                    apply_rows(
                        send,
                        staging,
                        rows,
                        stats,
                        progress,
                        prune=False,
                        batch_size=store.batch_size,
                    )
                    (owned,) = look.wait()
                    rows.prunes = stale_prunes(rows.prunes, owned)
                    apply_prunes(send, staging, rows, stats, batch_size=store.batch_size)
                    send.wait()
            swap(store, staging, district, copied_from)
        after = store.counts(district)
    if replace or not exists:
        stats["nodes_deleted"] = before.node_total
        stats["relationships_deleted"] = before.relationship_total
    return LoadSummary(
        district=district,
        store=store.kind,
        new_district=not exists,
        replaced=replace and exists,
        before=before,
        after=after,
        seconds=round(time.perf_counter() - started, 3),
        **stats,
    )
