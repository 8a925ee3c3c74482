"""How far a survey has got, and what its answers say, for an association leader.

Definitions (one pair counts once whatever the number of questions naming it):

* **response rate**: respondents who submitted / respondents asked;
* **density among respondents**: pairs of respondents tied in either direction
  / pairs of respondents, n(n-1)/2;
* **density among all rostered**: pairs of roster people tied in either direction
  / pairs of roster people (non-respondents' ties are only those others report,
  so this figure is a floor);
* **one-sided share**: among pairs of respondents tied in either direction, the
  share that only one of the two reported;
* **reciprocity**: among ties one respondent reported about another, the share
  the other reported back (2 x mutual pairs / reported ties).

Figures with no pairs to count are ``None``, never NaN.

Examples
--------
>>> r = wave_figures(asked=["a", "b", "c"], submitted={"a", "b"}, roster=["a", "b", "c"],
...                  pairs=[("a", "b"), ("b", "a"), ("a", "c")])
>>> r.response_rate, r.density_respondents, r.density_roster, r.reciprocity
(0.6667, 1.0, 0.6667, 1.0)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from pydantic import BaseModel, Field

from collabgraph.store.base import Store
from collabgraph.survey.lifecycle import counted_answers, get_survey
from collabgraph.survey.storage import SurveyGraph

__all__ = [
    "DEFAULT_THRESHOLD",
    "SchoolRate",
    "SurveyStatus",
    "WaveFigures",
    "survey_status",
    "wave_figures",
]

#: Schools whose response rate is under this share are flagged (``--threshold`` changes it).
DEFAULT_THRESHOLD: Final = 0.5


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


class WaveFigures(BaseModel):
    """The network figures of one survey wave (see the module's definitions)."""

    asked: int
    responded: int
    roster: int
    response_rate: float | None
    density_respondents: float | None = Field(description="Among respondents only.")
    density_roster: float | None = Field(description="Among all rostered people (a floor).")
    one_sided_share: float | None
    reciprocity: float | None


def wave_figures(
    *,
    asked: Iterable[str],
    submitted: set[str],
    roster: Iterable[str],
    pairs: Iterable[tuple[str, str]],
) -> WaveFigures:
    """The figures from who was asked, who submitted, the roster and the reported pairs."""
    asked_l, roster_s = list(asked), set(roster)
    resp = {a for a in asked_l if a in submitted}
    directed = {(a, b) for a, b in pairs if a != b and a in resp}
    und_roster = {frozenset(p) for p in directed if p[1] in roster_s and p[0] in roster_s}
    among = {p for p in directed if p[1] in resp}
    und_resp = {frozenset(p) for p in among}
    mutual = sum(1 for a, b in among if (b, a) in among) // 2
    n, nr = len(resp), len(roster_s)
    return WaveFigures(
        asked=len(asked_l),
        responded=n,
        roster=nr,
        response_rate=_ratio(n, len(asked_l)),
        density_respondents=_ratio(len(und_resp), n * (n - 1) // 2),
        density_roster=_ratio(len(und_roster), nr * (nr - 1) // 2),
        one_sided_share=_ratio(len(und_resp) - mutual, len(und_resp)),
        reciprocity=_ratio(2 * mutual, len(among)),
    )


class SchoolRate(BaseModel):
    """Response rate at one school."""

    school: str
    asked: int
    responded: int
    rate: float | None
    below_threshold: bool = False


class SurveyStatus(BaseModel):
    """Where a survey stands: rates, who has not answered, write-ins, figures."""

    district: str
    wave: str
    state: str
    asked: int
    responded: int
    started: int = Field(description="Saved at least once but not submitted.")
    rate: float | None
    schools: list[SchoolRate]
    not_answered: list[dict[str, Any]]
    write_ins: list[dict[str, Any]]
    figures: WaveFigures


def survey_status(
    store: Store, district: str, wave: str, threshold: float = DEFAULT_THRESHOLD
) -> SurveyStatus:
    """The status of a survey wave; schools under ``threshold`` are flagged.

    The figures count what a close turns into ties: the answers of respondents who
    submitted, and the write-ins the association matched to a roster person.
    """
    survey = get_survey(store, district, wave)
    graph = SurveyGraph(store, district)
    people = graph.run("read_survey_respondents", {"wave": wave})
    roster = [r["id"] for r in graph.run("read_survey_people", {"wave": wave})]
    submitted = {r["id"] for r in people if r["submitted"]}
    by_school: dict[str, list[int]] = {}
    for r in people:
        counts = by_school.setdefault(r["school"] or "(no school)", [0, 0])
        counts[0] += 1
        counts[1] += r["id"] in submitted
    schools = [
        SchoolRate(
            school=s,
            asked=a,
            responded=d,
            rate=_ratio(d, a),
            below_threshold=(d / a) < threshold if a else False,
        )
        for s, (a, d) in sorted(by_school.items())
    ]
    figures = wave_figures(
        asked=[r["id"] for r in people],
        submitted=submitted,
        roster=roster,
        pairs=[(a[0], a[2]) for a in counted_answers(store, district, wave)],
    )
    return SurveyStatus(
        district=district,
        wave=wave,
        state=survey.state.value,
        asked=len(people),
        responded=len(submitted),
        started=sum(1 for r in people if r["saved_at"] and r["id"] not in submitted),
        rate=_ratio(len(submitted), len(people)),
        schools=schools,
        not_answered=[
            {"id": r["id"], "name": r["name"], "school": r["school"], "revoked": r["revoked"]}
            for r in people
            if r["id"] not in submitted
        ],
        write_ins=graph.run("read_survey_write_ins", {"wave": wave}),
        figures=figures,
    )
