"""Surveys in the graph store, next to their district.

Every survey of a district lives in one graph of its own on the embedded store,
``collabgraph-survey:<district>`` (beside ``collabgraph:<district>``), so a
workbook load or a row edit of the district never touches a survey, and a
respondent's save never changes the district's revision. Nodes:

* ``Survey {key: wave}``: settings (the :class:`~collabgraph.survey.model.SurveySpec`
  as JSON), state, whether an answer arrived;
* ``SurveyPerson {key: wave|id}``: the roster as it was when the survey was created;
* ``Respondent {key: wave|id}``: who is asked, the SHA-256 of its link's token,
  revoked or not, saved and submitted;
* ``(Respondent)-[:NAMED {question, frequency}]->(SurveyPerson)``: an answer;
* ``(Respondent)-[:WROTE]->(WriteIn)``: a name that is not on the roster.

Deleting the district (:meth:`~collabgraph.store.falkor.FalkorStore.delete_district`)
deletes its survey graph too.

Every save of a respondent is one statement (:file:`cypher/survey/save_survey_answers.cypher`)
that checks the link and the survey's state and replaces that respondent's
answers; FalkorDB applies a statement whole, so a save is all or nothing.

Examples
--------
>>> survey_graph("abc-unified")
'collabgraph-survey:abc-unified'
>>> person_key("2026-fall", "p-1")
'2026-fall|p-1'
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final

import redis

from collabgraph.cypher import schema_statements, statement
from collabgraph.store.base import Store, StoreError, StoreUnavailable, one_line
from collabgraph.store.keys import SURVEY_PREFIX

if TYPE_CHECKING:
    from collabgraph.store.falkor import FalkorStore

__all__ = ["SURVEY_GRAPH_PREFIX", "SurveyGraph", "person_key", "survey_graph"]

SURVEY_GRAPH_PREFIX: Final = SURVEY_PREFIX


def survey_graph(district: str) -> str:
    """The key of a district's survey graph."""
    return SURVEY_GRAPH_PREFIX + district


def person_key(wave: str, ident: str) -> str:
    """The key of a roster person or a respondent within a survey graph."""
    return f"{wave}|{ident}"


class SurveyGraph:
    """Named statements from ``cypher/survey/`` against one district's survey graph.

    Parameters
    ----------
    store : Store
        The embedded store (surveys are not yet kept on Neo4j).
    district : str
        The district id.
    """

    def __init__(self, store: Store, district: str) -> None:
        from collabgraph.store.falkor import FalkorStore

        store = getattr(store, "inner", store)  # the API's per-request guard wraps the store
        if not isinstance(store, FalkorStore):
            raise StoreError(
                "surveys are kept on the embedded store only for now; unset NEO4J_URI to "
                "run a survey"
            )
        self.store: FalkorStore = store
        self.district = district
        self.key = survey_graph(district)

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except (redis.ConnectionError, redis.TimeoutError, ConnectionError) as exc:
            raise StoreUnavailable(
                f"lost the embedded store while {doing}: {one_line(exc)}"
            ) from exc
        except redis.ResponseError as exc:
            raise StoreError(f"the store refused {doing}: {one_line(exc)}") from exc

    def exists(self) -> bool:
        """Whether the district has any survey yet."""
        with self._errors("looking up surveys"):
            return bool(self.store.r.exists(self.key))

    def ensure_schema(self) -> None:
        """Create the survey graph's indexes (idempotent)."""
        graph = self.store.db.select_graph(self.key)
        for text in schema_statements("survey_falkordb"):
            try:
                graph.query(text)
            except redis.ResponseError as exc:
                if "already indexed" not in str(exc):
                    raise StoreError(f"cannot index the survey graph: {one_line(exc)}") from exc

    def run(
        self,
        name: str,
        params: Mapping[str, Any] | None = None,
        *,
        write: bool = False,
        known: bool = False,
    ) -> list[dict[str, Any]]:
        """Run ``cypher/survey/<name>.cypher``; rows as dicts (none when no survey exists;
        ``known``: the caller has just seen one, so a read need not check first)."""
        text = statement(f"survey/{name}")
        with self._errors(f"survey statement {name!r}"):
            if not write and not known and not self.store.r.exists(self.key):
                return []
            graph = self.store.db.select_graph(self.key)
            result = (
                graph.query(text, dict(params or {}))
                if write
                else graph.ro_query(text, dict(params or {}))
            )
        names = [str(h[1]) for h in result.header]
        return [dict(zip(names, row, strict=True)) for row in result.result_set]

    def delete(self) -> bool:
        """Remove every survey of the district; ``False`` when there was none."""
        with self._errors("deleting surveys"):
            return bool(self.store.r.delete(self.key))


def dumps(value: Any) -> str:
    """Compact, stable JSON for a stored setting.

    >>> dumps({"b": 1, "a": [2]})
    '{"a":[2],"b":1}'
    """
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
