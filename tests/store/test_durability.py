"""The embedded store keeps what it said it wrote, and a broken load changes nothing.

Every test here owns its data folder and kills its server with SIGKILL.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import networkx as nx
import pytest

from collabgraph.store.base import StoreUnavailable
from collabgraph.store.embedded import EmbeddedServer
from collabgraph.store.falkor import STAGING_PREFIX, FalkorStore
from tests.store.big import big_counts, big_workbook
from tests.store.conftest import open_falkor
from tests.store.test_embedded import wait_dead

PEOPLE, TIES = 2000, 20000


def kill(server: EmbeddedServer) -> None:
    pid = server.pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    wait_dead(server)


def reopen(data: Path, **kwargs: object) -> tuple[EmbeddedServer, FalkorStore]:
    return open_falkor(data, **kwargs)  # type: ignore[arg-type]


def totals(store: FalkorStore, district: str) -> tuple[int, int]:
    c = store.counts(district)
    return c.node_total, c.relationship_total


def test_kill_right_after_a_load_loses_nothing(tmp_path: Path) -> None:
    server, store = open_falkor(tmp_path)
    wb = big_workbook("after", PEOPLE, TIES)
    store.upsert_workbook(wb)
    kill(server)
    store.close()
    server, store = reopen(tmp_path)
    try:
        assert totals(store, "after") == big_counts(PEOPLE, TIES)
        assert store.read_workbook("after") == wb
    finally:
        store.close()
        server.stop()


@pytest.mark.parametrize("replace", [True, False], ids=["bulk-replace", "copy-and-merge"])
def test_kill_during_a_load_leaves_the_district_as_it_was(tmp_path: Path, replace: bool) -> None:
    server, store = open_falkor(tmp_path, batch_size=500)
    old = big_workbook("mid", 500, 3000, seed=1)
    new = big_workbook("mid", PEOPLE, TIES, seed=2)
    store.upsert_workbook(old)
    before = store.read_graph("mid")
    calls = 0

    def killer(_rows: int, _total: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 3 or replace:  # mid-way through the merges, or right after GRAPH.BULK
            kill(server)

    with pytest.raises(StoreUnavailable, match="'mid' is unchanged; run the same load again"):
        store.upsert_workbook(new, replace=replace, progress=killer)
    store.close()

    server, store = reopen(tmp_path, batch_size=500)
    try:
        assert store.list_districts() == ["mid"]
        assert totals(store, "mid") == big_counts(500, 3000)
        assert nx.utils.graphs_equal(store.read_graph("mid"), before)
        # The re-run completes it: exact counts, and the half-built staging graph is gone.
        store.upsert_workbook(new, replace=replace)
        if replace:
            assert totals(store, "mid") == big_counts(PEOPLE, TIES)
            assert store.read_workbook("mid") == new
        else:
            # Upserting the bigger district into the smaller one: people, schools and
            # positions overlap by id; the old district's ties stay (no --replace).
            g_new = store.read_graph("mid")
            assert g_new.number_of_nodes() == big_counts(PEOPLE, TIES)[0]
            old_ties = {(t.source, t.target) for t in old.ties}
            new_ties = {(t.source, t.target) for t in new.ties}
            assert store.counts("mid").relationships["TIE"] == len(old_ties | new_ties)
        assert not [n for n in store._cmd("GRAPH.LIST") if n.startswith(STAGING_PREFIX)]
    finally:
        store.close()
        server.stop()


def test_kill_while_loading_a_new_district_leaves_no_district(tmp_path: Path) -> None:
    server, store = open_falkor(tmp_path)

    def killer(_rows: int, _total: int) -> None:
        kill(server)

    with pytest.raises(StoreUnavailable):
        store.upsert_workbook(big_workbook("fresh", PEOPLE, TIES), progress=killer)
    store.close()
    server, store = reopen(tmp_path)
    try:
        assert store.list_districts() == []
        store.upsert_workbook(big_workbook("fresh", PEOPLE, TIES))
        assert totals(store, "fresh") == big_counts(PEOPLE, TIES)
    finally:
        store.close()
        server.stop()


def test_rewrite_restart_and_reimport_change_no_counts(tmp_path: Path) -> None:
    server, store = open_falkor(tmp_path)
    wb = big_workbook("aof", 1000, 5000)
    store.upsert_workbook(wb)
    store.compact()  # BGREWRITEAOF, waited for
    kill(server)
    store.close()
    server, store = reopen(tmp_path)
    try:
        assert totals(store, "aof") == big_counts(1000, 5000)
        summary = store.upsert_workbook(wb)  # MERGE must still find every key
        assert (summary.nodes_created, summary.relationships_created) == (0, 0)
        assert totals(store, "aof") == big_counts(1000, 5000)
    finally:
        store.close()
        server.stop()


def _config(store: FalkorStore, name: str) -> str:
    reply = store.r.config_get(name)
    return str(reply[name])


def _on_disk(store: FalkorStore) -> bytes:
    """Everything in the server's append-only files, read from the data folder."""
    folder = Path(_config(store, "dir")) / _config(store, "appenddirname")
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file())


def test_an_acknowledged_edit_is_in_the_append_only_file_and_survives_kill(
    tmp_path: Path,
) -> None:
    """The running server syncs every write before it answers (``appendfsync always``), the
    edit is in the append-only file on disk as soon as it is acknowledged, before any
    shutdown, and a kill -9 right after the acknowledgement keeps it."""
    from collabgraph.model import Person
    from tests.conftest import MINI
    from tests.store.test_read_contention import validate_mini

    server, store = open_falkor(tmp_path)
    try:
        assert _config(store, "appendonly") == "yes"
        assert _config(store, "appendfsync") == "always"
        wb = validate_mini("durable")
        store.upsert_workbook(wb)
        marker = "Durable Edit " + os.urandom(6).hex()
        assert marker.encode() not in _on_disk(store)
        done = store.put_row("durable", "people", Person(id="p-rep1", name=marker), key="p-rep1")
        # Acknowledged: the edit (its statement with the new name) and the new revision
        # token are in the file now, not at some later flush or at shutdown.
        on_disk = _on_disk(store)
        assert marker.encode() in on_disk
        assert done.revision.encode() in on_disk
        info = store.r.info("persistence")
        assert info["aof_last_write_status"] == "ok"
        kill(server)
    finally:
        store.close()
    server, store = reopen(tmp_path)
    try:
        back = {p.id: p for p in store.read_workbook("durable").people}
        assert back["p-rep1"].name == marker
        assert store.revision("durable") == done.revision
        assert len(back) == len(MINI["people"])
    finally:
        store.close()
        server.stop()
