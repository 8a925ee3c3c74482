"""Interactive views of a district, as self-contained HTML pages.

Three views (``docs/visualizations.md`` explains how to read them):

* ``network`` -- the association's natural network (:mod:`.network_view`);
* ``structure`` -- the structure chart with placeholders for missing
  structures (:mod:`.structure_view`);
* ``counterparts`` -- administration and association positions face to face
  (:mod:`.counterparts_view`).

:func:`build_view` makes a :class:`View` (data only), :func:`view_html` turns
it into one page that needs no network, and the ``render_*`` functions write
a view to a file.

Examples
--------
>>> from collabgraph.graph import workbook_to_graph
>>> from collabgraph.model import District, Workbook
>>> graph = workbook_to_graph(Workbook(district=District(id="d", name="D")))
>>> view = build_view("counterparts", graph)
>>> view.kind, len(view.nodes)
('counterparts', 2)
>>> view_html(view).startswith("<!doctype html>")
True
"""

from __future__ import annotations

from pathlib import Path
from typing import get_args

from collabgraph.counterparts import CounterpartReport
from collabgraph.errors import CollabGraphError
from collabgraph.gaps import GapReport
from collabgraph.graph import DistrictGraph
from collabgraph.network import NetworkReport
from visualizations.counterparts_view import build_counterparts_view
from visualizations.network_view import build_network_view
from visualizations.render import LegendItem, View, ViewKind, view_html, write_view
from visualizations.structure_view import build_structure_view

__all__ = [
    "VIEW_KINDS",
    "LegendItem",
    "View",
    "ViewKind",
    "build_view",
    "render_counterparts",
    "render_network",
    "render_structure",
    "view_html",
    "write_view",
]

#: Every view kind, in the order the CLI writes them.
VIEW_KINDS: tuple[ViewKind, ...] = get_args(ViewKind)


def build_view(
    kind: ViewKind,
    graph: DistrictGraph,
    *,
    network: NetworkReport | None = None,
    gaps: GapReport | None = None,
    counterparts: CounterpartReport | None = None,
) -> View:
    """Build one view of a district; any report it needs and is not given is computed.

    Parameters
    ----------
    kind : {"network", "structure", "counterparts"}
    graph : DistrictGraph
    network, gaps, counterparts : optional
        Reports already computed (the view uses only the one it needs).

    Raises
    ------
    CollabGraphError
        For an unknown ``kind``.
    """
    if kind == "network":
        return build_network_view(graph, network)
    if kind == "structure":
        return build_structure_view(graph, gaps)
    if kind == "counterparts":
        return build_counterparts_view(graph, counterparts)
    choices = ", ".join(VIEW_KINDS)
    raise CollabGraphError(f"unknown view {kind!r}; choose one of {choices}")


def render_network(graph: DistrictGraph, report: NetworkReport | None, path: Path | str) -> Path:
    """Write the natural network map to ``path`` and return the path."""
    return write_view(build_network_view(graph, report), path)


def render_structure(graph: DistrictGraph, gaps: GapReport | None, path: Path | str) -> Path:
    """Write the structure chart to ``path`` and return the path."""
    return write_view(build_structure_view(graph, gaps), path)


def render_counterparts(
    graph: DistrictGraph, report: CounterpartReport | None, path: Path | str
) -> Path:
    """Write the counterparts view to ``path`` and return the path."""
    return write_view(build_counterparts_view(graph, report), path)
