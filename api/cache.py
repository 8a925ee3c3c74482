"""Analysis results cached per district revision.

Every write through the API bumps the district's revision, which drops its
cached results at once (a row edit keeps the cached workbook, patched with the
same change, when the store proves the copy was exactly the district the edit
started from: see :meth:`AnalysisCache.put`). A load made outside this process (the command line,
another server) is noticed through a stamp that is part of the key: the
store's own revision token where it keeps one (the embedded store changes it
with every load and write, so nothing stale is served once the stamp is read
again, at most a second later), otherwise a cheap fingerprint of the
district's graph (its node and relationship totals). No entry lives longer
than ``max_age`` seconds, which bounds how stale a result can be on a store
without revision tokens (Neo4j) after an outside edit that keeps the totals.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["AnalysisCache"]

T = TypeVar("T")


class AnalysisCache:
    """A small thread-safe cache: ``(district, revision, what) -> result``.

    At most ``max_entries`` results are kept; past that the least recently
    used goes first.

    >>> cache = AnalysisCache(max_entries=2)
    >>> for what in ("a", "b"):
    ...     _ = cache.get_or_compute("d", 0, what, lambda: what.upper())
    >>> cache.get_or_compute("d", 0, "a", lambda: "recomputed")  # a hit; "b" is now oldest
    'A'
    >>> _ = cache.get_or_compute("d", 0, "c", lambda: "C")  # evicts "b"
    >>> cache.get_or_compute("d", 0, "b", lambda: "recomputed")
    'recomputed'
    >>> cache.get_or_compute("d", 0, "c", lambda: "again")  # kept
    'C'
    """

    def __init__(self, max_entries: int = 256, max_age: float = 60.0) -> None:
        self._lock = threading.Lock()
        self._data: dict[tuple[str, Any, str], tuple[float, Any]] = {}
        self.max_age = max_age
        self._stamps: dict[str, tuple[float, Any]] = {}
        #: How long a district's fingerprint is trusted before it is read again.
        self.stamp_seconds = 1.0
        self._revision: dict[str, int] = {}
        self.max_entries = max_entries

    def revision(self, district: str) -> int:
        """The district's in-process revision number."""
        with self._lock:
            return self._revision.get(district, 0)

    def stamp(self, district: str, read: Callable[[], Any]) -> Any:
        """The district's fingerprint, read at most once a second (bursts cost one read)."""
        now = time.monotonic()
        with self._lock:
            found = self._stamps.get(district)
            if found is not None and now - found[0] < self.stamp_seconds:
                return found[1]
        value = read()
        with self._lock:
            self._stamps[district] = (now, value)
        return value

    def invalidate(self, district: str) -> None:
        """Forget every result of a district (call after any write)."""
        with self._lock:
            self._stamps.pop(district, None)
            self._revision[district] = self._revision.get(district, 0) + 1
            for key in [k for k in self._data if k[0] == district]:
                del self._data[key]

    def peek(self, district: str, stamp: Any, what: str) -> Any:
        """The cached result for ``what`` at ``stamp``, or ``None`` (never computes)."""
        key = (district, (self.revision(district), stamp), what)
        with self._lock:
            found = self._data.get(key)
        if found is None or time.monotonic() - found[0] >= self.max_age:
            return None
        return found[1]

    def put(self, district: str, stamp: Any, what: str, value: Any) -> None:
        """Keep ``value`` as the result for ``what`` at ``stamp`` (a copy patched in place of a
        re-read, after a write this process made)."""
        key = (district, (self.revision(district), stamp), what)
        with self._lock:
            if key not in self._data and len(self._data) >= self.max_entries:
                self._data.pop(next(iter(self._data)))
            self._data[key] = (time.monotonic(), value)

    def get_or_compute(self, district: str, stamp: Any, what: str, compute: Callable[[], T]) -> T:
        """The cached result for ``what``, computing it on a miss."""
        key = (district, (self.revision(district), stamp), what)
        now = time.monotonic()
        with self._lock:
            found = self._data.get(key)
            if found is not None and now - found[0] < self.max_age:
                # Most recently used last: eviction takes the least recently used.
                self._data[key] = self._data.pop(key)
                hit: T = found[1]
                return hit
        value = compute()
        with self._lock:
            if len(self._data) >= self.max_entries:
                self._data.pop(next(iter(self._data)))
            self._data[key] = (now, value)
        return value
