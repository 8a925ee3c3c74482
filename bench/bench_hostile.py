"""Peak memory and time to refusal of each hostile input (issue 11), on a real server.

A real ``collabgraph serve`` (127.0.0.1, a free port) runs on a temporary data
folder with the default limits. For each attack of ``tests/hostile.py`` the peak
resident memory of the API process and of the embedded FalkorDB server is reset
(``/proc/<pid>/clear_refs``), the attack is sent (four at once where the issue
did), and the figures are the growth of each peak over the resident memory just
before, and the time until the last answer. The peer is the same server's
answer to a tiny valid request, measured the same way.

Run::

    .venv/bin/python bench/bench_hostile.py
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from collabgraph.store.embedded import EmbeddedServer
from tests.api.conftest import mini_yaml
from tests.hostile import (
    BIG_UNWIND,
    DOUBLING,
    QUADRATIC,
    billion_laughs,
    csv_zip_rows,
    deep_json,
    xlsx_bomb,
    xlsx_lying,
    xlsx_rows,
)

MB = 1024 * 1024


def _status(pid: int, field: str) -> int:
    if not pid or not Path(f"/proc/{pid}").exists():
        return 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _reset_peak(pid: int) -> None:
    if pid:
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(data), "TMPDIR": tmp}
        env.pop("NEO4J_URI", None)
        proc = subprocess.Popen(
            [sys.executable, "-m", "collabgraph", "serve", "--port", "0"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert proc.stdout is not None
            found = re.search(r":(\d+)/", proc.stdout.readline())
            assert found
            base = f"http://127.0.0.1:{found.group(1)}"
            for _ in range(300):
                try:
                    if httpx.get(base + "/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            client = httpx.Client(base_url=base, timeout=120)
            client.post("/imports", files={"file": ("mini.yaml", mini_yaml())})
            run(client, proc.pid, EmbeddedServer(data), base)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            EmbeddedServer(data).stop()


def _query(base: str, query: str, **extra: object) -> Callable[[], httpx.Response]:
    def call() -> httpx.Response:
        body = {"district": "mini", "query": query, **extra}
        return httpx.post(base + "/queries/run", json=body, timeout=120)

    return call


def _upload(base: str, name: str, data: bytes) -> Callable[[], httpx.Response]:
    def call() -> httpx.Response:
        return httpx.post(
            base + "/imports",
            params={"validate_only": "true"},
            files={"file": (name, data)},
            timeout=120,
        )

    return call


def run(client: httpx.Client, api_pid: int, server: EmbeddedServer, base: str) -> None:
    attacks: list[tuple[str, int, Callable[[], httpx.Response]]] = [
        ("peer: RETURN 1", 1, _query(base, "RETURN 1 AS one")),
        ("UNWIND range(1, 1e9) RETURN count(x), 4 at once", 4, _query(base, BIG_UNWIND)),
        (
            "UNWIND range(1, 1e6) RETURN x, x AS y (row cap), 4 at once",
            4,
            _query(base, "UNWIND range(1, 1000000) AS x RETURN x, x AS y"),
        ),
        (
            "100M-row count, timeout 5 s, 4 at once",
            4,
            _query(base, "UNWIND range(1, 1000000) AS x UNWIND range(1, 100) AS y RETURN count(y)"),
        ),
        ("billion laughs YAML (574 bytes)", 1, _upload(base, "l.yaml", billion_laughs())),
        ("JSON nested 100,000 deep", 1, _upload(base, "d.json", deep_json())),
        ("xlsx inflating to 1 GB (1.2 MB)", 1, _upload(base, "b.xlsx", xlsx_bomb(1024))),
        ("xlsx declaring 1 KB, inflating to 50 MB", 1, _upload(base, "y.xlsx", xlsx_lying(50))),
        ("xlsx with 1,000,000 rows", 1, _upload(base, "r.xlsx", xlsx_rows(1_000_000))),
        ("CSV zip with 2,000,000 rows", 1, _upload(base, "r.zip", csv_zip_rows(2_000_000))),
        (
            "quadratic string (engine ignores its 5 s limit; store restarted)",
            1,
            _query(base, QUADRATIC),
        ),
        (
            "string doubled 40 times (past the memory budget; store restarted)",
            1,
            _query(base, DOUBLING),
        ),
    ]
    print("| attack | answers | API peak +MB | store peak +MB | time to last answer (s) |")
    print("|---|---|---:|---:|---:|")
    for name, n, call in attacks:
        print(measure(name, n, call, api_pid, server, client), flush=True)


def measure(
    name: str,
    n: int,
    call: Callable[[], httpx.Response],
    api_pid: int,
    server: EmbeddedServer,
    client: httpx.Client,
) -> str:
    """One table row: send ``call`` ``n`` times at once; peaks over the RSS before; time."""
    store = server.pid() or 0
    api_before, store_before = _status(api_pid, "VmRSS"), _status(store, "VmRSS")
    _reset_peak(api_pid)
    _reset_peak(store)
    answers: list[int] = []
    sampled = [0]
    done = threading.Event()

    def sample() -> None:
        # The store's peak by sampling too: a store that ends takes its VmHWM with it.
        while not done.wait(0.02):
            sampled[0] = max(sampled[0], _status(store, "VmRSS"))

    def one() -> None:
        answers.append(call().status_code)

    sampler = threading.Thread(target=sample)
    sampler.start()
    started = time.monotonic()
    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - started
    api_peak = _status(api_pid, "VmHWM") - api_before
    ended = 503 in answers
    store_peak = max(sampled[0], 0 if ended else _status(store, "VmHWM")) - store_before
    done.set()
    sampler.join()
    client.get("/districts")  # after a 503, this request starts the store again
    shown = ", ".join(str(a) for a in sorted(answers))
    peak = f"{store_peak / MB:.0f}" + (" (then ended)" if ended else "")
    return f"| {name} | {shown} | {api_peak / MB:.0f} | {peak} | {took:.2f} |"


if __name__ == "__main__":
    main()
