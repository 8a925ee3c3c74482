"""A person's rights from the command line: export everything held, then erase from disk.

After ``collabgraph person erase`` the person's name and id are in no file of
the data folder: the embedded store's append-only file is rewritten.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from collabgraph.store.embedded import EmbeddedServer
from tests.conftest import MINI

NAME = "山田 太郎"  # p-rep1 in MINI: holds rep-lincoln, ties to and from p-rep2 and p-pres
PERSON = "p-rep1"


def _files_holding(folder: Path, needle: bytes) -> list[str]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_socket() and needle in path.read_bytes():
            found.append(str(path.relative_to(folder)))
    return found


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    yield folder
    EmbeddedServer(folder).stop()


def _cg(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(data)}
    env.pop("NEO4J_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "collabgraph", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_person_export_then_erase_leaves_no_trace_on_disk(data: Path, tmp_path: Path) -> None:
    workbook = tmp_path / "mini.yaml"
    workbook.write_text(yaml.safe_dump(MINI, allow_unicode=True), encoding="utf-8")
    assert _cg(data, "load", str(workbook)).returncode == 0
    # An edit after the load, so the append-only file holds queries naming the person too.
    assert _cg(data, "load", str(workbook)).returncode == 0

    exported = _cg(data, "person", "export", "mini", PERSON)
    assert exported.returncode == 0, exported.stderr
    held = json.loads(exported.stdout)
    assert held["person"]["name"] == NAME
    assert [p["id"] for p in held["positions"]] == ["rep-lincoln"]
    assert {t["target"] for t in held["ties_from"]} == {"p-rep2"}
    assert {t["source"] for t in held["ties_to"]} == {"p-rep2", "p-pres"}
    assert held["memberships"] == [] and held["meetings"] == []

    needle = NAME.encode()
    assert _files_holding(data, needle), "the name should be on disk before the erasure"
    erased = _cg(data, "person", "erase", "mini", PERSON, "--json")
    assert erased.returncode == 0, erased.stderr
    report = json.loads(erased.stdout)
    assert report["ties"] == 3 and report["positions_vacated"] == 1
    assert report["files_rewritten"] is True
    assert _files_holding(data, needle) == []
    assert _files_holding(data, PERSON.encode()) == []
    # The rest of the district is still there, and the erasure is in the audit log.
    assert _files_holding(data, "José Núñez".encode())
    audit = json.loads(_cg(data, "audit", "--district", "mini", "--json").stdout)
    # (the two CLI loads are in the log too, since the CLI's writes are audited)
    assert [e["operation"] for e in audit] == [
        "write: cli load",
        "write: cli load",
        "person-export",
        "erase",
    ]
    assert all(e["subject"].startswith("px-") for e in audit[2:])
    again = _cg(data, "person", "erase", "mini", PERSON)
    assert again.returncode == 2 and "no people row with key 'p-rep1'" in again.stderr
