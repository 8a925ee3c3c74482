"""Benchmark single-row edits through the API against the raw statement, side by side.

Generated districts of 50, 200 and 1,000 schools are loaded into a temporary
embedded store. The API runs in its own process (uvicorn, one worker,
127.0.0.1, a free port) with one extra bare endpoint; this process is the
client. For each district, 20 of each edit — ``PUT`` a person's name, ``POST``
a tie, ``DELETE`` that tie — are sent, each followed at once by its peers:

* **raw**: the same change as one parameterized Cypher statement plus the
  revision bump, in one ``MULTI`` on the same FalkorDB server (what the
  smallest atomic, versioned write costs);
* **bare**: a ``POST`` of the same JSON body to an endpoint that only echoes it,
  on the same server process (what the HTTP round trip costs).

The figure is ``edit / (raw + bare)`` (medians): the target is at most 3x,
and flat from 50 to 1,000 schools.

Then the concurrent run: two API servers on the same data folder, 8 client
processes, 300 ``POST`` s of new people (spread over both servers), plus pairs
of ``PUT`` s sent with the same ``If-Match``. Afterwards the store must hold
exactly the 300 new people, none twice, with no 5xx answer; in every pair at
most one ``PUT`` may succeed.

Run::

    .venv/bin/python bench/bench_edits.py [--schools 50,200,1000] [--edits 20]
"""

# ruff: noqa: B023  (every lambda here is called at once, inside its loop turn)

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import peer_server  # type: ignore[import-not-found]  # noqa: E402

from collabgraph.generate import generate_workbook  # noqa: E402
from collabgraph.store.embedded import EmbeddedServer  # noqa: E402
from collabgraph.store.falkor import VERSION_PREFIX, FalkorStore, connect_unix, graph_key  # noqa: E402
from collabgraph.store.rows import store_key  # noqa: E402

RAW_RENAME = "MATCH (n:Person {key: $key}) SET n.name = $name"
RAW_TIE = (
    "MATCH (a:Person {key: $src}) MATCH (b:Person {key: $dst}) "
    "CREATE (a)-[:TIE {key: $key, weight: 1.0, wave: $wave, order: $order}]->(b)"
)
RAW_UNTIE = "MATCH (a:Person {key: $src})-[e:TIE]->(b) WHERE e.key = $key DELETE e"


def serve(port_file: str) -> None:
    """The API server process: the real app plus a bare echo endpoint."""
    from api.config import Settings
    from api.main import create_app

    app = create_app(Settings())

    @app.post("/bench/echo", include_in_schema=False)
    def echo(body: dict[str, Any]) -> dict[str, Any]:
        return body

    peer_server.serve(app, port_file)


