"""The structure chart: the Collaborative Structure Worksheet's Part 1, drawn.

Horizontal bands, top to bottom:

1. the District Leadership Team(s), with the standing meetings beside them:
   a column of meetings between an "Administration leaders" anchor on the left
   and an "Association leaders" anchor on the right, each meeting linked to the
   side(s) whose positions attend it;
2. the School Leadership Teams;
3. the working committees;
4. other teams (task forces, PLCs...).

Within a band, boxes are grouped by who oversees them; when one team oversees
:data:`GROUP_ARROWS` or more boxes of a band, a single arrow runs to a heading
above the band ("School Leadership Teams overseen by ... (12)") instead of one
arrow per box, so no arrow crosses a row of boxes.

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
>>> [n["id"] for n in view.nodes if not n["placeholder"]]  # the sides the meeting would join
['anchor:management', 'anchor:labor']
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
from visualizations.render import Control, LegendItem, View

__all__ = [
    "BANDS",
    "GROUP_ARROWS",
    "SIDE_ORDER",
    "SLT_GROUP_MIN",
    "band_of",
    "build_structure_view",
]

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
_BAND_GAP: Final = 240.0
#: Oversight arrows leave a box downwards and enter the next one from above.
_DOWNWARD: Final = {
    "enabled": True,
    "type": "cubicBezier",
    "forceDirection": "vertical",
    "roundness": 0.5,
}
_MEETING_FILL: Final = "#E3E6E8"
_MEETING_GAP: Final = 66.0
_ANCHOR_GAP: Final = 200.0
_ANCHOR: Final = "anchor:"
_LINE: Final = 15.0
#: Links from a side's anchor to its meetings leave and arrive horizontally.
_SIDEWAYS: Final = {
    "enabled": True,
    "type": "cubicBezier",
    "forceDirection": "horizontal",
    "roundness": 0.6,
}
#: Arrows from one overseer to this many boxes of a band or more become one arrow
#: to the band's heading, so no arrow has to cross rows of boxes.
GROUP_ARROWS: Final = 3
#: Above this many SLTs, they are folded into one box per school level.
SLT_GROUP_MIN: Final = 50
_FOLD: Final = "slt-level:"
_ROLE_NAMES: Final = {"chair": "chair", "co_chair": "co-chair", "member": "member"}
_KIND_NAMES: Final = {
    "dlt": "District Leadership Team",
    "slt": "School Leadership Team",
    "working_committee": "Working committee",
    "task_force": "Task force",
    "plc": "Professional learning community",
    "other": "Team",
}


def _overseer_key(dv: DistrictView, key: str, desired: dict[str, Any]) -> tuple[str, ...]:
    if key in desired:
        return ("~", *sorted(desired[key].overseen_by))
    return tuple(sorted(dv.overseers(key)))


def _meeting_column(
    centres: dict[str, tuple[float, float]],
    keys_in: dict[str, list[str]],
    lines: dict[str, int],
) -> dict[str, tuple[float, float]]:
    """Standing meetings in a column to the right of the top band, between an
    "Administration" and an "Association" anchor; the bands below move down when
    the column is taller than the top band. ``lines`` is each meeting label's
    number of lines (the column leaves room for each box)."""
    meetings = keys_in["meeting"]
    if not meetings:
        return {}
    top = [centres[k] for k in keys_in["dlt"] if k in centres]
    right = max((x for x, _ in top), default=0.0)
    y = min((y for _, y in top), default=0.0) - 70.0
    mx = right + _TEAM_GAP * 0.8 + _ANCHOR_GAP
    out: dict[str, tuple[float, float]] = {}
    previous = 0.0
    for m in meetings:
        half = (lines.get(m, 2) * _LINE + 14) / 2
        y += previous + half + (12 if out else 0)
        out[m] = (round(mx, 1), round(y, 1))
        previous = half
    first, last = out[meetings[0]][1], out[meetings[-1]][1]
    middle = (first + last) / 2
    out[_ANCHOR + "management"] = (round(mx - _ANCHOR_GAP, 1), round(middle, 1))
    out[_ANCHOR + "labor"] = (round(mx + _ANCHOR_GAP, 1), round(middle, 1))
    bottom = last + previous
    lower = [y for k, (_, y) in centres.items() if k not in keys_in["dlt"]]
    if lower:
        shift = max(0.0, bottom + _BAND_GAP * 0.6 - min(lower))
        for k, (x, y) in list(centres.items()):
            if k not in keys_in["dlt"]:
                centres[k] = (x, round(y + shift, 1))
    return out


def _label_lines(text: str, width: int = 24) -> int:
    """How many lines vis-network wraps ``text`` into in a box of ~``width`` characters.

    >>> _label_lines("Human resources"), _label_lines("Cabinet and principals with the board")
    (1, 2)
    """
    count, current = 1, 0
    for word in text.split():
        if current and current + 1 + len(word) > width:
            count, current = count + 1, len(word)
        else:
            current += (1 if current else 0) + len(word)
    return count


def _clip(text: str, limit: int = 60) -> str:
    """A long name cut at a word for a box label (the tooltip keeps it whole).

    >>> _clip("Short"), _clip("Assistant Superintendent, Curriculum and Instruction", 40)
    ('Short', 'Assistant Superintendent, Curriculum…')
    """
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _start(nodes: list[dict[str, Any]]) -> dict[str, float] | None:
    """Where a readable first view starts: the top of the chart, centred on the
    top band (the DLT with its standing meetings beside it)."""
    top = [n for n in nodes if n.get("band") in ("dlt", "meeting") or n.get("kind") == "anchor"]
    top += [
        n
        for n in nodes
        if n.get("kind") == "sides" and str(n.get("team")) in {str(t["id"]) for t in top}
    ]
    if not top:
        return None
    xs = [float(n["x"]) for n in top]
    return {"x": round((min(xs) + max(xs)) / 2, 1), "y": min(float(n["y"]) for n in top)}


def _level(dv: DistrictView, school: str | None) -> str:
    """The level filter's value: the school's level, or ``district``."""
    if not school:
        return "district"
    return str(dv.attr(school, "level") or "other")


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
    desired_by_id = {d.id: d for d in desired}
    keys_in: dict[str, list[str]] = {band: [] for band, _, _ in BANDS}
    for team in sorted(teams, key=lambda t: (dv.school_of(t) is not None, dv.name(t), t)):
        keys_in[band_of(dv.team_kind(team))].append(team)
    for meeting in sorted(meetings, key=lambda m: (dv.name(m), m)):
        keys_in["meeting"].append(meeting)
    for d in desired:
        keys_in["meeting" if d.kind == "StandingMeeting" else band_of(d.team_kind)].append(d.id)
    widest = max((len(keys) for keys in keys_in.values()), default=1)
    columns = max(6, math.ceil(math.sqrt(widest) * 1.6))
    # Group a band's boxes by who oversees them, so one arrow can stand for a group.
    for band in ("slt", "committee", "other"):
        order = {k: i for i, k in enumerate(keys_in[band])}
        keys_in[band].sort(key=lambda k: (_overseer_key(dv, k, desired_by_id), order[k]))
    # A big district: the SLTs fold into one box per school level (open one with a click),
    # and each level's SLTs wait under the chart.
    slt_level = {
        key: _level(dv, desired_by_id[key].school if key in desired_by_id else dv.school_of(key))
        for key in keys_in["slt"]
    }
    folded: dict[str, list[str]] = {}
    if len(keys_in["slt"]) > SLT_GROUP_MIN:
        for key in keys_in["slt"]:
            folded.setdefault(f"{_FOLD}{slt_level[key]}", []).append(key)
        folded = dict(sorted(folded.items()))
    layout_bands = [keys_in["dlt"], list(folded) or keys_in["slt"], keys_in["committee"]]
    layout_bands += [keys_in["other"], *folded.values()]
    centres = band_positions(
        layout_bands,
        columns=columns,
        col_gap=_TEAM_GAP,
        row_gap=_ROW_GAP,
        band_gap=_BAND_GAP,
    )
    group_of = {key: g for g, ks in folded.items() for key in ks}
    meeting_lines = {m: _label_lines(_clip(dv.name(m))) + 1 for m in meetings}
    meeting_lines |= {d.id: _label_lines(f"Desired: {d.name}") + 1 for d in desired}
    centres |= _meeting_column(centres, keys_in, meeting_lines)

    nodes: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    drawn_findings: set[str] = set()
    sides_seen: set[str] = set()

    def topic_names(key: str) -> list[str]:
        return [dv.name(t) for t in dv.out(key, "ADDRESSES")]

    # -- one arrow per (overseer, band) for groups of boxes --------------------------
    overseen: dict[tuple[str, str], list[str]] = defaultdict(list)
    for team in teams:
        for overseer in dv.overseers(team):
            overseen[(overseer, band_of(dv.team_kind(team)))].append(team)
    grouped: dict[tuple[str, str], str] = {}
    headings = {b: h for b, _, h in BANDS}
    for fold, keys in folded.items():
        findings_in = [f for key in keys for f in by_subject.get(key, [])]
        findings_in += [
            by_id[f]
            for key in keys
            if key in desired_by_id
            for f in desired_by_id[key].findings
            if f in by_id
        ]
        level = fold.removeprefix(_FOLD)
        x, y = centres[fold]
        name = "District-level" if level == "district" else level.replace("_", " ").capitalize()
        flagged = sum(1 for key in keys if by_subject.get(key) or key in desired_by_id)
        severity = _worst(findings_in)
        nodes.append(
            {
                "id": fold,
                "label": f"{name} School Leadership Teams ({len(keys)})\n"
                f"{flagged} with findings · click to open",
                "title": f"{name} School Leadership Teams: {len(keys)}\n"
                + "\n".join(
                    dv.name(key) if key in graph else desired_by_id[key].name for key in keys[:40]
                )
                + (f"\n... and {len(keys) - 40} more" if len(keys) > 40 else ""),
                "x": x,
                "y": y,
                "shape": "box",
                "color": {
                    "background": style.TEAM_COLORS["slt"][0],
                    "border": style.SEVERITY_COLORS[severity] if severity else "#2F3E46",
                },
                "borderWidth": 3 if severity else 1,
                "font": {"color": "#FFFFFF", "size": 13},
                "widthConstraint": {"maximum": 210},
                "margin": 8,
                "kind": "slt-group",
                "members": keys,
                "placeholder": False,
                "desiredId": None,
                "teamKind": "slt",
                "band": "slt",
                "level": level,
                "findings": [f.id for f in findings_in],
                "findingCodes": sorted({f.code for f in findings_in}),
                "severity": severity,
            }
        )
        common = set.intersection(
            *(
                set(desired_by_id[key].overseen_by if key in desired_by_id else dv.overseers(key))
                for key in keys
            )
        )
        for overseer in sorted(common):
            edges.append(
                {
                    "from": overseer,
                    "to": fold,
                    "arrows": "to",
                    "color": "#5F6368",
                    "width": 1.5,
                    "smooth": _DOWNWARD,
                }
            )
            for key in keys:
                grouped[(overseer, key)] = fold
    for (overseer, band), boxes in sorted(overseen.items()):
        if len(boxes) < GROUP_ARROWS or band == "dlt" or (band == "slt" and folded):
            continue
        hid = f"group:{band}:{overseer}"
        first_row = min(centres[box][1] for box in boxes)
        row = [centres[box][0] for box in boxes if centres[box][1] == first_row]
        nodes.append(
            {
                "id": hid,
                "label": f"{headings[band]} overseen by {dv.name(overseer)} ({len(boxes)})",
                "title": f"{dv.name(overseer)} oversees:\n"
                + "\n".join(dv.name(box) for box in boxes),
                "x": round(sum(row) / len(row), 1),
                "y": round(first_row - 78, 1),
                "shape": "box",
                "color": {"background": "#FFFFFF", "border": "#5F6368"},
                "borderWidth": 1,
                "font": {"size": 13, "color": "#3C4043"},
                "margin": 5,
                "kind": "group",
                "placeholder": False,
                "desiredId": None,
                "teamKind": None,
                "band": band,
                "level": None,
                "findings": [],
                "findingCodes": [],
                "severity": None,
            }
        )
        edges.append(
            {
                "from": overseer,
                "to": hid,
                "arrows": "to",
                "color": "#5F6368",
                "width": 1.5,
                "smooth": _DOWNWARD,
            }
        )
        for box in boxes:
            grouped[(overseer, box)] = hid

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
                "level": _level(dv, school),
                "fold": group_of.get(team),
                "hidden": team in group_of,
                "findings": [f.id for f in findings],
                "findingCodes": [f.code for f in findings],
                "severity": severity,
            }
        )
        for overseer in overseers:
            if (overseer, team) in grouped:
                continue  # the group's one arrow stands for it
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
                    "font": {"size": 12, "vadjust": -4},
                    "kind": "sides",
                    "hidden": team in group_of,
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
                "label": f"{_clip(dv.name(meeting))}\n({cadence})",
                "title": "\n".join(tooltip),
                "x": x,
                "y": y,
                "shape": "box",
                "color": {
                    "background": _MEETING_FILL,
                    "border": style.SEVERITY_COLORS[severity] if severity else "#5F6368",
                },
                "borderWidth": 4 if severity else 1,
                "font": {"size": 12},
                "widthConstraint": {"maximum": 170},
                "margin": 6,
                "kind": "meeting",
                "placeholder": False,
                "desiredId": None,
                "teamKind": None,
                "band": "meeting",
                "level": "district",
                "findings": [f.id for f in findings],
                "findingCodes": [f.code for f in findings],
                "severity": severity,
            }
        )

    # -- the two sides the standing meetings join ------------------------------------
    meeting_sides: dict[str, set[str]] = defaultdict(set)
    for meeting in meetings:
        for a in dv.attendees(meeting):
            side = str(dv.attr(a, "side") or "")
            if side in ("management", "labor"):
                meeting_sides[side].add(meeting)
    for d in desired:
        if d.kind == "StandingMeeting":
            for a in d.attendees:
                side = str(dv.attr(a, "side") or "") if a in graph else ""
                if side in ("management", "labor"):
                    meeting_sides[side].add(d.id)
    if keys_in["meeting"]:
        for side in ("management", "labor"):
            aid = _ANCHOR + side
            x, y = centres[aid]
            color = style.side_color(side)
            nodes.append(
                {
                    "id": aid,
                    "label": f"{style.side_label(side)} leaders",
                    "title": f"{style.side_label(side)} positions attending standing meetings: "
                    f"{len(meeting_sides[side])} meetings",
                    "x": x,
                    "y": y,
                    "shape": "box",
                    "color": {"background": color, "border": color},
                    "font": {"color": "#FFFFFF", "size": 13},
                    "margin": 8,
                    "kind": "anchor",
                    "side": side,
                    "placeholder": False,
                    "desiredId": None,
                    "teamKind": None,
                    "band": "meeting",
                    "level": "district",
                    "findings": [],
                    "findingCodes": [],
                    "severity": None,
                }
            )
            for meeting in sorted(meeting_sides[side]):
                edges.append(
                    {
                        "from": aid,
                        "to": meeting,
                        "color": color,
                        "width": 1.2,
                        "dashes": meeting in desired_by_id,
                        "arrows": {"to": {"enabled": False}},
                        "smooth": _SIDEWAYS,
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
                "level": _level(dv, d.school if d.school in graph else None),
                "fold": group_of.get(d.id),
                "hidden": d.id in group_of,
                "findings": [f.id for f in findings],
                "findingCodes": [f.code for f in findings],
                "severity": severity,
            }
        )
        for overseer in d.overseen_by:
            if overseer in node_ids and (overseer, d.id) not in grouped:
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
    levels = sorted({str(n["level"]) for n in nodes if n.get("level")} - {"district"})
    controls = []
    if levels:
        controls.append(
            Control(
                "level",
                "Level",
                [("", "All levels"), ("district", "District level")]
                + [(lv, lv.replace("_", " ")) for lv in levels],
                target="nodes",
                field="level",
            )
        )
    severities = [sev for sev in style.SEVERITY_COLORS if report.counts.get(sev)]
    if severities:
        controls.append(
            Control(
                "severity",
                "Findings",
                [("", "Everything")] + [(sev, f"Only {sev} findings") for sev in severities],
                target="nodes",
                field="severity",
            )
        )
    return View(
        kind="structure",
        title=f"{who}: collaborative structure",
        subtitle=subtitle,
        nodes=nodes,
        edges=edges,
        legend=legend,
        notes=notes,
        controls=controls,
        directed=True,
        extra={
            "start": _start(nodes),
            "bands": [{"id": b, "heading": h} for b, _, h in BANDS if keys_in[b]],
            "desired": [d.id for d in desired],
        },
    )
