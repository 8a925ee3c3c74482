"""The trust boundary: who is asking, may they, and is the request really theirs.

Every request passes :func:`enforce` (an app-wide dependency) before its route:

1. the operation's rule is looked up in :data:`api.policy.POLICY` (none: 403);
2. the caller is found from a bearer token (an account's API token, or the
   install-wide ``COLLABGRAPH_API_TOKEN``) or the dashboard's session cookie;
   nobody signed in gets 401 (a page: a redirect to the sign-in page);
3. a cookie-authenticated request that changes something must come from our own
   origin (``Origin``, else ``Referer``) and carry the session's CSRF token
   (form field ``csrf`` or header ``X-CSRF-Token``); a cookie-authenticated
   request that a page of another site or port makes in the background
   (``Sec-Fetch-Site``) is refused too;
4. the caller's role must be one the rule allows, and a district in the path
   must be one of theirs (otherwise 404, naming no other district).

The store a route gets (:class:`GuardedStore`) lists only the caller's
districts and refuses writes to a district the caller may not change, which
covers operations whose district is in the body (imports, queries). When a
person's row is deleted it also has the embedded store rewrite its
append-only file, so the name leaves the disk as with an erasure.
:class:`AuditMiddleware` records the rule's audited operations once answered.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator, Mapping
from typing import Any, Final
from urllib.parse import quote, urlsplit

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ApiError
from api.policy import POLICY, Rule, rule_for
from api.storage import raw_store
from collabgraph.access import (
    AccessDenied,
    Accounts,
    Audit,
    Principal,
    Role,
    Sessions,
    check_csrf,
    csrf_token,
    pseudonym,
    store_key,
)
from collabgraph.model import Workbook
from collabgraph.store.base import Counts, Store, UnknownDistrict

__all__ = [
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "AuditMiddleware",
    "GuardedStore",
    "SignInRequired",
    "access_of",
    "csrf_for",
    "enforce",
    "principal_of",
]

#: Name of the dashboard's session cookie.
SESSION_COOKIE: Final = "collabgraph_session"
#: Form field and header carrying the CSRF token.
CSRF_FIELD: Final = "csrf"
CSRF_HEADER: Final = "x-csrf-token"
_UNSAFE: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SignInRequired(ApiError):
    """Nobody is signed in (401; a dashboard page redirects to the sign-in page)."""

    def __init__(self, detail: str, *, page: bool, target: str = "/") -> None:
        super().__init__(
            401, "Unauthorized", detail, slug="unauthorized", headers={"WWW-Authenticate": "Bearer"}
        )
        self.page = page
        self.target = target


def access_of(request: Request) -> tuple[Accounts, Sessions, Audit, bytes]:
    """The app's accounts, sessions, audit log and install secret (made on first use)."""
    state = request.app.state
    found = getattr(state, "access", None)
    store = _raw_store(request)
    if found is None or found[0].store is not store:
        found = (Accounts(store), Sessions(store), Audit(store), store_key(store))
        state.access = found
    return found


def _raw_store(request: Request) -> Store:
    return raw_store(request, request.app.state.settings)


def principal_of(request: Request) -> Principal | None:
    """The signed-in principal of a request (set by :func:`enforce`)."""
    found: Principal | None = getattr(request.state, "principal", None)
    return found


def csrf_for(request: Request) -> str:
    """The CSRF token dashboard forms carry (empty when not signed in with a session)."""
    principal = principal_of(request)
    if principal is None or not principal.session:
        return ""
    return csrf_token(access_of(request)[3], principal.session)


def _authenticate(request: Request) -> Principal | None:
    settings = request.app.state.settings
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, given = header.partition(" ")
        given = given.strip()
        if scheme.lower() != "bearer" or not given:
            raise ApiError(
                401,
                "Unauthorized",
                "send 'Authorization: Bearer <token>' with a token from 'collabgraph users token'",
                slug="unauthorized",
                headers={"WWW-Authenticate": "Bearer"},
            )
        fixed = settings.api_token
        if fixed is not None and hmac.compare_digest(
            given.encode(), fixed.get_secret_value().strip().encode()
        ):
            return Principal(email="api-token", role=Role.ADMIN, via="token")
        account = access_of(request)[0].check_token(given)
        if account is None:
            raise ApiError(
                401,
                "Unauthorized",
                "that access token is not valid (revoked, or mistyped)",
                slug="unauthorized",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return account.principal("token")
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        accounts, sessions, _, _ = access_of(request)
        email = sessions.email_of(cookie)
        account = accounts.get(email) if email else None
        if account is not None:
            return account.principal("session", cookie)
    return None


def _own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', '')}".lower()


def _same_origin(request: Request) -> bool:
    """Whether the request says it comes from a page of this server."""
    origin = request.headers.get("origin")
    if origin is not None:
        return origin.lower() == _own_origin(request)
    referer = request.headers.get("referer")
    if referer:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}".lower() == _own_origin(request)
    return False


