"""The gap finder: the Collaborative Structure Worksheet, automated.

:func:`find_gaps` runs every enabled rule of a :class:`~collabgraph.gaps.rules.RuleSet`
over a district graph and returns a :class:`GapReport`: one :class:`Finding`
per problem (rule code, severity, subject, evidence, a suggested change and the
guidebook section behind it) and the *desired structures* the findings call for
(placeholder teams and standing meetings that a structure chart draws dashed).

Examples
--------
>>> from collabgraph.model import District, School, Workbook
>>> from collabgraph.graph import workbook_to_graph
>>> wb = Workbook(district=District(id="d", name="D"),
...               schools=[School(id="lin", name="Lincoln", level="elementary")])
>>> report = find_gaps(workbook_to_graph(wb), today=dt.date(2026, 1, 5))
>>> [f.code for f in report.findings]
['no-dlt', 'no-top-meeting', 'school-no-slt', 'school-no-rep']
>>> [(d.id, d.findings) for d in report.desired_structures][:1]
[('desired:dlt', ['no-dlt@District:d'])]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from collabgraph.counterparts import counterparts_in_view
from collabgraph.district_view import COMMITTEE_KINDS, DistrictView, Member, ident_of
from collabgraph.gaps.rules import RULES, RuleSet, Severity, default_rules
from collabgraph.graph import DistrictGraph
from collabgraph.model import Cadence

__all__ = [
    "COMMITTEE_KINDS",
    "DesiredStructure",
    "Evidence",
    "Finding",
    "GapReport",
    "MemberInfo",
    "find_gaps",
]

_LEADERSHIP: Final = ("dlt", "slt")
_SIDE_WORDS: Final = {
    "management": "administration (management)",
    "labor": "association (labor)",
    "board": "school board",
    "community": "parents and community",
    "external": "external partners",
}


class MemberInfo(BaseModel):
    """A team seat quoted as evidence."""

    model_config = ConfigDict(frozen=True)

    person: str
    name: str
    side: str | None
    role: str
    appointed_by: str | None = None
    positions: list[str] = Field(default_factory=list)


class Evidence(BaseModel):
    """What a finding is based on."""

    model_config = ConfigDict(frozen=True)

    summary: str
    members: list[MemberInfo] = Field(default_factory=list)
    sides_present: list[str] = Field(default_factory=list)
    sides_missing: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list, description="Node keys involved.")


class Finding(BaseModel):
    """One structural gap."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(description="'<code>@<subject>': one finding per rule and subject.")
    code: str
    severity: Severity
    title: str
    subject: str = Field(description="Node key of what the finding is about.")
    subject_name: str
    subject_kind: str
    message: str
    evidence: Evidence
    suggestion: str
    source: str = Field(description="The guidebook section the rule comes from.")
    desired: list[str] = Field(default_factory=list, description="Desired structure ids.")


class DesiredStructure(BaseModel):
    """A team or standing meeting the findings call for (drawn as a placeholder)."""

    model_config = ConfigDict(frozen=True)

    id: str
    kind: Literal["Team", "StandingMeeting"]
    name: str
    team_kind: str | None = None
    level: str | None = None
    school: str | None = None
    topics: list[str] = Field(default_factory=list)
    attendees: list[str] = Field(default_factory=list)
    cadence: str | None = None
    overseen_by: list[str] = Field(default_factory=list)
    findings: list[str] = Field(default_factory=list)


class GapReport(BaseModel):
    """Everything :func:`find_gaps` found."""

    district: str | None
    name: str | None
    today: dt.date
    empty: bool = False
    note: str | None = None
    findings: list[Finding] = Field(default_factory=list)
    desired_structures: list[DesiredStructure] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)
    disabled: list[str] = Field(default_factory=list)
    rules_sources: list[str] = Field(default_factory=list)

    def codes(self) -> list[str]:
        """The rule codes found, in report order (repeats kept)."""
        return [f.code for f in self.findings]


def _side(side: str) -> str:
    return _SIDE_WORDS.get(side, side)


def _sides(sides: Iterable[str]) -> str:
    words = [_side(s) for s in sides]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _info(m: Member) -> MemberInfo:
    return MemberInfo(
        person=m.person,
        name=m.name,
        side=m.side,
        role=m.role,
        appointed_by=m.appointed_by,
        positions=list(m.positions),
    )


