"""The store interface every adapter implements, its errors and its results.

One small interface, two adapters (:mod:`collabgraph.store.falkor` for the
embedded FalkorDB, :mod:`collabgraph.store.neo4j_store` for Neo4j):

* run a named statement from ``cypher/`` with parameters, rows back as dicts;
* upsert a validated workbook (all-or-nothing per district);
* read a district back as the graph of :mod:`collabgraph.graph`, or as a workbook;
* list, count and delete districts; report the store's status;
* add, replace or remove one row (:meth:`Store.put_row`, :meth:`Store.delete_row`):
  a few indexed reads, then one targeted statement run atomically, with the
  district's revision token bumped in the same step and, on request, checked
  first (optimistic concurrency).

Examples
--------
>>> list(batched(range(5), 2))
[[0, 1], [2, 3], [4]]
>>> Counts(nodes={"Person": 2}, relationships={"TIE": 1}).total
3
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import Any, Protocol, TypeVar, runtime_checkable

from pydantic import BaseModel, Field

from collabgraph.errors import CollabGraphError
from collabgraph.graph import DistrictGraph
from collabgraph.model import Workbook

__all__ = [
    "Counts",
    "EditResult",
    "LoadSummary",
    "Progress",
    "StaleRevision",
    "Store",
    "StoreError",
    "StoreStatus",
    "StoreUnavailable",
    "UnknownDistrict",
    "batched",
    "expected_revisions",
    "one_line",
]

T = TypeVar("T")

#: Called after each batch with (rows just written, rows to write in all), for progress bars.
Progress = Callable[[int, int], None]


class StoreError(CollabGraphError):
    """The graph store refused or failed an operation."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or started (server down, bad password, bad data folder)."""


class UnknownDistrict(StoreError):
    """No district with that id is in the store."""

    def __init__(self, district: str, known: Iterable[str] = ()) -> None:
        names = ", ".join(sorted(known))
        hint = f"; the store has: {names}" if names else "; the store has no districts yet"
        super().__init__(f"no district {district!r} in the store{hint}")
        self.district = district


class StaleRevision(StoreError):
    """The district changed since the revision the caller named (HTTP 412 in the API)."""

    def __init__(self, district: str, current: str | None) -> None:
        super().__init__(
            f"district {district!r} has changed since the revision you named (it is now at "
            f"{current or 'no revision'}): read it again and redo the change"
        )
        self.district = district
        self.current = current


def expected_revisions(if_revision: str | Collection[str] | None) -> frozenset[str] | None:
    """The revisions an edit may start from, or ``None`` for any.

    >>> sorted(expected_revisions("a")), expected_revisions(None)
    (['a'], None)
    """
    if if_revision is None:
        return None
    if isinstance(if_revision, str):
        return frozenset({if_revision})
    return frozenset(if_revision)


class EditResult(BaseModel):
    """What one row edit did: the district's revision token after it."""

    district: str
    section: str
    key: str
    revision: str = Field(description="The district's revision token after the edit.")
    previous: str | None = Field(
        default=None, description="The token the edit started from (the district just before it)."
    )
    created: bool = False
    deleted: bool = False


class Counts(BaseModel):
    """Nodes per label and relationships per type of one district (or of the store)."""

    nodes: dict[str, int] = Field(default_factory=dict)
    relationships: dict[str, int] = Field(default_factory=dict)

    @property
    def total(self) -> int:
        """All nodes and relationships."""
        return sum(self.nodes.values()) + sum(self.relationships.values())

    @property
    def node_total(self) -> int:
        """All nodes."""
        return sum(self.nodes.values())

    @property
    def relationship_total(self) -> int:
        """All relationships."""
        return sum(self.relationships.values())

    def add(self, other: Counts) -> Counts:
        """The sum of two counts."""
        nodes = dict(self.nodes)
        for k, v in other.nodes.items():
            nodes[k] = nodes.get(k, 0) + v
        rels = dict(self.relationships)
        for k, v in other.relationships.items():
            rels[k] = rels.get(k, 0) + v
        return Counts(nodes=nodes, relationships=rels)


class LoadSummary(BaseModel):
    """What one upsert did."""

    district: str
    store: str
    new_district: bool = Field(description="The district was not in the store before.")
    replaced: bool
    nodes_created: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    before: Counts
    after: Counts
    seconds: float = 0.0


class StoreStatus(BaseModel):
    """Which store is in use, where, its version, and what it holds."""

    kind: str
    where: str
    version: str
    districts: list[str]
    counts: Counts
    details: dict[str, str] = Field(default_factory=dict)


def one_line(error: BaseException | str) -> str:
    """An error's text on one line, for messages that must fit on one line.

    >>> one_line(ValueError("a\\n  b"))
    'a b'
    """
    return " ".join(str(error).split())


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


@runtime_checkable
class Store(Protocol):
    """What the rest of collabgraph needs from a graph store."""

    #: ``"embedded"`` or ``"neo4j"``.
    kind: str

    def run(
        self, name: str, params: Mapping[str, Any] | None = None, *, district: str
    ) -> list[dict[str, Any]]:
        """Run a named statement that may write; rows as dicts."""
        ...

    def run_read(
        self, name: str, params: Mapping[str, Any] | None = None, *, district: str
    ) -> list[dict[str, Any]]:
        """Run a named statement read-only; rows as dicts."""
        ...

    def upsert_workbook(
        self, wb: Workbook, *, replace: bool = False, progress: Progress | None = None
    ) -> LoadSummary:
        """Write a validated workbook; all-or-nothing for its district."""
        ...

    def read_graph(self, district: str) -> DistrictGraph:
        """The district as the typed graph of :mod:`collabgraph.graph`."""
        ...

    def read_workbook(self, district: str) -> Workbook:
        """The district as a workbook again."""
        ...

    def list_districts(self) -> list[str]:
        """Ids of the districts in the store, sorted."""
        ...

    def has_district(self, district: str) -> bool:
        """Whether a district is in the store."""
        ...

    def delete_district(self, district: str) -> bool:
        """Remove a district and everything in it; ``False`` if it was not there."""
        ...

    def put_row(
        self,
        district: str,
        section: str,
        row: BaseModel,
        *,
        key: str | None = None,
        if_revision: str | Collection[str] | None = None,
    ) -> EditResult:
        """Add ``row`` (``key`` is ``None``) or replace the row with ``key``, atomically.

        Checks only what the row names; refuses a taken key (``RowExists``), a
        missing row (``RowNotFound``), a dangling reference (``WorkbookError``) and,
        when ``if_revision`` is given, a district at another revision
        (:class:`StaleRevision`). Durable once it returns.
        """
        ...

    def delete_row(
        self,
        district: str,
        section: str,
        key: str,
        *,
        if_revision: str | Collection[str] | None = None,
    ) -> EditResult:
        """Remove the row with ``key`` and what depends on it, atomically (see :meth:`put_row`)."""
        ...

    def run_system(
        self, name: str, params: Mapping[str, Any] | None = None, *, write: bool = False
    ) -> list[dict[str, Any]]:
        """Run a named statement on the store's system data (accounts, sessions, audit),
        kept outside every district; rows as dicts."""
        ...

    def revision(self, district: str) -> str | None:
        """A token that changes whenever the district changes, or ``None`` if the store has none.

        Raises :class:`UnknownDistrict` for a district not in the store.
        """
        ...

    def counts(self, district: str | None = None) -> Counts:
        """Counts for one district, or for the whole store."""
        ...

    def status(self) -> StoreStatus:
        """Kind, location, version and counts."""
        ...

    def close(self) -> None:
        """Release connections (an embedded server keeps running for other processes)."""
        ...
