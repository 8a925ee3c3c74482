"""Counterpart pairing: declared, meeting and suggested pairs on hand-built districts."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from collabgraph.counterparts import find_counterparts, is_pairing_meeting, similarity
from collabgraph.district_view import DistrictView
from collabgraph.gaps import Severity, find_gaps
from collabgraph.graph import workbook_to_graph
from collabgraph.model import District, Position, Topic, Workbook
from collabgraph.workbook import load_workbook
from collabgraph.worksheet import standing_meeting_rows, standing_meeting_worksheet
from tests.test_gaps import HEALTHY, build


def _pairs(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    report = find_counterparts(build(doc))
    return [(p.management.id, p.labor.id, p.method) for p in report.pairs]


def test_meeting_pairs_of_the_healthy_district() -> None:
    report = find_counterparts(build(HEALTHY))
    assert [(p.management.id, p.labor.id, p.method) for p in report.pairs] == [
        ("cao", "vp", "standing_meeting"),
        ("hr", "neg", "standing_meeting"),
        ("supt", "pres", "standing_meeting"),
    ]
    # Student support has no association counterpart, and nobody on the association side
    # shares its portfolio or title words, so nothing is suggested.
    assert [(u.position.id, u.suggested) for u in report.unmatched_management] == [("ss", [])]
    assert report.unmatched_labor == []
    assert report.without_meeting == []
    hr = next(p for p in report.pairs if p.management.id == "hr")
    # Same portfolio {hr}: 0.5 * 1; words {human, resource, hr} vs {negotiator, human,
    # resource, hr}: 0.3 * 3/4; no role affinity -> 0.725.
    assert hr.score == 0.725
    assert hr.shared_topics == ["Topic:hr"]
    assert hr.meetings == ["StandingMeeting:hr-mtg"]
    top = next(p for p in report.pairs if p.management.id == "supt")
    assert top.score == 0.2  # only the superintendent/president affinity


def test_declared_pairs_come_first_and_keep_their_meetings() -> None:
    doc = copy.deepcopy(HEALTHY)
    doc["counterparts"] = [
        {"management": "hr", "labor": "neg", "note": "by contract"},
        {"management": "ss", "labor": "vp"},
    ]
    report = find_counterparts(build(doc))
    got = [(p.management.id, p.labor.id, p.method, p.meetings, p.note) for p in report.pairs]
    assert got == [
        ("cao", "vp", "standing_meeting", ["StandingMeeting:cao-vp"], None),
        ("hr", "neg", "declared", ["StandingMeeting:hr-mtg"], "by contract"),
        ("ss", "vp", "declared", [], None),
        ("supt", "pres", "standing_meeting", ["StandingMeeting:top"], None),
    ]
    assert report.unmatched_management == []
    assert [(p.management.id, p.labor.id) for p in report.without_meeting] == [("ss", "vp")]


def _district(positions: list[Position]) -> DistrictView:
    wb = Workbook(
        district=District(id="d", name="D"),
        topics=[Topic(id=t, name=t.title()) for t in ("alpha", "beta", "gamma")],
        positions=positions,
    )
    return DistrictView(workbook_to_graph(wb))


def _pos(ident: str, side: str, kind: str, topics: list[str], title: str = "") -> Position:
    return Position(
        id=ident,
        title=title or kind.replace("_", " ").title(),
        side=side,
        kind=kind,
        portfolio=topics,
    )


def test_maximum_weight_matching_beats_greedy_and_allows_one_to_many() -> None:
    """Scores worked out by hand (titles are rank words only, so words = topic words).

    =====  ==========  =========  ============================  ======
    pair   topics      words      0.5 J(topics) + 0.3 J(words)  score
    =====  ==========  =========  ============================  ======
    A-X    {a,b}/{a}   same       0.5 * 1/2 + 0.3 * 1/2         0.4
    A-Y    {a,b}/{b}   same       0.5 * 1/2 + 0.3 * 1/2         0.4
    B-X    {a}/{a}     same       0.5 + 0.3                     0.8
    B-Y    {a}/{b}     same       0                             0
    C-X    {a,g}/{a}   same       0.5 * 1/2 + 0.3 * 1/2         0.4
    C-Y    {a,g}/{b}   same       0                             0
    =====  ==========  =========  ============================  ======

    A greedy pass taking A first could pair A-X and leave B with nothing. The
    maximum-weight matching takes B-X + A-Y = 1.2; C, left over, is attached to
    its best partner X even though X already has one (one-to-many).
    """
    view = _district(
        [
            _pos("a", "management", "cabinet", ["alpha", "beta"], "Director"),
            _pos("b", "management", "director", ["alpha"], "Director"),
            _pos("c", "management", "coordinator", ["alpha", "gamma"], "Coordinator"),
            _pos("x", "labor", "vice_president", ["alpha"], "Vice President"),
            _pos("y", "labor", "officer", ["beta"], "Officer"),
        ]
    )
    assert similarity(view, "Position:a", "Position:x") == 0.4
    assert similarity(view, "Position:b", "Position:x") == 0.8
    assert similarity(view, "Position:b", "Position:y") == 0.0
    report = find_counterparts(view.graph)
    assert [(p.management.id, p.labor.id, p.method, p.score) for p in report.pairs] == [
        ("a", "y", "suggested_match", 0.4),
        ("b", "x", "suggested_match", 0.8),
        ("c", "x", "suggested_best", 0.4),
    ]
    # None of them has an established counterpart yet: all are listed, with suggestions.
    assert [(u.position.id, u.suggested) for u in report.unmatched_management] == [
        ("a", ["Position:y"]),
        ("b", ["Position:x"]),
        ("c", ["Position:x"]),
    ]
    sheet = [(r.administration, r.association, r.status) for r in report.worksheet]
    assert sheet == [
        ("Director", "Officer", "suggested pairing"),
        ("Director", "Vice President", "suggested pairing"),
        ("Coordinator", "Vice President", "suggested pairing"),
    ]


def test_title_words_pair_positions_without_portfolios() -> None:
    view = _district(
        [
            _pos("sped", "management", "director", [], "Director of Special Education"),
            _pos("it", "management", "director", [], "Director, Information Technology"),
            _pos("vp-sped", "labor", "vice_president", [], "VP Special Education"),
            _pos("sec", "labor", "officer", [], "Recording Secretary"),
        ]
    )
    report = find_counterparts(view.graph)
    assert [(p.management.id, p.labor.id, p.score) for p in report.pairs] == [
        ("sped", "vp-sped", 0.3)
    ]
    assert [u.position.id for u in report.unmatched_labor] == ["sec", "vp-sped"]
    assert [(r.administration, r.association, r.status) for r in report.worksheet][-2:] == [
        ("Director, Information Technology", "—", "no counterpart"),
        ("—", "Recording Secretary", "no counterpart"),
    ]


def test_pairs_sharing_a_topic_who_do_not_co_chair_its_committee() -> None:
    doc = copy.deepcopy(HEALTHY)
    cmte = next(t for t in doc["teams"] if t["id"] == "lit-cmte")
    cmte["topics"] = ["literacy", "curriculum"]
    seat = next(m for m in doc["memberships"] if m["person"] == "p-cao" and m["team"] == "lit-cmte")
    seat["role"] = "member"
    report = find_counterparts(build(doc))
    got = [
        (n.management, n.labor, n.topic, n.team, n.management_role, n.labor_role)
        for n in report.not_co_chairing
    ]
    assert got == [
        ("Position:cao", "Position:vp", "Topic:curriculum", "Team:lit-cmte", "member", "co_chair")
    ]
    # In the healthy district they co-chair it: nothing to report.
    cmte_ok = copy.deepcopy(HEALTHY)
    next(t for t in cmte_ok["teams"] if t["id"] == "lit-cmte")["topics"] = ["curriculum"]
    assert find_counterparts(build(cmte_ok)).not_co_chairing == []


def test_standing_meeting_worksheet_rows_and_markdown() -> None:
    report = find_counterparts(build(HEALTHY))
    rows = [
        (r.administration, r.association, r.meeting, r.cadence, r.status) for r in report.worksheet
    ]
    # Most senior administrator first, then by title; nobody-yet rows last.
    assert rows == [
        (
            "Superintendent",
            "Association President",
            "Superintendent and President",
            "weekly",
            "standing meeting",
        ),
        (
            "Assistant Superintendent, Curriculum and Instruction",
            "VP Professional Practice",
            "Instruction check-in",
            "monthly",
            "standing meeting",
        ),
        (
            "Assistant Superintendent, Human Resources",
            "Chief Negotiator",
            "HR check-in",
            "monthly",
            "standing meeting",
        ),
        ("Director of Student Support", "—", None, None, "no counterpart"),
    ]
    md = standing_meeting_worksheet(report, "md")
    assert md.splitlines()[2].startswith("| District Administration | Union/Association |")
    assert (
        "| Superintendent | Association President | Superintendent and President | weekly |" in md
    )


def test_a_district_without_positions() -> None:
    report = find_counterparts(workbook_to_graph(Workbook(district=District(id="e", name="E"))))
    assert report.empty and report.pairs == [] and report.note


# -- the ABC Unified example ----------------------------------------------------------------

ABC = Path(__file__).resolve().parent.parent / "examples" / "abc-unified.yaml"


@pytest.mark.skipif(not ABC.exists(), reason="examples/abc-unified.yaml is not written yet")
def test_abc_unified_standing_meetings_are_all_counterpart_pairs() -> None:
    graph = workbook_to_graph(load_workbook(ABC))
    view = DistrictView(graph)
    report = find_counterparts(graph)
    pairs = {(p.management.key, p.labor.key) for p in report.pairs if p.established}
    expected = set()
    pairing = [mt for mt in view.nodes("StandingMeeting") if is_pairing_meeting(view, mt)]
    # The quarterly cabinet + executive board + principals + reps meeting is a group
    # meeting: it is listed on the worksheet but draws no pairs.
    group = set(view.nodes("StandingMeeting")) - set(pairing)
    assert group == {"StandingMeeting:mtg-cabinet-board"}
    assert [r.status for r in report.worksheet if r.meeting and "cabinet" in r.meeting] == [
        "group meeting"
    ]
    for mt in pairing:
        people = view.attendees(mt)
        expected |= {
            (m, lab)
            for m in people
            if view.attr(m, "side") == "management"
            for lab in people
            if view.attr(lab, "side") == "labor"
        }
    assert expected, "the ABC example should have standing meetings"
    assert expected <= pairs
    paired = {k for pair in pairs for k in pair}
    unmatched = {u.position.key for u in report.unmatched_management + report.unmatched_labor}
    assert not paired & unmatched
    # One-to-many both ways: the president faces the superintendent, HR and IT; the
    # academic cabinet member faces four association leaders.
    assert {m for m, lab in pairs if lab == "Position:abcft-president"} == {
        "Position:supt",
        "Position:asst-supt-hr",
        "Position:dir-it",
    }
    assert len({lab for m, lab in pairs if m == "Position:asst-supt-academic"}) == 4
    assert len(pairs) == 12 and report.unmatched_management == []
    assert all(p.method == "declared" and p.meetings for p in report.pairs)


@pytest.mark.skipif(not ABC.exists(), reason="examples/abc-unified.yaml is not written yet")
def test_abc_unified_has_no_critical_gap_for_its_dlt() -> None:
    graph = workbook_to_graph(load_workbook(ABC))
    report = find_gaps(graph, today=dt.date(2026, 1, 5))
    dlts = set(DistrictView(graph).teams("dlt"))
    assert dlts
    assert "no-dlt" not in report.codes()
    critical = [f for f in report.findings if f.severity is Severity.CRITICAL]
    assert [f.id for f in critical if f.subject in dlts] == []


def test_generic_title_words_suggest_nobody_and_each_suggestion_says_why() -> None:
    """'VP Adult Education' shares only 'education' with 'Director of Special Education'
    and 'Assistant Superintendent, Educational Services': no suggestion. With a director of
    adult education it pairs, and the reason names the shared word and topic."""
    positions = [
        Position(id="vp-adult", title="VP Adult Education", side="labor", kind="vice_president"),
        Position(
            id="sped-dir", title="Director of Special Education", side="management", kind="director"
        ),
        Position(
            id="asst-ed",
            title="Assistant Superintendent, Educational Services",
            side="management",
            kind="cabinet",
        ),
    ]
    wb = Workbook(district=District(id="d", name="D"), positions=positions)
    report = find_counterparts(workbook_to_graph(wb))
    assert report.pairs == []
    assert [(u.position.id, u.suggested) for u in report.unmatched_labor] == [("vp-adult", [])]

    wb = Workbook(
        district=District(id="d", name="D"),
        topics=[Topic(id="adult-ed", name="Adult education")],
        positions=[
            positions[0].model_copy(update={"portfolio": ["adult-ed"]}),
            Position(
                id="ae-dir",
                title="Director, Adult Education Programs",
                side="management",
                kind="director",
                portfolio=["adult-ed"],
            ),
        ],
    )
    [pair] = find_counterparts(workbook_to_graph(wb)).pairs
    # topics {adult-ed} both: 0.5; words {adult} both: 0.3 -> 0.8
    assert (pair.management.id, pair.labor.id, pair.score) == ("ae-dir", "vp-adult", 0.8)
    assert pair.reason == "both cover Adult education"


def test_established_pairs_say_why_too() -> None:
    report = find_counterparts(build(HEALTHY))
    supt = next(p for p in report.pairs if p.management.id == "supt")
    assert supt.reason.startswith("meet in ")


def test_worksheet_shows_an_overdue_meeting_as_overdue_with_its_last_date() -> None:
    """The weekly top meeting was last held 2026-01-01; on 2027-03-19 that is 442 days ago,
    past 7 days x the tolerance: the findings call it overdue, and so does the worksheet."""
    graph = build(HEALTHY)
    day = dt.date(2027, 3, 19)
    gaps = find_gaps(graph, today=day)
    assert ("meeting-overdue", "StandingMeeting:top") in {
        (f.code, f.subject) for f in gaps.findings
    }
    report = find_counterparts(graph)
    rows = {r.meeting: r.status for r in standing_meeting_rows(report, gaps)}
    assert rows["Superintendent and President"] == (
        "overdue: last held 2026-01-01, 442 days ago (weekly)"
    )
    assert all(s.startswith("overdue") for s in rows.values() if s != "no counterpart")
    # without the gap report (or before the due date) the status is unchanged
    assert {r.status for r in standing_meeting_rows(report)} >= {"standing meeting"}
    early = find_gaps(graph, today=dt.date(2026, 1, 5))
    fresh = {r.meeting: r.status for r in standing_meeting_rows(report, early)}
    assert fresh["Superintendent and President"] == "standing meeting"
    md = standing_meeting_worksheet(report, "md", gaps)
    assert "| 2026-01-01 | overdue: last held 2026-01-01, 442 days ago (weekly) |" in md
