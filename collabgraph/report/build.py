"""What the partnership report says: figures, findings, charts, for one audience.

Two audiences (the access roles of docs/design will map onto them):

``association``
    The association's own copy: everything, isolated reps by name included.
``partner``
    The copy for the district side of the DLT: structure, gaps and
    counterparts in full; the rep network only as figures over the whole
    network or a wave of at least :data:`MIN_GROUP` people; no person's name
    anywhere (a name inside a finding's text is replaced by "a member").

Examples
--------
>>> from collabgraph.graph import workbook_to_graph
>>> from collabgraph.model import District, Workbook
>>> report = build_report(workbook_to_graph(Workbook(district=District(id="d", name="D"))))
>>> report.name, report.audience, [f.key for f in report.figures][:2]
('D', 'association', ['density', 'coverage'])
>>> build_report(workbook_to_graph(Workbook(district=District(id="d", name="D"))), "board")
Traceback (most recent call last):
...
collabgraph.errors.CollabGraphError: unknown audience 'board'; choose association or partner
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal, get_args

from collabgraph.counterparts import CounterpartReport, find_counterparts
from collabgraph.errors import CollabGraphError
from collabgraph.gaps import GapReport, find_gaps
from collabgraph.graph import DistrictGraph
from collabgraph.meanings import MEANINGS
from collabgraph.network import NetworkReport, SurveyWave, analyze_network
from collabgraph.report import charts

__all__ = [
    "AUDIENCES",
    "MIN_GROUP",
    "Audience",
    "FigureRow",
    "FindingRow",
    "PartnershipReport",
    "ResponseRow",
    "build_report",
    "response_schools",
]

Audience = Literal["association", "partner"]
#: Every audience.
AUDIENCES: Final[tuple[str, ...]] = get_args(Audience)
#: A partner sees a network figure only over at least this many people.
MIN_GROUP: Final = 5
#: Surveys side by side in "Survey response" (the latest ones).
MAX_SURVEYS: Final = 4
_WITHHELD: Final = "a member"


@dataclass(frozen=True)
class FigureRow:
    """One headline figure with its meaning."""

    key: str
    label: str
    value: str
    what: str
    scale: str
    formula: str


@dataclass(frozen=True)
class FindingRow:
    """One finding, in words."""

    severity: str
    about: str
    title: str
    message: str
    suggestion: str
    source: str


@dataclass(frozen=True)
class ResponseRow:
    """How one tie survey wave was answered, in words and figures."""

    wave: str
    state: str
    rate: str
    density_respondents: str
    density_roster: str
    one_sided: str
    reciprocity: str
    threshold: str
    schools: dict[str, tuple[str, bool]]
    below: list[str]
    notes: list[str]


def _response_row(w: SurveyWave) -> ResponseRow:
    return ResponseRow(
        wave=w.wave,
        state=w.state,
        rate=f"{_pct(w.response_rate)} ({w.responded} of {w.asked})",
        density_respondents=_num(w.density_respondents),
        density_roster=_num(w.density_roster),
        one_sided=_pct(w.one_sided_share),
        reciprocity=_num(w.reciprocity),
        threshold=_pct(w.threshold),
        schools={
            s.school: (f"{_pct(s.rate)} ({s.responded} of {s.asked})", s.below_threshold)
            for s in w.schools
        },
        below=list(w.below_threshold),
        notes=list(w.suppressed),
    )


def response_schools(rows: Sequence[ResponseRow], limit: int = 12) -> tuple[list[str], int]:
    """The schools to show in "Survey response" and how many more there are: those under
    the threshold in the latest wave first, then the others, at most ``limit``.

    >>> r = ResponseRow("w", "closed", "", "", "", "", "", "50%",
    ...                 {"A": ("90%", False), "B": ("10%", True)}, ["B"], [])
    >>> response_schools([r, r]), response_schools([r], limit=1)
    ((['B', 'A'], 0), (['B'], 1))
    """
    every = list(dict.fromkeys(school for row in rows for school in row.schools))
    latest = rows[-1].schools if rows else {}
    ordered = sorted(every, key=lambda s: not (s in latest and latest[s][1]))
    return ordered[:limit], max(len(ordered) - limit, 0)


@dataclass
class PartnershipReport:
    """Everything the printed report shows (see :func:`build_report`)."""

    district: str
    name: str
    audience: Audience
    date: dt.date
    figures: list[FigureRow]
    findings: list[FindingRow]
    counts: dict[str, int]
    structure_svg: str
    trend_svg: str | None
    trend_note: str
    reps_svg: str | None
    reps_note: str
    response_note: str
    responses: list[ResponseRow] = field(default_factory=list)
    isolates: list[str] = field(default_factory=list)
    without_meeting: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _figure(key: str, value: str) -> FigureRow:
    m = MEANINGS[key]
    return FigureRow(key, m.label, value, m.what, m.scale, m.formula)


def _num(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _response_note(surveys: Sequence[SurveyWave]) -> str:
    if not surveys:
        return (
            "No tie survey has been run in collabgraph for this district yet; "
            "response rates per school will appear here once one has."
        )
    return (
        f"{MEANINGS['response_rate'].what} A low rate means the network figures miss ties: "
        "density among respondents is the figure to compare between waves; density among "
        "all rostered people is a floor."
    )


def _scrubber(graph: DistrictGraph) -> re.Pattern[str] | None:
    names = {
        str(data.get("name"))
        for _, data in graph.nodes(data=True)
        if data.get("kind") == "Person" and data.get("name")
    }
    names = {n for n in names if n.strip()}
    if not names:
        return None
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


def build_report(
    graph: DistrictGraph,
    audience: str = "association",
    *,
    network: NetworkReport | None = None,
    gaps: GapReport | None = None,
    counterparts: CounterpartReport | None = None,
    today: dt.date | None = None,
    surveys: Sequence[SurveyWave] = (),
) -> PartnershipReport:
    """The partnership report of one district, for one audience.

    Parameters
    ----------
    graph : DistrictGraph
    audience : {"association", "partner"}
        ``partner`` leaves out every person's name and every figure over fewer
        than :data:`MIN_GROUP` people.
    network, gaps, counterparts : optional
        Reports already computed; the missing ones are computed.
    today : date, optional
        The report's date (and the day overdue meetings are judged on).
    surveys : sequence of SurveyWave, optional
        The district's tie surveys (``collabgraph.survey.waves.survey_waves``): their
        response rates, per school, go in the report (a partner's copy shows them only
        over groups of at least :data:`MIN_GROUP` people).

    Raises
    ------
    CollabGraphError
        For an unknown audience.
    """
    if audience not in AUDIENCES:
        raise CollabGraphError(f"unknown audience {audience!r}; choose association or partner")
    partner = audience == "partner"
    day = today or dt.date.today()
    net = network if network is not None else analyze_network(graph)
    gap = gaps if gaps is not None else find_gaps(graph, today=day)
    cps = counterparts if counterparts is not None else find_counterparts(graph)
    pattern = _scrubber(graph) if partner else None

    def say(text: str) -> str:
        return pattern.sub(_WITHHELD, text) if pattern is not None else text

    n = net.observed.n
    small = partner and n < MIN_GROUP
    hidden = f"not shown: fewer than {MIN_GROUP} people" if small else ""
    figures = [
        _figure("density", hidden or _num(net.observed.density)),
        _figure(
            "coverage",
            f"{_pct(net.coverage.share)} ({net.coverage.covered} of {net.coverage.schools})",
        ),
        _figure("isolates", hidden or str(len(net.isolates))),
        _figure("officers_reach", hidden or _pct(net.officers_reach_share)),
        _figure("gaps", ", ".join(f"{c} {s}" for s, c in gap.counts.items()) or "none"),
        _figure(
            "unmatched",
            f"{len(cps.unmatched_management)} administration, {len(cps.unmatched_labor)} "
            "association",
        ),
    ]
    findings = [
        FindingRow(
            f.severity.value,
            say(f.subject_name),
            f.title,
            say(f.message),
            say(f.suggestion),
            f.source,
        )
        for f in gap.findings
    ]
    # -- structure chart -----------------------------------------------------------
    kinds: dict[str, list[tuple[str, bool]]] = {"dlt": [], "slt": [], "committee": [], "other": []}
    meetings: list[tuple[str, bool]] = []
    every: list[tuple[str, dict[str, Any]]] = [(k, graph.nodes[k]) for k in graph.nodes]
    for key, data in sorted(every, key=lambda kv: str(kv[1].get("name"))):
        if data.get("kind") == "Team":
            kind = str(data.get("team_kind") or "other")
            band = {"dlt": "dlt", "slt": "slt", "working_committee": "committee"}.get(kind, "other")
            kinds[band].append((say(str(data.get("name") or key)), False))
        elif data.get("kind") == "StandingMeeting":
            cadence = str(data.get("cadence") or "").replace("_", " ")
            label = say(str(data.get("name") or key)) + (f" ({cadence})" if cadence else "")
            meetings.append((label, False))
    for d in gap.desired_structures:
        if d.kind == "StandingMeeting":
            meetings.append((f"Desired: {say(d.name)}", True))
        else:
            kind = d.team_kind or "other"
            band = {"dlt": "dlt", "slt": "slt", "working_committee": "committee"}.get(kind, "other")
            kinds[band].append((f"Desired: {say(d.name)}", True))
    slts = kinds["slt"]
    if len(slts) > 40:  # a big district: one box per school level
        levels: dict[str, int] = {}
        for _, data in every:
            if data.get("kind") == "School":
                level = str(data.get("level") or "other")
                levels[level] = levels.get(level, 0) + 1
        slts = [
            (f"{lv.replace('_', ' ').capitalize()} schools: {c}", False)
            for lv, c in sorted(levels.items())
        ]
    structure = charts.structure_chart_svg(
        kinds["dlt"],
        [
            ("School Leadership Teams", slts),
            ("Working committees", kinds["committee"]),
            ("Other teams", kinds["other"]),
        ],
        meetings,
    )
    # -- trend across waves ----------------------------------------------------------
    waves = [w for w in net.per_wave if not partner or w.density.n >= MIN_GROUP]
    trend_svg = None
    if len(waves) >= 2:
        trend_svg = charts.line_chart_svg(
            [w.wave for w in waves],
            [
                [None if w.density.density is None else float(w.density.density) for w in waves],
                [w.isolates / w.density.n if w.density.n else None for w in waves],
            ],
            ["Density", "Share of people isolated"],
            "Share",
            percent=True,
        )
        trend_note = (
            f"Worksite coverage today: {_pct(net.coverage.share)} (building reps are recorded "
            "as they are now, not per wave)."
        )
    elif len(waves) == 1:
        trend_note = (
            f"Only one survey wave so far ({waves[0].wave}): the trend starts with the next."
        )
    else:
        trend_note = "No survey waves recorded yet: ties carry no wave, so there is no trend."
    # -- building reps against staff -------------------------------------------------
    ratios = [r for r in net.staff_ratios if r.staff is not None]
    reps_svg = None
    healthy = net.config.rep_staff_healthy
    if ratios:
        reps_svg = charts.bar_chart_svg(
            [r.school.name for r in ratios],
            [None if not r.reps else float(r.staff_per_rep or 0) for r in ratios],
            "Represented staff per rep",
            reference=float(healthy),
            reference_label=f"{healthy}: one rep can know everyone",
            missing_label="no rep",
        )
        stretched = [r.school.name for r in ratios if r.flag in ("very_hard", "stretched")]
        none = [r.school.name for r in ratios if not r.reps]
        reps_note = MEANINGS["staff_per_rep"].what
        if none:
            reps_note += f" No building rep: {', '.join(none)}."
        reps_note += (
            f" More than {healthy} staff per rep (orange): {', '.join(stretched)}."
            if stretched
            else " No school is stretched thin."
        )
    else:
        reps_note = "No school lists its represented staff, so reps cannot be set against staff."
    report = PartnershipReport(
        district=str(graph.graph.get("district") or ""),
        name=say(str(graph.graph.get("name") or graph.graph.get("district") or "District")),
        audience="partner" if partner else "association",
        date=day,
        figures=figures,
        findings=findings,
        counts=dict(gap.counts),
        structure_svg=structure,
        trend_svg=trend_svg,
        trend_note=trend_note,
        reps_svg=reps_svg,
        reps_note=reps_note,
        response_note=_response_note(surveys),
        responses=[
            _response_row(w.for_groups(MIN_GROUP) if partner else w) for w in surveys[-MAX_SURVEYS:]
        ],
    )
    if len(surveys) > MAX_SURVEYS:
        report.response_note += (
            f" The last {MAX_SURVEYS} of {len(surveys)} surveys are shown (all of them: "
            "collabgraph analyze DISTRICT)."
        )
    if not partner:
        report.isolates = [p.name for p in net.isolates]
    report.without_meeting = [
        say(f"{p.management.title} and {p.labor.title}") for p in cps.without_meeting
    ]
    if partner:
        report.notes.append(
            "Partner copy: the association's rep network appears only as figures over "
            f"groups of at least {MIN_GROUP} people, and no one is named."
        )
    return report
