"""The ``analyze`` and ``worksheet`` commands, on real files and a real embedded store."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from collabgraph.cli import app
from tests.test_gaps import HEALTHY

runner = CliRunner()

#: Two planted gaps: a committee without management, and a focus area with no committee.
BROKEN: dict[str, Any] = yaml.safe_load(yaml.safe_dump(HEALTHY))
BROKEN["memberships"] = [
    m for m in BROKEN["memberships"] if not (m["person"] == "p-vp" and m["team"] == "lit-cmte")
]
BROKEN["priorities"].append({"topic": "hr", "rank": 2})

TODAY = ["--today", "2026-01-05"]


@pytest.fixture
def district(tmp_path: Path) -> Path:
    path = tmp_path / "dale.yaml"
    path.write_text(yaml.safe_dump(BROKEN, sort_keys=False), "utf-8")
    return path


def _has_network() -> bool:
    return importlib.util.find_spec("collabgraph.network") is not None


def test_analyze_a_workbook_prints_the_three_sections(district: Path) -> None:
    result = runner.invoke(app, ["analyze", str(district), *TODAY])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Dale Unified (d)" in out
    assert "Structural gaps (2: 1 critical, 1 warning, 0 advice)" in out
    # Rules by name (their codes only in a dim detail line, folded to fit).
    assert "Team missing a" in out and "one-sided-" in out
    assert "Desired structures" in out and "Human resources committee" in out
    assert "Counterpart pairs (3)" in out
    assert "Positions with no counterpart yet" in out
    if _has_network():
        assert "Natural network" in out
    else:
        assert "network analysis is not available" in out


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.mark.skipif(not (EXAMPLES / "abc-unified.yaml").exists(), reason="example not written")
def test_analyze_abc_unified() -> None:
    result = runner.invoke(app, ["analyze", str(EXAMPLES / "abc-unified.yaml"), *TODAY])
    assert result.exit_code == 0, result.output
    assert "No structural gaps found with the rules in force." in result.stdout
    assert "Counterpart pairs (12)" in result.stdout


@pytest.mark.skipif(not (EXAMPLES / "small-district.yaml").exists(), reason="example not written")
def test_worksheet_of_the_small_district() -> None:
    result = runner.invoke(app, ["worksheet", str(EXAMPLES / "small-district.yaml"), *TODAY])
    assert result.exit_code == 0, result.output
    desired = [line for line in result.stdout.splitlines() if line.startswith("| (desired)")]
    assert len(desired) == 3
    assert any("Eastside Learning Center School Leadership Team" in d for d in desired)
    # The missing rep at the same school is noted on the desired SLT's row.
    slt = next(d for d in desired if "Eastside" in d)
    assert "Worksite without a building representative (warning): " in slt


def test_analyze_json_has_the_same_results(district: Path) -> None:
    result = runner.invoke(app, ["analyze", str(district), "--json", *TODAY])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["district"] == "d"
    assert set(data) >= {"network", "gaps", "counterparts", "notes"}
    assert [(f["code"], f["subject"]) for f in data["gaps"]["findings"]] == [
        ("one-sided-team", "Team:lit-cmte"),
        ("priority-no-committee", "Topic:hr"),
    ]
    assert data["gaps"]["today"] == "2026-01-05"
    assert [p["method"] for p in data["counterparts"]["pairs"]] == ["standing_meeting"] * 3
    if _has_network():
        assert data["network"] is not None


def test_analyze_only_one_part(district: Path) -> None:
    result = runner.invoke(app, ["analyze", str(district), "--only", "counterparts", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "counterparts" in data and "gaps" not in data and "network" not in data
    text = runner.invoke(app, ["analyze", str(district), "--only", "gaps", *TODAY]).stdout
    assert "Structural gaps" in text and "Counterpart pairs" not in text


def test_analyze_with_a_rules_file(district: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  priority-no-committee: off\n", "utf-8")
    result = runner.invoke(
        app, ["analyze", str(district), "--only", "gaps", "--json", "--rules", str(rules), *TODAY]
    )
    assert result.exit_code == 0, result.output
    assert [f["code"] for f in json.loads(result.stdout)["gaps"]["findings"]] == ["one-sided-team"]


def test_bad_rules_file_exits_2_listing_every_problem(district: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  nope: warning\n  empty-team: sometimes\n", "utf-8")
    result = runner.invoke(app, ["analyze", str(district), "--rules", str(rules)])
    assert result.exit_code == 2
    assert "2 problems found" in result.stderr
    assert "line 2" in result.stderr and "unknown rule code 'nope'" in result.stderr
    assert "line 3" in result.stderr and "bad severity 'sometimes'" in result.stderr
    assert "Traceback" not in result.output


def test_missing_workbook_and_bad_date_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["analyze", str(tmp_path / "nowhere.yaml")])
    assert result.exit_code == 2
    assert "no such workbook file or folder" in result.stderr
    result = runner.invoke(app, ["worksheet", str(tmp_path / "x.yaml"), "--today", "soon"])
    assert result.exit_code == 2
    assert "--today must be a date" in result.stderr


def test_invalid_workbook_exits_2_with_its_problems(tmp_path: Path) -> None:
    bad = dict(BROKEN, teams=[*BROKEN["teams"], {"id": "x", "name": "X", "kind": "club"}])
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(bad), "utf-8")
    result = runner.invoke(app, ["analyze", str(path), "--json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["ok"] is False


def test_worksheet_markdown_to_stdout(district: Path) -> None:
    result = runner.invoke(app, ["worksheet", str(district), *TODAY])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "# Collaborative Structure Worksheet, Part 2: Dale Unified"
    assert (
        lines[2] == "| Existing Structure | Topics Addressed | Who is Included? | Modifications? |"
    )
    body = lines[4:]
    # 3 teams + 3 standing meetings + 1 desired committee.
    assert len(body) == 7
    assert body[0].startswith("| District Leadership Team (DLT, district) |")
    assert body[-1].startswith("| (desired) Human resources committee (working committee) |")
    assert "Team missing a required stakeholder group (critical): " in next(
        r for r in body if "Literacy Committee" in r
    )


def test_worksheet_csv_to_a_file(district: Path, tmp_path: Path) -> None:
    out = tmp_path / "sheet.csv"
    result = runner.invoke(app, ["worksheet", str(district), "-f", "csv", "-o", str(out), *TODAY])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    assert rows[0] == [
        "Existing Structure",
        "Topics Addressed",
        "Who is Included?",
        "Modifications?",
    ]
    lit = next(r for r in rows if r[0].startswith("Literacy Committee"))
    assert lit[1] == "Early literacy"
    assert (
        lit[2] == "Administration: Assistant Superintendent, Curriculum and Instruction (co-chair)"
    )
    assert lit[3].startswith("Team missing a required stakeholder group (critical): ")


def test_standing_meeting_worksheet(district: Path, tmp_path: Path) -> None:
    out = tmp_path / "meetings.csv"
    result = runner.invoke(
        app,
        [
            "worksheet",
            str(district),
            "--standing-meetings",
            "--format",
            "csv",
            "--out",
            str(out),
            "--today",
            "2026-01-05",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    assert rows[0][:2] == ["District Administration", "Union/Association"]
    top = ["Superintendent", "Association President", "Superintendent and President", "weekly"]
    assert [*top, "2026-01-01", "standing meeting"] in rows
    assert rows[-1] == ["Director of Student Support", "—", "", "", "", "no counterpart"]
    # a year later the findings call it overdue, and so does the worksheet
    later = runner.invoke(
        app,
        ["worksheet", str(district), "--standing-meetings", "-f", "csv", "--today", "2027-01-01"],
    )
    assert [*top, "2026-01-01", "overdue: last held 2026-01-01, 365 days ago (weekly)"] in list(
        csv.reader(io.StringIO(later.stdout))
    )


# -- through the embedded store ----------------------------------------------------------


@pytest.fixture
def store_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    if importlib.util.find_spec("collabgraph.store") is None:
        pytest.skip("the store package is not in this checkout")
    from collabgraph.store.embedded import EmbeddedServer

    data = tmp_path / "data"
    env = {"COLLABGRAPH_STORE": "embedded", "COLLABGRAPH_DATA_DIR": str(data)}
    yield env
    EmbeddedServer(data).stop()


def test_unknown_district_exits_2_with_a_clear_message(store_env: dict[str, str]) -> None:
    result = runner.invoke(app, ["analyze", "no-such-district"], env=store_env)
    assert result.exit_code == 2, result.output
    assert "no district 'no-such-district' in the store" in result.stderr
    assert "Traceback" not in result.output


def test_analyze_a_district_from_the_store(store_env: dict[str, str], district: Path) -> None:
    from collabgraph.store import StoreSettings, open_store
    from collabgraph.workbook import load_workbook

    store = open_store(StoreSettings.from_env(env=store_env))
    store.upsert_workbook(load_workbook(district))
    from_store = runner.invoke(app, ["analyze", "d", "--json", *TODAY], env=store_env)
    from_file = runner.invoke(app, ["analyze", str(district), "--json", *TODAY])
    assert from_store.exit_code == 0, from_store.output
    a, b = json.loads(from_store.stdout), json.loads(from_file.stdout)
    assert a["gaps"] == b["gaps"]
    assert a["counterparts"] == b["counterparts"]


def test_tables_fit_80_columns_and_wrap_instead_of_cutting() -> None:
    import unicodedata

    result = runner.invoke(
        app, ["analyze", str(EXAMPLES / "abc-unified.yaml"), *TODAY], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()

    def width(line: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)

    assert max(width(line) for line in lines) <= 80
    assert "…" not in result.stdout  # nothing cut with an ellipsis
    # Meanings travel with the figures, and names replace ids.
    assert "what it means" in result.stdout
    assert "mtg-" not in result.stdout


def test_tables_at_80_columns_keep_every_word_whole() -> None:
    """Rich alone would fold "Superintendent" into "Superintende" / "nt" at 80 columns."""
    import re

    source = (EXAMPLES / "abc-unified.yaml").read_text(encoding="utf-8")
    wide = runner.invoke(
        app, ["analyze", str(EXAMPLES / "abc-unified.yaml"), *TODAY], env={"COLUMNS": "400"}
    )
    narrow = runner.invoke(
        app, ["analyze", str(EXAMPLES / "abc-unified.yaml"), *TODAY], env={"COLUMNS": "80"}
    )
    assert wide.exit_code == 0 and narrow.exit_code == 0, narrow.output

    def words(text: str) -> set[str]:
        return set(re.findall(r"[A-Za-z]{4,}", text))

    broken = words(narrow.stdout) - words(wide.stdout) - words(source)
    assert broken == set()
    assert "Superintendent" in words(narrow.stdout)


#: Run the command line in a fresh interpreter, as the console script does, then list
#: what it imported.
_IMPORTS_OF = """
import json, sys
from collabgraph.entry import main
sys.argv = ["collabgraph", *sys.argv[1:]]
try:
    main()
