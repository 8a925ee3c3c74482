"""The researchers' query path cannot write, nor reach outside the database."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from collabgraph.store.falkor import FalkorStore, graph_key

WRITES = [
    "CREATE (n:Person {id: 'evil'})",
    "create (n:Person {id: 'evil'})",
    "CrEaTe (n:Person {id: 'evil'})",
    "MATCH (p:Person) MERGE (p)-[:TIE]->(p)",
    "MATCH (p:Person) SET p.name = 'x'",
    "match (p:Person) set p.name = 'x'",
    "MATCH (p:Person) DELETE p",
    "MATCH (p:Person) DETACH DELETE p",
    "MATCH (p:Person) REMOVE p.name",
    "CREATE INDEX FOR (n:Person) ON (n.name)",
    "DROP INDEX ON :Person(id)",
    "CALL db.idx.fulltext.createNodeIndex('Person', 'name')",
    "CALL dbms.killQueries(['x'])",
    "CALL apoc.create.node(['X'], {})",
    "MATCH (p:Person) /* harmless */ SET p.name = 'x'",
    "MATCH (p:Person) WITH p // a comment\nDETACH DELETE p",
    "MATCH (p:Person) WHERE p.name = 'a\\' SET p.x = 1 //' RETURN p",
    "MATCH (p:Person) RETURN p // then CREATE (x)",
    "MATCH (p:Person) WHERE p.name = 'DETACH DELETE' RETURN p",
    "MATCH (p:Person) RETURN p UNION MATCH (p:Person) RETURN p /* MERGE */",
    "RETURN 1 UNION CREATE (n) RETURN 1",
    "FOREACH (x IN [1] | CREATE (:Person))",
    "MATCH (p) CALL { WITH p DELETE p } RETURN 1",
    "MATCH (p:Person) RETURN apoc.util.sleep(1000)",
    "RETURN 1\x00 CREATE (n)",
    "MATCH (p:Person) RETURN p\x07",
]


def _totals(store: FalkorStore) -> tuple[int, int, int]:
    graph = store.db.select_graph(graph_key("mini"))
    nodes = graph.ro_query("MATCH (n) RETURN count(n)").result_set[0][0]
    rels = graph.ro_query("MATCH ()-[r]->() RETURN count(r)").result_set[0][0]
    indexes = len(graph.ro_query("CALL db.indexes()").result_set)
    return nodes, rels, indexes


def run(client: TestClient, query: str, **extra: Any) -> Any:
    return client.post("/queries/run", json={"district": "mini", "query": query, **extra})


@pytest.mark.parametrize("query", WRITES)
def test_writes_are_refused_and_change_nothing(
    loaded: TestClient, api_store: FalkorStore, query: str
) -> None:
    before = _totals(api_store)
    res = run(loaded, query)
    assert 400 <= res.status_code < 500, (query, res.status_code, res.text)
    body = res.json()
    assert body["detail"], body
    assert _totals(api_store) == before


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP listener on 127.0.0.1 that records every connection it receives."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            seen.append(conn.recv(1024))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], seen
    stop.set()
    thread.join(timeout=2)
    server.close()


def test_load_csv_is_refused_for_files_and_urls(
    loaded: TestClient,
    api_store: FalkorStore,
    tmp_path: Path,
    listener: tuple[int, list[bytes]],
) -> None:
    port, seen = listener
    secret = tmp_path / "secret.csv"
    secret.write_text("name\nsecret-value\n", "utf-8")
    before = _totals(api_store)
    for query in (
        f"LOAD CSV FROM 'file://{secret}' AS row RETURN row",
        f"load csv with headers from 'http://127.0.0.1:{port}/x.csv' AS row RETURN row",
        f"LoAd   CsV FROM 'http://127.0.0.1:{port}/y.csv' AS row RETURN count(row)",
        f"RETURN 1 /* */ UNION LOAD CSV FROM 'http://127.0.0.1:{port}/z' AS r RETURN 1",
    ):
        res = run(loaded, query)
        assert res.status_code == 400, res.text
        assert "LOAD" in res.json()["detail"]
        assert "secret-value" not in res.text
    assert _totals(api_store) == before
    assert seen == []


def test_reads_work_with_row_limit(loaded: TestClient) -> None:
    res = run(loaded, "MATCH (p:Person) RETURN p.id AS id ORDER BY id", max_rows=2)
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["columns"] == ["id"]
    assert [r["id"] for r in body["rows"]] == ["p-pres", "p-rep1"]
    assert body["truncated"] is True
    full = run(loaded, "MATCH (p:Person) RETURN p.name AS name, p AS node").json()
    assert full["truncated"] is False and full["row_count"] == 5
    assert any(r["node"]["name"] == "山田 太郎" for r in full["rows"])


def test_parameters_must_be_plain_json(loaded: TestClient) -> None:
    ok = run(loaded, "MATCH (p:Person {id: $id}) RETURN p.name AS name", params={"id": "p-pres"})
    assert ok.json()["rows"] == [{"name": "José Núñez"}]
    bad = run(loaded, "RETURN $x AS x", params={"x": "a\x00b"})
    assert bad.status_code == 400
    assert "control character" in bad.json()["detail"]
    nested = run(loaded, "RETURN $x AS x", params={"x": {"bad key": 1}})
    assert nested.status_code == 400


def test_slow_query_is_stopped(loaded: TestClient) -> None:
    # 100M rows of work with little memory (each range() is within its bound): stopped at 50 ms.
    slow = "UNWIND range(1, 1000000) AS x UNWIND range(1, 100) AS y RETURN count(y)"
    res = run(loaded, slow, timeout_ms=50)
    assert res.status_code == 504, res.text
    assert "limit of 50 ms" in res.json()["detail"]


def test_named_queries(loaded: TestClient) -> None:
    listed = {q["name"]: q for q in loaded.get("/queries").json()}
    assert {
        "tie_density_by_school",
        "reps_with_no_ties",
        "density_per_district",
        "ties_across_school_levels",
        "teams_by_side_composition",
    } <= set(listed)
    assert listed["ties_across_school_levels"]["params"][0]["name"] == "wave"
    by_school = loaded.post("/queries/tie_density_by_school", json={"district": "mini"}).json()
    rows = {r["school"]: r for r in by_school["rows"]}
    # Lincoln: the rep (holder) and p-rep1 (own school) are one person; Grant: rep + teacher.
    assert rows["lincoln-es"]["n"] == 1 and rows["lincoln-es"]["density"] is None
    assert rows["grant-hs"]["n"] == 2 and rows["grant-hs"]["m"] == 0
    assert rows["grant-hs"]["density"] == 0.0
    everywhere = loaded.post("/queries/density_per_district").json()
    # pairs {rep1, rep2} and {pres, rep1}, counted once; arcs rep1>rep2, rep2>rep1, pres>rep1
    assert [(r["district"], r["n"], r["m"], r["arcs"]) for r in everywhere["rows"]] == [
        ("mini", 3, 2, 3)
    ]
    given = loaded.post("/queries/density_per_district", json={"district": "mini"}).json()
    assert [r["district"] for r in given["rows"]] == ["mini"]
    unknown = loaded.post("/queries/density_per_district", json={"district": "nowhere"})
    assert unknown.status_code == 404
    across = loaded.post(
        "/queries/ties_across_school_levels", json={"district": "mini", "params": {"wave": "2024"}}
    ).json()
    assert {(r["from_level"], r["to_level"], r["ties"]) for r in across["rows"]} == {
        ("elementary", "high", 1),
        ("high", "elementary", 1),
    }
    bad = loaded.post(
        "/queries/ties_across_school_levels", json={"district": "mini", "params": {"wave": 2024}}
    )
    assert bad.status_code == 400
    assert loaded.post("/queries/nope", json={}).status_code == 404
    assert loaded.post("/queries/reps_with_no_ties", json={}).status_code == 400
