"""Shared fixtures: a small but complete workbook document used across tests."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

#: The structural gaps planted in examples/small-district.yaml: (rule code, subject node).
SMALL_GAPS = frozenset(
    {
        ("school-no-slt", "School:eastside-alt"),
        ("school-no-rep", "School:eastside-alt"),
        ("one-sided-team", "Team:cmte-workload"),
        ("unoverseen-committee", "Team:cmte-family-engagement"),
        ("cabinet-no-counterpart", "Position:chief-business-officer"),
        ("priority-no-committee", "Topic:chronic-absence"),
    }
)

#: A valid workbook touching every section, with names from several scripts.
MINI: dict[str, Any] = {
    "format": "collabgraph/1",
    "district": {"id": "mini", "name": "Mini Unified", "state": "CA"},
    "schools": [
        {
            "id": "lincoln-es",
            "name": "Lincoln Elementary",
            "level": "elementary",
            "represented_staff": 40,
        },
        {"id": "grant-hs", "name": "Grant High", "level": "high", "represented_staff": 90},
    ],
    "organizations": [
        {
            "id": "district-office",
            "name": "Mini Unified",
            "side": "management",
            "kind": "district_administration",
        },
        {
            "id": "mta",
            "name": "Mini Teachers Association",
            "side": "labor",
            "kind": "local_association",
            "affiliate_of": "cta",
        },
        {
            "id": "cta",
            "name": "State Teachers Association",
            "side": "labor",
            "kind": "state_affiliate",
        },
    ],
    "topics": [
        {"id": "special-ed", "name": "Special education"},
        {"id": "hr", "name": "Human resources", "description": "Hiring, evaluation, leave"},
    ],
    "priorities": [{"topic": "special-ed", "rank": 1}],
    "people": [
        {"id": "p-supt", "name": "Zoë O'Brien"},
        {"id": "p-pres", "name": "José Núñez"},
        {"id": "p-rep1", "name": "山田 太郎", "school": "lincoln-es"},
        {"id": "p-rep2", "name": "Ольга Петрова"},
        {"id": "p-teacher", "name": "Sam Lee", "side": "labor", "school": "grant-hs"},
    ],
    "positions": [
        {
            "id": "supt",
            "title": "Superintendent",
            "side": "management",
            "kind": "superintendent",
            "organization": "district-office",
            "holder": "p-supt",
            "portfolio": ["hr", "special-ed"],
        },
        {
            "id": "president",
            "title": "Association President",
            "side": "labor",
            "kind": "president",
            "organization": "mta",
            "holder": "p-pres",
            "holder_since": "2023-07-01",
        },
        {
            "id": "rep-lincoln",
            "title": "Building Rep, Lincoln",
            "side": "labor",
            "kind": "building_rep",
            "level": "school",
            "school": "lincoln-es",
            "holder": "p-rep1",
        },
        {
            "id": "rep-grant",
            "title": "Building Rep, Grant",
            "side": "labor",
            "kind": "building_rep",
            "level": "school",
            "school": "grant-hs",
            "holder": "p-rep2",
        },
    ],
    "teams": [
        {
            "id": "dlt",
            "name": "District Leadership Team",
            "kind": "dlt",
            "level": "district",
            "decision_step": 4,
        },
        {
            "id": "slt-grant",
            "name": "Grant SLT",
            "kind": "slt",
            "level": "school",
            "school": "grant-hs",
            "overseen_by": ["dlt"],
            "topics": ["curriculum"],
        },
        {
            "id": "sped-cmte",
            "name": "Special Education Committee",
            "kind": "working_committee",
            "level": "district",
            "topics": ["special-ed"],
            "overseen_by": ["dlt"],
        },
    ],
    "memberships": [
        {"person": "p-supt", "team": "dlt", "role": "co_chair", "appointed_by": "joint"},
        {"person": "p-pres", "team": "dlt", "role": "co_chair", "appointed_by": "joint"},
        {"person": "p-rep2", "team": "slt-grant"},
        {"person": "p-teacher", "team": "sped-cmte", "appointed_by": "labor"},
    ],
    "meetings": [
        {
            "id": "supt-pres",
            "name": "Superintendent and President",
            "cadence": "weekly",
            "attendees": ["supt", "president"],
            "last_held": "2026-11-16",
            "topics": ["hr"],
        },
    ],
    "counterparts": [{"management": "supt", "labor": "president", "note": "top pair"}],
    "ties": [
        {
            "source": "p-rep1",
            "target": "p-rep2",
            "weight": 0.5,
            "topic": "curriculum",
            "wave": "2024",
            "origin": "survey",
        },
        {"source": "p-rep2", "target": "p-rep1", "frequency": "weekly", "wave": "2024"},
        {"source": "p-pres", "target": "p-rep1"},
    ],
}


@pytest.fixture
def mini() -> dict[str, Any]:
    """A fresh deep copy of :data:`MINI` that a test may change."""
    return copy.deepcopy(MINI)


@pytest.fixture
def write_yaml(tmp_path: Path) -> Any:
    """Write a document to a YAML file in the test's temp folder and return its path."""

    def write(doc: Any, name: str = "district.yaml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), "utf-8")
        return path

    return write


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for a test module (see :mod:`tests.chromium`)."""
    from playwright.sync_api import sync_playwright

    from tests.chromium import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
