"""The process's store: opened in the app's lifespan, reopened on demand after an outage.

Below :mod:`api.deps` and :mod:`api.security` (both use the unguarded store), above
nothing but :mod:`api.errors` and the library.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import Request

from api.config import Settings
from api.errors import ApiError
from collabgraph.store import Store, StoreUnavailable, discard_store

__all__ = ["forget_store", "raw_store"]

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
