"""Real processes for the survey's concurrency tests: a served API, client processes."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.api.conftest import wait_for_health

ROOT = Path(__file__).resolve().parents[2]


def env_for(data: Path) -> dict[str, str]:
    """The environment of a collabgraph process on ``data`` (no Neo4j, no token)."""
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    for name in ("NEO4J_URI", "COLLABGRAPH_STORE", "COLLABGRAPH_API_TOKEN"):
        env.pop(name, None)
    return env


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


def serve(data: Path, log: Path) -> Server:
    """Start a server on 127.0.0.1 on a free port and wait for its health check."""
    out = log.with_suffix(".out")
    with open(out, "wb") as stdout, open(log, "wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "collabgraph", "serve", "--port", "0"],
            env=env_for(data), stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL,
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


def clients(
    base: str, shards: list[Path], roster: Path, *, stop_on_error: bool = False
) -> list[subprocess.Popen[bytes]]:
    """One burst client process per shard of tokens (its acknowledgements in ``<shard>.out``)."""
    procs = []
    for shard in shards:
        args = [sys.executable, "-m", "tests.survey.burst_client", base, str(shard),
                str(shard.with_suffix(".out")), "--roster", str(roster)]  # fmt: skip
        if stop_on_error:
            args.append("--stop-on-error")
        procs.append(subprocess.Popen(args, cwd=ROOT, env=env_for(Path("/nonexistent"))))
    return procs


def acknowledged(shards: list[Path]) -> list[tuple[str, int, float]]:
    """Every (respondent, status, seconds) line the clients wrote so far."""
    out = []
    for shard in shards:
        path = shard.with_suffix(".out")
        if path.exists():
            for line in path.read_text().splitlines():
                parts = line.split()
                if len(parts) == 3:
                    out.append((parts[0], int(parts[1]), float(parts[2])))
    return out
