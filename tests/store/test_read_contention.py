"""A read of a district goes through while writers keep changing it."""

from __future__ import annotations

import threading
import uuid

from collabgraph.errors import Location
from collabgraph.store.falkor import VERSION_PREFIX, FalkorStore
from collabgraph.workbook import validate_document
from collabgraph.workbook.document import document_from_mapping
from tests.conftest import MINI


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
