"""Property-based tests: random valid workbooks round-trip; random damage never crashes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collabgraph.errors import WorkbookError
from collabgraph.model import Cadence, PositionKind, SchoolLevel, Side, TeamKind, Workbook
from collabgraph.workbook import Encoding, load_workbook, write_workbook
from collabgraph.workbook.document import parse_json, parse_yaml
from collabgraph.workbook.validate import validate_document
from tests.conftest import MINI

ids = st.from_regex(r"[a-z][a-z0-9\-]{0,11}", fullmatch=True)
# Names from many scripts, with accents and apostrophes; no control characters.
names = (
    st.text(
        alphabet=st.characters(
            codec="utf-8",
            categories=["L", "M", "N", "P", "S", "Zs"],
            exclude_characters="\u2028\u2029",
        ),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)
sides = st.sampled_from([s.value for s in Side])


@st.composite
def workbooks(draw: st.DrawFn) -> dict[str, Any]:
    """A random workbook document that is valid by construction."""
    school_ids = draw(st.lists(ids, unique=True, max_size=5))
    people_ids = draw(st.lists(ids, unique=True, min_size=2, max_size=8))
    doc: dict[str, Any] = {
        "format": "collabgraph/1",
        "district": {"id": draw(ids), "name": draw(names)},
        "schools": [
            {
                "id": s,
                "name": draw(names),
                "level": draw(st.sampled_from(list(SchoolLevel))).value,
                **({"represented_staff": draw(st.integers(0, 500))} if draw(st.booleans()) else {}),
            }
            for s in school_ids
        ],
        "people": [{"id": p, "name": draw(names), "side": draw(sides)} for p in people_ids],
    }
    positions = []
    for i, holder in enumerate(draw(st.lists(st.sampled_from(people_ids), max_size=6))):
        kind = draw(
            st.sampled_from(
                [
                    PositionKind.PRESIDENT,
                    PositionKind.SUPERINTENDENT,
                    PositionKind.OFFICER,
                    PositionKind.CABINET,
                ]
            )
        )
        side = "labor" if kind in {PositionKind.PRESIDENT, PositionKind.OFFICER} else "management"
        positions.append(
            {
                "id": f"pos-{i}",
                "title": draw(names),
                "side": side,
                "kind": kind.value,
                "holder": holder,
                "portfolio": draw(
                    st.lists(st.sampled_from(["curriculum", "mentoring"]), unique=True, max_size=2)
                ),
            }
        )
    doc["positions"] = positions
    teams = [
        {
            "id": f"team-{i}",
            "name": draw(names),
            "level": "district",
            "kind": draw(st.sampled_from([TeamKind.DLT, TeamKind.WORKING_COMMITTEE])).value,
            **({"decision_step": draw(st.integers(1, 7))} if draw(st.booleans()) else {}),
        }
        for i in range(draw(st.integers(0, 3)))
    ]
    doc["teams"] = teams
    if teams:
        seats = draw(
            st.lists(
                st.tuples(st.sampled_from(people_ids), st.sampled_from([t["id"] for t in teams])),
                unique=True,
                max_size=6,
            )
        )
        doc["memberships"] = [
            {"person": p, "team": t, "role": draw(st.sampled_from(["chair", "co_chair", "member"]))}
            for p, t in seats
        ]
    mgmt = [p["id"] for p in positions if p["side"] == "management"]
    labor = [p["id"] for p in positions if p["side"] == "labor"]
    if mgmt and labor:
        doc["meetings"] = [
            {
                "id": "m-1",
                "name": draw(names),
                "cadence": draw(st.sampled_from(list(Cadence))).value,
                "attendees": [mgmt[0], labor[0]],
                "last_held": "2026-01-05",
            }
        ]
        doc["counterparts"] = [{"management": mgmt[0], "labor": labor[0]}]
    pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(people_ids), st.sampled_from(people_ids)).filter(
                lambda ab: ab[0] != ab[1]
            ),
            unique=True,
            max_size=10,
        )
    )
    doc["ties"] = [
        {
            "source": a,
            "target": b,
            "weight": draw(st.floats(0.01, 1.0, allow_nan=False, allow_infinity=False)),
            **({"wave": draw(st.sampled_from(["2023", "2024"]))} if draw(st.booleans()) else {}),
            **({"topic": "curriculum"} if draw(st.booleans()) else {}),
        }
        for a, b in pairs
    ]
    return doc


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(doc=workbooks())
def test_random_valid_workbooks_round_trip(doc: dict[str, Any], tmp_path: Path) -> None:
    source = tmp_path / "source.yaml"
    source.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    wb = load_workbook(source)
    for enc in (Encoding.YAML, Encoding.JSON):
        again = load_workbook(write_workbook(wb, tmp_path / f"again.{enc.value}", enc))
        assert again == wb


def _mutations() -> st.SearchStrategy[Any]:
    junk = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=8),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    )
    return st.tuples(st.integers(0, 10_000), st.sampled_from(["set", "delete", "add"]), junk)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _damage(doc: Any, mutations: list[tuple[int, str, Any]]) -> Any:
    for pick, action, junk in mutations:
        paths = _paths(doc)
        path = paths[pick % len(paths)]
        if not path:
            doc = junk
            continue
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        if action == "set":
            parent[last] = junk
        elif action == "delete":
            del parent[last]
        elif isinstance(parent, dict):
            parent[f"extra{pick % 7}"] = junk
        else:
            parent.append(junk)
    return doc


@settings(max_examples=150, deadline=None)
@given(mutations=st.lists(_mutations(), min_size=1, max_size=4))
def test_random_damage_is_always_a_report(mutations: list[tuple[int, str, Any]]) -> None:
    damaged = _damage(copy.deepcopy(MINI), mutations)
    for text, parse in (
        (yaml.safe_dump(damaged, allow_unicode=True), parse_yaml),
        (json.dumps(damaged, ensure_ascii=False), parse_json),
    ):
        try:
            result = validate_document(parse(text, "damaged"))
        except WorkbookError as err:
            assert err.problems, "a rejected workbook always says why"
            for problem in err.problems:
                assert problem.message
                assert str(problem.location)
        else:
            assert isinstance(result, Workbook)


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=200))
def test_random_bytes_never_crash(data: bytes, tmp_path_factory: Any) -> None:
    path = tmp_path_factory.mktemp("bytes") / "junk.yaml"
    path.write_bytes(data)
    try:
        load_workbook(path)
    except WorkbookError as err:
        assert err.problems
