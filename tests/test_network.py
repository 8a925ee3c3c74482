"""Natural-network analysis: a hand-worked district, reference networks, properties, edge cases."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from collabgraph.errors import CollabGraphError
from collabgraph.graph import workbook_to_graph
from collabgraph.model import Workbook
from collabgraph.network import NetworkConfig, NetworkReport, analyze_network, network_tables
from collabgraph.network import measures as ms

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def strict_json(report: NetworkReport) -> str:
    """The report as JSON, failing on any NaN or infinity."""
    return json.dumps(report.model_dump(mode="json"), allow_nan=False)


def analyze(doc: dict[str, Any], **kw: Any) -> NetworkReport:
    report = analyze_network(workbook_to_graph(Workbook.model_validate(doc)), **kw)
    strict_json(report)
    return report


def rendered(report: NetworkReport) -> str:
    console = Console(record=True, width=200, file=open("/dev/null", "w"))  # noqa: SIM115
    for table in network_tables(report):
        console.print(table)
    return console.export_text()


# --------------------------------------------------------------------------- golden district


def rep(pid: str, school: str, holder: str | None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": pid,
        "title": f"Building rep {school}",
        "side": "labor",
        "kind": "building_rep",
        "level": "school",
        "school": school,
    }
    if holder:
        row["holder"] = holder
    return row


FIVE: dict[str, Any] = {
    "district": {"id": "d5", "name": "Five"},
    "schools": [
        {"id": "s1", "name": "One Elementary", "level": "elementary", "represented_staff": 30},
        {"id": "s2", "name": "Two Elementary", "level": "elementary", "represented_staff": 120},
        {"id": "s3", "name": "Three High", "level": "high", "represented_staff": 15},
        {"id": "s4", "name": "Four Middle", "level": "middle", "represented_staff": 40},
    ],
    "people": [
        {"id": "ana", "name": "Ana"},
        {"id": "ben", "name": "Ben"},
        {"id": "cal", "name": "Cal"},
        {"id": "dee", "name": "Dee", "school": "s2"},
        {"id": "pat", "name": "Pat"},
        {"id": "max", "name": "Max"},
        {"id": "tess", "name": "Tess", "side": "labor", "school": "s1"},
    ],
    "positions": [
        {"id": "pres", "title": "President", "side": "labor", "kind": "president", "holder": "pat"},
        {
            "id": "vp-el",
            "title": "VP Elementary",
            "side": "labor",
            "kind": "vice_president",
            "holder": "dee",
        },
        rep("rep-s1", "s1", "ana"),
        rep("rep-s2", "s2", "ben"),
        rep("rep-s3", "s3", "cal"),
        rep("rep-s4", "s4", None),
        {
            "id": "prin-s1",
            "title": "Principal One",
            "side": "management",
            "kind": "principal",
            "level": "school",
            "school": "s1",
            "holder": "max",
        },
    ],
    "teams": [
        {"id": "dlt", "name": "DLT", "kind": "dlt", "level": "district"},
        {"id": "slt1", "name": "SLT One", "kind": "slt", "level": "school", "school": "s1"},
        {"id": "slt2", "name": "SLT Two", "kind": "slt", "level": "school", "school": "s2"},
        {"id": "slt3", "name": "SLT Three", "kind": "slt", "level": "school", "school": "s3"},
        {
            "id": "cmte",
            "name": "Curriculum committee",
            "kind": "working_committee",
            "level": "district",
        },
    ],
    "memberships": [
        {"person": "pat", "team": "dlt"},
        {"person": "max", "team": "dlt"},
        {"person": "ana", "team": "dlt"},
        {"person": "ana", "team": "slt1"},
        {"person": "max", "team": "slt1"},
        {"person": "tess", "team": "slt1"},
        {"person": "ben", "team": "slt2"},
        {"person": "pat", "team": "cmte"},
        {"person": "ben", "team": "cmte"},
        {"person": "dee", "team": "cmte"},
    ],
    "ties": [
        {"source": "pat", "target": "ana", "weight": 1.0, "topic": "curriculum", "wave": "w1"},
        {"source": "ana", "target": "pat", "weight": 0.5, "topic": "curriculum", "wave": "w1"},
        {"source": "pat", "target": "ben", "weight": 0.5, "topic": "instruction", "wave": "w1"},
        {"source": "ana", "target": "ben", "weight": 0.25, "topic": "student-data", "wave": "w2"},
        {"source": "ben", "target": "dee", "weight": 1.0},
        {"source": "max", "target": "ana", "weight": 1.0, "wave": "w1"},
        {"source": "max", "target": "pat", "weight": 0.5},
    ],
}


def test_five_person_district_by_hand() -> None:
    """Every figure of a five-person association network, worked out on paper.

    People: Pat (president), Dee (VP elementary, teaches at s2), and building reps
    Ana (s1), Ben (s2), Cal (s3). s4 has a rep position nobody holds. Max is a
    principal (management), Tess a labor teacher with no position (left out
    unless include_members).

    Ties among the five (strongest tie of a pair counts):
    Pat-Ana (1.0, both directions), Pat->Ben (0.5), Ana->Ben (0.25), Ben->Dee (1.0).
    So n = 5, m = 4 pairs, 5 arcs.

    * density 2*4 / (5*4) = 0.4; directed 5/20 = 0.25;
      weighted 2*(1 + 0.5 + 0.25 + 1)/20 = 0.275; mean degree 8/5 = 1.6.
    * degrees Pat 2, Ana 2, Ben 3, Cal 0, Dee 1 -> Cal isolated; components
      {Ana, Ben, Dee, Pat} and {Cal}: largest share 4/5 = 0.8.
    * centralization: sum(3 - d) = 1+1+0+3+2 = 7 over (4*3) = 7/12.
    * betweenness: only Ben is between anyone (Dee-Pat and Dee-Ana run through him),
      raw 2, normalized 2 * 2/(4*3) = 1/3.
    * 2-step reach: Pat reaches Ana, Ben, Dee (3 of 4 = 0.75); Dee reaches Ben, Pat,
      Ana (0.75). Officers together reach Ana and Ben of the 3 non-officers: 2/3.
    * coverage: s1, s2, s3 have a rep, s4 does not (its rep position is vacant): 3/4.
    * cross-school: schools Ana s1, Ben s2, Dee s2, Cal s3, Pat none. Ties with both
      schools known: Ana-Ben (crosses), Ben-Dee (same) -> 1 of 2 = 0.5.
    * by level: elementary {Ana, Ben, Dee} has Ana-Ben, Ben-Dee: 2*2/(3*2) = 2/3;
      high {Cal} and district-wide {Pat} have one person: undefined.
      Matrix cells: elem-elem 2/3 pairs -> 2/3; elem-high 0/3 = 0; elem-district
      2/3 (Pat-Ana, Pat-Ben); high-district 0/1 = 0; one-person diagonals undefined.
    * sides (everyone with a side: the five, Max, Tess): pairs Pat-Ana, Pat-Ben,
      Ana-Ben, Ben-Dee, Max-Ana, Max-Pat. labor-labor 4 of C(6,2)=15; labor-management
      2 of 6 = 1/3. E-I = (2 - 4)/6 = -1/3; if all pairs were tied (6 - 15)/21 = -3/7.
    * topics: curriculum (Pat-Ana), instruction (Pat-Ben), student data (Ana-Ben),
      no topic (Ben-Dee): one pair each, density 2/20 = 0.1.
    * Burt (0/1 ties): Ben has p = 1/3 to Pat, Ana, Dee; Pat and Ana are tied
      (p = 1/2 each way): c(Ben, Pat) = (1/3 + 1/3*1/2)^2 = 1/4, c(Ben, Ana) = 1/4,
      c(Ben, Dee) = 1/9 -> 11/18; effective size 3 - 2*1/3 = 7/3, efficiency 7/9.
      Pat: c(Pat, Ana) = (1/2 + 1/2*1/3)^2 = 4/9, c(Pat, Ben) = (1/2 + 1/2*1/2)^2 = 9/16
      -> 145/144; effective size 2 - 2*1/2 = 1. Ana is Pat's mirror. Dee: 1 and 1.
    * bridging: reps Ana, Ben, Cal at three schools; Ana's only rep tie is Ben
      (another school): 1 of 2 reps elsewhere = 0.5; Ben likewise; Cal 0.
    * staff per rep (defaults: covered up to 50, very hard above 100): s1 30
      (healthy), s2 120 (very hard), s3 15 (healthy), s4 no rep.
    * waves w1, w2 (undated ties count in both): w1 has Pat-Ana, Pat-Ben, Ben-Dee
      (density 0.3); w2 has Ana-Ben, Ben-Dee (0.2): one tie added, two dropped.
      E-I: w1 internal 3, external 2 (Max-Ana, Max-Pat) -> -0.2; w2 2 and 1 -> -1/3.
    * co-membership among the five: DLT gives Ana-Pat; the committee Ben-Dee,
      Ben-Pat, Dee-Pat: 4 pairs, density 0.4, Cal isolated; 3 of the 4 are also
      observed ties (Dee-Pat is not): overlap 0.75.
    * interlock (all members): DLT-SLT1 share Ana and Max, DLT-committee Pat,
      SLT2-committee Ben: 3 links over 5 teams, density 0.3. SLT1 is one step from
      the DLT; SLT2 two steps, bridged by the committee; SLT3 has no members: unlinked.
    """
    r = analyze(FIVE)
    assert r.message is None and not r.empty
    assert [p.id for p in r.people] == ["ana", "ben", "cal", "dee", "pat"]
    o = r.observed
    assert (o.n, o.m, o.arcs) == (5, 4, 5)
    assert o.density == pytest.approx(0.4)
    assert o.directed_density == pytest.approx(0.25)
    assert o.weighted_density == pytest.approx(0.275)
    assert o.mean_degree == pytest.approx(1.6)
    assert [(p.id, p.name) for p in r.isolates] == [("cal", "Cal")]
    assert (r.components.count, r.components.sizes) == (2, [4, 1])
    assert r.components.largest_share == pytest.approx(0.8)
    assert r.centralization == pytest.approx(7 / 12)
    assert [(b.id, b.raw) for b in r.brokers] == [("ben", 2.0)]
    assert r.brokers[0].betweenness == pytest.approx(1 / 3)
    assert r.betweenness_method == "exact" and r.betweenness_k is None
    # Per person, in people order (ana, ben, cal, dee, pat): degrees 2, 3, 0, 1, 2.
    assert r.degree == [2, 3, 0, 1, 2]
    assert r.betweenness == pytest.approx([0, 1 / 3, 0, 0, 0])
    assert [(x.id, x.kind, x.reach, x.share) for x in r.reach] == [
        ("pat", "president", 3, 0.75),
        ("dee", "vice_president", 3, 0.75),
    ]
    assert r.officers_reach == 2
    assert r.officers_reach_share == pytest.approx(2 / 3)
    cov = r.coverage
    assert (cov.schools, cov.covered, cov.share) == (4, 3, 0.75)
    assert [s.id for s in cov.uncovered] == ["s4"] and [s.id for s in cov.vacant] == ["s4"]
    assert (r.cross_school_ties, r.cross_school_share) == (1, 0.5)
    assert [(g.group, g.n, g.m) for g in r.by_level] == [
        ("elementary", 3, 2),
        ("high", 1, 0),
        ("district-wide", 1, 0),
    ]
    assert r.by_level[0].density == pytest.approx(2 / 3)
    assert r.by_level[1].density is None and r.by_level[2].density is None
    levels, sides = r.matrices
    assert levels.groups == ["elementary", "high", "district-wide"]
    assert levels.sizes == [3, 1, 1]
    cells = {(c.row, c.col): (c.pairs, c.ties, c.density) for c in levels.cells}
    assert cells == {
        ("elementary", "elementary"): (3, 2, pytest.approx(2 / 3)),
        ("elementary", "high"): (3, 0, 0.0),
        ("elementary", "district-wide"): (3, 2, pytest.approx(2 / 3)),
        ("high", "high"): (0, 0, None),
        ("high", "district-wide"): (1, 0, 0.0),
        ("district-wide", "district-wide"): (0, 0, None),
    }
    assert (sides.by, sides.groups, sides.sizes) == ("side", ["labor", "management"], [6, 1])
    side_cells = {(c.row, c.col): (c.pairs, c.ties) for c in sides.cells}
    assert side_cells == {
        ("labor", "labor"): (15, 4),
        ("labor", "management"): (6, 2),
        ("management", "management"): (0, 0),
    }
    ei = r.ei_labor_management
    assert (ei.people, ei.internal, ei.external) == (7, 4, 2)
    assert ei.ei == pytest.approx(-1 / 3)
    assert ei.expected_ei == pytest.approx(-3 / 7)
    assert r.ei_all_sides.ei == pytest.approx(-1 / 3)
    topics: list[Any] = [(t.topic, t.name, t.m, t.density) for t in r.by_topic]
    assert topics == [
        ("curriculum", "Curriculum", 1, pytest.approx(0.1)),
        ("instruction", "Instructional practice", 1, pytest.approx(0.1)),
        ("student-data", "Student performance data", 1, pytest.approx(0.1)),
        (None, "(no topic)", 1, pytest.approx(0.1)),
    ]
    holes = {h.id: h for h in r.holes}
    assert [h.id for h in r.holes] == ["ben", "dee", "ana", "pat", "cal"]
    assert holes["ben"].constraint == pytest.approx(11 / 18)
    assert holes["ben"].effective_size == pytest.approx(7 / 3)
    assert holes["ben"].efficiency == pytest.approx(7 / 9)
    for who in ("pat", "ana"):
        assert holes[who].constraint == pytest.approx(145 / 144)
        assert holes[who].effective_size == pytest.approx(1.0)
    assert (holes["dee"].constraint, holes["dee"].effective_size) == (1.0, 1.0)
    assert holes["cal"].constraint is None and holes["cal"].effective_size is None
    assert [(b.id, b.schools, b.rep_ties, b.cross_school, b.score) for b in r.bridging] == [
        ("ana", ["s1"], 1, 1, 0.5),
        ("ben", ["s2"], 1, 1, 0.5),
        ("cal", ["s3"], 0, 0, 0.0),
    ]
    assert [(x.school.id, x.staff, x.reps, x.staff_per_rep, x.flag) for x in r.staff_ratios] == [
        ("s4", 40, 0, None, "no_rep"),
        ("s2", 120, 1, 120.0, "very_hard"),
        ("s1", 30, 1, 30.0, "healthy"),
        ("s3", 15, 1, 15.0, "healthy"),
    ]
    assert r.waves == ["w1", "w2"]
    w1, w2 = r.per_wave
    assert (w1.density.m, w2.density.m) == (3, 2)
    assert (w1.density.density, w2.density.density) == pytest.approx((0.3, 0.2))
    assert (w1.ei, w2.ei) == pytest.approx((-0.2, -1 / 3))
    (change,) = r.changes
    assert (change.before, change.after, change.ties_added, change.ties_dropped) == (
        "w1",
        "w2",
        1,
        2,
    )
    assert change.delta["density"] == pytest.approx(-0.1)
    assert change.delta["m"] == -1.0
    co = r.co_membership
    assert co.teams == 4
    assert (co.density.m, co.density.density) == pytest.approx((4, 0.4))
    assert [p.id for p in co.isolates] == ["cal"]
    assert co.overlap == pytest.approx(0.75)
    il = r.interlock
    assert il.teams == 5 and il.density == pytest.approx(0.3)
    assert [(x.a, x.b, x.shared, x.people) for x in il.links] == [
        ("cmte", "dlt", 1, ["pat"]),
        ("cmte", "slt2", 1, ["ben"]),
        ("dlt", "slt1", 2, ["ana", "max"]),
    ]
    bridges = {
        b.slt.id: ([p.id for p in b.shared_people], [t.id for t in b.bridging_teams], b.distance)
        for b in il.bridges
    }
    assert bridges == {
        "slt1": (["ana", "max"], [], 1),
        "slt2": ([], ["cmte"], 2),
        "slt3": ([], [], None),
    }


def test_one_wave_of_the_five() -> None:
    r = analyze(FIVE, wave="w2")
    assert r.wave == "w2" and r.waves == ["w1", "w2"]
    assert (r.observed.m, r.observed.density) == pytest.approx((2, 0.2))
    assert sorted(p.id for p in r.isolates) == ["cal", "pat"]
    assert len(r.per_wave) == 2  # the series is always given in full


def test_unknown_wave_is_a_clear_error() -> None:
    with pytest.raises(CollabGraphError, match=r"no ties in survey wave 'w9'.*'w1', 'w2'"):
        analyze(FIVE, wave="w9")


def test_include_members_adds_unpositioned_labor_people() -> None:
    r = analyze(FIVE, config=NetworkConfig(include_members=True))
    assert [p.id for p in r.people] == ["ana", "ben", "cal", "dee", "pat", "tess"]
    assert r.observed.density == pytest.approx(8 / 30)
    assert {p.id for p in r.isolates} == {"cal", "tess"}


def test_weighted_holes_use_tie_strength() -> None:
    r = analyze(FIVE, config=NetworkConfig(weighted_holes=True))
    g: nx.Graph[str] = nx.Graph()
    g.add_weighted_edges_from(
        [("pat", "ana", 1.0), ("pat", "ben", 0.5), ("ana", "ben", 0.25), ("ben", "dee", 1.0)]
    )
    cons = nx.constraint(g, weight="weight")
    esize = nx.effective_size(g, weight="weight")
    for h in r.holes:
        if h.id == "cal":
            continue
        assert h.constraint == pytest.approx(cons[h.id], abs=1e-12)
        assert h.effective_size == pytest.approx(esize[h.id], abs=1e-12)


def test_rep_staff_thresholds_per_district_and_per_call() -> None:
    """The district's own thresholds (20 and 50) flag s1 (30) as stretched; an explicit
    setting wins over the district's."""
    doc = {**FIVE, "district": {**FIVE["district"], "rep_staff_healthy": 20, "rep_staff_hard": 50}}
    flags = {x.school.id: x.flag for x in analyze(doc).staff_ratios}
    assert flags == {"s1": "stretched", "s2": "very_hard", "s3": "healthy", "s4": "no_rep"}
    wide = analyze(doc, config=NetworkConfig(rep_staff_healthy=40, rep_staff_hard=150))
    assert {x.school.id: x.flag for x in wide.staff_ratios}["s1"] == "healthy"
    assert {x.school.id: x.flag for x in wide.staff_ratios}["s2"] == "stretched"
    with pytest.raises(CollabGraphError, match="rep_staff_hard"):
        analyze(doc, config=NetworkConfig(rep_staff_healthy=60))


