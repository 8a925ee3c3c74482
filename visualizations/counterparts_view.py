"""The counterparts view: who faces whom across the table.

Administration positions stand in the left column, association positions in
the right one (the positions the counterpart analysis considers: its pairs and
its unmatched seats). A line joins each counterpart pair:

* solid and dark, labeled with the cadence, when the pair shares a standing
  meeting;
* solid, in the warning color and labeled "no standing meeting", when the pair
  is declared but never meets;
* dashed, labeled "suggested", when the analysis only suggests the pairing.

A position with no established counterpart (none declared, no standing
meeting shared; a suggestion does not count) gets a red border, and its
tooltip names the suggested partners. Both columns are ordered so that partners
sit roughly level and few links cross (alternating barycentre sweeps).

Examples
--------
Nothing is declared here, so every seat is flagged; the analysis suggests the
superintendent and the president (dashed):

>>> from collabgraph.graph import workbook_to_graph
>>> from collabgraph.model import District, Position, Workbook
>>> wb = Workbook(district=District(id="d", name="D"), positions=[
...     Position(id="supt", title="Superintendent", side="management", kind="superintendent"),
...     Position(id="cbo", title="Chief Business Officer", side="management", kind="cabinet"),
...     Position(id="pres", title="President", side="labor", kind="president")])
>>> view = build_counterparts_view(workbook_to_graph(wb))
>>> [(n["id"], n["side"], n["unmatched"]) for n in view.nodes if n["kind"] == "position"]
[('Position:supt', 'management', True), ('Position:cbo', 'management', True), \
('Position:pres', 'labor', True)]
>>> [(e["from"], e["to"], e["method"], e["dashes"]) for e in view.edges]
[('Position:supt', 'Position:pres', 'suggested_match', True)]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, Final

from collabgraph.counterparts import CounterpartPair, CounterpartReport, find_counterparts
from collabgraph.gaps.view import DistrictView, ident_of
from collabgraph.graph import DistrictGraph
from visualizations import style
from visualizations.layout import column_positions
from visualizations.render import LegendItem, View

__all__ = [
    "COLUMN_X",
    "NO_COUNTERPART",
    "ROW_GAP",
    "build_counterparts_view",
    "crossings",
    "edge_captions",
]

#: Horizontal distance of each column from the middle.
COLUMN_X: Final = 330.0
#: Vertical distance between rows.
ROW_GAP: Final = 78.0
#: Border of a position with no counterpart.
NO_COUNTERPART: Final = "#B00020"
_MEETING_EDGE: Final = "#3C4043"


#: Where along a link its caption may sit: x offsets from the middle, best first.
_CAPTION_X: Final = (0.0, -70.0, 70.0, -140.0, 140.0, -35.0, 35.0, -105.0, 105.0, -175.0, 175.0)
_CAPTION_H: Final = 18.0


def _caption_width(text: str) -> float:
    return 7.2 * len(text) + 10.0


def edge_captions(
    edges: list[dict[str, Any]], where: dict[str, tuple[float, float]]
) -> list[dict[str, Any]]:
    """A text node for each link's caption, placed along the link where it touches
    no other link and no other caption (so a caption never sits on a crossing).

    Links run straight between the two columns. For each caption the first
    offset in :data:`_CAPTION_X` whose box is clear wins; when none is, the one
    touching the fewest links.

    >>> edges = [{"id": "a", "from": "m1", "to": "l2", "caption": "weekly"},
    ...          {"id": "b", "from": "m2", "to": "l1", "caption": "monthly"}]
    >>> where = {"m1": (-330, 0), "m2": (-330, 100), "l1": (330, 0), "l2": (330, 100)}
    >>> [(c["id"], c["x"]) for c in edge_captions(edges, where)]
    [('caption:a', -70.0), ('caption:b', -70.0)]
    """

    def y_at(edge: dict[str, Any], x: float) -> float:
        (x1, y1), (x2, y2) = where[edge["from"]], where[edge["to"]]
        return y1 + (y2 - y1) * (x - x1) / (x2 - x1) if x2 != x1 else y1

    placed: list[tuple[float, float, float, float]] = []
    out: list[dict[str, Any]] = []
    for edge in edges:
        text = edge.get("caption")
        if not text:
            continue
        w = _caption_width(str(text))
        best: tuple[int, float, float] | None = None
        for x in _CAPTION_X:
            y = y_at(edge, x)
            box = (x - w / 2, x + w / 2, y - _CAPTION_H / 2, y + _CAPTION_H / 2)
            hits = 0
            for other in edges:
                if other is edge:
                    continue
                ya, yb = y_at(other, box[0]), y_at(other, box[1])
                if max(ya, yb) >= box[2] and min(ya, yb) <= box[3]:
                    hits += 1
            hits += sum(
                1
                for b in placed
                if box[0] < b[1] and b[0] < box[1] and box[2] < b[3] and b[2] < box[3]
            )
            if best is None or hits < best[0]:
                best = (hits, x, y)
            if hits == 0:
                break
        if best is None:
            continue
        _, x, y = best
        placed.append((x - w / 2, x + w / 2, y - _CAPTION_H / 2, y + _CAPTION_H / 2))
        out.append(
            {
                "id": f"caption:{edge['id']}",
                "label": str(text),
                "title": edge.get("title", ""),
                "x": round(x, 1),
                "y": round(y, 1),
                "shape": "box",
                "color": {"background": "#FFFFFF", "border": "#FFFFFF"},
                "borderWidth": 0,
                "margin": 2,
                "font": {"size": 13, "color": "#3C4043"},
                "kind": "caption",
                "edge": edge["id"],
                "side": None,
                "unmatched": False,
                "chosen": False,
            }
        )
    return out


def _cadence(dv: DistrictView, meetings: list[str]) -> str:
    found = [str(dv.attr(m, "cadence") or "").replace("_", " ") for m in meetings]
    return ", ".join(sorted({c for c in found if c})) or "meets"


def crossings(mgmt: Sequence[str], labor: Sequence[str], links: Sequence[tuple[str, str]]) -> int:
    """How many pairs of ``(management, labor)`` links cross between the two columns.

    >>> crossings(["a", "b"], ["x", "y"], [("a", "x"), ("b", "y")])
    0
    >>> crossings(["a", "b"], ["x", "y"], [("a", "y"), ("b", "x")])
    1
    """
    left = {key: i for i, key in enumerate(mgmt)}
    right = {key: i for i, key in enumerate(labor)}
    ends = [(left[m], right[lab]) for m, lab in links]
    return sum(
        1 for i, (a, b) in enumerate(ends) for c, d in ends[i + 1 :] if (a - c) * (b - d) < 0
    )


def _by_partners(column: list[str], other: list[str], partners: dict[str, list[str]]) -> list[str]:
    """``column`` sorted by the mean row of each key's partners in ``other``.

    Keys without partners keep their order, after the others.
    """
    row = {key: i for i, key in enumerate(other)}
    first = {key: i for i, key in enumerate(column)}

    def place(key: str) -> tuple[float, int]:
        rows = [row[p] for p in partners.get(key, ()) if p in row]
        return (sum(rows) / len(rows) if rows else len(other) + first[key], first[key])

    return sorted(column, key=place)


def _order(
    mgmt: list[str], labor: list[str], pairs: list[CounterpartPair]
) -> tuple[list[str], list[str]]:
    """Rows of the two columns, arranged so that few links cross.

    Alternating barycentre sweeps (each column sorted by its partners' mean
    row in the other, as in Sugiyama's layered drawing), keeping the
    arrangement with the fewest crossings; ties keep the report's order.
    """
    links = [(p.management.key, p.labor.key) for p in pairs]
    partners: dict[str, list[str]] = defaultdict(list)
    for m, lab in links:
        partners[m].append(lab)
        partners[lab].append(m)
    labor = _by_partners(labor, mgmt, partners)
    best = (crossings(mgmt, labor, links), mgmt, labor)
    for _ in range(8):
        if best[0] == 0:
            break
        mgmt = _by_partners(mgmt, labor, partners)
        labor = _by_partners(labor, mgmt, partners)
        found = crossings(mgmt, labor, links)
        if found < best[0]:
            best = (found, mgmt, labor)
    return best[1], best[2]


def build_counterparts_view(graph: DistrictGraph, report: CounterpartReport | None = None) -> View:
    """The counterparts view of one district.

    Parameters
    ----------
    graph : DistrictGraph
        The district graph.
    report : CounterpartReport, optional
        Its counterpart report; computed when omitted.

    Returns
    -------
    View
        Position records carry ``kind="position"``, ``side``, ``positionKind``,
        ``unmatched`` and ``counterparts`` (keys); the two column headings are
        ``kind="heading"``. Edge records carry ``method``, ``meetings``,
        ``cadence``, ``score`` and ``dashes``.
    """
    rep = report if report is not None else find_counterparts(graph)
    dv = DistrictView(graph)
    mgmt: list[str] = []
    labor: list[str] = []
    refs: dict[str, Any] = {}

    def add(ref: Any) -> None:
        if ref.key in refs:
            return
        refs[ref.key] = ref
        (mgmt if ref.side == "management" else labor).append(ref.key)

    for p in rep.pairs:
        add(p.management)
        add(p.labor)
    for u in rep.unmatched_management:
        add(u.position)
    for u in rep.unmatched_labor:
        add(u.position)
    unmatched = {u.position.key for u in (*rep.unmatched_management, *rep.unmatched_labor)}
    suggested_for = {
        u.position.key: u.suggested for u in (*rep.unmatched_management, *rep.unmatched_labor)
    }
    partners: dict[str, list[str]] = defaultdict(list)
    for p in rep.pairs:
        partners[p.management.key].append(p.labor.key)
        partners[p.labor.key].append(p.management.key)
    mgmt, labor = _order(mgmt, labor, rep.pairs)
    where = column_positions(mgmt, x=-COLUMN_X, gap=ROW_GAP, top=ROW_GAP)
    where |= column_positions(labor, x=COLUMN_X, gap=ROW_GAP, top=ROW_GAP)

    nodes: list[dict[str, Any]] = []
    for side, x in (("management", -COLUMN_X), ("labor", COLUMN_X)):
        nodes.append(
            {
                "id": f"heading:{side}",
                "label": style.side_label(side),
                "title": f"{style.side_label(side)} positions",
                "x": x,
                "y": 0.0,
                "shape": "text",
                "font": {"size": 18, "color": style.side_color(side), "bold": True},
                "kind": "heading",
                "side": side,
                "unmatched": False,
                "fixed": True,
                "chosen": False,
            }
        )
    for key in [*mgmt, *labor]:
        ref = refs[key]
        side = str(ref.side)
        color = style.side_color(side)
        holder = dv.holder(key) if key in graph else None
        who = dv.name(holder) if holder else "vacant"
        topics = [dv.name(t) for t in dv.out(key, "RESPONSIBLE_FOR")] if key in graph else []
        lines = [
            ref.title,
            f"{style.side_label(side)}, {str(ref.kind).replace('_', ' ')}",
            f"Held by: {who}",
        ]
        if topics:
            lines.append(f"Portfolio: {', '.join(topics)}")
        if partners.get(key):
            lines.append("Counterparts: " + ", ".join(refs[k].title for k in partners[key]))
        if key in unmatched:
            lines.append("No counterpart yet")
            if suggested_for.get(key):
                lines.append(
                    "Could pair with: "
                    + ", ".join(
                        refs[k].title if k in refs else dv.name(k) if k in graph else ident_of(k)
                        for k in suggested_for[key]
                    )
                )
        x, y = where[key]
        flagged = key in unmatched
        nodes.append(
            {
                "id": key,
                "label": f"{ref.title}\n{who}",
                "title": "\n".join(lines),
                "x": x,
                "y": y,
                "shape": "box",
                "color": {
                    "background": color,
                    "border": NO_COUNTERPART if flagged else color,
                    "highlight": {"background": color, "border": "#000000"},
                    "hover": {"background": color, "border": "#000000"},
                },
                "borderWidth": 4 if flagged else 1,
                "font": {"color": "#FFFFFF", "size": 13},
                "widthConstraint": {"minimum": 220, "maximum": 220},
                "margin": 7,
                "kind": "position",
                "side": side,
                "positionKind": str(ref.kind),
                "unmatched": flagged,
                "counterparts": partners.get(key, []),
            }
        )

    edges: list[dict[str, Any]] = []
    for p in rep.pairs:
        suggested = p.method.startswith("suggested")
        if p.meetings:
            label, color, width = _cadence(dv, p.meetings), _MEETING_EDGE, 2.5
        elif suggested:
            label, color, width = f"suggested ({p.score:.2f})", style.DESIRED_BORDER, 1.5
        else:
            label, color, width = "no standing meeting", style.SEVERITY_COLORS["warning"], 2.0
        how = {
            "declared": "declared counterparts",
            "standing_meeting": "share a standing meeting",
        }.get(p.method, "suggested by the analysis")
        lines = [f"{p.management.title} and {p.labor.title}", f"Pairing: {how}"]
        if suggested:
            why = p.reason or "similar portfolios"
            lines.append(f"Why: {why} (score {p.score:.2f} of 1; see docs/counterparts.md)")
        if p.meetings:
            lines.append(
                "Standing meeting: "
                + "; ".join(f"{dv.name(m)} ({_cadence(dv, [m])})" for m in p.meetings)
            )
        else:
            lines.append("No standing meeting between them")
        if p.group_meetings:
            lines.append("Also meet in: " + ", ".join(dv.name(m) for m in p.group_meetings))
        if p.shared_topics:
            lines.append("Shared topics: " + ", ".join(dv.name(t) for t in p.shared_topics))
        edges.append(
            {
                "id": f"c{len(edges)}",
                "from": p.management.key,
                "to": p.labor.key,
                "caption": label,
                "title": "\n".join(lines),
                "color": color,
                "width": width,
                "dashes": suggested,
                "method": p.method,
                "meetings": p.meetings,
                "cadence": _cadence(dv, p.meetings) if p.meetings else None,
                "score": p.score,
            }
        )

    nodes += edge_captions(edges, {n["id"]: (n["x"], n["y"]) for n in nodes})

    legend = [
        LegendItem("Administration position", style.side_color("management"), "box"),
        LegendItem("Association position", style.side_color("labor"), "box"),
        LegendItem("No counterpart", NO_COUNTERPART, "ring"),
        LegendItem("Standing meeting (label: cadence)", _MEETING_EDGE, "thick-line"),
        LegendItem("Counterparts, no standing meeting", style.SEVERITY_COLORS["warning"], "line"),
        LegendItem("Suggested pairing", style.DESIRED_BORDER, "dashed-line"),
    ]
    notes = []
    if rep.note:
        notes.append(rep.note)
    if rep.without_meeting:
        notes.append(f"{len(rep.without_meeting)} counterpart pairs have no standing meeting.")
    who = rep.name or rep.district or "District"
    subtitle = (
        f"{len(rep.pairs)} counterpart pairs; {len(rep.unmatched_management)} administration and "
        f"{len(rep.unmatched_labor)} association positions without a counterpart."
    )
    return View(
        kind="counterparts",
        title=f"{who}: role-alike counterparts",
        subtitle=subtitle,
        nodes=nodes,
        edges=edges,
        legend=legend,
        notes=notes,
        extra={"unmatched": sorted(unmatched)},
    )
