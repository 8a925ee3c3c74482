"""The dashboard: server-rendered HTML pages for people who do not read JSON.

``/``
    Every district with its key figures (sorted by id, a page of
    :data:`PAGE_SIZE` at a time: ``/?page=2``), and the workbook upload form.
``/d/{district}``
    One district: key figures, the three interactive views (iframes on
    ``/districts/{district}/views/{kind}``), the findings, both worksheets and
    the download links.
``/example``
    Loads the example district (ABC Unified) and goes to its page; the home page
    offers it next to "upload your workbook".
``/upload``
    The form's target: validates the workbook whole and, on success, redirects
    (303) to the district's page; on bad input the form page comes back (422)
    with every problem and its place, and nothing is written.
``/d/{district}/report``
    The partnership report to print (``?format=pdf`` for the PDF,
    ``?audience=partner`` for the district side's copy with no names; a partner
    account always gets that copy).

Signing in and out is :mod:`api.routes.auth`; who may open which page is
decided by the access rules (:mod:`api.policy`) before any of these run.

None of these are part of the JSON API's schema; they sit outside its paths.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Final, Literal
from urllib.parse import quote, unquote

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import CacheDep, SettingsDep, StoreDep, get_settings, is_signed_in
from api.errors import ApiError
from api.limits import QuerySlots
from api.results import (
    counterpart_report,
    district_graph,
    district_stamp,
    gap_report,
    network_report,
)
from api.routes.imports import import_upload
from api.schemas import NotePublic
from api.security import principal_of
from api.web import (
    EXAMPLE_DISTRICT,
    TEMPLATES,
    district_figures,
    example_workbook,
    render_page,
)
from collabgraph.errors import CollabGraphError, Location, Problem, WorkbookError
from collabgraph.safety.scratch import scratch_dir
from collabgraph.store import UnknownDistrict
from collabgraph.store.embedded import default_data_dir
from collabgraph.survey.report import DEFAULT_THRESHOLD
from collabgraph.survey.review import surveys_supported, wave_summaries
from collabgraph.worksheet import standing_meeting_rows, structure_rows

__all__ = ["FLASH_COOKIE", "PAGE_SIZE", "VIEWS", "flash_redirect", "router"]

router = APIRouter(include_in_schema=False)

#: Districts listed per page on ``/`` (each costs the district's analyses once).
PAGE_SIZE: Final = 25
#: Cookie carrying the one-time message shown after an upload.
FLASH_COOKIE: Final = "collabgraph_flash"
#: The embedded views: (kind, heading, what it shows).
VIEWS: Final = (
    (
        "network",
        "Natural network",
        "Association people and their ties; isolates and brokers are marked.",
    ),
    (
        "structure",
        "Structure chart",
        "DLT, SLTs and committees; dashed boxes are structures the findings call for.",
    ),
    (
        "counterparts",
        "Counterparts",
        "Administration and association positions, their standing meetings and suggested pairs.",
    ),
)

_SECURITY: Final = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'"
)


def _page(
    request: Request, template: str, *, status_code: int = 200, **context: object
) -> Response:
    response = render_page(request, template, status_code=status_code, **context)
    response.headers["Content-Security-Policy"] = _SECURITY
    return response


def _to_signin(request: Request) -> RedirectResponse:
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    root = request.scope.get("root_path", "")
    return RedirectResponse(f"{root}/signin?next={quote(target, safe='')}", status_code=303)


def _not_found(request: Request, district: str) -> Response:
    return _page(request, "not_found.html.j2", status_code=404, district=district)


def _home(
    request: Request,
    store: StoreDep,
    cache: CacheDep,
    *,
    status_code: int = 200,
    problems: list[Problem] | None = None,
    upload_name: str = "",
    message: str = "",
    checked: tuple[str, ...] = (),
    page: int = 1,
) -> Response:
    # Figures cost an analysis per district: a state-wide store is shown a page at a time.
    every = sorted(store.list_districts())
    pages = max(1, -(-len(every) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = every[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    me = principal_of(request)
    k = get_settings(request).min_group
    districts = [
        district_figures(
            store, cache, d, min_group=None if me is not None and me.sees_people(d) else k
        )
        for d in shown
    ]
    return _page(
        request,
        "index.html.j2",
        status_code=status_code,
        districts=districts,
        example_id=EXAMPLE_DISTRICT,
        example_loaded=EXAMPLE_DISTRICT in every,
        example_available=example_workbook() is not None,
        page=page,
        pages=pages,
        total=len(every),
        first=(page - 1) * PAGE_SIZE + 1,
        problems=problems or [],
        upload_name=upload_name,
        message=message,
        checked=checked,
    )


@router.get("/", response_class=HTMLResponse)
def home(
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    cache: CacheDep,
    page: Annotated[int, Query(ge=1, le=1_000_000, description="Page of districts.")] = 1,
) -> Response:
    """Every district with its key figures (:data:`PAGE_SIZE` a page), and the upload form."""
    if not is_signed_in(request, settings):
        return _to_signin(request)
    return _home(request, store, cache, page=page)


@router.post("/upload", response_class=HTMLResponse)
async def upload(
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    cache: CacheDep,
    file: Annotated[UploadFile | None, File()] = None,
    replace: Annotated[bool, Form()] = False,
    validate_only: Annotated[bool, Form()] = False,
) -> Response:
    """Validate the uploaded workbook and load it (unless only validating)."""
    if not is_signed_in(request, settings):
        return _to_signin(request)
    name = (file.filename or "") if file is not None else ""
    checked = tuple(
        box for box, on in (("replace", replace), ("validate_only", validate_only)) if on
    )
    data = await file.read() if file is not None else b""

    async def refuse(problems: list[Problem]) -> Response:
        """The home page again (422) with every problem listed; nothing written."""
        return await run_in_threadpool(
            lambda: _home(
                request,
                store,
                cache,
                status_code=422,
                problems=problems,
                upload_name=name,
                checked=checked,
            )
        )

    if not data:
        problem = Problem(
            Location(file=name or None),
            "choose a workbook file to upload (this one is empty)"
            if name
            else "choose a workbook file to upload",
            "empty",
        )
        return await refuse([problem])
    try:
        result = await run_in_threadpool(
            lambda: import_upload(
                store, cache, data, name, validate_only=validate_only, replace=replace
            )
        )
    except WorkbookError as err:
        return await refuse(list(err.problems))
    rows = sum(result.rows.values())
    changed = (
        result.changes.sentence()
        if result.changes is not None
        else f"{rows} rows (a district this large is not compared row by row)"
    )
    noted = _notes_sentence(result.notes)
    if validate_only:
        message = (
            f"{name} is valid: {rows} rows for district {result.district}. Nothing was written; "
            f"loading it would change: {changed}.{noted}"
        )
        return await run_in_threadpool(
            lambda: _home(request, store, cache, message=message, upload_name=name)
        )
    verb = "replaced the district with" if replace else "loaded"
    new = " (a new district)" if result.changes is not None and result.changes.new_district else ""
    message = f"Workbook {name} {verb}{new}: {changed}.{noted}"
    return flash_redirect(request, f"/d/{quote(result.district, safe='')}", message)


def flash_redirect(request: Request, path: str, message: str) -> RedirectResponse:
    """Go to ``path`` on this server (303), showing ``message`` once on the page there."""
    root = request.scope.get("root_path", "")
    response = RedirectResponse(f"{root}{path}", status_code=303)
    response.set_cookie(
        FLASH_COOKIE,
        quote(message),
        max_age=120,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


def _notes_sentence(notes: Sequence[NotePublic]) -> str:
    """The notes on how cells were read, short enough for the flash line."""
    if not notes:
        return ""
    shown = "; ".join(f"{n.where}: {n.message}" for n in notes[:3])
    more = (
        f"; and {len(notes) - 3} more (collabgraph validate lists them all)"
        if len(notes) > 3
        else ""
    )
    return (
        f" {len(notes)} note{'s' if len(notes) != 1 else ''} on how cells were read: {shown}{more}."
    )


@router.post("/example", response_class=HTMLResponse)
async def open_example(
    request: Request, settings: SettingsDep, store: StoreDep, cache: CacheDep
) -> Response:
    """Load the example district (when it is not in the store yet) and go to its page."""
    if not is_signed_in(request, settings):
        return _to_signin(request)
    root = request.scope.get("root_path", "")
    target = RedirectResponse(f"{root}/d/{quote(EXAMPLE_DISTRICT, safe='')}", status_code=303)
    if EXAMPLE_DISTRICT in await run_in_threadpool(store.list_districts):
        return target
    path = example_workbook()
    if path is None:
        return _not_found(request, EXAMPLE_DISTRICT)
    data = path.read_bytes()
    await run_in_threadpool(lambda: import_upload(store, cache, data, path.name))
    return target


@router.get("/d/{district}", response_class=HTMLResponse)
def district_page(
    district: str, request: Request, settings: SettingsDep, store: StoreDep, cache: CacheDep
) -> Response:
    """One district: figures, views, findings, worksheets and downloads."""
    if not is_signed_in(request, settings):
        return _to_signin(request)
    try:
        me = principal_of(request)
        named = me is not None and me.sees_people(district)
        figures = district_figures(
            store, cache, district, min_group=None if named else settings.min_group
        )
        gaps = gap_report(store, cache, district)
        counterparts = counterpart_report(store, cache, district)
        graph = district_graph(store, cache, district, district_stamp(store, cache, district))
    except UnknownDistrict:
        return _not_found(request, district)
    flash = request.cookies.get(FLASH_COOKIE)
    surveys = wave_summaries(store, district) if surveys_supported(store) else None
    response = _page(
        request,
        "district.html.j2",
        surveys=surveys,
        d=figures,
        findings=gaps.findings,
        gaps=gaps,
        structure=structure_rows(graph, gaps),
        meetings=standing_meeting_rows(counterparts, gaps),
        counterparts=counterparts,
        views=VIEWS,
        flash=unquote(flash) if flash else "",
        quoted=quote(district, safe=""),
        named=named,
    )
    if flash is not None:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


#: What the report page may load: its own inline styles and SVG, nothing else.
REPORT_SECURITY: Final = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; "
    "base-uri 'none'; form-action 'none'"
)


@router.get("/d/{district}/report", response_class=HTMLResponse)
async def district_report(
    district: str,
    request: Request,
    settings: SettingsDep,
    store: StoreDep,
    cache: CacheDep,
    audience: Annotated[
        Literal["association", "partner"],
        Query(description="association: names included; partner: no one named."),
    ] = "association",
    format: Annotated[Literal["html", "pdf"], Query(description="html or pdf.")] = "html",
    threshold: Annotated[
        float,
        Query(ge=0.0, le=1.0, description="Survey response rate under which a school is flagged."),
    ] = DEFAULT_THRESHOLD,
) -> Response:
    """The partnership report of a district, as a page to print or as a PDF (an account
    that may not see people by name always gets the partner copy)."""
    if not is_signed_in(request, settings):
        return _to_signin(request)
    me = principal_of(request)
    if me is None or not me.sees_people(district):
        audience = "partner"
    from collabgraph.report import build_report, html_to_pdf, report_html
    from collabgraph.survey.waves import survey_waves

    def build() -> str:
        graph = district_graph(store, cache, district, district_stamp(store, cache, district))
        report = build_report(
            graph,
            audience,
            network=network_report(store, cache, district, None),
            gaps=gap_report(store, cache, district),
            counterparts=counterpart_report(store, cache, district),
            surveys=list(survey_waves(store, district, threshold).values()),
        )
        return report_html(report)

    try:
        page = await run_in_threadpool(build)
    except UnknownDistrict:
        return _not_found(request, district)
    headers = {
        "Content-Security-Policy": REPORT_SECURITY,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
    }
    if format == "html":
        return HTMLResponse(page, headers=headers)

    slots: QuerySlots = request.app.state.pdf_slots

    def pdf() -> bytes:
        server = getattr(store, "server", None)
        with scratch_dir(server.data_dir if server else default_data_dir(), "pdf") as tmp:
            return html_to_pdf(page, tmp / "report.pdf", workdir=tmp).read_bytes()

    if not await run_in_threadpool(slots.try_turn):
        raise ApiError(
            429,
            "Too many reports being printed",
            f"{slots.size} PDF{'s are' if slots.size != 1 else ' is'} being printed already "
            "(COLLABGRAPH_PDF_CONCURRENCY); try again in a moment, or print the HTML page",
            slug="too-many-pdfs",
            headers={"Retry-After": "5"},
        )
    try:
        data = await run_in_threadpool(pdf)
    except CollabGraphError as exc:
        raise ApiError(503, "PDF unavailable", str(exc), slug="pdf-unavailable") from exc
    finally:
        slots.release()
    name = f"{district}-partnership-report{'-partner' if audience == 'partner' else ''}.pdf"
    headers["Content-Disposition"] = f'attachment; filename="{quote(name)}"'
    return Response(data, media_type="application/pdf", headers=headers)


@router.get("/static/dashboard.css")
def stylesheet() -> Response:
    """The dashboard's own small stylesheet (no CDN, no web fonts)."""
    css = (TEMPLATES.parent / "static" / "dashboard.css").read_text(encoding="utf-8")
    return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=300"})
