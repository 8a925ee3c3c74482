"""Benchmark single-row edits through the API against the raw statement, side by side.

Generated districts of 50, 200 and 1,000 schools are loaded into a temporary
embedded store. The API runs in its own process (uvicorn, one worker,
127.0.0.1, a free port) with one extra bare endpoint; this process is the
client. The districts sit side by side in the store, and the run goes in rounds:
each round makes one of each edit — ``PUT`` a person's name, ``POST`` a tie,
``DELETE`` that tie — in every district in turn (the order of the districts
rotates from round to round), each edit right next to its peers (the edit first
in even rounds, the peers first in odd ones), so that whatever else the machine
is doing falls on every district size and on both sides alike. 60 counted
rounds after 3 warm-up rounds by default (``--edits``). The peers:

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

    .venv/bin/python bench/bench_edits.py [--schools 50,200,1000] [--edits 60] [--no-concurrent]
"""

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
    from api.policy import POLICY, Rule

    app = create_app(Settings())
    # open to anyone: the peer round trip does not pay for the access check the edits pay
    POLICY[("POST", "/bench/echo")] = Rule("public")

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


class Size:
    """One district of the run and the times of its edits and their peers."""

    def __init__(self, store: FalkorStore, schools: int, n: int) -> None:
        wb = generate_workbook(schools, seed=7, waves=3)
        # one district per size, side by side in the store (the generator names them alike)
        self.d = f"bench-{schools}"
        wb = wb.model_copy(update={"district": wb.district.model_copy(update={"id": self.d})})
        store.upsert_workbook(wb, replace=True)
        self.schools, self.people, self.ties = schools, len(wb.people), len(wb.ties)
        self.cast = [p for p in wb.people if p.side is not None][: 2 * n + 2]
        if len(self.cast) < n + 1:
            raise SystemExit(f"{schools} schools: too few people for {n} edits")
        self.times: dict[str, list[float]] = {}

    def note(self, what: str, t: float) -> None:
        self.times.setdefault(what, []).append(t)


def edit_round(
    client: httpx.Client, store: FalkorStore, size: Size, i: int, *, edit_first: bool
) -> None:
    """One of each edit in ``size``'s district (PUT a person's name, POST a tie, DELETE
    that tie), each with its two peers right before or right after it."""
    d = size.d

    def trio(op: str, edit: Callable[[], Any], peer: Callable[[], Any], bare: Any) -> None:
        steps = [
            (op, edit),
            (f"{op}_raw", peer),
            (f"{op}_bare", lambda: ok(client.post("/bench/echo", json=bare), 200)),
        ]
        for name, step in steps if edit_first else steps[::-1]:
            size.note(name, timed(step))

    p = size.cast[i]
    body = {**p.model_dump(mode="json", exclude_none=True), "name": f"{p.name} {i}"}
    trio(
        "put",
        lambda: ok(client.put(f"/districts/{d}/people/{p.id}", json=body), 200),
        lambda: raw(store, d, RAW_RENAME, {"key": store_key(d, p.id), "name": body["name"]}),
        body,
    )
    a, b = size.cast[i].id, size.cast[i + 1].id  # a new wave, so the key is free
    tie = {"source": a, "target": b, "wave": "bench-api", "weight": 0.5}
    api_key, raw_key = f"{a}>{b}||bench-api", f"{a}>{b}||bench-raw"
    params = {"src": store_key(d, a), "dst": store_key(d, b), "key": raw_key,
              "wave": "bench-raw", "order": 10**16 + i}  # fmt: skip
    trio(
        "post",
        lambda: ok(client.post(f"/districts/{d}/ties", json=tie), 201),
        lambda: raw(store, d, RAW_TIE, params),
        tie,
    )
    trio(
        "delete",
        lambda: ok(client.delete(f"/districts/{d}/ties/{api_key}"), 204),
        lambda: raw(store, d, RAW_UNTIE, {"src": store_key(d, a), "key": raw_key}),
        {"key": api_key},
    )


def bench_sizes(
    client: httpx.Client, store: FalkorStore, schools: list[int], n: int, warmup: int = 3
) -> list[Size]:
    """``n`` rounds over every district size in turn (the order rotates each round, and
    edits and peers take turns going first), so a busy moment on the machine falls
    on every size and on both sides alike; the first ``warmup`` rounds are not counted."""
    sizes = [Size(store, s, n + warmup) for s in schools]
    for i in range(n + warmup):
        turn = sizes[i % len(sizes) :] + sizes[: i % len(sizes)]
        for size in turn:
            edit_round(client, store, size, i, edit_first=i % 2 == 0)
        if i + 1 == warmup:
            for size in sizes:
                size.times.clear()
    for size in sizes:
        store.delete_district(size.d)
    return sizes


def summary(size: Size) -> dict[str, float]:
    """Medians per edit and peer; the ratio is edit / (raw + bare)."""
    med = {k: statistics.median(v) for k, v in size.times.items()}
    out: dict[str, float] = {"people": size.people, "ties": size.ties}
    for op in ("put", "post", "delete"):
        out[op] = med[op]
        out[f"{op}_peer"] = med[f"{op}_raw"] + med[f"{op}_bare"]
        out[f"{op}_raw"], out[f"{op}_bare"] = med[f"{op}_raw"], med[f"{op}_bare"]
        out[f"{op}_ratio"] = med[op] / out[f"{op}_peer"]
    return out


def client_proc(args: tuple[int, str, str, int, int, str]) -> dict[str, Any]:
    """One of the 8 concurrent clients: its share of the 300 new people, then If-Match pairs."""
    index, base, district, count, pairs, token = args
    statuses: list[int] = []
    posted: list[str] = []
    pair_results: list[tuple[int, int]] = []
    auth = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, timeout=120, headers=auth) as client:
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
        jobs = [
            (i, BASES[i % 2] if i % 2 == 0 else base2, d, shares[i], 3, TOKEN[0])
            for i in range(clients)
        ]
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
TOKEN: list[str] = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--schools", default="50,200,1000")
    parser.add_argument("--edits", type=int, default=60, help="counted rounds per size")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument(
        "--no-concurrent", action="store_true", help="skip the 2-server, 8-client run"
    )
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
        from collabgraph.access import Accounts

        accounts = Accounts(store)  # every request is made as an admin with an API token
        accounts.add("bench@example.org", "admin", "a long bench password")
        TOKEN.append(accounts.new_token("bench@example.org"))
        try:
            auth = {"Authorization": f"Bearer {TOKEN[0]}"}
            with httpx.Client(base_url=base, timeout=300, headers=auth) as client:
                schools = [int(s) for s in args.schools.split(",")]
                rows = [
                    (z.schools, summary(z)) for z in bench_sizes(client, store, schools, args.edits)
                ]
                for n_schools, r in rows:
                    print(
                        f"{n_schools:>5} schools ({r['people']:.0f} people, {r['ties']:.0f} ties): "
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
            if not args.no_concurrent:
                bench_concurrent(data, store)
        finally:
            api.terminate()
            api.wait(timeout=30)
            store.close()
            server.stop()


if __name__ == "__main__":
    main()
