"""members=true on the network analysis and the rep-network exports of the API."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_members_join_the_network_on_request(loaded: TestClient) -> None:
    plain = loaded.get("/districts/mini/analyses/network").json()
    assert [p["id"] for p in plain["people"]] == ["p-pres", "p-rep1", "p-rep2"]
    wide = loaded.get("/districts/mini/analyses/network", params={"members": "true"}).json()
    assert [p["id"] for p in wide["people"]] == ["p-pres", "p-rep1", "p-rep2", "p-teacher"]
    assert wide["observed"]["n"] == 4 and plain["observed"]["n"] == 3


def test_rep_network_exports_per_wave(loaded: TestClient) -> None:
    dl = loaded.get("/districts/mini/export/graph", params={"format": "ucinet-dl", "wave": "2024"})
    assert dl.status_code == 200
    assert 'filename="mini-2024.dl"' in dl.headers["content-disposition"]
    assert dl.text.splitlines()[:4] == [
        "DL n=3",
        "format = edgelist1",
        "labels:",
        "p-pres,p-rep1,p-rep2",
    ]
    net = loaded.get(
        "/districts/mini/export/graph", params={"format": "pajek", "members": "true"}
    ).text
    assert net.startswith("*Vertices 4\n") and '4 "p-teacher"' in net
    bad = loaded.get("/districts/mini/export/graph", params={"format": "pajek", "wave": "1999"})
    assert bad.status_code == 422 and "'2024'" in bad.json()["detail"]
