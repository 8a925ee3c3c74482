"""The collabgraph HTTP API: app factory and lifespan.

Run it with ``collabgraph serve``; create it in tests with :func:`create_app`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.middleware.trustedhost import TrustedHostMiddleware

from api.cache import AnalysisCache
from api.config import Settings, get_settings
from api.errors import ApiError, ProblemDetail, problem_response
from api.limits import BodySizeLimit, QuerySlots
from api.problems import install_handlers, library_error
from api.routes import (
    admin,
    analyses,
    auth,
    districts,
    entities,
    exports,
    health,
    imports,
    pages,
    people,
    queries,
    survey_form,
    survey_new,
    survey_pages,
    surveys,
    templates,
    views,
)
from api.security import AuditMiddleware, SignInRequired, enforce, signin_redirect
from api.web import render_page
from collabgraph import __version__
from collabgraph.store import Store, StoreSettings, StoreUnavailable, UnknownDistrict, open_store

__all__ = ["app", "create_app"]

_PROBLEM_CONTENT: dict[str, Any] = {
    "application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ProblemDetail, "description": text, "content": _PROBLEM_CONTENT}
    for code, text in {
        400: "The query or request was refused, with the reason",
        401: "Not signed in: no, or a wrong, access token or session",
        403: "Signed in, but this account may not do this (or the CSRF check failed)",
        404: "Unknown district, entity or named query",
        409: "The row already exists",
        413: "Request body too large",
        422: "Invalid input, with every problem and its place",
        429: "Too many queries at once (see Retry-After)",
        500: "Unexpected error (logged; never a traceback)",
        503: "The graph store is unavailable (see Retry-After)",
        504: "The query ran past its time limit and was stopped",
    }.items()
}


def create_app(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    store_settings: StoreSettings | None = None,
    setup_token: str | None = None,
) -> FastAPI:
    """Build the API.

    Parameters
    ----------
    settings
        API settings; default from the environment.
    store
        An already-open store to use (``collabgraph serve`` opens it first to fail
        fast; tests); otherwise the lifespan opens the configured one and closes
        it on shutdown.
    store_settings
        Which store to open when ``store`` is not given, and to open again after
        an outage (a store given without settings is reused as it is).
    setup_token
        The one-time token of the first-run sign-in link (``collabgraph serve``
        makes one when the store has no account yet); ``None``: no setup link.
    """
    settings = settings or get_settings()

    def opener() -> Store:
        return open_store(store_settings)

    # After an outage the store is opened again from its settings; a store handed
    # in without settings (tests) is simply used again.
    reopen = opener if store is None or store_settings is not None else (lambda: store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.open_store = reopen
        if store is not None:
            app.state.store = store
        else:
            try:
                app.state.store = opener()
            except StoreUnavailable:
                app.state.store = None  # requests retry and answer 503 meanwhile
        _clean_scratch(app.state.store)
        try:
            yield
        finally:
            current = app.state.store
            if current is not None and current is not store:  # ours to close
                current.close()

    app = FastAPI(
        title="collabgraph",
        version=__version__,
        summary="A district's labor-management partnership as a graph: rep-network density, "
        "structural gaps, role-alike counterparts.",
        lifespan=lifespan,
        responses=_ERRORS,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served by api.routes.docs, behind the access rules
        # Every route, the dashboard's pages included, passes the access rules first.
        dependencies=[Depends(enforce)],
    )
    # Set now as well, so the app works under a test client that skips the lifespan.
    app.state.settings = settings
    app.state.cache = AnalysisCache()
    app.state.query_slots = QuerySlots(settings.query_concurrency, wait_ms=settings.query_wait_ms)
    app.state.pdf_slots = QuerySlots(settings.pdf_concurrency, wait_ms=settings.pdf_wait_ms)
    app.state.setup_token = setup_token
    install_handlers(app)

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        if exc.page:
            return RedirectResponse(signin_redirect(request, exc), status_code=303)
        return problem_response(
            401, exc.title, exc.detail, slug=exc.slug, headers={"WWW-Authenticate": "Bearer"}
        )

    @app.exception_handler(ApiError)
    async def _refused(request: Request, exc: ApiError) -> Response:
        rule = getattr(request.state, "rule", None)
        if exc.status == 403 and rule is not None and rule.page:
            return render_page(request, "forbidden.html.j2", status_code=403, detail=exc.detail)
        return problem_response(
            exc.status, exc.title, exc.detail, slug=exc.slug, errors=exc.errors, headers=exc.headers
        )

    @app.exception_handler(UnknownDistrict)
    async def _hidden(request: Request, exc: UnknownDistrict) -> Response:
        rule = getattr(request.state, "rule", None)
        if rule is not None and rule.page:
            return render_page(request, "not_found.html.j2", status_code=404, district=exc.district)
        return await library_error(request, exc)

    app.add_middleware(AuditMiddleware)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.host_names())
    app.add_middleware(_Headers)
    from api.routes import docs

    for module in (
        health,
        districts,
        imports,
        entities,
        people,
        analyses,
        exports,
        queries,
        surveys,
        templates,
        views,
        docs,
        auth,
        admin,
        pages,
        survey_new,
        survey_pages,
        survey_form,  # public: the link's token is the respondent's only credential
    ):
        router: Any = module.router
        app.include_router(router)
    return app


def _clean_scratch(store: Store | None) -> None:
    """Remove uploads and exports a killed process left in the data folder's scratch area."""
    from collabgraph.safety.scratch import clean_stale
    from collabgraph.store.embedded import default_data_dir

    server = getattr(store, "server", None)
    clean_stale(server.data_dir if server is not None else default_data_dir())


class _Headers:
    """Headers on every response: other origins may not embed or read what we send."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def add(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                for name, value in (
                    (b"cross-origin-resource-policy", b"same-origin"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"SAMEORIGIN"),
                ):
                    if name not in names:
                        headers.append((name, value))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, add)


def _factory() -> Callable[[], FastAPI]:
    return create_app


app = create_app