def test_tables_render_the_headline_and_the_lists() -> None:
    text = rendered(analyze(FIVE))
    assert "Natural network (5 association people)" in text
    assert re.search(r"density\s+.*0\.4000", text)
    assert "Isolated people" in text and "Cal" in text
    assert "Schools without a building rep" in text and "Four Middle" in text
    assert "Building reps stretched thin" in text and "very hard" in text
    assert "Survey waves" in text and "Change between waves" in text
    assert "DLT to SLT links" in text and "not linked" in text


# --------------------------------------------------------------------------- reference networks


def positioned(g: nx.Graph[Any], prefix: str = "p") -> dict[str, Any]:
    """A workbook where every node of ``g`` holds a labor position and every edge is a tie."""
    ids = {v: f"{prefix}{v}" for v in g}
    return {
        "district": {"id": "ref", "name": "Reference"},
        "people": [{"id": ids[v], "name": f"Person {v}"} for v in g],
        "positions": [
            {
                "id": f"pos-{ids[v]}",
                "title": f"Officer {v}",
                "side": "labor",
                "kind": "other",
                "holder": ids[v],
            }
            for v in g
        ],
        "ties": [{"source": ids[u], "target": ids[v]} for u, v in g.edges()],
    }


def test_karate_club() -> None:
    g = nx.karate_club_graph()
    r = analyze(positioned(g), config=NetworkConfig(top_brokers=34))
    assert (r.observed.n, r.observed.m) == (34, 78)
    assert round(r.observed.density or 0, 4) == 0.1390
    assert r.observed.density == pytest.approx(nx.density(g), abs=1e-12)
    assert r.observed.mean_degree == pytest.approx(156 / 34)
    # Freeman: max degree 17, sum(17 - d) = 34*17 - 156 = 422, over 33*32.
    assert r.centralization == pytest.approx(422 / 1056)
    expected = nx.betweenness_centrality(g)
    got = {b.id: b.betweenness for b in r.brokers}
    for v, value in expected.items():
        assert got.get(f"p{v}", 0.0) == pytest.approx(value, abs=1e-9)
    assert r.brokers[0].id == "p0"
    cons = nx.constraint(g)
    esize = nx.effective_size(g)
    for h in r.holes:
        v = int(h.id[1:])
        assert h.constraint == pytest.approx(cons[v], abs=1e-12)
        assert h.effective_size == pytest.approx(esize[v], abs=1e-12)
    assert r.components.sizes == [34] and r.isolates == []


