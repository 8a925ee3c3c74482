"""A district as a typed networkx graph, and back.

This is the graph every analysis reads, whether the district comes from the
store or straight from a workbook file. The layout is the property-graph model
of ``docs/graph-model.md``:

* one node per row with an identity, keyed ``"<Label>:<id>"`` (ids are unique
  within a label), with node attribute ``kind`` = the label (``District``,
  ``School``, ``Organization``, ``Topic``, ``Person``, ``Position``, ``Team``,
  ``StandingMeeting``) and the row's own fields as attributes; a row's own
  ``kind`` field is kept as ``org_kind``, ``position_kind`` or ``team_kind``;
* one edge per reference, with edge attribute ``type`` (``AFFILIATE_OF``,
  ``PART_OF``, ``HOLDS``, ``AT``, ``MEMBER_OF``, ``OVERSEES``, ``ADDRESSES``,
  ``RESPONSIBLE_FOR``, ``ATTENDS``, ``COUNTERPART_OF``, ``TIE``,
  ``PRIORITIZES``, ``IN_DISTRICT``) and the reference's fields as attributes.

Enum values are stored as their strings and dates as ISO strings, so the graph
exports to GraphML or GEXF unchanged. List order (a team's topics, a meeting's
attendees) is kept in an ``order`` edge attribute.

Examples
--------
>>> from collabgraph.model import District, Person, Tie, Workbook
>>> wb = Workbook(district=District(id="d", name="D"),
...               people=[Person(id="a", name="Ana", side="labor"),
...                       Person(id="b", name="Bo", side="labor")],
...               ties=[Tie(source="a", target="b", weight=0.5)])
>>> g = workbook_to_graph(wb)
>>> g.nodes["Person:a"]["kind"], g.nodes["Person:a"]["side"]
('Person', 'labor')
>>> [(u, v, d["type"], d["weight"]) for u, v, d in g.edges(data=True) if d["type"] == "TIE"]
[('Person:a', 'Person:b', 'TIE', 0.5)]
>>> graph_to_workbook(g) == wb
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from typing import Any, Final, TypeAlias

import networkx as nx

from collabgraph.model import (
    BUILTIN_TOPICS,
    FORMAT,
    Counterpart,
    District,
    Meeting,
    Membership,
    Organization,
    Person,
    Position,
    Priority,
    School,
    Team,
    Tie,
    Topic,
    Workbook,
)

__all__ = [
    "EDGE_TYPES",
    "NODE_KINDS",
    "DistrictGraph",
    "graph_to_workbook",
    "node_key",
    "workbook_to_graph",
]

DistrictGraph: TypeAlias = "nx.MultiDiGraph[str]"
"""The type of a district graph: node keys are ``"<Label>:<id>"`` strings."""

#: Node labels, in the order their rows appear in a workbook.
NODE_KINDS: Final = (
    "District",
    "School",
    "Organization",
    "Topic",
    "Person",
    "Position",
    "Team",
    "StandingMeeting",
)

#: Relationship types.
EDGE_TYPES: Final = (
    "IN_DISTRICT",
    "AFFILIATE_OF",
    "PART_OF",
    "HOLDS",
    "AT",
    "MEMBER_OF",
    "OVERSEES",
    "ADDRESSES",
    "RESPONSIBLE_FOR",
    "ATTENDS",
    "COUNTERPART_OF",
    "TIE",
    "PRIORITIZES",
)

_OWN_KIND: Final = {"Organization": "org_kind", "Position": "position_kind", "Team": "team_kind"}


def node_key(kind: str, ident: str) -> str:
    """The node key of a row: ``"<Label>:<id>"``.

    >>> node_key("School", "lincoln-es")
    'School:lincoln-es'
    """
    return f"{kind}:{ident}"


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


#: Value types a node attribute keeps as they are (everything else goes through ``_plain``).
_AS_IS: Final = frozenset({str, int, float, bool})


def _attrs(row: Any, kind: str, skip: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": kind}
    skipped = set(skip)
    fields = row.__dict__  # a pydantic model's field values, without a getattr per field
    for name in type(row).model_fields:
        if name in skipped:
            continue
        value = fields[name]
        if value is None:
            continue
        out[_OWN_KIND.get(kind, name) if name == "kind" else name] = (
            value if type(value) in _AS_IS else _plain(value)
        )
    return out


def workbook_to_graph(wb: Workbook) -> DistrictGraph:
    """Build the district's typed multigraph from a validated workbook.

    Parameters
    ----------
    wb : Workbook

    Returns
    -------
    networkx.MultiDiGraph
        ``graph.graph`` holds ``district`` (id), ``name`` and ``format``.
    """
    g: DistrictGraph = nx.MultiDiGraph(
        district=wb.district.id, name=wb.district.name, format=FORMAT
    )
    d = node_key("District", wb.district.id)
    g.add_node(d, **_attrs(wb.district, "District", ()))

    def edge(u: str, v: str, type_: str, **attrs: Any) -> None:
        g.add_edge(
            u, v, key=type_, type=type_, **{k: _plain(x) for k, x in attrs.items() if x is not None}
        )

    def topic(ident: str) -> str:
        key = node_key("Topic", ident)
        if key not in g:  # a built-in topic, used without being declared
            g.add_node(key, kind="Topic", id=ident, name=BUILTIN_TOPICS[ident], builtin=True)
        return key

    for school in wb.schools:
        g.add_node(node_key("School", school.id), **_attrs(school, "School", ()))
        edge(node_key("School", school.id), d, "IN_DISTRICT")
    for org in wb.organizations:
        g.add_node(
            node_key("Organization", org.id), **_attrs(org, "Organization", ("affiliate_of",))
        )
    for org in wb.organizations:
        if org.affiliate_of:
            edge(
                node_key("Organization", org.id),
                node_key("Organization", org.affiliate_of),
                "AFFILIATE_OF",
            )
    for t in wb.topics:
        g.add_node(node_key("Topic", t.id), **_attrs(t, "Topic", ()))
    for rank, pri in enumerate(wb.priorities):
        edge(d, topic(pri.topic), "PRIORITIZES", rank=pri.rank, note=pri.note, order=rank)
    for person in wb.people:
        key = node_key("Person", person.id)
        g.add_node(key, **_attrs(person, "Person", ("school",)))
        if person.school:
            edge(key, node_key("School", person.school), "AT")
    for pos in wb.positions:
        key = node_key("Position", pos.id)
        g.add_node(
            key,
            **_attrs(
                pos, "Position", ("school", "organization", "portfolio", "holder", "holder_since")
            ),
        )
        if pos.school:
            edge(key, node_key("School", pos.school), "AT")
        if pos.organization:
            edge(key, node_key("Organization", pos.organization), "PART_OF")
        for i, t_id in enumerate(pos.portfolio):
            edge(key, topic(t_id), "RESPONSIBLE_FOR", order=i)
        if pos.holder:
            edge(node_key("Person", pos.holder), key, "HOLDS", since=pos.holder_since)
    for team in wb.teams:
        key = node_key("Team", team.id)
        g.add_node(key, **_attrs(team, "Team", ("school", "topics", "overseen_by")))
        if team.school:
            edge(key, node_key("School", team.school), "AT")
        for i, t_id in enumerate(team.topics):
            edge(key, topic(t_id), "ADDRESSES", order=i)
    for team in wb.teams:
        for i, boss in enumerate(team.overseen_by):
            edge(node_key("Team", boss), node_key("Team", team.id), "OVERSEES", order=i)
    for i, m in enumerate(wb.memberships):
        edge(
            node_key("Person", m.person),
            node_key("Team", m.team),
            "MEMBER_OF",
            role=m.role,
            appointed_by=m.appointed_by,
            order=i,
        )
    for meeting in wb.meetings:
        key = node_key("StandingMeeting", meeting.id)
        g.add_node(key, **_attrs(meeting, "StandingMeeting", ("attendees", "topics")))
        for i, p_id in enumerate(meeting.attendees):
            edge(node_key("Position", p_id), key, "ATTENDS", order=i)
        for i, t_id in enumerate(meeting.topics):
            edge(key, topic(t_id), "ADDRESSES", order=i)
    for i, c in enumerate(wb.counterparts):
        edge(
            node_key("Position", c.management),
            node_key("Position", c.labor),
            "COUNTERPART_OF",
            note=c.note,
            order=i,
        )
    add_edge = g.add_edge
    for i, tie in enumerate(wb.ties):  # the bulk of a district: no per-tie dict filtering
        attrs: dict[str, Any] = {"type": "TIE"}
        if tie.weight is not None:
            attrs["weight"] = tie.weight
        if tie.frequency is not None:
            attrs["frequency"] = _plain(tie.frequency)
        if tie.topic is not None:
            attrs["topic"] = tie.topic
        if tie.wave is not None:
            attrs["wave"] = tie.wave
        if tie.origin is not None:
            attrs["origin"] = tie.origin
        attrs["order"] = i
        add_edge(f"Person:{tie.source}", f"Person:{tie.target}", key=tie.key, **attrs)
    return g


def _fields(data: dict[str, Any], kind: str) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k not in {"kind", "builtin"}}
    own = _OWN_KIND.get(kind)
    if own and own in out:
        out["kind"] = out.pop(own)
    return out


def graph_to_workbook(g: DistrictGraph) -> Workbook:
    """Rebuild the workbook a graph was built from (the inverse of :func:`workbook_to_graph`).

    Rows come back in workbook order (``order`` edge attributes, then node order).
    """
    by_kind: dict[str, list[tuple[str, dict[str, Any]]]] = {k: [] for k in NODE_KINDS}
    for key, data in g.nodes(data=True):
        by_kind.setdefault(data["kind"], []).append((key, data))

    def ident(key: str) -> str:
        return key.split(":", 1)[1]

    succ, pred = g.succ, g.pred  # the adjacency itself: much cheaper than edge views

    def out_edges(key: str, type_: str) -> list[tuple[str, dict[str, Any]]]:
        found = [(v, d) for v, kd in succ[key].items() for d in kd.values() if d["type"] == type_]
        return sorted(found, key=lambda vd: vd[1].get("order", 0))

    def in_edges(key: str, type_: str) -> list[tuple[str, dict[str, Any]]]:
        found = [(u, d) for u, kd in pred[key].items() for d in kd.values() if d["type"] == type_]
        return sorted(found, key=lambda ud: ud[1].get("order", 0))

    def first(edges: list[tuple[str, dict[str, Any]]]) -> str | None:
        return ident(edges[0][0]) if edges else None

    ((d_key, d_data),) = by_kind["District"]
    district = District(**_fields(d_data, "District"))
    schools = [School(**_fields(a, "School")) for _, a in by_kind["School"]]
    orgs = [
        Organization(**_fields(a, "Organization"), affiliate_of=first(out_edges(k, "AFFILIATE_OF")))
        for k, a in by_kind["Organization"]
    ]
    topics = [Topic(**_fields(a, "Topic")) for _, a in by_kind["Topic"] if not a.get("builtin")]
    priorities = [
        Priority(topic=ident(v), rank=e.get("rank"), note=e.get("note"))
        for v, e in out_edges(d_key, "PRIORITIZES")
    ]
    people = [
        Person(**_fields(a, "Person"), school=first(out_edges(k, "AT")))
        for k, a in by_kind["Person"]
    ]
    positions = []
    for k, a in by_kind["Position"]:
        holders = in_edges(k, "HOLDS")
        positions.append(
            Position(
                **_fields(a, "Position"),
                school=first(out_edges(k, "AT")),
                organization=first(out_edges(k, "PART_OF")),
                portfolio=[ident(v) for v, _ in out_edges(k, "RESPONSIBLE_FOR")],
                holder=first(holders),
                holder_since=holders[0][1].get("since") if holders else None,
            )
        )
    teams = [
        Team(
            **_fields(a, "Team"),
            school=first(out_edges(k, "AT")),
            topics=[ident(v) for v, _ in out_edges(k, "ADDRESSES")],
            overseen_by=[ident(u) for u, _ in in_edges(k, "OVERSEES")],
        )
        for k, a in by_kind["Team"]
    ]
    # The relationship rows, in one pass over the edges (a district has tens of thousands).
    rows_of: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
        "MEMBER_OF": [],
        "COUNTERPART_OF": [],
        "TIE": [],
    }
    for u, v, e in g.edges(data=True):
        found = rows_of.get(e["type"])
        if found is not None:
            found.append((u, v, e))
    member_edges = sorted(rows_of["MEMBER_OF"], key=lambda uve: uve[2].get("order", 0))
    memberships = [
        Membership(
            person=ident(u),
            team=ident(v),
            role=e.get("role", "member"),
            appointed_by=e.get("appointed_by"),
        )
        for u, v, e in member_edges
    ]
    meetings = [
        Meeting(
            **_fields(a, "StandingMeeting"),
            attendees=[ident(u) for u, _ in in_edges(k, "ATTENDS")],
            topics=[ident(v) for v, _ in out_edges(k, "ADDRESSES")],
        )
        for k, a in by_kind["StandingMeeting"]
    ]
    pairs = sorted(rows_of["COUNTERPART_OF"], key=lambda uve: uve[2].get("order", 0))
    counterparts = [
        Counterpart(management=ident(u), labor=ident(v), note=e.get("note")) for u, v, e in pairs
    ]
    tie_edges = sorted(rows_of["TIE"], key=lambda uve: uve[2].get("order", 0))
    ties = [
        Tie(
            source=ident(u),
            target=ident(v),
            **{k: e[k] for k in ("weight", "frequency", "topic", "wave", "origin") if k in e},
        )
        for u, v, e in tie_edges
    ]
    return Workbook(
        district=district,
        schools=schools,
        organizations=orgs,
        topics=topics,
        priorities=priorities,
        people=people,
        positions=positions,
        teams=teams,
        memberships=memberships,
        meetings=meetings,
        counterparts=counterparts,
        ties=ties,
    )
