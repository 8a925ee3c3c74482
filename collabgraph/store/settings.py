"""Which store to use and how to reach it, from options and the environment.

=========================  ====================================================
``COLLABGRAPH_STORE``      ``embedded`` or ``neo4j``; default ``neo4j`` when
                           ``NEO4J_URI`` is set, else ``embedded``
``COLLABGRAPH_DATA_DIR``   the embedded store's folder (default: the user's
                           data folder, e.g. ``~/.local/share/collabgraph``)
``COLLABGRAPH_BATCH_SIZE`` rows per ``UNWIND`` statement (default 2000)
``COLLABGRAPH_STORE_MEMORY_MB``  the embedded server's ``maxmemory`` (default 2048);
                           its address space is capped at that plus
                           ``ServerLimits.headroom_mb``
``COLLABGRAPH_QUERY_MEMORY_MB``  what one query may allocate (default 512)
``COLLABGRAPH_STORE_THREADS``    queries the server runs at once (default 2)
``COLLABGRAPH_STORE_QUEUE``      queries waiting before new ones are refused (32)
``NEO4J_URI``              e.g. ``neo4j://localhost:7687``
``NEO4J_USER``             default ``neo4j``
``NEO4J_PASSWORD``         no authentication when unset
``NEO4J_DATABASE``         default: the server's default database
=========================  ====================================================

Examples
--------
>>> StoreSettings.from_env(env={}).kind
'embedded'
>>> StoreSettings.from_env(env={"NEO4J_URI": "bolt://db:7687"}).kind
'neo4j'
>>> StoreSettings.from_env("embedded", env={"NEO4J_URI": "bolt://db:7687"}).kind
'embedded'
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from collabgraph.store.base import StoreError

__all__ = ["DEFAULT_BATCH_SIZE", "ServerLimits", "StoreKind", "StoreSettings"]

StoreKind = Literal["embedded", "neo4j"]

DEFAULT_BATCH_SIZE: Final = 2000


def _whole(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name, "").strip() or str(default)
    try:
        value = int(raw)
        if not low <= value <= high:
            raise ValueError
    except ValueError:
        raise StoreError(
            f"{name} must be a whole number from {low} to {high}, not {raw!r}"
        ) from None
    return value


@dataclass(frozen=True)
class ServerLimits:
    """Resource limits of the embedded FalkorDB server (it sets none of its own).

    ``memory_mb`` is Redis's ``maxmemory`` (writes are refused past it, nothing is
    evicted) and, plus ``headroom_mb``, the server process's address-space limit:
    an allocation past that fails at once instead of starving the machine.

    >>> ServerLimits.from_env({"COLLABGRAPH_STORE_MEMORY_MB": "1024"}).address_space_bytes
    2147483648
    """

    memory_mb: int = 2048
    query_memory_mb: int = 512
    threads: int = 2
    queue: int = 32
    headroom_mb: int = 1024

    @property
    def address_space_bytes(self) -> int:
        """The server's ``RLIMIT_AS``: its data, the queries in flight and its own overhead."""
        return (self.memory_mb + self.headroom_mb) * 1024 * 1024

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServerLimits:
        """Limits from ``COLLABGRAPH_STORE_MEMORY_MB`` and its siblings.

        Raises
        ------
        StoreError
            For a value that is not a whole number in range.
        """
        env = os.environ if env is None else env
        return cls(
            memory_mb=_whole(env, "COLLABGRAPH_STORE_MEMORY_MB", cls.memory_mb, 256, 1 << 20),
            query_memory_mb=_whole(
                env, "COLLABGRAPH_QUERY_MEMORY_MB", cls.query_memory_mb, 16, 1 << 20
            ),
            threads=_whole(env, "COLLABGRAPH_STORE_THREADS", cls.threads, 1, 256),
            queue=_whole(env, "COLLABGRAPH_STORE_QUEUE", cls.queue, 1, 100_000),
        )


@dataclass(frozen=True)
class StoreSettings:
    """Everything needed to open a store."""

    kind: StoreKind = "embedded"
    data_dir: Path | None = None
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str | None = None
    batch_size: int = DEFAULT_BATCH_SIZE
    limits: ServerLimits = ServerLimits()

    @classmethod
    def from_env(
        cls, store: str | None = None, *, env: Mapping[str, str] | None = None
    ) -> StoreSettings:
        """Settings from an explicit ``--store`` choice and the environment.

        Raises
        ------
        StoreError
            For an unknown store kind, a bad batch size, or ``neo4j`` without a URI.
        """
        env = os.environ if env is None else env
        uri = env.get("NEO4J_URI") or None
        choice = (store or env.get("COLLABGRAPH_STORE") or ("neo4j" if uri else "embedded")).strip()
        if choice not in ("embedded", "neo4j"):
            raise StoreError(f"unknown store {choice!r}: use 'embedded' or 'neo4j'")
        if choice == "neo4j" and not uri:
            raise StoreError("the neo4j store needs NEO4J_URI (e.g. neo4j://localhost:7687)")
        raw_batch = env.get("COLLABGRAPH_BATCH_SIZE", str(DEFAULT_BATCH_SIZE))
        try:
            batch = int(raw_batch)
            if batch < 1:
                raise ValueError
        except ValueError:
            raise StoreError(
                f"COLLABGRAPH_BATCH_SIZE must be a positive whole number, not {raw_batch!r}"
            ) from None
        data_dir = env.get("COLLABGRAPH_DATA_DIR")
        kind: StoreKind = "neo4j" if choice == "neo4j" else "embedded"
        return cls(
            kind=kind,
            data_dir=Path(data_dir).expanduser() if data_dir else None,
            neo4j_uri=uri,
            neo4j_user=env.get("NEO4J_USER") or "neo4j",
            neo4j_password=env.get("NEO4J_PASSWORD") or None,
            neo4j_database=env.get("NEO4J_DATABASE") or None,
            batch_size=batch,
            limits=ServerLimits.from_env(env),
        )
