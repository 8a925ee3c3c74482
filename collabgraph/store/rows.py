"""Between the district graph and the rows the store's statements take and return.

Writing: :func:`store_rows` turns the graph of
:func:`collabgraph.graph.workbook_to_graph` into parameter rows for the
``merge_*`` and ``prune_*`` statements. Every stored node carries ``key``
(``"<district>;<id>"``, unique per label across districts; ``;`` cannot occur in
an id), ``district``, ``seq`` (its position in the workbook, to read rows back
in order) and the graph's node attributes.

Reading: :func:`graph_from_rows` rebuilds the same graph from what
``read_nodes`` and ``read_edges`` return.

Examples
--------
>>> from collabgraph.graph import workbook_to_graph
>>> from collabgraph.model import District, Person, Tie, Workbook
>>> wb = Workbook(district=District(id="d", name="D"),
...               people=[Person(id="a", name="Ana", side="labor"),
...                       Person(id="b", name="Bo", side="labor")],
...               ties=[Tie(source="a", target="b", weight=0.5)])
>>> rows = store_rows(workbook_to_graph(wb))
>>> row = rows.nodes["merge_people"][1]
>>> row["key"], sorted(row["props"])
('d;b', ['district', 'id', 'key', 'name', 'seq', 'side'])
>>> rows.edges["merge_person_tie_person"][0]["key"]
'a>b||'
>>> rows.total
4
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import networkx as nx

from collabgraph.graph import NODE_KINDS, DistrictGraph, node_key
from collabgraph.model import FORMAT
from collabgraph.store.specs import (
    BUILTIN_TOPIC_STATEMENT,
    EDGE_SPECS,
    EDGE_SPECS_BY_ENDS,
    NODE_STATEMENTS,
    EdgeSpec,
)

__all__ = [
    "INTERNAL_PROPS",
    "Adjacency",
    "StoreRows",
    "bulk_rows",
    "graph_from_parts",
    "graph_from_rows",
    "no_gc_pauses",
    "store_key",
    "store_rows",
]

#: Node properties the store adds for itself and strips when reading back
#: (``revision``: the district's change token on Neo4j).
INTERNAL_PROPS: Final = frozenset({"key", "district", "seq", "revision"})

_Row = dict[str, Any]


def store_key(district: str, ident: str) -> str:
    """The district-scoped key a node is merged on.

    >>> store_key("abc-unified", "lincoln-es")
    'abc-unified;lincoln-es'
    """
    return f"{district};{ident}"


@dataclass
class StoreRows:
    """Parameter rows for one district, grouped by the statement that takes them.

    ``nodes`` and ``edges`` map a statement name to its ``$rows``; ``prunes``
    maps a ``prune_*`` statement to ``[{owner, keep}]`` rows. Node statements
    come first in workbook order, so relationships always find both ends.
    """

    district: str
    nodes: dict[str, list[_Row]] = field(default_factory=dict)
    edges: dict[str, list[_Row]] = field(default_factory=dict)
    prunes: dict[str, list[_Row]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        """Nodes plus relationships to write."""
        return sum(map(len, self.nodes.values())) + sum(map(len, self.edges.values()))


def _node_props(g: DistrictGraph) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(node key in the graph, label, stored properties) for every node, in order."""
    district = str(g.graph["district"])
    seqs: dict[str, int] = {}
    for node, attrs in g.nodes(data=True):
        label = attrs["kind"]
        props = attrs.copy()
        del props["kind"]
        seq = seqs.get(label, 0)
        seqs[label] = seq + 1
        props["key"] = f"{district};{attrs['id']}"
        props["district"] = district
        props["seq"] = seq
        yield node, label, props


def store_rows(g: DistrictGraph) -> StoreRows:
    """Turn a district graph into the rows the upsert statements take.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        As built by :func:`collabgraph.graph.workbook_to_graph`.
    """
    out = StoreRows(str(g.graph["district"]))
    key_of: dict[str, str] = {}
    kind_of: dict[str, str] = {}
    owners: dict[str, list[str]] = {}
    for node, label, props in _node_props(g):
        key = props["key"]
        key_of[node] = key
        kind_of[node] = label
        owners.setdefault(label, []).append(key)
        statement = NODE_STATEMENTS[label]
        if label == "Topic" and props.get("builtin"):
            statement = BUILTIN_TOPIC_STATEMENT
        out.nodes.setdefault(statement, []).append({"key": key, "props": props})
    keep: dict[EdgeSpec, dict[str, list[str]]] = {
        spec: {} for spec in EDGE_SPECS if spec.owner is not None
    }
    merge_names = {spec: spec.merge_statement for spec in EDGE_SPECS}
    for u, v, k, attrs in g.edges(keys=True, data=True):
        spec = EDGE_SPECS_BY_ENDS[(kind_of[u], attrs["type"], kind_of[v])]
        src, dst = key_of[u], key_of[v]
        props = attrs.copy()
        del props["type"]
        row: _Row = {"src": src, "dst": dst, "props": props}
        if spec.keyed:
            row["key"] = props["key"] = str(k)
        out.edges.setdefault(merge_names[spec], []).append(row)
        if spec.owner == "src":
            keep[spec].setdefault(src, []).append(dst)
        elif spec.owner == "dst":
            keep[spec].setdefault(dst, []).append(src)
    # Every node that owns relationships of a kind gets a prune row, even with
    # nothing to keep: a row that dropped its school loses its AT relationship.
    for spec, kept in keep.items():
        owner_label = spec.src if spec.owner == "src" else spec.dst
        rows = [{"owner": o, "keep": kept.get(o, [])} for o in owners.get(owner_label, [])]
        if rows:
            out.prunes[spec.prune_statement] = rows
    return out


