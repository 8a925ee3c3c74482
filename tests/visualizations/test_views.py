"""The view builders on examples/small-district.yaml, checked against hand-worked figures.

The district's planted gaps (see the comment at the top of the example) each
have a visible mark: a dashed placeholder for every desired structure, a
severity border on the teams a finding is about, a red ring on the isolated
rep and a red border on the cabinet seat with no counterpart.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from collabgraph.cli import app
from collabgraph.gaps import find_gaps
from collabgraph.graph import DistrictGraph, workbook_to_graph
from collabgraph.model import District, Position, Topic, Workbook
from collabgraph.network import analyze_network
from tests.conftest import EXAMPLES
from tests.visualizations.conftest import HOSTILE
from visualizations import VIEW_KINDS, View, build_view, render_network, style, view_html

OFFICER, REP, OTHER = "#8A3100", "#D55E00", "#F2A66F"


def by_id(view: View) -> dict[str, dict[str, Any]]:
    return {n["id"]: n for n in view.nodes}


def page_data(page: str) -> dict[str, Any]:
    """The JSON block the page's script reads."""
    found = re.search(r'<script type="application/json" id="view-data">(.*?)</script>', page, re.S)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


# -- the network map ------------------------------------------------------------


def test_network_roles_colors_and_degrees(small_graph: DistrictGraph) -> None:
    nodes = by_id(build_view("network", small_graph))
    # The eight holders of association positions, by role (position kind).
    expected = {
        "sean-oconnell": ("officer", OFFICER, 4),  # president
        "ngozi-eze": ("officer", OFFICER, 3),  # vice president
        "bjorn-halvorsen": ("officer", OFFICER, 2),  # chief negotiator
        "aiko-tanaka": ("other", OTHER, 2),  # committee chair
        "maya-goldberg": ("building_rep", REP, 3),
        "zainab-hassan": ("building_rep", REP, 3),
        "ethan-kowalski": ("building_rep", REP, 3),
        "gabriel-ruiz": ("building_rep", REP, 0),
    }
    assert set(nodes) == {f"Person:{p}" for p in expected}
    for person, (role, color, degree) in expected.items():
        node = nodes[f"Person:{person}"]
        assert (node["role"], node["color"]["background"], node["degree"]) == (role, color, degree)
        assert node["side"] == "labor"
    assert nodes["Person:gabriel-ruiz"]["schoolLevel"] == "elementary"
    assert nodes["Person:sean-oconnell"]["schoolLevel"] == "district-wide"
    assert "Position: Building Rep, Lincoln Elementary" in nodes["Person:gabriel-ruiz"]["title"]
    assert "Degree: 4" in nodes["Person:sean-oconnell"]["title"]


def test_network_isolate_broker_and_observed_ties_only(small_graph: DistrictGraph) -> None:
    view = build_view("network", small_graph)
    nodes = by_id(view)
    assert [k for k, n in nodes.items() if n["isolate"]] == ["Person:gabriel-ruiz"]
    gabriel = nodes["Person:gabriel-ruiz"]
    assert gabriel["borderWidth"] == 4 and gabriel["color"]["border"] == "#B00020"
    # 8 people -> one star (one per ten people, at least one): the president, whose
    # betweenness (0.19) is the highest.
    assert [k for k, n in nodes.items() if n["broker"]] == ["Person:sean-oconnell"]
    assert nodes["Person:sean-oconnell"]["shape"] == "star"
    pairs = {frozenset((e["from"], e["to"])) for e in view.edges}
    tied = [
        ("sean-oconnell", "ngozi-eze"),
        ("sean-oconnell", "bjorn-halvorsen"),
        ("sean-oconnell", "maya-goldberg"),
        ("ngozi-eze", "maya-goldberg"),
        ("ngozi-eze", "zainab-hassan"),
        ("zainab-hassan", "ethan-kowalski"),
        ("ethan-kowalski", "sean-oconnell"),
        ("aiko-tanaka", "zainab-hassan"),
        ("aiko-tanaka", "maya-goldberg"),
        ("bjorn-halvorsen", "ethan-kowalski"),
    ]
    assert pairs == {frozenset((f"Person:{a}", f"Person:{b}")) for a, b in tied}
    # Bjorn and Aiko sit on the DLT together but report no tie: no edge.
    assert frozenset(("Person:bjorn-halvorsen", "Person:aiko-tanaka")) not in pairs
    # Ethan -> Sean has weight 0.4: width 1 + 4 * 0.4.
    edge = next(
        e
        for e in view.edges
        if {e["from"], e["to"]} == {"Person:ethan-kowalski", "Person:sean-oconnell"}
    )
    assert (edge["strength"], edge["width"], edge["waves"]) == (0.4, 2.6, ["2025"])


