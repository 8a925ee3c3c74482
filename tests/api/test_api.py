"""Every endpoint of the API against the real embedded store."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from api.config import Settings
from api.main import create_app
from collabgraph.store.falkor import FalkorStore
from collabgraph.workbook import load_workbook, write_workbook
from tests.api.conftest import app_settings, counts, mini_yaml, upload
from tests.conftest import MINI


def is_problem(res: Any, status: int) -> dict[str, Any]:
    assert res.status_code == status, res.text
    assert res.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = res.json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"].startswith("https://")
    assert "Traceback" not in res.text
    return body


def test_health(client: TestClient) -> None:
    body = client.get("/health").json()
    assert body["ok"] is True
    assert body["store_kind"] == "embedded"
    assert body["store_reachable"] is True
    assert body["store_version"]


def test_import_then_list_get_and_delete(client: TestClient) -> None:
    res = upload(client, "mini.yaml", mini_yaml())
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["written"] is True
    assert body["rows"]["people"] == 5
    assert body["summary"]["new_district"] is True
    listed = client.get("/districts").json()["districts"]
    assert [(d["id"], d["name"], d["people"], d["schools"], d["ties"]) for d in listed] == [
        ("mini", "Mini Unified", 5, 2, 3)
    ]
    assert client.delete("/districts/mini").status_code == 204
    is_problem(client.get("/districts/mini"), 404)
    is_problem(client.delete("/districts/mini"), 404)


def test_import_is_idempotent_and_validate_only_writes_nothing(client: TestClient) -> None:
    res = upload(client, "mini.yaml", mini_yaml(), validate_only=True)
    assert res.json()["written"] is False
    assert client.get("/districts").json()["districts"] == []
    upload(client, "mini.yaml", mini_yaml())
    first = counts(client)
    again = upload(client, "mini.yaml", mini_yaml()).json()
    assert again["summary"]["nodes_created"] == 0
    assert counts(client) == first


def test_import_replace_removes_what_is_gone(client: TestClient) -> None:
    upload(client, "mini.yaml", mini_yaml())
    upload(client, "mini.yaml", mini_yaml(ties=MINI["ties"][:1]), replace=True)
    assert counts(client)["relationships"]["TIE"] == 1


def test_import_reports_every_problem_with_its_place(client: TestClient) -> None:
    teams = [dict(t) for t in MINI["teams"]]
    teams[1]["kind"] = "slt-ish"
    members = [dict(m) for m in MINI["memberships"]]
    members[0]["team"] = "nope"
    body = is_problem(
        upload(client, "broken.yaml", mini_yaml(teams=teams, memberships=members)), 422
    )
    wheres = sorted(e["where"] for e in body["errors"])
    assert len(wheres) == 2
    assert wheres[0].startswith("broken.yaml, line ")
    assert wheres[0].endswith("at memberships[0].team")
    assert wheres[1].endswith("at teams[1].kind")
    assert {e["code"] for e in body["errors"]} == {"bad_enum", "unknown_reference"}
    assert client.get("/districts").json()["districts"] == []


def test_import_json_xlsx_and_zip_of_csv(client: TestClient, tmp_path: Path) -> None:
    wb = load_workbook(_write(tmp_path / "mini.yaml", mini_yaml()))
    xlsx = write_workbook(wb, tmp_path / "mini.xlsx")
    folder = write_workbook(wb, tmp_path / "mini-csv", "csv")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.write(path, f"mini-csv/{path.name}")
    for name, data in (
        ("mini.json", json.dumps(MINI).encode()),
        ("mini.xlsx", xlsx.read_bytes()),
        ("mini.zip", buf.getvalue()),
    ):
        res = upload(client, name, data, validate_only=True)
        assert res.status_code == 200, (name, res.text)
        assert res.json()["rows"]["ties"] == 3
    is_problem(upload(client, "mini.txt", b"hello"), 422)
    is_problem(upload(client, "mini.zip", b"not a zip"), 422)


def test_templates_download_and_come_back_as_uploads(client: TestClient) -> None:
    import openpyxl

    from collabgraph.model import SECTIONS

    res = client.get("/template", params={"format": "xlsx"})
    assert res.status_code == 200
    assert res.headers["content-disposition"] == 'attachment; filename="my-district.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(res.content))
    assert book.sheetnames == ["instructions", *SECTIONS]
    # Unfilled, an upload says what to fill in first.
    body = is_problem(upload(client, "my-district.xlsx", res.content), 422)
    assert "the district section is missing" in body["errors"][0]["message"]
    # With the district row filled in, it is a valid (empty) district.
    header = [c.value for c in book["district"][1]]
    book["district"].cell(row=2, column=header.index("id") + 1, value="new-district")
    book["district"].cell(row=2, column=header.index("name") + 1, value="New District")
    filled = io.BytesIO()
    book.save(filled)
    res = upload(client, "my-district.xlsx", filled.getvalue(), validate_only=True)
    assert res.status_code == 200, res.text
    assert res.json()["rows"]["district"] == 1

    res = client.get("/template", params={"format": "csv"})
    assert res.status_code == 200 and res.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(res.content)).namelist()
    assert {f"{section}.csv" for section in SECTIONS} <= set(names)
    is_problem(upload(client, "my-district-csv.zip", res.content), 422)

    for fmt in ("yaml", "json"):
        res = client.get("/template", params={"format": fmt})
        assert res.status_code == 200
        is_problem(upload(client, f"my-district.{fmt}", res.content), 422)
    is_problem(client.get("/template", params={"format": "docx"}), 422)
    assert client.get("/districts").json()["districts"] == []  # nothing was written


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_graph_paging_and_filters(loaded: TestClient) -> None:
    page = loaded.get("/districts/mini/graph", params={"kind": "Person", "limit": 2}).json()
    assert page["total_nodes"] == 5
    assert [n["key"] for n in page["nodes"]] == ["Person:p-pres", "Person:p-rep1"]
    people = loaded.get("/districts/mini/graph", params={"kind": "Person"}).json()
    assert {(e["source"], e["target"]) for e in people["edges"]} == {
        ("Person:p-rep1", "Person:p-rep2"),
        ("Person:p-rep2", "Person:p-rep1"),
        ("Person:p-pres", "Person:p-rep1"),
    }
    is_problem(loaded.get("/districts/mini/graph", params={"limit": 0}), 422)
    is_problem(loaded.get("/districts/nowhere/graph"), 404)


def test_entity_lists_page(loaded: TestClient) -> None:
    every = [p["id"] for p in loaded.get("/districts/mini/people").json()]
    assert len(every) == len(MINI["people"])
    assert every == [p["id"] for p in MINI["people"]]  # workbook order
    page = loaded.get("/districts/mini/people", params={"offset": 1, "limit": 2}).json()
    assert [p["id"] for p in page] == every[1:3]
    assert loaded.get("/districts/mini/people", params={"offset": 99}).json() == []
    is_problem(loaded.get("/districts/mini/people", params={"limit": 0}), 422)
    is_problem(loaded.get("/districts/mini/people", params={"offset": -1}), 422)


def test_entities_crud_keeps_the_graph_consistent(loaded: TestClient) -> None:
    new = {"id": "p-new", "name": "Ama Mensah", "side": "labor"}
    res = loaded.post("/districts/mini/people", json=new)
    assert res.status_code == 201, res.text
    assert res.headers["location"] == "/districts/mini/people/p-new"
    assert loaded.get("/districts/mini/people/p-new").json()["name"] == "Ama Mensah"
    is_problem(loaded.post("/districts/mini/people", json=new), 409)
    tie = {"source": "p-new", "target": "p-rep1", "weight": 0.25}
    assert loaded.post("/districts/mini/ties", json=tie).status_code == 201
    seat = {"person": "p-new", "team": "dlt", "role": "member", "appointed_by": "joint"}
    assert loaded.post("/districts/mini/memberships", json=seat).status_code == 201
    before = counts(loaded)["relationships"]
    # Deleting the person removes their tie and membership too.
    assert loaded.delete("/districts/mini/people/p-new").status_code == 204
    after = counts(loaded)["relationships"]
    assert after["TIE"] == before["TIE"] - 1
    assert after["MEMBER_OF"] == before["MEMBER_OF"] - 1
    is_problem(loaded.get("/districts/mini/people/p-new"), 404)
    # Replacing a row in place.
    team = loaded.get("/districts/mini/teams/sped-cmte").json()
    team["name"] = "Special Education Working Group"
    assert loaded.put("/districts/mini/teams/sped-cmte", json=team).status_code == 200
    assert loaded.get("/districts/mini/teams/sped-cmte").json()["name"] == team["name"]
    # Deleting a team removes its memberships and oversight links.
    assert loaded.delete("/districts/mini/teams/dlt").status_code == 204
    rels = counts(loaded)["relationships"]
    assert rels.get("OVERSEES", 0) == 0
    assert rels["MEMBER_OF"] == 2


def test_entities_refuse_dangling_references(loaded: TestClient) -> None:
    before = counts(loaded)
    body = is_problem(
        loaded.post(
            "/districts/mini/memberships", json={"person": "p-pres", "team": "no-such-team"}
        ),
        422,
    )
    assert "unknown team 'no-such-team'" in body["errors"][0]["message"]
    body = is_problem(
        loaded.post("/districts/mini/ties", json={"source": "p-pres", "target": "p-pres"}), 422
    )
    assert body["errors"][0]["code"] == "self_tie"
    is_problem(
        loaded.post(
            "/districts/mini/people",
            json={"id": "x", "name": "X", "side": "labor", "role": "admin"},
        ),
        422,
    )
    is_problem(loaded.delete("/districts/mini/ties/nope"), 404)
    assert counts(loaded) == before


def test_analyses_and_worksheets(loaded: TestClient) -> None:
    gaps = loaded.get("/districts/mini/analyses/gaps")
    assert gaps.status_code == 200, gaps.text
    findings = gaps.json()["findings"]
    # Lincoln has a rep but no SLT; the DLT has no SLT representative.
    assert ("school-no-slt", "School:lincoln-es") in {(f["code"], f["subject"]) for f in findings}
    pairs = loaded.get("/districts/mini/analyses/counterparts").json()
    assert any(
        p["management"]["id"] == "supt" and p["labor"]["id"] == "president" for p in pairs["pairs"]
    )
    network = loaded.get("/districts/mini/analyses/network")
    assert network.status_code == 200, network.text
    md = loaded.get("/districts/mini/worksheets/structure", params={"format": "md"})
    assert md.headers["content-type"].startswith("text/markdown")
    assert (
        "| Existing Structure | Topics Addressed | Who is Included? | Modifications? |" in md.text
    )
    csv_text = loaded.get(
        "/districts/mini/worksheets/standing-meetings", params={"format": "csv"}
    ).text
    assert csv_text.splitlines()[0].startswith("District Administration,Union/Association")
    rows = loaded.get("/districts/mini/worksheets/structure").json()
    assert any(r["structure"].startswith("District Leadership Team") for r in rows)


def test_exports(loaded: TestClient, tmp_path: Path) -> None:
    yaml_res = loaded.get("/districts/mini/export/workbook", params={"format": "yaml"})
    original = load_workbook(_write(tmp_path / "orig.yaml", mini_yaml()))
    assert load_workbook(_write(tmp_path / "back.yaml", yaml_res.content)) == original
    xlsx = loaded.get("/districts/mini/export/workbook", params={"format": "xlsx"}).content
    assert load_workbook(_write(tmp_path / "back.xlsx", xlsx)) == original
    graphml = loaded.get("/districts/mini/export/graph", params={"format": "graphml"}).content
    g = nx.read_graphml(io.BytesIO(graphml))
    assert sum(1 for _, k in g.nodes(data="kind") if k == "Person") == 5
    gexf = loaded.get("/districts/mini/export/graph", params={"format": "gexf"})
    assert gexf.headers["content-type"].startswith("application/gexf+xml")
    edges = loaded.get("/districts/mini/export/graph", params={"format": "edges-csv"}).text
    assert sum(1 for line in edges.splitlines() if ",TIE," in line) == 3


def test_body_limit_counts_streamed_bytes(client: TestClient) -> None:
    big = b"# padding\n" * 10_000  # 100 KB > the 64 KB test limit
    is_problem(upload(client, "big.yaml", big), 413)

    def chunks() -> Any:
        for _ in range(100):
            yield b"x" * 1024

    res = client.post(
        "/imports", content=chunks(), headers={"content-type": "multipart/form-data; boundary=zz"}
    )
    is_problem(res, 413)


def test_unknown_route_and_bad_json_are_problems(client: TestClient) -> None:
    is_problem(client.get("/no/such/route"), 404)
    is_problem(
        client.post(
            "/queries/run", content=b"{not json", headers={"content-type": "application/json"}
        ),
        422,
    )


def test_docs_work_offline(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/docs/assets/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    schema = client.get("/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            assert op.get("summary"), f"{method.upper()} {path} has no summary"


def test_the_install_token_is_an_admin_bearer_token(api_store: FalkorStore) -> None:
    token = "s3cret-install-token"
    app = create_app(app_settings(api_token=token), store=api_store)
    with TestClient(app) as c:
        assert c.get("/health").status_code == 200
        body = is_problem(c.get("/districts"), 401)
        assert "Bearer" in body["detail"]
        is_problem(c.get("/districts", headers={"Authorization": "Bearer wrong"}), 401)
        is_problem(c.get("/districts", headers={"Authorization": "Bearer "}), 401)
        is_problem(c.get("/districts", headers={"Authorization": "Bearer  "}), 401)
        ok = c.get("/districts", headers={"Authorization": f"Bearer {token}"})
        assert ok.status_code == 200


@pytest.mark.parametrize("blank", ["", " ", "\t \n"])
def test_an_empty_or_blank_token_is_refused_at_start_up(blank: str) -> None:
    with pytest.raises(ValueError, match="empty or only spaces"):
        Settings(api_token=blank)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10"])
def test_serve_refuses_public_address_without_token(host: str) -> None:
    from collabgraph.cli.serve_cmds import check_bind
    from collabgraph.errors import CollabGraphError

    with pytest.raises(CollabGraphError, match="COLLABGRAPH_API_TOKEN"):
        check_bind(Settings(host=host))
    check_bind(Settings(host=host, api_token="a-long-enough-token"))
    check_bind(Settings(host="127.0.0.1"))


def test_cached_analyses_follow_writes(loaded: TestClient) -> None:
    def gaps() -> set[tuple[str, str]]:
        body = loaded.get("/districts/mini/analyses/gaps").json()
        return {(f["code"], f["subject"]) for f in body["findings"]}

    first = gaps()
    assert gaps() == first  # served from the cache
    assert ("school-no-slt", "School:grant-hs") not in first
    assert loaded.delete("/districts/mini/teams/slt-grant").status_code == 204
    assert ("school-no-slt", "School:grant-hs") in gaps()
    # A replace through the import endpoint invalidates too.
    res = upload(loaded, "mini.yaml", mini_yaml(), replace=True)
    assert res.status_code == 200
    assert gaps() == first


def test_a_load_from_outside_the_api_is_seen_at_once(
    loaded: TestClient, api_store: FalkorStore, tmp_path: Path
) -> None:
    """A change that keeps every count (a renamed person) still reaches the cached reads."""
    loaded.app.state.cache.stamp_seconds = 0.0  # type: ignore[attr-defined]
    assert loaded.get("/districts/mini/people/p-pres").json()["name"] != "Renamed President"
    before = api_store.revision("mini")
    people = [
        {**p, "name": "Renamed President"} if p["id"] == "p-pres" else p for p in MINI["people"]
    ]
    edited = _write(tmp_path / "edited.yaml", mini_yaml(people=people))
    api_store.upsert_workbook(load_workbook(edited))  # as `collabgraph load` would
    assert api_store.revision("mini") not in (None, before)
    assert loaded.get("/districts/mini/people/p-pres").json()["name"] == "Renamed President"
