"""Opening a draft survey: every respondent's first link, made exactly once.

A survey nobody has a link to yet is a *draft*
(:func:`collabgraph.survey.review.display_state`). :func:`open_links` gives each
respondent a first link with a statement that only sets a link where there is
none, so when two leaders (or a leader and a script) open the same survey at the
same moment, one gets every link and the other a clear refusal — never two
mail-merge files of which one silently no longer works. To replace links that
were sent, use :func:`collabgraph.survey.issue_links`.

Examples
--------
>>> from collabgraph.survey.errors import SurveyError
>>> issubclass(AlreadyOpen, SurveyError)
True
"""

from __future__ import annotations

from typing import Final

from collabgraph.store.base import Store
from collabgraph.survey.errors import SurveyError
from collabgraph.survey.lifecycle import IssuedLink, get_survey
from collabgraph.survey.model import SurveyState
from collabgraph.survey.storage import SurveyGraph, person_key
from collabgraph.survey.tokens import new_token, token_hash

__all__ = ["BATCH", "AlreadyOpen", "open_links"]

#: Respondents given their links per statement (the first batch decides who opened it).
BATCH: Final = 2000


class AlreadyOpen(SurveyError):
    """The survey's links were made already (perhaps by someone else a moment ago)."""

    def __init__(self, wave: str) -> None:
        super().__init__(
            f"the links of wave {wave!r} were already made (by someone else just now?); "
            "reload the page, and make new links only if the ones sent are lost"
        )


def open_links(store: Store, district: str, wave: str) -> list[IssuedLink]:
    """Every respondent's first link (the tokens, shown this once), sorted by name.

    Raises
    ------
    AlreadyOpen
        When a respondent already has a link: the survey was opened before.
    SurveyError
        When the survey is closed.
    """
    survey = get_survey(store, district, wave)
    if survey.state is not SurveyState.OPEN:
        raise SurveyError(f"wave {wave!r} is {survey.state.value}: reopen it first")
    graph = SurveyGraph(store, district)
    everyone = graph.run("read_survey_respondents", {"wave": wave})
    if any(r["has_link"] for r in everyone):
        raise AlreadyOpen(wave)
    links = [
        IssuedLink(id=r["id"], name=r["name"], school=r["school"] or "", token=new_token())
        for r in everyone
    ]
    for start in range(0, len(links), BATCH):
        part = links[start : start + BATCH]
        rows = [{"key": person_key(wave, x.id), "hash": token_hash(x.token)} for x in part]
        done = graph.run("set_survey_first_tokens", {"rows": rows}, write=True)
        if start == 0 and not done:  # another opener's first statement came first
            raise AlreadyOpen(wave)
        if len(done) != len(part):  # someone got a link meanwhile: theirs stands, not ours
            missed = {x.id for x in part} - {r["id"] for r in done}
            links = [x for x in links if x.id not in missed]
    return links