def test_network_controls(small_graph: DistrictGraph) -> None:
    view = build_view("network", small_graph)
    controls = {c.id: c for c in view.controls}
    assert controls["size-by"].choices[0][0] == "degree"
    assert [v for v, _ in controls["school-level"].choices] == [
        "",
        "elementary",
        "high",
        "middle",
        "district-wide",
    ]
    assert [v for v, _ in controls["wave"].choices] == ["", "2025"]
    nodes = by_id(view)
    # Sizes: sqrt scale from 8 to 30 px; the president has the top degree and betweenness.
    assert nodes["Person:sean-oconnell"]["sizes"] == {"degree": 30.0, "betweenness": 30.0}
    assert nodes["Person:gabriel-ruiz"]["sizes"] == {"degree": 8.0, "betweenness": 8.0}


def test_network_of_one_wave_uses_the_reports_wave(small_graph: DistrictGraph) -> None:
    report = analyze_network(small_graph, wave="2025")
    view = build_view("network", small_graph, network=report)
    assert next(c for c in view.controls if c.id == "wave").selected == "2025"
    assert not any(e["hidden"] for e in view.edges)


# -- the structure chart ----------------------------------------------------------


def test_every_desired_structure_is_a_dashed_placeholder(small_graph: DistrictGraph) -> None:
    gaps = find_gaps(small_graph)
    view = build_view("structure", small_graph, gaps=gaps)
    nodes = by_id(view)
    placeholders = {k: n for k, n in nodes.items() if n["placeholder"]}
    assert set(placeholders) == {
        "desired:slt-eastside-alt",
        "desired:committee-chronic-absence",
        "desired:meeting-chief-business-officer",
    }
    assert {d.id for d in gaps.desired_structures} == set(placeholders)
    for key, node in placeholders.items():
        assert node["desiredId"] == key
        assert node["shapeProperties"]["borderDashes"] == [6, 4]
        assert node["color"]["background"] == "#FFFFFF"
    codes = {k: n["findingCodes"] for k, n in placeholders.items()}
    assert codes == {
        "desired:slt-eastside-alt": ["school-no-slt"],
        "desired:committee-chronic-absence": ["priority-no-committee"],
        "desired:meeting-chief-business-officer": ["cabinet-no-counterpart"],
    }
    assert (
        "Eastside Learning Center has no School Leadership Team"
        in (nodes["desired:slt-eastside-alt"]["title"])
    )
    assert (
        placeholders["desired:slt-eastside-alt"]["band"],
        placeholders["desired:committee-chronic-absence"]["band"],
    ) == ("slt", "committee")
    # The DLT should oversee both missing teams: dashed arrows. The desired meeting
    # hangs off the administration side it would join (the association seat is vacant).
    dashed = {(e["from"], e["to"]) for e in view.edges if e.get("dashes")}
    assert dashed == {
        ("Team:dlt", "desired:slt-eastside-alt"),
        ("Team:dlt", "desired:committee-chronic-absence"),
        ("anchor:management", "desired:meeting-chief-business-officer"),
    }


