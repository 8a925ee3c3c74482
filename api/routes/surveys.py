"""Tie surveys of a district, the association's side (JSON).

Create a survey, issue links, watch the response rate, review write-ins, close
it into the wave's ties, re-open it. Answers are named data: see the access
rules in ``docs/survey.md``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request
from pydantic import BaseModel, Field

from api.deps import PrincipalDep, SettingsDep, StoreDep
from api.errors import ApiError
from collabgraph.access.roles import Role
from collabgraph.model import Ident
from collabgraph.survey import (
    CloseResult,
    Survey,
    SurveyError,
    SurveyExists,
    SurveySpec,
    SurveyStatus,
    UnknownSurvey,
    close_survey,
    create_survey,
    get_survey,
    issue_links,
    reopen_survey,
    survey_status,
)
from collabgraph.survey.lifecycle import list_surveys, read_answers, revoke_link, update_spec
from collabgraph.survey.model import Question, RespondentGroup, RosterGroup
from collabgraph.survey.report import SchoolRate, WaveFigures
from collabgraph.survey.review import UnknownWriteIn, review_write_in
from collabgraph.survey.tokens import link_for, public_url

__all__ = ["router"]

router = APIRouter(prefix="/districts/{district}/surveys", tags=["surveys"])


class SurveyCreate(BaseModel):
    """A new survey wave (the district comes from the path)."""

    wave: Ident
    respondents: RespondentGroup = RespondentGroup.REPS
    respondent_ids: list[Ident] = Field(default_factory=list, max_length=100_000)
    roster: RosterGroup = RosterGroup.ASSOCIATION
    questions: list[Question] | None = Field(default=None, max_length=20)
    max_names: int | None = Field(default=None, ge=1, le=200)
    intro: str = Field(default="", max_length=4000)
    consent: str = Field(default="", max_length=4000)


class SurveyUpdate(BaseModel):
    """New questions and texts (only until the first answer arrives)."""

    questions: list[Question] = Field(min_length=1, max_length=20)
    max_names: int | None = Field(default=None, ge=1, le=200)
    intro: str = Field(default="", max_length=4000)
    consent: str = Field(default="", max_length=4000)


class LinkPublic(BaseModel):
    """A respondent's fresh link (shown once: the store keeps only its hash)."""

    id: str
    name: str
    school: str
    link: str


class LinksRequest(BaseModel):
    """Whose links to issue (all respondents when empty)."""

    only: list[Ident] = Field(default_factory=list, max_length=100_000)


class WriteInReview(BaseModel):
    """Match a write-in to a roster person, or discard it."""

    decision: Literal["matched", "discarded"]
    person: Ident | None = None


def _survey(store: StoreDep, district: str, wave: str) -> Survey:
    try:
        return get_survey(store, district, wave)
    except UnknownSurvey as exc:
        raise ApiError(404, "Not found", str(exc), slug="not-found") from None


@router.get("")
def surveys(district: str, store: StoreDep) -> list[dict[str, Any]]:
    """Every survey wave of the district."""
    if not store.has_district(district):
        raise ApiError(404, "Not found", f"no district {district!r}", slug="not-found")
    return list_surveys(store, district)


@router.post("", status_code=201)
def create(district: str, body: SurveyCreate, store: StoreDep) -> Survey:
    """Create a survey wave: its roster and respondents (then issue links)."""
    fields = body.model_dump(exclude_none=True)
    try:
        spec = SurveySpec.model_validate({"district": district, **fields})
        return create_survey(store, spec)
    except SurveyExists as exc:
        raise ApiError(409, "Conflict", str(exc), slug="conflict") from None
    except ValueError as exc:
        raise ApiError(422, "Invalid input", str(exc), slug="invalid-input") from None


@router.get("/{wave}")
def read(district: str, wave: str, store: StoreDep) -> Survey:
    """One survey's settings and state."""
    return _survey(store, district, wave)


@router.put("/{wave}")
def update(district: str, wave: str, body: SurveyUpdate, store: StoreDep) -> Survey:
    """Replace the questions and texts (409 once an answer has arrived)."""
    current = _survey(store, district, wave)
    spec = current.spec.model_copy(update=body.model_dump())
    try:
        return update_spec(store, SurveySpec.model_validate(spec.model_dump()))
    except SurveyError as exc:
        raise ApiError(409, "Conflict", str(exc), slug="conflict") from None


class SurveyStatusAggregate(BaseModel):
    """A survey's status for a role that sees no names: rates over groups of at least k."""

    district: str
    wave: str
    state: str
    min_group: int = Field(description="Groups smaller than this are not shown on their own.")
    asked: int
    responded: int
    rate: float | None
    schools: list[SchoolRate] = Field(description="Schools where at least k people were asked.")
    smaller_schools: SchoolRate | None = Field(
        default=None, description="All the other schools together (when they reach k)."
    )
    figures: WaveFigures | None = Field(
        default=None, description="The wave's figures, when at least k people responded."
    )


