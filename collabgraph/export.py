"""Exports of a district for other tools: GraphML and GEXF (Gephi, igraph, R), CSV tables,
and the rep network as UCINET DL and Pajek ``.net`` (:mod:`collabgraph.network.exchange`).

In GraphML and GEXF every node's id is its graph key ``Label:id`` (a topic and a
team may share an id; their keys differ), and the row's own id is the node
attribute ``local_id`` (a node attribute named ``id`` would clash with the
file's node ids: igraph then drops them). The relationship type of an edge is
the edge attribute ``relationship``; GEXF's own edge ``type`` attribute is left
for what the format means by it (every edge is directed). Edge ids are
``source|key|target``, unique in the file.

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
from typing import Any, Final

import networkx as nx

from collabgraph.graph import DistrictGraph
from collabgraph.network.exchange import to_pajek, to_ucinet_dl
from collabgraph.safety.cells import neutralize

__all__ = [
    "REP_NETWORK_FORMATS",
    "GraphFormat",
    "edges_csv",
    "export_graph",
    "nodes_csv",
    "to_gexf",
    "to_graphml",
]


class GraphFormat(StrEnum):
    """Graph exchange formats."""

    GRAPHML = "graphml"
    GEXF = "gexf"
    NODES_CSV = "nodes-csv"
    EDGES_CSV = "edges-csv"
    UCINET_DL = "ucinet-dl"
    PAJEK = "pajek"


#: The formats that hold the rep network only (one survey wave, or all of them).
REP_NETWORK_FORMATS: Final = frozenset({GraphFormat.UCINET_DL, GraphFormat.PAJEK})


#: How a node or edge attribute is named in GraphML and GEXF when its own name clashes
#: with an attribute the file format reserves.
_RENAMED_NODE: Final = {"id": "local_id", "label": "local_label"}
_RENAMED_EDGE: Final = {"type": "relationship", "id": "local_id", "label": "local_label"}


def _flat(graph: DistrictGraph) -> DistrictGraph:
    """A copy for GraphML/GEXF: scalar values only (no None), no reserved attribute names."""
    flat: DistrictGraph = nx.MultiDiGraph()
    flat.graph.update({k: v for k, v in graph.graph.items() if v is not None})
    for n, data in graph.nodes(data=True):
        attrs = {_RENAMED_NODE.get(k, k): _scalar(v) for k, v in data.items() if v is not None}
        attrs["label"] = str(data.get("name") or data.get("title") or n)
        flat.add_node(n, **attrs)
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = {_RENAMED_EDGE.get(k, k): _scalar(x) for k, x in data.items() if x is not None}
        ident = f"{u}|{key}|{v}"
        flat.add_edge(u, v, key=ident, id=ident, **attrs)
    return flat


def _scalar(value: Any) -> Any:
    if isinstance(value, bool | int | float | str):
        return value
    return json.dumps(value, ensure_ascii=False)


def to_graphml(graph: DistrictGraph) -> bytes:
    """The district graph as GraphML (UTF-8); node ids are ``Label:id``.

    >>> from collabgraph.model import District, Topic, Team, Workbook
    >>> from collabgraph.graph import workbook_to_graph
    >>> g = workbook_to_graph(Workbook(district=District(id="d", name="D"),
    ...     topics=[Topic(id="sped", name="Special ed")],
    ...     teams=[Team(id="sped", name="Sped", kind="working_committee", level="district")]))
    >>> back = nx.read_graphml(io.BytesIO(to_graphml(g)))
    >>> sorted(back.nodes), back.nodes["Team:sped"]["local_id"]
    (['District:d', 'Team:sped', 'Topic:sped'], 'sped')
    """
    buf = io.BytesIO()
    flat = _flat(graph)
    for _, _, data in flat.edges(data=True):
        data.pop("id")  # networkx writes the edge key as the GraphML edge id
    nx.write_graphml(flat, buf, encoding="utf-8")
    return buf.getvalue()


def to_gexf(graph: DistrictGraph) -> bytes:
    """The district graph as GEXF 1.2 (UTF-8), Gephi's own format; node ids are ``Label:id``.

    >>> from collabgraph.model import District, Person, Tie, Workbook
    >>> from collabgraph.graph import workbook_to_graph
    >>> g = workbook_to_graph(Workbook(district=District(id="d", name="D"),
    ...     people=[Person(id="a", name="Ana", side="labor"), Person(id="b", name="Bo",
    ...     side="labor")], ties=[Tie(source="a", target="b", weight=0.5)]))
    >>> back = nx.read_gexf(io.BytesIO(to_gexf(g)))
    >>> [(u, v, d["relationship"], d["weight"]) for u, v, d in back.edges(data=True)]
    [('Person:a', 'Person:b', 'TIE', 0.5)]
    """
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
            neutralize(str(cell))
            for cell in (
                n,
                data["kind"],
                data.get("id", ""),
                name,
                json.dumps(rest, ensure_ascii=False, sort_keys=True),
            )
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
            neutralize(str(cell))
            for cell in (
                u,
                v,
                data["type"],
                key,
                json.dumps(rest, ensure_ascii=False, sort_keys=True),
            )
        )
    return buf.getvalue().encode("utf-8")


def export_graph(
    graph: DistrictGraph,
    fmt: GraphFormat | str,
    *,
    wave: str | None = None,
    include_members: bool = False,
) -> bytes:
    """The graph in one of the :class:`GraphFormat` formats.

    ``wave`` and ``include_members`` apply to the rep-network formats (UCINET DL,
    Pajek), which hold the network the analysis reads; the other formats hold the
    whole district graph.
    """
    kind = GraphFormat(fmt)
    if kind in REP_NETWORK_FORMATS:
        write = to_ucinet_dl if kind is GraphFormat.UCINET_DL else to_pajek
        return write(graph, wave=wave, include_members=include_members)
    writers = {
        GraphFormat.GRAPHML: to_graphml,
        GraphFormat.GEXF: to_gexf,
        GraphFormat.NODES_CSV: nodes_csv,
        GraphFormat.EDGES_CSV: edges_csv,
    }
    return writers[kind](graph)