def test_structure_findings_bands_and_side_groups(small_graph: DistrictGraph) -> None:
    view = build_view("structure", small_graph)
    nodes = by_id(view)
    workload = nodes["Team:cmte-workload"]
    assert (workload["findingCodes"], workload["severity"]) == (["one-sided-team"], "critical")
    assert workload["color"]["border"] == style.SEVERITY_COLORS["critical"]
    family = nodes["Team:cmte-family-engagement"]
    assert (family["findingCodes"], family["severity"]) == (["unoverseen-committee"], "warning")
    assert not any(e["to"] == "Team:cmte-family-engagement" for e in view.edges)
    # The one-sided committee has one side group: three association members.
    groups = [n for n in view.nodes if n.get("team") == "Team:cmte-workload"]
    assert [(g["side"], g["count"], g["color"]["background"]) for g in groups] == [
        ("labor", 3, style.SIDE_COLORS["labor"])
    ]
    dlt = {g["side"]: g["count"] for g in view.nodes if g.get("team") == "Team:dlt"}
    assert dlt == {"management": 5, "labor": 5}
    # Bands run top to bottom: DLT, SLTs, committees.
    y = {k: nodes[k]["y"] for k in ("Team:dlt", "Team:slt-lincoln-es", "Team:cmte-math")}
    assert y["Team:dlt"] < y["Team:slt-lincoln-es"] < y["Team:cmte-math"]
    # Standing meetings sit beside the DLT, each linked to the sides it joins,
    # between an administration anchor on the left and an association one on the right.
    meetings = [n for n in view.nodes if n["kind"] == "meeting"]
    assert len(meetings) == 4
    left, right = nodes["anchor:management"], nodes["anchor:labor"]
    for m in meetings:
        assert left["x"] < m["x"] < right["x"]
        assert m["x"] > nodes["Team:dlt"]["x"]
        assert m["y"] < y["Team:slt-lincoln-es"]
        ends = {e["from"] for e in view.edges if e["to"] == m["id"]}
        assert ends == {"anchor:management", "anchor:labor"}, (m["id"], ends)
    # Four SLTs overseen by the DLT: one arrow to their group's heading, none to each box.
    heading = nodes["group:slt:Team:dlt"]
    assert "(4)" in heading["label"]
    assert ("Team:dlt", heading["id"]) in {(e["from"], e["to"]) for e in view.edges}
    assert not any(e["to"] == "Team:slt-lincoln-es" for e in view.edges)
    assert "Early literacy" in nodes["Team:cmte-early-literacy"]["label"]
    # The rep finding is about a school, which is not drawn: it is listed.
    assert any("no building representative" in note for note in view.notes)


# -- the counterparts view ------------------------------------------------------


def test_counterparts_columns_meetings_and_unmatched(small_graph: DistrictGraph) -> None:
    view = build_view("counterparts", small_graph)
    nodes = by_id(view)
    positions = {k: n for k, n in nodes.items() if n["kind"] == "position"}
    left = {k.split(":")[1] for k, n in positions.items() if n["x"] < 0}
    right = {k.split(":")[1] for k, n in positions.items() if n["x"] > 0}
    assert left == {
        "supt",
        "asst-supt-instruction",
        "hr-director",
        "student-services-director",
        "chief-business-officer",
    }
    assert right == {"lea-president", "lea-vp", "lea-bargaining-chair", "lea-sped-chair"}
    for node in positions.values():
        assert node["color"]["background"] == style.side_color(node["side"])
    assert [k for k, n in positions.items() if n["unmatched"]] == [
        "Position:chief-business-officer"
    ]
    assert nodes["Position:chief-business-officer"]["color"]["border"] == "#B00020"
    labels = {(e["from"], e["to"]): (e["caption"], e["dashes"]) for e in view.edges}
    assert labels == {
        ("Position:supt", "Position:lea-president"): ("weekly", False),
        ("Position:asst-supt-instruction", "Position:lea-vp"): ("monthly", False),
        ("Position:hr-director", "Position:lea-bargaining-chair"): ("monthly", False),
        ("Position:student-services-director", "Position:lea-sped-chair"): ("monthly", False),
    }
    # One-to-one pairs sit level with each other.
    for a, b in labels:
        assert nodes[a]["y"] == nodes[b]["y"]


