"""The tie survey: collect the natural network from the people in it.

An association creates a survey for a district and a wave, gives each
respondent a private link, watches who has answered, and closes the survey,
which turns the answers into ``TIE`` relationships of that wave.

* :mod:`~collabgraph.survey.model`: questions, settings, the frequency scale;
* :mod:`~collabgraph.survey.roster`: who is asked and who can be named;
* :mod:`~collabgraph.survey.tokens`: link tokens (kept as hashes);
* :mod:`~collabgraph.survey.storage`: the survey graph beside the district's;
* :mod:`~collabgraph.survey.lifecycle`: create, links, close, re-open;
* :mod:`~collabgraph.survey.answers`: a respondent's link, own answers, saves;
* :mod:`~collabgraph.survey.report`: response rates and the wave's figures;
* :mod:`~collabgraph.survey.links`: the mail-merge CSV and the printable sheet.
"""

from __future__ import annotations

from collabgraph.survey.answers import Link, LinkState, SaveRefused, find_link, save_answers
from collabgraph.survey.errors import SurveyClosed, SurveyError, SurveyExists, UnknownSurvey
from collabgraph.survey.lifecycle import (
    CloseResult,
    IssuedLink,
    Survey,
    close_survey,
    create_survey,
    get_survey,
    issue_links,
    reopen_survey,
)
from collabgraph.survey.model import (
    DEFAULT_QUESTIONS,
    Answer,
    AnswerSet,
    Question,
    SurveySpec,
    WriteIn,
)
from collabgraph.survey.report import SurveyStatus, survey_status, wave_figures

__all__ = [
    "DEFAULT_QUESTIONS",
    "Answer",
    "AnswerSet",
    "CloseResult",
    "IssuedLink",
    "Link",
    "LinkState",
    "Question",
    "SaveRefused",
    "Survey",
    "SurveyClosed",
    "SurveyError",
    "SurveyExists",
    "SurveySpec",
    "SurveyStatus",
    "UnknownSurvey",
    "WriteIn",
    "close_survey",
    "create_survey",
    "find_link",
    "get_survey",
    "issue_links",
    "reopen_survey",
    "save_answers",
    "survey_status",
    "wave_figures",
]
