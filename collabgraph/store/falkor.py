"""The FalkorDB adapter: one graph per district, loads swapped in atomically.

Layout in the server's keyspace:

``collabgraph:<district>``
    The district's live graph. Readers only ever see a complete one.
``collabgraph-staging:<district>:<token>``
    A load in progress. A load builds the whole new district here — with
    ``GRAPH.BULK`` when the district is new or replaced, or as a ``GRAPH.COPY``
    of the live graph plus batched ``UNWIND ... MERGE`` upserts otherwise —
    then ``RENAME`` s it over the live key. ``RENAME`` is one Redis command, so
    it is atomic, and it is written to the append-only file only once it has
    happened: a load that dies half-way leaves the live graph as it was and a
    staging graph that the next start of the store (the next process to open
    it) deletes, as does the next load of that district. Only ``collabgraph:``
    keys are districts, so queries and listings never see a staging graph.
``collabgraph-version:<district>``
    A token changed together with every swap and every row edit (in the same
    ``MULTI``), so a reader can tell that the district changed between its two
    reads and retry, a cache can tell its copy is current, and a writer can
    refuse to overwrite a change it has not seen (``WATCH``).
``collabgraph-system``
    Accounts, sessions, API tokens and the audit log (:mod:`collabgraph.access`),
    outside every district.
``collabgraph:research;<district>``
    A de-identified projection of a district for researchers' queries
    (:mod:`collabgraph.access.research`); ``;`` never occurs in a district id,
    so it is never listed as a district.

FalkorDB has no multi-statement transactions (``MULTI``/``EXEC`` does not roll
back), which is why all-or-nothing comes from the swap and not from a
transaction. Loads and row edits of one district are serialized by a lock file
in the data folder (whichever process makes them); different districts go side
by side. A load's swap also checks, under ``WATCH``, that the revision is still
the one it copied from. Row edits: :mod:`collabgraph.store.falkor_edits`.
"""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from collections.abc import Collection, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final, cast

import redis
from pydantic import BaseModel

from collabgraph.cypher import statement
from collabgraph.graph import DistrictGraph, graph_to_workbook
from collabgraph.model import Workbook
from collabgraph.store.base import (
    Counts,
    EditResult,
    LoadSummary,
    Progress,
    StoreError,
    StoreStatus,
    StoreUnavailable,
    UnknownDistrict,
    one_line,
)
from collabgraph.store.embedded import MODULE_LIMITS
from collabgraph.store.falkor_edits import edit_district
from collabgraph.store.keys import (
    GRAPH_PREFIX,
    STAGING_PREFIX,
    SYSTEM_GRAPH,
    VERSION_PREFIX,
    graph_key,
)
from collabgraph.store.results import purge_results, result_key
from collabgraph.store.rows import (
    Adjacency,
    StoreRows,
    graph_from_parts,
    no_gc_pauses,
)

if TYPE_CHECKING:
    from falkordb import FalkorDB
    from falkordb.query_result import QueryResult

    from collabgraph.store.embedded import EmbeddedServer

__all__ = [
    "GRAPH_PREFIX",
    "STAGING_PREFIX",
    "SYSTEM_GRAPH",
    "VERSION_PREFIX",
    "FalkorStore",
    "connect_unix",
    "graph_key",
]

#: Every stored property the ``read_*_columns`` statements return (plus the store's own).
COLUMN_PROPS: Final = frozenset(
    {"key", "district", "seq", "id", "name", "title", "state", "note", "level"}
    | {"represented_staff", "side", "org_kind", "position_kind", "team_kind", "description"}
    | {"builtin", "decision_step", "cadence", "last_held"}
    | {"tie_scale", "rep_staff_healthy", "rep_staff_hard"}
    | {"order", "rank", "since", "role", "appointed_by"}
    | {"weight", "frequency", "topic", "wave", "origin"}
)

#: The relationship types ``read_edge_columns`` and ``read_tie_columns`` read.
COLUMN_TYPES: Final = frozenset(
    {"IN_DISTRICT", "AFFILIATE_OF", "PRIORITIZES", "AT", "PART_OF", "RESPONSIBLE_FOR"}
    | {"HOLDS", "ADDRESSES", "OVERSEES", "MEMBER_OF", "ATTENDS", "COUNTERPART_OF", "TIE"}
)