async def _csrf_given(request: Request) -> str:
    given = request.headers.get(CSRF_HEADER, "")
    if given:
        return given
    kind = request.headers.get("content-type", "")
    if kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else ""
    return ""


def _target(request: Request) -> str:
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    return target


async def enforce(request: Request) -> None:
    """Apply the operation's rule to the request (see the module docstring)."""
    route = request.scope.get("route")
    path = str(getattr(route, "path", request.url.path))
    rule = rule_for(request.method, path)
    if rule is None:
        raise ApiError(
            403, "Forbidden", f"no access rule for {request.method} {path}", slug="forbidden"
        )
    request.state.rule = rule
    principal = await run_in_threadpool(_authenticate, request)
    request.state.principal = principal
    unsafe = request.method.upper() in _UNSAFE
    if rule.who == "public":
        sent_from = request.headers.get("origin") or request.headers.get("referer")
        if unsafe and sent_from and not _same_origin(request):
            raise ApiError(
                403, "Forbidden", "this form was sent from another site", slug="forbidden"
            )
        return
    if principal is None:
        raise SignInRequired(
            "sign in first: open the dashboard's sign-in page, or send "
            "'Authorization: Bearer <token>' (see 'collabgraph users token')",
            page=rule.page,
            target=_target(request),
        )
    if principal.via == "session":
        site = request.headers.get("sec-fetch-site")
        mode = request.headers.get("sec-fetch-mode")
        if site in ("cross-site", "same-site") and (unsafe or mode != "navigate"):
            raise ApiError(403, "Forbidden", "refused: sent by another site", slug="forbidden")
        if unsafe:
            if not _same_origin(request):
                raise ApiError(
                    403,
                    "Forbidden",
                    "refused: a change sent with the sign-in cookie must come from this "
                    "server's own pages (Origin or Referer)",
                    slug="forbidden",
                )
            key = access_of(request)[3]
            if not check_csrf(key, principal.session, await _csrf_given(request)):
                raise ApiError(
                    403,
                    "Forbidden",
                    "refused: the form's CSRF token is missing or stale; reload the page",
                    slug="forbidden",
                )
    if principal.role not in rule.roles:
        raise ApiError(
            403,
            "Forbidden",
            f"a {principal.role.value} account may not do this",
            slug="forbidden",
        )
    if rule.who == "district":
        district = str(request.path_params.get("district", ""))
        request.state.district = district
        if not principal.may_see(district):
            raise UnknownDistrict(district)
        if rule.structure and not principal.may_change(district):
            if not principal.may_change_structure(district):
                raise ApiError(
                    403,
                    "Forbidden",
                    "a partner account changes teams, meetings and counterparts only where "
                    "the association has granted it",
                    slug="forbidden",
                )
            request.state.structure_granted = district
    if rule.subject and rule.subject in request.path_params:
        # Removing a person rewrites the store's files too, as an erasure does.
        request.state.rewrite_files = request.method.upper() == "DELETE"
        key = access_of(request)[3]
        district = str(request.path_params.get("district", ""))
        request.state.subject = pseudonym(
            key, district, "Person", str(request.path_params[rule.subject])
        )


def signin_redirect(request: Request, exc: SignInRequired) -> str:
    """Where a page sends someone who is not signed in."""
    root = request.scope.get("root_path", "")
    return f"{root}/signin?next={quote(exc.target, safe='')}"


