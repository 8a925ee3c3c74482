"""Sign-in throttling: too many failures for one account or one address wait a while.

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

import threading
import time
from collections import deque
from typing import Final

__all__ = ["ACCOUNT_LIMIT", "ADDRESS_LIMIT", "WINDOW_SECONDS", "Throttle"]

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
