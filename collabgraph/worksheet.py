"""The two worksheets as tables: Collaborative Structure (Part 2) and Standing Meetings.

The Collaborative Structure Worksheet's second part asks, for each existing
structure, which topics it addresses, who is included and what should change.
:func:`structure_rows` fills it from the district graph and a
:class:`~collabgraph.gaps.GapReport`: one row per team (leadership teams first)
and per standing meeting, then one row per *desired* structure the findings
call for. :func:`standing_meeting_rows` is the Standing Meeting Worksheet from a
:class:`~collabgraph.counterparts.CounterpartReport`. Both render as Markdown
or CSV.

Examples
--------
>>> rows = [StructureRow(structure="DLT", topics="hiring | pay", included="Administration: A",
...                      modifications="none")]
>>> print(render(STRUCTURE_HEADERS, [r.cells() for r in rows], "md"))
| Existing Structure | Topics Addressed | Who is Included? | Modifications? |
| --- | --- | --- | --- |
| DLT | hiring \\| pay | Administration: A | none |
>>> print(render(STRUCTURE_HEADERS, [r.cells() for r in rows], "csv"), end="")
Existing Structure,Topics Addressed,Who is Included?,Modifications?
DLT,hiring | pay,Administration: A,none
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from enum import StrEnum
from typing import Final

from pydantic import BaseModel, ConfigDict

from collabgraph.counterparts import CounterpartReport, StandingMeetingRow
from collabgraph.district_view import DistrictView
from collabgraph.gaps.find import DesiredStructure, Finding, GapReport
from collabgraph.graph import DistrictGraph
from collabgraph.safety.cells import neutralize

__all__ = [
    "STANDING_MEETING_HEADERS",
    "STRUCTURE_HEADERS",
    "SheetFormat",
    "StructureRow",
    "render",
    "standing_meeting_rows",
    "standing_meeting_worksheet",
    "structure_rows",
    "structure_worksheet",
]

STRUCTURE_HEADERS: Final = (
    "Existing Structure",
    "Topics Addressed",
    "Who is Included?",
    "Modifications?",
)
STANDING_MEETING_HEADERS: Final = (
    "District Administration",
    "Union/Association",
    "Standing Meeting",
    "Cadence",
    "Last Held",
    "Status",
)


class SheetFormat(StrEnum):
    """Output formats of a worksheet."""

    MD = "md"
    CSV = "csv"


class StructureRow(BaseModel):
    """One row of the Collaborative Structure Worksheet, Part 2."""

    model_config = ConfigDict(frozen=True)

    structure: str
    topics: str
    included: str
    modifications: str
    desired: bool = False

    def cells(self) -> list[str]:
        """The four cells, in column order."""
        return [self.structure, self.topics, self.included, self.modifications]


_KIND_ORDER: Final = ("dlt", "slt", "working_committee", "task_force", "plc", "other")
_KIND_LABEL: Final = {
    "dlt": "DLT",
    "slt": "SLT",
    "working_committee": "working committee",
    "task_force": "task force",
    "plc": "PLC",
    "other": "team",
}
_SIDE_LABEL: Final = {
    "management": "Administration",
    "labor": "Association",
    "board": "Board",
    "community": "Parents/community",
    "external": "Partners",
}


def _included(view: DistrictView, team: str) -> str:
    groups: dict[str, list[str]] = {}
    for m in view.members(team):
        who = ", ".join(view.names(m.positions)) or m.name
        if m.role in {"chair", "co_chair"}:
            who += f" ({m.role.replace('_', '-')})"
        groups.setdefault(m.side or "unknown", []).append(who)
    order = [*_SIDE_LABEL, "unknown"]
    parts = [
        f"{_SIDE_LABEL.get(side, 'Side unknown')}: {'; '.join(groups[side])}"
        for side in order
        if side in groups
    ]
    return " / ".join(parts) or "nobody recorded"


def _mods(findings: Sequence[Finding]) -> str:
    if not findings:
        return "none suggested"
    # Names, not rule codes: the codes stay in the JSON findings.
    return " ".join(f"{f.title} ({f.severity.value}): {f.suggestion}" for f in findings)


def structure_rows(graph: DistrictGraph, report: GapReport) -> list[StructureRow]:
    """Fill the worksheet's Part 2 table from the graph and its gap report.

    Findings about a team go on that team's row; a school's missing building
    rep goes on its SLT's row (or on the desired SLT's row); an overdue meeting
    goes on the meeting's row; everything a desired structure stands for goes
    on that structure's row.
    """
    view = DistrictView(graph)
    by_subject: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_subject.setdefault(f.subject, []).append(f)
    slt_of_school: dict[str, str] = {}
    for t in view.teams("slt"):
        school = view.school_of(t)
        if school and school not in slt_of_school:
            slt_of_school[school] = t
    desired_of_school = {d.school: d.id for d in report.desired_structures if d.school}
    extra: dict[str, list[Finding]] = {}
    for f in report.findings:
        if f.code == "school-no-rep":
            host = slt_of_school.get(f.subject) or desired_of_school.get(f.subject)
            if host:
                extra.setdefault(host, []).append(f)

    rows: list[StructureRow] = []
    teams = sorted(
        view.teams(),
        key=lambda t: (
            _KIND_ORDER.index(view.team_kind(t)) if view.team_kind(t) in _KIND_ORDER else 99,
            view.name(t),
        ),
    )
    for t in teams:
        where = view.school_of(t)
        label = f"{view.name(t)} ({_KIND_LABEL.get(view.team_kind(t), 'team')}"
        label += f", {view.name(where)})" if where else ", district)"
        rows.append(
            StructureRow(
                structure=label,
                topics="; ".join(view.names(view.topics_of(t))) or "none recorded",
                included=_included(view, t),
                modifications=_mods([*by_subject.get(t, []), *extra.get(t, [])]),
            )
        )
    for mt in view.nodes("StandingMeeting"):
        cadence = view.attr(mt, "cadence", "")
        attendees = view.attendees(mt)
        rows.append(
            StructureRow(
                structure=f"{view.name(mt)} (standing meeting, {cadence})",
                topics="; ".join(view.names(view.topics_of(mt))) or "none recorded",
                included="; ".join(view.names(attendees)),
                modifications=_mods(by_subject.get(mt, [])),
            )
        )
    found = {f.id: f for f in report.findings}
    for d in report.desired_structures:
        rows.append(_desired_row(view, d, [found[i] for i in d.findings] + extra.get(d.id, [])))
    return rows


def _desired_row(view: DistrictView, d: DesiredStructure, findings: list[Finding]) -> StructureRow:
    if d.kind == "Team":
        label = f"(desired) {d.name} ({_KIND_LABEL.get(d.team_kind or 'other', 'team')})"
        included = "to be chosen jointly by the administration and the association"
    else:
        label = f"(desired) {d.name} (standing meeting, {d.cadence or 'regular'})"
        included = "; ".join(view.name(a) if a in view.graph else a for a in d.attendees)
        included = included or "to be chosen"
    topics = "; ".join(view.name(t) if t in view.graph else t for t in d.topics)
    return StructureRow(
        structure=label,
        topics=topics or "to be decided",
        included=included,
        modifications="Create it. " + _mods(findings),
        desired=True,
    )


def standing_meeting_rows(
    report: CounterpartReport, gaps: GapReport | None = None
) -> list[StandingMeetingRow]:
    """The Standing Meeting Worksheet rows of a counterpart report.

    Given the district's gap report, a meeting it finds overdue (rule
    ``meeting-overdue``) has the status ``overdue: last held <date>, <n> days
    ago``, the same judgement (cadence and tolerance, as of the same day) as the
    findings.

    >>> from collabgraph.counterparts import CounterpartReport
    >>> row = StandingMeetingRow(administration="Supt", association="Pres", meeting="Weekly",
    ...     meeting_key="StandingMeeting:w", cadence="weekly", last_held="2025-01-06",
    ...     status="standing meeting")
    >>> gaps = GapReport(district="d", name="D", today="2026-03-24", findings=[Finding(
    ...     id="meeting-overdue@StandingMeeting:w", code="meeting-overdue", severity="warning",
    ...     title="t", subject="StandingMeeting:w", subject_name="Weekly",
    ...     subject_kind="StandingMeeting", message="m", evidence={"summary": "s"},
    ...     suggestion="s", source="s")])
    >>> report = CounterpartReport(district="d", name="D", worksheet=[row])
    >>> standing_meeting_rows(report, gaps)[0].status
    'overdue: last held 2025-01-06, 442 days ago (weekly)'
    """
    rows = list(report.worksheet)
    if gaps is None:
        return rows
    late = {f.subject for f in gaps.findings if f.code == "meeting-overdue"}
    out = []
    for row in rows:
        if row.meeting_key in late and row.last_held:
            days = (gaps.today - dt.date.fromisoformat(row.last_held)).days
            status = f"overdue: last held {row.last_held}, {days} days ago ({row.cadence})"
            row = row.model_copy(update={"status": status})
        out.append(row)
    return out


def _cell(text: str, fmt: SheetFormat) -> str:
    if fmt is SheetFormat.MD:
        return " ".join(text.split()).replace("|", "\\|")
    # A spreadsheet would run a cell starting with = + - @ tab or CR as a formula.
    return neutralize(text)


def render(headers: Sequence[str], rows: Sequence[Sequence[str]], fmt: SheetFormat | str) -> str:
    """A table as GitHub-flavoured Markdown or as CSV text."""
    kind = SheetFormat(fmt)
    if kind is SheetFormat.MD:
        lines = [
            "| " + " | ".join(headers) + " |",
            "| " + " | ".join("---" for _ in headers) + " |",
        ]
        lines += ["| " + " | ".join(_cell(c, kind) for c in row) + " |" for row in rows]
        return "\n".join(lines)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([_cell(c, kind) for c in row] for row in rows)
    return buf.getvalue()


def structure_worksheet(
    graph: DistrictGraph, report: GapReport, fmt: SheetFormat | str = SheetFormat.MD
) -> str:
    """The Collaborative Structure Worksheet, Part 2, as Markdown or CSV."""
    cells = [r.cells() for r in structure_rows(graph, report)]
    text = render(STRUCTURE_HEADERS, cells, fmt)
    if SheetFormat(fmt) is SheetFormat.MD:
        title = f"# Collaborative Structure Worksheet, Part 2: {report.name or report.district}"
        return f"{title}\n\n{text}\n"
    return text


def standing_meeting_worksheet(
    report: CounterpartReport, fmt: SheetFormat | str = "md", gaps: GapReport | None = None
) -> str:
    """The Standing Meeting Worksheet as Markdown or CSV (overdue meetings marked, given
    the gap report)."""
    cells = [
        [
            r.administration,
            r.association,
            r.meeting or "",
            r.cadence or "",
            r.last_held or "",
            r.status,
        ]
        for r in standing_meeting_rows(report, gaps)
    ]
    text = render(STANDING_MEETING_HEADERS, cells, fmt)
    if SheetFormat(fmt) is SheetFormat.MD:
        return f"# Standing Meeting Worksheet: {report.name or report.district}\n\n{text}\n"
    return text
