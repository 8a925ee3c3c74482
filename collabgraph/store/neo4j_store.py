"""The Neo4j adapter: all districts in one database, one write transaction per load.

Uses the official ``neo4j`` driver, one driver per process. Writes run in write
transactions (``execute_write``), so a load is all-or-nothing: if anything
fails, or the server goes away, the transaction rolls back and the district is
as it was. Every write of a district sets the revision token on its District
node, which holds that node's write lock until the commit; a read of a whole
district takes the same lock first, so it sees every write before it or none
of it. Small reads (counts, lists, lookups) run in read transactions.
The schema (``cypher/schema/neo4j.cypher``: a uniqueness constraint on ``key``
per label, an index on ``district``) is created when the store is opened.

Districts share the database, so every node carries ``district`` and a key
``"<district>;<id>"``: two districts may both have a school ``lincoln-es``.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final, TypeVar

import neo4j
from neo4j import exceptions as nx4
from pydantic import BaseModel

from collabgraph.cypher import schema_statements, statement
from collabgraph.editing import RowNotFound
from collabgraph.graph import DistrictGraph, graph_to_workbook, workbook_to_graph
from collabgraph.model import Workbook
from collabgraph.store.base import (
    Counts,
    EditResult,
    LoadSummary,
    Progress,
    StaleRevision,
    StoreError,
    StoreStatus,
    StoreUnavailable,
    UnknownDistrict,
    batched,
    expected_revisions,
    one_line,
)
from collabgraph.store.rows import graph_from_rows, store_key, store_rows

if TYPE_CHECKING:
    from collabgraph.store.edits import EditPlan, Reader
    from collabgraph.store.settings import StoreSettings

__all__ = ["Neo4jStore"]

T = TypeVar("T")

_STATS: Final = (
    "nodes_created",
    "nodes_deleted",
    "relationships_created",
    "relationships_deleted",
    "properties_set",
)


class Neo4jStore:
    """A :class:`~collabgraph.store.base.Store` on Neo4j (or anything speaking Bolt).

    Parameters
    ----------
    driver : neo4j.Driver
    uri : str
        For messages and status.
    database : str, optional
        The database to use; the server's default when ``None``.
    schema : {"neo4j", "falkordb", None}
        Which schema file to apply when opening (``None``: none).
    batch_size : int
        Rows per ``UNWIND`` statement.
    """

    kind = "neo4j"

    def __init__(
        self,
        driver: neo4j.Driver,
        *,
        uri: str,
        database: str | None = None,
        schema: str | None = "neo4j",
        batch_size: int = 2000,
    ) -> None:
        self.driver = driver
        self.uri = uri
        self.database = database
        self.schema = schema
        self.batch_size = max(1, batch_size)

    @classmethod
    def connect(
        cls, settings: StoreSettings, *, schema: str | None = "neo4j", timeout: float = 15.0
    ) -> Neo4jStore:
        """Open a driver, check that it can run a query, and create the schema.

        Raises
        ------
        StoreUnavailable
            Unreachable server, refused credentials, or a bad URI, in one line.
        """
        uri = settings.neo4j_uri or ""
        auth = (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password else None
        try:
            driver = neo4j.GraphDatabase.driver(
                uri,
                auth=auth,
                connection_timeout=timeout,
                connection_acquisition_timeout=timeout,
                max_transaction_retry_time=timeout,
            )
        except (ValueError, nx4.ConfigurationError) as exc:
            raise StoreUnavailable(
                f"NEO4J_URI {uri!r} is not a usable Neo4j address: {exc}"
            ) from exc
        store = cls(
            driver,
            uri=uri,
            database=settings.neo4j_database,
            schema=schema,
            batch_size=settings.batch_size,
        )
        try:
            # An auto-commit query: no retries, so a dead server is reported at once.
            with store._errors("connecting"), store._session() as session:
                session.run("RETURN 1 AS ok").consume()
            store.ensure_schema()
        except BaseException:
            driver.close()
            raise
        return store

    # -- plumbing ---------------------------------------------------------------------

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        where = f"Neo4j at {self.uri}" + (f" (database {self.database})" if self.database else "")
        try:
            yield
        except nx4.AuthError as exc:
            raise StoreUnavailable(
                f"{where} refused the user name or password while {doing} "
                "(check NEO4J_USER and NEO4J_PASSWORD)"
            ) from exc
        except (nx4.ServiceUnavailable, nx4.SessionExpired, OSError) as exc:
            raise StoreUnavailable(f"cannot reach {where} while {doing}: {one_line(exc)}") from exc
        except nx4.Neo4jError as exc:
            message = exc.message or exc.code or str(exc)
            raise StoreError(f"{where} refused {doing}: {one_line(message)}") from exc
        except nx4.DriverError as exc:
            raise StoreUnavailable(f"{where} failed while {doing}: {one_line(exc)}") from exc

    def _session(self) -> neo4j.Session:
        return (
            self.driver.session(database=self.database) if self.database else self.driver.session()
        )

    def _read(self, work: Callable[[neo4j.ManagedTransaction], T], doing: str) -> T:
        with self._errors(doing), self._session() as session:
            return session.execute_read(work)

    def _write(self, work: Callable[[neo4j.ManagedTransaction], T], doing: str) -> T:
        with self._errors(doing), self._session() as session:
            return session.execute_write(work)

    def ensure_schema(self) -> None:
        """Apply the schema file (idempotent on Neo4j)."""
        if self.schema is None:
            return
        for text in schema_statements(self.schema):

            def create(tx: neo4j.ManagedTransaction, text: str = text) -> None:
                tx.run(text).consume()

            if self.schema == "falkordb":
                # FalkorDB has no IF NOT EXISTS: an index that exists is an error to ignore.
                with contextlib.suppress(StoreError):
                    self._write(create, "creating the schema")
            else:
                self._write(create, "creating the schema")

    # -- named statements -----------------------------------------------------------

    def run(
        self, name: str, params: Mapping[str, Any] | None = None, *, district: str
    ) -> list[dict[str, Any]]:
        """Run a named statement in a write transaction that first takes the district's
        lock and ends by changing its revision token (the statement may have written:
        caches and readers must see it)."""
        text = statement(name)
        args = {"district": district, **(params or {})}
        dkey = store_key(district, district)

        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            tx.run(statement("lock_district"), {"key": dkey}).consume()
            rows = tx.run(text, args).data()
            bump = {"key": dkey, "revision": uuid.uuid4().hex}
            tx.run(statement("set_district_revision"), bump).consume()
            return rows

        return self._write(work, f"statement {name!r}")

    def run_read(
        self, name: str, params: Mapping[str, Any] | None = None, *, district: str
    ) -> list[dict[str, Any]]:
        """Run a named statement in a read transaction."""
        text = statement(name)
        args = {"district": district, **(params or {})}
        return self._read(lambda tx: tx.run(text, args).data(), f"statement {name!r}")

    def run_system(
        self, name: str, params: Mapping[str, Any] | None = None, *, write: bool = False
    ) -> list[dict[str, Any]]:
        """Run a named statement on the system nodes (``Cg*`` labels, no district)."""
        text = statement(name)
        args = dict(params or {})
        work: Callable[[neo4j.ManagedTransaction], list[dict[str, Any]]] = lambda tx: tx.run(  # noqa: E731
            text, args
        ).data()
        if write:
            return self._write(work, f"statement {name!r}")
        return self._read(work, f"statement {name!r}")

    # -- loading ------------------------------------------------------------------------

    def upsert_workbook(
        self, wb: Workbook, *, replace: bool = False, progress: Progress | None = None
    ) -> LoadSummary:
        """Load a validated workbook into its district in one write transaction."""
        started = time.perf_counter()
        rows = store_rows(workbook_to_graph(wb))
        district = wb.district.id
        dkey = store_key(district, district)
        exists = self.has_district(district)
        before = self.counts(district) if exists else Counts()

        total = rows.total

        def work(tx: neo4j.ManagedTransaction) -> dict[str, int]:
            stats = dict.fromkeys(_STATS, 0)

            def run(name: str, params: dict[str, Any]) -> None:
                counters = tx.run(statement(name), params).consume().counters
                for s in _STATS:
                    stats[s] += int(getattr(counters, s))

            if replace and exists:
                run("delete_district", {"district": district})
            for name, node_rows in rows.nodes.items():
                for batch in batched(node_rows, self.batch_size):
                    run(name, {"rows": batch})
                    if progress:
                        progress(len(batch), total)
            if exists and not replace:
                for name, prune_rows in rows.prunes.items():
                    for batch in batched(prune_rows, self.batch_size):
                        run(name, {"rows": batch})
            for name, edge_rows in rows.edges.items():
                for batch in batched(edge_rows, self.batch_size):
                    run(name, {"rows": batch})
                    if progress:
                        progress(len(batch), total)
            run("set_district_revision", {"key": dkey, "revision": uuid.uuid4().hex})
            return stats

        try:
            stats = self._write(work, f"loading district {district!r}")
        except StoreUnavailable as exc:
            raise StoreUnavailable(
                f"{exc}. The transaction was rolled back, so district {district!r} is "
                "unchanged; run the same load again"
            ) from exc
        after = self.counts(district)
        return LoadSummary(
            district=district,
            store=self.kind,
            new_district=not exists,
            replaced=replace and exists,
            before=before,
            after=after,
            seconds=round(time.perf_counter() - started, 3),
            **stats,
        )

    # -- reading ---------------------------------------------------------------------

    def read_graph(self, district: str) -> DistrictGraph:
        """The district as the typed graph of :mod:`collabgraph.graph`, as of one revision.

        The nodes and relationships are read in one transaction that first takes
        the district's write lock (``lock_district``), as every load, row edit and
        named write of the district does before it commits: a write that has the
        lock finishes before the read starts, and one that comes later waits until
        the read is done. Neo4j's read-committed transactions alone do not give
        that: two statements of one read transaction may see different commits,
        and a commit is applied step by step (creates before updates before
        deletes), so a reader could see half of one.
        """
        dkey = store_key(district, district)
        params = {"district": district}

        def work(tx: neo4j.ManagedTransaction) -> tuple[list[dict[str, Any]], ...] | None:
            if not tx.run(statement("lock_district"), {"key": dkey}).data():
                return None
            nodes = tx.run(statement("read_nodes"), params).data()
            edges = tx.run(statement("read_edges"), params).data()
            return nodes, edges

        found = self._write(work, f"reading district {district!r}")
        if found is None:
            raise UnknownDistrict(district, self.list_districts())
        nodes, edges = found
        return graph_from_rows(district, nodes, edges)

    def read_workbook(self, district: str) -> Workbook:
        """The district as a workbook again."""
        return graph_to_workbook(self.read_graph(district))

    def list_districts(self) -> list[str]:
        """Ids of the districts in the database, sorted."""
        rows = self._read(
            lambda tx: tx.run(statement("list_districts")).data(), "listing districts"
        )
        return sorted(str(r["id"]) for r in rows)

    def has_district(self, district: str) -> bool:
        """Whether a district is in the database."""
        key = store_key(district, district)
        rows = self._read(
            lambda tx: tx.run(statement("find_district"), {"key": key}).data(),
            "looking up a district",
        )
        return bool(rows)

    def counts(self, district: str | None = None) -> Counts:
        """Nodes per label and relationships per type, for one district or all."""
        if district is None:
            total = Counts()
            for d in self.list_districts():
                total = total.add(self.counts(d))
            return total
        nodes = self.run_read("count_nodes", district=district)
        rels = self.run_read("count_relationships", district=district)
        return Counts(
            nodes={str(r["label"]): int(r["n"]) for r in nodes},
            relationships={str(r["type"]): int(r["n"]) for r in rels},
        )

    def revision(self, district: str) -> str | None:
        """The token on the district's node, changed by every load and row edit
        (``None`` for a district loaded before collabgraph kept one)."""
        rows = self._read(
            lambda tx: tx.run(
                statement("read_district_revision"), {"key": store_key(district, district)}
            ).data(),
            f"reading the revision of {district!r}",
        )
        if not rows:
            raise UnknownDistrict(district, self.list_districts())
        found = rows[0]["revision"]
        return None if found is None else str(found)

    # -- row edits --------------------------------------------------------------------

    def _edit(
        self,
        district: str,
        make_plan: Callable[[Reader], EditPlan],
        if_revision: str | Collection[str] | None,
        *,
        deleting: bool = False,
    ) -> EditResult:
        """One write transaction: lock the district's node, check, write, bump its revision.

        Setting a property of the district's node takes its write lock until the
        transaction ends, so edits and loads of one district (which set it too)
        queue on the server, whichever process sends them.
        """
        dkey = store_key(district, district)
        expected = expected_revisions(if_revision)

        def work(tx: neo4j.ManagedTransaction) -> tuple[EditPlan, str, str | None] | None:
            locked = tx.run(statement("lock_district"), {"key": dkey}).data()
            if not locked:
                return None
            current = locked[0]["revision"]
            if expected is not None and (current is None or str(current) not in expected):
                raise StaleRevision(district, None if current is None else str(current))

            def read(name: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
                return tx.run(statement(name), {"district": district, **params}).data()

            plan = make_plan(read)
            for name, params in plan.writes:
                done = tx.run(statement(name), {"district": district, **params}).data()
                if plan.must_remove and not (done and done[0].get("removed")):
                    # nothing to remove: raising rolls the transaction (and its lock) back
                    raise RowNotFound(plan.section, plan.key)
            revision = uuid.uuid4().hex
            tx.run(statement("set_district_revision"), {"key": dkey, "revision": revision})
            return plan, revision, None if current is None else str(current)

        done = self._write(work, f"editing district {district!r}")
        if done is None:
            raise UnknownDistrict(district, self.list_districts())
        plan, revision, previous = done
        return EditResult(
            district=district,
            section=plan.section,
            key=plan.key,
            revision=revision,
            previous=previous,
            created=plan.created,
            deleted=deleting,
        )

    def put_row(
        self,
        district: str,
        section: str,
        row: BaseModel,
        *,
        key: str | None = None,
        if_revision: str | Collection[str] | None = None,
    ) -> EditResult:
        """Add or replace one row in one transaction; see :meth:`Store.put_row`."""
        from collabgraph.store.edits import plan_put

        return self._edit(
            district, lambda read: plan_put(district, section, row, read=read, key=key), if_revision
        )

    def delete_row(
        self,
        district: str,
        section: str,
        key: str,
        *,
        if_revision: str | Collection[str] | None = None,
    ) -> EditResult:
        """Remove one row and what depends on it in one transaction."""
        from collabgraph.store.edits import plan_delete

        return self._edit(
            district,
            lambda read: plan_delete(district, section, key, read=read),
            if_revision,
            deleting=True,
        )

    def delete_district(self, district: str) -> bool:
        """Remove a district and all its nodes and relationships (one transaction)."""
        if not self.has_district(district):
            return False
        self.run("delete_district", district=district)
        return True

    # -- status ------------------------------------------------------------------------

    def version(self) -> str:
        """The server's name and version, e.g. ``Neo4j Kernel 5.26.0 (community)``."""
        try:
            rows = self._read(
                lambda tx: tx.run(statement("read_version")).data(), "asking for the version"
            )
        except StoreError:
            rows = []
        if rows:
            row = rows[0]
            versions = ", ".join(map(str, row.get("versions") or []))
            return f"{row.get('name')} {versions} ({row.get('edition')})"

        def agent(tx: neo4j.ManagedTransaction) -> str:
            return str(tx.run("RETURN 1 AS ok").consume().server.agent)

        return self._read(agent, "asking for the version")

    def status(self) -> StoreStatus:
        """Kind, location, version and counts."""
        districts = self.list_districts()
        where = self.uri + (f" (database {self.database})" if self.database else "")
        return StoreStatus(
            kind=self.kind,
            where=where,
            version=self.version(),
            districts=districts,
            counts=self.counts(),
        )

    def close(self) -> None:
        """Close the driver."""
        with contextlib.suppress(Exception):
            self.driver.close()
