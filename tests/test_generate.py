"""Tests of the synthetic district generator and the ``generate`` command."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from collabgraph.cli import app
from collabgraph.generate import (
    LEVEL_SHARES,
    GenerateError,
    Row,
    district_identities,
    generate_district,
    generate_workbook,
    json_chunks,
    write_district,
    write_districts,
    yaml_lines,
    yaml_scalar,
)
from collabgraph.model import BUILTIN_TOPICS, Workbook
from collabgraph.workbook import load_workbook

ROOT = Path(__file__).resolve().parent.parent


def sections(rows: Iterator[Row]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for section, row in rows:
        out.setdefault(section, []).append(row)
    return out


@pytest.fixture(scope="module")
def district_200(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Workbook]:
    """A 200-school district with three survey waves, written as JSON and loaded back."""
    path = tmp_path_factory.mktemp("gen") / "d200.json"
    write_district(path, 200, seed=11, waves=3)
    return path, load_workbook(path)


# --- the files load and validate --------------------------------------------


def test_200_school_district_loads_and_validates(tmp_path: Path) -> None:
    path = tmp_path / "d200.yaml"
    write_district(path, 200, seed=11)
    wb = load_workbook(path)
    counts = wb.counts()
    assert counts["schools"] == 200
    # one principal position per school, one or two rep positions per school
    kinds = Counter(p.kind.value for p in wb.positions)
    assert kinds["principal"] == 200
    assert 200 <= kinds["building_rep"] <= 400
    # the same text also validates as plain YAML through the pydantic model
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    assert Workbook.model_validate(data).counts() == counts
    assert path.read_text(encoding="utf-8").startswith("# Synthetic district")


def test_json_and_yaml_encodings_hold_the_same_workbook(tmp_path: Path) -> None:
    as_yaml = write_district(tmp_path / "d.yaml", 25, seed=4, waves=2)
    as_json = write_district(tmp_path / "d.json", 25, seed=4, waves=2)
    assert as_yaml.counts == as_json.counts
    assert load_workbook(tmp_path / "d.yaml") == load_workbook(tmp_path / "d.json")
    json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))  # strict JSON


def test_generate_workbook_matches_the_written_file(tmp_path: Path) -> None:
    write_district(tmp_path / "d.yaml", 15, seed=8)
    assert generate_workbook(15, seed=8) == load_workbook(tmp_path / "d.yaml")


# --- determinism ---------------------------------------------------------------


def test_same_seed_same_bytes_different_seed_different_bytes(tmp_path: Path) -> None:
    a = write_district(tmp_path / "a.yaml", 60, seed=5, waves=2).path.read_bytes()
    b = write_district(tmp_path / "b.yaml", 60, seed=5, waves=2).path.read_bytes()
    c = write_district(tmp_path / "c.yaml", 60, seed=6, waves=2).path.read_bytes()
    assert a == b
    assert a != c


def test_same_bytes_in_another_process_with_other_hash_seed(tmp_path: Path) -> None:
    here = write_district(tmp_path / "here.yaml", 40, seed=9, waves=2).path.read_bytes()
    script = (
        "import sys; from pathlib import Path; from collabgraph.generate import write_district; "
        "write_district(Path(sys.argv[1]), 40, seed=9, waves=2)"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "there.yaml")], check=True, env=env
    )
    assert (tmp_path / "there.yaml").read_bytes() == here


# --- realism -----------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 7, 37, 200, 1000])
def test_level_counts_stay_within_one_of_their_share(n: int) -> None:
    rows = sections(generate_district(n, seed=n))
    levels = Counter(s["level"] for s in rows["schools"])
    assert sum(levels.values()) == n
    for level, share in LEVEL_SHARES:
        assert abs(levels.get(level.value, 0) - share * n) < 1 + 1e-9, level


def test_1000_school_levels_and_people() -> None:
    rows = sections(generate_district(1000, seed=2))
    levels = Counter(s["level"] for s in rows["schools"])
    # 55% elementary, 20% middle, 20% high: 550, 200, 200 exactly up to one school
    assert abs(levels["elementary"] - 550) <= 1
    assert abs(levels["middle"] - 200) <= 1
    assert abs(levels["high"] - 200) <= 1
    labor = sum(1 for p in rows["people"] if p["side"] == "labor")
    assert 4000 <= labor <= 6000  # roughly 5,000 association people
    staff = {s["level"]: [] for s in rows["schools"]}
    for s in rows["schools"]:
        staff[s["level"]].append(s["represented_staff"])
    mean = {level: sum(v) / len(v) for level, v in staff.items()}
    assert mean["elementary"] < mean["middle"] < mean["high"]


@pytest.mark.parametrize(("rate", "expected"), [(0.0, 0), (0.2, 40), (1.0, 200)])
def test_missing_rep_rate(rate: float, expected: int) -> None:
    rows = sections(generate_district(200, seed=3, missing_rep_rate=rate))
    held: dict[str, bool] = {}
    for pos in rows["positions"]:
        if pos["kind"] == "building_rep":
            held[pos["school"]] = held.get(pos["school"], False) or "holder" in pos
    assert len(held) == 200
    # the generator leaves floor(rate * n + u) schools without a rep: exactly 40 of 200 at 0.2
    assert sum(1 for has_rep in held.values() if not has_rep) == expected


def test_large_schools_sometimes_have_two_reps(district_200: tuple[Path, Workbook]) -> None:
    _, wb = district_200
    staff = {s.id: s.represented_staff or 0 for s in wb.schools}
    reps = Counter(p.school for p in wb.positions if p.kind.value == "building_rep")
    two = [school for school, n in reps.items() if n == 2]
    assert two
    assert all(staff[school] >= 60 for school in two)
    assert max(reps.values()) == 2


def test_partnership_structure(district_200: tuple[Path, Workbook]) -> None:
    _, wb = district_200
    holder = {p.id: p.holder for p in wb.positions}
    dlt = [t for t in wb.teams if t.kind.value == "dlt"]
    assert [t.id for t in dlt] == ["dlt"]
    chairs = {m.person for m in wb.memberships if m.team == "dlt" and m.role.value == "co_chair"}
    assert chairs == {holder["superintendent"], holder["president"]}
    slts = [t for t in wb.teams if t.kind.value == "slt"]
    assert 170 <= len(slts) <= 190  # 10% of 200 schools (default gap rate) have none
    assert all(t.overseen_by == ["dlt"] for t in slts)
    committees = [t for t in wb.teams if t.kind.value == "working_committee"]
    priorities = {p.topic for p in wb.priorities}
    assert committees
    assert all(set(t.topics) <= priorities for t in committees)
    pairs = {(c.management, c.labor) for c in wb.counterparts}
    assert len(pairs) >= 8
    # teachers on SLTs are labor people without a position
    held = {p.holder for p in wb.positions if p.holder}
    teachers = [p for p in wb.people if p.id not in held]
    assert teachers
    assert all(p.side is not None and p.side.value == "labor" and p.school for p in teachers)


def test_gap_rate_zero_gives_a_district_with_no_gaps() -> None:
    import datetime as dt

    from collabgraph.gaps.find import find_gaps
    from collabgraph.graph import workbook_to_graph

    wb = generate_workbook(40, seed=4, gap_rate=0, missing_rep_rate=0)
    report = find_gaps(workbook_to_graph(wb), today=dt.date(2026, 1, 5))
    assert [f.code for f in report.findings] == []


def test_gap_rate_one_leaves_the_optional_structure_out() -> None:
    rows = sections(generate_district(30, seed=4, gap_rate=1, missing_rep_rate=1))
    teams = rows["teams"]
    assert teams[0]["id"] == "dlt"
    assert all(t["kind"] == "working_committee" for t in teams[1:])  # no SLT at all
    assert all("overseen_by" not in t for t in teams[1:])  # committees nobody oversees
    side = {p["id"]: p["side"] for p in rows["people"]}
    for team in teams[1:]:  # ... seating one side only
        seated = {side[m["person"]] for m in rows["memberships"] if m["team"] == team["id"]}
        assert len(seated) == 1
    assert all(m["appointed_by"] != "joint" for m in rows["memberships"])
    assert all("holder" not in p for p in rows["positions"] if p["kind"] == "building_rep")
    assert "meetings" not in rows
    assert "counterparts" not in rows


# --- ties -----------------------------------------------------------------------------


def test_ties_have_no_self_ties_or_duplicates(district_200: tuple[Path, Workbook]) -> None:
    _, wb = district_200
    keys = [t.key for t in wb.ties]
    assert len(keys) == len(set(keys))
    assert all(t.source != t.target for t in wb.ties)
    assert {t.topic for t in wb.ties} <= set(BUILTIN_TOPICS)
    assert all(0 < t.weight <= 1 for t in wb.ties)
    assert sorted({t.wave or "" for t in wb.ties}) == ["wave-1", "wave-2", "wave-3"]


def test_ties_change_a_little_between_waves(district_200: tuple[Path, Workbook]) -> None:
    _, wb = district_200
    pairs: dict[str, set[tuple[str, str]]] = {}
    for t in wb.ties:
        pairs.setdefault(t.wave or "", set()).add((t.source, t.target))
    one, two = pairs["wave-1"], pairs["wave-2"]
    overlap = len(one & two) / len(one | two)
    assert 0.6 < overlap < 0.97
    assert 0.8 < len(two) / len(one) < 1.25


def test_reps_talk_more_within_their_level(district_200: tuple[Path, Workbook]) -> None:
    _, wb = district_200
    level = {s.id: s.level for s in wb.schools}
    rep_school = {
        p.holder: p.school for p in wb.positions if p.kind.value == "building_rep" and p.holder
    }
    same = cross = 0
    for t in wb.ties:
        if t.wave == "wave-1" and t.source in rep_school and t.target in rep_school:
            a, b = rep_school[t.source], rep_school[t.target]
            assert a is not None and b is not None
            if level[a] == level[b]:
                same += 1
            else:
                cross += 1
    # with 55/20/20 shares, random ties would stay within a level about 40% of the time
    assert same > 3 * cross


# --- several districts -------------------------------------------------------------------


def test_write_districts_writes_one_file_per_district(tmp_path: Path) -> None:
    done = list(write_districts(tmp_path / "state", 4, 6, seed=21))
    files = sorted((tmp_path / "state").iterdir())
    assert len(files) == 4
    assert sorted(d.path for d in done) == files
    for d in done:
        assert d.path.name == f"{d.district}.yaml"
        assert load_workbook(d.path).district.id == d.district
    single = write_district(tmp_path / "one.yaml", 6, seed=21)
    assert single.path.read_bytes() == done[0].path.read_bytes()
    assert not list(tmp_path.glob("**/*.part"))


def test_district_identities_are_unique_for_a_large_state() -> None:
    ids = [d.id for d in district_identities(2000, seed=0)]
    assert len(set(ids)) == 2000


# --- errors -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"schools": 0}, "schools must be a whole number from 1"),
        ({"schools": 5, "waves": 0}, "waves must be a whole number from 1"),
        ({"schools": 5, "gap_rate": 1.5}, "gap_rate must be a number between 0 and 1"),
        ({"schools": 5, "missing_rep_rate": -0.1}, "missing_rep_rate must be a number"),
    ],
)
def test_bad_settings_are_refused(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(GenerateError, match=message):
        next(generate_district(**kwargs))


def test_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(GenerateError, match="cannot create the folder"):
        write_district(blocker / "d.yaml", 3)
    with pytest.raises(GenerateError, match="is a file; give a folder"):
        next(write_districts(blocker, 2, 3))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


# --- text encoders ----------------------------------------------------------------------


@given(st.text())
def test_yaml_scalar_reads_back_any_text(text: str) -> None:
    assert yaml.safe_load(yaml_scalar(text)) == text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_yaml_scalar_reads_back_any_float(number: float) -> None:
    back = yaml.safe_load(yaml_scalar(number))
    assert isinstance(back, float)
    assert back == number and math.copysign(1, back) == math.copysign(1, number)


def test_rows_out_of_section_order_are_refused() -> None:
    rows = [("district", {"id": "d"}), ("schools", {"id": "a"}), ("topics", {"id": "t"})]
    rows.append(("schools", {"id": "b"}))
    with pytest.raises(GenerateError, match="out of order"):
        list(yaml_lines(rows))
    with pytest.raises(GenerateError, match="out of order"):
        list(json_chunks(rows))


# --- the command ---------------------------------------------------------------------------


def test_cli_writes_a_state_and_reports_json(tmp_path: Path) -> None:
    out = tmp_path / "state"
    result = CliRunner().invoke(
        app, ["generate", "--schools", "5", "--districts", "3", "--seed", "2", "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is True
    assert len(report["files"]) == 3
    assert report["totals"]["schools"] == 15
    assert len(list(out.glob("*.yaml"))) == 3


def test_cli_single_file_and_errors(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "d.json"
    result = runner.invoke(app, ["generate", "-n", "4", "--waves", "2", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 1 district" in result.stdout
    assert load_workbook(out).counts()["schools"] == 4
    result = runner.invoke(app, ["generate", "-n", "4", "-d", "2", str(out)])
    assert result.exit_code == 2
    assert "is a file; give a folder" in result.stderr
    result = runner.invoke(app, ["generate", "-n", "4", "--gap-rate", "2", str(out)])
    assert result.exit_code == 2
