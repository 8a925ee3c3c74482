"""The partner's network view: groups as nodes (school levels, sides), never people.

Built from :class:`collabgraph.access.NetworkAggregate`, so it can only show
what the aggregate holds: each school level and each side with at least k
people as one node (its size and the density of the ties within it), and the
ties between two such groups of the same kind as one edge. Smaller groups are
left out and the notes say so.

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
    prefix = {"school_level": "level", "side": "side"}
    groups = list(agg.groups)
    index = {(g.by, g.group): i for i, g in enumerate(groups)}
    links = [
        link
        for link in agg.links
        if (link.by, link.source) in index and (link.by, link.target) in index
    ]
    positions = spring_positions(
        len(groups), [(index[(x.by, x.source)], index[(x.by, x.target)]) for x in links]
    )
    colors = {"school_level": style.ROLE_COLORS["building_rep"], "side": style.EDGE_COLOR}
    nodes = []
    for i, g in enumerate(groups):
        density = "undefined" if g.density is None else f"{g.density:.2f}"
        x, y = positions[i]
        color = style.side_color(g.group) if g.by == "side" else colors["school_level"]
        nodes.append(
            {
                "id": f"{prefix[g.by]}:{g.group}",
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
            "id": f"link:{x.by}:{x.source}:{x.target}",
            "from": f"{prefix[x.by]}:{x.source}",
            "to": f"{prefix[x.by]}:{x.target}",
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
        title=f"{agg.name or agg.district}: the network by group",
        subtitle="Aggregates for the district side of the partnership",
        nodes=nodes,
        edges=edges,
        legend=[
            LegendItem("School level (size = people)", colors["school_level"]),
            LegendItem("Side (its color; size = people)", style.side_color("labor")),
            LegendItem("Ties between groups (wider = more)", style.EDGE_COLOR, "thick-line"),
        ],
        notes=notes,
    )
