"""Pausing Python's cyclic garbage collector around work that makes many small objects.

Reading a district, analyzing it or closing a survey makes tens of thousands of
small objects and almost no reference cycles. Each burst of allocations starts
a collection, and a full one scans every object the process holds: in a server
that keeps district graphs cached, that scan, not the work, was half of a
survey's close. :func:`paused` turns the collector off for a block and back on
after it (reference counting still frees everything as usual); threads that
pause at once share one pause, and the collector comes back when the last one
leaves.

Examples
--------
>>> import gc
>>> with paused():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["paused"]

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """The block runs with the cyclic collector off (as it was before, after it)."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
