"""The graph store: embedded FalkorDB by default, Neo4j when configured.

Open the process's store with :func:`open_store`; it returns one
:class:`~collabgraph.store.base.Store` per settings and process, closed at exit.

>>> from collabgraph.store import StoreSettings
>>> StoreSettings.from_env("embedded", env={}).kind
'embedded'

See ``docs/store.md`` for the stored graph, the load protocol and the hardening.
"""

from __future__ import annotations

import atexit
import contextlib
import threading

from collabgraph.store.base import (
    Counts,
    EditResult,
    LoadSummary,
    Progress,
    StaleRevision,
    Store,
    StoreError,
    StoreStatus,
    StoreUnavailable,
    UnknownDistrict,
)
from collabgraph.store.settings import StoreSettings

__all__ = [
    "Counts",
    "EditResult",
    "LoadSummary",
    "Progress",
    "StaleRevision",
    "Store",
    "StoreError",
    "StoreSettings",
    "StoreStatus",
    "StoreUnavailable",
    "UnknownDistrict",
    "close_stores",
    "discard_store",
    "open_embedded",
    "open_neo4j",
    "open_store",
]

_open: dict[StoreSettings, Store] = {}
_lock = threading.Lock()


def open_embedded(settings: StoreSettings) -> Store:
    """Start (or join) the embedded FalkorDB server of the settings' data folder."""
    from collabgraph.store.embedded import EmbeddedServer, default_data_dir
    from collabgraph.store.falkor import FalkorStore, connect_unix

    server = EmbeddedServer(settings.data_dir or default_data_dir(), limits=settings.limits)
    socket = server.ensure_running()
    store = FalkorStore(connect_unix(str(socket)), server=server, batch_size=settings.batch_size)
    try:
        store.remove_stale_staging()  # half-built copies of loads that crashed
    except BaseException:
        store.close()
        raise
    return store


def open_neo4j(settings: StoreSettings) -> Store:
    """Connect to Neo4j with the official driver and create the schema on first use."""
    from collabgraph.store.neo4j_store import Neo4jStore

    return Neo4jStore.connect(settings)


def open_store(settings: StoreSettings | None = None) -> Store:
    """The process's store for these settings (default: from the environment).

    Raises
    ------
    StoreUnavailable
        When the store cannot be started or reached, with the reason in one line.
    """
    settings = settings or StoreSettings.from_env()
    with _lock:
        store = _open.get(settings)
        if store is None:
            store = open_neo4j(settings) if settings.kind == "neo4j" else open_embedded(settings)
            _open[settings] = store
        return store


def discard_store(store: Store) -> None:
    """Close a store that went away and forget it, so :func:`open_store` opens a new one.

    For the embedded store, opening again starts its server again if it stopped.
    """
    with _lock:
        for key in [k for k, v in _open.items() if v is store]:
            del _open[key]
    with contextlib.suppress(Exception):
        store.close()


def close_stores() -> None:
    """Close every store this process opened (run at exit)."""
    with _lock:
        for store in _open.values():
            store.close()
        _open.clear()


atexit.register(close_stores)