except SystemExit as done:
    code = done.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""

#: What start-up of ``analyze`` must not pay for: the web server, the views, the
#: report's charts, spreadsheets and the Neo4j driver.
NOT_FOR_ANALYZE = ("fastapi", "starlette", "uvicorn", "pyvis", "matplotlib", "openpyxl", "neo4j")


def test_analyze_does_not_import_the_server_views_charts_or_spreadsheets(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    workbook = Path(__file__).resolve().parents[1] / "examples" / "abc-unified.yaml"
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(tmp_path / "data")}
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTS_OF, "analyze", str(workbook), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    last = json.loads(done.stdout.strip().splitlines()[-1])
    assert last["code"] in (0, None)
    loaded = {name.split(".")[0] for name in last["modules"]}
    assert "collabgraph" in loaded and "networkx" in loaded  # it did run the analyses
    assert sorted(loaded & set(NOT_FOR_ANALYZE)) == []
    # Nor the other commands' modules: the survey, accounts, generator, server, views.
    ours = [m for m in last["modules"] if m.startswith("collabgraph.")]
    assert "collabgraph.network.analyze" in ours
    others = ("collabgraph.survey", "collabgraph.access", "collabgraph.generate")
    others += ("collabgraph.cli.store_cmds", "collabgraph.cli.serve_cmds")
    assert [m for m in ours if m.startswith(others)] == []


