"""Which store to use and how to reach it, from options and the environment.

=========================  ====================================================
``COLLABGRAPH_STORE``      ``embedded`` or ``neo4j``; default ``neo4j`` when
                           ``NEO4J_URI`` is set, else ``embedded``
``COLLABGRAPH_DATA_DIR``   the embedded store's folder (default: the user's
                           data folder, e.g. ``~/.local/share/collabgraph``)
``COLLABGRAPH_BATCH_SIZE`` rows per ``UNWIND`` statement (default 2000)
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

__all__ = ["DEFAULT_BATCH_SIZE", "StoreKind", "StoreSettings"]

StoreKind = Literal["embedded", "neo4j"]

DEFAULT_BATCH_SIZE: Final = 2000


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
        )
