"""Signing in and out, the first-run setup link, and changing one's password.

``GET/POST /signin``
    E-mail and password; on success a session cookie (HttpOnly, SameSite=Strict,
    Secure over HTTPS) and a redirect to ``next`` (a local path only). Failures
    are throttled per account and per address (429 with Retry-After).
``POST /signout``
    Ends the session everywhere (its row is deleted) and forgets the cookie.
``GET/POST /setup?token=...``
    Only while the store has no account: the one-time link ``collabgraph serve``
    prints. The form creates the first admin and signs them in; the link then
    stops working.
``GET /account``, ``POST /account/password``
    The signed-in account, and a password change (current password required;
    every other session of the account ends).
"""

from __future__ import annotations

import hmac
from typing import Annotated, Final

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from api.deps import PrincipalDep
from api.security import SESSION_COOKIE, access_of
from api.web import render_page
from collabgraph.access import AccessError, Role, Throttle

__all__ = ["PAGE_SECURITY", "page", "router", "safe_next"]

router = APIRouter(include_in_schema=False)

#: What the dashboard's own pages may load.
PAGE_SECURITY: Final = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'"
)


def page(request: Request, template: str, *, status_code: int = 200, **context: object) -> Response:
    """A dashboard page with the dashboard's Content-Security-Policy."""
    response = render_page(request, template, status_code=status_code, **context)
    response.headers["Content-Security-Policy"] = PAGE_SECURITY
    return response


def safe_next(target: str) -> str:
    """A local path to go to after signing in (anything else goes home).

    >>> safe_next("/d/x?y=1"), safe_next("//evil.example"), safe_next("https://x")
    ('/d/x?y=1', '/', '/')
    """
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _throttle(request: Request) -> Throttle:
    """The sign-in throttle, counted in the store (shared by every server process)."""
    accounts, _, _, secret = access_of(request)
    return Throttle(accounts.store, secret)


def _signed_in(request: Request, email: str, target: str) -> Response:
    _, sessions, _, _ = access_of(request)
    cookie = sessions.start(email)
    root = request.scope.get("root_path", "")
    response = RedirectResponse(f"{root}{safe_next(target)}", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        path="/",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, next: str = "/") -> Response:
    """The sign-in form."""
    return page(request, "signin.html.j2", next=safe_next(next), error="", email="")


@router.post("/signin", response_class=HTMLResponse)
def signin(
    request: Request,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the e-mail and password; on success start a session and go on to ``next``."""
    accounts, _, audit, _ = access_of(request)
    address = request.client.host if request.client else "?"
    who = email.strip().lower()
    throttle = _throttle(request)
    wait = throttle.blocked(who, address)
    if wait > 0:
        response = page(
            request,
            "signin.html.j2",
            status_code=429,
            next=safe_next(next),
            email=email,
            error=f"Too many failed sign-ins. Try again in {int(wait // 60) + 1} minutes.",
        )
        response.headers["Retry-After"] = str(int(wait) + 1)
        return response
    account = accounts.verify(who, password) if who and password else None
    if account is None:
        throttle.failed(who, address)
        known = accounts.get(who) is not None if who else False
        audit.record(
            who=who if known else "(unknown account)",
            role="-",
            operation="sign-in",
            status="refused",
        )
        return page(
            request,
            "signin.html.j2",
            status_code=401,
            next=safe_next(next),
            email=email,
            error="That e-mail address and password do not match an account.",
        )
    throttle.succeeded(who)
    audit.record(who=account.email, role=account.role.value, operation="sign-in", status="ok")
    return _signed_in(request, account.email, next)


@router.post("/signout")
def signout(request: Request) -> Response:
    """End the session and forget its cookie."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        access_of(request)[1].end(cookie)
    root = request.scope.get("root_path", "")
    response = RedirectResponse(f"{root}/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _setup_open(request: Request, token: str) -> bool:
    expected: str | None = getattr(request.app.state, "setup_token", None)
    if not expected or not token:
        return False
    if not hmac.compare_digest(expected.encode(), token.encode()):
        return False
    return not access_of(request)[0].any()


@router.get("/setup", response_class=HTMLResponse)
def setup_form(request: Request, token: Annotated[str, Query(max_length=200)] = "") -> Response:
    """The first-run form: create the admin account (only with the printed link)."""
    if not _setup_open(request, token):
        return page(request, "setup.html.j2", status_code=404, token="", error="", email="")
    return page(request, "setup.html.j2", token=token, error="", email="")


@router.post("/setup", response_class=HTMLResponse)
async def setup(
    request: Request,
    token: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    again: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    """Create the first admin from the one-time link, and sign them in."""
    if not await run_in_threadpool(_setup_open, request, token):
        return page(request, "setup.html.j2", status_code=404, token="", error="", email="")
    error = ""
    if password != again:
        error = "The two passwords differ."
    else:
        try:
            accounts, _, audit, _ = access_of(request)
            account = await run_in_threadpool(accounts.add, email, Role.ADMIN, password)
        except AccessError as exc:
            error = str(exc).capitalize()
    if error:
        return page(
            request, "setup.html.j2", status_code=422, token=token, error=error, email=email
        )
    request.app.state.setup_token = None  # the link works once
    await run_in_threadpool(
        audit.record, who=account.email, role="admin", operation="setup", status="ok"
    )
    return await run_in_threadpool(_signed_in, request, account.email, "/")


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, me: PrincipalDep) -> Response:
    """The signed-in account and the password form."""
    return page(request, "account.html.j2", error="", message="")


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    me: PrincipalDep,
    current: Annotated[str, Form(max_length=1024)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    again: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    """Change the signed-in account's password (every session of the account ends)."""
    accounts = access_of(request)[0]
    if accounts.verify(me.email, current) is None:
        return page(
            request,
            "account.html.j2",
            status_code=422,
            error="The current password is wrong.",
            message="",
        )
    if password != again:
        return page(
            request,
            "account.html.j2",
            status_code=422,
            error="The two new passwords differ.",
            message="",
        )
    try:
        accounts.set_password(me.email, password)
    except AccessError as exc:
        return page(
            request, "account.html.j2", status_code=422, error=str(exc).capitalize(), message=""
        )
    return _signed_in(request, me.email, "/account")
