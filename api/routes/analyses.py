"""The three analyses and the two worksheets of a district, cached per revision
(the cached results themselves: :mod:`api.results`)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse, Response

from api.deps import CacheDep, PrincipalDep, SettingsDep, StoreDep
from api.results import (
    counterpart_report,
    district_graph,
    district_stamp,
    gap_report,
)
from api.shaping import network_for
from collabgraph.access import NetworkAggregate
from collabgraph.counterparts import CounterpartReport, StandingMeetingRow
from collabgraph.gaps import GapReport
from collabgraph.network import NetworkReport
from collabgraph.worksheet import (
    StructureRow,
    standing_meeting_rows,
    standing_meeting_worksheet,
    structure_rows,
    structure_worksheet,
)

__all__ = ["router"]

router = APIRouter(prefix="/districts/{district}", tags=["analyses"])


class TableFormat(StrEnum):
    """How a worksheet is returned."""

    JSON = "json"
    CSV = "csv"
    MD = "md"


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
    threshold: Annotated[
        float,
        Query(
            ge=0.0,
            le=1.0,
            description="Survey waves: flag the schools whose response rate is under this share",
        ),
    ] = 0.5,
) -> NetworkReport | NetworkAggregate:
    """Density, isolates, components, brokers, coverage, E-I index, per wave and change.

    By default the network is the people holding association positions; with
    ``members=true`` every association member who holds none is added. A wave whose
    ties came from a tie survey carries the survey's response (overall, per school,
    the schools under ``threshold``) and the figures that allow for who did not answer
    (``survey``, and in ``per_wave`` and ``changes``). A partner account gets
    aggregates over groups of at least ``COLLABGRAPH_MIN_GROUP`` people instead; a
    researcher's report has pseudonymized ids and no names."""
    return network_for(
        principal, store, cache, district, wave, members, k=settings.min_group, threshold=threshold
    )


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
