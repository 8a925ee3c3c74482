"""The store commands, end to end, and what a user sees when the environment is wrong."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from typer.testing import CliRunner

import collabgraph.cli.store_cmds  # noqa: F401  (registers the commands)
from collabgraph.cli.app import app
from collabgraph.store.embedded import EmbeddedServer
from collabgraph.workbook import load_workbook
from tests.store.big import big_workbook

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh embedded store for one test, stopped afterwards."""
    data = tmp_path / "data"
    monkeypatch.setenv("COLLABGRAPH_DATA_DIR", str(data))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("COLLABGRAPH_STORE", raising=False)
    yield data
    EmbeddedServer(data).stop()


@pytest.fixture
def mini_file(tmp_path: Path, make_doc: Callable[..., dict[str, Any]]) -> Path:
    path = tmp_path / "mini.yaml"
    doc = make_doc("mini-cli")
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_load_stats_districts_status_export_delete(
    data_dir: Path, mini_file: Path, tmp_path: Path
) -> None:
    result = invoke("load", str(mini_file), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["new_district"] and summary["nodes_created"] == 22

    result = invoke("load", str(mini_file))
    assert result.exit_code == 0
    assert "mini-cli loaded into the embedded store (updated" in result.stdout
    assert "now: 22 nodes, 32 relationships" in result.stdout

    stats = json.loads(invoke("stats", "mini-cli", "--json").stdout)
    assert stats["nodes"]["Person"] == 5 and stats["relationships"]["TIE"] == 3
    assert json.loads(invoke("districts", "--json").stdout) == ["mini-cli"]

    status = json.loads(invoke("status", "--json").stdout)
    assert status["kind"] == "embedded"
    assert status["version"].startswith("FalkorDB 4.16")
    assert str(data_dir) in status["where"]
    assert status["districts"] == ["mini-cli"]
    assert invoke("status").stdout.startswith("store:     embedded")

    wb = load_workbook(mini_file)
    for fmt, name in [("yaml", "out.yaml"), ("json", "out.json"), ("csv", "out-csv")]:
        out = tmp_path / name
        result = invoke("export", "mini-cli", "--format", fmt, "--out", str(out))
        assert result.exit_code == 0, result.output
        assert load_workbook(out) == wb
    for fmt, reader in [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)]:
        out = tmp_path / f"out.{fmt}"
        assert invoke("export", "mini-cli", "--format", fmt, "--out", str(out)).exit_code == 0
        g = reader(out)
        assert g.number_of_nodes() == 22 and g.number_of_edges() == 32

    assert invoke("delete", "mini-cli", "--yes").exit_code == 0
    assert json.loads(invoke("districts", "--json").stdout) == []


def test_counts_persist_into_a_new_process(data_dir: Path, mini_file: Path) -> None:
    assert invoke("load", str(mini_file)).exit_code == 0
    code = (
        "import collabgraph.cli.store_cmds; from collabgraph.cli.app import app; "
        "app(['stats', 'mini-cli', '--json'])"
    )
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["nodes"]["District"] == 1


def test_large_load_shows_progress_and_succeeds(data_dir: Path, tmp_path: Path) -> None:
    from collabgraph.workbook import write_workbook

    path = write_workbook(big_workbook("big-cli", 1000, 6000), tmp_path / "big.json")
    result = invoke("load", str(path))
    assert result.exit_code == 0, result.output
    assert "now: 1101 nodes, 7150 relationships" in result.stdout


def one_line_error(result: Any) -> str:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def test_unknown_district(data_dir: Path) -> None:
    line = one_line_error(invoke("stats", "nowhere"))
    assert "no district 'nowhere' in the store" in line
    line = one_line_error(invoke("export", "nowhere", "-f", "yaml", "-o", "/tmp/x.yaml"))
    assert "no district 'nowhere'" in line