class GuardedStore:
    """The store as one principal may use it: only their districts, writes where allowed.

    Parameters
    ----------
    inner
        The process's store.
    principal
        Who is asking.
    state
        The request's state (the district written is noted there for the audit log).
    """

    def __init__(self, inner: Store, principal: Principal, state: Any = None) -> None:
        self.inner = inner
        self.principal = principal
        self.kind = inner.kind
        self._state = state

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def _base(self, district: str) -> str:
        from collabgraph.access.research import PROJECTION_PREFIX

        return district.removeprefix(PROJECTION_PREFIX)

    def _visible(self, district: str) -> str:
        if not self.principal.may_see(self._base(district)):
            raise UnknownDistrict(district)
        return district

    def _writable(self, district: str) -> None:
        self._visible(district)
        granted = getattr(self._state, "structure_granted", None) if self._state else None
        if not self.principal.may_change(district) and granted != district:
            raise AccessDenied(
                f"a {self.principal.role.value} account may not change district {district!r}"
            )
        if self._state is not None:
            self._state.district = district

    def run(
        self, name: str, params: Mapping[str, Any] | None = None, *, district: str
    ) -> list[dict[str, Any]]:
        self._writable(district)
        return self.inner.run(name, params, district=district)

    def run_read(
        self, name: str, params: Mapping[str, Any] | None = None, *, district: str
    ) -> list[dict[str, Any]]:
        return self.inner.run_read(name, params, district=self._visible(district))

    def run_system(
        self, name: str, params: Mapping[str, Any] | None = None, *, write: bool = False
    ) -> list[dict[str, Any]]:
        return self.inner.run_system(name, params, write=write)

    def upsert_workbook(self, wb: Workbook, *, replace: bool = False, progress: Any = None) -> Any:
        self._writable(wb.district.id)
        summary = self.inner.upsert_workbook(wb, replace=replace, progress=progress)
        self._rewrite_files()
        return summary

    def _rewrite_files(self) -> None:
        if getattr(self._state, "rewrite_files", False):
            compact = getattr(self.inner, "compact", None)
            if callable(compact):
                compact()  # the person's name leaves the append-only file now

    def put_row(
        self,
        district: str,
        section: str,
        row: Any,
        *,
        key: str | None = None,
        if_revision: Any = None,
    ) -> Any:
        self._writable(district)
        return self.inner.put_row(district, section, row, key=key, if_revision=if_revision)

    def delete_row(self, district: str, section: str, key: str, *, if_revision: Any = None) -> Any:
        self._writable(district)
        result = self.inner.delete_row(district, section, key, if_revision=if_revision)
        self._rewrite_files()
        return result

    def read_graph(self, district: str) -> Any:
        return self.inner.read_graph(self._visible(district))

    def read_workbook(self, district: str) -> Workbook:
        return self.inner.read_workbook(self._visible(district))

    def list_districts(self) -> list[str]:
        return [d for d in self.inner.list_districts() if self.principal.may_see(d)]

    def has_district(self, district: str) -> bool:
        return self.principal.may_see(self._base(district)) and self.inner.has_district(district)

    def delete_district(self, district: str) -> bool:
        self._writable(district)
        return self.inner.delete_district(district)

    def revision(self, district: str) -> str | None:
        return self.inner.revision(self._visible(district))

    def counts(self, district: str | None = None) -> Counts:
        if district is not None:
            return self.inner.counts(self._visible(district))
        total = Counts()
        for d in self.list_districts():
            total = total.add(self.inner.counts(d))
        return total

    def status(self) -> Any:
        return self.inner.status()

    def close(self) -> None:
        self.inner.close()


class AuditMiddleware:
    """Records every audited operation (see :class:`api.policy.Rule`) once it is answered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 0

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            await self._record(scope, status)

    async def _record(self, scope: Scope, status: int) -> None:
        state: dict[str, Any] = scope.get("state") or {}
        rule: Rule | None = state.get("rule")
        principal: Principal | None = state.get("principal")
        if rule is None or rule.audit is None or principal is None:
            return
        app: Any = scope.get("app")
        store = getattr(app.state, "store", None) if app is not None else None
        if store is None:
            return
        route = scope.get("route")
        path = str(getattr(route, "path", ""))
        wave = (scope.get("path_params") or {}).get("wave")
        if wave is not None:  # which survey wave (a plain label) is worth keeping; ids are not
            path = path.replace("{wave}", str(wave))
        operation = f"{rule.audit}: {scope.get('method', '')} {path}"

        def write() -> None:
            Audit(store).record(
                who=principal.email,
                role=principal.role.value,
                operation=operation,
                district=state.get("district"),
                status=str(status or 500),
                subject=state.get("subject"),
            )

        try:
            await run_in_threadpool(write)
        except Exception:  # the answer has gone out; a lost entry is logged, not raised
            import logging

            logging.getLogger("collabgraph.api").exception("could not write an audit entry")


def iter_rules() -> Iterator[tuple[tuple[str, str], Rule]]:
    """Every rule of the policy (for the admin page and the tests)."""
    yield from sorted(POLICY.items())
