"""Dependencies routes declare with ``Annotated`` aliases.

The store is opened once per process in the app's lifespan and kept on
``app.state``; if it could not be opened (or went away), every request that
needs it retries the opening and, failing that, answers 503 with Retry-After.
Access control is :func:`api.security.enforce`, applied to every route by the
app itself; the store a route gets is guarded for the signed-in principal
(:class:`api.security.GuardedStore`), and :data:`PrincipalDep` tells a route
who is asking where the data differs by role.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any, Final

from fastapi import Depends, Request

from api.cache import AnalysisCache
from api.config import Settings
from api.limits import QuerySlots
from api.problems import ApiError
from collabgraph.access import Principal
from collabgraph.store import Store, StoreUnavailable, discard_store

__all__ = [
    "SESSION_COOKIE",
    "CacheDep",
    "PrincipalDep",
    "QuerySlotsDep",
    "SettingsDep",
    "StoreDep",
    "forget_store",
    "get_cache",
    "get_principal",
    "get_query_slots",
    "get_settings",
    "get_store",
    "is_signed_in",
    "raw_store",
]

#: Name of the dashboard's sign-in cookie.
SESSION_COOKIE: Final = "collabgraph_session"


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


_open_lock = threading.Lock()


def raw_store(request: Request, settings: Settings) -> Store:
    """The process's store, reopened on demand after an outage (unguarded)."""
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


def get_store(request: Request, settings: SettingsDep) -> Store:
    """The process's store as the signed-in principal may use it."""
    store = raw_store(request, settings)
    principal = getattr(request.state, "principal", None)
    if principal is None:
        return store
    from api.security import GuardedStore

    return GuardedStore(store, principal, request.state)


StoreDep = Annotated[Store, Depends(get_store)]


def get_principal(request: Request) -> Principal:
    """Who is asking (routes that need it are never public, so someone is signed in)."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None:
        raise ApiError(401, "Unauthorized", "sign in first", slug="unauthorized")
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def is_signed_in(request: Request, settings: Settings | None = None) -> bool:
    """Whether someone is signed in (the app's access rules have already run)."""
    return getattr(request.state, "principal", None) is not None


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
