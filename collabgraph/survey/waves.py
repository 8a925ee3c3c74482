"""A survey wave's response and figures in the network report of that wave.

The network analysis (:mod:`collabgraph.network`) works on the district's ties
alone; a tie survey adds what the ties cannot say: who was asked and who
answered. :func:`survey_waves` reads, for every survey of a district, the
response (overall and per school, flagging the schools under ``threshold``) and
the figures that allow for non-respondents (see :mod:`collabgraph.survey.report`);
:func:`with_surveys` puts them into a network report: the report's own wave,
each wave of ``per_wave``, and the change between consecutive waves.

Kept out of :mod:`collabgraph.survey`'s own imports: only commands that analyze
load the network analysis.

Examples
--------
>>> from collabgraph.graph import workbook_to_graph
>>> from collabgraph.model import District, Workbook
>>> from collabgraph.network import analyze_network
>>> report = analyze_network(workbook_to_graph(Workbook(district=District(id="d", name="D"))))
>>> with_surveys(report, {}).survey is None
True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from collabgraph.errors import CollabGraphError
from collabgraph.network.report import NetworkReport
from collabgraph.network.response import SchoolResponse, SurveyWave, survey_delta
from collabgraph.store.base import Store
from collabgraph.survey.lifecycle import list_surveys
from collabgraph.survey.report import DEFAULT_THRESHOLD, SurveyStatus, survey_status

__all__ = ["explain_wave", "survey_wave", "survey_waves", "with_surveys"]

_FEW = "fewer than two respondents"


def _wave_of(st: SurveyStatus, threshold: float) -> SurveyWave:
    f = st.figures
    undefined = {}
    if st.rate is None:
        undefined["response_rate"] = "nobody was asked"
    for name in ("density_respondents", "one_sided_share", "reciprocity"):
        if getattr(f, name) is None:
            undefined[name] = _FEW if f.responded < 2 else "no ties among respondents"
    if f.density_roster is None:
        undefined["density_roster"] = "fewer than two people on the roster"
    return SurveyWave(
        wave=st.wave,
        state=st.state,
        asked=st.asked,
        responded=st.responded,
        roster=f.roster,
        response_rate=st.rate,
        density_respondents=f.density_respondents,
        density_roster=f.density_roster,
        one_sided_share=f.one_sided_share,
        reciprocity=f.reciprocity,
        threshold=threshold,
        schools=[
            SchoolResponse(
                school=s.school,
                asked=s.asked,
                responded=s.responded,
                rate=s.rate,
                below_threshold=s.below_threshold,
            )
            for s in st.schools
        ],
        below_threshold=[s.school for s in st.schools if s.below_threshold],
        undefined=undefined,
    )


def survey_wave(
    store: Store, district: str, wave: str, threshold: float = DEFAULT_THRESHOLD
) -> SurveyWave:
    """How one survey wave was answered, and its figures."""
    return _wave_of(survey_status(store, district, wave, threshold), threshold)


def survey_waves(
    store: Store, district: str, threshold: float = DEFAULT_THRESHOLD
) -> dict[str, SurveyWave]:
    """Every survey wave of a district by wave label (none on a store that keeps no surveys)."""
    from collabgraph.store.falkor import FalkorStore

    if not isinstance(getattr(store, "inner", store), FalkorStore):
        return {}
    return {
        row["wave"]: survey_wave(store, district, row["wave"], threshold)
        for row in list_surveys(store, district)
    }


def with_surveys(report: NetworkReport, surveys: Mapping[str, SurveyWave]) -> NetworkReport:
    """The report with each survey wave's response and figures in place."""
    if not surveys:
        return report
    per_wave = [w.model_copy(update={"survey": surveys.get(w.wave)}) for w in report.per_wave]
    changes = [
        c.model_copy(
            update={
                "delta": {**c.delta, **survey_delta(surveys.get(c.before), surveys.get(c.after))}
            }
        )
        for c in report.changes
    ]
    update: dict[str, Any] = {"per_wave": per_wave, "changes": changes}
    if report.wave is not None:
        update["survey"] = surveys.get(report.wave)
    return report.model_copy(update=update)


def explain_wave(
    surveys: Mapping[str, SurveyWave], wave: str | None, exc: CollabGraphError
) -> Exception:
    """A clearer error for a wave with no ties yet whose survey is still open."""
    found = surveys.get(wave) if wave is not None else None
    if found is None or found.state == "closed":
        return exc
    return CollabGraphError(
        f"the survey of wave {wave!r} is {found.state}: its answers become the wave's ties "
        f"when it closes (collabgraph survey close ... --wave {wave}); meanwhile `collabgraph "
        f"survey status` shows its response rate ({found.responded} of {found.asked} so far)"
    )
