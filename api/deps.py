"""Dependencies routes declare with ``Annotated`` aliases.

The store is opened once per process in the app's lifespan and kept on
``app.state``; if it could not be opened (or went away), every request that
needs it retries the opening and, failing that, answers 503 with Retry-After.
Access control lives in :func:`require_token` alone, so finer roles can be
added in this one place later.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from api.cache import AnalysisCache
from api.config import Settings
from api.problems import ApiError
from collabgraph.store import Store, StoreUnavailable

__all__ = [
    "CacheDep",
    "SettingsDep",
    "StoreDep",
    "get_cache",
    "get_settings",
    "get_store",
    "require_token",
]


def get_settings(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_store(request: Request, settings: SettingsDep) -> Store:
    """The process's store, reopened on demand after an outage."""
    state = request.app.state
    store: Store | None = state.store
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


StoreDep = Annotated[Store, Depends(get_store)]


def require_token(request: Request, settings: SettingsDep) -> None:
    """When an API token is configured, demand it as a bearer token (constant-time check)."""
    if settings.api_token is None:
        return
    expected = settings.api_token.get_secret_value().encode()
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected):
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
