"""The survey's Cypher statements follow the project's rules and ship with the wheel."""

from __future__ import annotations

import re
import tomllib

from collabgraph.cypher import cypher_dir, schema_statements, statement
from tests.conftest import ROOT

VERBS = {
    "create", "read", "list", "set", "update", "save", "find", "revoke", "review", "replace",
    "delete",
}  # fmt: skip


def test_every_survey_statement_is_one_parameterised_verb_noun_file() -> None:
    names = sorted(p.stem for p in (cypher_dir() / "survey").glob("*.cypher"))
    assert len(names) >= 15
    for name in names:
        verb, _, noun = name.partition("_")
        assert verb in VERBS and re.fullmatch(r"[a-z_]+", noun), name
        text = statement(f"survey/{name}")
        assert "'" not in text and '"' not in text, f"{name} has a literal string"
        assert "id(" not in text.replace("_id(", ""), f"{name} matches on internal ids"
    assert all(s.startswith("CREATE INDEX") for s in schema_statements("survey_falkordb"))


def test_the_wheel_ships_the_survey_folder() -> None:
    files = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    assert files["share/collabgraph/cypher/survey"] == ["cypher/survey/*.cypher"]
