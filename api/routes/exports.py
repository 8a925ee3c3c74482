"""Exports: the workbook again (YAML, JSON, xlsx) and the graph for Gephi/UCINET/R."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import CacheDep, PrincipalDep, StoreDep
from api.shaping import graph_for
from collabgraph.export import GraphFormat, export_graph
from collabgraph.safety.scratch import scratch_dir
from collabgraph.store.embedded import default_data_dir
from collabgraph.workbook import dump_json, dump_yaml
from collabgraph.workbook.tabular import write_xlsx

__all__ = ["XLSX_MEDIA", "download", "router"]

router = APIRouter(prefix="/districts/{district}/export", tags=["exports"])


class WorkbookFormat(StrEnum):
    """Workbook encodings a district exports to."""

    YAML = "yaml"
    JSON = "json"
    XLSX = "xlsx"


XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(data: bytes, media: str, filename: str) -> Response:
    """``data`` as a file download named ``filename`` (anything but id characters becomes _)."""
    safe = re.sub(r"[^\w.\-]", "_", filename, flags=re.ASCII).lstrip(".") or "download"
    return Response(
        data,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{safe}"'},
    )


@router.get(
    "/workbook",
    summary="The district as a workbook file",
    responses={200: {"content": {"application/yaml": {}, "application/json": {}, XLSX_MEDIA: {}}}},
)
def export_workbook(
    district: str,
    store: StoreDep,
    format: Annotated[
        WorkbookFormat, Query(description="yaml, json or xlsx")
    ] = WorkbookFormat.YAML,
) -> Response:
    """Download the district as a workbook that loads back to the same district."""
    wb = store.read_workbook(district)
    if format is WorkbookFormat.YAML:
        return download(
            dump_yaml(wb).encode(), "application/yaml; charset=utf-8", f"{district}.yaml"
        )
    if format is WorkbookFormat.JSON:
        return download(dump_json(wb).encode(), "application/json", f"{district}.json")
    server = getattr(store, "server", None)
    with scratch_dir(server.data_dir if server else default_data_dir(), "export") as tmp:
        path = tmp / "export.xlsx"
        write_xlsx(wb, path)
        path.chmod(0o600)
        return download(path.read_bytes(), XLSX_MEDIA, f"{district}.xlsx")


_MEDIA = {
    GraphFormat.GRAPHML: ("application/graphml+xml", "graphml"),
    GraphFormat.GEXF: ("application/gexf+xml", "gexf"),
    GraphFormat.NODES_CSV: ("text/csv; charset=utf-8", "nodes.csv"),
    GraphFormat.EDGES_CSV: ("text/csv; charset=utf-8", "edges.csv"),
    GraphFormat.UCINET_DL: ("text/plain; charset=utf-8", "dl"),
    GraphFormat.PAJEK: ("text/plain; charset=utf-8", "net"),
}


@router.get(
    "/graph",
    summary="The district graph (GraphML, GEXF, CSV) or its rep network (UCINET DL, Pajek)",
    responses={
        200: {
            "content": {"application/graphml+xml": {}, "application/gexf+xml": {}, "text/csv": {}}
        }
    },
)
def export_graph_file(
    district: str,
    store: StoreDep,
    cache: CacheDep,
    principal: PrincipalDep,
    format: Annotated[
        GraphFormat,
        Query(description="graphml, gexf, nodes-csv, edges-csv, ucinet-dl or pajek"),
    ] = GraphFormat.GRAPHML,
    wave: Annotated[
        str | None,
        Query(description="ucinet-dl, pajek: only this survey wave (and undated ties)"),
    ] = None,
    members: Annotated[
        bool,
        Query(description="ucinet-dl, pajek: add association members who hold no position"),
    ] = False,
) -> Response:
    """Download the typed graph for Gephi, igraph, R or a spreadsheet, or the rep network
    (people holding association positions, their observed ties as weighted arcs) for
    UCINET or Pajek. A researcher's is de-identified: pseudonymized people and positions,
    no names."""
    media, suffix = _MEDIA[format]
    graph = graph_for(principal, store, cache, district)
    data = export_graph(graph, format, wave=wave, include_members=members)
    tag = re.sub(r"[^A-Za-z0-9_.-]", "_", wave) if wave else ""
    name = f"{district}-{tag}.{suffix}" if wave else f"{district}.{suffix}"
    return download(data, media, name)