def test_a_suggested_pair_says_why_in_its_tooltip() -> None:
    wb = Workbook(
        district=District(id="d", name="D"),
        topics=[Topic(id="adult-ed", name="Adult education")],
        positions=[
            Position(id="vp", title="VP Adult Ed", side="labor", kind="vice_president",
                     portfolio=["adult-ed"]),
            Position(id="dir", title="Director, Adult Ed", side="management", kind="director",
                     portfolio=["adult-ed"]),
        ],
    )  # fmt: skip
    [edge] = build_view("counterparts", workbook_to_graph(wb)).edges
    assert edge["dashes"] is True
    assert "Why: both cover Adult education (score 0.80 of 1" in edge["title"]


# -- every view ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", VIEW_KINDS)
def test_hostile_names_never_appear_as_markup(kind: str, hostile_graph: DistrictGraph) -> None:
    view = build_view(kind, hostile_graph)  # type: ignore[arg-type]
    page = view_html(view)
    for name in HOSTILE:
        assert name not in page
    for tag in ("<img", "<svg", "<b ", "</script><script"):
        assert tag not in page.lower()
    # ...but the names are there, as data the page reads with JSON.parse.
    data = json.dumps(page_data(page), ensure_ascii=False)
    assert "Lakeside <svg onload=alert(4)>" in view.title
    assert "&lt;svg onload=alert(4)&gt;" in page  # the <title> and the heading
    if kind == "network":
        assert "<img src=x onerror=alert(1)>" in data
    if kind == "structure":
        assert "</script><script>alert(2)</script>" in data
    if kind == "counterparts":
        assert "Chief <b onmouseover=alert(3)>Business</b> & Officer" in data


@pytest.mark.parametrize("kind", VIEW_KINDS)
def test_pages_are_offline_and_hold_no_contact_details(
    kind: str, small_graph: DistrictGraph
) -> None:
    graph = small_graph.copy()
    # A store could carry more about a person than the model allows: never shown.
    for key, data in graph.nodes(data=True):
        if data.get("kind") == "Person":
            data["email"] = f"{key.split(':')[1]}@example.org"
            data["phone"] = "+1 555 0100"
    page = view_html(build_view(kind, graph))  # type: ignore[arg-type]
    assert not re.search(r"https?://", page)
    assert not re.search(r"<(link|img|iframe)\b", page)
    assert "@example.org" not in page and "555 0100" not in page
    assert "<script src" not in page
    assert 'id="legend"' in page


@pytest.mark.parametrize("kind", VIEW_KINDS)
def test_empty_district(kind: str) -> None:
    graph = workbook_to_graph(Workbook(district=District(id="empty", name="Empty")))
    view = build_view(kind, graph)  # type: ignore[arg-type]
    page = view_html(view)
    assert view.legend
    if kind == "network":
        assert view.nodes == [] and view.edges == []
        assert "Nothing to draw yet." in page
        assert any("no association" in note for note in view.notes)
    if kind == "structure":
        # The gap analysis does not judge an empty district: it says why.
        assert view.nodes == [] and "Nothing to draw yet." in page
        assert any("nothing to check" in note for note in view.notes)
    if kind == "counterparts":
        assert [n["kind"] for n in view.nodes] == ["heading", "heading"]


def test_viz_command_writes_the_three_pages(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["viz", str(EXAMPLES / "small-district.yaml"), "--out", str(tmp_path / "v")]
    )
    assert result.exit_code == 0, result.output
    written = [tmp_path / "v" / f"lakeside-usd-{k}.html" for k in VIEW_KINDS]
    assert result.output.split() == [str(p) for p in written]
    assert all(p.stat().st_size > 100_000 for p in written)
    one = CliRunner().invoke(
        app,
        ["viz", str(EXAMPLES / "small-district.yaml"), "--view", "network", "--out", str(tmp_path)],
    )
    assert one.output.split() == [str(tmp_path / "lakeside-usd-network.html")]