def start_api(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    return peer_server.start_api(__file__, data)


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def raw(store: FalkorStore, district: str, text: str, params: dict[str, Any]) -> None:
    """One parameterized statement and the revision bump, atomically (the peer)."""
    graph = store.db.select_graph(graph_key(district))
    pipe = store.r.pipeline(transaction=True)
    pipe.execute_command(
        "GRAPH.QUERY", graph_key(district), graph._build_params_header(params) + text
    )
    pipe.set(VERSION_PREFIX + district, uuid.uuid4().hex)
    pipe.execute()


def ok(res: httpx.Response, status: int) -> None:
    if res.status_code != status:
        raise SystemExit(f"{res.request.method} {res.request.url}: {res.status_code} {res.text}")


def bench_size(client: httpx.Client, store: FalkorStore, schools: int, n: int) -> dict[str, float]:
    wb = generate_workbook(schools, seed=7, waves=3)
    d = wb.district.id
    store.upsert_workbook(wb, replace=True)
    people = [p for p in wb.people if p.side is not None][: 2 * n + 2]
    times: dict[str, list[float]] = {}

    def note(what: str, t: float) -> None:
        times.setdefault(what, []).append(t)

    for i in range(n):  # PUT a person's new name
        p = people[i]
        body = {**p.model_dump(mode="json", exclude_none=True), "name": f"{p.name} {i}"}
        note("put", timed(lambda: ok(client.put(f"/districts/{d}/people/{p.id}", json=body), 200)))
        note(
            "put_raw",
            timed(
                lambda: raw(store, d, RAW_RENAME, {"key": store_key(d, p.id), "name": body["name"]})
            ),
        )
        note("put_bare", timed(lambda: ok(client.post("/bench/echo", json=body), 200)))
    ties = []
    for i in range(n):  # POST a tie (a new wave, so the key is free)
        a, b = people[i].id, people[i + 1].id
        body = {"source": a, "target": b, "wave": "bench-api", "weight": 0.5}
        ties.append((a, f"{a}>{b}||bench-api", f"{a}>{b}||bench-raw"))
        note("post", timed(lambda: ok(client.post(f"/districts/{d}/ties", json=body), 201)))
        params = {"src": store_key(d, a), "dst": store_key(d, b), "key": ties[-1][2],
                  "wave": "bench-raw", "order": 10**16 + i}  # fmt: skip
        note("post_raw", timed(lambda: raw(store, d, RAW_TIE, params)))
        note("post_bare", timed(lambda: ok(client.post("/bench/echo", json=body), 200)))
    for a, api_key, raw_key in ties:  # DELETE the ties just added
        note("delete", timed(lambda: ok(client.delete(f"/districts/{d}/ties/{api_key}"), 204)))
        note(
            "delete_raw",
            timed(lambda: raw(store, d, RAW_UNTIE, {"src": store_key(d, a), "key": raw_key})),
        )
        note(
            "delete_bare", timed(lambda: ok(client.post("/bench/echo", json={"key": api_key}), 200))
        )
    med = {k: statistics.median(v) for k, v in times.items()}
    out: dict[str, float] = {"people": len(wb.people), "ties": len(wb.ties)}
    for op in ("put", "post", "delete"):
        out[op] = med[op]
        out[f"{op}_peer"] = med[f"{op}_raw"] + med[f"{op}_bare"]
        out[f"{op}_raw"], out[f"{op}_bare"] = med[f"{op}_raw"], med[f"{op}_bare"]
        out[f"{op}_ratio"] = med[op] / out[f"{op}_peer"]
    store.delete_district(d)
    return out


def client_proc(args: tuple[int, str, str, int, int]) -> dict[str, Any]:
    """One of the 8 concurrent clients: its share of the 300 new people, then If-Match pairs."""
    index, base, district, count, pairs = args
    statuses: list[int] = []
    posted: list[str] = []
    pair_results: list[tuple[int, int]] = []
    with httpx.Client(base_url=base, timeout=120) as client:
        client.get("/health")  # connected before the clock starts
        started = time.perf_counter()
        for i in range(count):
            ident = f"bench{index}-{i}"
            res = client.post(
                f"/districts/{district}/people", json={"id": ident, "name": ident, "side": "labor"}
            )
            statuses.append(res.status_code)
            if res.status_code == 201:
                posted.append(ident)
        posts_done = time.perf_counter()
        for _ in range(pairs):
            got = client.get(f"/districts/{district}/people/bench{index}-0")
            for _ in range(100):  # the other server's cached copy is at most a second old
                if got.status_code == 200:
                    break
                time.sleep(0.05)
                got = client.get(f"/districts/{district}/people/bench{index}-0")
            tag, row = got.headers["etag"], got.json()
            first = client.put(
                f"/districts/{district}/people/bench{index}-0",
                json={**row, "name": "first"},
                headers={"If-Match": tag},
            )
            second = client.put(
                f"/districts/{district}/people/bench{index}-0",
                json={**row, "name": "second"},
                headers={"If-Match": tag},
            )
            statuses += [first.status_code, second.status_code]
            pair_results.append((first.status_code, second.status_code))
    return {
        "statuses": statuses,
        "posted": posted,
        "pairs": pair_results,
        "span": (started, posts_done),
    }


def bench_concurrent(data: Path, store: FalkorStore, total: int = 300, clients: int = 8) -> None:
    wb = generate_workbook(50, seed=3)
    d = wb.district.id
    store.upsert_workbook(wb, replace=True)
    before = len(wb.people)
    second, base2 = start_api(data)
    try:
        shares = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]
        jobs = [(i, BASES[i % 2] if i % 2 == 0 else base2, d, shares[i], 3) for i in range(clients)]
        with multiprocessing.get_context("spawn").Pool(clients) as pool:
            results = pool.map(client_proc, jobs)
        # From the first client's first POST to the last client's last one.
        seconds = max(r["span"][1] for r in results) - min(r["span"][0] for r in results)
    finally:
        second.terminate()
        second.wait(timeout=30)
    statuses = [s for r in results for s in r["statuses"]]
    posted = [p for r in results for p in r["posted"]]
    people = [p.id for p in store.read_workbook(d).people]
    new = [p for p in people if p.startswith("bench")]
    pairs = [p for r in results for p in r["pairs"]]
    both = sum(1 for a, b in pairs if a == 200 and b == 200)
    refused = sum(1 for a, b in pairs for s in (a, b) if s == 412)
    print(
        f"concurrent: {len(posted)} of {total} POSTs acknowledged from {clients} client processes "
        f"over 2 servers in {seconds:.1f} s ({total / seconds:.0f} edits/s); store holds "
        f"{len(new)} new people ({len(set(new))} distinct), {len(people) - before} more in all; "
        f"5xx answers: {sum(1 for s in statuses if s >= 500)}; If-Match pairs: {len(pairs)}, "
        f"both accepted: {both}, 412 answers: {refused}"
    )
    if (
        sorted(new) != sorted(posted)
        or len(new) != total
        or both
        or any(s >= 500 for s in statuses)
    ):
        raise SystemExit("concurrent edits: FAILED (see the line above)")


BASES: list[str] = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", default="50,200,1000")
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    with tempfile.TemporaryDirectory(prefix="bench-edits-") as tmp:
        data = Path(tmp) / "data"
        server = EmbeddedServer(data)
        store = FalkorStore(connect_unix(str(server.ensure_running())), server=server)
        api, base = start_api(data)
        BASES.append(base)
        try:
            with httpx.Client(base_url=base, timeout=300) as client:
                rows = []
                for schools in (int(s) for s in args.schools.split(",")):
                    r = bench_size(client, store, schools, args.edits)
                    rows.append((schools, r))
                    print(
                        f"{schools:>5} schools ({r['people']:.0f} people, {r['ties']:.0f} ties): "
                        + "; ".join(
                            f"{op} {r[op] * 1000:.2f} ms vs raw {r[op + '_raw'] * 1000:.2f} + bare "
                            f"{r[op + '_bare'] * 1000:.2f} ms = {r[op + '_ratio']:.2f}x"
                            for op in ("put", "post", "delete")
                        ),
                        flush=True,
                    )
                if len(rows) > 1:
                    first, last = rows[0][1], rows[-1][1]
                    print(
                        f"flatness (ratio at {rows[-1][0]} / ratio at {rows[0][0]} schools): "
                        + ", ".join(
                            f"{op} {last[op + '_ratio'] / first[op + '_ratio']:.2f}"
                            for op in ("put", "post", "delete")
                        )
                    )
            bench_concurrent(data, store)
        finally:
            api.terminate()
            api.wait(timeout=30)
            store.close()
            server.stop()


if __name__ == "__main__":
    main()
