"""A district's analyses as the API serves them: computed once per district revision.

:func:`district_stamp` is what a cached result depends on; the reports and the
graph are kept in the app's :class:`~api.cache.AnalysisCache` under it. Used by
the JSON routes, the role shaping (:mod:`api.shaping`) and the dashboard pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from api.cache import AnalysisCache
from collabgraph.counterparts import CounterpartReport, find_counterparts
from collabgraph.gaps import GapReport, find_gaps
from collabgraph.graph import DistrictGraph
from collabgraph.network import NetworkConfig, NetworkReport, analyze_network
from collabgraph.store import Store

__all__ = [
    "counterpart_report",
    "district_graph",
    "district_stamp",
    "exact_stamp",
    "gap_report",
    "network_report",
    "revision_stamp",
]


def district_stamp(store: Store, cache: AnalysisCache, district: str) -> Any:
    """What a cached result depends on besides API writes: the store's revision token for
    the district (the embedded store changes it with every load or write) or, where the
    store keeps none, a cheap fingerprint of its graph (node and relationship totals);
    and today's date (the overdue-meeting rule follows the calendar).

    Raises :class:`~collabgraph.store.UnknownDistrict` for a district not in the store.
    """

    def read() -> Any:
        exact = exact_stamp(store, district)
        if exact is not None:
            return exact
        nodes = store.run_read("count_graph_nodes", district=district)[0]["n"]
        rels = store.run_read("count_graph_relationships", district=district)[0]["n"]
        return (nodes, rels, dt.date.today().isoformat())

    return cache.stamp(district, read)


def exact_stamp(store: Store, district: str) -> Any:
    """The stamp built from the store's revision token (read now, not memoized), or
    ``None`` when the store keeps no token. Raises ``UnknownDistrict`` like the store."""
    token = store.revision(district)  # changes with every load or write, where kept
    return None if token is None else revision_stamp(token)


def revision_stamp(token: str) -> Any:
    """The cache stamp of a district at the revision ``token`` (today's, for the calendar)."""
    return ("revision", token, dt.date.today().isoformat())


def district_graph(store: Store, cache: Any, district: str, stamp: Any) -> DistrictGraph:
    """The district's graph, read from the store once per stamp."""
    graph: DistrictGraph = cache.get_or_compute(
        district, stamp, "graph", lambda: store.read_graph(district)
    )
    return graph


def network_report(
    store: Store, cache: Any, district: str, wave: str | None, members: bool = False
) -> NetworkReport:
    """The cached natural-network report of a district (optionally one wave, with members)."""
    stamp = district_stamp(store, cache, district)
    config = NetworkConfig(include_members=True) if members else None
    report: NetworkReport = cache.get_or_compute(
        district,
        stamp,
        f"network:{wave}:{members}",
        lambda: analyze_network(
            district_graph(store, cache, district, stamp), wave=wave, config=config
        ),
    )
    return report


def gap_report(store: Store, cache: Any, district: str) -> GapReport:
    """The cached gap report of a district."""
    stamp = district_stamp(store, cache, district)
    report: GapReport = cache.get_or_compute(
        district, stamp, "gaps", lambda: find_gaps(district_graph(store, cache, district, stamp))
    )
    return report


def counterpart_report(store: Store, cache: Any, district: str) -> CounterpartReport:
    """The cached counterpart report of a district."""
    stamp = district_stamp(store, cache, district)
    report: CounterpartReport = cache.get_or_compute(
        district,
        stamp,
        "counterparts",
        lambda: find_counterparts(district_graph(store, cache, district, stamp)),
    )
    return report
