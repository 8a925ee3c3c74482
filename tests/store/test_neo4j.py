"""What only a real Neo4j can prove (run when NEO4J_URI is set: ``pytest -m neo4j``).

The FalkorDB Bolt fixture ignores access modes and database names, so read-only
enforcement, database selection and the Neo4j schema file are checked here.
"""

from __future__ import annotations

import pytest

from collabgraph.store.base import StoreError
from collabgraph.store.neo4j_store import Neo4jStore
from collabgraph.store.specs import NODE_STATEMENTS

pytestmark = pytest.mark.neo4j


def test_schema_file_created_a_unique_key_per_label(neo4j_store: Neo4jStore) -> None:
    def constraints(tx: object) -> list[dict[str, object]]:
        return tx.run("SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties").data()  # type: ignore[attr-defined, no-any-return]

    rows = neo4j_store._read(constraints, "listing constraints")
    keyed = {r["labelsOrTypes"][0] for r in rows if r["properties"] == ["key"]}  # type: ignore[index]
    assert set(NODE_STATEMENTS) <= keyed
    neo4j_store.ensure_schema()  # safe to run again


def test_reads_run_in_read_transactions(neo4j_store: Neo4jStore, district_id: str) -> None:
    row = {"key": f"{district_id};x", "props": {"id": "x", "name": "X", "key": "k"}}
    with pytest.raises(StoreError):
        neo4j_store.run_read("merge_people", {"rows": [row]}, district=district_id)
    assert neo4j_store.run_read("count_nodes", district=district_id) == []


def test_the_configured_database_is_used(neo4j_store: Neo4jStore) -> None:
    def current(tx: object) -> str:
        return str(tx.run("CALL db.info() YIELD name RETURN name").single()["name"])  # type: ignore[attr-defined]

    name = neo4j_store._read(current, "asking for the database")
    if neo4j_store.database:
        assert name == neo4j_store.database
    else:
        assert name  # the server's default database
