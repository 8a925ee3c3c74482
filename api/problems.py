"""One error shape for every 4xx and 5xx: RFC 9457 problem details.

Every error response is ``application/problem+json`` with ``type``, ``title``,
``status``, ``detail`` and, for input problems, ``errors``: a list of
``{"where": ..., "location": {...}, "message": ..., "code": ...}`` exactly as the
command line reports them.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from collabgraph.errors import CollabGraphError, Problem, WorkbookError

__all__ = [
    "ApiError",
    "ProblemDetail",
    "ProblemItem",
    "install_handlers",
    "library_error",
    "problem_response",
]

log = logging.getLogger("collabgraph.api")

PROBLEM_TYPE = "https://collabgraph.invalid/problems/"


class ProblemItem(BaseModel):
    """One input problem with its place."""

    where: str
    location: dict[str, str | int] = Field(default_factory=dict)
    message: str
    code: str


class ProblemDetail(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemItem] = Field(default_factory=list)


class ApiError(Exception):
    """An error the API answers with a problem document."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        slug: str = "error",
        errors: list[ProblemItem] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.slug = slug
        self.errors = errors or []
        self.headers = headers or {}


def items_from(problems: list[Problem] | tuple[Problem, ...] | Any) -> list[ProblemItem]:
    """Problem items from workbook problems."""
    return [
        ProblemItem(
            where=str(p.location), location=p.location.as_dict(), message=p.message, code=p.code
        )
        for p in problems
    ]


def problem_response(
    status: int,
    title: str,
    detail: str,
    *,
    slug: str = "error",
    errors: list[ProblemItem] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """A ``application/problem+json`` response."""
    body = ProblemDetail(
        type=PROBLEM_TYPE + slug, title=title, status=status, detail=detail, errors=errors or []
    )
    return JSONResponse(
        body.model_dump(mode="json"),
        status_code=status,
        media_type="application/problem+json",
        headers=headers,
    )


def _status_of(error: CollabGraphError) -> tuple[int, str, str]:
    """Map a library error to (status, title, slug)."""
    from collabgraph.access import AccessDenied
    from collabgraph.cypher import CypherError
    from collabgraph.editing import RowNotFound
    from collabgraph.querying import UnknownQuery
    from collabgraph.research import QueryBusy, QueryRejected, QueryTimeout
    from collabgraph.store import StoreError, StoreUnavailable, UnknownDistrict

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
    from api.web import wants_html

    return wants_html(request)


def _restarting(request: Request, retry_after: str) -> Response:
    """A browser's page while the store restarts (the JSON API keeps its 503 problem)."""
    from api.web import restarting_page

    return restarting_page(request, int(retry_after) if retry_after.isdigit() else 5)


def _detail(request: Request, exc: CollabGraphError) -> str:
    """The error's text; an unknown district names only districts the caller may see."""
    from collabgraph.store import UnknownDistrict

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
    from collabgraph.store import StoreUnavailable

    if isinstance(exc, StoreUnavailable):
        from api.deps import forget_store

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
