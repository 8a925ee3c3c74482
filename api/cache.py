"""Analysis results cached per district revision.

Every write through the API bumps the district's revision, which drops its
cached results. A write made outside this process (the command line, another
server) is noticed through the district's counts, which are part of the key.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["AnalysisCache"]

T = TypeVar("T")


class AnalysisCache:
    """A small thread-safe cache: ``(district, revision, what) -> result``."""

    def __init__(self, max_entries: int = 256) -> None:
        self._lock = threading.Lock()
        self._data: dict[tuple[str, Any, str], Any] = {}
        self._revision: dict[str, int] = {}
        self.max_entries = max_entries

    def revision(self, district: str) -> int:
        """The district's in-process revision number."""
        with self._lock:
            return self._revision.get(district, 0)

    def invalidate(self, district: str) -> None:
        """Forget every result of a district (call after any write)."""
        with self._lock:
            self._revision[district] = self._revision.get(district, 0) + 1
            for key in [k for k in self._data if k[0] == district]:
                del self._data[key]

    def get_or_compute(self, district: str, stamp: Any, what: str, compute: Callable[[], T]) -> T:
        """The cached result for ``what``, computing it on a miss."""
        key = (district, (self.revision(district), stamp), what)
        with self._lock:
            if key in self._data:
                hit: T = self._data[key]
                return hit
        value = compute()
        with self._lock:
            if len(self._data) >= self.max_entries:
                self._data.pop(next(iter(self._data)))
            self._data[key] = value
        return value
