"""The structure chart: the Collaborative Structure Worksheet's Part 1, drawn.

Horizontal bands, top to bottom:

1. the District Leadership Team(s);
2. the School Leadership Teams;
3. the working committees;
4. other teams (task forces, PLCs...);
5. the standing meetings.

Every team is a box naming its topics; under it (above it, for the DLT, whose
arrows leave downwards) hangs one small node per side seated on it ("Admin 3",
"Assoc 2"...), colored by side, whose tooltip lists the members and their
roles. Arrows run from a leadership team to the teams it
oversees.

Every desired structure of the gap report (a missing SLT, a committee for an
uncovered priority, a standing meeting for a cabinet seat) is drawn as a
dashed placeholder in its band, linked by a dashed arrow to the team that
should oversee it, with the findings behind it in the tooltip. A structure a
finding is about gets a border in the finding's severity color; findings about
something not drawn (a school without a rep) are listed under the legend.

Examples
--------
>>> from collabgraph.graph import workbook_to_graph
>>> from collabgraph.model import District, School, Workbook
>>> wb = Workbook(district=District(id="d", name="D"),
...               schools=[School(id="s1", name="S1", level="elementary")])
>>> view = build_structure_view(workbook_to_graph(wb))
>>> sorted(n["id"] for n in view.nodes if n["placeholder"])
['desired:dlt', 'desired:meeting-top', 'desired:slt-s1']
>>> [n["id"] for n in view.nodes if not n["placeholder"]]
[]
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any, Final

from collabgraph.gaps import Finding, GapReport, find_gaps
from collabgraph.gaps.view import DistrictView, ident_of
from collabgraph.graph import DistrictGraph
from visualizations import style
from visualizations.layout import band_positions
from visualizations.render import LegendItem, View

__all__ = ["BANDS", "SIDE_ORDER", "band_of", "build_structure_view"]

#: The chart's bands, top to bottom: (band id, team kinds in it, heading).
BANDS: Final[tuple[tuple[str, tuple[str, ...], str], ...]] = (
    ("dlt", ("dlt",), "District Leadership Team"),
    ("slt", ("slt",), "School Leadership Teams"),
    ("committee", ("working_committee",), "Working committees"),
    ("other", ("task_force", "plc", "other"), "Other teams"),
    ("meeting", (), "Standing meetings"),
)
#: Order of the side groups under a team.
SIDE_ORDER: Final = ("management", "labor", "board", "community", "external", "")

_TEAM_GAP: Final = 245.0
_GROUP_GAP: Final = 62.0
_GROUP_DROP: Final = 78.0
_ROW_GAP: Final = 170.0
_BAND_GAP: Final = 200.0
#: Oversight arrows leave a box downwards and enter the next one from above.
_DOWNWARD: Final = {
    "enabled": True,
    "type": "cubicBezier",
    "forceDirection": "vertical",
    "roundness": 0.5,
}
_MEETING_FILL: Final = "#E3E6E8"
_ROLE_NAMES: Final = {"chair": "chair", "co_chair": "co-chair", "member": "member"}
_KIND_NAMES: Final = {
    "dlt": "District Leadership Team",
    "slt": "School Leadership Team",
    "working_committee": "Working committee",
    "task_force": "Task force",
    "plc": "Professional learning community",
    "other": "Team",
}


def band_of(team_kind: str | None) -> str:
    """The band a team kind is drawn in.

    >>> band_of("slt"), band_of("plc"), band_of(None)
    ('slt', 'other', 'other')
    """
    for band, kinds, _ in BANDS:
        if team_kind in kinds:
            return band
    return "other"


def _finding_lines(findings: list[Finding]) -> list[str]:
    lines: list[str] = []
    for f in findings:
        lines.append(f"{f.severity.value.capitalize()}: {f.title}. {f.message}")
        lines.append(f"Suggested: {f.suggestion}")
    return lines


def _worst(findings: list[Finding]) -> str | None:
    if not findings:
        return None
    return min(findings, key=lambda f: f.severity.rank).severity.value


def _short(names: list[str], limit: int = 3) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" +{len(names) - limit}" if len(names) > limit else "")


def build_structure_view(graph: DistrictGraph, gaps: GapReport | None = None) -> View:
    """The structure chart of one district, with the gap report's placeholders.

    Parameters
    ----------
    graph : DistrictGraph
        The district graph.
    gaps : GapReport, optional
        Its gap report; computed with the default rules when omitted.

    Returns
    -------
    View
        Node records carry ``kind`` (``team``, ``sides``, ``meeting`` or
        ``desired``), ``placeholder`` (true only for desired structures),
        ``desiredId``, ``teamKind``, ``band``, ``findings`` (finding ids),
        ``findingCodes`` and ``severity``; side groups also carry ``side``,
        ``team``, ``count`` and ``members`` (display names).
    """
    report = gaps if gaps is not None else find_gaps(graph)
    dv = DistrictView(graph)
    by_subject: dict[str, list[Finding]] = defaultdict(list)
    by_id = {f.id: f for f in report.findings}
    for f in report.findings:
        by_subject[f.subject].append(f)

    teams = dv.teams()
    meetings = dv.nodes("StandingMeeting")
    desired = list(report.desired_structures)
    keys_in: dict[str, list[str]] = {band: [] for band, _, _ in BANDS}
    for team in sorted(teams, key=lambda t: (dv.school_of(t) is not None, dv.name(t), t)):
        keys_in[band_of(dv.team_kind(team))].append(team)
    for meeting in sorted(meetings, key=lambda m: (dv.name(m), m)):
        keys_in["meeting"].append(meeting)
    for d in desired:
        keys_in["meeting" if d.kind == "StandingMeeting" else band_of(d.team_kind)].append(d.id)
    widest = max((len(keys) for keys in keys_in.values()), default=1)
    columns = max(6, math.ceil(math.sqrt(widest) * 1.6))
    centres = band_positions(
        [keys_in[band] for band, _, _ in BANDS],
        columns=columns,
        col_gap=_TEAM_GAP,
        row_gap=_ROW_GAP,
        band_gap=_BAND_GAP,
    )

    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    drawn_findings: set[str] = set()
    sides_seen: set[str] = set()

    def topic_names(key: str) -> list[str]:
        return [dv.name(t) for t in dv.out(key, "ADDRESSES")]

    # -- teams and their side groups ---------------------------------------------
    for team in teams:
        kind = dv.team_kind(team)
        fill, font = style.TEAM_COLORS.get(kind, style.TEAM_COLORS["other"])
        findings = by_subject.get(team, [])
        drawn_findings.update(f.id for f in findings)
        severity = _worst(findings)
        topics = topic_names(team)
        school = dv.school_of(team)
        overseers = dv.overseers(team)
        members = dv.members(team)
        x, y = centres[team]
        label = dv.name(team) + (f"\n{_short(topics)}" if topics else "")
        tooltip = [
            dv.name(team),
            _KIND_NAMES.get(kind, kind)
            + (f" at {dv.name(school)}" if school else ", district level"),
            f"Topics: {', '.join(topics) if topics else 'none listed'}",
            f"Overseen by: {', '.join(dv.name(o) for o in overseers) if overseers else 'nobody'}",
            f"Members: {len(members)}",
            *_finding_lines(findings),
        ]
        nodes.append(
            {
                "id": team,
                "label": label,
                "title": "\n".join(tooltip),
                "x": x,
                "y": y,
                "shape": "box",
                "color": {
                    "background": fill,
                    "border": style.SEVERITY_COLORS[severity] if severity else fill,
                    "highlight": {"background": fill, "border": "#000000"},
                    "hover": {"background": fill, "border": "#000000"},
                },
                "borderWidth": 4 if severity else 1,
                "font": {"color": font, "size": 14 if kind == "dlt" else 13},
                "widthConstraint": {"maximum": 195},
                "margin": 8,
                "kind": "team",
                "placeholder": False,
                "desiredId": None,
                "teamKind": kind,
                "band": band_of(kind),
                "findings": [f.id for f in findings],
                "findingCodes": [f.code for f in findings],
                "severity": severity,
            }
        )
        for overseer in overseers:
            edges.append(
                {
                    "from": overseer,
                    "to": team,
                    "arrows": "to",
                    "color": "#5F6368",
                    "width": 1.5,
                    "smooth": _DOWNWARD,
                }
            )
        groups: dict[str, list[str]] = defaultdict(list)
        for m in members:
            role = _ROLE_NAMES.get(m.role, m.role)
            titles = [dv.name(p) for p in m.positions]
            groups[m.side or ""].append(
                f"{m.name} ({role}{'; ' + ', '.join(titles) if titles else ''})"
            )
        present = [s for s in SIDE_ORDER if s in groups] + sorted(set(groups) - set(SIDE_ORDER))
        left = x - (len(present) - 1) * _GROUP_GAP / 2
        # Under the team, except at the top band, whose arrows leave downwards:
        # there the groups sit above the box, out of the arrows' way.
        group_y = y - _GROUP_DROP if band_of(kind) == "dlt" else y + _GROUP_DROP
        for k, side in enumerate(present):
            sides_seen.add(side)
            people = groups[side]
            color = style.side_color(side or None)
            short = style.SIDE_SHORT.get(side, style.side_label(side or None))
            gid = f"{team}#side:{side or 'unknown'}"
            heading = f"{style.side_label(side or None)} on {dv.name(team)}: {len(people)}"
            nodes.append(
                {
                    "id": gid,
                    "label": f"{short} {len(people)}",
                    "title": "\n".join([heading, *people]),
                    "x": round(left + k * _GROUP_GAP, 1),
                    "y": round(group_y, 1),
                    "shape": "dot",
                    "size": 7 + min(len(people), 12),
                    "color": {"background": color, "border": color},
                    "font": {"size": 11, "vadjust": -4},
                    "kind": "sides",
                    "placeholder": False,
                    "desiredId": None,
                    "team": team,
                    "side": side or None,
                    "count": len(people),
                    "members": [m.name for m in members if (m.side or "") == side],
                    "findings": [],
                    "findingCodes": [],
                    "severity": None,
                }
            )
            edges.append(
                {
                    "from": team,
                    "to": gid,
                    "color": "#C4C7C5",
                    "width": 1,
                    "arrows": {"to": {"enabled": False}},
                }
            )

    # -- standing meetings ----------------------------------------------------------
    for meeting in meetings:
        findings = by_subject.get(meeting, [])
        drawn_findings.update(f.id for f in findings)
        severity = _worst(findings)
        cadence = str(dv.attr(meeting, "cadence") or "no cadence").replace("_", " ")
        attendees = dv.attendees(meeting)
        x, y = centres[meeting]
        tooltip = [
            dv.name(meeting),
            f"Standing meeting, {cadence}",
            "Attended by: " + (", ".join(dv.name(a) for a in attendees) or "nobody listed"),
            *_finding_lines(findings),
        ]
        nodes.append(
            {
                "id": meeting,
                "label": f"{dv.name(meeting)}\n({cadence})",
                "title": "\n".join(tooltip),
                "x": x,
                "y": y,
                "shape": "ellipse",
                "color": {
                    "background": _MEETING_FILL,
                    "border": style.SEVERITY_COLORS[severity] if severity else "#5F6368",
                },
                "borderWidth": 4 if severity else 1,
                "font": {"size": 12},
                "widthConstraint": {"maximum": 200},
                "kind": "meeting",
                "placeholder": False,
                "desiredId": None,
                "teamKind": None,
                "band": "meeting",
                "findings": [f.id for f in findings],
                "findingCodes": [f.code for f in findings],
                "severity": severity,
            }
        )

    # -- desired structures: dashed placeholders -------------------------------------
    node_ids = {n["id"] for n in nodes}
    for d in desired:
        findings = [by_id[f] for f in d.findings if f in by_id]
        drawn_findings.update(f.id for f in findings)
        x, y = centres[d.id]
        what = (
            "Standing meeting"
            if d.kind == "StandingMeeting"
            else _KIND_NAMES.get(d.team_kind or "other", "Team")
        )
        topics = [dv.name(t) if t in graph else ident_of(t) for t in d.topics]
        tooltip = [f"Desired: {d.name}", f"{what} (placeholder: not in the workbook yet)"]
        if d.school:
            tooltip.append(f"School: {dv.name(d.school) if d.school in graph else d.school}")
        if topics:
            tooltip.append(f"Topics: {', '.join(topics)}")
        if d.attendees:
            tooltip.append(
                "Attended by: "
                + ", ".join(dv.name(a) if a in graph else ident_of(a) for a in d.attendees)
            )
        if d.cadence:
            tooltip.append(f"Cadence: {d.cadence}")
        tooltip += _finding_lines(findings)
        severity = _worst(findings)
        nodes.append(
            {
                "id": d.id,
                "label": f"Desired: {d.name}" + (f"\n({d.cadence})" if d.cadence else ""),
                "title": "\n".join(tooltip),
                "x": x,
                "y": y,
                "shape": "box",
                "color": {
                    "background": "#FFFFFF",
                    "border": style.DESIRED_BORDER,
                    "highlight": {"background": "#FFFFFF", "border": "#000000"},
                    "hover": {"background": "#FFFFFF", "border": "#000000"},
                },
                "borderWidth": 2,
                "shapeProperties": {"borderDashes": [6, 4]},
                "font": {"color": "#3C4043", "size": 13},
                "widthConstraint": {"maximum": 195},
                "margin": 8,
                "kind": "desired",
                "placeholder": True,
                "desiredId": d.id,
                "desiredKind": d.kind,
                "teamKind": d.team_kind,
                "band": "meeting" if d.kind == "StandingMeeting" else band_of(d.team_kind),
                "findings": [f.id for f in findings],
                "findingCodes": [f.code for f in findings],
                "severity": severity,
            }
        )
        for overseer in d.overseen_by:
            if overseer in node_ids:
                edges.append(
                    {
                        "from": overseer,
                        "to": d.id,
                        "arrows": "to",
                        "dashes": [6, 4],
                        "color": style.DESIRED_BORDER,
                        "width": 1.5,
                        "smooth": _DOWNWARD,
                    }
                )

    # -- legend ---------------------------------------------------------------------------
    legend = [
        LegendItem("District Leadership Team", style.TEAM_COLORS["dlt"][0], "box"),
        LegendItem("School Leadership Team", style.TEAM_COLORS["slt"][0], "box"),
        LegendItem(
            "Working committee / other team", style.TEAM_COLORS["working_committee"][0], "box"
        ),
        LegendItem("Standing meeting", _MEETING_FILL, "box"),
        LegendItem("Desired structure (placeholder)", style.DESIRED_BORDER, "dashed"),
    ]
    legend += [
        LegendItem(f"Members: {style.side_label(s or None).lower()}", style.side_color(s or None))
        for s in SIDE_ORDER
        if s in sides_seen
    ]
    legend += [
        LegendItem(f"Finding: {sev}", color, "ring") for sev, color in style.SEVERITY_COLORS.items()
    ]
    legend += [
        LegendItem("Oversees", "#5F6368", "line"),
        LegendItem("Should oversee (proposed)", style.DESIRED_BORDER, "dashed-line"),
    ]
    notes = [
        f"{f.subject_name}: {f.message}" for f in report.findings if f.id not in drawn_findings
    ]
    if report.note:
        notes.insert(0, report.note)
    counts = ", ".join(f"{n} {sev}" for sev, n in report.counts.items() if n)
    who = report.name or report.district or "District"
    subtitle = (
        f"{len(teams)} teams, {len(meetings)} standing meetings, "
        f"{len(desired)} desired structures (dashed). Findings: {counts or 'none'}. "
        "Hover a box for its members, topics and findings."
    )
    return View(
        kind="structure",
        title=f"{who}: collaborative structure",
        subtitle=subtitle,
        nodes=nodes,
        edges=edges,
        legend=legend,
        notes=notes,
        directed=True,
        extra={
            "bands": [{"id": b, "heading": h} for b, _, h in BANDS if keys_in[b]],
            "desired": [d.id for d in desired],
        },
    )
