"""What a route returns where the data itself differs by role (``docs/access.md``).

* a partner's network figures are aggregates over groups of at least k people
  (:func:`collabgraph.access.network_aggregate`);
* a researcher's graph and network figures come from the de-identified
  projection (:func:`collabgraph.access.deidentify_graph`): no names,
  pseudonymized people and positions;
* the association and admins see everything.
"""

from __future__ import annotations

from typing import Any

from api.cache import AnalysisCache
from api.results import district_graph, district_stamp, network_report
from collabgraph.access import (
    NetworkAggregate,
    Principal,
    Role,
    deidentify_graph,
    network_aggregate,
    store_key,
)
from collabgraph.graph import DistrictGraph
from collabgraph.network import NetworkConfig, NetworkReport, analyze_network
from collabgraph.store import Store

__all__ = ["graph_for", "network_for"]


def graph_for(
    principal: Principal, store: Store, cache: AnalysisCache, district: str
) -> DistrictGraph:
    """The district graph as ``principal`` may see it (de-identified for researchers)."""
    stamp = district_stamp(store, cache, district)
    if principal.role is not Role.RESEARCHER:
        return district_graph(store, cache, district, stamp)
    key = store_key(store)
    graph: DistrictGraph = cache.get_or_compute(
        district,
        stamp,
        "graph:deidentified",
        lambda: deidentify_graph(district_graph(store, cache, district, stamp), key),
    )
    return graph


def network_for(
    principal: Principal,
    store: Store,
    cache: AnalysisCache,
    district: str,
    wave: str | None,
    members: bool = False,
    *,
    k: int,
    threshold: float = 0.5,
) -> NetworkReport | NetworkAggregate:
    """The natural-network figures ``principal`` may see, with each survey wave's response
    and figures (read fresh: answers arrive without changing the district); a role that
    sees no names gets them over groups of at least ``k`` people only."""
    from collabgraph.errors import CollabGraphError
    from collabgraph.survey.waves import explain_wave, survey_waves, with_surveys

    surveys = survey_waves(store, district, threshold)
    try:
        if principal.sees_people(district):
            return with_surveys(network_report(store, cache, district, wave, members), surveys)
        if principal.role is Role.PARTNER:
            report = with_surveys(network_report(store, cache, district, wave, members), surveys)
            return network_aggregate(report, k=k)
        stamp = district_stamp(store, cache, district)
        plain: Any = cache.get_or_compute(
            district,
            stamp,
            f"network:{wave}:{members}:deidentified",
            lambda: analyze_network(
                graph_for(principal, store, cache, district),
                wave=wave,
                config=NetworkConfig(include_members=True) if members else None,
            ),
        )
    except CollabGraphError as exc:
        raise explain_wave(surveys, wave, exc) from None
    shown = {w: s.for_groups(k) for w, s in surveys.items()}
    return with_surveys(plain, shown)


def query_target(principal: Principal, store: Store, district: str) -> str:
    """The graph a principal's read-only query runs on: a researcher's runs on the
    district's de-identified projection, never the named graph.

    Raises
    ------
    collabgraph.access.AccessDenied
        A non-admin on Neo4j, where one database holds every district.
    """
    from collabgraph.access import AccessDenied
    from collabgraph.access.research import ensure_projection

    if store.kind == "neo4j" and not principal.is_admin:
        raise AccessDenied(
            "on Neo4j every district shares one database, so only an admin may run "
            "read-only queries there"
        )
    if principal.role is Role.RESEARCHER:
        if not store.has_district(district):
            from collabgraph.store import UnknownDistrict

            raise UnknownDistrict(district)
        return ensure_projection(store, district, store_key(store))
    return district