def test_krackhardt_kite_betweenness() -> None:
    g = nx.krackhardt_kite_graph()
    b = ms.betweenness(g.number_of_nodes(), list(g.edges()))
    expected = nx.betweenness_centrality(g)
    raw = nx.betweenness_centrality(g, normalized=False)
    for v in g:
        assert b.values[v] == pytest.approx(expected[v], abs=1e-9)
        assert b.raw[v] == pytest.approx(raw[v], abs=1e-9)
    # Heather (7) is the kite's broker: 14 pairs, 14/36 normalized.
    assert b.raw[7] == pytest.approx(14.0) and b.values[7] == pytest.approx(14 / 36)


def test_sampled_betweenness_is_subset_betweenness_scaled() -> None:
    g = nx.gnm_random_graph(60, 150, seed=3)
    n, k = 60, 20
    b = ms.betweenness(n, list(g.edges()), max_exact=50, k=k, seed=7)
    assert (b.method, b.k, b.seed) == ("sampled", 20, 7)
    sources = sorted(random.Random(7).sample(range(n), k))
    subset = nx.betweenness_centrality_subset(g, sources, list(g), normalized=False)
    for v in g:
        assert b.raw[v] == pytest.approx(subset[v] * n / k, abs=1e-9)
        assert b.values[v] == pytest.approx(subset[v] * n / k * 2 / ((n - 1) * (n - 2)))


