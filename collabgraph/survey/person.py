"""One person's survey data: what a person export shows, and what an erasure removes.

A person appears in a district's surveys as a respondent (their link, their
saves and answers, the write-ins they added), as a roster entry others can
name, in write-ins matched to them or carrying their name, and in the list of
people asked when a survey names its respondents one by one. The export gives
their own answers in full and the answers naming them without who gave them
(that is the other respondent's data); the erasure removes all of it.
"""

from __future__ import annotations

import json
from typing import Any

from collabgraph.store.base import Store
from collabgraph.survey.storage import SurveyGraph, dumps

__all__ = ["erase_survey_person", "survey_person_rows"]


def _graph(store: Store, district: str) -> SurveyGraph | None:
    """The district's survey graph, or ``None`` when it has none (or the store keeps none)."""
    from collabgraph.store.falkor import FalkorStore

    if not isinstance(getattr(store, "inner", store), FalkorStore):
        return None  # surveys are kept on the embedded store only
    graph = SurveyGraph(store, district)
    return graph if graph.exists() else None


def survey_person_rows(store: Store, district: str, person: str, name: str) -> dict[str, Any]:
    """What the district's surveys hold about ``person`` (``name``: their display name).

    Returns
    -------
    dict
        ``answers`` (what they answered), ``named_in`` (answers naming them, without
        the respondent), ``write_ins`` (theirs, or matched to them / carrying their
        name), ``asked`` (the waves whose list of respondents names them).
    """
    graph = _graph(store, district)
    if graph is None:
        return {"answers": [], "named_in": [], "write_ins": [], "asked": []}
    params = {"person": person, "name": name.casefold()}
    return {
        "answers": graph.run("read_person_survey_answers", params),
        "named_in": graph.run("read_person_survey_mentions", params),
        "write_ins": graph.run("read_person_survey_write_ins", params),
        "asked": [wave for wave, _ in _specs_naming(graph, person)],
    }


def _specs_naming(graph: SurveyGraph, person: str) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for row in graph.run("read_survey_specs"):
        spec = json.loads(row["spec"]) if isinstance(row["spec"], str) else {}
        if person in spec.get("respondent_ids", []):
            found.append((str(row["wave"]), spec))
    return found


def erase_survey_person(store: Store, district: str, person: str, name: str) -> int:
    """Remove ``person`` from every survey of ``district``; how many records went.

    Idempotent: a second run removes nothing. The answers others gave naming the
    person go with their roster entry; ties already made from a closed survey are
    district ties, removed with the person's row.
    """
    graph = _graph(store, district)
    if graph is None:
        return 0
    params = {"person": person, "name": name.casefold()}
    removed = 0
    for statement in ("delete_person_survey_write_ins", "delete_person_survey_rows"):
        rows = graph.run(statement, params, write=True)
        removed += int(rows[0]["removed"]) if rows else 0
    for wave, spec in _specs_naming(graph, person):
        spec["respondent_ids"] = [i for i in spec["respondent_ids"] if i != person]
        if not spec["respondent_ids"]:  # a list of one: the spec must still read back
            spec["respondents"] = "reps"
        graph.run("set_survey_spec_text", {"wave": wave, "spec": dumps(spec)}, write=True)
        removed += 1
    return removed
