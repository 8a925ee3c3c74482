"""Fixtures for the survey tests: the real embedded store and a 6-person golden district."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from collabgraph.errors import Location
from collabgraph.store.falkor import FalkorStore
from collabgraph.workbook import validate_document
from collabgraph.workbook.document import document_from_mapping
from tests.store.conftest import falkor_server, falkor_store

__all__ = ["falkor_server", "falkor_store", "golden_district", "golden_doc"]


def golden_doc(district: str, *, extra_people: int = 0) -> dict[str, Any]:
    """Six building reps at two schools (a, b, c at s1; d, e, f at s2) and one principal."""
    people = [
        {"id": p, "name": f"Person {p.upper()}", "side": "labor", "school": s}
        for p, s in zip("abcdef", ["s1"] * 3 + ["s2"] * 3, strict=True)
    ]
    people += [
        {"id": f"x{i}", "name": f"Extra {i:04d}", "side": "labor", "school": "s1"}
        for i in range(extra_people)
    ]
    people.append({"id": "boss", "name": "Principal Boss", "side": "management", "school": "s1"})
    positions = [
        {
            "id": f"rep-{p['id']}",
            "title": f"Building rep {p['id']}",
            "side": "labor",
            "kind": "building_rep",
            "level": "school",
            "school": p["school"],
            "holder": p["id"],
        }
        for p in people
        if p["side"] == "labor"
    ]
    return {
        "format": "collabgraph/1",
        "district": {"id": district, "name": "Golden Unified"},
        "schools": [
            {"id": "s1", "name": "North School", "level": "elementary"},
            {"id": "s2", "name": "South School", "level": "high"},
        ],
        "people": people,
        "positions": positions,
        "ties": [{"source": "a", "target": "f", "weight": 0.5}],
    }


@pytest.fixture
def golden_district(falkor_store: FalkorStore) -> Callable[..., str]:
    """Load a fresh golden district; returns its id."""

    def make(extra_people: int = 0) -> str:
        district = "golden-" + uuid.uuid4().hex[:8]
        doc = golden_doc(district, extra_people=extra_people)
        wb = validate_document(document_from_mapping(doc, "golden", lambda p: Location()))
        falkor_store.upsert_workbook(wb)
        return district

    return make