def test_every_command_is_registered_by_the_module_the_console_script_loads_for_it() -> None:
    from collabgraph.cli import COMMANDS, MODULES

    found = {c.name or c.callback.__name__: c.callback.__module__ for c in app.registered_commands}
    found |= {
        g.name: g.typer_instance.registered_commands[0].callback.__module__
        for g in app.registered_groups
        if g.name and g.typer_instance is not None
    }
    assert {name: f"collabgraph.cli.{mod}" for name, mod in COMMANDS.items()} == found
    assert sorted(set(COMMANDS.values())) == sorted(MODULES)


def test_analyze_from_the_store_is_byte_for_byte_the_old_path(store_env: dict[str, str]) -> None:
    """The fast path (the graph filled directly, one view shared by the three analyses,
    the orjson writer) gives the very bytes of the old one: networkx's own
    ``add_edges_from``, a view per analysis and ``json.dumps``."""
    import datetime as dt

    from collabgraph.counterparts import find_counterparts
    from collabgraph.gaps import find_gaps
    from collabgraph.generate import generate_workbook
    from collabgraph.network import analyze_network
    from collabgraph.store import StoreSettings, open_store
    from collabgraph.store.rows import _graph_from_parts_networkx

    wb = generate_workbook(40, seed=11, waves=3)
    store = open_store(StoreSettings.from_env(env=store_env))
    store.upsert_workbook(wb)
    district = wb.district.id
    new = runner.invoke(app, ["analyze", district, "--json", *TODAY], env=store_env)
    assert new.exit_code == 0, new.output

    graph = _graph_from_parts_networkx(district, *store._read_consistent(district))  # type: ignore[attr-defined]
    gaps = find_gaps(graph, today=dt.date(2026, 1, 5))
    cps = find_counterparts(graph)
    old = {
        "district": graph.graph.get("district"),
        "name": graph.graph.get("name"),
        "network": analyze_network(graph).model_dump(mode="json"),
        "gaps": gaps.model_dump(mode="json"),
        "counterparts": cps.model_dump(mode="json"),
        "notes": [n for n in (gaps.note, cps.note) if n],
    }
    assert len(old["network"]["brokers"]) > 0 and old["gaps"]["findings"]  # a real district
    assert new.stdout == json.dumps(old, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
