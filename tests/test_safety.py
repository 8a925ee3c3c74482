"""The pieces of ``collabgraph.safety`` on their own: tokenizer, rewrites, cells, ids, limits."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collabgraph.errors import WorkbookError
from collabgraph.research import QueryRejected, check_query
from collabgraph.safety.cells import TRIGGERS, neutralize, restore
from collabgraph.safety.cypher import CypherSyntaxError, cap_rows, tokenize
from collabgraph.safety.ids import UnsafeName, id_problem, inside, is_id
from collabgraph.safety.limits import (
    InputLimits,
    check_json_depth,
    check_xlsx_rows,
    load_json,
    scan_yaml,
)
from collabgraph.safety.scratch import clean_stale, scratch_dir

# --------------------------------------------------------------------------- tokenizer


def test_tokens_resolve_quoting_the_way_the_engine_does() -> None:
    toks = tokenize("CALL `db`.`la``bels`() // `x`\n/* CALL y */ RETURN 'a\\'b' AS `c d`")
    assert [(t.kind, t.value) for t in toks] == [
        ("word", "CALL"),
        ("quoted", "db"),
        ("punct", "."),
        ("quoted", "la`bels"),
        ("punct", "("),
        ("punct", ")"),
        ("word", "RETURN"),
        ("string", "a\\'b"),
        ("word", "AS"),
        ("quoted", "c d"),
    ]
    for bad in ("RETURN 'open", "RETURN `open", "RETURN 1 /* open"):
        with pytest.raises(CypherSyntaxError):
            tokenize(bad)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "MATCH (p) RETURN p.id ORDER BY p.id SKIP 5",
            "MATCH (p) RETURN p.id ORDER BY p.id SKIP 5 LIMIT 11",
        ),
        ("RETURN 1 AS x LIMIT 3", "RETURN 1 AS x LIMIT 3"),
        ("RETURN 1 AS x LIMIT 99999", "RETURN 1 AS x LIMIT 11"),
        ("RETURN 1 AS x LIMIT $n", "RETURN 1 AS x LIMIT 11"),
        ("RETURN 1 AS x;", "RETURN 1 AS x LIMIT 11"),
        (
            "RETURN 1 AS x UNION ALL RETURN 2 AS x // end",
            "RETURN 1 AS x LIMIT 11 UNION ALL RETURN 2 AS x LIMIT 11 // end",
        ),
        (
            "MATCH (p) CALL { WITH p RETURN p.id AS i } RETURN i",
            "MATCH (p) CALL { WITH p RETURN p.id AS i } RETURN i LIMIT 11",
        ),
        ("RETURN [x IN range(1, 3) | x] AS xs", "RETURN [x IN range(1, 3) | x] AS xs LIMIT 11"),
        ("CALL db.labels()", "CALL db.labels()"),
    ],
)
def test_cap_rows(query: str, expected: str) -> None:
    assert cap_rows(query, {"n": 1_000_000}, 11) == expected


def test_cap_rows_keeps_a_smaller_parameter_and_refuses_an_expression() -> None:
    assert cap_rows("RETURN 1 AS x LIMIT $n", {"n": 4}, 11) == "RETURN 1 AS x LIMIT $n"
    with pytest.raises(CypherSyntaxError, match="LIMIT must be a whole number"):
        cap_rows("RETURN 1 AS x LIMIT 2 + 3", {}, 11)


@pytest.mark.parametrize(
    "query",
    [
        "UNWIND range(0, size([1,2])) AS i RETURN i",
        "UNWIND range(1, 10, 0) AS i RETURN i",
        "UNWIND range(-1000000, 1) AS i RETURN i",
        "UNWIND `range`(1, 2000000) AS i RETURN i",
        "UNWIND RANGE(1, $big) AS i RETURN i",
    ],
)
def test_unbounded_or_huge_ranges_are_refused(query: str) -> None:
    with pytest.raises(QueryRejected, match=r"range\("):
        check_query(query, {"big": 10**9})


def test_bounded_ranges_and_allowed_calls_pass() -> None:
    check_query("UNWIND range(1, 1000000) AS i RETURN count(i)")
    check_query("UNWIND range(10, 0, -1) AS i RETURN i")
    check_query("UNWIND range(1, $n, 2) AS i RETURN i", {"n": 1_999_999})
    check_query("CALL db.propertyKeys() YIELD propertyKey RETURN propertyKey")
    check_query("RETURN date.truncate('month', date('2024-09-12')) AS d")


@pytest.mark.parametrize(
    "query",
    [
        "CALL `db.idx.fulltext.createNodeIndex`('Person', 'name')",
        "CALL `db`.`idx`.fulltext.drop('Person')",
        "CALL algo.BFS(null, 1, null)",
        "RETURN `apoc`.`text`.join(['a'], ',')",
        "RETURN 1; MATCH (n) RETURN n",
        "MATCH (n:`CREATE`) RETURN n",
        "CALL\u00a0algo.pageRank('Person', 'TIE')",
        "CALL\u2003`algo`.pageRank('Person', 'TIE')",
    ],
)
def test_more_refusals(query: str) -> None:
    with pytest.raises(QueryRejected):
        check_query(query)


# --------------------------------------------------------------------------- cells


@given(st.text())
def test_neutralize_is_undone_by_restore_and_leaves_no_live_formula(text: str) -> None:
    safe = neutralize(text)
    assert restore(safe) == text
    number = re.fullmatch(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", safe)
    assert safe[:1] not in TRIGGERS or number


# --------------------------------------------------------------------------- ids


@pytest.mark.parametrize("good", ["a", "lincoln-es", "p.1", "_x", "Ольга-1", "a..b", "9"])
def test_good_ids(good: str) -> None:
    assert is_id(good) and id_problem(good) == ""


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("../escaped-district", "it starts with '.'"),
        ("-rm", "it starts with '-'"),
        ("a/b", "it contains '/'"),
        ("a\\b", "it contains '\\'"),
        ("a b", "it contains a space"),
        ("a;b", "it contains ';'"),
        ("x" * 201, "longer than 200"),
    ],
)
def test_bad_ids_say_why(bad: str, why: str) -> None:
    assert not is_id(bad)
    assert why in id_problem(bad)


def test_inside_refuses_names_that_leave_the_folder(tmp_path: Path) -> None:
    assert inside(tmp_path, "d-network.html") == tmp_path / "d-network.html"
    for name in ("../x.html", "a/b.html", ".hidden", "..", ""):
        with pytest.raises(UnsafeName):
            inside(tmp_path, name)


# --------------------------------------------------------------------------- limits


def _problem(call: object) -> str:
    assert callable(call)
    with pytest.raises(WorkbookError) as err:
        call()
    (problem,) = err.value.problems
    return str(problem)


def test_yaml_scan_allows_small_aliases_and_refuses_recursive_and_deep_ones() -> None:
    limits = InputLimits()
    scan_yaml(
        "base: &b {side: labor}\npeople:\n  - {id: a, <<: *b}\n  - {id: c, <<: *b}\n",
        "w.yaml",
        limits,
    )
    many = "d: &d {side: labor}\npeople:\n" + "".join(
        f"  - {{id: p{i}, <<: *d}}\n" for i in range(40_000)
    )
    scan_yaml(many, "w.yaml", limits)  # 120,000 values from aliases, 160,000 written out
    recursive = "a: &a [1, *a]\n"
    assert "line 1: the alias *a refers to the value it is inside of" in _problem(
        lambda: scan_yaml(recursive, "w.yaml", limits)
    )
    deep = "x: " + "[" * 40 + "]" * 40 + "\n"
    assert "w.yaml, line 1: the values are nested more than 32 levels" in _problem(
        lambda: scan_yaml(deep, "w.yaml", limits)
    )
    block = "".join("  " * i + f"k{i}:\n" for i in range(40)) + "  " * 40 + "v\n"
    assert "nested more than 32 levels" in _problem(lambda: scan_yaml(block, "w.yaml", limits))


def test_json_depth_counts_brackets_outside_strings() -> None:
    limits = InputLimits(max_depth=3)
    check_json_depth('{"a": "[[[[[[", "b": [[1]]}', "d.json", limits)
    assert "d.json, line 2" in _problem(
        lambda: check_json_depth('{"a":\n[[[1]]]}', "d.json", limits)
    )


def test_xlsx_rows_are_counted_across_chunk_boundaries() -> None:
    rows = 60_000  # about 2.4 MB of sheet XML: three 1 MB chunks
    row = '<row r="{n}"><c><v>1</v></c></row>'
    sheet = "<sheetData>" + "".join(row.format(n=n) for n in range(rows)) + "</sheetData>"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    with zipfile.ZipFile(buf) as z:
        check_xlsx_rows(z, "r.xlsx", InputLimits(max_rows=rows - 1))
        assert "more than 59,998 rows" in _problem(
            lambda: check_xlsx_rows(z, "r.xlsx", InputLimits(max_rows=rows - 2))
        )


def test_scratch_folders_of_dead_processes_are_removed(tmp_path: Path) -> None:
    dead = tmp_path / "tmp" / "upload-999999-abc"
    dead.mkdir(parents=True)
    with scratch_dir(tmp_path, "upload") as mine:
        assert not dead.exists()
        assert clean_stale(tmp_path) == []  # our own folder is alive
        assert mine.exists()
    assert not mine.exists()


def test_load_json_refuses_deep_values_at_their_line() -> None:
    limits = InputLimits(max_depth=3)
    assert load_json('{"a": "[[[[[[", "b": [[1]]}', "d.json", limits) == {
        "a": "[[[[[[",
        "b": [[1]],
    }
    assert "d.json, line 2" in _problem(lambda: load_json('{"a":\n[[[1]]]}', "d.json", limits))
    # deeper than the parser itself goes: still the located problem, no RecursionError
    deep = "[" * 100_000 + "]" * 100_000
    assert "nested more than 3 levels" in _problem(lambda: load_json(deep, "d.json", limits))
    # too deep before a syntax error: the depth is what is reported
    assert "nested more than 3 levels" in _problem(
        lambda: load_json('{"a": [[[[1]]]], "b": }', "d.json", limits)
    )