def test_viz_command_reports_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["viz", str(tmp_path / "nope.yaml"), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "no such workbook" in result.output
    assert list(tmp_path.iterdir()) == []


def test_render_network_writes_where_asked(small_graph: DistrictGraph, tmp_path: Path) -> None:
    path = render_network(small_graph, None, tmp_path / "deep" / "net.html")
    assert path == tmp_path / "deep" / "net.html"
    assert page_data(path.read_text("utf-8"))["kind"] == "network"


def test_counterpart_rows_are_arranged_so_few_links_cross() -> None:
    from collabgraph.workbook import load_workbook
    from visualizations.counterparts_view import crossings

    graph = workbook_to_graph(load_workbook(EXAMPLES / "abc-unified.yaml"))
    view = build_view("counterparts", graph)
    y = {n["id"]: n["y"] for n in view.nodes if n.get("kind") == "position"}
    side = {n["id"]: n["side"] for n in view.nodes if n.get("kind") == "position"}
    links = [(e["from"], e["to"]) for e in view.edges]
    assert all(side[a] == "management" and side[b] == "labor" for a, b in links)
    left = sorted({a for a, _ in links}, key=y.__getitem__)
    right = sorted({b for _, b in links}, key=y.__getitem__)
    # In the report's order 5 of ABC's 12 pairs cross; one crossing is left.
    assert crossings(left, right, links) == 1


@pytest.mark.parametrize("example", ["small-district.yaml", "abc-unified.yaml"])
def test_counterpart_captions_never_sit_on_a_crossing(example: str) -> None:
    from collabgraph.workbook import load_workbook
    from tests.conftest import EXAMPLES

    view = build_view("counterparts", workbook_to_graph(load_workbook(EXAMPLES / example)))
    at = {n["id"]: (n["x"], n["y"]) for n in view.nodes}
    edges = {e["id"]: e for e in view.edges}
    captions = [n for n in view.nodes if n["kind"] == "caption"]
    assert len(captions) == len(view.edges)
    boxes = []
    for c in captions:
        w, h = 7.2 * len(c["label"]) + 10, 18
        box = (c["x"] - w / 2, c["x"] + w / 2, c["y"] - h / 2, c["y"] + h / 2)
        boxes.append(box)
        for other in view.edges:
            if other["id"] == c["edge"]:
                continue
            (x1, y1), (x2, y2) = at[other["from"]], at[other["to"]]
            ys = [y1 + (y2 - y1) * (x - x1) / (x2 - x1) for x in box[:2]]
            assert max(ys) < box[2] or min(ys) > box[3], (c["label"], edges[c["edge"]]["from"])
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3])


def test_a_big_district_folds_its_slts_by_level() -> None:
    from collabgraph.generate import generate_workbook
    from visualizations.structure_view import SLT_GROUP_MIN

    graph = workbook_to_graph(generate_workbook(60, seed=3))
    view = build_view("structure", graph)
    nodes = by_id(view)
    slts = [
        n for n in view.nodes if n.get("teamKind") == "slt" and n["kind"] in ("team", "desired")
    ]
    assert len(slts) > SLT_GROUP_MIN
    folds = [n for n in view.nodes if n["kind"] == "slt-group"]
    assert sorted(m for f in folds for m in f["members"]) == sorted(n["id"] for n in slts)
    for fold in folds:
        levels = {nodes[m]["level"] for m in fold["members"]}
        assert levels == {fold["level"]}
        assert f"({len(fold['members'])})" in fold["label"]
    # Folded SLTs (and their side dots) start hidden; one arrow per level box, none per SLT.
    assert all(n["hidden"] and n["fold"] for n in slts)
    assert all(n["hidden"] for n in view.nodes if n.get("team") in {s["id"] for s in slts})
    targets = {e["to"] for e in view.edges}
    assert not targets & {n["id"] for n in slts if n["kind"] == "team"}
    assert {f["id"] for f in folds if f["id"] in targets}
    shown = [n for n in view.nodes if not n.get("hidden")]
    assert len(shown) < len(view.nodes) / 3
