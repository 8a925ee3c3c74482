"""The de-identified projection researchers' queries run on (embedded store).

For each district a researcher queries, the store keeps a hidden graph
``collabgraph:research;<district>`` built from
:func:`~collabgraph.access.pseudonym.deidentify_graph`: no names,
pseudonymized people and positions. It is rebuilt whenever the district's
revision token changes, so it is never older than the district, and removed
with the district. Researchers' queries run on it with ``GRAPH.RO_QUERY``;
they never reach the named graph.

Neo4j keeps every district in one database, where a read-only query could
read any of them: there, researchers' queries are refused (an admin's are not).
"""

from __future__ import annotations

import uuid
from typing import Any, Final

from collabgraph.access.pseudonym import deidentify_graph
from collabgraph.access.roles import AccessDenied
from collabgraph.store.base import Store

__all__ = ["PROJECTION_PREFIX", "SOURCE_PREFIX", "ensure_projection", "projection_name"]

#: The hidden district name of a projection: ``research;<district>``.
PROJECTION_PREFIX: Final = "research;"
#: Key holding the district revision a projection was built from.
SOURCE_PREFIX: Final = "collabgraph-research-source:"


def projection_name(district: str) -> str:
    """The hidden district name of a district's projection.

    >>> projection_name("abc-unified")
    'research;abc-unified'
    """
    return PROJECTION_PREFIX + district


def ensure_projection(store: Store, district: str, key: bytes) -> str:
    """Build (or reuse) the district's projection; returns the name to query.

    Raises
    ------
    AccessDenied
        On a store other than the embedded one.
    collabgraph.store.UnknownDistrict
        When the district is not in the store.
    """
    if store.kind != "embedded":
        raise AccessDenied(
            "researchers' queries run on a de-identified copy of the district, which only "
            "the embedded store keeps; ask an admin to run the query"
        )
    from collabgraph.store.falkor import GRAPH_PREFIX, STAGING_PREFIX, FalkorStore

    falkor: Any = getattr(store, "inner", store)  # under the API's access guard
    if not isinstance(falkor, FalkorStore):
        raise AccessDenied("researchers' queries need the embedded store")
    name = projection_name(district)
    live = GRAPH_PREFIX + name
    revision = store.revision(district) or ""
    marker = SOURCE_PREFIX + district

    def current() -> bool:
        found = falkor.r.get(marker)
        seen = found.decode() if isinstance(found, bytes) else found
        return bool(seen == revision and revision and falkor.r.exists(live))

    if current():
        return name
    with falkor._district_lock(district):
        if current():
            return name
        graph = deidentify_graph(store.read_graph(district), key)
        staging = f"{STAGING_PREFIX}{name}:{uuid.uuid4().hex}"
        stats = dict.fromkeys(("nodes_created", "relationships_created", "nodes_deleted"), 0)
        with falkor._errors(f"building the research projection of {district!r}"):
            try:
                falkor._build_new(staging, graph, None, stats, None)
                pipe = falkor.r.pipeline(transaction=True)
                pipe.rename(staging, live)
                pipe.set(marker, revision)
                pipe.execute()
            finally:
                falkor.r.delete(staging)
    return name
