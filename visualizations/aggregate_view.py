"""The partner's network view: school levels as nodes, never people.

Built from :class:`collabgraph.access.NetworkAggregate`, so it can only show
what the aggregate holds: each school level of at least k people as one node
(its size and the density of the ties within it) and the ties between two such
levels as one edge. Smaller levels are left out and the notes say so.

Examples
--------
>>> from collabgraph.access import NetworkAggregate
>>> from collabgraph.access.aggregate import GroupFigure
>>> agg = NetworkAggregate(district="d", name="D", wave=None, min_group=5, groups=[
...     GroupFigure(by="school_level", group="high", people=6, ties=4, density=0.27)])
>>> view = build_aggregate_view(agg)
>>> [n["label"] for n in view.nodes]
['high\\n6 people']
"""

from __future__ import annotations

from collabgraph.access import NetworkAggregate
from visualizations import style
from visualizations.layout import spring_positions
from visualizations.render import LegendItem, View

__all__ = ["build_aggregate_view"]


def build_aggregate_view(agg: NetworkAggregate) -> View:
    """The aggregate network view of one district (see the module docstring)."""
    groups = [g for g in agg.groups if g.by == "school_level"]
    index = {g.group: i for i, g in enumerate(groups)}
    links = [
        link
        for link in agg.links
        if link.by == "school_level" and link.source in index and link.target in index
    ]
    positions = spring_positions(len(groups), [(index[x.source], index[x.target]) for x in links])
    color = style.ROLE_COLORS["building_rep"]
    nodes = []
    for i, g in enumerate(groups):
        density = "undefined" if g.density is None else f"{g.density:.2f}"
        x, y = positions[i]
        nodes.append(
            {
                "id": f"level:{g.group}",
                "label": f"{g.group}\n{g.people} people",
                "title": f"{g.group}: {g.people} people, {g.ties} ties among them "
                f"(density {density})",
                "x": x,
                "y": y,
                "size": 12 + min(40, g.people),
                "color": color,
                "shape": "dot",
            }
        )
    edges = [
        {
            "id": f"link:{x.source}:{x.target}",
            "from": f"level:{x.source}",
            "to": f"level:{x.target}",
            "title": f"{x.ties} ties between {x.source} and {x.target}",
            "width": 1 + min(10, x.ties),
            "color": style.EDGE_COLOR,
        }
        for x in links
        if x.ties > 0
    ]
    notes = [
        f"Groups of fewer than {agg.min_group} people are not shown; no person is shown.",
        *agg.suppressed,
    ]
    if agg.density is not None:
        notes.insert(0, f"Whole network: {agg.people} people, density {agg.density:.3f}.")
    return View(
        kind="network",
        title=f"{agg.name or agg.district}: the network by school level",
        subtitle="Aggregates for the district side of the partnership",
        nodes=nodes,
        edges=edges,
        legend=[
            LegendItem("School level (size = people)", color),
            LegendItem("Ties between levels (wider = more)", style.EDGE_COLOR, "thick-line"),
        ],
        notes=notes,
    )
