"""A real ``collabgraph serve`` process for the tests that need several (bounded, 127.0.0.1)."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.api.conftest import wait_for_health

__all__ = ["Server", "serve"]


@dataclass
class Server:
    """One ``collabgraph serve --port 0`` process, its output in files (a pipe could fill)."""

    proc: subprocess.Popen[bytes]
    base: str
    log: Path

    def kill(self) -> None:
        """``kill -9``."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        """Stop it (politely, then not)."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


def serve(env: dict[str, str], log: Path) -> Server:
    """Start ``collabgraph serve`` with ``env`` on 127.0.0.1, a free port; wait for its health."""
    out = log.with_suffix(".out")
    with open(out, "wb") as stdout, open(log, "wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "collabgraph", "serve", "--port", "0"],
            env=env, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", out.read_text())
        if found:
            break
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the server did not start: {log.read_text()[-2000:]}")
        time.sleep(0.05)
    base = f"http://127.0.0.1:{found.group(1)}"
    wait_for_health(base, proc, lambda: log.read_text()[-2000:])
    return Server(proc, base, log)
