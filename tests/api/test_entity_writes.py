"""Entity writes through the API: ETag and If-Match, and the cached workbook kept exact."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from collabgraph.editing import EDITABLE
from collabgraph.store.falkor import FalkorStore
from tests.api.test_api import is_problem


def _rows(loaded: TestClient, section: str) -> list[dict[str, Any]]:
    res = loaded.get(f"/districts/mini/{section}")
    assert res.status_code == 200, res.text
    body: list[dict[str, Any]] = res.json()
    return body


def test_every_answer_names_the_revision_and_if_match_guards_writes(
    loaded: TestClient, api_store: FalkorStore
) -> None:
    listed = loaded.get("/districts/mini/people")
    tag = listed.headers["etag"]
    assert tag == f'"{api_store.revision("mini")}"'
    one = loaded.get("/districts/mini/people/p-teacher")
    assert one.headers["etag"] == tag
    row = one.json()
    put = loaded.put(
        "/districts/mini/people/p-teacher",
        json={**row, "name": "Sam Li"},
        headers={"If-Match": tag},
    )
    assert put.status_code == 200, put.text
    new_tag = put.headers["etag"]
    assert new_tag != tag and new_tag == f'"{api_store.revision("mini")}"'
    # The old tag is stale now, for any write; nothing changes.
    stale = is_problem(
        loaded.put("/districts/mini/people/p-teacher", json=row, headers={"If-Match": tag}), 412
    )
    assert "has changed since" in stale["detail"]
    res = loaded.delete("/districts/mini/people/p-teacher", headers={"If-Match": tag})
    assert res.status_code == 412
    assert res.headers["etag"] == new_tag
    weak = loaded.delete("/districts/mini/people/p-teacher", headers={"If-Match": f"W/{new_tag}"})
    assert weak.status_code == 412  # weak tags never match (RFC 9110)
    assert loaded.get("/districts/mini/people/p-teacher").json()["name"] == "Sam Li"
    # A list of tags, or *, matches the current one.
    res = loaded.put(
        "/districts/mini/people/p-teacher", json=row, headers={"If-Match": f'"x", {new_tag}'}
    )
    assert res.status_code == 200, res.text
    gone = loaded.delete("/districts/mini/people/p-teacher", headers={"If-Match": "*"})
    assert gone.status_code == 204
    assert gone.headers["etag"] == f'"{api_store.revision("mini")}"'
    # The key in the address and in the body must agree.
    body = is_problem(
        loaded.put("/districts/mini/people/p-pres", json={**row, "id": "p-other"}), 422
    )
    assert body["errors"][0]["code"] == "key_mismatch"


def test_reads_after_writes_come_from_the_patched_copy_and_match_the_store(
    loaded: TestClient, api_store: FalkorStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    for section in EDITABLE:
        _rows(loaded, section)  # the cached copy, read once
    reads = 0
    real = api_store.read_workbook

    def counted(district: str) -> Any:
        nonlocal reads
        reads += 1
        return real(district)

    monkeypatch.setattr(api_store, "read_workbook", counted)
    writes = [
        ("post", "/districts/mini/people", {"id": "p-new", "name": "Ama", "side": "labor"}),
        ("post", "/districts/mini/ties", {"source": "p-new", "target": "p-rep1"}),
        ("post", "/districts/mini/memberships", {"person": "p-new", "team": "sped-cmte"}),
        ("delete", "/districts/mini/teams/dlt", None),
        ("delete", "/districts/mini/counterparts/supt~president", None),
        (
            "put",
            "/districts/mini/teams/sped-cmte",
            {"id": "sped-cmte", "name": "SpEd", "kind": "other", "level": "district"},
        ),
        ("delete", "/districts/mini/people/p-rep2", None),
    ]
    for method, path, body in writes:
        res = loaded.request(method.upper(), path, json=body)
        assert res.status_code in (200, 201, 204), res.text
        served = {section: _rows(loaded, section) for section in EDITABLE}
        stored = real("mini")
        for section in EDITABLE:
            want = [r.model_dump(mode="json") for r in getattr(stored, section)]
            assert served[section] == want, (path, section)
    assert reads == 0
