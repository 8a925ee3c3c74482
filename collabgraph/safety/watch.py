"""Watch a process's memory while a piece of work runs, and act when it grows too much.

Used around researchers' queries on the embedded store: FalkorDB does not count
every allocation against its per-query memory capacity (a string doubled in a
loop is not counted at all), so the store's resident memory is sampled while
the query runs and, past a budget, the store is restarted before the query can
starve the machine.

Examples
--------
>>> import os
>>> with MemoryWatch(os.getpid(), budget=1 << 40, on_exceed=lambda: None) as watch:
...     _ = sum(range(1000))
>>> watch.tripped
False
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Final

__all__ = ["MemoryWatch", "resident_bytes"]

#: How often the memory is sampled, in seconds.
INTERVAL: Final = 0.02


def resident_bytes(pid: int) -> int | None:
    """A process's resident memory (``VmRSS``), or ``None`` where it cannot be read."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return None


class MemoryWatch:
    """Call ``on_exceed`` once if ``pid`` grows by more than ``budget`` bytes during the block.

    Where memory cannot be read (no ``/proc``), the watch does nothing.
    """

    def __init__(self, pid: int | None, *, budget: int, on_exceed: Callable[[], None]) -> None:
        self.pid = pid
        self.budget = budget
        self.on_exceed = on_exceed
        self.tripped = False
        self.peak_growth = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _run(self, pid: int, start: int) -> None:
        while not self._stop.wait(INTERVAL):
            now = resident_bytes(pid)
            if now is None:
                return
            self.peak_growth = max(self.peak_growth, now - start)
            if now - start > self.budget:
                self.tripped = True
                self.on_exceed()
                return

    def __enter__(self) -> MemoryWatch:
        start = resident_bytes(self.pid) if self.pid else None
        if self.pid and start is not None:
            self._thread = threading.Thread(
                target=self._run, args=(self.pid, start), name="memory-watch", daemon=True
            )
            self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