def test_sampling_starts_past_the_work_bound_too() -> None:
    g = nx.karate_club_graph()
    edges = list(g.edges())
    assert ms.betweenness(34, edges, max_work=34 * 78).method == "exact"
    sampled = ms.betweenness(34, edges, max_work=34 * 78 - 1, k=10, seed=2)
    assert (sampled.method, sampled.k, sampled.seed) == ("sampled", 10, 2)


def test_component_sizes_agree_with_networkx() -> None:
    g = nx.gnm_random_graph(40, 30, seed=5)
    expected = sorted((len(c) for c in nx.connected_components(g)), reverse=True)
    assert ms.component_sizes(40, g.edges()) == expected
    assert [len(c) for c in ms.components(ms.adjacency(40, g.edges()))] == expected


def test_sampling_is_reported_in_the_report() -> None:
    g = nx.karate_club_graph()
    cfg = NetworkConfig(exact_betweenness_max_nodes=10, betweenness_samples=17, seed=1)
    r = analyze(positioned(g), config=cfg)
    assert (r.betweenness_method, r.betweenness_k) == ("sampled", 17)
    assert "17 sampled sources" in rendered(r)


def test_burt_constraint_on_a_triad() -> None:
    triangle = nx.complete_graph(3)
    esize, cons = ms.structural_holes(ms.adjacency(3, list(triangle.edges())))
    assert cons == [1.125, 1.125, 1.125]
    assert cons == [pytest.approx(c) for c in nx.constraint(triangle).values()]
    assert esize == [pytest.approx(e) for e in nx.effective_size(triangle).values()]
    # An open triad: the middle one spans the hole (constraint 1/2, effective size 2).
    esize, cons = ms.structural_holes(ms.adjacency(3, [(0, 1), (1, 2)]))
    assert (cons[1], esize[1]) == (0.5, 2.0)
    assert (cons[0], esize[0]) == (1.0, 1.0)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def test_davis_southern_women_co_membership() -> None:
    g = nx.davis_southern_women_graph()
    women = g.graph["top"]
    events = g.graph["bottom"]
    doc = {
        "district": {"id": "davis", "name": "Davis"},
        "people": [{"id": _slug(w), "name": w, "side": "labor"} for w in women],
        "teams": [
            {"id": _slug(e), "name": e, "kind": "working_committee", "level": "district"}
            for e in events
        ],
        "memberships": [{"person": _slug(w), "team": _slug(e)} for w, e in g.edges()],
    }
    r = analyze(doc, config=NetworkConfig(include_members=True))
    assert r.observed.m == 0  # no observed ties: co-membership never leaks into them
    assert r.observed.density == 0.0
    projected = nx.bipartite.weighted_projected_graph(g, women)
    co = r.co_membership
    assert co.teams == 14
    assert (co.density.n, co.density.m) == (18, projected.number_of_edges())
    assert co.density.density == pytest.approx(nx.density(projected))
    pairs = ms.co_membership(
        {e: [w for w in g[e]] for e in events}  # event -> the women who attended
    )
    assert {frozenset(p): c for p, c in pairs.items()} == {
        frozenset((u, v)): d["weight"] for u, v, d in projected.edges(data=True)
    }
    team_links = nx.bipartite.weighted_projected_graph(g, events)
    assert len(r.interlock.links) == team_links.number_of_edges()
    by_slug = {_slug(e): e for e in events}
    for link in r.interlock.links:
        assert link.shared == team_links[by_slug[link.a]][by_slug[link.b]]["weight"]