#: Rows one query may return (the embedded server's RESULTSET_SIZE): more are cut silently.
RESULTSET_LIMIT: Final = int(MODULE_LIMITS["RESULTSET_SIZE"])

_STATS: Final = (
    "nodes_created",
    "nodes_deleted",
    "relationships_created",
    "relationships_deleted",
    "properties_set",
)


def connect_unix(socket_path: str) -> FalkorDB:
    """A FalkorDB client on a Unix socket that gives up quickly when the server is gone."""
    from falkordb import FalkorDB
    from redis.backoff import ExponentialBackoff
    from redis.retry import Retry

    return FalkorDB(
        unix_socket_path=socket_path, retry=Retry(ExponentialBackoff(cap=0.5, base=0.05), 2)
    )


def _edge_from_map(row: dict[str, Any]) -> tuple[str, str, str, dict[str, Any]]:
    """A ``read_edges`` row as a finished graph edge ``(u, v, key, attributes)``."""
    props = dict(row["props"])
    type_ = str(row["type"])
    key = str(props.pop("key")) if type_ == "TIE" else type_
    props["type"] = type_
    return f"{row['src_kind']}:{row['src']}", f"{row['dst_kind']}:{row['dst']}", key, props


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class FalkorStore:
    """A :class:`~collabgraph.store.base.Store` on a FalkorDB server.

    Parameters
    ----------
    db : falkordb.FalkorDB
        A connected client.
    server : EmbeddedServer, optional
        The embedded server this client talks to (for locks, status and erasure).
    batch_size : int
        Rows per ``UNWIND`` statement.
    bulk : bool
        Build new and replaced districts with ``GRAPH.BULK`` (else with ``MERGE``).
    """

    kind = "embedded"

    def __init__(
        self,
        db: FalkorDB,
        *,
        server: EmbeddedServer | None = None,
        batch_size: int = 2000,
        bulk: bool = True,
    ) -> None:
        self.db = db
        self.r: redis.Redis = db.connection
        self.server = server
        self.batch_size = max(1, batch_size)
        self.bulk = bulk
        #: Districts whose crashed loads' staging graphs :meth:`remove_stale_staging` removed.
        self.staging_removed: list[str] = []
        self._held = threading.local()  # districts whose lock this thread holds

    # -- plumbing -----------------------------------------------------------------

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except (redis.ConnectionError, redis.TimeoutError, ConnectionError) as exc:
            if self.server is not None and not self.server.is_running():
                reason = f"the server stopped (last log line: {self.server.last_log_line()})"
            else:
                reason = one_line(exc).rstrip(".")
            raise StoreUnavailable(
                f"lost the embedded FalkorDB store while {doing}: {reason}"
            ) from exc
        except redis.ResponseError as exc:
            if "maxmemory" in str(exc):
                raise StoreError(
                    f"the embedded store is full, so it refused {doing}: it may use "
                    "COLLABGRAPH_STORE_MEMORY_MB of memory; raise that setting or delete a "
                    "district"
                ) from exc
            raise StoreError(f"FalkorDB refused {doing}: {one_line(exc)}") from exc

    def _query(
        self, key: str, text: str, params: Mapping[str, Any] | None, *, read_only: bool
    ) -> QueryResult:
        graph = self.db.select_graph(key)
        if read_only:
            return graph.ro_query(text, dict(params or {}))
        return graph.query(text, dict(params or {}))

    def _cmd(self, *args: Any) -> Any:
        return self.r.execute_command(*args)  # type: ignore[no-untyped-call]

    @staticmethod
    def _rows(result: QueryResult) -> list[dict[str, Any]]:
        names = [str(h[1]) for h in result.header]
        return [dict(zip(names, map(_plain, row), strict=True)) for row in result.result_set]

    def _require(self, district: str) -> str:
        key = graph_key(district)
        with self._errors("looking up a district"):
            if not self.r.exists(key):
                raise UnknownDistrict(district, self.list_districts())
        return key

    # -- named statements -------------------------------------------------------

    def run(
        self, name: str, params: Mapping[str, Any] | None = None, *, district: str
    ) -> list[dict[str, Any]]:
        """Run a named statement against a district's graph (it may write)."""
        key = self._require(district)
        with self._errors(f"statement {name!r}"):
            result = self._query(
                key, statement(name), {"district": district, **(params or {})}, read_only=False
            )
            self.r.set(VERSION_PREFIX + district, uuid.uuid4().hex)  # it may have written
        return self._rows(result)

    def run_system(
        self, name: str, params: Mapping[str, Any] | None = None, *, write: bool = False
    ) -> list[dict[str, Any]]:
        """Run a named statement on the system graph (accounts, sessions, audit log)."""
        with self._errors(f"statement {name!r}"):
            if not write and not self.r.exists(SYSTEM_GRAPH):
                return []  # nothing written yet
            result = self._query(SYSTEM_GRAPH, statement(name), params, read_only=not write)
        return self._rows(result)

    def revision(self, district: str) -> str | None:
        """A token that changes with every load or write of the district (``None`` if unset)."""
        self._require(district)
        with self._errors(f"reading the revision of {district!r}"):
            found = self.r.get(VERSION_PREFIX + district)
        if found is None:
            return None
        return found.decode() if isinstance(found, bytes) else str(found)

    # -- row edits (collabgraph.store.falkor_edits) ------------------------------------

    def put_row(
        self,
        district: str,
        section: str,
        row: BaseModel,
        *,
        key: str | None = None,
        if_revision: str | Collection[str] | None = None,
    ) -> EditResult:
        """Add or replace one row atomically; see :meth:`Store.put_row`."""
        from collabgraph.store.edits import plan_put

        return edit_district(
            self,
            district,
            lambda read: plan_put(district, section, row, read=read, key=key),
            if_revision=if_revision,
        )

    def delete_row(
        self,
        district: str,
        section: str,
        key: str,
        *,
        if_revision: str | Collection[str] | None = None,
    ) -> EditResult:
        """Remove one row and what depends on it atomically; see :meth:`Store.delete_row`."""
        from collabgraph.store.edits import plan_delete

        return edit_district(
            self,
            district,
            lambda read: plan_delete(district, section, key, read=read),
            if_revision=if_revision,
            deleting=True,
        )

    def run_read(
        self, name: str, params: Mapping[str, Any] | None = None, *, district: str
    ) -> list[dict[str, Any]]:
        """Run a named statement read-only (``GRAPH.RO_QUERY``)."""
        key = self._require(district)
        with self._errors(f"statement {name!r}"):
            result = self._query(
                key, statement(name), {"district": district, **(params or {})}, read_only=True
            )
        return self._rows(result)

    # -- loading -------------------------------------------------------------------

    @contextlib.contextmanager
    def _district_lock(self, district: str) -> Iterator[None]:
        """The district's write lock (a lock file shared by every process); reentrant
        within a thread, so a read that falls back to it inside a write does not wait
        for itself."""
        held: set[str] = self._held.__dict__.setdefault("districts", set())
        if self.server is None or district in held:
            yield
            return
        with self.server.district_lock(district):
            held.add(district)
            try:
                yield
            finally:
                held.discard(district)

    def _stale_staging(self, district: str) -> list[str]:
        prefix = f"{STAGING_PREFIX}{district}:"
        names = self._cmd("GRAPH.LIST")
        return [n for n in names if n.startswith(prefix) and ":" not in n[len(prefix) :]]

    def remove_stale_staging(self) -> list[str]:
        """Delete the staging graphs no load is building any more (their loader died).

        A load holds its district's lock file from its copy to its swap; a staging
        graph whose district lock is free belongs to nobody. Run when the store is
        opened. Returns the districts cleaned (also kept in :attr:`staging_removed`).
        """
        if self.server is None:
            return []
        with self._errors("looking for staging graphs"):
            names = [str(n) for n in self._cmd("GRAPH.LIST") if str(n).startswith(STAGING_PREFIX)]
        cleaned: list[str] = []
        for name in names:
            district = name[len(STAGING_PREFIX) :].rsplit(":", 1)[0]
            with self.server.district_lock_if_free(district) as free:
                if free:
                    with self._errors("removing a staging graph"):
                        self.r.delete(name)
                    cleaned.append(district)
        self.staging_removed.extend(cleaned)
        return cleaned

    def upsert_workbook(
        self, wb: Workbook, *, replace: bool = False, progress: Progress | None = None
    ) -> LoadSummary:
        """Load a validated workbook into its district, all or nothing.

        Parameters
        ----------
        wb : Workbook
        replace : bool
            Make the district exactly the workbook (drop what it no longer has).
            Otherwise rows are upserted into what is there.
        progress : callable, optional
            Called with the number of rows written after each batch.
        """
        from collabgraph.store.falkor_load import load_workbook

        return load_workbook(self, wb, replace=replace, progress=progress)

    def _build_new(
        self,
        key: str,
        g: DistrictGraph,
        rows: StoreRows | None,
        stats: dict[str, int],
        progress: Progress | None,
    ) -> None:
        """Build a new graph ``key`` from ``g`` (see ``falkor_load.build_new``)."""
        from collabgraph.store.falkor_load import build_new

        build_new(self, key, g, stats, progress)

    # -- reading ---------------------------------------------------------------------

    def _verbose(self, key: str, name: str) -> tuple[list[str], list[list[Any]]]:
        """Run a parameterless statement read-only; (column names, rows) of the verbose reply."""
        reply = self._cmd("GRAPH.RO_QUERY", key, statement(name))
        header, rows = reply[0], reply[1]
        if len(rows) >= RESULTSET_LIMIT:
            raise StoreError(
                f"the district is too large to read in one query (over {RESULTSET_LIMIT:,} "
                "rows, the embedded server's RESULTSET_SIZE)"
            )
        return [str(h) for h in header], rows

    def _read_columns(
        self, key: str
    ) -> tuple[list[tuple[str, dict[str, Any]]], list[tuple[str, str, str, dict[str, Any]]]]:
        """Nodes and edges through the ``read_*_columns`` statements (the fast path).

        The verbose reply sends every value as itself except doubles and booleans,
        which arrive as text: ``weight`` and ``tie_scale``, ``builtin``.
        """
        names, rows = self._verbose(key, "read_node_columns")
        fields = names[1:]
        builtin = fields.index("builtin")
        scale = fields.index("tie_scale")
        nodes: list[tuple[str, dict[str, Any]]] = []
        for row in rows:
            values = row[1:]
            if values[builtin] is not None:
                values[builtin] = values[builtin] == "true"
            if values[scale] is not None:
                values[scale] = float(values[scale])
            nodes.append(
                (row[0], {n: v for n, v in zip(fields, values, strict=True) if v is not None})
            )
        names, rows = self._verbose(key, "read_edge_columns")
        fields = names[5:]
        edges: list[tuple[str, str, str, dict[str, Any]]] = []
        for row in rows:
            attrs = {n: v for n, v in zip(fields, row[5:], strict=True) if v is not None}
            attrs["type"] = row[2]
            edges.append((f"{row[0]}:{row[1]}", f"{row[3]}:{row[4]}", row[2], attrs))
        names, rows = self._verbose(key, "read_tie_columns")
        fields = names[3:]
        weight = fields.index("weight")
        for row in rows:
            values = row[3:]
            if values[weight] is not None:
                values[weight] = float(values[weight])
            attrs = {n: v for n, v in zip(fields, values, strict=True) if v is not None}
            attrs["type"] = "TIE"
            edges.append((f"Person:{row[0]}", f"Person:{row[1]}", row[2], attrs))
        return nodes, edges

    def _read_maps(
        self, key: str, district: str
    ) -> tuple[list[tuple[str, dict[str, Any]]], list[tuple[str, str, str, dict[str, Any]]]]:
        """Nodes and edges through the generic ``read_nodes``/``read_edges`` (any property)."""
        params = {"district": district}
        nodes = self._rows(self._query(key, statement("read_nodes"), params, read_only=True))
        edges = self._rows(self._query(key, statement("read_edges"), params, read_only=True))
        return (
            [(str(n["kind"]), n["props"]) for n in nodes],
            [_edge_from_map(e) for e in edges],
        )

    def _read_consistent(
        self, district: str
    ) -> tuple[list[tuple[str, dict[str, Any]]], list[tuple[str, str, str, dict[str, Any]]]]:
        """Nodes and edges of one revision: read without a lock and checked against the
        revision token; when writers keep changing it, read once more holding the
        district's write lock (writers wait for that one read)."""
        key = self._require(district)
        for _ in range(10):
            found = self._read_once(key, district)
            if found is not None:
                return found
        with self._district_lock(district):
            found = self._read_once(key, district)
        if found is not None:
            return found
        raise StoreError(f"district {district!r} kept changing while being read; try again")

    def _read_once(
        self, key: str, district: str
    ) -> tuple[list[tuple[str, dict[str, Any]]], list[tuple[str, str, str, dict[str, Any]]]] | None:
        """One read of the district, or ``None`` when its revision changed meanwhile."""
        version_key = VERSION_PREFIX + district
        with self._errors(f"reading district {district!r}"):
            version = self.r.get(version_key)
            try:
                props = {r[0] for r in self._verbose(key, "list_property_keys")[1]}
                types = {r[0] for r in self._verbose(key, "list_relationship_types")[1]}
                if props <= COLUMN_PROPS and types <= COLUMN_TYPES:
                    nodes, edges = self._read_columns(key)
                else:  # something the column reads do not know: read maps
                    nodes, edges = self._read_maps(key, district)
            except redis.ResponseError:
                if self.r.get(version_key) != version:
                    return None  # swapped under us; read again
                raise
            if self.r.get(version_key) == version:
                return nodes, edges
        return None

    def read_graph(self, district: str) -> DistrictGraph:
        """The district as the typed graph of :mod:`collabgraph.graph`."""
        with no_gc_pauses():
            nodes, edges = self._read_consistent(district)
            return graph_from_parts(district, nodes, edges)

    def read_workbook(self, district: str) -> Workbook:
        """The district as a workbook again (from plain adjacency: no networkx graph built)."""
        with no_gc_pauses():
            nodes, edges = self._read_consistent(district)
            return graph_to_workbook(cast(DistrictGraph, Adjacency(district, nodes, edges)))

    def list_districts(self) -> list[str]:
        """Ids of the districts in the store, sorted."""
        with self._errors("listing districts"):
            names = self._cmd("GRAPH.LIST")
        return sorted(
            n[len(GRAPH_PREFIX) :]
            for n in names
            if n.startswith(GRAPH_PREFIX) and ";" not in n  # research projections are hidden
        )

    def has_district(self, district: str) -> bool:
        """Whether a district is in the store."""
        with self._errors("looking up a district"):
            return bool(self.r.exists(graph_key(district)))

    def counts(self, district: str | None = None) -> Counts:
        """Nodes per label and relationships per type, for one district or all."""
        if district is None:
            total = Counts()
            for d in self.list_districts():
                with contextlib.suppress(UnknownDistrict):
                    total = total.add(self.counts(d))
            return total
        (row,) = self.run_read("read_graph_stats", district=district)
        return Counts(
            nodes={str(k): int(v) for k, v in row["labels"].items() if v},
            relationships={str(k): int(v) for k, v in row["relTypes"].items() if v},
        )

    # -- deleting ----------------------------------------------------------------------

    def delete_district(self, district: str) -> bool:
        """Remove a district, then rewrite the append-only file so its data leaves the disk."""
        with self._district_lock(district), self._errors(f"deleting district {district!r}"):
            pipe = self.r.pipeline(transaction=True)
            pipe.delete(graph_key(district))
            pipe.delete(VERSION_PREFIX + district)
            # and its research projection (collabgraph.access.research), if any
            pipe.delete(graph_key("research;" + district))
            pipe.delete("collabgraph-research-source:" + district)
            # and its tie surveys (collabgraph.survey.storage.survey_graph)
            pipe.delete("collabgraph-survey:" + district)
            # and its kept analysis results (collabgraph.store.results)
            pipe.delete(result_key(district))
            removed, *_ = pipe.execute()
            for old in self._stale_staging(district):
                self.r.delete(old)
        if removed:
            self.compact()
        return bool(removed)

    def compact(self, timeout: float = 300.0) -> None:
        """Rewrite the append-only file (``BGREWRITEAOF``) and wait until it is done.

        Afterwards the files on disk hold only what the store holds now: deleted
        districts, and the queries that once wrote them, are gone. Every kept
        analysis result goes first (an erasure compacts: no erased name may
        survive in an older revision's result).
        """
        deadline = time.monotonic() + timeout
        with self._errors("rewriting the append-only file"):
            purge_results(self.r)
            while True:
                info = self.r.info("persistence")
                if not info.get("aof_rewrite_in_progress") and not info.get(
                    "aof_rewrite_scheduled"
                ):
                    break
                time.sleep(0.05)
            before = int(self.r.info("persistence").get("aof_rewrites", 0) or 0)
            self.r.bgrewriteaof()
            while time.monotonic() < deadline:
                info = self.r.info("persistence")
                done = int(info.get("aof_rewrites", 0) or 0) > before
                if (
                    done
                    and not info.get("aof_rewrite_in_progress")
                    and not info.get("aof_rewrite_scheduled")
                ):
                    if info.get("aof_last_bgrewrite_status") != "ok":
                        raise StoreError("rewriting the append-only file failed; see the log")
                    return
                time.sleep(0.05)
        raise StoreError("rewriting the append-only file took too long")

    # -- status ------------------------------------------------------------------------

    def version(self) -> str:
        """``FalkorDB 4.16.3 (Redis 8.2.3)``."""
        with self._errors("asking for the server version"):
            modules = self._cmd("MODULE", "LIST")
            redis_version = self.r.info("server").get("redis_version", "?")
        graph_ver = "?"
        for mod in modules:
            fields = dict(zip(mod[::2], mod[1::2], strict=False))
            if fields.get("name") == "graph":
                v = int(fields.get("ver", 0))
                graph_ver = f"{v // 10000}.{v // 100 % 100}.{v % 100}"
        return f"FalkorDB {graph_ver} (Redis {redis_version})"

    def _staging_details(self, server: EmbeddedServer) -> dict[str, str]:
        """What ``status`` says about staging graphs: loads running, copies cleaned."""
        with self._errors("looking for staging graphs"):
            names = [str(n) for n in self._cmd("GRAPH.LIST") if str(n).startswith(STAGING_PREFIX)]
        running = left = 0
        for name in names:
            with server.district_lock_if_free(
                name[len(STAGING_PREFIX) :].rsplit(":", 1)[0]
            ) as free:
                left, running = (left + 1, running) if free else (left, running + 1)
        out = {"loading": f"{running} load(s) in progress" if running else "no load in progress"}
        if left:
            out["leftover"] = (
                f"{left} half-built copy(ies) of crashed loads, removed at the next start"
            )
        if self.staging_removed:
            names_ = ", ".join(sorted(set(self.staging_removed)))
            out["cleaned"] = (
                f"removed {len(self.staging_removed)} half-built copy(ies) left by crashed "
                f"loads of: {names_}"
            )
        return out

    def status(self) -> StoreStatus:
        """Kind, location, version and counts."""
        details: dict[str, str] = {}
        where = "FalkorDB server"
        if self.server is not None:
            info = self.server.describe()
            where = f"{info['data_dir']} (socket {info['socket']})"
            details = {k: str(v) for k, v in info.items()}
            details.update(self._staging_details(self.server))
        districts = self.list_districts()
        return StoreStatus(
            kind=self.kind,
            where=where,
            version=self.version(),
            districts=districts,
            counts=self.counts(),
            details=details,
        )

    def close(self) -> None:
        """Close this process's connections (the server keeps running)."""
        with contextlib.suppress(Exception):
            self.r.close()
