"""Turning every 4xx and 5xx into one shape: RFC 9457 problem details.

Every error response is ``application/problem+json`` with ``type``, ``title``,
``status``, ``detail`` and, for input problems, ``errors``: a list of
``{"where": ..., "location": {...}, "message": ..., "code": ...}`` exactly as the
command line reports them. The document and :class:`~api.errors.ApiError` are
:mod:`api.errors`; this module holds the handlers the app installs (top of the
imports: only :mod:`api.main` imports it).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.errors import ApiError, ProblemItem, items_from, problem_response
from api.storage import forget_store
from api.web import restarting_page, wants_html
from collabgraph.access import AccessDenied
from collabgraph.cypher import CypherError
from collabgraph.editing import RowNotFound
from collabgraph.errors import CollabGraphError, WorkbookError
from collabgraph.querying import UnknownQuery
from collabgraph.research import QueryBusy, QueryRejected, QueryTimeout
from collabgraph.store import StoreError, StoreUnavailable, UnknownDistrict

__all__ = ["install_handlers", "library_error"]

log = logging.getLogger("collabgraph.api")


def _status_of(error: CollabGraphError) -> tuple[int, str, str]:
    """Map a library error to (status, title, slug)."""
    if isinstance(error, StoreUnavailable):
        return 503, "Store unavailable", "store-unavailable"
    if isinstance(error, AccessDenied):
        return 403, "Forbidden", "forbidden"
    if isinstance(error, UnknownDistrict | RowNotFound | UnknownQuery):
        return 404, "Not found", "not-found"
    if isinstance(error, QueryBusy):
        return 429, "Too many queries", "too-many-queries"
    if isinstance(error, QueryTimeout):
        return 504, "Query timed out", "query-timeout"
    if isinstance(error, QueryRejected):
        return 400, "Query rejected", "query-rejected"
    if isinstance(error, StoreError | CypherError):
        return 500, "Store error", "store-error"
    return 422, "Invalid input", "invalid-input"


def _browser(request: Request) -> bool:
    return wants_html(request)


def _restarting(request: Request, retry_after: str) -> Response:
    """A browser's page while the store restarts (the JSON API keeps its 503 problem)."""
    return restarting_page(request, int(retry_after) if retry_after.isdigit() else 5)


def _detail(request: Request, exc: CollabGraphError) -> str:
    """The error's text; an unknown district names only districts the caller may see."""
    if not isinstance(exc, UnknownDistrict):
        return str(exc)
    principal = getattr(request.state, "principal", None)
    if principal is not None and principal.is_admin:
        return str(exc)
    mine = sorted(principal.districts) if principal is not None else []
    hint = f"; yours: {', '.join(mine)}" if mine else ""
    return f"no district {exc.district!r} among the districts you may see{hint}"


async def library_error(request: Request, exc: CollabGraphError) -> Response:
    """A library error as a problem document (a store outage also drops the store, and a
    browser gets the page that says the data is starting up again)."""
    if isinstance(exc, StoreUnavailable):
        forget_store(request.app)  # the next request reopens (and restarts) the store
        if _browser(request):
            return _restarting(request, "5")
    status, title, slug = _status_of(exc)
    headers = {"Retry-After": "5" if status == 503 else "1"} if status in (429, 503) else None
    return problem_response(status, title, _detail(request, exc), slug=slug, headers=headers)


def install_handlers(app: FastAPI) -> None:
    """Register the exception handlers that turn every error into a problem document."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        if exc.slug == "store-unavailable" and _browser(request):
            return _restarting(request, exc.headers.get("Retry-After", "5"))
        return problem_response(
            exc.status, exc.title, exc.detail, slug=exc.slug, errors=exc.errors, headers=exc.headers
        )

    @app.exception_handler(WorkbookError)
    async def _workbook(_: Request, exc: WorkbookError) -> JSONResponse:
        n = len(exc.problems)
        return problem_response(
            422,
            "Invalid workbook",
            f"{n} problem{'s' if n != 1 else ''} found in the workbook",
            slug="invalid-workbook",
            errors=items_from(exc.problems),
        )

    app.exception_handler(CollabGraphError)(library_error)

    @app.exception_handler(RequestValidationError)
    async def _request(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err.get("loc", ()))
            errors.append(
                ProblemItem(
                    where=loc,
                    location={"path": loc},
                    message=str(err.get("msg", "invalid")),
                    code=str(err.get("type", "invalid")),
                )
            )
        return problem_response(
            422,
            "Invalid request",
            "the request does not match the documented schema",
            slug="invalid-request",
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {
            404: "Not found",
            405: "Method not allowed",
            401: "Unauthorized",
            413: "Request body too large",
        }.get(exc.status_code, "HTTP error")
        return problem_response(
            exc.status_code,
            title,
            str(exc.detail),
            slug=title.lower().replace(" ", "-"),
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", exc_info=exc)
        return problem_response(
            500,
            "Internal error",
            "the server hit an unexpected error; it has been logged",
            slug="internal",
        )