BulkNodes = dict[str, list[dict[str, Any]]]
BulkEdges = list[tuple[str, list[tuple[int, int, dict[str, Any]]]]]


def bulk_rows(g: DistrictGraph) -> tuple[BulkNodes, BulkEdges]:
    """Nodes per label and relationships per type, as :func:`~collabgraph.store.bulk.bulk_commands`
    takes them: relationship ends are node numbers, counted per label in order.
    """
    labels: BulkNodes = {}
    for node, label, props in _node_props(g):
        props["_node"] = node
        labels.setdefault(label, []).append(props)
    number: dict[str, int] = {}
    i = 0
    for rows in labels.values():
        for props in rows:
            number[props.pop("_node")] = i
            i += 1
    by_type: dict[str, list[tuple[int, int, dict[str, Any]]]] = {}
    for u, v, k, attrs in g.edges(keys=True, data=True):
        props = attrs.copy()
        type_ = props.pop("type")
        if type_ == "TIE":
            props["key"] = str(k)
        by_type.setdefault(type_, []).append((number[u], number[v], props))
    return labels, list(by_type.items())


@contextlib.contextmanager
def no_gc_pauses() -> Iterator[None]:
    """Hold off the cyclic garbage collector while a district's rows are turned into objects.

    Building tens of thousands of acyclic dicts and rows makes the collector scan the
    whole heap again and again; in a process that already holds a lot (the API with
    its caches) that was more than half of a read. Reference counting still frees
    everything; the collector runs again afterwards.

    >>> with no_gc_pauses():
    ...     gc.isenabled()
    False
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _ordered_nodes(
    nodes: Iterable[tuple[str, dict[str, Any]]],
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(label, stored properties, graph attributes) per label in workbook order (``seq``)."""
    by_label: dict[str, list[dict[str, Any]]] = {}
    for label, props in nodes:
        by_label.setdefault(label, []).append(props)
    order = list(NODE_KINDS) + sorted(set(by_label) - set(NODE_KINDS))
    for label in order:
        rows = sorted(by_label.get(label, []), key=lambda p: (p.get("seq", 0), str(p.get("id"))))
        for props in rows:
            attrs = {"kind": label, **{k: v for k, v in props.items() if k not in INTERNAL_PROPS}}
            yield label, props, attrs


class Adjacency:
    """A district read from the store, held as plain dictionaries: exactly what
    :func:`collabgraph.graph.graph_to_workbook` reads of a graph (``nodes``,
    ``edges``, ``succ``, ``pred``), without the cost of building a networkx graph.

    >>> a = Adjacency("d", [("Person", {"id": "a", "seq": 0}), ("Person", {"id": "b", "seq": 1})],
    ...               [("Person:a", "Person:b", "a>b||", {"type": "TIE"})])
    >>> [n for n, _ in a.nodes(data=True)], list(a.succ["Person:a"])
    (['Person:a', 'Person:b'], ['Person:b'])
    """

    def __init__(
        self,
        district: str,
        nodes: Iterable[tuple[str, dict[str, Any]]],
        edges: Iterable[tuple[str, str, str, dict[str, Any]]],
    ) -> None:
        self.graph: dict[str, Any] = {"district": district, "format": FORMAT}
        ordered = list(_ordered_nodes(nodes))
        self.graph["name"] = next((p.get("name") for lb, p, _ in ordered if lb == "District"), None)
        self._nodes = [(f"{label}:{props['id']}", attrs) for label, props, attrs in ordered]
        self.succ: dict[str, dict[str, dict[str, dict[str, Any]]]] = {n: {} for n, _ in self._nodes}
        self.pred: dict[str, dict[str, dict[str, dict[str, Any]]]] = {n: {} for n, _ in self._nodes}
        self._edges: list[tuple[str, str, dict[str, Any]]] = []
        for u, v, key, data in edges:
            self.succ.setdefault(u, {}).setdefault(v, {})[key] = data
            self.pred.setdefault(v, {}).setdefault(u, {})[key] = data
            self._edges.append((u, v, data))

    def nodes(self, data: bool = True) -> list[tuple[str, dict[str, Any]]]:
        """``(node, attributes)`` in workbook order."""
        return self._nodes

    def edges(self, data: bool = True) -> list[tuple[str, str, dict[str, Any]]]:
        """``(u, v, attributes)`` of every edge."""
        return self._edges


