"""The cypher/ folder: one statement per file, every statement used, shipped in the wheel."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from collabgraph.cypher import (
    CypherError,
    cypher_dir,
    schema_statements,
    statement,
    statement_names,
)
from collabgraph.store.specs import BUILTIN_TOPIC_STATEMENT, EDGE_SPECS, NODE_STATEMENTS

ROOT = Path(__file__).resolve().parents[2]

#: Statements the adapters run besides the merge/prune families.
OTHER_STATEMENTS = {
    "read_nodes",
    "read_edges",
    "count_nodes",
    "count_relationships",
    "list_districts",
    "find_district",
    "delete_district",
    "read_version",
    "read_node_columns",
    "read_edge_columns",
    "read_tie_columns",
    "list_property_keys",
    "list_relationship_types",
    "read_graph_stats",
}


def test_the_checkout_folder_is_used() -> None:
    assert cypher_dir() == ROOT / "cypher"


def test_every_statement_the_store_runs_exists() -> None:
    expected = set(NODE_STATEMENTS.values()) | {BUILTIN_TOPIC_STATEMENT} | OTHER_STATEMENTS
    for spec in EDGE_SPECS:
        expected.add(spec.merge_statement)
        if spec.owner is not None:
            expected.add(spec.prune_statement)
    assert expected <= set(statement_names())
    for name in expected:
        assert statement(name)


def test_file_names_are_verb_noun() -> None:
    verbs = {
        "merge",
        "prune",
        "read",
        "count",
        "list",
        "find",
        "get",
        "delete",
        "lock",
        "set",
        "create",
    }
    for name in statement_names():
        verb, _, noun = name.partition("_")
        assert verb in verbs and re.fullmatch(r"[a-z_]+", noun), name


def test_values_are_parameters_never_literals() -> None:
    for name in statement_names():
        text = statement(name)
        assert "'" not in text and '"' not in text, f"{name} has a literal string"
        assert "id(" not in text.replace("_id(", ""), f"{name} matches on internal ids"


def test_every_merge_matches_on_an_indexed_key() -> None:
    indexed = {
        re.search(r"\(n:(\w+)\)", s).group(1)  # type: ignore[union-attr]
        for s in schema_statements("falkordb")
    }
    assert indexed == set(NODE_STATEMENTS)
    for name in statement_names():
        for label in re.findall(r"\((?:\w+):(\w+) \{key:", statement(name)):
            assert label in indexed, name


def test_neo4j_schema_has_a_unique_key_per_label() -> None:
    text = " ".join(schema_statements("neo4j"))
    for label in NODE_STATEMENTS:
        assert f"FOR (n:{label}) REQUIRE n.key IS UNIQUE" in text


def test_missing_statement_is_a_clear_error() -> None:
    with pytest.raises(CypherError, match="no Cypher statement named 'drop_everything'"):
        statement("drop_everything")


@pytest.mark.slow
def test_an_installed_wheel_finds_its_statements(tmp_path: Path) -> None:
    """Build a wheel from a copy of the sources, install it in a fresh venv, run a statement."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for folder in ("collabgraph", "cypher", "api", "visualizations", "examples"):
        if (ROOT / folder).is_dir():
            shutil.copytree(
                ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__")
            )
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist)],
        cwd=src,
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("collabgraph-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    # The new venv's own pip installs the wheel: it sees nothing of the project's
    # environment, so it cannot touch the editable install there.
    subprocess.run(
        [py, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    site = Path(
        subprocess.run(
            [py, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # Only now: the wheel's dependencies come from the project's environment (no downloads).
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    probe = (
        "import collabgraph, collabgraph.cypher as c; "
        "print(collabgraph.__file__); print(c.cypher_dir()); "
        "print(c.statement('merge_schools').splitlines()[1]); "
        "print(len(c.schema_statements('neo4j')))"
    )
    out = subprocess.run(
        [py, "-c", probe], cwd=tmp_path, check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert out[0].startswith(str(env_dir)), out
    assert out[1] == str(env_dir / "share" / "collabgraph" / "cypher"), out
    assert out[2] == "MERGE (n:School {key: r.key})"
    assert int(out[3]) == 16
    assert (env_dir / "share" / "collabgraph" / "cypher" / "queries").is_dir()
    # The wheel also carries what the pages and the report read at run time: the
    # example the home page opens, the report's template, the vendored WebGL scripts.
    assert (env_dir / "share" / "collabgraph" / "examples" / "abc-unified.yaml").is_file()
    assert (site / "collabgraph" / "report" / "templates" / "report.html.j2").is_file()
    assert (site / "visualizations" / "vendor" / "sigma.min.js").is_file()
    assert (site / "visualizations" / "templates" / "_sigma.js.j2").is_file()
