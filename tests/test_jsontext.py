"""The indented JSON writer: byte for byte what ``json.dumps`` writes."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collabgraph.jsontext import dumps_indented


def _stdlib(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2, allow_nan=False)


#: Text that looks like the numbers the writer rewrites, to be left alone inside strings.
_TRICKY = st.sampled_from(["1e-7", ": 1e-7", "0.00001", "x: 0.00001,", "e-5", "\\", '"', "\n"])
_TEXT = st.one_of(st.text(), _TRICKY, st.lists(_TRICKY).map("".join))
_FLOATS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=-1e-3, max_value=1e-3, allow_nan=False),
)
_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), _FLOATS, _TEXT),
    lambda inner: st.one_of(st.lists(inner), st.dictionaries(_TEXT, inner)),
    max_leaves=40,
)


@given(_VALUES)
@settings(max_examples=200, deadline=None)
def test_same_text_as_json_dumps(payload: Any) -> None:
    assert dumps_indented(payload) == _stdlib(payload)


def test_small_floats_are_spelled_as_python_does() -> None:
    payload = {"betweenness": [1e-05, 7.346847164694338e-05, 3e-09, 0.0001, 0.5], "n": 2}
    text = dumps_indented(payload)
    assert "1e-05" in text and "7.346847164694338e-05" in text and "3e-09" in text
    assert text == _stdlib(payload)


def test_what_orjson_refuses_goes_through_json() -> None:
    for payload in ({1: "a"}, [2**70], {"a": (1, 2)}):
        assert dumps_indented(payload) == _stdlib(payload)


def test_the_analysis_json_of_a_generated_district_is_unchanged() -> None:
    from collabgraph.counterparts import find_counterparts
    from collabgraph.gaps import find_gaps
    from collabgraph.generate import generate_workbook
    from collabgraph.graph import workbook_to_graph
    from collabgraph.network import analyze_network

    graph = workbook_to_graph(generate_workbook(20, seed=5, waves=2))
    payload = {
        "network": analyze_network(graph).model_dump(mode="json"),
        "gaps": find_gaps(graph).model_dump(mode="json"),
        "counterparts": find_counterparts(graph).model_dump(mode="json"),
    }
    assert dumps_indented(payload) == _stdlib(payload)


def test_refuses_what_json_dumps_refuses() -> None:
    for bad in ([float("nan")], {"x": float("inf")}, {"x": -float("inf")}):
        with pytest.raises(ValueError, match="not JSON compliant"):
            dumps_indented(bad)
    with pytest.raises(TypeError):
        dumps_indented({"x": object()})
