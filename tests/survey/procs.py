"""Real processes for the survey's concurrency tests: a served API, client processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.processes import Server
from tests.processes import serve as serve_env

ROOT = Path(__file__).resolve().parents[2]


def env_for(data: Path) -> dict[str, str]:
    """The environment of a collabgraph process on ``data`` (no Neo4j, no token)."""
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    for name in ("NEO4J_URI", "COLLABGRAPH_STORE", "COLLABGRAPH_API_TOKEN"):
        env.pop(name, None)
    return env


def serve(data: Path, log: Path) -> Server:
    """Start a server on ``data`` (no token) on 127.0.0.1, a free port; wait for its health."""
    return serve_env(env_for(data), log)


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
