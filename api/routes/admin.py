"""The admin's page (accounts, tokens, the audit log) and the audit log as JSON.

``GET /admin``
    Every account, a form to add one, buttons to remove one or give it a new API
    token (shown once), and the latest audit entries.
``GET /audit``
    The audit log as JSON, filtered by district and start time (admins only).
``PUT /districts/{district}/grants/structure``
    The association (or an admin) lets a partner account of the district change
    its joint structure rows — teams, standing meetings, counterparts — or takes
    that back.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from api.deps import PrincipalDep
from api.errors import ApiError
from api.routes.auth import page
from api.security import access_of
from collabgraph.access import AccessError, Account, AuditEntry, Role

__all__ = ["router"]

router = APIRouter()

#: Audit entries shown on the admin page.
RECENT: Final = 200


def _admin(
    request: Request,
    *,
    status_code: int = 200,
    error: str = "",
    token: str = "",
    token_for: str = "",
) -> Response:
    accounts, _, audit, _ = access_of(request)
    entries = audit.entries(limit=RECENT)
    return page(
        request,
        "admin.html.j2",
        status_code=status_code,
        accounts=accounts.list(),
        entries=list(reversed(entries)),
        roles=[r.value for r in Role],
        error=error,
        token=token,
        token_for=token_for,
    )


@router.get("/admin", response_class=HTMLResponse, include_in_schema=False)
def admin_page(request: Request, me: PrincipalDep) -> Response:
    """Accounts and the latest audit entries."""
    return _admin(request)


@router.post("/admin/users", response_class=HTMLResponse, include_in_schema=False)
async def add_user(
    request: Request,
    me: PrincipalDep,
    email: Annotated[str, Form(max_length=320)] = "",
    role: Annotated[str, Form(max_length=40)] = "",
    districts: Annotated[str, Form(max_length=5000)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    """Add an account (or change one's role, districts and password)."""
    accounts = access_of(request)[0]
    places = [d for d in districts.replace(",", " ").split() if d]
    try:
        await run_in_threadpool(accounts.add, email, role, password, places)
    except AccessError as exc:
        message = str(exc).capitalize()
        return await run_in_threadpool(lambda: _admin(request, status_code=422, error=message))
    return await run_in_threadpool(_admin, request)


@router.post("/admin/users/remove", response_class=HTMLResponse, include_in_schema=False)
def remove_user(
    request: Request, me: PrincipalDep, email: Annotated[str, Form(max_length=320)] = ""
) -> Response:
    """Remove an account with its tokens and sessions."""
    if email.strip().lower() == me.email:
        return _admin(request, status_code=422, error="You cannot remove your own account here.")
    try:
        access_of(request)[0].remove(email)
    except AccessError as exc:
        return _admin(request, status_code=422, error=str(exc).capitalize())
    return _admin(request)


@router.post("/admin/users/token", response_class=HTMLResponse, include_in_schema=False)
def new_token(
    request: Request, me: PrincipalDep, email: Annotated[str, Form(max_length=320)] = ""
) -> Response:
    """Make a new API token for an account and show it once."""
    try:
        token = access_of(request)[0].new_token(email)
    except AccessError as exc:
        return _admin(request, status_code=422, error=str(exc).capitalize())
    return _admin(request, token=token, token_for=email.strip().lower())


@router.get(
    "/audit", summary="The audit log (admins only)", response_model=list[AuditEntry], tags=["admin"]
)
def audit_log(
    request: Request,
    me: PrincipalDep,
    district: Annotated[str | None, Query(max_length=200, description="Only this district")] = None,
    since: Annotated[
        str | None, Query(max_length=40, description="Only entries from this date (YYYY-MM-DD)")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 1000,
) -> list[AuditEntry]:
    """Who did what, when, in which district; never the values. The newest ``limit``
    entries that match, in time order."""
    return access_of(request)[2].entries(district=district, since=since, limit=limit)


class StructureGrant(BaseModel):
    """Whether a partner account may change a district's joint structure rows."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=320, description="The partner account.")
    granted: bool = Field(default=True, description="false takes the grant back.")


@router.put(
    "/districts/{district}/grants/structure",
    summary="Let a partner change the joint structure (teams, meetings, counterparts)",
    response_model=Account,
    tags=["access"],
)
def grant_structure(
    district: str, body: StructureGrant, request: Request, me: PrincipalDep
) -> Account:
    """Only partner accounts of the district; 422 for any other account."""
    accounts = access_of(request)[0]
    try:
        return accounts.grant_structure(body.email, district, granted=body.granted)
    except AccessError as exc:
        raise ApiError(422, "Invalid input", str(exc), slug="invalid-input") from exc
