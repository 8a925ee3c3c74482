"""Read-only lookups over a district graph, shared by the gap and counterpart analyses.

The district graph (:mod:`collabgraph.graph`) stores every reference as a typed
edge. The analyses keep asking the same questions of it -- who sits on this
team and for which side, which school is this position at, which topics does
this team cover -- so this module answers them once, with deterministic
(sorted) results.

Examples
--------
>>> from collabgraph.model import District, Person, Team, Membership, Workbook
>>> from collabgraph.graph import workbook_to_graph
>>> wb = Workbook(district=District(id="d", name="D"),
...               people=[Person(id="ana", name="Ana", side="labor")],
...               teams=[Team(id="dlt", name="DLT", kind="dlt", level="district")],
...               memberships=[Membership(person="ana", team="dlt", role="co_chair")])
>>> view = DistrictView(workbook_to_graph(wb))
>>> view.teams("dlt")
['Team:dlt']
>>> [(m.person, m.side, m.role) for m in view.members("Team:dlt")]
[('Person:ana', 'labor', 'co_chair')]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from collabgraph.graph import DistrictGraph

__all__ = ["COMMITTEE_KINDS", "DistrictView", "Member", "ident_of"]

#: Team kinds that count as a committee working on a topic.
COMMITTEE_KINDS: Final = ("working_committee", "task_force", "plc")


def ident_of(key: str) -> str:
    """The row id inside a node key.

    >>> ident_of("Team:dlt")
    'dlt'
    """
    return key.split(":", 1)[1] if ":" in key else key


class _EdgeIndex:
    """A graph's edges by type (``None`` for an edge without one), each as
    ``(u, v, data)`` in the graph's order; and, per type once asked, their targets
    by source and their sources by target.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("a", "b", type="AT"); g.add_edge("c", "b", type="AT")
    0
    0
    >>> index = _EdgeIndex(g)
    >>> index.out("AT")["a"], index.into("AT")["b"]
    (['b'], ['a', 'c'])
    """

    def __init__(self, graph: DistrictGraph) -> None:
        self.edges: dict[str | None, list[tuple[str, str, dict[str, Any]]]] = {}
        self._out: dict[str | None, dict[str, list[str]]] = {}
        self._into: dict[str | None, dict[str, list[str]]] = {}
        by_type = self.edges
        edges: Iterable[tuple[str, str, dict[str, Any]]] = graph.edges(data=True)
        for edge in edges:
            type_ = edge[2].get("type")
            if type_ in by_type:
                by_type[type_].append(edge)
            else:
                by_type[type_] = [edge]

    def out(self, type_: str) -> dict[str, list[str]]:
        """Targets of the edges of one type, by source (repeats kept)."""
        found = self._out.get(type_)
        if found is None:
            found = self._out[type_] = {}
            for u, v, _ in self.edges.get(type_, ()):
                if u in found:
                    found[u].append(v)
                else:
                    found[u] = [v]
        return found

    def into(self, type_: str) -> dict[str, list[str]]:
        """Sources of the edges of one type, by target (repeats kept)."""
        found = self._into.get(type_)
        if found is None:
            found = self._into[type_] = {}
            for u, v, _ in self.edges.get(type_, ()):
                if v in found:
                    found[v].append(u)
                else:
                    found[v] = [u]
        return found


@dataclass(frozen=True)
class Member:
    """One seat on a team, with what the graph knows about its holder."""

    person: str
    name: str
    side: str | None
    role: str
    appointed_by: str | None
    positions: tuple[str, ...]


class DistrictView:
    """Cached, sorted lookups over one district graph (the graph is not changed).

    The graph's edges are grouped by type, source and target in one pass the
    first time an edge is asked for, and each answer is kept: the gap rules ask
    the same few questions of every team and person many times over.

    Parameters
    ----------
    graph : DistrictGraph
        A graph built by :func:`collabgraph.graph.workbook_to_graph` or read
        from the store.
    """

    def __init__(self, graph: DistrictGraph) -> None:
        self.graph = graph
        self._by_kind: dict[str, list[str]] = {}
        for key, kind in graph.nodes(data="kind"):
            self._by_kind.setdefault(str(kind), []).append(key)
        for keys in self._by_kind.values():
            keys.sort()
        self._index: _EdgeIndex | None = None
        self._out: dict[tuple[str, str], list[str]] = {}
        self._in: dict[tuple[str, str], list[str]] = {}
        self._edges: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
        self._members: dict[str, list[Member]] = {}
        self._filtered: dict[tuple[str, tuple[str, ...], str | None], list[str]] = {}
        #: Results other modules compute once per view (e.g. the counterpart report,
        #: which the gap rules and the counterpart analysis both need).
        self.memo: dict[str, Any] = {}

    # -- nodes ---------------------------------------------------------------
    def nodes(self, kind: str) -> list[str]:
        """Node keys of one label, sorted."""
        return list(self._by_kind.get(kind, []))

    def attr(self, key: str, name: str, default: Any = None) -> Any:
        """One attribute of a node (``default`` when absent)."""
        return self.graph.nodes[key].get(name, default)

    def name(self, key: str) -> str:
        """A display name: the node's ``name``, else its ``title``, else its id."""
        data = self.graph.nodes[key]
        return str(data.get("name") or data.get("title") or data.get("id") or ident_of(key))

    def district_key(self) -> str | None:
        """The key of the District node, if any."""
        found = self.nodes("District")
        return found[0] if found else None

    # -- edges ---------------------------------------------------------------
    def _edge_index(self) -> _EdgeIndex:
        """Every edge grouped by type, by source and by target: one pass over the graph,
        made the first time an edge is asked for."""
        if self._index is None:
            self._index = _EdgeIndex(self.graph)
        return self._index

    def out(self, key: str, type_: str) -> list[str]:
        """Targets of ``key``'s outgoing edges of one type, sorted."""
        found = self._out.get((key, type_))
        if found is None:
            raw = self._edge_index().out(type_).get(key, ())
            found = self._out[key, type_] = sorted(set(raw))
        return list(found)

    def into(self, key: str, type_: str) -> list[str]:
        """Sources of the incoming edges of one type, sorted."""
        found = self._in.get((key, type_))
        if found is None:
            raw = self._edge_index().into(type_).get(key, ())
            found = self._in[key, type_] = sorted(set(raw))
        return list(found)

    def typed_edges(self, type_: str) -> list[tuple[str, str, dict[str, Any]]]:
        """The edges of one type as ``(u, v, data)``, in the graph's order (not sorted;
        the list is the view's own: do not change it)."""
        return self._edge_index().edges.get(type_, [])

    def edges(self, type_: str) -> list[tuple[str, str, dict[str, Any]]]:
        """All edges of one type as ``(u, v, data)``, sorted by endpoints."""
        found = self._edges.get(type_)
        if found is None:
            found = list(self._edge_index().edges.get(type_, ()))
            found.sort(key=lambda uvd: (uvd[0], uvd[1]))
            self._edges[type_] = found
        return list(found)

    # -- teams ---------------------------------------------------------------
    def teams(self, *kinds: str) -> list[str]:
        """Team keys, optionally only those of the given ``team_kind`` values."""
        found = self._filtered.get(("Team", kinds, None))
        if found is None:
            wanted = set(kinds)
            found = [
                k for k in self.nodes("Team") if not wanted or self.attr(k, "team_kind") in wanted
            ]
            self._filtered["Team", kinds, None] = found
        return list(found)

    def team_kind(self, team: str) -> str:
        """A team's kind (``dlt``, ``slt``, ``working_committee``...)."""
        return str(self.attr(team, "team_kind", "other"))

    def members(self, team: str) -> list[Member]:
        """The people on a team, sorted by person key."""
        cached = self._members.get(team)
        if cached is not None:
            return list(cached)
        seats: list[Member] = []
        for u, _, data in self.graph.in_edges(team, data=True):
            if data.get("type") != "MEMBER_OF":
                continue
            seats.append(
                Member(
                    person=u,
                    name=self.name(u),
                    side=self.person_side(u),
                    role=str(data.get("role", "member")),
                    appointed_by=data.get("appointed_by"),
                    positions=tuple(self.positions_of(u)),
                )
            )
        seats.sort(key=lambda m: m.person)
        self._members[team] = seats
        return list(seats)

    def overseers(self, team: str) -> list[str]:
        """Teams that oversee ``team``."""
        return self.into(team, "OVERSEES")

    def school_of(self, key: str) -> str | None:
        """The School a position, team or person is at, if any."""
        found = self.out(key, "AT")
        return found[0] if found else None

    def topics_of(self, key: str) -> list[str]:
        """Topics a team or meeting addresses, or a position is responsible for."""
        return sorted(set(self.out(key, "ADDRESSES")) | set(self.out(key, "RESPONSIBLE_FOR")))

    # -- people and positions ------------------------------------------------
    def positions_of(self, person: str) -> list[str]:
        """Positions a person holds."""
        return self.out(person, "HOLDS")

    def holder(self, position: str) -> str | None:
        """The person holding a position, or ``None`` when it is vacant."""
        found = self.into(position, "HOLDS")
        return found[0] if found else None

    def person_side(self, person: str) -> str | None:
        """A person's own side, else the side of a position they hold (as the model does)."""
        side = self.attr(person, "side")
        if side:
            return str(side)
        for position in self.positions_of(person):
            pos_side = self.attr(position, "side")
            if pos_side:
                return str(pos_side)
        return None

    def positions(self, *kinds: str, side: str | None = None) -> list[str]:
        """Position keys filtered by ``position_kind`` values and by side."""
        found = self._filtered.get(("Position", kinds, side))
        if found is None:
            wanted = set(kinds)
            found = [
                k
                for k in self.nodes("Position")
                if (not wanted or self.attr(k, "position_kind") in wanted)
                and (side is None or self.attr(k, "side") == side)
            ]
            self._filtered["Position", kinds, side] = found
        return list(found)

    # -- standing meetings ---------------------------------------------------
    def meetings_of(self, position: str) -> list[str]:
        """Standing meetings a position attends."""
        return self.out(position, "ATTENDS")

    def attendees(self, meeting: str) -> list[str]:
        """Positions attending a standing meeting."""
        return self.into(meeting, "ATTENDS")

    def shared_meetings(self, a: str, b: str) -> list[str]:
        """Standing meetings both positions attend."""
        return sorted(set(self.meetings_of(a)) & set(self.meetings_of(b)))

    def names(self, keys: Iterable[str]) -> list[str]:
        """Display names of several nodes, in the given order."""
        return [self.name(k) for k in keys]
