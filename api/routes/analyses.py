"""The three analyses and the two worksheets of a district, cached per revision."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse, Response

from api.cache import AnalysisCache
from api.deps import CacheDep, PrincipalDep, SettingsDep, StoreDep
from collabgraph.access import NetworkAggregate
from collabgraph.counterparts import CounterpartReport, StandingMeetingRow, find_counterparts
from collabgraph.gaps import GapReport, find_gaps
from collabgraph.graph import DistrictGraph
from collabgraph.network import NetworkConfig, NetworkReport, analyze_network
from collabgraph.store import Store
from collabgraph.worksheet import (
    StructureRow,
    standing_meeting_rows,
    standing_meeting_worksheet,
    structure_rows,
    structure_worksheet,
)

__all__ = [
    "counterpart_report",
    "district_graph",
    "district_stamp",
    "exact_stamp",
    "gap_report",
    "network_report",
    "revision_stamp",
    "router",
]

router = APIRouter(prefix="/districts/{district}", tags=["analyses"])


class TableFormat(StrEnum):
    """How a worksheet is returned."""

    JSON = "json"
    CSV = "csv"
    MD = "md"


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


@router.get(
    "/analyses/network",
    summary="Natural-network figures (density, holes, brokers)",
    response_model=NetworkReport | NetworkAggregate,
)
def network(
    district: str,
    store: StoreDep,
    cache: CacheDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    wave: Annotated[str | None, Query(description="Only this survey wave's ties")] = None,
    members: Annotated[
        bool, Query(description="Add association members who hold no position")
    ] = False,
) -> NetworkReport | NetworkAggregate:
    """Density, isolates, components, brokers, coverage, E-I index, per wave and change.

    By default the network is the people holding association positions; with
    ``members=true`` every association member who holds none is added. A partner
    account gets aggregates over groups of at least ``COLLABGRAPH_MIN_GROUP`` people
    instead; a researcher's report has pseudonymized ids and no names."""
    from api.shaping import network_for

    return network_for(principal, store, cache, district, wave, members, k=settings.min_group)


@router.get(
    "/analyses/gaps", summary="Structural gaps (the worksheet's findings)", response_model=GapReport
)
def gaps(district: str, store: StoreDep, cache: CacheDep) -> GapReport:
    """Every finding with its severity, subject, evidence and suggested change."""
    return gap_report(store, cache, district)


@router.get(
    "/analyses/counterparts",
    summary="Role-alike counterpart pairs",
    response_model=CounterpartReport,
)
def counterparts(district: str, store: StoreDep, cache: CacheDep) -> CounterpartReport:
    """Declared, meeting-based and suggested pairs; unmatched positions; pairs never meeting."""
    return counterpart_report(store, cache, district)


def _text(body: str, fmt: TableFormat, name: str) -> Response:
    media = "text/csv" if fmt is TableFormat.CSV else "text/markdown"
    suffix = "csv" if fmt is TableFormat.CSV else "md"
    return PlainTextResponse(
        body,
        media_type=f"{media}; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{name}.{suffix}"'},
    )


@router.get(
    "/worksheets/structure",
    summary="Collaborative Structure Worksheet, Part 2",
    response_model=list[StructureRow],
    responses={200: {"content": {"text/csv": {}, "text/markdown": {}}}},
)
def structure_sheet(
    district: str,
    store: StoreDep,
    cache: CacheDep,
    format: Annotated[TableFormat, Query(description="json, csv or md")] = TableFormat.JSON,
) -> Any:
    """Existing Structure | Topics Addressed | Who is Included? | Modifications?"""
    report = gap_report(store, cache, district)
    graph = district_graph(store, cache, district, district_stamp(store, cache, district))
    if format is TableFormat.JSON:
        return structure_rows(graph, report)
    return _text(
        structure_worksheet(graph, report, format.value), format, f"{district}-structure-worksheet"
    )


@router.get(
    "/worksheets/standing-meetings",
    summary="Standing Meeting Worksheet",
    response_model=list[StandingMeetingRow],
    responses={200: {"content": {"text/csv": {}, "text/markdown": {}}}},
)
def standing_meeting_sheet(
    district: str,
    store: StoreDep,
    cache: CacheDep,
    format: Annotated[TableFormat, Query(description="json, csv or md")] = TableFormat.JSON,
) -> Any:
    """Administration position | association position | meeting | cadence | last held | status."""
    report = counterpart_report(store, cache, district)
    gaps = gap_report(store, cache, district)
    if format is TableFormat.JSON:
        return standing_meeting_rows(report, gaps)
    return _text(
        standing_meeting_worksheet(report, format.value, gaps),
        format,
        f"{district}-standing-meetings",
    )
