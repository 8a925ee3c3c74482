"""Row edits on the embedded FalkorDB: checked, written and versioned in one step.

One edit, whichever process makes it:

1. takes the district's lock file (the same ``flock`` a load of that district
   holds from its copy to its swap, so an edit never lands in a graph a load is
   about to replace, and a load never starts from half an edit);
2. ``WATCH`` es the district's graph and revision keys and, when the caller
   named a revision, compares it with the stored one (:class:`StaleRevision`);
3. plans the edit with read-only queries on that same connection;
4. sends the plan's one statement (a single ``GRAPH.QUERY``, which FalkorDB
   applies whole or, on an error, undoes) and the new revision token in one
   ``MULTI``/``EXEC``: Redis runs the two back to back with nothing in
   between, appends them to the append-only file as one transaction (a torn
   tail is dropped when the file is replayed) and, with ``appendfsync
   always``, has them on disk before it answers. If anything else changed the
   watched keys since step 2 the ``EXEC`` is refused and the edit starts again
   at step 2.

Removing a membership, a counterpart pair or a tie is one statement that
checks nothing first (no read before the ``MULTI``); the number it removed says
whether the row was there. When it was not, the edit is a :class:`RowNotFound`
and the revision token it moved is put back (if nothing has changed it since),
so a refused removal leaves the district as it was, token included.

A statement that fails (out of memory, a time-out: the plan has checked
everything else) has changed nothing; the token still moves, which only makes
caches read the district again, and the edit is reported as a
:class:`StoreError` naming the district.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING, Any, Final

import redis

from collabgraph.cypher import statement
from collabgraph.editing import RowNotFound
from collabgraph.store.base import (
    EditResult,
    StaleRevision,
    StoreError,
    UnknownDistrict,
    expected_revisions,
    one_line,
)
from collabgraph.store.edits import EditPlan, Reader
from collabgraph.store.keys import VERSION_PREFIX, graph_key

if TYPE_CHECKING:
    from collabgraph.store.falkor import FalkorStore

__all__ = ["ATTEMPTS", "edit_district"]

#: How often an edit starts again after the watched keys changed under it.
ATTEMPTS: Final = 50


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)


def _removed(result: Any) -> int:
    """The ``removed`` count a ``delete_*`` statement returns (0 when it returns no row)."""
    rows = result.result_set
    return int(rows[0][0]) if rows and rows[0] and rows[0][0] is not None else 0


def _put_back(store: FalkorStore, version_key: str, moved_to: str, previous: str | None) -> None:
    """Give the revision token back its value from before a removal that removed nothing,
    unless something changed it since (then that change's token stands)."""
    with store.r.pipeline(transaction=True) as raw:
        pipe: Any = raw  # redis-py's pipeline methods are untyped
        try:
            pipe.watch(version_key)
            if _text(pipe.get(version_key)) != moved_to:
                return
            pipe.multi()
            if previous is None:
                pipe.delete(version_key)
            else:
                pipe.set(version_key, previous)
            pipe.execute()
        except redis.WatchError:
            return


def edit_district(
    store: FalkorStore,
    district: str,
    make_plan: Callable[[Reader], EditPlan],
    *,
    if_revision: str | Collection[str] | None = None,
    deleting: bool = False,
) -> EditResult:
    """Plan and apply one row edit of ``district`` atomically; the new revision back."""
    from falkordb.query_result import QueryResult

    key = graph_key(district)
    version_key = VERSION_PREFIX + district
    graph = store.db.select_graph(key)
    expected = expected_revisions(if_revision)

    def header(params: Mapping[str, Any]) -> str:
        built: str = graph._build_params_header({"district": district, **params})
        return built

    with store._district_lock(district), store._errors(f"editing district {district!r}"):
        for _ in range(ATTEMPTS):
            with store.r.pipeline(transaction=True) as raw:
                pipe: Any = raw  # redis-py's pipeline methods are untyped
                try:
                    pipe.watch(key, version_key)
                    if not pipe.exists(key):
                        raise UnknownDistrict(district, store.list_districts())
                    current = _text(pipe.get(version_key))
                    if expected is not None and current not in expected:
                        raise StaleRevision(district, current)

                    def read(
                        name: str, params: Mapping[str, Any], pipe: Any = pipe
                    ) -> list[dict[str, Any]]:
                        reply = pipe.execute_command(
                            "GRAPH.RO_QUERY", key, header(params) + statement(name), "--compact"
                        )
                        return store._rows(QueryResult(graph, reply))

                    plan = make_plan(read)
                    revision = uuid.uuid4().hex
                    pipe.multi()
                    for name, params in plan.writes:
                        pipe.execute_command(
                            "GRAPH.QUERY", key, header(params) + statement(name), "--compact"
                        )
                    pipe.set(version_key, revision)
                    replies = pipe.execute(raise_on_error=False)
                except redis.WatchError:
                    continue  # another writer got in between: check again from the top
            failed = [r for r in replies if isinstance(r, Exception)]
            if failed:
                raise StoreError(
                    f"FalkorDB failed part of an edit of district {district!r}: "
                    f"{one_line(failed[0])}"
                )
            if plan.must_remove and not _removed(QueryResult(graph, replies[0])):
                _put_back(store, version_key, revision, current)
                raise RowNotFound(plan.section, plan.key)
            return EditResult(
                district=district,
                section=plan.section,
                key=plan.key,
                revision=revision,
                previous=current,
                created=plan.created,
                deleted=deleting,
            )
    raise StoreError(f"district {district!r} kept changing while being edited; try again")
