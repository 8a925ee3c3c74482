"""Districts: list with key figures, get one, delete one, and its graph as JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.cache import AnalysisCache
from api.deps import CacheDep, PrincipalDep, StoreDep
from api.results import district_stamp
from api.schemas import DistrictPublic, DistrictsPublic, EdgePublic, GraphPublic, NodePublic
from api.shaping import graph_for
from collabgraph.graph import NODE_KINDS
from collabgraph.store import Store, UnknownDistrict

__all__ = ["router"]

router = APIRouter(prefix="/districts", tags=["districts"])


def district_public(store: Store, cache: AnalysisCache, district: str) -> DistrictPublic:
    """Key figures of one district (cached like the analyses); 404 when it is not there."""
    return cache.get_or_compute(
        district,
        district_stamp(store, cache, district),
        "summary",
        lambda: _district_public(store, district),
    )


def _district_public(store: Store, district: str) -> DistrictPublic:
    counts = store.counts(district)
    rows = store.run_read("get_district", {"district": district}, district=district)
    name = str(rows[0]["name"]) if rows else district
    return DistrictPublic(
        id=district,
        name=name,
        counts=counts,
        people=counts.nodes.get("Person", 0),
        schools=counts.nodes.get("School", 0),
        ties=counts.relationships.get("TIE", 0),
    )


@router.get("", summary="List districts with key figures", response_model=DistrictsPublic)
def list_districts(store: StoreDep, cache: CacheDep) -> DistrictsPublic:
    """Every district in the store, with node, tie and school counts."""
    return DistrictsPublic(
        districts=[district_public(store, cache, d) for d in store.list_districts()]
    )


@router.get("/{district}", summary="One district's key figures", response_model=DistrictPublic)
def get_district(district: str, store: StoreDep, cache: CacheDep) -> DistrictPublic:
    """Counts by label and type for one district."""
    return district_public(store, cache, district)


@router.delete("/{district}", summary="Delete a district and everything in it", status_code=204)
def delete_district(district: str, store: StoreDep, cache: CacheDep) -> None:
    """Remove the district (people, ties, teams...). 404 when it is not there."""
    if not store.delete_district(district):
        raise UnknownDistrict(district, store.list_districts())
    cache.invalidate(district)


@router.get(
    "/{district}/graph", summary="The district's nodes and edges, paged", response_model=GraphPublic
)
def get_graph(
    district: str,
    store: StoreDep,
    cache: CacheDep,
    principal: PrincipalDep,
    kind: Annotated[
        list[str] | None, Query(description=f"Node labels: {', '.join(NODE_KINDS)}")
    ] = None,
    edge_type: Annotated[list[str] | None, Query(description="Relationship types")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 1000,
) -> GraphPublic:
    """Nodes (filtered by label) and the edges among the returned nodes, in stable order.

    A researcher's graph is de-identified (pseudonymized people and positions, no names)."""
    graph = graph_for(principal, store, cache, district)
    kinds = set(kind or NODE_KINDS)
    keys = sorted(k for k, d in graph.nodes(data=True) if d["kind"] in kinds)
    page = keys[offset : offset + limit]
    on_page = set(page)
    nodes = [
        NodePublic(
            key=k,
            kind=graph.nodes[k]["kind"],
            properties={a: v for a, v in graph.nodes[k].items() if a != "kind"},
        )
        for k in page
    ]
    types = set(edge_type) if edge_type else None
    edges: list[EdgePublic] = []
    for u, v, data in graph.edges(data=True):
        if u in on_page and v in on_page and (types is None or data["type"] in types):
            props: dict[str, Any] = {a: x for a, x in data.items() if a != "type"}
            edges.append(EdgePublic(source=u, target=v, type=data["type"], properties=props))
    return GraphPublic(
        district=district,
        total_nodes=len(keys),
        total_edges=graph.number_of_edges(),
        offset=offset,
        limit=limit,
        nodes=nodes,
        edges=edges,
    )
