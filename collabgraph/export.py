"""Exports of a district for other tools: GraphML and GEXF (Gephi, UCINET, R), CSV tables.

Examples
--------
>>> from collabgraph.model import District, Person, Tie, Workbook
>>> from collabgraph.graph import workbook_to_graph
>>> g = workbook_to_graph(Workbook(district=District(id="d", name="D"),
...     people=[Person(id="a", name="Ana", side="labor"), Person(id="b", name="Bo",
...     side="labor")], ties=[Tie(source="a", target="b", weight=0.5)]))
>>> print(edges_csv(g).decode().splitlines()[1])
Person:a,Person:b,TIE,a>b||,"{""order"": 0, ""weight"": 0.5}"
>>> b"<graphml" in to_graphml(g)
True
"""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from typing import Any

import networkx as nx

from collabgraph.graph import DistrictGraph

__all__ = ["GraphFormat", "edges_csv", "export_graph", "nodes_csv", "to_gexf", "to_graphml"]


class GraphFormat(StrEnum):
    """Graph exchange formats."""

    GRAPHML = "graphml"
    GEXF = "gexf"
    NODES_CSV = "nodes-csv"
    EDGES_CSV = "edges-csv"


def _flat(graph: DistrictGraph) -> DistrictGraph:
    """A copy whose attribute values are all GraphML/GEXF scalars (no None)."""
    flat: DistrictGraph = nx.MultiDiGraph()
    flat.graph.update({k: v for k, v in graph.graph.items() if v is not None})
    for n, data in graph.nodes(data=True):
        flat.add_node(n, **{k: _scalar(v) for k, v in data.items() if v is not None})
        flat.nodes[n].setdefault("label", str(data.get("name") or data.get("title") or n))
    for u, v, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key, **{k: _scalar(x) for k, x in data.items() if x is not None})
    return flat


def _scalar(value: Any) -> Any:
    if isinstance(value, bool | int | float | str):
        return value
    return json.dumps(value, ensure_ascii=False)


def to_graphml(graph: DistrictGraph) -> bytes:
    """The district graph as GraphML (UTF-8)."""
    buf = io.BytesIO()
    nx.write_graphml(_flat(graph), buf, encoding="utf-8")
    return buf.getvalue()


def to_gexf(graph: DistrictGraph) -> bytes:
    """The district graph as GEXF 1.2 (UTF-8), Gephi's own format."""
    buf = io.BytesIO()
    nx.write_gexf(_flat(graph), buf, encoding="utf-8")
    return buf.getvalue()


def nodes_csv(graph: DistrictGraph) -> bytes:
    """One row per node: key, kind, id, name, then the other attributes as JSON."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(["key", "kind", "id", "name", "attributes"])
    for n, data in graph.nodes(data=True):
        rest = {k: v for k, v in data.items() if k not in {"kind", "id", "name", "title"}}
        name = data.get("name") or data.get("title") or ""
        out.writerow(
            [
                n,
                data["kind"],
                data.get("id", ""),
                name,
                json.dumps(rest, ensure_ascii=False, sort_keys=True),
            ]
        )
    return buf.getvalue().encode("utf-8")


def edges_csv(graph: DistrictGraph) -> bytes:
    """One row per edge: source, target, type, key, then the other attributes as JSON."""
    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(["source", "target", "type", "key", "attributes"])
    for u, v, key, data in graph.edges(keys=True, data=True):
        rest = {k: x for k, x in data.items() if k != "type"}
        out.writerow(
            [u, v, data["type"], key, json.dumps(rest, ensure_ascii=False, sort_keys=True)]
        )
    return buf.getvalue().encode("utf-8")


def export_graph(graph: DistrictGraph, fmt: GraphFormat | str) -> bytes:
    """The graph in one of the :class:`GraphFormat` formats."""
    kind = GraphFormat(fmt)
    writers = {
        GraphFormat.GRAPHML: to_graphml,
        GraphFormat.GEXF: to_gexf,
        GraphFormat.NODES_CSV: nodes_csv,
        GraphFormat.EDGES_CSV: edges_csv,
    }
    return writers[kind](graph)