def test_bad_workbook_writes_nothing(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: collabgraph/1\ndistrict: {id: x, name: X}\nties: [{source: a}]\n")
    result = invoke("load", str(bad))
    assert result.exit_code == 2
    assert json.loads(invoke("districts", "--json").stdout) == []


def test_load_several_workbooks_at_once(
    data_dir: Path, tmp_path: Path, make_doc: Callable[..., dict[str, Any]]
) -> None:
    files = []
    for ident in ("district-a", "district-b", "district-c"):
        path = tmp_path / f"{ident}.yaml"
        path.write_text(yaml.safe_dump(make_doc(ident), sort_keys=False), "utf-8")
        files.append(str(path))
    result = invoke("load", *files, "--json")
    assert result.exit_code == 0, result.output
    loaded = json.loads(result.stdout)["loaded"]
    assert [s["district"] for s in loaded] == ["district-a", "district-b", "district-c"]
    assert all(s["new_district"] for s in loaded)
    assert json.loads(invoke("districts", "--json").stdout) == [
        "district-a",
        "district-b",
        "district-c",
    ]


def test_one_bad_workbook_among_several_loads_none(
    data_dir: Path, tmp_path: Path, make_doc: Callable[..., dict[str, Any]]
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(make_doc("good-district"), sort_keys=False), "utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: collabgraph/1\ndistrict: {id: x, name: X}\nties: [{source: a}]\n")
    twin = tmp_path / "twin.yaml"
    twin.write_text(yaml.safe_dump(make_doc("good-district"), sort_keys=False), "utf-8")
    result = invoke("load", str(good), str(bad), str(twin))
    assert result.exit_code == 2
    assert "2 of 3 workbooks" in result.stderr
    assert "bad.yaml" in result.stderr
    assert "district 'good-district' is also described by" in result.stderr
    assert json.loads(invoke("districts", "--json").stdout) == []


def test_stop_ends_the_server_and_keeps_the_data(data_dir: Path, mini_file: Path) -> None:
    assert invoke("load", str(mini_file)).exit_code == 0
    server = EmbeddedServer(data_dir)
    assert server.is_running()
    result = invoke("stop", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"ok": True, "stopped": True, "data_dir": str(data_dir)}
    assert not server.is_running()
    again = invoke("stop")
    assert again.exit_code == 0 and "no embedded store server is running" in again.stdout
    # The next command (a new process, as from a shell) starts it again; the data is there.
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(data_dir)}
    out = subprocess.run(
        [sys.executable, "-m", "collabgraph", "districts", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == ["mini-cli"]


def test_unwritable_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("COLLABGRAPH_DATA_DIR", str(blocker / "data"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    line = one_line_error(invoke("status", "--store", "embedded"))
    assert "cannot use the data folder" in line


def test_unreachable_neo4j(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:9")
    line = one_line_error(invoke("status"))
    assert "cannot reach Neo4j at bolt://127.0.0.1:9" in line


def test_neo4j_that_refuses_the_password(bolt_port: int, monkeypatch: pytest.MonkeyPatch) -> None:
    # FalkorDB's Bolt server accepts no credentials at all, so any password is refused.
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{bolt_port}")
    monkeypatch.setenv("NEO4J_PASSWORD", "wrong")
    line = one_line_error(invoke("districts"))
    assert f"Neo4j at bolt://127.0.0.1:{bolt_port}" in line


def test_bad_store_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    line = one_line_error(invoke("status", "--store", "mysql"))
    assert "unknown store 'mysql'" in line
    line = one_line_error(invoke("status", "--store", "neo4j"))
    assert "needs NEO4J_URI" in line


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0 or shutil.disk_usage(mount).total > 4 * 1024 * 1024:
        pytest.skip("cannot mount a tiny tmpfs here to simulate a full disk")
    try:
        yield mount
    finally:
        EmbeddedServer(mount / "data").stop()
        subprocess.run(["umount", "-l", str(mount)], check=False, capture_output=True)


def test_full_disk(tiny_disk: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from collabgraph.workbook import write_workbook

    monkeypatch.setenv("COLLABGRAPH_DATA_DIR", str(tiny_disk / "data"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    path = write_workbook(big_workbook("too-big", 4000, 40000), tmp_path / "big.json")
    line = one_line_error(invoke("load", str(path)))
    assert "error" in line.lower() or "space" in line.lower()


def test_the_console_command_exits_with_its_code_and_its_whole_output(
    data_dir: Path, mini_file: Path, tmp_path: Path
) -> None:
    """``python -m collabgraph`` ends the process without tearing it down (collabgraph.entry.run):
    the exit code, everything printed and every file written are still all there."""

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "collabgraph", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "COLLABGRAPH_DATA_DIR": str(data_dir)},
            check=False,
        )

    loaded = cli("load", str(mini_file), "--json")
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)["ok"] is True  # the whole JSON document, to its end
    out = tmp_path / "out.yaml"
    exported = cli("export", "mini-cli", "--format", "yaml", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    assert load_workbook(out) == load_workbook(mini_file)
    refused = cli("stats", "no-such-district")
    assert refused.returncode == 2
    assert "no district 'no-such-district'" in refused.stderr