def aggregate_status(st: SurveyStatus, k: int) -> SurveyStatusAggregate:
    """The status without names, and without any group smaller than ``k``.

    >>> from collabgraph.survey.report import wave_figures
    >>> f = wave_figures(asked=[], submitted=set(), roster=[], pairs=[])
    >>> st = SurveyStatus(district="d", wave="w", state="open", asked=7, responded=5,
    ...     started=0, rate=0.71, not_answered=[{"name": "x"}], write_ins=[], figures=f,
    ...     schools=[SchoolRate(school="A", asked=5, responded=4, rate=0.8),
    ...              SchoolRate(school="B", asked=2, responded=1, rate=0.5)])
    >>> a = aggregate_status(st, 5)
    >>> [s.school for s in a.schools], a.smaller_schools is None, a.figures is not None
    (['A'], True, True)
    """
    big = [s for s in st.schools if s.asked >= k]
    small = [s for s in st.schools if s.asked < k]
    asked, done = sum(s.asked for s in small), sum(s.responded for s in small)
    rest = None
    if small and asked >= k:
        rest = SchoolRate(
            school=f"{len(small)} smaller schools", asked=asked, responded=done,
            rate=round(done / asked, 4),
        )  # fmt: skip
    return SurveyStatusAggregate(
        district=st.district,
        wave=st.wave,
        state=st.state,
        min_group=k,
        asked=st.asked,
        responded=st.responded,
        rate=st.rate,
        schools=big,
        smaller_schools=rest,
        figures=st.figures if st.responded >= k else None,
    )


@router.get("/{wave}/status")
def status(
    district: str,
    wave: str,
    store: StoreDep,
    principal: PrincipalDep,
    settings: SettingsDep,
    threshold: Annotated[float, Query(ge=0.0, le=1.0)] = 0.5,
) -> SurveyStatus | SurveyStatusAggregate:
    """Response rate overall and per school, who has not answered, write-ins, figures.

    The association (and an admin) see names; any other role gets rates and figures over
    groups of at least ``COLLABGRAPH_MIN_GROUP`` people, and no name.
    """
    _survey(store, district, wave)
    st = survey_status(store, district, wave, threshold)
    if principal.role in (Role.ADMIN, Role.ASSOCIATION):
        return st
    return aggregate_status(st, settings.min_group)


@router.post("/{wave}/links")
def links(
    request: Request,
    district: str,
    wave: str,
    store: StoreDep,
    body: Annotated[LinksRequest | None, Body()] = None,
) -> list[LinkPublic]:
    """Issue new links (previous links of the same respondents stop working), on
    ``COLLABGRAPH_PUBLIC_URL`` or else the address this request came in on."""
    _survey(store, district, wave)
    base = public_url(str(request.base_url))
    issued = issue_links(store, district, wave, only=(body.only or None) if body else None)
    return [
        LinkPublic(id=x.id, name=x.name, school=x.school, link=link_for(base, x.token))
        for x in issued
    ]


@router.post("/{wave}/respondents/{person}/revoke", status_code=204)
def revoke(district: str, wave: str, person: str, store: StoreDep) -> None:
    """Revoke one respondent's link (its answers stay)."""
    _survey(store, district, wave)
    revoke_link(store, district, wave, person)


@router.get("/{wave}/answers")
def answers(district: str, wave: str, store: StoreDep) -> list[dict[str, Any]]:
    """Every answer, by name (the association's data)."""
    _survey(store, district, wave)
    return read_answers(store, district, wave)


@router.post("/{wave}/write-ins/{key}")
def review(
    district: str, wave: str, key: str, body: WriteInReview, store: StoreDep
) -> dict[str, str]:
    """Match a write-in to a roster person (its answer then counts at close) or discard it."""
    _survey(store, district, wave)
    try:
        done = review_write_in(store, district, wave, key, body.decision, body.person)
    except UnknownWriteIn as exc:
        raise ApiError(404, "Not found", str(exc), slug="not-found") from None
    except SurveyError as exc:
        raise ApiError(422, "Invalid input", str(exc), slug="invalid-input") from None
    return {"key": done["key"], "status": done["status"]}


@router.post("/{wave}/close")
def close(district: str, wave: str, store: StoreDep) -> CloseResult:
    """Close the survey into the wave's ties (all or nothing; again: no change)."""
    _survey(store, district, wave)
    return close_survey(store, district, wave)


@router.post("/{wave}/reopen")
def reopen(district: str, wave: str, store: StoreDep) -> Survey:
    """Take answers again; the next close replaces the wave's survey ties."""
    _survey(store, district, wave)
    return reopen_survey(store, district, wave)
