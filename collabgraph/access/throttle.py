"""Sign-in throttling: too many failures for one account or one address wait a while.

The failures are counted in the store, so every server process on one data
folder (or one Neo4j) shares the same counts: a second process is no second
set of tries. The store holds only HMACs of the accounts and addresses.
``tests/store/test_access_store.py`` runs it on each store.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collabgraph.store.base import Store

__all__ = ["ACCOUNT_LIMIT", "ADDRESS_LIMIT", "WINDOW_SECONDS", "Throttle"]

#: Failed sign-ins allowed per account within the window.
ACCOUNT_LIMIT: Final = 5
#: Failed sign-ins allowed per client address within the window.
ADDRESS_LIMIT: Final = 20
#: The window, in seconds.
WINDOW_SECONDS: Final = 15 * 60.0


class Throttle:
    """Counts failed sign-ins per account and per address in the store (every process).

    After ``limit`` failures for one account (or ``address_limit``, 4 x ``limit``
    unless given, from one address) within ``window`` seconds, :meth:`blocked` says
    how long to wait. The times are the wall clock (shared between processes), the
    keys HMAC-SHA-256 of ``a:<account>`` / ``i:<address>`` under the install secret,
    so the store never holds an address or an unknown e-mail. Failures older than
    the window are removed whenever one is recorded.
    """

    def __init__(
        self,
        store: Store,
        secret: bytes,
        *,
        limit: int = ACCOUNT_LIMIT,
        address_limit: int | None = None,
        window: float = WINDOW_SECONDS,
    ) -> None:
        self.store = store
        self.secret = secret
        self.limit = limit
        self.address_limit = address_limit if address_limit is not None else max(limit, 4 * limit)
        self.window = window

    def _key(self, kind: str, value: str) -> str:
        return hmac.new(self.secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()

    def blocked(self, account: str, address: str, *, now: float | None = None) -> float:
        """Seconds to wait before another try (0 when a try is allowed)."""
        at = time.time() if now is None else now
        limits = {self._key("a", account): self.limit, self._key("i", address): self.address_limit}
        rows = self.store.run_system(
            "count_sign_in_failures", {"keys": list(limits), "since": at - self.window}
        )
        waits = [
            float(r["first"]) + self.window - at for r in rows if int(r["n"]) >= limits[r["digest"]]
        ]
        return max(waits, default=0.0)

    def failed(self, account: str, address: str, *, now: float | None = None) -> None:
        """Record a failed sign-in (and forget the ones older than the window)."""
        at = time.time() if now is None else now
        self.store.run_system(
            "delete_old_sign_in_failures", {"before": at - self.window}, write=True
        )
        keys = [self._key("a", account), self._key("i", address)]
        self.store.run_system("create_sign_in_failures", {"keys": keys, "now": at}, write=True)

    def succeeded(self, account: str) -> None:
        """Forget an account's failures after a right password."""
        self.store.run_system(
            "delete_sign_in_failures", {"digest": self._key("a", account)}, write=True
        )