# --------------------------------------------------------------------------- degenerate cases


def test_no_association_positions_gives_a_message() -> None:
    r = analyze({"district": {"id": "e", "name": "Empty"}})
    assert r.empty and r.message is not None and "no association" in r.message
    assert r.observed.density is None and "fewer than two" in r.observed.undefined["density"]
    assert r.coverage.share is None and r.coverage.undefined["share"]
    assert "nothing to analyse" in rendered(r)


def test_vacant_positions_say_so() -> None:
    doc = {
        "district": {"id": "v", "name": "Vacant"},
        "schools": [{"id": "s", "name": "S", "level": "high"}],
        "positions": [rep("r", "s", None)],
    }
    r = analyze(doc)
    assert r.message is not None and "vacant" in r.message
    assert [s.id for s in r.coverage.vacant] == ["s"]


def test_one_person_has_no_density() -> None:
    doc = positioned(nx.empty_graph(1))
    r = analyze(doc)
    assert r.message is None
    assert (r.observed.n, r.observed.density, r.observed.directed_density) == (1, None, None)
    assert set(r.observed.undefined) == {"density", "directed_density", "weighted_density"}
    assert r.centralization is None and "three" in r.undefined["centralization"]
    assert r.components.largest_share == 1.0
    assert [p.id for p in r.isolates] == ["p0"]


