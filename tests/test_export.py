"""Graph exports read back by the tools researchers use: networkx and igraph."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx
import pytest

from collabgraph.errors import CollabGraphError
from collabgraph.export import GraphFormat, export_graph, to_gexf, to_graphml
from collabgraph.graph import workbook_to_graph
from collabgraph.model import Team, Workbook
from collabgraph.workbook import load_workbook

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def abc() -> Any:
    """ABC Unified plus a team whose id is also a topic's id (both ``special-education``)."""
    wb = load_workbook(EXAMPLES / "abc-unified.yaml")
    topic_ids = {t.id for t in wb.topics}
    assert "special-education" in topic_ids
    extra = Team(id="special-education", name="Sped", kind="working_committee", level="district")
    wb = Workbook.model_validate({**wb.model_dump(), "teams": [*wb.model_dump()["teams"], extra]})
    return workbook_to_graph(wb)


def _igraph(data: bytes, tmp_path: Path) -> Any:
    path = tmp_path / "g.graphml"
    path.write_bytes(data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # igraph warns when it drops the node ids
        return ig.Graph.Read_GraphML(str(path))


def test_graphml_keeps_every_node_key_in_networkx_and_igraph(abc: Any, tmp_path: Path) -> None:
    data = to_graphml(abc)
    back = nx.read_graphml(io.BytesIO(data))
    assert back.number_of_nodes() == abc.number_of_nodes()
    assert back.number_of_edges() == abc.number_of_edges()
    assert {"Team:special-education", "Topic:special-education"} <= set(back.nodes)
    h = _igraph(data, tmp_path)
    assert (h.vcount(), h.ecount()) == (abc.number_of_nodes(), abc.number_of_edges())
    assert sorted(h.vs["id"]) == sorted(abc.nodes)
    team = h.vs.find(id="Team:special-education")
    assert (team["local_id"], team["kind"], team["team_kind"]) == (
        "special-education",
        "Team",
        "working_committee",
    )
    # one attribute per kind of edge: its relationship type, and a tie's weight
    kinds = {e["relationship"] for e in h.es}
    assert kinds == {d["type"] for _, _, d in abc.edges(data=True)}
    ties = [e for e in h.es if e["relationship"] == "TIE"]
    expected = sorted(d["weight"] for _, _, d in abc.edges(data=True) if d["type"] == "TIE")
    assert sorted(e["weight"] for e in ties) == expected


def test_gexf_node_ids_are_keys_and_edge_type_means_direction(abc: Any) -> None:
    data = to_gexf(abc)
    assert b'defaultedgetype="directed"' in data
    assert b' type="TIE"' not in data and b' type="HOLDS"' not in data
    back = nx.read_gexf(io.BytesIO(data))
    assert back.number_of_nodes() == abc.number_of_nodes()
    assert back.number_of_edges() == abc.number_of_edges()
    assert back.nodes["Topic:special-education"]["local_id"] == "special-education"
    assert back.nodes["Person:monica-villasenor"]["kind"] == "Person"
    holds = [d for _, _, d in back.edges(data=True) if d["relationship"] == "HOLDS"]
    assert len(holds) == sum(1 for _, _, d in abc.edges(data=True) if d["type"] == "HOLDS")


# --------------------------------------------------------------------- rep network

REPS: dict[str, Any] = {
    "format": "collabgraph/1",
    "district": {"id": "d", "name": "D"},
    "people": [
        {"id": "ana", "name": "Ana"},
        {"id": "bo", "name": "Bo"},
        {"id": "cy", "name": "Cy"},
        {"id": "dee", "name": "Dee", "side": "labor"},  # a member without a position
        {"id": "eve", "name": "Eve"},  # the superintendent: not in the rep network
    ],
    "positions": [
        {"id": "pres", "title": "President", "side": "labor", "kind": "president", "holder": "ana"},
        {"id": "vp", "title": "VP", "side": "labor", "kind": "officer", "holder": "bo"},
        {"id": "sec", "title": "Secretary", "side": "labor", "kind": "officer", "holder": "cy"},
        {"id": "supt", "title": "Supt", "side": "management", "kind": "superintendent",
         "holder": "eve"},
    ],
    "ties": [
        {"source": "ana", "target": "bo", "weight": 0.5, "wave": "w1"},
        {"source": "ana", "target": "bo", "weight": 0.75, "wave": "w1", "topic": "curriculum"},
        {"source": "bo", "target": "cy", "weight": 0.25, "wave": "w2"},
        {"source": "cy", "target": "ana", "weight": 1.0},  # undated: in every wave
        {"source": "ana", "target": "dee", "weight": 1.0, "wave": "w2"},
        {"source": "ana", "target": "eve", "weight": 1.0, "wave": "w1"},
    ],
}  # fmt: skip


def _read_dl(text: str) -> nx.DiGraph:
    """A small reader of the DL ``edgelist1`` files we write (networkx has none)."""
    lines = text.splitlines()
    assert lines[0].startswith("DL n=") and lines[1] == "format = edgelist1"
    labels = lines[3].split(",") if lines[2] == "labels:" else []
    start = lines.index("data:") + 1
    g: nx.DiGraph = nx.DiGraph()
    g.add_nodes_from(labels)
    for line in lines[start:]:
        i, j, w = line.split()
        g.add_edge(labels[int(i) - 1], labels[int(j) - 1], weight=float(w))
    return g


def _arcs_nx(g: Any) -> dict[tuple[str, str], float]:
    return {(u, v): d["weight"] for u, v, d in g.edges(data=True)}


def _arcs_ig(g: Any) -> dict[tuple[str, str], float]:
    return {(g.vs[e.source]["name"], g.vs[e.target]["name"]): e["weight"] for e in g.es}


@pytest.mark.parametrize(
    ("wave", "members", "people", "arcs"),
    [
        (
            None,
            False,
            ["ana", "bo", "cy"],
            {("ana", "bo"): 0.75, ("bo", "cy"): 0.25, ("cy", "ana"): 1.0},
        ),
        ("w1", False, ["ana", "bo", "cy"], {("ana", "bo"): 0.75, ("cy", "ana"): 1.0}),
        (
            "w2",
            True,
            ["ana", "bo", "cy", "dee"],
            {("bo", "cy"): 0.25, ("cy", "ana"): 1.0, ("ana", "dee"): 1.0},
        ),
    ],
)
def test_ucinet_and_pajek_hold_the_rep_network_per_wave(
    tmp_path: Path,
    wave: str | None,
    members: bool,
    people: list[str],
    arcs: dict[tuple[str, str], float],
) -> None:
    graph = workbook_to_graph(Workbook.model_validate(REPS))
    dl = export_graph(graph, GraphFormat.UCINET_DL, wave=wave, include_members=members)
    net = export_graph(graph, GraphFormat.PAJEK, wave=wave, include_members=members)
    (tmp_path / "g.dl").write_bytes(dl)
    (tmp_path / "g.net").write_bytes(net)

    from_dl = ig.Graph.Read_DL(str(tmp_path / "g.dl"), directed=True)
    assert from_dl.vs["name"] == people and _arcs_ig(from_dl) == arcs
    assert _arcs_nx(_read_dl(dl.decode())) == arcs

    from_net = ig.Graph.Read_Pajek(str(tmp_path / "g.net"))
    assert from_net.is_directed() and from_net.vs["name"] == people
    assert _arcs_ig(from_net) == arcs
    back = nx.read_pajek(tmp_path / "g.net")
    assert sorted(back.nodes) == people and _arcs_nx(back) == arcs


def test_rep_network_weights_are_normalized_by_the_tie_scale(tmp_path: Path) -> None:
    doc = {
        **REPS,
        "district": {"id": "d", "name": "D", "tie_scale": 5},
        "ties": [{"source": "ana", "target": "bo", "weight": 4}],
    }
    graph = workbook_to_graph(Workbook.model_validate(doc))
    assert export_graph(graph, "pajek").decode().splitlines()[-1] == "1 2 0.8"


def test_unknown_wave_is_refused_with_the_known_ones() -> None:
    graph = workbook_to_graph(Workbook.model_validate(REPS))
    with pytest.raises(CollabGraphError, match="'w1', 'w2'"):
        export_graph(graph, "ucinet-dl", wave="w9")
