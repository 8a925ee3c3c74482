"""The association's side of a tie survey, as dashboard pages (docs/dashboard.md).

Creating a wave is :mod:`api.routes.survey_new`.

``GET /d/{district}/surveys/{wave}``
    The wave: state and buttons, response rate overall and per school (``?under=50``
    marks the schools under that percentage), who has not answered, the write-ins to
    review, the wave's figures in plain words, the downloads. A partner gets the rates
    and the figures over groups of at least k people only, as from the JSON status.
``POST /d/{district}/surveys/{wave}/links``
    Make the links (this opens a draft) and send them back as the mail-merge CSV or
    the printable slips; making them again replaces the old links.
``POST /d/{district}/surveys/{wave}/close``, ``.../reopen``
    Close the wave into its ties, or take answers again.
``POST /d/{district}/surveys/{wave}/write-ins/{key}``
    Match a write-in to a roster person, or discard it.
``GET /d/{district}/surveys/{wave}/answers.csv``
    Every answer, by id.

Every action is a library call of :mod:`collabgraph.survey`, the same as the JSON
routes in :mod:`api.routes.surveys`; who may do what is in :mod:`api.policy`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Final
from urllib.parse import quote, unquote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import PrincipalDep, SettingsDep, StoreDep
from api.routes.auth import page
from api.routes.pages import FLASH_COOKIE, flash_redirect
from api.routes.surveys import aggregate_status
from collabgraph.store.base import Store
from collabgraph.survey import (
    SurveyError,
    UnknownSurvey,
    close_survey,
    get_survey,
    issue_links,
    reopen_survey,
    survey_status,
)
from collabgraph.survey.answers import roster_of
from collabgraph.survey.links import links_csv, links_sheet
from collabgraph.survey.opening import open_links
from collabgraph.survey.review import (
    UnknownWriteIn,
    answers_csv,
    fold,
    likely_matches,
    review_write_in,
    wave_summary,
    write_ins_to_review,
)
from collabgraph.survey.roster import RosterPerson
from collabgraph.survey.tokens import public_url

__all__ = ["router", "wave_path"]

router = APIRouter(include_in_schema=False)

#: Above this many roster people a write-in's select lists only likely matches and what
#: the row's search box finds (a select of the whole roster per write-in would be huge).
ROSTER_SELECT_MAX: Final = 300
#: Likely matches offered first for each write-in, and at most this many found by a search.
LIKELY: Final = 8
FOUND_MAX: Final = 50
#: The slips' page may load nothing; the links it carries must not leak in a Referer.
SHEET_SECURITY: Final = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; "
    "base-uri 'none'; form-action 'none'"
)
_SECRET: Final = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def wave_path(district: str, wave: str | None = None) -> str:
    """The dashboard path of a district's surveys, or of one wave."""
    path = f"/d/{quote(district, safe='')}/surveys"
    return path if wave is None else f"{path}/{quote(wave, safe='')}"


def _missing(request: Request, district: str, wave: str) -> Response:
    return page(
        request,
        "surveys_missing.html.j2",
        status_code=404,
        district=district,
        quoted=quote(district, safe=""),
        wave=wave,
    )


# -- one wave ------------------------------------------------------------------------------


