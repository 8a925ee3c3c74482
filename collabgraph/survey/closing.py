"""How a close writes a wave's ties: one statement, under the district's lock.

:func:`write_survey_ties` takes the answers that count (respondent, question,
person named, frequency) and, under the district's lock (the one loads and
row edits take), reads the district's people, scale and topics, checks that
the wave has no ties from elsewhere, and sends one statement
(:file:`cypher/survey/replace_survey_ties.cypher`) with the district's new
revision in one ``MULTI``/``EXEC``: on disk, whole or not at all, once it
returns.

The statement's parameters are sent as a ``CYPHER`` header. Every text value
(ids, topics, frequencies) goes through the FalkorDB client's own quoting; the
ties themselves are sent as a matrix of small integers (positions in those
lists), written with :func:`json.dumps` and refused unless the text is only
digits, commas and brackets — so no value of any row can break out of the
header, whatever the names in the district.

Examples
--------
>>> tie_matrix_text([[0, 1, 2, 3, 40]])
'[[0,1,2,3,40]]'
>>> tie_matrix_text([[0, "1"]])
Traceback (most recent call last):
...
collabgraph.survey.errors.SurveyError: a survey tie row holds something other than whole numbers
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

from pydantic import BaseModel, Field

from collabgraph.cypher import statement
from collabgraph.model import BUILTIN_TOPICS
from collabgraph.store.base import Store
from collabgraph.store.edits.plan import new_order
from collabgraph.store.rows import store_key
from collabgraph.survey.errors import SurveyError
from collabgraph.survey.model import ANSWER_WEIGHT, Question

if TYPE_CHECKING:
    from collabgraph.store.falkor import FalkorStore

__all__ = ["ORIGIN", "Written", "params_text", "tie_matrix_text", "write_survey_ties"]

#: The ``origin`` of every tie a survey writes.
ORIGIN: Final = "survey"

_MATRIX: Final = re.compile(r"[\d,\[\]]*")


class Written(BaseModel):
    """What the write did."""

    ties: int
    skipped: list[str] = Field(default_factory=list)


def tie_matrix_text(rows: Sequence[Sequence[int]]) -> str:
    """The tie rows as header text: only digits, commas and brackets, or refused."""
    text = json.dumps(rows, separators=(",", ":"))
    if not _MATRIX.fullmatch(text):
        raise SurveyError("a survey tie row holds something other than whole numbers")
    return text


def params_text(graph: Any, params: dict[str, Any], ties: Sequence[Sequence[int]]) -> str:
    """The ``CYPHER`` header of the close's statement: ``params`` quoted by the FalkorDB
    client (``graph`` is its graph object), then ``ties`` as checked whole numbers."""
    header: str = graph._build_params_header(params)
    return header + "ties=" + tie_matrix_text(ties) + " "


def _topic_rows(district: str, declared: set[str], questions: Sequence[Question]) -> list[Any]:
    rows = []
    for i, q in enumerate(questions):
        if q.topic in declared:
            continue
        props: dict[str, Any] = {
            "key": store_key(district, q.topic),
            "district": district,
            "id": q.topic,
            "name": BUILTIN_TOPICS.get(q.topic, q.topic.replace("-", " ").capitalize()),
            "seq": 100_000 + i,
        }
        if q.topic in BUILTIN_TOPICS:
            props["builtin"] = True
        rows.append({"key": props["key"], "props": props})
    return rows


def write_survey_ties(
    store: Store,
    district: str,
    wave: str,
    questions: Sequence[Question],
    answers: Iterable[Sequence[str]],
) -> Written:
    """Replace the wave's survey ties with the ``answers`` (respondent, question id, person,
    frequency); an answer naming the same person twice for one question counts once, one
    naming oneself or an unknown question not at all, one naming someone no longer in the
    district is skipped (and listed)."""
    from falkordb.query_result import QueryResult

    from collabgraph.store.falkor import VERSION_PREFIX, FalkorStore, graph_key

    inner: FalkorStore | Any = getattr(store, "inner", store)
    if not isinstance(inner, FalkorStore):  # surveys live on the embedded store only
        raise SurveyError("surveys are kept on the embedded store only for now")
    topic_of = {q.id: q.topic for q in questions}
    topics = list(dict.fromkeys(q.topic for q in questions))
    topic_ix = {t: i for i, t in enumerate(topics)}
    freqs = list(ANSWER_WEIGHT)
    freq_ix = {f: i for i, f in enumerate(freqs)}
    key = graph_key(district)
    graph = inner.db.select_graph(key)
    with (
        inner._district_lock(district),
        inner._errors(f"closing a survey of {district!r}"),
    ):
        result = inner._query(
            key,
            statement("survey/read_survey_district_facts"),
            {"wave": wave, "origin": ORIGIN},
            read_only=True,
        )
        rows_found = inner._rows(result)
        if not rows_found:
            raise SurveyError(f"district {district!r} is not in the store")
        facts = rows_found[0]
        if facts["others"]:
            raise SurveyError(
                f"district {district!r} already has {facts['others']} ties of wave {wave!r} "
                "that did not come from this survey (from the workbook or an edit): a wave's "
                "ties come from one place; give the survey another wave label, or remove "
                "those ties"
            )
        people = set(facts["people"])
        scale = float(facts["scale"] or 1.0)
        ids: dict[str, int] = {}
        rows: list[list[int]] = []
        seen: set[tuple[str, str, str]] = set()
        skipped: set[str] = set()
        first = new_order()  # after every row a load numbered
        topic_at = {q: topic_ix[t] for q, t in topic_of.items()}
        number, append, put = ids.setdefault, rows.append, seen.add
        for src, q, dst, f in answers:
            t = topic_at.get(q)
            if t is None or src == dst or (src, q, dst) in seen:
                continue
            put((src, q, dst))
            if src not in people or dst not in people:
                skipped.add(f"{src}>{dst}")
                continue
            append([number(src, len(ids)), number(dst, len(ids)), t, freq_ix[f], first + len(rows)])
        prefix = store_key(district, "")
        params = {
            "district": district,
            "replace": [1] if facts["ours"] else [],
            "wave": wave,
            "origin": ORIGIN,
            "gt": ">",
            "bar": "|",
            "keys": [prefix + p for p in ids],
            "ids": list(ids),
            "topics": topics,
            "freqs": freqs,
            "weights": [ANSWER_WEIGHT[f] * scale for f in freqs],
            "topic_rows": _topic_rows(district, set(facts["topics"]), questions),
        }
        text = params_text(graph, params, rows)
        with inner.r.pipeline(transaction=True) as raw:
            pipe: Any = raw  # redis-py's pipeline methods are untyped
            pipe.execute_command(
                "GRAPH.QUERY", key, text + statement("survey/replace_survey_ties"), "--compact"
            )
            pipe.set(VERSION_PREFIX + district, uuid.uuid4().hex)
            replies = pipe.execute(raise_on_error=False)
    failed = [r for r in replies if isinstance(r, Exception)]
    if failed:
        raise SurveyError(f"the store refused the survey's ties: {failed[0]}")
    written = int(inner._rows(QueryResult(graph, replies[0]))[0]["ties"])
    if written != len(rows):  # a person vanished (nothing was changed: see the statement)
        raise SurveyError(
            f"the district {district!r} changed while the survey closed; close it again"
        )
    return Written(ties=written, skipped=sorted(skipped))
