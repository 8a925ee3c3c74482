"""The two example workbooks hold the facts their comments promise.

``examples/abc-unified.yaml`` models ABC Unified's PAL partnership and is meant
to be healthy; ``examples/small-district.yaml`` has a list of planted gaps in
its header comment. These tests read both through the real loader and check
the data itself (the gap finder's view of them is tested in test_gaps.py and
test_counterparts.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest

from collabgraph.gaps import find_gaps
from collabgraph.graph import workbook_to_graph
from collabgraph.model import BUILTIN_TOPICS, FORMAT, Workbook
from collabgraph.workbook import load_workbook

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ABC_PATH = EXAMPLES / "abc-unified.yaml"
SMALL_PATH = EXAMPLES / "small-district.yaml"

#: The Standing Meeting Worksheet of ABC Unified as (administration, association) pairs.
WORKSHEET_PAIRS = {
    ("supt", "abcft-president"),
    ("cfo", "abcft-chief-negotiator"),
    ("asst-supt-hr", "abcft-president"),
    ("asst-supt-hr", "abcft-chief-negotiator"),
    ("asst-supt-academic", "abcft-pass-coordinator"),
    ("asst-supt-academic", "abcft-vp-elementary"),
    ("asst-supt-academic", "abcft-vp-middle"),
    ("asst-supt-academic", "abcft-vp-high"),
    ("dir-special-ed", "abcft-vp-special-ed"),
    ("dir-it", "abcft-president"),
    ("dir-child-dev", "abcft-vp-child-dev"),
    ("dir-schools", "abcft-recording-secretary"),
}
CABINET = sorted({m for m, _ in WORKSHEET_PAIRS})
EXEC_BOARD = sorted({lab for _, lab in WORKSHEET_PAIRS})

FOCUS_AREAS = [
    "elementary-schools",
    "middle-schools",
    "high-schools",
    "adult-education",
    "special-education",
    "child-development",
]
SHARED_AREAS = ["academic-services", "human-resources", "business-services", "school-services"]

#: The planted gaps of small-district.yaml, as its header comment labels them.
PLANTED = {
    ("school-no-slt", "eastside-alt"),
    ("school-no-rep", "eastside-alt"),
    ("one-sided-team", "cmte-workload"),
    ("unoverseen-committee", "cmte-family-engagement"),
    ("cabinet-no-counterpart", "chief-business-officer"),
    ("priority-no-committee", "chronic-absence"),
    ("isolated-rep", "rep-lincoln-es"),
}


@pytest.fixture(scope="module")
def abc() -> Workbook:
    return load_workbook(ABC_PATH)


@pytest.fixture(scope="module")
def small() -> Workbook:
    return load_workbook(SMALL_PATH)


def _positions(wb: Workbook, kind: str, school: str | None = None) -> list[str]:
    return [
        p.id
        for p in wb.positions
        if p.kind.value == kind and (school is None or p.school == school)
    ]


def _holder(wb: Workbook, position: str) -> str | None:
    return next(p.holder for p in wb.positions if p.id == position)


def _members(wb: Workbook, team: str) -> dict[str, str]:
    """person -> role on the team."""
    return {m.person: m.role.value for m in wb.memberships if m.team == team}


def _sides(wb: Workbook, team: str) -> set[str]:
    return {str(wb.person_side(p)) for p in _members(wb, team)}


# -- ABC Unified ----------------------------------------------------------------------------


def test_abc_district_schools_and_organizations(abc: Workbook) -> None:
    assert abc.format == FORMAT
    assert abc.district.id == "abc-unified"
    assert len(abc.schools) == 9
    levels = Counter(s.level.value for s in abc.schools)
    assert levels == {"elementary": 3, "middle": 2, "high": 2, "adult": 1, "early_childhood": 1}
    assert all(s.represented_staff and s.represented_staff > 0 for s in abc.schools)
    orgs = {o.id: o for o in abc.organizations}
    assert (orgs["abc-district"].side.value, orgs["abc-district"].kind.value) == (
        "management",
        "district_administration",
    )
    assert (orgs["abcft"].side.value, orgs["abcft"].kind.value) == ("labor", "local_association")
    state = orgs[str(orgs["abcft"].affiliate_of)]
    assert state.kind.value == "state_affiliate"
    assert orgs[str(state.affiliate_of)].kind.value == "national_affiliate"
    kinds = {o.kind.value for o in abc.organizations}
    assert {"school_board", "pta"} <= kinds


def test_abc_topics_and_the_six_focus_areas(abc: Workbook) -> None:
    assert {t.id for t in abc.topics} >= set(FOCUS_AREAS + SHARED_AREAS)
    assert [p.topic for p in sorted(abc.priorities, key=lambda p: p.rank or 0)] == FOCUS_AREAS


def test_abc_cabinet_and_executive_board_mirror_each_other(abc: Workbook) -> None:
    by_id = {p.id: p for p in abc.positions}
    for pid in CABINET:
        assert by_id[pid].side.value == "management" and by_id[pid].organization == "abc-district"
    for pid in EXEC_BOARD:
        assert by_id[pid].side.value == "labor" and by_id[pid].organization == "abcft"
    for pid in CABINET + EXEC_BOARD:
        assert by_id[pid].holder, pid
        assert by_id[pid].portfolio, pid
    assert by_id["supt"].kind.value == "superintendent"
    assert by_id["abcft-president"].kind.value == "president"
    assert by_id["abcft-chief-negotiator"].kind.value == "chief_negotiator"


def test_abc_every_worksheet_pair_is_a_counterpart_and_meets(abc: Workbook) -> None:
    declared = {(c.management, c.labor) for c in abc.counterparts}
    assert declared == WORKSHEET_PAIRS
    for m, lab in WORKSHEET_PAIRS:
        shared = [
            mt
            for mt in abc.meetings
            if m in mt.attendees and lab in mt.attendees and len(mt.attendees) < 10
        ]
        assert shared, f"no standing meeting of its own for {m} and {lab}"
    top = [mt for mt in abc.meetings if set(mt.attendees) == {"supt", "abcft-president"}]
    assert [mt.cadence.value for mt in top] == ["weekly"]
    assert all(mt.last_held is None for mt in abc.meetings)


def test_abc_cabinet_and_principals_meet_the_board_and_site_reps(abc: Workbook) -> None:
    (big,) = [mt for mt in abc.meetings if mt.id == "mtg-cabinet-board"]
    expected = (
        set(CABINET)
        | set(EXEC_BOARD)
        | set(_positions(abc, "principal"))
        | set(_positions(abc, "building_rep"))
    )
    assert set(big.attendees) == expected
    assert len(big.attendees) == 8 + 9 + 9 + 9


def test_abc_every_school_has_principal_rep_and_slt(abc: Workbook) -> None:
    for school in abc.schools:
        (principal,) = _positions(abc, "principal", school.id)
        (rep,) = _positions(abc, "building_rep", school.id)
        assert rep == f"rep-{school.id}"
        p_person, r_person = _holder(abc, principal), _holder(abc, rep)
        assert p_person and r_person
        (slt,) = [t for t in abc.teams if t.kind.value == "slt" and t.school == school.id]
        assert slt.level.value == "school" and slt.overseen_by == ["pal-council"]
        members = _members(abc, slt.id)
        assert members[p_person] == members[r_person] == "co_chair"
        assert {
            m.appointed_by and m.appointed_by.value for m in abc.memberships if m.team == slt.id
        } == {"joint"}


def test_abc_pal_council_is_a_joint_dlt(abc: Workbook) -> None:
    (dlt,) = [t for t in abc.teams if t.kind.value == "dlt"]
    assert (dlt.id, dlt.name, dlt.level.value) == ("pal-council", "PAL Council", "district")
    members = _members(abc, dlt.id)
    chairs = {p for p, role in members.items() if role == "co_chair"}
    assert chairs == {_holder(abc, "supt"), _holder(abc, "abcft-president")}
    seats = [m for m in abc.memberships if m.team == dlt.id]
    assert {m.appointed_by and m.appointed_by.value for m in seats} == {"joint"}
    # Every cabinet member and every executive board member sits on it ...
    for pid in CABINET + EXEC_BOARD:
        assert _holder(abc, pid) in members, pid
    # ... including the curriculum, HR and special-education heads ...
    for pid in ("asst-supt-academic", "asst-supt-hr", "dir-special-ed"):
        assert _holder(abc, pid) in members
    # ... and four members who also sit on a School Leadership Team.
    slt_people = {m.person for m in abc.memberships if m.team.startswith("slt-")}
    assert sorted(set(members) & slt_people) == [
        "brian-oneill",
        "fatima-siddiqui",
        "karen-lindqvist",
        "tomas-herrera",
    ]
    assert _sides(abc, dlt.id) == {"management", "labor"}


def test_abc_focus_area_committees(abc: Workbook) -> None:
    committees = [t for t in abc.teams if t.kind.value == "working_committee"]
    assert len(committees) == 7  # six focus areas and the special-ed advisory committee
    for topic in FOCUS_AREAS:
        (team,) = [t for t in committees if t.topics == [topic] and t.id.startswith("cmte-")]
        assert team.level.value == "district" and team.overseen_by == ["pal-council"]
        assert _sides(abc, team.id) == {"management", "labor"}
        chairs = [p for p, role in _members(abc, team.id).items() if role == "co_chair"]
        assert {str(abc.person_side(p)) for p in chairs} == {"management", "labor"}
    (advisory,) = [t for t in committees if t.id == "sped-advisory"]
    assert advisory.topics == ["special-education"]


def test_abc_rep_ties_over_two_waves(abc: Workbook) -> None:
    people = {p.id for p in abc.people}
    assert {t.wave for t in abc.ties} == {"2023", "2024"}
    assert all(t.topic in BUILTIN_TOPICS for t in abc.ties)
    assert all(0 < t.weight <= 1 for t in abc.ties)
    assert all(t.source in people and t.target in people for t in abc.ties)
    per_wave = Counter(t.wave for t in abc.ties)
    assert (per_wave["2023"], per_wave["2024"]) == (27, 37)
    pairs = {w: {(t.source, t.target) for t in abc.ties if t.wave == w} for w in ("2023", "2024")}
    assert pairs["2023"] - pairs["2024"] == {("rosa-iniguez", "maria-ortega")}
    reps = {_holder(abc, p) for p in _positions(abc, "building_rep")}
    rep_to_rep = {w: {(s, t) for s, t in pairs[w] if s in reps and t in reps} for w in pairs}
    assert len(rep_to_rep["2023"]) == 2 and len(rep_to_rep["2024"]) == 10
    # A frequency stands for a weight when no weight is given.
    weekly = next(t for t in abc.ties if t.frequency is not None and t.frequency.value == "weekly")
    assert weekly.weight == 0.75


def test_abc_names_in_many_scripts(abc: Workbook) -> None:
    names = {p.name for p in abc.people}
    assert {"Dr. Mónica Villaseñor", "Brian O'Neill", "Nguyễn Thị Lan", "Дмитрий Волков"} <= names
    assert any(re.search(r"[\uac00-\ud7af]", n) for n in names)  # Hangul


def test_abc_has_no_structural_gap(abc: Workbook) -> None:
    graph = workbook_to_graph(abc)
    for day in (dt.date(2026, 1, 5), dt.date(2031, 1, 1)):
        assert find_gaps(graph, today=day).findings == []


# -- the small district and its planted gaps -----------------------------------------------


def test_small_header_lists_exactly_the_planted_gaps() -> None:
    header = SMALL_PATH.read_text("utf-8").split("\nformat:")[0]
    labels = set(re.findall(r"^#   ([a-z-]+): ([a-z0-9-]+)", header, re.MULTILINE))
    assert labels == PLANTED


def test_small_district_shape(small: Workbook) -> None:
    assert small.format == FORMAT
    assert len(small.schools) == 5
    assert all(mt.last_held is None for mt in small.meetings)
    (dlt,) = [t for t in small.teams if t.kind.value == "dlt"]
    chairs = [p for p, role in _members(small, dlt.id).items() if role == "co_chair"]
    assert {str(small.person_side(p)) for p in chairs} == {"management", "labor"}
    leadership = {t.id for t in small.teams if t.kind.value in {"dlt", "slt"}}
    assert {
        m.appointed_by and m.appointed_by.value for m in small.memberships if m.team in leadership
    } == {"joint"}
    (top,) = [mt for mt in small.meetings if set(mt.attendees) == {"supt", "lea-president"}]
    assert top.cadence.value == "weekly"


def test_small_eastside_has_no_slt_and_no_rep_and_the_others_have_both(small: Workbook) -> None:
    for school in small.schools:
        slts = [t.id for t in small.teams if t.kind.value == "slt" and t.school == school.id]
        reps = _positions(small, "building_rep", school.id)
        if school.id == "eastside-alt":
            assert slts == [] and reps == []
            assert _positions(small, "principal", school.id) == ["principal-eastside-alt"]
            continue
        (slt,) = slts
        (rep,) = reps
        (principal,) = _positions(small, "principal", school.id)
        members = _members(small, slt)
        assert _holder(small, rep) in members and _holder(small, principal) in members


def test_small_only_the_workload_committee_is_one_sided(small: Workbook) -> None:
    one_sided = [t.id for t in small.teams if not {"management", "labor"} <= _sides(small, t.id)]
    assert one_sided == ["cmte-workload"]
    assert _sides(small, "cmte-workload") == {"labor"}


def test_small_only_family_engagement_is_unoverseen(small: Workbook) -> None:
    committees = {t.id: t.overseen_by for t in small.teams if t.kind.value == "working_committee"}
    assert committees.pop("cmte-family-engagement") == []
    assert set(committees) == {"cmte-early-literacy", "cmte-math", "cmte-workload"}
    assert all(bosses == ["dlt"] for bosses in committees.values())


def test_small_only_the_business_officer_has_no_counterpart(small: Workbook) -> None:
    sides = {p.id: p.side.value for p in small.positions}
    cabinet = [p.id for p in small.positions if p.kind.value in {"cabinet", "superintendent"}]
    without = []
    for pid in cabinet:
        declared = any(c.management == pid for c in small.counterparts)
        meets_labor = any(
            pid in mt.attendees and any(sides[a] == "labor" for a in mt.attendees)
            for mt in small.meetings
        )
        if not declared and not meets_labor:
            without.append(pid)
    assert without == ["chief-business-officer"]


def test_small_only_chronic_absence_has_no_committee(small: Workbook) -> None:
    covered = {
        topic
        for t in small.teams
        if t.kind.value in {"working_committee", "task_force", "plc"}
        for topic in t.topics
    }
    uncovered = [p.topic for p in small.priorities if p.topic not in covered]
    assert uncovered == ["chronic-absence"]


def test_small_only_the_lincoln_rep_is_isolated(small: Workbook) -> None:
    in_ties = {t.source for t in small.ties} | {t.target for t in small.ties}
    association = {p.holder for p in small.positions if p.side.value == "labor" and p.holder}
    assert len(association) == 8
    assert association - in_ties == {"gabriel-ruiz"}
    assert _holder(small, "rep-lincoln-es") == "gabriel-ruiz"
