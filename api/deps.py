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

from typing import Annotated, Final

from fastapi import Depends, Request

from api.cache import AnalysisCache
from api.config import Settings
from api.errors import ApiError
from api.limits import QuerySlots
from api.security import GuardedStore
from api.storage import forget_store, raw_store
from collabgraph.access import Principal
from collabgraph.store import Store

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


def get_store(request: Request, settings: SettingsDep) -> Store:
    """The process's store as the signed-in principal may use it."""
    store = raw_store(request, settings)
    principal = getattr(request.state, "principal", None)
    if principal is None:
        return store
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
