"""Personal data: no query telemetry, names only in the graph's own data, gone after delete."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from collabgraph.model import Workbook
from tests.store.conftest import open_falkor

NAME = b"Zed Erasable"


def files_containing(root: Path, needle: bytes) -> set[str]:
    """Like ``grep -rla``: every file under ``root`` whose bytes contain ``needle``."""
    found = set()
    for path in root.rglob("*"):
        if path.is_file() and not path.is_socket():
            try:
                if needle in path.read_bytes():
                    found.add(str(path.relative_to(root)))
            except OSError:
                continue
    return found


def test_a_person_leaves_no_trace_but_the_graph(
    tmp_path: Path,
    make_doc: Callable[..., dict[str, Any]],
    to_workbook: Callable[[dict[str, Any]], Workbook],
) -> None:
    data = tmp_path / "data"
    server, store = open_falkor(data)
    try:
        doc = make_doc("privacy")
        doc["people"].append({"id": "p-zed", "name": NAME.decode(), "side": "labor"})
        doc["ties"].append({"source": "p-zed", "target": "p-rep1"})
        store.upsert_workbook(to_workbook(doc))
        # Query it in every way the product does.
        assert store.read_graph("privacy").nodes["Person:p-zed"]["name"] == NAME.decode()
        store.upsert_workbook(to_workbook(doc))  # the copy-and-merge path too
        store.run_read("count_nodes", district="privacy")

        keys = store.r.keys("*")
        assert not [k for k in keys if "telemetry" in k], keys
        where = files_containing(data, NAME)
        assert where, "the name should be in the stored graph"
        assert all(w.startswith("falkordb/appendonlydir/") for w in where), where

        assert store.delete_district("privacy")  # deletes, then rewrites the AOF
        assert files_containing(data, NAME) == set()
        assert files_containing(data, b"p-zed") == set()
    finally:
        store.close()
        server.stop()
    assert files_containing(data, NAME) == set()
