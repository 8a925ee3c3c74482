"""A big survey for the close tests and the benchmark: n reps, `per` answers each, submitted."""

from __future__ import annotations

from collabgraph.errors import Location
from collabgraph.store.base import Store
from collabgraph.survey import AnswerSet, SurveySpec, create_survey, issue_links, save_answers
from collabgraph.workbook import validate_document
from collabgraph.workbook.document import document_from_mapping
from tests.survey.conftest import golden_doc

QUESTIONS = ("q-data", "q-curriculum", "q-articulation", "q-instruction", "q-mentoring", "q-union")
FREQS = ("daily", "weekly", "monthly", "quarterly")


def big_survey(store: Store, district: str, n: int = 1000, per: int = 10, wave: str = "w1") -> int:
    """Load a district of ``n`` reps, create its survey and answer it; the ties closing gives."""
    doc = golden_doc(district, extra_people=n - 6)
    store.upsert_workbook(
        validate_document(document_from_mapping(doc, district, lambda p: Location()))
    )
    return answered_survey(store, district, per=per, wave=wave)


def answered_survey(store: Store, district: str, per: int = 10, wave: str = "w1") -> int:
    """Create a survey of ``wave`` in a loaded district and have every rep answer ``per``
    names, submitted; the ties closing gives."""
    create_survey(store, SurveySpec(district=district, wave=wave))
    links = issue_links(store, district, wave)
    ids = [x.id for x in links]
    ties = 0
    for i, x in enumerate(links):
        answers = [
            {
                "question": QUESTIONS[k % len(QUESTIONS)],
                "person": ids[(i + 1 + k) % len(ids)],
                "frequency": FREQS[(i + k) % len(FREQS)],
            }
            for k in range(per)
        ]
        save_answers(
            store, x.token, AnswerSet.model_validate({"answers": answers, "submitted": True})
        )
        ties += per
    return ties