def test_no_ties_means_zero_density_and_every_rep_isolated() -> None:
    doc = {
        "district": {"id": "n", "name": "No ties"},
        "schools": [{"id": f"s{i}", "name": f"S{i}", "level": "middle"} for i in range(3)],
        "people": [{"id": f"r{i}", "name": f"R{i}"} for i in range(3)],
        "positions": [rep(f"rep{i}", f"s{i}", f"r{i}") for i in range(3)],
    }
    r = analyze(doc)
    assert (r.observed.density, r.observed.directed_density, r.observed.weighted_density) == (
        0.0,
        0.0,
        0.0,
    )
    assert [p.id for p in r.isolates] == ["r0", "r1", "r2"]
    assert r.centralization == 0.0 and r.brokers == []
    assert r.cross_school_share is None and "cross_school_share" in r.undefined
    assert r.ei_labor_management.ei is None and r.ei_labor_management.undefined["ei"]
    assert all(h.constraint is None for h in r.holes)
    assert r.co_membership.overlap is None
    assert r.interlock.density is None


def test_config_rejects_thresholds_out_of_order() -> None:
    with pytest.raises(ValueError, match="rep_staff_hard"):
        NetworkConfig(rep_staff_healthy=60, rep_staff_hard=50)


# --------------------------------------------------------------------------- properties

