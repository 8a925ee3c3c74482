"""Analysis results kept in the embedded store per district revision
(:mod:`collabgraph.store.results`): served only for the revision they were computed
from, dropped by a write, a deletion and an erasure, bounded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from collabgraph.cli import app
from collabgraph.store import StoreSettings, open_store
from collabgraph.store.embedded import EmbeddedServer
from collabgraph.store.falkor import FalkorStore
from collabgraph.store.keys import VERSION_PREFIX
from collabgraph.store.results import (
    MAX_ENTRIES,
    RESULTS_PREFIX,
    ResultCache,
    purge_results,
    result_key,
)
from tests.conftest import MINI

runner = CliRunner()
NAME = "山田 太郎"  # p-rep1 in MINI
TODAY = ["--today", "2026-01-05"]


@pytest.fixture
def env(tmp_path: Path) -> Iterator[dict[str, str]]:
    data = tmp_path / "data"
    yield {"COLLABGRAPH_STORE": "embedded", "COLLABGRAPH_DATA_DIR": str(data)}
    EmbeddedServer(data).stop()


@pytest.fixture
def store(env: dict[str, str], tmp_path: Path) -> FalkorStore:
    found = open_store(StoreSettings.from_env(env=env))
    assert isinstance(found, FalkorStore)
    workbook = tmp_path / "mini.yaml"
    workbook.write_text(yaml.safe_dump(MINI, allow_unicode=True), encoding="utf-8")
    from collabgraph.workbook import load_workbook

    found.upsert_workbook(load_workbook(workbook))
    return found


def _analyze(env: dict[str, str], *extra: str) -> str:
    done = runner.invoke(app, ["analyze", "mini", "--json", *TODAY, *extra], env=env)
    assert done.exit_code == 0, done.output
    return done.stdout


def _kept(store: FalkorStore) -> dict[str, Any]:
    raw = store.r.hgetall(result_key("mini"))
    return {str(k): v for k, v in raw.items()}


def test_the_second_run_is_the_kept_result_of_the_same_revision(
    env: dict[str, str], store: FalkorStore
) -> None:
    first = _analyze(env)
    kept = _kept(store)
    assert kept.pop("revision") == store.revision("mini") and len(kept) == 1
    (name,) = kept
    # What is served is what is kept: replace it, and the next run prints the stand-in.
    cache = ResultCache(store.r)
    assert cache.put("mini", store.revision("mini"), name, '{"stand-in": true}\n')
    assert _analyze(env) == '{"stand-in": true}\n'
    assert _analyze(env, "--fresh") == first  # computed again (and kept again)
    assert _analyze(env) == first
    # Other options are other results; the tables are never kept.
    other = _analyze(env, "--only", "gaps")
    assert json.loads(other).keys() == {"district", "name", "gaps", "notes"}
    assert len(_kept(store)) == 3
    tables = runner.invoke(app, ["analyze", "mini", *TODAY], env=env)
    assert tables.exit_code == 0 and "Structural gaps" in tables.stdout


def test_a_write_makes_the_kept_result_unreadable_and_the_next_run_replaces_it(
    env: dict[str, str], store: FalkorStore
) -> None:
    from collabgraph.model import Person

    before = _analyze(env)
    assert NAME in before
    old = store.revision("mini")
    person = next(p for p in store.read_workbook("mini").people if p.id == "p-rep1")
    renamed = Person(**{**person.model_dump(), "name": "Renamed Rep"})
    store.put_row("mini", "people", renamed, key="p-rep1")
    assert store.revision("mini") != old
    after = _analyze(env)
    assert "Renamed Rep" in after and NAME not in after
    kept = _kept(store)
    assert kept["revision"] == store.revision("mini") and len(kept) == 2  # the old one went
    # A whole-workbook load is a write too.
    wb = store.read_workbook("mini")
    people = [
        p.model_copy(update={"name": "Loaded Rep"}) if p.id == "p-rep1" else p for p in wb.people
    ]
    store.upsert_workbook(wb.model_copy(update={"people": people}))
    loaded = _analyze(env)
    assert "Loaded Rep" in loaded and "Renamed Rep" not in loaded


def test_a_result_computed_while_the_district_changed_is_not_kept(store: FalkorStore) -> None:
    cache = ResultCache(store.r)
    seen = store.revision("mini")
    store.r.set(VERSION_PREFIX + "mini", "written-meanwhile")
    assert cache.put("mini", seen, "n", "stale\n") is False
    assert cache.get("mini", seen, "n") is None
    assert cache.get("mini", "written-meanwhile", "n") is None
    assert cache.put("mini", None, "n", "x\n") is False  # no revision: nothing kept


def test_results_are_bounded_per_district(store: FalkorStore) -> None:
    cache = ResultCache(store.r)
    now = store.revision("mini")
    for i in range(3 * MAX_ENTRIES):
        assert cache.put("mini", now, f"n{i}", f"{i}\n")
        assert len(_kept(store)) <= MAX_ENTRIES + 1  # (+ the revision field)
    assert cache.get("mini", now, f"n{3 * MAX_ENTRIES - 1}") == f"{3 * MAX_ENTRIES - 1}\n"
    assert 0 < store.r.ttl(result_key("mini")) <= 7 * 24 * 3600


def test_an_erasure_leaves_no_kept_result(env: dict[str, str], store: FalkorStore) -> None:
    from collabgraph.access.person import erase_person

    assert NAME in _analyze(env)
    assert list(store.r.scan_iter(match=RESULTS_PREFIX + "*"))
    erase_person(store, "mini", "p-rep1")
    assert list(store.r.scan_iter(match=RESULTS_PREFIX + "*")) == []
    assert NAME not in _analyze(env)


def test_deleting_a_district_drops_its_results(env: dict[str, str], store: FalkorStore) -> None:
    _analyze(env)
    assert store.r.exists(result_key("mini"))
    assert store.delete_district("mini")
    assert not store.r.exists(result_key("mini"))
    assert purge_results(store.r) == 0