def graph_from_parts(
    district: str,
    nodes: Iterable[tuple[str, dict[str, Any]]],
    edges: Iterable[tuple[str, str, str, dict[str, Any]]],
) -> DistrictGraph:
    """Build a district graph from ``(label, stored properties)`` nodes and finished
    ``(u, v, key, attributes)`` edges.

    Nodes are added per label in workbook order (their ``seq``), so
    :func:`collabgraph.graph.graph_to_workbook` gives the rows back in order.

    The graph is the one ``add_nodes_from`` and ``add_edges_from`` would build, in the
    same order, but its adjacency dictionaries are filled directly: networkx's
    per-edge bookkeeping was a third of reading a large district. The attribute
    dictionaries given are taken over, not copied.

    >>> g = graph_from_parts("d", [("Person", {"id": "a", "seq": 0})],
    ...                      [("Person:a", "Person:b", "a>b||", {"type": "TIE"})])
    >>> list(g.nodes), list(g.edges(keys=True, data="type"))
    (['Person:a', 'Person:b'], [('Person:a', 'Person:b', 'a>b||', 'TIE')])
    """
    g: DistrictGraph = nx.MultiDiGraph(district=district, format=FORMAT)
    # networkx's documented data structure (node -> attributes, node -> neighbour ->
    # key -> edge attributes, succ and pred sharing each key dictionary).
    internals = vars(g)
    node: dict[str, dict[str, Any]] = internals["_node"]
    succ: dict[str, dict[str, dict[str, dict[str, Any]]]] = internals["_succ"]
    pred: dict[str, dict[str, dict[str, dict[str, Any]]]] = internals["_pred"]
    for label, props, attrs in _ordered_nodes(nodes):
        key = f"{label}:{props['id']}"
        if key in node:
            node[key].update(attrs)
        else:
            node[key], succ[key], pred[key] = attrs, {}, {}
        if label == "District":
            g.graph["name"] = props.get("name")
    for u, v, key, data in edges:
        out = succ.get(u)
        if out is None:
            node[u], out, pred[u] = {}, {}, {}
            succ[u] = out
        if v not in succ:
            node[v], succ[v], pred[v] = {}, {}, {}
        keydict = out.get(v)
        if keydict is None:
            out[v] = pred[v][u] = {key: data}
        elif key in keydict:
            keydict[key].update(data)
        else:
            keydict[key] = data
    nx._clear_cache(g)
    return g


def _graph_from_parts_networkx(
    district: str,
    nodes: Iterable[tuple[str, dict[str, Any]]],
    edges: Iterable[tuple[str, str, str, dict[str, Any]]],
) -> DistrictGraph:
    """:func:`graph_from_parts` through networkx's own ``add_*_from`` (the tests compare
    the two)."""
    g: DistrictGraph = nx.MultiDiGraph(district=district, format=FORMAT)
    ordered = list(_ordered_nodes(nodes))
    g.add_nodes_from((f"{label}:{props['id']}", attrs) for label, props, attrs in ordered)
    for label, props, _ in ordered:
        if label == "District":
            g.graph["name"] = props.get("name")
    g.add_edges_from(edges)  # type: ignore[arg-type]  # (u, v, key, data) is valid
    return g


def _edge(row: Mapping[str, Any]) -> tuple[str, str, str, dict[str, Any]]:
    props = dict(row["props"])
    type_ = str(row["type"])
    key = str(props.pop("key")) if type_ == "TIE" else type_
    props["type"] = type_
    return (
        node_key(str(row["src_kind"]), str(row["src"])),
        node_key(str(row["dst_kind"]), str(row["dst"])),
        key,
        props,
    )


def graph_from_rows(
    district: str,
    nodes: Iterable[Mapping[str, Any]],
    edges: Iterable[Mapping[str, Any]],
) -> DistrictGraph:
    """Rebuild a district graph from ``read_nodes`` and ``read_edges`` rows."""
    return graph_from_parts(
        district,
        ((str(row["kind"]), dict(row["props"])) for row in nodes),
        (_edge(row) for row in edges),
    )
