"""What every store adapter must do: embedded FalkorDB, Neo4j over Bolt, real Neo4j."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest

from collabgraph.graph import workbook_to_graph
from collabgraph.model import Workbook
from collabgraph.store.base import Store, UnknownDistrict
from tests.store.conftest import on_bolt

Doc = dict[str, Any]
MakeDoc = Callable[..., Doc]
ToWb = Callable[[Doc], Workbook]

#: Hand-counted from tests/conftest.py MINI: 1 district, 2 schools, 3 organizations,
#: 3 topics (2 declared + built-in 'curriculum' on a team), 5 people, 4 positions,
#: 3 teams, 1 standing meeting.
MINI_NODES = {
    "District": 1,
    "School": 2,
    "Organization": 3,
    "Topic": 3,
    "Person": 5,
    "Position": 4,
    "Team": 3,
    "StandingMeeting": 1,
}
MINI_RELS = {
    "IN_DISTRICT": 2,
    "AFFILIATE_OF": 1,
    "PRIORITIZES": 1,
    "AT": 5,  # p-rep1, p-teacher, rep-lincoln, rep-grant, slt-grant
    "PART_OF": 2,
    "RESPONSIBLE_FOR": 2,
    "HOLDS": 4,
    "ADDRESSES": 3,
    "OVERSEES": 2,
    "MEMBER_OF": 4,
    "ATTENDS": 2,
    "COUNTERPART_OF": 1,
    "TIE": 3,
}


def snapshot(store: Store, district: str) -> tuple[Any, ...]:
    """Everything observable about a district: counts, and the graph's nodes and edges."""
    g = store.read_graph(district)
    nodes = sorted((n, sorted(d.items())) for n, d in g.nodes(data=True))
    edges = sorted(
        (u, v, str(k), sorted(d.items())) for u, v, k, d in g.edges(keys=True, data=True)
    )
    c = store.counts(district)
    return c.nodes, c.relationships, nodes, edges


def test_load_counts_and_round_trip(store: Store, make_doc: MakeDoc, to_workbook: ToWb) -> None:
    wb = to_workbook(make_doc())
    summary = store.upsert_workbook(wb)
    assert summary.new_district
    assert summary.nodes_created == 22
    assert summary.relationships_created == 32
    counts = store.counts(wb.district.id)
    assert counts.nodes == MINI_NODES
    assert counts.relationships == MINI_RELS
    g = store.read_graph(wb.district.id)
    assert nx.utils.graphs_equal(g, workbook_to_graph(wb))
    assert store.read_workbook(wb.district.id) == wb
    assert wb.district.id in store.list_districts()
    assert store.has_district(wb.district.id)


def test_same_workbook_twice_changes_nothing(
    store: Store, make_doc: MakeDoc, to_workbook: ToWb
) -> None:
    wb = to_workbook(make_doc())
    store.upsert_workbook(wb)
    first = snapshot(store, wb.district.id)
    summary = store.upsert_workbook(wb)
    assert not summary.new_district
    assert (summary.nodes_created, summary.relationships_created) == (0, 0)
    assert (summary.nodes_deleted, summary.relationships_deleted) == (0, 0)
    assert snapshot(store, wb.district.id) == first
    store.upsert_workbook(wb, replace=True)
    assert snapshot(store, wb.district.id) == first


def test_edited_workbook_updates_in_place(
    store: Store, make_doc: MakeDoc, to_workbook: ToWb
) -> None:
    doc = make_doc()
    store.upsert_workbook(to_workbook(doc))
    # Rename a school, move the Lincoln rep to Grant, change the president's holder,
    # add one person and one tie; remove nothing.
    doc["schools"][0]["name"] = "Lincoln Elementary School"
    doc["people"][2]["school"] = "grant-hs"
    doc["people"].append({"id": "p-new", "name": "Nova Quinn", "side": "labor"})
    doc["positions"][1]["holder"] = "p-new"
    del doc["positions"][1]["holder_since"]
    doc["people"][1]["side"] = "labor"  # p-pres no longer holds a position
    doc["ties"].append({"source": "p-new", "target": "p-rep1", "weight": 0.25})
    wb = to_workbook(doc)
    summary = store.upsert_workbook(wb)
    assert summary.nodes_created == 1
    # New: p-rep1 AT grant-hs, p-new HOLDS president, the tie from p-new.
    assert summary.relationships_created == 3
    # Gone: p-rep1 AT lincoln-es, p-pres HOLDS president.
    assert summary.relationships_deleted == 2
    g = store.read_graph(wb.district.id)
    assert g.nodes["School:lincoln-es"]["name"] == "Lincoln Elementary School"
    assert g.has_edge("Person:p-rep1", "School:grant-hs")
    assert not g.has_edge("Person:p-rep1", "School:lincoln-es")
    assert g.has_edge("Person:p-new", "Position:president", key="HOLDS")
    assert "since" not in g.edges["Person:p-new", "Position:president", "HOLDS"]
    assert not g.has_edge("Person:p-pres", "Position:president")
    # The edited workbook is now exactly what the store holds.
    assert nx.utils.graphs_equal(g, workbook_to_graph(wb))


