"""The district graph: node and edge layout, and the round trip back to a workbook."""

from __future__ import annotations

from collections import Counter
from typing import Any

from collabgraph.graph import graph_to_workbook, workbook_to_graph
from collabgraph.workbook import load_workbook


def test_layout_of_the_mini_district(mini: dict[str, Any], write_yaml: Any) -> None:
    wb = load_workbook(write_yaml(mini))
    g = workbook_to_graph(wb)
    kinds = Counter(k for _, k in g.nodes(data="kind"))
    # 2 declared topics + the built-in 'curriculum' used by a team and a tie.
    assert kinds == {
        "District": 1,
        "School": 2,
        "Organization": 3,
        "Topic": 3,
        "Person": 5,
        "Position": 4,
        "Team": 3,
        "StandingMeeting": 1,
    }
    types = Counter(t for _, _, t in g.edges(data="type"))
    assert types == {
        "IN_DISTRICT": 2,
        "AFFILIATE_OF": 1,
        "PRIORITIZES": 1,
        "AT": 5,
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
    assert g.nodes["Position:rep-lincoln"]["position_kind"] == "building_rep"
    assert g.nodes["Team:dlt"]["team_kind"] == "dlt"
    assert g.has_edge("Team:dlt", "Team:sped-cmte", key="OVERSEES")
    assert g.edges["Person:p-pres", "Position:president", "HOLDS"]["since"] == "2023-07-01"
    assert g.graph["district"] == "mini"


def test_round_trip(mini: dict[str, Any], write_yaml: Any) -> None:
    wb = load_workbook(write_yaml(mini))
    assert graph_to_workbook(workbook_to_graph(wb)) == wb