ties_strategy = st.lists(
    st.tuples(st.integers(0, 7), st.integers(0, 7), st.sampled_from([0.1, 0.5, 1.0])),
    max_size=25,
)


def random_district(n: int, ties: list[tuple[int, int, float]], names: list[str]) -> dict[str, Any]:
    schools = ["north", "south", "east"]
    return {
        "district": {"id": "rand", "name": "Random"},
        "schools": [{"id": s, "name": s.title(), "level": "elementary"} for s in schools],
        "people": [{"id": names[i], "name": f"Person {i}"} for i in range(n)],
        "positions": [
            rep(f"rep-{names[i]}", schools[i % 3], names[i])
            if i
            else {
                "id": "pres",
                "title": "President",
                "side": "labor",
                "kind": "president",
                "holder": names[0],
            }
            for i in range(n)
        ],
        "ties": [
            {"source": names[a], "target": names[b], "weight": w, "topic": "curriculum"}
            for a, b, w in {
                (a, b): (a, b, w) for a, b, w in ties if a != b and a < n and b < n
            }.values()
        ],
    }


NAMES = [f"n{i}" for i in range(8)]


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 8), ties_strategy, st.integers(0, 7), st.integers(0, 7))
def test_adding_a_tie_never_lowers_density(
    n: int, ties: list[tuple[int, int, float]], a: int, b: int
) -> None:
    a, b = a % n, b % n
    if a == b:
        b = (a + 1) % n
    before = analyze(random_district(n, ties, NAMES)).observed
    kept = [t for t in ties if (t[0], t[1]) != (a, b)]
    after = analyze(random_district(n, [*kept, (a, b, 1.0)], NAMES)).observed
    assert before.density is not None and after.density is not None
    assert after.density >= before.density
    assert after.directed_density is not None and before.directed_density is not None
    assert after.directed_density >= before.directed_density
    assert after.weighted_density is not None and before.weighted_density is not None
    assert after.weighted_density >= before.weighted_density - 1e-12


