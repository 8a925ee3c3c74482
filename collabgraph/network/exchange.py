"""The rep network in the exchange formats of network research: UCINET DL and Pajek.

Both files hold the same thing: the association's natural network as the
network analysis sees it (people holding an association position; with
``include_members``, association members who hold none), and its observed
ties as directed arcs — ``source`` reports talking with ``target``. A pair
with several ties (different topics) is one arc with the strongest weight.
With ``wave=W``, ties of wave ``W`` and ties with no wave count, as in the
analysis; with no wave, every tie. Weights are tie strengths normalized to
(0, 1] (a weight divided by the district's ``tie_scale``, see
``docs/workbook.md``).

Vertices are labeled with person ids, never names (a file for a researcher
should not carry names). UCINET DL labels may not hold a comma, a quote or a
space, so such characters become ``_`` in DL labels (ids never hold spaces).

* :func:`to_ucinet_dl` writes DL in the ``edgelist1`` format with a
  ``labels:`` line, which keeps isolates (UCINET, igraph's ``Read_DL``).
* :func:`to_pajek` writes a Pajek ``.net`` with ``*Vertices`` and ``*Arcs``
  (Pajek, igraph's ``Read_Pajek``, networkx's ``read_pajek``).

Examples
--------
>>> from collabgraph.graph import workbook_to_graph
>>> from collabgraph.model import District, Person, Position, Tie, Workbook
>>> wb = Workbook(district=District(id="d", name="D"),
...     people=[Person(id=p, name=p.title()) for p in ("ana", "bo", "cy")],
...     positions=[Position(id=f"r-{p}", title="Rep", side="labor", kind="officer",
...                         holder=p) for p in ("ana", "bo", "cy")],
...     ties=[Tie(source="ana", target="bo", weight=0.5),
...           Tie(source="ana", target="bo", weight=0.75, topic="curriculum")])
>>> print(to_pajek(workbook_to_graph(wb)).decode())
*Vertices 3
1 "ana"
2 "bo"
3 "cy"
*Arcs
1 2 0.75
<BLANKLINE>
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from collabgraph.errors import CollabGraphError
from collabgraph.graph import DistrictGraph

__all__ = ["RepNetwork", "rep_network", "tie_scale", "to_pajek", "to_ucinet_dl"]

_DL_UNSAFE: Final = re.compile(r"[\s,\"']")


@dataclass(frozen=True)
class RepNetwork:
    """People (ids, sorted) and arcs ``(i, j) -> weight`` between their indices."""

    people: list[str]
    arcs: dict[tuple[int, int], float]


def tie_scale(graph: DistrictGraph) -> float:
    """The top of the scale the district's tie weights are on (1 unless the workbook says).

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph(district="d")
    >>> g.add_node("District:d", kind="District", id="d", tie_scale=5.0)
    >>> tie_scale(g)
    5.0
    """
    district = graph.graph.get("district")
    data = graph.nodes.get(f"District:{district}", {}) if district else {}
    scale = data.get("tie_scale")
    return float(scale) if isinstance(scale, int | float) and scale > 0 else 1.0


def _waves(graph: DistrictGraph) -> set[str]:
    return {
        str(d["wave"])
        for _, _, d in graph.edges(data=True)
        if d.get("type") == "TIE" and d.get("wave") is not None
    }


def rep_network(
    graph: DistrictGraph, *, wave: str | None = None, include_members: bool = False
) -> RepNetwork:
    """The rep network's people and strongest arcs, weights normalized to (0, 1].

    Raises
    ------
    CollabGraphError
        When ``wave`` is not a survey wave of the district.
    """
    if wave is not None and wave not in _waves(graph):
        listed = ", ".join(repr(w) for w in sorted(_waves(graph))) or "none (no tie has a wave)"
        raise CollabGraphError(
            f"no ties in survey wave {wave!r}; the district's waves are: {listed}"
        )
    chosen: set[str] = set()
    for u, v, d in graph.edges(data=True):
        if d.get("type") == "HOLDS" and graph.nodes[v].get("side") == "labor":
            chosen.add(u)
    if include_members:
        chosen |= {
            n
            for n, d in graph.nodes(data=True)
            if d.get("kind") == "Person" and d.get("side") == "labor"
        }
    keys = sorted(chosen, key=lambda k: str(graph.nodes[k].get("id", k)))
    index = {k: i for i, k in enumerate(keys)}
    scale = tie_scale(graph)
    arcs: dict[tuple[int, int], float] = {}
    for u, v, d in graph.edges(data=True):
        if d.get("type") != "TIE" or u not in index or v not in index or u == v:
            continue
        if wave is not None and d.get("wave") not in (None, wave):
            continue
        arc = (index[u], index[v])
        weight = min(float(d.get("weight", 1.0)) / scale, 1.0)
        arcs[arc] = max(arcs.get(arc, 0.0), weight)
    people = [str(graph.nodes[k].get("id", k)) for k in keys]
    return RepNetwork(people, dict(sorted(arcs.items())))


def _number(value: float) -> str:
    return f"{value:.6g}"


def _dl_labels(people: Iterable[str]) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for person in people:
        label = _DL_UNSAFE.sub("_", person)
        while label in seen:
            label += "_"
        seen.add(label)
        out.append(label)
    return out


def to_ucinet_dl(
    graph: DistrictGraph, *, wave: str | None = None, include_members: bool = False
) -> bytes:
    """The rep network as UCINET DL (``edgelist1``, labels listed, 1-based indices).

    >>> from collabgraph.model import District, Person, Position, Tie, Workbook
    >>> from collabgraph.graph import workbook_to_graph
    >>> wb = Workbook(district=District(id="d", name="D"),
    ...     people=[Person(id=p, name=p) for p in ("a", "b")],
    ...     positions=[Position(id=f"r-{p}", title="R", side="labor", kind="officer",
    ...                         holder=p) for p in ("a", "b")],
    ...     ties=[Tie(source="b", target="a", weight=0.5)])
    >>> print(to_ucinet_dl(workbook_to_graph(wb)).decode())
    DL n=2
    format = edgelist1
    labels:
    a,b
    data:
    2 1 0.5
    <BLANKLINE>
    """
    net = rep_network(graph, wave=wave, include_members=include_members)
    lines = [f"DL n={len(net.people)}", "format = edgelist1"]
    if net.people:
        lines += ["labels:", ",".join(_dl_labels(net.people))]
    lines.append("data:")
    lines += [f"{i + 1} {j + 1} {_number(w)}" for (i, j), w in net.arcs.items()]
    return ("\n".join(lines) + "\n").encode("utf-8")


def to_pajek(
    graph: DistrictGraph, *, wave: str | None = None, include_members: bool = False
) -> bytes:
    """The rep network as a Pajek ``.net`` file (``*Vertices``, then ``*Arcs``)."""
    net = rep_network(graph, wave=wave, include_members=include_members)
    lines = [f"*Vertices {len(net.people)}"]
    lines += [f'{i + 1} "{p.replace(chr(34), chr(39))}"' for i, p in enumerate(net.people)]
    lines.append("*Arcs")
    lines += [f"{i + 1} {j + 1} {_number(w)}" for (i, j), w in net.arcs.items()]
    return ("\n".join(lines) + "\n").encode("utf-8")
