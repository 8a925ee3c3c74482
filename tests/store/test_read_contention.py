"""A read of a district goes through while writers keep changing it."""

from __future__ import annotations

import threading
import uuid

import pytest

from collabgraph.errors import Location
from collabgraph.model import Person, Workbook
from collabgraph.store.base import Store
from collabgraph.store.falkor import VERSION_PREFIX, FalkorStore
from collabgraph.workbook import validate_document
from collabgraph.workbook.document import document_from_mapping
from tests.conftest import MINI


def validate_mini(district: str) -> Workbook:
    """The MINI workbook as district ``district``."""
    doc = {**MINI, "district": {**MINI["district"], "id": district}}
    return validate_document(document_from_mapping(doc, "mini", lambda p: Location()))


def test_a_read_under_a_stream_of_locked_writes_still_reads(falkor_store: FalkorStore) -> None:
    district = "contended-" + uuid.uuid4().hex[:8]
    doc = {**MINI, "district": {**MINI["district"], "id": district}}
    wb = validate_document(document_from_mapping(doc, "mini", lambda p: Location()))
    falkor_store.upsert_workbook(wb)
    stop = threading.Event()
    bumps = 0

    def writer() -> None:  # a writer as row edits are: the district's lock, a new revision
        nonlocal bumps
        while not stop.is_set() and bumps < 200_000:
            with falkor_store._district_lock(district):
                falkor_store.r.set(VERSION_PREFIX + district, uuid.uuid4().hex)
            bumps += 1

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        while bumps < 50:  # the writer is going
            stop.wait(0.001)
        for _ in range(3):
            read = falkor_store.read_workbook(district)
            assert [p.id for p in read.people] == [p.id for p in wb.people]
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()


@pytest.fixture(
    params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)],
)
def real_store(request: pytest.FixtureRequest) -> Store:
    """The embedded store and a real Neo4j (the FalkorDB Bolt fixture runs every query
    under one lock per graph: it cannot show what Neo4j's isolation does)."""
    name = {"embedded": "falkor_store", "neo4j": "neo4j_store"}[request.param]
    store: Store = request.getfixturevalue(name)
    return store


def test_a_read_never_sees_half_of_a_row_edit(real_store: Store) -> None:
    """One edit moves a person to the other school and renames them after it: every
    read, taken while such edits keep coming, has name and school from the same edit."""
    district = "half-" + uuid.uuid4().hex[:8]
    doc = {**MINI, "district": {**MINI["district"], "id": district}}
    wb = validate_document(document_from_mapping(doc, "mini", lambda p: Location()))
    real_store.upsert_workbook(wb)
    stop = threading.Event()
    edits = 0
    failures: list[BaseException] = []

    def writer() -> None:
        nonlocal edits
        try:
            while not stop.is_set() and edits < 2_000:
                school = ("grant-hs", "lincoln-es")[edits % 2]
                person = Person(id="p-rep1", name=f"Rep at {school}", school=school)
                real_store.put_row(district, "people", person, key="p-rep1")
                edits += 1
        except BaseException as exc:  # reported below, not lost in the thread
            failures.append(exc)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    try:
        seen = 0
        while (edits < 5 or seen < 20) and thread.is_alive() and seen < 200:
            g = real_store.read_graph(district)
            schools = [v for _, v, t in g.out_edges("Person:p-rep1", keys=True) if t == "AT"]
            name = g.nodes["Person:p-rep1"]["name"]
            if name.startswith("Rep at "):  # an edit's (not the load's first name)
                assert schools == [f"School:{name.removeprefix('Rep at ')}"], (name, schools)
                seen += 1
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not failures, failures
    assert edits >= 5 and seen >= 20
    real_store.delete_district(district)