def _figures(r: NetworkReport) -> dict[str, Any]:
    """Every figure that does not name anyone, with lists turned into sorted multisets."""

    def r9(x: float | None) -> float | None:
        return None if x is None else round(x, 9)

    return {
        "observed": r.observed.model_dump(),
        "components": r.components.model_dump(),
        "isolates": len(r.isolates),
        "centralization": r9(r.centralization),
        "betweenness": sorted(round(b.raw, 9) for b in r.brokers),
        "reach": sorted((x.kind, x.reach) for x in r.reach),
        "officers": (r.officers_reach, r9(r.officers_reach_share)),
        "coverage": (r.coverage.schools, r.coverage.covered, r.coverage.share),
        "cross": (r.cross_school_ties, r9(r.cross_school_share)),
        "levels": [g.model_dump() for g in r.by_level],
        "matrices": [m.model_dump() for m in r.matrices],
        "topics": [t.model_dump() for t in r.by_topic],
        "ei": r.ei_labor_management.model_dump(),
        "holes": sorted((h.degree, r9(h.effective_size), r9(h.constraint)) for h in r.holes),
        "bridging": sorted((b.rep_ties, b.cross_school, r9(b.score)) for b in r.bridging),
        "co": r.co_membership.density.model_dump(),
    }


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 8), ties_strategy, st.permutations(list(range(8))))
def test_renaming_ids_changes_no_figure(
    n: int, ties: list[tuple[int, int, float]], perm: list[int]
) -> None:
    renamed = [f"x{perm[i]}-{NAMES[i][::-1]}" for i in range(8)]
    cfg = NetworkConfig(top_brokers=8)
    one = analyze(random_district(n, ties, NAMES), config=cfg)
    two = analyze(random_district(n, ties, renamed), config=cfg)
    assert _figures(one) == _figures(two)


# --------------------------------------------------------------------------- examples


def test_abc_unified_example() -> None:
    path = EXAMPLES / "abc-unified.yaml"
    if not path.exists():
        pytest.skip("examples/abc-unified.yaml is not written yet")
    from collabgraph.workbook import load_workbook

    r = analyze_network(workbook_to_graph(load_workbook(path)))
    strict_json(r)
    assert r.message is None and r.observed.n >= 2
    assert any(x.kind == "president" for x in r.reach)
    assert rendered(r)


def test_small_district_example() -> None:
    path = EXAMPLES / "small-district.yaml"
    if not path.exists():
        pytest.skip("examples/small-district.yaml is not written yet")
    from collabgraph.workbook import load_workbook

    wb = load_workbook(path)
    r = analyze_network(workbook_to_graph(wb))
    strict_json(r)
    # Planted: gabriel-ruiz holds rep-lincoln-es and has no tie; eastside-alt has no rep.
    assert [p.id for p in r.isolates] == ["gabriel-ruiz"]
    reps = {p.holder for p in wb.positions if p.kind == "building_rep" and p.holder}
    assert "gabriel-ruiz" in reps
    assert [s.id for s in r.coverage.uncovered] == ["eastside-alt"]
    assert r.coverage.vacant == []
    assert "Schools without a building rep" in rendered(r)
