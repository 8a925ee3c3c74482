"""Dependencies routes declare with ``Annotated`` aliases.

The store is opened once per process in the app's lifespan and kept on
``app.state``; if it could not be opened (or went away), every request that
needs it retries the opening and, failing that, answers 503 with Retry-After.
Access control lives in :func:`require_token` (and :func:`is_signed_in`, which
the dashboard's pages use) alone, so finer roles can be added in this one place
later. A browser proves it knows the token with the dashboard's sign-in cookie
(:data:`SESSION_COOKIE`, HttpOnly and SameSite=Strict); scripts send it as a
bearer header.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from typing import Annotated, Any, Final

from fastapi import Depends, Request

from api.cache import AnalysisCache
from api.config import Settings
from api.limits import QuerySlots
from api.problems import ApiError
from collabgraph.store import Store, StoreUnavailable, discard_store

__all__ = [
    "SESSION_COOKIE",
    "CacheDep",
    "QuerySlotsDep",
    "SettingsDep",
    "StoreDep",
    "forget_store",
    "get_cache",
    "get_query_slots",
    "get_settings",
    "get_store",
    "is_signed_in",
    "require_token",
    "session_value",
]

#: Name of the dashboard's sign-in cookie.
SESSION_COOKIE: Final = "collabgraph_session"


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


_open_lock = threading.Lock()


def get_store(request: Request, settings: SettingsDep) -> Store:
    """The process's store, reopened on demand after an outage."""
    state = request.app.state
    store: Store | None = state.store
    if store is None:
        with _open_lock:
            store = state.store
            if store is None:
                try:
                    store = state.open_store()
                except StoreUnavailable as exc:
                    raise ApiError(
                        503,
                        "Store unavailable",
                        str(exc),
                        slug="store-unavailable",
                        headers={"Retry-After": str(settings.store_retry_seconds)},
                    ) from exc
                state.store = store
    return store


def forget_store(app: Any, failed: Store | None = None) -> None:
    """Drop the process's store after it went away, so the next request reopens it.

    Reopening the embedded store starts its server again when it has stopped
    (a crash, ``collabgraph stop``); until then requests answer 503.
    """
    state = app.state
    with _open_lock:
        store: Store | None = getattr(state, "store", None)
        if store is None or (failed is not None and store is not failed):
            return
        state.store = None
    discard_store(store)


StoreDep = Annotated[Store, Depends(get_store)]


def session_value(settings: Settings) -> str | None:
    """The sign-in cookie's value for the configured token (``None`` when no token is set).

    A keyed digest of the token rather than the token itself, so the cookie jar
    never holds the bearer token scripts use.
    """
    if settings.api_token is None:
        return None
    key = settings.api_token.get_secret_value().encode()
    return hmac.new(key, b"collabgraph dashboard session", hashlib.sha256).hexdigest()


def is_signed_in(request: Request, settings: Settings) -> bool:
    """Whether the request may proceed: no token configured, or a right bearer header or
    sign-in cookie (both compared in constant time)."""
    if settings.api_token is None:
        return True
    expected = settings.api_token.get_secret_value().encode()
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected):
        return True
    cookie = request.cookies.get(SESSION_COOKIE)
    wanted = session_value(settings)
    return (
        cookie is not None
        and wanted is not None
        and hmac.compare_digest(cookie.encode(), wanted.encode())
    )


def require_token(request: Request, settings: SettingsDep) -> None:
    """When an API token is configured, demand it as a bearer token or the dashboard's
    sign-in cookie (constant-time check)."""
    if not is_signed_in(request, settings):
        raise ApiError(
            401,
            "Unauthorized",
            "this server needs an access token: send 'Authorization: Bearer <token>'",
            slug="unauthorized",
            headers={"WWW-Authenticate": "Bearer"},
        )


def get_cache(request: Request) -> AnalysisCache:
    """The app's analysis cache."""
    cache: AnalysisCache = request.app.state.cache
    return cache


CacheDep = Annotated[AnalysisCache, Depends(get_cache)]


def get_query_slots(request: Request) -> QuerySlots:
    """The app's turns for researchers' queries (``COLLABGRAPH_QUERY_CONCURRENCY``)."""
    slots: QuerySlots = request.app.state.query_slots
    return slots


QuerySlotsDep = Annotated[QuerySlots, Depends(get_query_slots)]
