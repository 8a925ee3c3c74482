"""The three passes that pair positions, the lists around them, the worksheet rows.

See :mod:`collabgraph.counterparts` for the method and an example.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, Literal

import networkx as nx

from collabgraph.counterparts.report import (
    CounterpartPair,
    CounterpartReport,
    Method,
    NotCoChairing,
    PositionRef,
    StandingMeetingRow,
    UnmatchedPosition,
)
from collabgraph.counterparts.score import MIN_SCORE, Profile, explain_profiles, score
from collabgraph.district_view import COMMITTEE_KINDS, DistrictView, ident_of
from collabgraph.graph import DistrictGraph

__all__ = [
    "LABOR_KINDS",
    "MANAGEMENT_KINDS",
    "PAIRING_SIDE_MAX",
    "counterparts_in_view",
    "find_counterparts",
    "is_pairing_meeting",
]

#: Administration position kinds that should have an association counterpart.
MANAGEMENT_KINDS: Final = ("superintendent", "cabinet", "director", "coordinator")
#: Association position kinds that can be a counterpart.
LABOR_KINDS: Final = (
    "president",
    "vice_president",
    "officer",
    "chief_negotiator",
    "committee_chair",
    "association_staff",
)
#: A standing meeting pairs its attendees when one of its two sides has at most
#: this many positions; larger meetings on both sides are group meetings.
PAIRING_SIDE_MAX: Final = 2


def is_pairing_meeting(view: DistrictView, meeting: str) -> bool:
    """Whether a standing meeting stands for counterpart pairings.

    It must have attendees from both sides, and one side must have at most
    :data:`PAIRING_SIDE_MAX` of them (one administrator meeting four vice
    presidents pairs them; a cabinet meeting the whole executive board does not).
    """
    people = view.attendees(meeting)
    n_m = sum(1 for p in people if view.attr(p, "side") == "management")
    n_l = sum(1 for p in people if view.attr(p, "side") == "labor")
    return n_m > 0 and n_l > 0 and min(n_m, n_l) <= PAIRING_SIDE_MAX


def _ref(view: DistrictView, key: str) -> PositionRef:
    return PositionRef(
        key=key,
        id=ident_of(key),
        title=view.name(key),
        kind=str(view.attr(key, "position_kind", "other")),
        side=str(view.attr(key, "side", "")),
    )


def _candidates(view: DistrictView, side: str, kinds: Iterable[str]) -> list[str]:
    return [k for k in view.positions(*kinds, side=side) if view.attr(k, "level") != "school"]


def counterparts_in_view(view: DistrictView) -> CounterpartReport:
    """:func:`find_counterparts` over an existing :class:`DistrictView` (computed once
    per view: the gap rules ask for it too)."""
    found = view.memo.get("counterparts")
    if isinstance(found, CounterpartReport):
        return found
    report = _counterparts(view)
    view.memo["counterparts"] = report
    return report


def _counterparts(view: DistrictView) -> CounterpartReport:
    g = view.graph
    report = CounterpartReport(district=g.graph.get("district"), name=g.graph.get("name"))
    if not view.nodes("Position"):
        return report.model_copy(
            update={"empty": True, "note": "The district has no positions recorded yet."}
        )
    profiles: dict[str, Profile] = {}

    def prof(key: str) -> Profile:
        if key not in profiles:
            profiles[key] = Profile(view, key)
        return profiles[key]

    pairs: dict[tuple[str, str], CounterpartPair] = {}
    pairing = {mt for mt in view.nodes("StandingMeeting") if is_pairing_meeting(view, mt)}

    def add(m: str, lab: str, method: Method, note: str | None = None) -> None:
        if (m, lab) in pairs:
            return
        pm, pl = prof(m), prof(lab)
        together = view.shared_meetings(m, lab)
        meetings = [mt for mt in together if mt in pairing]
        shared = set(pm.topics & pl.topics)
        for mt in meetings:
            shared |= set(view.out(mt, "ADDRESSES")) & (pm.topics | pl.topics)
        if method == "declared":
            reason = "declared in the workbook"
        elif method == "standing_meeting":
            reason = "meet in " + ", ".join(view.name(mt) for mt in meetings)
        else:
            reason = explain_profiles(pm, pl)
        pairs[(m, lab)] = CounterpartPair(
            management=_ref(view, m),
            labor=_ref(view, lab),
            method=method,
            score=score(pm, pl),
            reason=reason,
            shared_topics=sorted(shared),
            meetings=meetings,
            group_meetings=[mt for mt in together if mt not in pairing],
            note=note,
        )

    # 1. declared
    for u, v, data in view.edges("COUNTERPART_OF"):
        add(u, v, "declared", data.get("note"))
    # 2. standing meetings small enough to stand for pairings
    for mt in sorted(pairing):
        people = view.attendees(mt)
        for m in (p for p in people if view.attr(p, "side") == "management"):
            for lab in (p for p in people if view.attr(p, "side") == "labor"):
                add(m, lab, "standing_meeting")
    established = {k for pair in pairs for k in pair}

    # 3. suggestions
    mgmt = _candidates(view, "management", MANAGEMENT_KINDS)
    labor = _candidates(view, "labor", LABOR_KINDS)
    open_m = [k for k in mgmt if k not in established]
    open_l = [k for k in labor if k not in established]
    bip: nx.Graph[str] = nx.Graph()
    for m in open_m:
        for lab in open_l:
            value = score(prof(m), prof(lab))
            if value >= MIN_SCORE:
                bip.add_edge(m, lab, weight=value)
    matched: set[str] = set()
    for a, b in sorted(nx.max_weight_matching(bip), key=sorted):
        m, lab = (a, b) if a in set(open_m) else (b, a)
        add(m, lab, "suggested_match")
        matched |= {m, lab}

    def best(key: str, others: list[str], is_mgmt: bool) -> str | None:
        scored = [
            (score(prof(key), prof(o)) if is_mgmt else score(prof(o), prof(key)), o) for o in others
        ]
        scored = [(s, o) for s, o in scored if s >= MIN_SCORE]
        if not scored:
            return None
        return sorted(scored, key=lambda so: (-so[0], so[1]))[0][1]

    for m in open_m:
        if m not in matched and (lab_best := best(m, labor, True)):
            add(m, lab_best, "suggested_best")
    for lab in open_l:
        if lab not in matched and (m_best := best(lab, mgmt, False)):
            add(m_best, lab, "suggested_best")

    ordered = sorted(
        pairs.values(),
        key=lambda p: (not p.established, p.management.key, -p.score, p.labor.key),
    )

    def unmatched(keys: list[str], mine: Literal["management", "labor"]) -> list[UnmatchedPosition]:
        out = []
        for k in keys:
            if k in established:
                continue
            other = "labor" if mine == "management" else "management"
            sugg = [
                getattr(p, other).key
                for p in ordered
                if getattr(p, mine).key == k and not p.established
            ]
            out.append(UnmatchedPosition(position=_ref(view, k), suggested=sugg))
        return out

    return report.model_copy(
        update={
            "pairs": ordered,
            "unmatched_management": unmatched(mgmt, "management"),
            "unmatched_labor": unmatched(labor, "labor"),
            "without_meeting": [p for p in ordered if not p.meetings],
            "not_co_chairing": _not_co_chairing(view, [p for p in ordered if p.established]),
            "worksheet": _worksheet(view, ordered, mgmt, labor, established),
        }
    )


def _role(view: DistrictView, position: str, team: str) -> str | None:
    person = view.holder(position)
    if person is None:
        return None
    for m in view.members(team):
        if m.person == person:
            return m.role
    return None


def _not_co_chairing(view: DistrictView, pairs: list[CounterpartPair]) -> list[NotCoChairing]:
    out: list[NotCoChairing] = []
    on_topic: dict[str, list[str]] = {}
    for team in view.teams(*COMMITTEE_KINDS):
        for topic in view.topics_of(team):
            on_topic.setdefault(topic, []).append(team)
    for pair in pairs:
        for topic in pair.shared_topics:
            for team in on_topic.get(topic, []):
                mr = _role(view, pair.management.key, team)
                lr = _role(view, pair.labor.key, team)
                if mr in {"chair", "co_chair"} and lr in {"chair", "co_chair"}:
                    continue
                out.append(
                    NotCoChairing(
                        management=pair.management.key,
                        labor=pair.labor.key,
                        topic=topic,
                        team=team,
                        management_role=mr,
                        labor_role=lr,
                    )
                )
    return out


def _worksheet(
    view: DistrictView,
    pairs: list[CounterpartPair],
    mgmt: list[str],
    labor: list[str],
    established: set[str],
) -> list[StandingMeetingRow]:
    rank = {kind: i for i, kind in enumerate(MANAGEMENT_KINDS)}

    def seniority(positions: list[str]) -> int:
        return min(rank.get(str(view.attr(p, "position_kind")), len(rank)) for p in positions)

    meeting_rows: list[tuple[tuple[bool, int, str], StandingMeetingRow]] = []
    for mt in view.nodes("StandingMeeting"):
        people = view.attendees(mt)
        ms = [p for p in people if view.attr(p, "side") == "management"]
        ls = [p for p in people if view.attr(p, "side") == "labor"]
        if not ms or not ls:
            continue
        group = not is_pairing_meeting(view, mt)
        row = StandingMeetingRow(
            administration=" & ".join(view.names(ms)),
            association=" & ".join(view.names(ls)),
            meeting=view.name(mt),
            meeting_key=mt,
            cadence=view.attr(mt, "cadence"),
            last_held=view.attr(mt, "last_held"),
            status="group meeting" if group else "standing meeting",
        )
        meeting_rows.append(((group, seniority(ms), row.administration), row))
    # Pairing meetings first, the most senior administrator first; group meetings last.
    rows = [row for _, row in sorted(meeting_rows, key=lambda kr: kr[0])]
    for method, status in (
        ("declared", "declared counterparts, no standing meeting yet"),
        ("suggested", "suggested pairing"),
    ):
        grouped: dict[str, list[str]] = {}
        for p in pairs:
            if p.meetings:
                continue
            if p.method == method or (method == "suggested" and not p.established):
                grouped.setdefault(p.management.key, []).append(p.labor.key)
        for m, labs in grouped.items():
            rows.append(
                StandingMeetingRow(
                    administration=view.name(m),
                    association=" & ".join(view.names(labs)),
                    status=status,
                )
            )
    paired = {k for p in pairs for k in (p.management.key, p.labor.key)}
    for m in mgmt:
        if m not in paired and m not in established:
            rows.append(
                StandingMeetingRow(
                    administration=view.name(m), association="—", status="no counterpart"
                )
            )
    for lab in labor:
        if lab not in paired and lab not in established:
            rows.append(
                StandingMeetingRow(
                    administration="—", association=view.name(lab), status="no counterpart"
                )
            )
    return rows


def find_counterparts(graph: DistrictGraph) -> CounterpartReport:
    """Pair administration positions with association counterparts.

    Parameters
    ----------
    graph : DistrictGraph

    Returns
    -------
    CounterpartReport
        Established pairs first (declared, then meeting), then suggestions;
        each pair carries its method and similarity score.
    """
    return counterparts_in_view(DistrictView(graph))
