"""The researcher's command line: query, queries, --version, rep-network exports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import igraph as ig
import pytest
import yaml
from typer.testing import CliRunner

import collabgraph.cli  # noqa: F401  (registers every command)
from collabgraph import __version__
from collabgraph.cli.app import app
from collabgraph.store.embedded import EmbeddedServer

runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    data = tmp_path / "data"
    monkeypatch.setenv("COLLABGRAPH_DATA_DIR", str(data))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("COLLABGRAPH_STORE", raising=False)
    yield data
    EmbeddedServer(data).stop()


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def two_districts(
    data_dir: Path, tmp_path: Path, make_doc: Callable[..., dict[str, Any]]
) -> list[str]:
    """Two copies of the mini district; the first with a parallel tie (same pair, new topic)."""
    paths = []
    for name in ("qa", "qb"):
        doc = make_doc(name)
        if name == "qa":
            doc["ties"].append(
                {"source": "p-rep1", "target": "p-rep2", "topic": "instruction", "wave": "2024"}
            )
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), "utf-8")
        paths.append(str(path))
    assert invoke("load", *paths).exit_code == 0
    return ["qa", "qb"]


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.strip().startswith(f"collabgraph {__version__}")


def test_adhoc_query_table_json_csv_and_params(two_districts: list[str]) -> None:
    text = "MATCH (a:Person)-[t:TIE]->(b:Person) WHERE t.wave = $wave RETURN a.id AS a, b.id AS b"
    out = invoke("query", "qa", text, "--param", 'wave="2024"', "--json")
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)["rows"]
    assert sorted((r["a"], r["b"]) for r in rows) == [
        ("p-rep1", "p-rep2"),
        ("p-rep1", "p-rep2"),
        ("p-rep2", "p-rep1"),
    ]
    out = invoke("query", "qb", "MATCH (p:Person) RETURN p.id AS id ORDER BY id", "--csv")
    assert out.exit_code == 0, out.output
    table = list(csv.reader(io.StringIO(out.stdout)))
    assert table[0] == ["id"] and table[1] == ["p-pres"] and len(table) == 6
    out = invoke("query", "qb", "MATCH (p:Person) RETURN count(p) AS people")
    assert out.exit_code == 0 and "people" in out.stdout and "5" in out.stdout


def test_adhoc_query_is_read_only_and_bad_input_exits_2(two_districts: list[str]) -> None:
    refused = invoke("query", "qa", "MATCH (p:Person) DETACH DELETE p")
    assert refused.exit_code == 2 and "read-only" in refused.stderr
    assert (
        json.loads(invoke("query", "qa", "MATCH (p) RETURN count(p) AS n", "--json").stdout)[
            "rows"
        ][0]["n"]
        > 0
    )
    assert invoke("query", "nowhere", "RETURN 1").exit_code == 2
    assert invoke("query", "qa").exit_code == 2
    assert invoke("query", "qa", "RETURN 1", "--param", "novalue").exit_code == 2


def test_named_queries_count_pairs_once_and_honor_the_district(two_districts: list[str]) -> None:
    listed = json.loads(invoke("queries", "--json").stdout)
    assert "density_per_district" in {q["name"] for q in listed}
    assert "tie_density_by_school" in invoke("queries").stdout

    everywhere = json.loads(invoke("query", "--named", "density_per_district", "--json").stdout)
    rows = {r["district"]: r for r in everywhere["rows"]}
    # three association people; pairs {rep1, rep2} and {pres, rep1}: m = 2, density
    # 2*2 / (3*2); arcs rep1>rep2, rep2>rep1, pres>rep1: 3 / 6. The parallel tie of qa
    # (same pair, another topic) changes nothing.
    for district in ("qa", "qb"):
        r = rows[district]
        assert (r["n"], r["m"], r["arcs"]) == (3, 2, 3)
        assert r["density"] == pytest.approx(2 / 3)
        assert r["directed_density"] == pytest.approx(0.5)
    one = json.loads(invoke("query", "--named", "density_per_district", "qb", "--json").stdout)
    assert [r["district"] for r in one["rows"]] == ["qb"]

    across = invoke(
        "query", "--named", "ties_across_school_levels", "qa", "--param", "wave=2024", "--json"
    )
    assert across.exit_code == 0, across.output
    assert {
        (r["from_level"], r["to_level"], r["ties"]) for r in json.loads(across.stdout)["rows"]
    } == {("elementary", "high", 1), ("high", "elementary", 1)}

    assert invoke("query", "--named", "reps_with_no_ties").exit_code == 2
    unknown = invoke("query", "--named", "nope", "qa")
    assert unknown.exit_code == 2 and "density_per_district" in unknown.stderr


def test_export_rep_network_for_ucinet_and_pajek(two_districts: list[str], tmp_path: Path) -> None:
    dl, net = tmp_path / "qa.dl", tmp_path / "qa.net"
    assert invoke("export", "qa", "-f", "ucinet-dl", "-o", str(dl), "--wave", "2024").exit_code == 0
    assert invoke("export", "qa", "-f", "pajek", "-o", str(net), "--members").exit_code == 0
    g = ig.Graph.Read_DL(str(dl), directed=True)
    # wave 2024 plus the undated pres>rep1 tie
    assert g.vs["name"] == ["p-pres", "p-rep1", "p-rep2"] and g.ecount() == 3
    h = ig.Graph.Read_Pajek(str(net))
    assert h.vs["name"] == ["p-pres", "p-rep1", "p-rep2", "p-teacher"] and h.ecount() == 3
    bad = invoke("export", "qa", "-f", "pajek", "-o", str(net), "--wave", "1999")
    assert bad.exit_code == 2 and "'2024'" in bad.stderr
