"""Pseudonyms and the de-identified projection of a district, for researchers.

A pseudonym is a keyed hash (HMAC-SHA-256 under the install secret, see
:mod:`collabgraph.access.keys`) of the district, label and id: stable for as long
as the install keeps its secret, so results of different queries and waves
join, and impossible to reverse or recompute without the secret.

The projection keeps the structure and every figure but no name: people and
positions get pseudonyms, people lose their display names, and free-text
fields (``note``, ``description``) are dropped everywhere. Schools,
organizations, topics, teams and meetings keep their ids and names: they are
the public structure the figures are about.

Examples
--------
>>> key = bytes(32)
>>> pseudonym(key, "d", "Person", "p1") == pseudonym(key, "d", "Person", "p1")
True
>>> pseudonym(key, "d", "Person", "p1").startswith("px-"), len(pseudonym(key, "d", "Person", "p1"))
(True, 19)
>>> from collabgraph.graph import workbook_to_graph
>>> from collabgraph.model import District, Person, Tie, Workbook
>>> wb = Workbook(district=District(id="d", name="D"),
...               people=[Person(id="a", name="Ana", side="labor"),
...                       Person(id="b", name="Bo", side="labor")],
...               ties=[Tie(source="a", target="b", weight=0.5)])
>>> g = deidentify_graph(workbook_to_graph(wb), key)
>>> sorted(d.get("name", "-") for _, d in g.nodes(data=True))
['-', '-', 'D']
>>> "Person:a" in g
False
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any, Final

import networkx as nx

from collabgraph.graph import DistrictGraph

__all__ = ["PSEUDONYMIZED", "deidentify_graph", "pseudonym"]

#: Node labels whose ids are replaced by pseudonyms.
PSEUDONYMIZED: Final = frozenset({"Person", "Position"})
#: Properties dropped from every node and edge (free text may name people).
_FREE_TEXT: Final = frozenset({"note", "description"})


def pseudonym(key: bytes, district: str, kind: str, ident: str) -> str:
    """The pseudonym of one row (``px-`` and 16 hex digits)."""
    message = f"{district}\x00{kind}\x00{ident}".encode()
    return "px-" + hmac.new(key, message, hashlib.sha256).hexdigest()[:16]


def deidentify_graph(g: DistrictGraph, key: bytes) -> DistrictGraph:
    """A copy of a district graph with no names and pseudonymized people and positions.

    Parameters
    ----------
    g
        A district graph (:func:`collabgraph.graph.workbook_to_graph`).
    key
        The install secret.
    """
    district = str(g.graph.get("district", ""))
    out: DistrictGraph = nx.MultiDiGraph(**g.graph)
    renamed: dict[str, str] = {}
    for node, data in g.nodes(data=True):
        kind = str(data.get("kind", ""))
        attrs: dict[str, Any] = {k: v for k, v in data.items() if k not in _FREE_TEXT}
        if kind in PSEUDONYMIZED:
            alias = pseudonym(key, district, kind, str(data.get("id", node)))
            attrs["id"] = alias
            if kind == "Person":
                attrs.pop("name", None)
            renamed[node] = f"{kind}:{alias}"
        out.add_node(renamed.get(node, node), **attrs)
    for u, v, k, data in g.edges(keys=True, data=True):
        attrs = {a: x for a, x in data.items() if a not in _FREE_TEXT}
        edge_key: Any = k
        if data.get("type") == "TIE":
            a, b = renamed.get(u, u).split(":", 1)[1], renamed.get(v, v).split(":", 1)[1]
            edge_key = f"{a}>{b}|{data.get('topic', '')}|{data.get('wave', '')}"
        out.add_edge(renamed.get(u, u), renamed.get(v, v), key=edge_key, **attrs)
    return out
