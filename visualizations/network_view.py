"""The natural network map: the association's people and the ties they report.

The node set is the one the network analysis uses (``NetworkReport.people``:
holders of association positions, plus members when the analysis was asked
for them) and the edges are observed ``TIE`` edges only. Co-membership (two
people on one team) is a separate construct and is never drawn here.

* color: the person's association role -- officer (president, vice president,
  chief negotiator, other officer), building rep, or other association role;
* size: degree or betweenness, switchable on the page;
* marks: isolates get a red ring and sit in a row under the network; the
  report's top brokers are stars (one per ten people, at most ten);
* edges: one per tied pair (either direction), width by the pair's strongest
  tie, with the survey waves the pair is tied in;
* controls: size by, school level, survey wave (when ties carry waves).

Degree and betweenness are the report's own (over the report's wave, or every
tie), so the map and ``collabgraph analyze`` never disagree.

Examples
--------
>>> from collabgraph.graph import workbook_to_graph
>>> from collabgraph.model import District, Person, Position, Tie, Workbook
>>> wb = Workbook(district=District(id="d", name="D"),
...     people=[Person(id="ana", name="Ana"), Person(id="bo", name="Bo"),
...             Person(id="cy", name="Cy")],
...     positions=[
...         Position(id="pres", title="President", side="labor", kind="president", holder="ana"),
...         Position(id="r1", title="Rep", side="labor", kind="building_rep", holder="bo"),
...         Position(id="r2", title="Rep 2", side="labor", kind="building_rep", holder="cy")],
...     ties=[Tie(source="ana", target="bo", weight=0.5)])
>>> view = build_network_view(workbook_to_graph(wb))
>>> [(n["id"], n["role"], n["degree"], n["isolate"]) for n in view.nodes]
[('Person:ana', 'officer', 1, False), ('Person:bo', 'building_rep', 1, False), \
('Person:cy', 'building_rep', 0, True)]
>>> [(e["from"], e["to"], e["strength"]) for e in view.edges]
[('Person:ana', 'Person:bo', 0.5)]
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Final

from collabgraph.graph import DistrictGraph
from collabgraph.network import OFFICER_KINDS, NetworkReport, analyze_network, wave_order
from visualizations import style
from visualizations.layout import spring_positions
from visualizations.render import PHYSICS_MAX_NODES, Control, LegendItem, View

__all__ = ["DISTRICT_WIDE", "ISOLATE_BORDER", "build_network_view", "role_of"]

#: The school-level filter's name for people with no school.
DISTRICT_WIDE: Final = "district-wide"
#: Ring color of an isolate.
ISOLATE_BORDER: Final = "#B00020"
#: Node sizes (radius in pixels) run from MIN_SIZE to MAX_SIZE.
MIN_SIZE: Final = 8.0
MAX_SIZE: Final = 30.0


def role_of(kinds: Iterable[str]) -> str:
    """The role a person is colored by, from the kinds of positions they hold.

    >>> role_of(["building_rep", "vice_president"]), role_of(["building_rep"]), role_of([])
    ('officer', 'building_rep', 'other')
    """
    held = set(kinds)
    if held & set(OFFICER_KINDS):
        return "officer"
    if "building_rep" in held:
        return "building_rep"
    return "other"


def _sizes(values: list[float]) -> list[float]:
    top = max(values, default=0.0)
    if top <= 0:
        return [MIN_SIZE] * len(values)
    return [round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(v / top), 1) for v in values]


def _topic_name(graph: DistrictGraph, topic: str) -> str:
    """A tie topic's name: the Topic node's name when there is one, else the id in words."""
    data = graph.nodes[f"Topic:{topic}"] if f"Topic:{topic}" in graph else {}
    return str(data.get("name") or topic.replace("_", " ").replace("-", " "))


def _fmt(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") if value else "0"


def build_network_view(graph: DistrictGraph, report: NetworkReport | None = None) -> View:
    """The natural network map of one district.

    Parameters
    ----------
    graph : DistrictGraph
        The district graph.
    report : NetworkReport, optional
        Its network report; computed with the default settings when omitted.
        When the report is of one survey wave, sizes and isolates are those of
        that wave and the wave selector starts on it.

    Returns
    -------
    View
        Node records carry ``role``, ``side``, ``school``, ``schoolLevel``,
        ``position``, ``degree``, ``betweenness``, ``isolate``, ``broker`` and
        ``sizes`` (``{"degree": px, "betweenness": px}``); edge records carry
        ``strength``, ``waves`` (empty: a tie with no wave, which holds in
        every wave) and ``topics``.
    """
    rep = report if report is not None else analyze_network(graph)
    people = [f"Person:{p.id}" for p in rep.people]
    index = {key: i for i, key in enumerate(people)}
    nodes_data = graph.nodes

    # -- one pass over the edges -------------------------------------------
    held: dict[str, list[str]] = defaultdict(list)
    at: dict[str, str] = {}
    # pair -> strength, waves, topics
    strength: dict[tuple[int, int], float] = {}
    pair_waves: dict[tuple[int, int], set[str]] = defaultdict(set)
    undated: set[tuple[int, int]] = set()
    pair_topics: dict[tuple[int, int], set[str]] = defaultdict(set)
    for u, v, data in graph.edges(data=True):
        kind = data.get("type")
        if kind == "HOLDS":
            held[u].append(v)
        elif kind == "AT":
            at[u] = v
        elif kind == "TIE":
            i, j = index.get(u), index.get(v)
            if i is None or j is None or i == j:
                continue
            pair = (i, j) if i < j else (j, i)
            weight = float(data.get("weight", 1.0))
            if weight > strength.get(pair, 0.0):
                strength[pair] = weight
            wave = data.get("wave")
            if wave is None:
                undated.add(pair)
            else:
                pair_waves[pair].add(str(wave))
            if data.get("topic"):
                pair_topics[pair].add(str(data["topic"]))

    waves = wave_order(w for ws in pair_waves.values() for w in ws)
    pairs = sorted(strength)
    # Degree and betweenness come from the report (the same ties: its wave, or all).
    degree, between = rep.degree, rep.betweenness
    isolates = {f"Person:{p.id}" for p in rep.isolates}
    # Stars stay rare enough to mean something: one per ten people, at most ten.
    brokers = {f"Person:{b.id}" for b in rep.brokers[: max(1, min(10, len(people) // 10))]}
    size_degree = _sizes([float(d) for d in degree])
    size_between = _sizes(between)
    points = spring_positions(len(people), pairs)

    # -- nodes -------------------------------------------------------------
    nodes: list[dict[str, Any]] = []
    levels: set[str] = set()
    for i, key in enumerate(people):
        data = nodes_data[key]
        name = str(data.get("name") or key.split(":", 1)[1])
        positions = sorted(held.get(key, ()))
        labor = [p for p in positions if nodes_data[p].get("side") == "labor"] or positions
        kinds = [str(nodes_data[p].get("position_kind")) for p in labor]
        role = role_of(kinds)
        titles = [str(nodes_data[p].get("title") or p.split(":", 1)[1]) for p in labor]
        school = at.get(key) or next((at[p] for p in labor if p in at), None)
        school_name = str(nodes_data[school].get("name")) if school else ""
        level = str(nodes_data[school].get("level") or DISTRICT_WIDE) if school else DISTRICT_WIDE
        levels.add(level)
        color = style.ROLE_COLORS[role]
        marks = []
        if key in brokers:
            marks.append("top broker")
        if key in isolates:
            marks.append("isolate: no observed tie")
        tooltip = [
            name,
            f"Position: {', '.join(titles) if titles else 'none'}",
            f"School: {school_name} ({level})" if school else "School: district-wide",
            f"Degree: {degree[i]}   Betweenness: {_fmt(between[i])}",
        ]
        if marks:
            tooltip.append("; ".join(marks).capitalize())
        x, y = points[i]
        node: dict[str, Any] = {
            "id": key,
            "label": name,
            "title": "\n".join(tooltip),
            "x": x,
            "y": y,
            "shape": "star" if key in brokers else "dot",
            "size": size_degree[i],
            "color": {
                "background": color,
                "border": ISOLATE_BORDER if key in isolates else "#5A2000",
                "highlight": {"background": color, "border": "#000000"},
                "hover": {"background": color, "border": "#000000"},
            },
            "borderWidth": 4 if key in isolates else 1,
            "role": role,
            "side": "labor",
            "school": school.split(":", 1)[1] if school else None,
            "schoolName": school_name,
            "schoolLevel": level,
            "position": ", ".join(titles),
            "degree": degree[i],
            "betweenness": round(between[i], 6),
            "isolate": key in isolates,
            "broker": key in brokers,
            "sizes": {"degree": size_degree[i], "betweenness": size_between[i]},
        }
        nodes.append(node)

    # -- edges -------------------------------------------------------------
    edges: list[dict[str, Any]] = []
    for number, (i, j) in enumerate(pairs):
        weight = strength[(i, j)]
        pair_wave = [] if (i, j) in undated else wave_order(pair_waves[(i, j)])
        topics = sorted(pair_topics[(i, j)])
        hidden = rep.wave is not None and bool(pair_wave) and rep.wave not in pair_wave
        lines = [
            f"{nodes[i]['label']} and {nodes[j]['label']}",
            f"Tie strength: {_fmt(weight)}",
        ]
        if waves:
            lines.append(f"Waves: {', '.join(pair_wave) if pair_wave else 'every wave'}")
        if topics:
            lines.append(f"Topics: {', '.join(topics)}")
        edges.append(
            {
                "id": f"t{number}",
                "from": people[i],
                "to": people[j],
                "width": round(1.0 + 4.0 * min(max(weight, 0.0), 1.0), 2),
                "title": "\n".join(lines),
                "strength": weight,
                "waves": pair_wave,
                "topics": topics,
                "hidden": hidden,
            }
        )

    # -- legend and controls -------------------------------------------------
    legend = [LegendItem(style.ROLE_LABELS[r], style.ROLE_COLORS[r]) for r in style.ROLE_COLORS]
    legend += [
        LegendItem("Isolate (no observed tie)", ISOLATE_BORDER, "ring"),
        LegendItem("Top broker (highest betweenness)", style.ROLE_COLORS["building_rep"], "star"),
        LegendItem("Observed tie (wider = stronger)", style.EDGE_COLOR, "thick-line"),
    ]
    controls = [
        Control(
            "size-by",
            "Size by",
            [("degree", "Degree (ties)"), ("betweenness", "Betweenness (brokerage)")],
            "degree",
        )
    ]
    level_order = sorted(levels - {DISTRICT_WIDE}) + sorted(levels & {DISTRICT_WIDE})
    if len(level_order) > 1:
        controls.append(
            Control(
                "school-level",
                "School level",
                [("", "All levels")] + [(lv, lv.replace("_", " ")) for lv in level_order],
                target="nodes",
                field="schoolLevel",
            )
        )
    schools = sorted(
        {(n["school"], n["schoolName"]) for n in nodes if n["school"]}, key=lambda s: s[1]
    )
    if len(schools) > 1:
        controls.append(
            Control(
                "school", "School", [("", "All schools"), *schools], target="nodes", field="school"
            )
        )
    sides = sorted({n["side"] for n in nodes if n["side"]})
    if len(sides) > 1:
        controls.append(
            Control(
                "side",
                "Side",
                [("", "All sides")] + [(sd, style.side_label(sd)) for sd in sides],
                target="nodes",
                field="side",
            )
        )
    all_topics = sorted({t for e in edges for t in e["topics"]})
    if all_topics:
        controls.append(
            Control(
                "topic",
                "Tie topic",
                [("", "All topics")] + [(t, _topic_name(graph, t)) for t in all_topics],
                target="edges",
                field="topics",
            )
        )
    if waves:
        controls.append(
            Control(
                "wave",
                "Survey wave",
                [("", "All waves")] + [(w, w) for w in waves],
                rep.wave or "",
                target="edges",
                field="waves",
                empty_matches=True,
            )
        )
    who = rep.name or rep.district or "District"
    n, m = len(people), len(pairs)
    subtitle = (
        f"{n} association people, {m} tied pairs (observed ties only; sitting on a team "
        f"together is not drawn). {len(isolates)} isolated; coverage "
        + (f"{rep.coverage.covered}/{rep.coverage.schools} schools with a building rep.")
    )
    notes = []
    if rep.message:
        notes.append(rep.message)
    if rep.wave:
        notes.append(f"Sizes and isolates are those of survey wave {rep.wave}.")
    if rep.betweenness_method == "sampled":
        notes.append("Betweenness is estimated from a sample of sources (large network).")
    if n > PHYSICS_MAX_NODES:
        notes.append("Large network: zoom in to read names.")
    return View(
        kind="network",
        title=f"{who}: association network",
        subtitle=subtitle,
        nodes=nodes,
        edges=edges,
        legend=legend,
        notes=notes,
        controls=controls,
        physics=False,
        extra={"waves": waves, "wave": rep.wave, "levels": level_order},
    )
