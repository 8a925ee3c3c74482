"""Health and version: is the service up, and can it reach its store?"""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.schemas import HealthPublic
from collabgraph import __version__
from collabgraph.errors import CollabGraphError
from collabgraph.store import Store

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get("/health", summary="Service and store health", response_model=HealthPublic)
def health(request: Request) -> HealthPublic:
    """Always answers (no token needed); says whether the store is reachable."""
    state = request.app.state
    store: Store | None = getattr(state, "store", None)
    try:
        if store is None:
            store = state.open_store()
            state.store = store
        status = store.status()
    except CollabGraphError as exc:
        kind = getattr(store, "kind", "unknown")
        return HealthPublic(
            ok=False, version=__version__, store_kind=kind, store_reachable=False, detail=str(exc)
        )
    return HealthPublic(
        ok=True,
        version=__version__,
        store_kind=status.kind,
        store_reachable=True,
        store_version=status.version,
    )
