"""``collabgraph users ...`` and ``collabgraph audit`` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from collabgraph.store.embedded import EmbeddedServer


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "data"
    yield folder
    EmbeddedServer(folder).stop()


def _cg(data: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(data)}
    env.pop("NEO4J_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "collabgraph", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_users_add_list_token_remove(data: Path) -> None:
    added = _cg(
        data,
        "users", "add", "Ana@Example.org", "--role", "partner", "--district", "abc-unified",
        "--password-stdin", stdin="a long partner password\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = json.loads(_cg(data, "users", "list", "--json").stdout)
    assert listed == [
        {
            "email": "ana@example.org",
            "role": "partner",
            "districts": ["abc-unified"],
            "created": listed[0]["created"],
            "structure": [],
        }
    ]
    token = _cg(data, "users", "token", "ana@example.org")
    assert token.returncode == 0
    assert token.stdout.count("\n") == 1 and token.stdout.startswith("cgt_")  # alone, once
    assert _cg(data, "users", "remove", "ana@example.org").returncode == 0
    assert json.loads(_cg(data, "users", "list", "--json").stdout) == []
    ops = [e["operation"] for e in json.loads(_cg(data, "audit", "--json").stdout)]
    assert ops == ["users: add", "users: token", "users: remove"]
    newest = json.loads(_cg(data, "audit", "--limit", "2", "--json").stdout)
    assert [e["operation"] for e in newest] == ["users: token", "users: remove"]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["users", "add", "a@example.org", "--role", "admin", "--password-stdin"], "   \n",
         "empty or only spaces"),
        (["users", "add", "a@example.org", "--role", "admin"], "", "--password-stdin"),
        (["users", "add", "a@example.org", "--role", "partner", "--password-stdin"],
         "a long enough password\n", "at least one --district"),
        (["users", "token", "ghost@example.org"], "", "no account 'ghost@example.org'"),
        (["audit", "--since", "last week"], "", "is not a date"),
    ],
)  # fmt: skip
def test_bad_input_says_what_and_exits_2(
    data: Path, args: list[str], stdin: str, message: str
) -> None:
    done = _cg(data, *args, stdin=stdin)
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_cli_writes_exports_and_queries_are_audited(data: Path, tmp_path: Path) -> None:
    example = Path(__file__).parents[2] / "examples" / "small-district.yaml"
    out = tmp_path / "out.json"
    steps = [
        ("load", str(example)),
        ("export", "lakeside-usd", "-f", "json", "-o", str(out)),
        ("query", "lakeside-usd", "MATCH (p:Person) RETURN count(p) AS n", "--json"),
        ("analyze", "lakeside-usd", "--json"),  # a read: not an audited operation
        ("delete", "lakeside-usd", "--yes"),
    ]
    for step in steps:
        ran = _cg(data, *step)
        assert ran.returncode == 0, (step, ran.stderr)
    entries = json.loads(_cg(data, "audit", "--json").stdout)
    assert [(e["operation"], e["district"]) for e in entries] == [
        ("write: cli load", "lakeside-usd"),
        ("export: cli export", "lakeside-usd"),
        ("query: cli query", "lakeside-usd"),
        ("write: cli delete", "lakeside-usd"),
    ]
    assert {e["role"] for e in entries} == {"admin"}
    assert all(e["who"].startswith("cli") for e in entries)
    assert "Lakeside" not in json.dumps(entries)  # what was done, never the values
