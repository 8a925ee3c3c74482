"""Exports: the workbook again (YAML, JSON, xlsx) and the graph for Gephi/UCINET/R."""

from __future__ import annotations

import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import StoreDep
from collabgraph.export import GraphFormat, export_graph
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
    """``data`` as a file download named ``filename``."""
    return Response(
        data,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
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
    with tempfile.TemporaryDirectory(prefix="collabgraph-export-") as tmp:
        path = Path(tmp) / f"{district}.xlsx"
        write_xlsx(wb, path)
        return download(path.read_bytes(), XLSX_MEDIA, f"{district}.xlsx")


_MEDIA = {
    GraphFormat.GRAPHML: ("application/graphml+xml", "graphml"),
    GraphFormat.GEXF: ("application/gexf+xml", "gexf"),
    GraphFormat.NODES_CSV: ("text/csv; charset=utf-8", "nodes.csv"),
    GraphFormat.EDGES_CSV: ("text/csv; charset=utf-8", "edges.csv"),
}


@router.get(
    "/graph",
    summary="The district graph as GraphML, GEXF or CSV tables",
    responses={
        200: {
            "content": {"application/graphml+xml": {}, "application/gexf+xml": {}, "text/csv": {}}
        }
    },
)
def export_graph_file(
    district: str,
    store: StoreDep,
    format: Annotated[
        GraphFormat, Query(description="graphml, gexf, nodes-csv or edges-csv")
    ] = GraphFormat.GRAPHML,
) -> Response:
    """Download the typed graph for Gephi, UCINET, R or a spreadsheet."""
    media, suffix = _MEDIA[format]
    return download(export_graph(store.read_graph(district), format), media, f"{district}.{suffix}")
