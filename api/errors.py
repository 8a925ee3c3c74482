"""The API's error document: RFC 9457 problem details, and the error that carries one.

Bottom of the ``api`` package's imports: it knows nothing of routes, pages or the
store, so every other module may raise :class:`ApiError`. The handlers that turn
errors into responses are :mod:`api.problems`.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from collabgraph.errors import Problem

__all__ = ["ApiError", "ProblemDetail", "ProblemItem", "items_from", "problem_response"]

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
