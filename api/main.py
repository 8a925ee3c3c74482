"""The collabgraph HTTP API: app factory and lifespan.

Run it with ``collabgraph serve``; create it in tests with :func:`create_app`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI

from api.cache import AnalysisCache
from api.config import Settings, get_settings
from api.deps import require_token
from api.limits import BodySizeLimit, QuerySlots
from api.problems import ProblemDetail, install_handlers
from api.routes import (
    analyses,
    districts,
    entities,
    exports,
    health,
    imports,
    pages,
    queries,
    templates,
    views,
)
from collabgraph import __version__
from collabgraph.store import Store, StoreSettings, StoreUnavailable, open_store

__all__ = ["app", "create_app"]

_PROBLEM_CONTENT: dict[str, Any] = {
    "application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ProblemDetail, "description": text, "content": _PROBLEM_CONTENT}
    for code, text in {
        400: "The query or request was refused, with the reason",
        401: "Missing or wrong access token",
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
    )
    # Set now as well, so the app works under a test client that skips the lifespan.
    app.state.settings = settings
    app.state.cache = AnalysisCache()
    app.state.query_slots = QuerySlots(settings.query_concurrency, wait_ms=settings.query_wait_ms)
    install_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    guarded: list[Any] = [Depends(require_token)]
    app.include_router(health.router)
    for module in (districts, imports, entities, analyses, exports, queries, templates, views):
        router: Any = module.router
        app.include_router(router, dependencies=guarded)
    _mount_docs(app, guarded)
    # The dashboard's pages check the token themselves (a sign-in page, not a 401).
    app.include_router(pages.router)
    return app


def _clean_scratch(store: Store | None) -> None:
    """Remove uploads and exports a killed process left in the data folder's scratch area."""
    from collabgraph.safety.scratch import clean_stale
    from collabgraph.store.embedded import default_data_dir

    server = getattr(store, "server", None)
    clean_stale(server.data_dir if server is not None else default_data_dir())


def _mount_docs(app: FastAPI, guarded: list[Any]) -> None:
    """Swagger UI served from our own package (works with no internet access)."""
    from api.routes import docs

    app.include_router(docs.router)


def _factory() -> Callable[[], FastAPI]:
    return create_app


app = create_app
