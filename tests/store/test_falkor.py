"""FalkorDB adapter specifics: the bulk path, the read path, the staging graphs."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import networkx as nx
import pytest
import redis

from collabgraph.cypher import statement
from collabgraph.graph import workbook_to_graph
from collabgraph.model import Workbook
from collabgraph.store.falkor import (
    COLUMN_PROPS,
    COLUMN_TYPES,
    STAGING_PREFIX,
    FalkorStore,
    graph_key,
)
from collabgraph.store.falkor_load import Sender, stale_prunes
from collabgraph.store.specs import EDGE_SPECS


def test_ties_are_the_only_person_to_person_relationships() -> None:
    # read_all_edges skips Person->Person relationships because read_all_ties reads them.
    assert [s.type for s in EDGE_SPECS if s.src == s.dst == "Person"] == ["TIE"]


def test_column_reads_cover_every_stored_property() -> None:
    aliases: set[str] = set()
    for name in ("read_node_columns", "read_edge_columns", "read_tie_columns"):
        aliases |= set(re.findall(r" AS (\w+)", statement(name)))
    aliases -= {"kind", "src_kind", "src", "type", "dst_kind", "dst"}
    assert aliases | {"district"} == COLUMN_PROPS


def test_column_reads_cover_every_relationship_type() -> None:
    assert {s.type for s in EDGE_SPECS} == COLUMN_TYPES


def test_every_attribute_of_a_full_district_survives(
    falkor_store: FalkorStore,
    make_doc: Callable[..., dict[str, Any]],
    to_workbook: Callable[[dict[str, Any]], Workbook],
) -> None:
    doc = make_doc()
    doc["district"]["note"] = "a note"
    doc["district"].update(tie_scale=2.5, rep_staff_healthy=30, rep_staff_hard=60)
    doc["priorities"][0]["note"] = "first"
    doc["counterparts"][0]["note"] = "top pair"
    doc["ties"][0]["frequency"] = "weekly"
    wb = to_workbook(doc)
    falkor_store.upsert_workbook(wb)
    g = falkor_store.read_graph(wb.district.id)
    assert nx.utils.graphs_equal(g, workbook_to_graph(wb))
    attrs = {k for _, d in g.nodes(data=True) for k in d} | {
        k for _, _, d in g.edges(data=True) for k in d
    }
    assert attrs - {"kind", "type"} <= COLUMN_PROPS


def test_an_unknown_property_is_still_read(
    falkor_store: FalkorStore,
    make_doc: Callable[..., dict[str, Any]],
    to_workbook: Callable[[dict[str, Any]], Workbook],
) -> None:
    wb = to_workbook(make_doc())
    falkor_store.upsert_workbook(wb)
    d = wb.district.id
    falkor_store.db.select_graph(graph_key(d)).query(
        "MATCH (p:Person {id: $id}) SET p.extra = 1.5", {"id": "p-rep1"}
    )
    g = falkor_store.read_graph(d)  # falls back to the map reads
    assert g.nodes["Person:p-rep1"]["extra"] == 1.5
    assert (
        g.edges["Person:p-rep1", "Person:p-rep2", "p-rep1>p-rep2|curriculum|2024"]["weight"] == 0.5
    )


def test_bulk_and_merge_build_the_same_graph(
    falkor_store: FalkorStore,
    make_doc: Callable[..., dict[str, Any]],
    to_workbook: Callable[[dict[str, Any]], Workbook],
    district_id: str,
) -> None:
    wb = to_workbook(make_doc())
    falkor_store.upsert_workbook(wb)  # GRAPH.BULK
    via_bulk = falkor_store.read_graph(district_id)
    falkor_store.delete_district(district_id)
    merging = FalkorStore(falkor_store.db, server=falkor_store.server, bulk=False, batch_size=3)
    merging.upsert_workbook(wb)  # UNWIND ... MERGE in batches of 3
    via_merge = falkor_store.read_graph(district_id)
    assert nx.utils.graphs_equal(via_bulk, via_merge)
    assert nx.utils.graphs_equal(via_merge, workbook_to_graph(wb))
    indexes = falkor_store.db.select_graph(graph_key(district_id)).ro_query("CALL db.indexes()")
    assert len(indexes.result_set) == 8


def test_an_abandoned_staging_graph_is_removed_by_the_next_load(
    falkor_store: FalkorStore,
    make_doc: Callable[..., dict[str, Any]],
    to_workbook: Callable[[dict[str, Any]], Workbook],
    district_id: str,
) -> None:
    wb = to_workbook(make_doc())
    falkor_store.upsert_workbook(wb)
    leftover = f"{STAGING_PREFIX}{district_id}:deadbeef"
    falkor_store._cmd("GRAPH.COPY", graph_key(district_id), leftover)
    other = f"{STAGING_PREFIX}{district_id}:x:deadbeef"  # district "<id>:x", not ours
    falkor_store._cmd("GRAPH.COPY", graph_key(district_id), other)
    assert district_id in falkor_store.list_districts()
    assert not [d for d in falkor_store.list_districts() if "staging" in d]
    falkor_store.upsert_workbook(wb)
    names = falkor_store._cmd("GRAPH.LIST")
    assert leftover not in names and other in names
    falkor_store.r.delete(other)


def test_a_failed_statement_stops_the_ones_queued_after_it(falkor_store: FalkorStore) -> None:
    """The load path's sender (collabgraph.store.falkor_load.Sender) sends in order and
    sends nothing after a command the server refused."""
    scratch = f"scratch-sender-{uuid.uuid4().hex[:8]}"
    try:
        with pytest.raises(redis.ResponseError), Sender(falkor_store._cmd) as send:
            send("GRAPH.QUERY", scratch, "CREATE (:Mark {n: 1})")
            send("GRAPH.QUERY", scratch, "THIS IS NOT CYPHER")
            send("GRAPH.QUERY", scratch, "CREATE (:Mark {n: 2})")
            send.wait()
        rows = falkor_store._cmd("GRAPH.RO_QUERY", scratch, "MATCH (m:Mark) RETURN m.n")[1]
        assert [r[0] for r in rows] == [1]
    finally:
        falkor_store.r.delete(scratch)


def test_upsert_prunes_only_what_changed() -> None:
    """stale_prunes keeps the prune rows of owners whose stored relationships are not all
    kept, for relationships owned by either end."""
    prunes = {
        "prune_person_holds_position": [
            {"owner": "d;president", "keep": ["d;p-new"]},
            {"owner": "d;treasurer", "keep": ["d;p-t"]},
        ],
        "prune_team_oversees_team": [{"owner": "d;slt", "keep": []}],
    }
    owned = [
        ("Person", "d;p-old", "HOLDS", "Position", "d;president"),
        ("Person", "d;p-t", "HOLDS", "Position", "d;treasurer"),
        ("Team", "d;dlt", "OVERSEES", "Team", "d;slt"),
        ("Person", "d;p-t", "AT", "School", "d;s"),  # no prune row for it: left alone
    ]
    assert stale_prunes(prunes, owned) == {
        "prune_person_holds_position": [{"owner": "d;president", "keep": ["d;p-new"]}],
        "prune_team_oversees_team": [{"owner": "d;slt", "keep": []}],
    }