def test_upsert_keeps_rows_the_workbook_does_not_mention(
    store: Store, make_doc: MakeDoc, to_workbook: ToWb
) -> None:
    doc = make_doc()
    store.upsert_workbook(to_workbook(doc))
    doc["ties"] = doc["ties"][:1]
    doc["counterparts"] = []
    summary = store.upsert_workbook(to_workbook(doc))
    assert summary.relationships_deleted == 0
    assert store.counts(doc["district"]["id"]).relationships["TIE"] == 3


def test_replace_makes_the_district_exactly_the_workbook(
    store: Store, make_doc: MakeDoc, to_workbook: ToWb
) -> None:
    doc = make_doc()
    store.upsert_workbook(to_workbook(doc))
    doc["ties"] = doc["ties"][:1]
    doc["counterparts"] = []
    doc["memberships"] = [m for m in doc["memberships"] if m["person"] != "p-teacher"]
    doc["people"] = [p for p in doc["people"] if p["id"] != "p-teacher"]
    wb = to_workbook(doc)
    summary = store.upsert_workbook(wb, replace=True)
    assert summary.replaced
    counts = store.counts(wb.district.id)
    assert counts.nodes["Person"] == 4
    assert counts.relationships["TIE"] == 1
    assert "COUNTERPART_OF" not in counts.relationships
    assert counts.relationships["MEMBER_OF"] == 3
    assert counts.relationships["AT"] == 4
    assert store.read_workbook(wb.district.id) == wb


def test_districts_are_isolated(
    store: Store, make_doc: MakeDoc, to_workbook: ToWb, district_id: str
) -> None:
    other = district_id + "-b"
    a, b = make_doc(), make_doc(other)
    b["schools"][0]["name"] = "Lincoln Elementary (the other one)"
    b["ties"] = []
    store.upsert_workbook(to_workbook(a))
    store.upsert_workbook(to_workbook(b))
    ga, gb = store.read_graph(district_id), store.read_graph(other)
    assert ga.nodes["School:lincoln-es"]["name"] == "Lincoln Elementary"
    assert gb.nodes["School:lincoln-es"]["name"] == "Lincoln Elementary (the other one)"
    assert store.counts(district_id).relationships["TIE"] == 3
    assert "TIE" not in store.counts(other).relationships
    assert store.delete_district(other)
    assert store.counts(district_id).nodes == MINI_NODES
    assert other not in store.list_districts()
    assert not store.delete_district(other)


def test_unknown_district_is_a_clear_error(store: Store, district_id: str) -> None:
    with pytest.raises(UnknownDistrict, match=f"no district '{district_id}'"):
        store.read_graph(district_id)


def test_named_statements_take_parameters(
    store: Store, make_doc: MakeDoc, to_workbook: ToWb
) -> None:
    wb = to_workbook(make_doc())
    store.upsert_workbook(wb)
    rows = store.run_read("count_nodes", district=wb.district.id)
    assert {r["label"]: r["n"] for r in rows} == MINI_NODES
    rows = store.run(
        "merge_people",
        {"rows": [{"key": f"{wb.district.id};p-x", "props": _person(wb.district.id, "p-x")}]},
        district=wb.district.id,
    )
    assert rows == []
    assert store.counts(wb.district.id).nodes["Person"] == 6


def _person(district: str, ident: str) -> dict[str, Any]:
    return {
        "id": ident,
        "name": "Oscar Hara",
        "side": "labor",
        "key": f"{district};{ident}",
        "district": district,
        "seq": 99,
    }


def test_awkward_text_survives(
    store: Store, make_doc: MakeDoc, to_workbook: ToWb, request: pytest.FixtureRequest
) -> None:
    if on_bolt(request):
        pytest.skip("FalkorDB's Bolt fixture pastes parameters into queries unescaped")
    doc = make_doc()
    doc["people"][0]["name"] = 'O\'Hara "Quote" \\ Back\\slash } ] ) ` $x {y} 山田'
    doc["district"]["name"] = "District // not a comment ; really"
    wb = to_workbook(doc)
    store.upsert_workbook(wb)
    assert store.read_workbook(wb.district.id) == wb
