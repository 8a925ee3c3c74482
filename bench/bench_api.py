"""Benchmark the HTTP API against peers run side by side on the same server.

A real ``uvicorn`` server (one worker, 127.0.0.1, a free port), in a process of
its own, serves the app on a temporary embedded store holding a generated
1,000-school district; this process is the client, and runs the peers too, each
peer run right after the request it is compared with. Figures:

* **graph endpoint** end to end (``GET /districts/{d}/graph``, every node and
  edge) against ``orjson.dumps`` of the same dicts: the ratio of times;
* **small JSON endpoint** requests/s (``GET /districts/{d}``) against a bare
  ``{"ok": true}`` endpoint on the same app, worker and client;
* **analysis endpoints**: p50/p95 latency of the first (cold) and repeated
  (cached) requests, and the cache speed-up;
* **the access check**: requests/s of a bare endpoint that needs a signed-in
  account (bearer token, or session cookie) against the same endpoint open to
  anyone: what authenticating every request costs.

Every request is made as an admin with an API token (the API has no anonymous
access).

Run::

    .venv/bin/python bench/bench_api.py [--schools 1000] [--requests 200]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import orjson

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import peer_server  # type: ignore[import-not-found]  # noqa: E402

from collabgraph.access import Accounts  # noqa: E402
from collabgraph.generate import generate_workbook  # noqa: E402
from collabgraph.store.embedded import EmbeddedServer  # noqa: E402
from collabgraph.store.falkor import FalkorStore  # noqa: E402


def serve(port_file: str) -> None:
    """The server process: the real app plus a bare endpoint."""
    from api.config import Settings
    from api.main import create_app
    from api.policy import POLICY, Rule

    app = create_app(Settings())
    POLICY[("GET", "/bench/ok")] = Rule("public")
    POLICY[("GET", "/bench/signed")] = Rule("signed_in")

    @app.get("/bench/ok", include_in_schema=False)
    def ok() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/bench/signed", include_in_schema=False)
    def signed() -> dict[str, bool]:
        return {"ok": True}

    peer_server.serve(app, port_file)


def start_api(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    return peer_server.start_api(__file__, data)


def timed(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return

    from falkordb import FalkorDB

    with tempfile.TemporaryDirectory(prefix="bench-api-") as tmp:
        data = Path(tmp) / "data"
        server = EmbeddedServer(data)
        sock = server.ensure_running()
        store = FalkorStore(FalkorDB(unix_socket_path=str(sock)), server=server)
        try:
            wb = generate_workbook(args.schools, seed=7, waves=3)
            store.upsert_workbook(wb)
            district = wb.district.id
            accounts = Accounts(store)
            accounts.add("bench@example.org", "admin", "a long bench password")
            token = accounts.new_token("bench@example.org")
            headers = {"Authorization": f"Bearer {token}"}
            api, base = start_api(data)
            try:
                with httpx.Client(base_url=base, timeout=120, headers=headers) as client:
                    report(client, store, district, args.requests)
                with httpx.Client(base_url=base, timeout=120) as browser:
                    signed_in = browser.post(
                        "/signin",
                        data={"email": "bench@example.org", "password": "a long bench password"},
                        headers={"Origin": base},
                    )
                    if signed_in.status_code != 303:
                        raise SystemExit(f"sign-in failed: {signed_in.status_code}")
                    access(browser, headers, args.requests)
            finally:
                api.terminate()
                api.wait(timeout=30)
        finally:
            store.close()
            server.stop()


def report(client: httpx.Client, store: FalkorStore, district: str, n: int) -> None:
    # 1. graph endpoint vs orjson of the same dicts
    params = {"limit": 100_000}
    client.get(f"/districts/{district}/graph", params=params)  # warm the read path
    body = client.get(f"/districts/{district}/graph", params=params).json()

    def peer() -> None:
        graph = store.read_graph(district)
        nodes = [{"key": k, "kind": d["kind"], "properties": d} for k, d in graph.nodes(data=True)]
        edges = [
            {"source": u, "target": v, "type": d["type"], "properties": d}
            for u, v, d in graph.edges(data=True)
        ]
        orjson.dumps({"nodes": nodes, "edges": edges})

    api_times, peer_times = [], []
    for _ in range(5):  # interleaved: each request, then its peer
        api_times.append(timed(lambda: client.get(f"/districts/{district}/graph", params=params)))
        peer_times.append(timed(peer))
    api_med, peer_med = statistics.median(api_times), statistics.median(peer_times)
    print(
        f"graph endpoint: {len(body['nodes'])} nodes, {len(body['edges'])} edges; "
        f"API {api_med * 1000:.0f} ms vs read+orjson {peer_med * 1000:.0f} ms "
        f"= {api_med / peer_med:.2f}x"
    )

    # 2. small JSON endpoint vs a bare endpoint
    def rate(path: str) -> float:
        start = time.perf_counter()
        for _ in range(max(1, n // 5)):
            client.get(path)
        return max(1, n // 5) / (time.perf_counter() - start)

    rate(f"/districts/{district}")
    smalls, bares = [], []
    for _ in range(5):  # interleaved rounds
        smalls.append(rate(f"/districts/{district}"))
        bares.append(rate("/bench/ok"))
    small, bare = statistics.median(smalls), statistics.median(bares)
    print(
        f"district summary: {small:.0f} req/s vs bare endpoint {bare:.0f} req/s "
        f"= {small / bare:.2f}x"
    )

    # 3. analyses: cold (first) and cached (repeated) latency
    for what in ("network", "gaps", "counterparts"):
        path = f"/districts/{district}/analyses/{what}"
        cold = [timed(lambda p=path: client.get(p))]  # first request computes
        warm = [timed(lambda p=path: client.get(p)) for _ in range(50)]
        print(
            f"{what}: first {cold[0] * 1000:.0f} ms; repeated p50 "
            f"{pct(warm, 0.5) * 1000:.1f} ms, p95 {pct(warm, 0.95) * 1000:.1f} ms; "
            f"cache speed-up {cold[0] / pct(warm, 0.5):.0f}x"
        )


def access(browser: httpx.Client, headers: dict[str, str], n: int) -> None:
    """Requests/s of a signed-in-only bare endpoint (token; cookie) against an open one."""

    def rate(path: str, **kw: Any) -> float:
        browser.get(path, **kw)
        start = time.perf_counter()
        for _ in range(n):
            browser.get(path, **kw)
        return n / (time.perf_counter() - start)

    cookies = dict(browser.cookies)
    browser.cookies.clear()
    open_rate = rate("/bench/ok")
    token_rate = rate("/bench/signed", headers=headers)
    browser.cookies.update(cookies)
    cookie_rate = rate("/bench/signed")
    print(
        f"access check: open {open_rate:.0f} req/s; bearer token {token_rate:.0f} req/s "
        f"= {token_rate / open_rate:.2f}x; session cookie {cookie_rate:.0f} req/s "
        f"= {cookie_rate / open_rate:.2f}x"
    )


if __name__ == "__main__":
    main()