def _under(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 <= value <= 100 else None


def _choices(
    key: str, name: str, roster: Sequence[RosterPerson], query: Mapping[str, str]
) -> tuple[str, list[RosterPerson]]:
    """What a write-in's select offers first: the people found by the row's search box
    (``?find:<key>=``), else the likeliest matches of the written-in name."""
    find = query.get(f"find:{key}", "")[:100].strip()
    if find:
        want = fold(find)
        return find, [p for p in roster if want in fold(f"{p.name} {p.school}")][:FOUND_MAX]
    return "", likely_matches(name, roster, limit=LIKELY)


def _wave_page(
    request: Request,
    store: Store,
    district: str,
    wave: str,
    *,
    named: bool,
    min_group: int,
    under: str = "50",
    status_code: int = 200,
    error: str = "",
) -> Response:
    try:
        survey = get_survey(store, district, wave)
    except UnknownSurvey:
        return _missing(request, district, wave)
    threshold = _under(under)
    if threshold is None:
        error = error or "Response rate threshold: give a percentage from 0 to 100 (e.g. 50)"
        status_code = 422 if status_code == 200 else status_code
    pct = 50.0 if threshold is None else threshold
    st = survey_status(store, district, wave, pct / 100)
    summary = wave_summary(store, district, wave)
    context: dict[str, Any] = {
        "district": district,
        "quoted": quote(district, safe=""),
        "base": wave_path(district, wave),
        "survey": survey,
        "summary": summary,
        "named": named,
        "under": under if threshold is None else f"{pct:g}",
        "error": error,
        "flash": unquote(request.cookies.get(FLASH_COOKIE) or ""),
    }
    if named:
        roster = roster_of(store, district, wave)
        rows = write_ins_to_review(store, district, wave)
        context.update(
            status=st,
            write_ins=[(w, *_choices(w.key, w.name, roster, request.query_params)) for w in rows],
            pending=sum(1 for w in rows if w.status == "pending"),
            everyone=roster if len(roster) <= ROSTER_SELECT_MAX else None,
            questions={q.id: q.text for q in survey.spec.questions},
        )
    else:
        context.update(
            status=aggregate_status(st, min_group), write_ins=[], everyone=None, pending=0
        )
    response = page(request, "surveys_wave.html.j2", status_code=status_code, **context)
    if FLASH_COOKIE in request.cookies:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


@router.get("/d/{district}/surveys/{wave}", response_class=HTMLResponse)
def wave_page(
    district: str,
    wave: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    me: PrincipalDep,
    under: str = "50",
) -> Response:
    """One survey wave: state, rates, who has not answered, write-ins, figures, downloads."""
    return _wave_page(
        request,
        store,
        district,
        wave,
        named=me.sees_people(district),
        min_group=settings.min_group,
        under=under[:40],
    )


def _refused(
    request: Request,
    store: Store,
    district: str,
    wave: str,
    status: int,
    message: str,
    min_group: int,
) -> Response:
    return _wave_page(
        request,
        store,
        district,
        wave,
        named=True,
        min_group=min_group,
        status_code=status,
        error=message,
    )


@router.post("/d/{district}/surveys/{wave}/links", response_model=None)
def make_links(
    district: str,
    wave: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    me: PrincipalDep,
    format: Annotated[str, Form(max_length=20)] = "csv",
    who: Annotated[str, Form(max_length=20)] = "everyone",
    replace: Annotated[bool, Form()] = False,
) -> Response:
    """Make the links and send them back as the mail-merge CSV or the printable slips."""
    try:
        summary = wave_summary(store, district, wave)
    except UnknownSurvey:
        return _missing(request, district, wave)

    def refuse(status: int, message: str) -> Response:
        return _refused(request, store, district, wave, status, f"Links: {message}",
                        settings.min_group)  # fmt: skip

    if format not in ("csv", "sheet") or who not in ("everyone", "unanswered"):
        return refuse(422, "choose the CSV or the slips, for everyone or for those who have "
                      "not answered")  # fmt: skip
    if summary.state == "closed":
        return refuse(409, "the survey is closed; reopen it first")
    if summary.state == "draft":  # the first links: made once, even by two leaders at once
        try:
            issued = open_links(store, district, wave)
        except SurveyError as exc:
            return refuse(409, str(exc))
    elif not replace:
        return refuse(422, "tick “Replace the links” to make new ones: the links already "
                      "sent stop working (answers are kept)")  # fmt: skip
    else:
        only = None
        if who == "unanswered":
            only = [r["id"] for r in survey_status(store, district, wave).not_answered]
            if not only:
                return refuse(422, "everyone has answered; there is nobody to remind")
        issued = issue_links(store, district, wave, only=only)
    # links on COLLABGRAPH_PUBLIC_URL, else on the address this page was opened on
    base = public_url(str(request.base_url))
    name = f"{district}-{wave}-links"
    if format == "csv":
        return Response(
            links_csv(issued, base),
            media_type="text/csv; charset=utf-8",
            headers={**_SECRET, "Content-Disposition": f'attachment; filename="{quote(name)}.csv"'},
        )
    sheet = links_sheet(issued, base, title=f"Survey {wave} of {district}")
    return HTMLResponse(sheet, headers={**_SECRET, "Content-Security-Policy": SHEET_SECURITY})


@router.post("/d/{district}/surveys/{wave}/close", response_model=None)
def close(
    district: str,
    wave: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    me: PrincipalDep,
) -> Response:
    """Close the wave: the answers sent become the wave's ties (all or nothing)."""
    try:
        done = close_survey(store, district, wave)
    except UnknownSurvey:
        return _missing(request, district, wave)
    except SurveyError as exc:
        return _refused(
            request, store, district, wave, 409, f"Not closed: {exc}", settings.min_group
        )
    if done.already_closed:
        message = f"Survey {wave} was already closed; nothing changed."
    else:
        skipped = (
            f" {len(done.skipped)} answers name people no longer in the district and were left out."
            if done.skipped
            else ""
        )
        message = (
            f"Survey {wave} is closed: {done.ties} ties of wave {wave} are now in the "
            f"district's network.{skipped}"
        )
    return flash_redirect(request, wave_path(district, wave), message)


@router.post("/d/{district}/surveys/{wave}/reopen", response_model=None)
def reopen(
    district: str, wave: str, request: Request, store: StoreDep, me: PrincipalDep
) -> Response:
    """Take answers again (the wave's ties stay until the next close replaces them)."""
    try:
        reopen_survey(store, district, wave)
    except UnknownSurvey:
        return _missing(request, district, wave)
    return flash_redirect(
        request,
        wave_path(district, wave),
        f"Survey {wave} takes answers again. Close it again to replace its ties.",
    )


@router.post("/d/{district}/surveys/{wave}/write-ins/{key}", response_model=None)
def review(
    district: str,
    wave: str,
    key: str,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    me: PrincipalDep,
    decision: Annotated[str, Form(max_length=20)] = "",
    person: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Match a write-in to a roster person, or discard it."""
    try:
        done = review_write_in(store, district, wave, key, decision, person or None)
    except UnknownSurvey:
        return _missing(request, district, wave)
    except UnknownWriteIn as exc:
        return _refused(request, store, district, wave, 404, f"Write-in: {exc}", settings.min_group)
    except SurveyError as exc:
        text = str(exc).removeprefix("person: ").removeprefix("decision: ")
        return _refused(
            request, store, district, wave, 422, f"Match to: {text}", settings.min_group
        )
    if done["status"] == "matched":
        who = next(
            (p.name for p in roster_of(store, district, wave) if p.id == done["person"]),
            done["person"],
        )
        message = f"Write-in matched to {who}: it counts as an answer at the next close."
    else:
        message = "Write-in discarded."
    return flash_redirect(request, wave_path(district, wave) + "#write-ins", message)


@router.get("/d/{district}/surveys/{wave}/answers.csv", response_model=None)
def answers(
    district: str, wave: str, request: Request, store: StoreDep, me: PrincipalDep
) -> Response:
    """Every answer of the wave as CSV (respondent, question, topic, person, frequency)."""
    try:
        text, _ = answers_csv(store, district, wave)
    except UnknownSurvey:
        return _missing(request, district, wave)
    name = quote(f"{district}-{wave}-answers.csv")
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={**_SECRET, "Content-Disposition": f'attachment; filename="{name}"'},
    )