_TOKEN: Final = re.compile(r"[0-9a-z]+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _contains(words: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return n > 0 and any(words[i : i + n] == phrase for i in range(len(words) - n + 1))


class _Finder:
    def __init__(
        self, graph: DistrictGraph, rules: RuleSet, today: dt.date, view: DistrictView | None
    ) -> None:
        self.v = view if view is not None and view.graph is graph else DistrictView(graph)
        self.rules = rules
        self.today = today
        self.findings: list[Finding] = []
        self.desired: dict[str, DesiredStructure] = {}
        d = self.v.district_key()
        self.district = d or f"District:{graph.graph.get('district', '?')}"
        self.district_name = self.v.name(d) if d else str(graph.graph.get("name", "district"))

    # -- recording -----------------------------------------------------------
    def add(
        self,
        code: str,
        subject: str,
        message: str,
        evidence: Evidence,
        suggestion: str,
        desired: Iterable[DesiredStructure] = (),
    ) -> None:
        if not self.rules.enabled(code):
            return
        fid = f"{code}@{subject}"
        ids: list[str] = []
        for structure in desired:
            known = self.desired.get(structure.id, structure)
            self.desired[structure.id] = known.model_copy(
                update={"findings": [*known.findings, fid]}
            )
            ids.append(structure.id)
        in_graph = subject in self.v.graph
        self.findings.append(
            Finding(
                id=fid,
                code=code,
                severity=self.rules.severity(code),
                title=RULES[code].title,
                subject=subject,
                subject_name=self.v.name(subject) if in_graph else self.district_name,
                subject_kind=str(self.v.attr(subject, "kind")) if in_graph else "District",
                message=message,
                evidence=evidence,
                suggestion=suggestion,
                source=RULES[code].source,
                desired=ids,
            )
        )

    def on(self, *codes: str) -> bool:
        return any(self.rules.enabled(c) for c in codes)

    # -- the rules -----------------------------------------------------------
    def dlt_overseers(self) -> list[str]:
        dlts = self.v.teams("dlt")
        if dlts:
            return dlts
        return ["desired:dlt"] if self.rules.enabled("no-dlt") else []

    def no_dlt(self) -> None:
        if self.v.teams("dlt"):
            return
        self.add(
            "no-dlt",
            self.district,
            "The district has no District Leadership Team.",
            Evidence(summary="No team of kind 'dlt' is recorded."),
            "Form a District Leadership Team co-led by a district administrator and an "
            "association leader, with its seats filled by joint appointment.",
            [
                DesiredStructure(
                    id="desired:dlt",
                    kind="Team",
                    name="District Leadership Team",
                    team_kind="dlt",
                    level="district",
                )
            ],
        )

    def dlt_rules(self) -> None:
        slts = self.v.teams("slt")
        slt_people = {m.person for t in slts for m in self.v.members(t)}
        for dlt in self.v.teams("dlt"):
            members = self.v.members(dlt)
            chairs = [m for m in members if m.role in {"chair", "co_chair"}]
            chair_sides = {m.side for m in chairs if m.side}
            missing = [s for s in ("management", "labor") if s not in chair_sides]
            if missing:
                self.add(
                    "dlt-co-chairs",
                    dlt,
                    f"The DLT has no chair or co-chair from the {_sides(missing)}.",
                    Evidence(
                        summary=f"{len(chairs)} chair(s) recorded"
                        + (f", from: {_sides(sorted(chair_sides))}" if chair_sides else ""),
                        members=[_info(m) for m in chairs],
                        sides_present=sorted(chair_sides),
                        sides_missing=missing,
                    ),
                    f"Name a co-chair from the {_sides(missing)} so the team is led by "
                    "both parties together.",
                )
            if slts and members and not any(m.person in slt_people for m in members):
                self.add(
                    "dlt-no-slt-reps",
                    dlt,
                    "No DLT member also sits on a School Leadership Team.",
                    Evidence(
                        summary=f"{len(members)} DLT member(s), {len(slts)} SLT(s); no overlap",
                        related=slts,
                    ),
                    "Seat one or more SLT members on the DLT so that school teams and the "
                    "district team hear from each other.",
                )
            if members and self.rules.departments:
                self.departments(dlt, members)

    def departments(self, dlt: str, members: list[Member]) -> None:
        texts: list[list[str]] = []
        for m in members:
            for pos in m.positions:
                if self.v.attr(pos, "side") != "management":
                    continue
                words = _tokens(self.v.name(pos))
                for topic in self.v.topics_of(pos):
                    words += ["|", *_tokens(ident_of(topic)), "|", *_tokens(self.v.name(topic))]
                texts.append(words)
        missing = [
            dept
            for dept, keywords in self.rules.departments.items()
            if not any(_contains(t, _tokens(k)) for t in texts for k in keywords)
        ]
        if missing:
            self.add(
                "dlt-no-departments",
                dlt,
                f"The DLT has nobody from {', '.join(missing)}.",
                Evidence(
                    summary="Checked the titles and portfolio topics of positions held by the "
                    "DLT's management members",
                    sides_missing=[],
                    related=sorted({p for m in members for p in m.positions}),
                ),
                f"Invite the heads of {', '.join(missing)}, or people they delegate, onto the DLT.",
            )

    def school_rules(self) -> None:
        slt_at: dict[str, list[str]] = {}
        for t in self.v.teams("slt"):
            school = self.v.school_of(t)
            if school:
                slt_at.setdefault(school, []).append(t)
        reps_at: dict[str, list[str]] = {}
        for pos in self.v.positions("building_rep"):
            school = self.v.school_of(pos)
            if school:
                reps_at.setdefault(school, []).append(pos)
        for school in self.v.nodes("School"):
            name = self.v.name(school)
            if school not in slt_at:
                self.add(
                    "school-no-slt",
                    school,
                    f"{name} has no School Leadership Team.",
                    Evidence(summary="No team of kind 'slt' is recorded at this school."),
                    f"Set up a School Leadership Team at {name} around the principal and the "
                    "building representative, commissioned and supported by the DLT.",
                    [
                        DesiredStructure(
                            id=f"desired:slt-{ident_of(school)}",
                            kind="Team",
                            name=f"{name} School Leadership Team",
                            team_kind="slt",
                            level="school",
                            school=school,
                            overseen_by=self.dlt_overseers(),
                        )
                    ],
                )
            reps = reps_at.get(school, [])
            held = [p for p in reps if self.v.holder(p)]
            if not held:
                vacant = f"{len(reps)} vacant building rep position(s)" if reps else "none"
                self.add(
                    "school-no-rep",
                    school,
                    f"{name} has no building representative.",
                    Evidence(
                        summary=f"Building rep positions at this school: {vacant}", related=reps
                    ),
                    f"Work with the association to have a building representative elected or "
                    f"appointed at {name}, and record who holds the position.",
                )

    def slt_rules(self) -> None:
        for slt in self.v.teams("slt"):
            members = self.v.members(slt)
            school = self.v.school_of(slt)
            where = self.v.name(school) if school else "the school"
            for kind, code, who in (
                ("principal", "slt-no-principal", "principal"),
                ("building_rep", "slt-no-building-rep", "building representative"),
            ):
                if not self.rules.enabled(code):
                    continue
                found = [
                    m
                    for m in members
                    for pos in m.positions
                    if self.v.attr(pos, "position_kind") == kind
                    and (
                        school is None
                        or self.v.school_of(pos) is None
                        or self.v.school_of(pos) == school
                    )
                ]
                if found:
                    continue
                self.add(
                    code,
                    slt,
                    f"The SLT has no member holding the {who} position of {where}.",
                    Evidence(
                        summary=f"{len(members)} member(s), none of them {who} of {where}",
                        members=[_info(m) for m in members],
                    ),
                    f"Add the {who} of {where} to the team; the SLT is built around the "
                    "principal and the building rep choosing its members together.",
                )

    def team_rules(self) -> None:
        joint_kinds = {k.value for k in self.rules.joint_appointments}
        for team in self.v.teams():
            kind = self.v.team_kind(team)
            members = self.v.members(team)
            if not members:
                self.add(
                    "empty-team",
                    team,
                    "No members are recorded for this team.",
                    Evidence(summary="0 members"),
                    "Record the team's members so its make-up can be checked.",
                )
                continue
            required = [s.value for s in self.rules.groups_for(kind)]
            present = sorted({m.side for m in members if m.side})
            missing = [s for s in required if s not in present]
            if missing:
                unknown = sum(1 for m in members if not m.side)
                what = (
                    f"all {len(members) - unknown} member(s) with a known side are "
                    f"{_sides(present)}"
                    if present
                    else "no member has a known side"
                )
                self.add(
                    "one-sided-team",
                    team,
                    f"The team has no member from the {_sides(missing)}.",
                    Evidence(
                        summary=what
                        + (f"; {unknown} member(s) of unknown side" if unknown else ""),
                        members=[_info(m) for m in members],
                        sides_present=present,
                        sides_missing=missing,
                    ),
                    f"Bring in members from the {_sides(missing)} so the people affected by "
                    "the team's decisions help make them.",
                )
            if kind in joint_kinds:
                solo = [m for m in members if m.appointed_by in {"management", "labor"}]
                if solo:
                    self.add(
                        "appointments-not-joint",
                        team,
                        f"{len(solo)} seat(s) on this team were filled by one side alone.",
                        Evidence(
                            summary=", ".join(f"{m.name}: {m.appointed_by}" for m in solo),
                            members=[_info(m) for m in solo],
                        ),
                        "Fill this team's seats by joint decision of the administration and the "
                        "association from now on.",
                    )
            if kind == "working_committee":
                bosses = [b for b in self.v.overseers(team) if self.v.team_kind(b) in _LEADERSHIP]
                if not bosses:
                    school = self.v.school_of(team)
                    lead = (
                        f"the SLT of {self.v.name(school)}"
                        if school
                        else "the District Leadership Team"
                    )
                    self.add(
                        "unoverseen-committee",
                        team,
                        "No leadership team oversees this committee.",
                        Evidence(
                            summary="Overseen by: "
                            + (", ".join(self.v.names(self.v.overseers(team))) or "nobody"),
                            related=self.v.overseers(team),
                        ),
                        f"Put the committee under {lead}, which checks its progress and "
                        "supports it.",
                    )

    def priority_rules(self) -> None:
        committees = self.v.teams(*COMMITTEE_KINDS)
        covered = {t for c in committees for t in self.v.topics_of(c)}
        for topic in (
            self.v.out(self.district, "PRIORITIZES") if self.district in self.v.graph else []
        ):
            if topic in covered:
                continue
            name = self.v.name(topic)
            addressed_by = self.v.into(topic, "ADDRESSES")
            self.add(
                "priority-no-committee",
                topic,
                f"The focus area '{name}' has no committee working on it.",
                Evidence(
                    summary="Teams and meetings that list the topic: "
                    + (", ".join(self.v.names(addressed_by)) or "none"),
                    related=addressed_by,
                ),
                f"Form a working committee on {name} under the DLT, with members from both sides.",
                [
                    DesiredStructure(
                        id=f"desired:committee-{ident_of(topic)}",
                        kind="Team",
                        name=f"{name} committee",
                        team_kind="working_committee",
                        level="district",
                        topics=[topic],
                        overseen_by=self.dlt_overseers(),
                    )
                ],
            )

    def meeting_rules(self) -> None:
        supts = self.v.positions("superintendent", side="management")
        presidents = self.v.positions("president", side="labor")
        top = [mt for s in supts for p in presidents for mt in self.v.shared_meetings(s, p)]
        if not top:
            lacking = [
                what
                for what, found in (
                    ("superintendent", supts),
                    ("association president", presidents),
                )
                if not found
            ]
            summary = (
                f"No {' or '.join(lacking)} position is recorded"
                if lacking
                else "No standing meeting is attended by both"
            )
            self.add(
                "no-top-meeting",
                self.district,
                "The superintendent and the association president have no standing meeting.",
                Evidence(summary=summary, related=[*supts, *presidents]),
                "Put a standing meeting between the superintendent and the association "
                "president on the calendar, weekly if possible.",
                [
                    DesiredStructure(
                        id="desired:meeting-top",
                        kind="StandingMeeting",
                        name="Superintendent and association president",
                        attendees=[*supts, *presidents],
                        cadence=Cadence.WEEKLY.value,
                    )
                ],
            )
        if self.rules.enabled("cabinet-no-counterpart"):
            self.cabinet()
        if self.rules.enabled("meeting-overdue"):
            self.overdue()

    def cabinet(self) -> None:
        suggested = {
            u.position.key: u.suggested for u in counterparts_in_view(self.v).unmatched_management
        }
        for pos in self.v.positions("cabinet", side="management"):
            if self.v.out(pos, "COUNTERPART_OF"):
                continue
            partners = {
                a
                for mt in self.v.meetings_of(pos)
                for a in self.v.attendees(mt)
                if self.v.attr(a, "side") == "labor"
            }
            if partners:
                continue
            title = self.v.name(pos)
            options = suggested.get(pos) or []
            best = options[0] if options else None
            hint = (
                f"{self.v.name(best)} looks like the closest match by portfolio and title"
                if best
                else "no association position has an overlapping portfolio yet"
            )
            self.add(
                "cabinet-no-counterpart",
                pos,
                f"{title} has no association counterpart.",
                Evidence(
                    summary="No declared counterpart and no standing meeting with an "
                    "association position",
                    related=[best] if best else [],
                ),
                f"Choose an association leader to partner with {title} ({hint}) and set up a "
                "regular meeting between them.",
                [
                    DesiredStructure(
                        id=f"desired:meeting-{ident_of(pos)}",
                        kind="StandingMeeting",
                        name=f"{title} and association counterpart",
                        attendees=[pos, best] if best else [pos],
                        cadence=Cadence.MONTHLY.value,
                    )
                ],
            )

    def overdue(self) -> None:
        tol = self.rules.cadence_tolerance
        for mt in self.v.nodes("StandingMeeting"):
            last = self.v.attr(mt, "last_held")
            cadence = self.v.attr(mt, "cadence")
            days = Cadence(cadence).days if cadence in set(Cadence) else None
            if not last or days is None:
                continue
            held = dt.date.fromisoformat(str(last))
            due = held + dt.timedelta(days=days * tol)
            if due >= self.today:
                continue
            late = (self.today - held).days
            self.add(
                "meeting-overdue",
                mt,
                f"Last held {held.isoformat()}, {late} days ago; the cadence is {cadence}.",
                Evidence(
                    summary=f"{cadence} = every {days} days; tolerance {tol:g}x, so it was due "
                    f"by {due.isoformat()}",
                    related=self.v.attendees(mt),
                ),
                "Meet again soon, or update the cadence in the workbook if the schedule "
                "has changed on purpose.",
            )


_ORDER: Final = {code: i for i, code in enumerate(RULES)}


def find_gaps(
    graph: DistrictGraph,
    rules: RuleSet | None = None,
    *,
    today: dt.date | None = None,
    view: DistrictView | None = None,
) -> GapReport:
    """Run the gap rules over a district graph.

    Parameters
    ----------
    graph : DistrictGraph
        From :func:`collabgraph.graph.workbook_to_graph` or the store.
    rules : RuleSet, optional
        The rules in force; the packaged defaults when omitted.
    today : datetime.date, optional
        The day overdue meetings are judged against (default: the real today).
    view : DistrictView, optional
        A view of ``graph`` to reuse (its lookups are kept between analyses).

    Returns
    -------
    GapReport
        Findings sorted by severity, rule and subject; one finding per rule and
        subject; desired structures in the order first called for.
    """
    rules = rules or default_rules()
    day = today or dt.date.today()
    finder = _Finder(graph, rules, day, view)
    v = finder.v
    disabled = [c for c in RULES if not rules.enabled(c)]
    base = GapReport(
        district=graph.graph.get("district"),
        name=graph.graph.get("name"),
        today=day,
        disabled=disabled,
        rules_sources=list(rules.sources),
    )
    if not any(v.nodes(k) for k in ("School", "Position", "Person", "Team", "StandingMeeting")):
        return base.model_copy(
            update={
                "empty": True,
                "note": "The district has no schools, people, positions, teams or meetings "
                "yet, so there is nothing to check.",
                "counts": {s.value: 0 for s in Severity},
            }
        )
    steps: list[Callable[[], None]] = [
        finder.no_dlt,
        finder.dlt_rules,
        finder.school_rules,
        finder.slt_rules,
        finder.team_rules,
        finder.priority_rules,
        finder.meeting_rules,
    ]
    for step in steps:
        step()
    findings = sorted(finder.findings, key=lambda f: (f.severity.rank, _ORDER[f.code], f.subject))
    counts = {s.value: sum(1 for f in findings if f.severity is s) for s in Severity}
    return base.model_copy(
        update={
            "findings": findings,
            "desired_structures": list(finder.desired.values()),
            "counts": counts,
        }
    )
