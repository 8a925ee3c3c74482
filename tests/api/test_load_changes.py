"""What a load changes, said per section: the API, the dashboard's upload note, the CLI."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import collabgraph.cli  # noqa: F401  (registers every command)
from collabgraph.cli.app import app
from collabgraph.store.embedded import EmbeddedServer
from tests.api.conftest import mini_yaml, upload
from tests.conftest import MINI


def _edited() -> dict[str, Any]:
    """MINI with one school renamed, one topic added and one tie gone."""
    doc = copy.deepcopy(MINI)
    doc["schools"][0]["name"] = "Lincoln Elementary (renamed)"
    doc["topics"].append({"id": "budget", "name": "Budget"})
    doc["ties"] = doc["ties"][:-1]
    return doc


def _yaml(doc: dict[str, Any]) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode()


def test_api_says_what_was_added_changed_and_removed(client: TestClient) -> None:
    first = upload(client, "mini.yaml", mini_yaml()).json()
    assert first["changes"]["new_district"] is True
    assert first["changes"]["sections"]["people"]["added"] == 5
    again = upload(client, "mini.yaml", mini_yaml()).json()
    assert not any(
        part["added"] or part["changed"] or part["removed"]
        for part in again["changes"]["sections"].values()
    )
    preview = upload(client, "mini.yaml", _yaml(_edited()), validate_only="true").json()
    sections = preview["changes"]["sections"]
    assert (sections["schools"]["changed"], sections["topics"]["added"]) == (1, 1)
    assert (sections["ties"]["removed"], sections["ties"]["kept"]) == (0, 1)
    replaced = upload(client, "mini.yaml", _yaml(_edited()), replace="true").json()
    assert replaced["changes"]["sections"]["ties"]["removed"] == 1
    assert replaced["written"] is True


def test_upload_note_on_the_dashboard_names_the_sections(client: TestClient) -> None:
    def post(data: bytes, **fields: str) -> Any:
        return client.post(
            "/upload", files={"file": ("mini.yaml", data)}, data=fields, follow_redirects=False
        )

    assert post(mini_yaml()).status_code == 303
    res = post(mini_yaml())
    page = client.get(res.headers["location"]).text
    assert "Workbook mini.yaml loaded: nothing changed (" in page
    res = post(_yaml(_edited()), replace="true")
    page = client.get(res.headers["location"]).text
    assert "schools: 1 changed; topics: 1 added; ties: 1 removed" in page
    doc = _edited()
    doc["schools"][0]["level"] = "Elementary"
    checked = post(_yaml(doc), validate_only="true")
    assert checked.status_code == 200
    assert "Nothing was written; loading it would change: nothing changed" in checked.text
    assert "1 note on how cells were read" in checked.text
    assert "level &#39;Elementary&#39; read as &#39;elementary&#39;" in checked.text


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    data = tmp_path / "data"
    monkeypatch.setenv("COLLABGRAPH_DATA_DIR", str(data))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("COLLABGRAPH_STORE", raising=False)
    yield data
    EmbeddedServer(data).stop()


def test_cli_load_says_what_changed_per_section(data_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    path = tmp_path / "mini.yaml"
    path.write_bytes(mini_yaml())
    first = runner.invoke(app, ["load", str(path)], catch_exceptions=False)
    assert first.exit_code == 0 and "people: 5 added" in first.stdout
    again = runner.invoke(app, ["load", str(path)], catch_exceptions=False)
    assert "nothing changed (" in again.stdout and "0 created" not in again.stdout
    path.write_bytes(_yaml(_edited()))
    out = runner.invoke(app, ["load", str(path), "--json"], catch_exceptions=False)
    sections = json.loads(out.stdout)["changes"]["sections"]
    assert (sections["schools"]["changed"], sections["topics"]["added"]) == (1, 1)
    assert sections["ties"]["kept"] == 1
    text = runner.invoke(app, ["load", str(path), "--replace"], catch_exceptions=False).stdout
    assert "ties: 1 removed" in text
