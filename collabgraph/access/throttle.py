"""Sign-in throttling: too many failures for one account or one address wait a while.

:class:`Throttle` counts in this process (for tests and a store-less app);
:class:`StoreThrottle` counts in the store, so every server process on one data
folder (or one Neo4j) shares the same counts: a second process is no second
set of tries. The store holds only HMACs of the accounts and addresses.

>>> t = Throttle(limit=2, window=60.0)
>>> t.blocked("a", "1.2.3.4", now=0.0)
0.0
>>> t.failed("a", "1.2.3.4", now=0.0); t.failed("a", "1.2.3.4", now=1.0)
>>> t.blocked("a", "5.6.7.8", now=2.0) > 0   # the account is locked, from anywhere
True
>>> t.blocked("a", "1.2.3.4", now=100.0)
0.0
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import deque
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collabgraph.store.base import Store

__all__ = ["ACCOUNT_LIMIT", "ADDRESS_LIMIT", "WINDOW_SECONDS", "StoreThrottle", "Throttle"]

#: Failed sign-ins allowed per account within the window.
ACCOUNT_LIMIT: Final = 5
#: Failed sign-ins allowed per client address within the window.
ADDRESS_LIMIT: Final = 20
#: The window, in seconds.
WINDOW_SECONDS: Final = 15 * 60.0


class Throttle:
    """Counts failed sign-ins per account and per address (in this process)."""

    def __init__(
        self,
        *,
        limit: int = ACCOUNT_LIMIT,
        address_limit: int | None = None,
        window: float = WINDOW_SECONDS,
    ) -> None:
        self.limit = limit
        self.address_limit = address_limit if address_limit is not None else max(limit, 4 * limit)
        self.window = window
        self._fails: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._fails.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def blocked(self, account: str, address: str, *, now: float | None = None) -> float:
        """Seconds to wait before another try (0 when a try is allowed)."""
        at = time.monotonic() if now is None else now
        with self._lock:
            waits = []
            for key, limit in (("a:" + account, self.limit), ("i:" + address, self.address_limit)):
                times = self._recent(key, at)
                if len(times) >= limit:
                    waits.append(times[0] + self.window - at)
            return max(waits, default=0.0)

    def failed(self, account: str, address: str, *, now: float | None = None) -> None:
        """Record a failed sign-in."""
        at = time.monotonic() if now is None else now
        with self._lock:
            if len(self._fails) > 100_000:
                self._fails.clear()
            for key in ("a:" + account, "i:" + address):
                self._recent(key, at).append(at)

    def succeeded(self, account: str) -> None:
        """Forget an account's failures after a right password."""
        with self._lock:
            self._fails.pop("a:" + account, None)


class StoreThrottle:
    """Counts failed sign-ins per account and per address in the store (every process).

    Same rules as :class:`Throttle`; the times are the wall clock (shared between
    processes), the keys HMAC-SHA-256 of ``a:<account>`` / ``i:<address>`` under the
    install secret, so the store never holds an address or an unknown e-mail.
    Failures older than the window are removed whenever one is recorded.
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
