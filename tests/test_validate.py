"""Validation of YAML and JSON workbooks: every bad-input case, with its place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from collabgraph.errors import WorkbookError
from collabgraph.model import FORMAT, Side, Workbook
from collabgraph.workbook import dump_json, dump_yaml, load_workbook, write_workbook


def problems(path: Path) -> list[tuple[str, str, str]]:
    """(where, message, code) of every problem the loader reports for ``path``."""
    with pytest.raises(WorkbookError) as info:
        load_workbook(path)
    return [(str(p.location), p.message, p.code) for p in info.value.problems]


def only(path: Path) -> tuple[str, str, str]:
    found = problems(path)
    assert len(found) == 1, found
    return found[0]


def test_valid_workbook_loads_with_every_section(mini: dict[str, Any], write_yaml: Any) -> None:
    wb = load_workbook(write_yaml(mini))
    assert wb.counts() == {
        "district": 1,
        "schools": 2,
        "organizations": 3,
        "topics": 2,
        "priorities": 1,
        "people": 5,
        "positions": 4,
        "teams": 3,
        "memberships": 4,
        "meetings": 1,
        "counterparts": 1,
        "ties": 3,
    }
    assert [p.name for p in wb.people][:4] == [
        "Zoë O'Brien",
        "José Núñez",
        "山田 太郎",
        "Ольга Петрова",
    ]
    # A frequency without a weight gives the frequency's weight.
    assert wb.ties[1].weight == 0.75
    assert wb.ties[2].weight == 1.0
    assert wb.person_side("p-rep1") is Side.LABOR
    assert wb.person_side("p-teacher") is Side.LABOR


def test_unknown_reference_names_the_row_and_line(mini: dict[str, Any], write_yaml: Any) -> None:
    mini["memberships"][2]["team"] = "slt-grnat"
    where, message, code = only(write_yaml(mini))
    assert where.endswith("at memberships[2].team")
    assert ", line " in where
    assert message == "unknown team 'slt-grnat': no team with that id (did you mean 'slt-grant'?)"
    assert code == "unknown_reference"


def test_duplicate_id_points_at_both_places(mini: dict[str, Any], write_yaml: Any) -> None:
    mini["schools"].append(dict(mini["schools"][0]))
    where, message, code = only(write_yaml(mini))
    assert where.endswith("at schools[2].id")
    assert "duplicate id 'lincoln-es' in schools (first used at" in message
    assert "schools[0]" in message
    assert code == "duplicate_id"


def test_bad_enum_lists_allowed_values_and_suggests(mini: dict[str, Any], write_yaml: Any) -> None:
    mini["teams"][1]["kind"] = "SLTT"
    where, message, code = only(write_yaml(mini))
    assert where.endswith("at teams[1].kind")
    assert message.startswith("'SLTT' is not an allowed kind value")
    for allowed in ("'dlt'", "'slt'", "'working_committee'", "'plc'", "'task_force'"):
        assert allowed in message
    assert code == "bad_enum"


def test_self_tie(mini: dict[str, Any], write_yaml: Any) -> None:
    mini["ties"][0]["target"] = "p-rep1"
    where, message, code = only(write_yaml(mini))
    assert where.endswith("at ties[0].target")
    assert message == "a person cannot have a tie to themselves ('p-rep1')"
    assert code == "self_tie"


@pytest.mark.parametrize(("weight", "shown"), [(0, "0"), (-0.2, "-0.2")])
def test_tie_weight_out_of_range(
    mini: dict[str, Any], write_yaml: Any, weight: float, shown: str
) -> None:
    mini["ties"][0]["weight"] = weight
    where, message, _ = only(write_yaml(mini))
    assert where.endswith("at ties[0].weight")
    assert message == f"'weight' is {shown}, out of range: it must be > 0.0 and ≤ 1000000"


def test_tie_weight_above_the_scale(mini: dict[str, Any], write_yaml: Any) -> None:
    mini["ties"][0]["weight"] = 1.5
    where, message, code = only(write_yaml(mini))
    assert where.endswith("at ties[0].weight") and code == "out_of_range"
    assert message.startswith("weight 1.5 is above the district's tie scale (1, the default)")
    mini["district"]["tie_scale"] = 5
    mini["ties"][0]["weight"] = 7
    assert "tie scale (5)" in only(write_yaml(mini))[1]


def test_tie_weights_on_a_scale_are_normalized_in_the_analysis(
    mini: dict[str, Any], write_yaml: Any
) -> None:
    from collabgraph.graph import workbook_to_graph
    from collabgraph.network import analyze_network
    from collabgraph.workbook import load_workbook

    plain = analyze_network(workbook_to_graph(load_workbook(write_yaml(mini, "a.yaml"))))
    mini["district"]["tie_scale"] = 5
    for tie in mini["ties"]:
        if "weight" in tie:
            tie["weight"] = tie["weight"] * 5
    wb = load_workbook(write_yaml(mini, "b.yaml"))
    # a weight taken from the frequency is put on the scale too
    freq = [t for t in wb.ties if t.frequency is not None]
    assert all(t.weight == t.frequency.weight * 5 for t in freq if t.frequency)
    scaled = analyze_network(workbook_to_graph(wb))
    assert scaled.observed.weighted_density == pytest.approx(plain.observed.weighted_density)


def test_tie_weight_not_a_number(mini: dict[str, Any], write_yaml: Any) -> None:
    mini["ties"][0]["weight"] = "strong"
    _, message, _ = only(write_yaml(mini))
    assert message == "'weight' must be a number, got text 'strong'"


def test_missing_required_field(mini: dict[str, Any], write_yaml: Any) -> None:
    del mini["positions"][1]["side"]
    where, message, code = only(write_yaml(mini))
    assert where.endswith("at positions[1].side")
    assert message == "required field 'side' is missing"
    assert code == "missing"


def test_wrong_type_suggests_quotes(mini: dict[str, Any], write_yaml: Any) -> None:
    mini["schools"][0]["id"] = 12
    found = problems(write_yaml(mini))
    assert ("'id' must be text, got number 12 (put it in quotes)") in [m for _, m, _ in found]


def test_unknown_field_suggests_the_right_one(mini: dict[str, Any], write_yaml: Any) -> None:
    mini["schools"][0]["levle"] = "high"
    found = problems(write_yaml(mini))
    messages = [m for _, m, _ in found]
    assert "unknown field 'levle' (did you mean 'level'?)" in messages


def test_every_problem_is_reported_in_one_run(mini: dict[str, Any], write_yaml: Any) -> None:
    mini["teams"][1]["kind"] = "committee"
    mini["ties"][0]["target"] = "p-rep1"
    mini["memberships"][0]["team"] = "nope"
    mini["people"].append({"id": "p-supt", "name": "Again", "side": "labor"})
    codes = sorted(code for _, _, code in problems(write_yaml(mini)))
    assert codes == ["bad_enum", "duplicate_id", "self_tie", "unknown_reference"]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("\n  \n", "utf-8")
    assert only(path) == (str(path), "the file is empty", "empty_file")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("format: collabgraph/1\ndistrict: {id: d, name: Bézier}\n".encode("latin-1"))
    where, message, code = only(path)
    assert where == f"{path}, line 2"
    assert message.startswith("the file is not UTF-8 text (byte 0xe9")
    assert code == "not_utf8"


def test_unknown_format_version(mini: dict[str, Any], write_yaml: Any) -> None:
    mini["format"] = "collabgraph/2"
    where, message, code = only(write_yaml(mini))
    assert where.endswith("at format")
    assert message == (
        "unknown format 'collabgraph/2': this version of collabgraph reads 'collabgraph/1'"
    )
    assert code == "bad_format"


def test_missing_format_tag(mini: dict[str, Any], write_yaml: Any) -> None:
    del mini["format"]
    _, message, code = only(write_yaml(mini))
    assert code == "missing_format"
    assert "format: collabgraph/1" in message


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("format: collabgraph/1\ndistrict:\n  id: [unclosed\n  name: x\n", "utf-8")
    where, message, code = only(path)
    assert where.startswith(f"{path}, line ")
    assert message.startswith("this is not valid YAML")
    assert code == "syntax"


def test_yaml_duplicate_key_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(
        "format: collabgraph/1\ndistrict: {id: d, name: D}\nschools: []\nschools: []\n", "utf-8"
    )
    where, _, code = only(path)
    assert where == f"{path}, line 4, at schools"
    assert code == "duplicate_key"


def test_json_reports_paths(mini: dict[str, Any], tmp_path: Path) -> None:
    mini["schools"][1]["level"] = "college"
    path = tmp_path / "d.json"
    path.write_text(json.dumps(mini), "utf-8")
    where, message, _ = only(path)
    assert where == f"{path}, at schools[1].level"
    assert "'college' is not an allowed level value" in message


def test_json_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text('{"format": "collabgraph/1",\n "district": }', "utf-8")
    where, message, _ = only(path)
    assert where == f"{path}, line 2"
    assert message.startswith("this is not valid JSON: Expecting value")


def test_unknown_section_and_top_level_shape(mini: dict[str, Any], write_yaml: Any) -> None:
    mini["shools"] = []
    _, message, code = only(write_yaml(mini))
    assert message == "unknown section 'shools' (did you mean 'schools'?)"
    assert code == "unknown_section"
    _, message, _ = only(write_yaml(["not", "a", "mapping"], "list.yaml"))
    assert message.startswith("the workbook must be a mapping")


def test_side_rules(mini: dict[str, Any], write_yaml: Any) -> None:
    mini["counterparts"][0] = {"management": "president", "labor": "supt"}
    mini["positions"][0]["organization"] = "mta"
    messages = [m for _, m, _ in problems(write_yaml(mini))]
    assert (
        "position is on side 'management' but its organization 'mta' is on side 'labor'" in messages
    )
    assert (
        "position 'president' is on side 'labor'; the 'management' column takes a management "
        "position" in messages
    )
    assert len(messages) == 3


def test_structure_rules(mini: dict[str, Any], write_yaml: Any) -> None:
    mini["teams"][1]["level"] = "district"
    del mini["teams"][1]["school"]
    mini["teams"][2]["overseen_by"] = ["sped-cmte"]
    del mini["positions"][2]["school"]
    mini["people"][4].pop("side")
    messages = sorted(m for _, m, _ in problems(write_yaml(mini)))
    assert messages == sorted(
        [
            "a School Leadership Team (slt) must have level 'school'",
            "a team cannot oversee itself",
            "a building_rep position must name its school",
            "a school-level position must name its school",
            "person 'p-teacher' holds no position, so give their side "
            "(management, labor, board, community, external)",
        ]
    )


def test_missing_path_and_bad_suffix(tmp_path: Path) -> None:
    assert only(tmp_path / "nope.yaml")[1] == "no such file or folder"
    odd = tmp_path / "district.txt"
    odd.write_text("x", "utf-8")
    assert "cannot tell the workbook's format" in only(odd)[1]
    single = tmp_path / "schools.csv"
    single.write_text("id\n", "utf-8")
    assert "folder with one CSV file per section" in only(single)[1]


def test_round_trip_yaml_and_json(mini: dict[str, Any], write_yaml: Any, tmp_path: Path) -> None:
    wb = load_workbook(write_yaml(mini))
    again_yaml = load_workbook(write_workbook(wb, tmp_path / "again.yaml"))
    again_json = load_workbook(write_workbook(wb, tmp_path / "again.json"))
    assert again_yaml == wb
    assert again_json == wb
    assert dump_yaml(again_yaml) == dump_yaml(wb)
    assert json.loads(dump_json(wb))["format"] == FORMAT


def test_workbook_equality_is_structural(mini: dict[str, Any], write_yaml: Any) -> None:
    wb = load_workbook(write_yaml(mini))
    assert isinstance(wb, Workbook)
    changed = dict(mini)
    changed["ties"] = mini["ties"][:2]
    assert load_workbook(write_yaml(changed, "other.yaml")) != wb


def test_duplicate_of_an_invalid_row_is_still_a_report(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(
        "format: collabgraph/1\ndistrict: {id: d, name: D}\nschools:\n"
        "  - {id: a, name: A, level: elementry}\n  - {id: a, name: A2, level: elementary}\n",
        "utf-8",
    )
    found = problems(path)
    assert [code for _, _, code in found] == ["bad_enum"]
