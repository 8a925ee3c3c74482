"""Benchmark the tie survey against peers run side by side.

1. **Submit latency**: a 300-rep district with an open survey in a temporary
   embedded store; the API in its own process (uvicorn, one worker, 127.0.0.1,
   a free port) with one extra bare endpoint that does one store write (a
   ``MERGE`` of one node in a scratch graph of the same FalkorDB server). Eight
   client processes share the 300 respondents; each ``PUT /s/{token}/answers``
   (four names, submitted) is followed at once by a ``PUT`` of the same body to
   the bare endpoint. Figures: p50 and p95 of each, and submit / bare at p95
   (target: at most 2x).
2. **Close**: a 1,000-rep district where every rep answered ten names (10,000
   answers); ``close_survey`` (read the answers, write the wave's ties in one
   statement) against writing a workbook holding the same people and the same
   10,000 ties into a new district with the bulk write path
   (``upsert_workbook``, ``GRAPH.BULK``). Median of five closes, each of a fresh
   survey (waves w1..w5 of the district), the peer run alternately just before and
   just after; target: at most 1.5x. Then, for the record, the median of two
   re-closes of the last wave (re-opened, answers unchanged: the close removes the
   wave's 10,000 ties and writes them again).

Run::

    .venv/bin/python bench/bench_survey.py [--respondents 300] [--clients 8] [--close 1000]
        [--only submit|close]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import peer_server  # type: ignore[import-not-found]  # noqa: E402

from collabgraph.errors import Location  # noqa: E402
from collabgraph.model import Workbook  # noqa: E402
from collabgraph.store.embedded import EmbeddedServer  # noqa: E402
from collabgraph.store.falkor import FalkorStore, connect_unix  # noqa: E402
from collabgraph.survey import SurveySpec, create_survey, issue_links  # noqa: E402
from collabgraph.survey.lifecycle import (  # noqa: E402  # noqa: E402
    close_survey,
    get_survey,
    read_answers,
    reopen_survey,
    survey_ties,
)
from collabgraph.workbook import validate_document  # noqa: E402
from collabgraph.workbook.document import document_from_mapping  # noqa: E402
from tests.survey.big import answered_survey, big_survey  # noqa: E402
from tests.survey.burst_client import answers_of  # noqa: E402
from tests.survey.conftest import golden_doc  # noqa: E402


def serve(port_file: str) -> None:
    """The API server process: the real app plus a bare one-write endpoint."""
    from api.config import Settings
    from api.main import create_app
    from api.policy import POLICY, PUBLIC

    POLICY[("PUT", "/bench/one-write/{key}")] = PUBLIC  # the peer, as public as the form
    app = create_app(Settings())

    @app.put("/bench/one-write/{key}", include_in_schema=False)
    def one_write(key: str, body: dict[str, Any]) -> dict[str, Any]:
        store = app.state.store
        store.db.select_graph("collabgraph-bench").query(
            "MERGE (n:Bench {key: $key}) SET n.size = $size",
            {"key": key, "size": len(body.get("answers", []))},
        )
        return {"ok": True}

    peer_server.serve(app, port_file)


def start_api(data: Path) -> tuple[subprocess.Popen[bytes], str]:
    return peer_server.start_api(__file__, data)


def client(args: tuple[str, list[tuple[str, str]], list[str]]) -> list[tuple[float, float, int]]:
    """One client process: (submit seconds, bare seconds, submit status) per respondent."""
    base, pairs, roster = args
    out = []
    with httpx.Client(base_url=base, timeout=60) as c:
        for person, token in pairs:
            body = answers_of(person, roster)
            t0 = time.perf_counter()
            status = c.put(f"/s/{token}/answers", json=body).status_code
            t1 = time.perf_counter()
            c.put(f"/bench/one-write/{person}", json=body).raise_for_status()
            t2 = time.perf_counter()
            out.append((t1 - t0, t2 - t1, status))
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]


def bench_submit(respondents: int, clients: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-survey-") as tmp:
        data = Path(tmp) / "data"
        server = EmbeddedServer(data)
        store = FalkorStore(connect_unix(str(server.ensure_running())), server=server)
        doc = golden_doc("bench", extra_people=respondents - 6)
        wb = validate_document(document_from_mapping(doc, "bench", lambda p: Location()))
        store.upsert_workbook(wb)
        create_survey(store, SurveySpec(district="bench", wave="w1"))
        links = [(x.id, x.token) for x in issue_links(store, "bench", "w1")]
        roster = sorted(p.id for p in wb.people if p.side and p.side.value == "labor")
        proc, base = start_api(data)
        try:
            shards = [(base, links[i::clients], roster) for i in range(clients)]
            with multiprocessing.get_context("spawn").Pool(clients) as pool:
                rows = [r for part in pool.map(client, shards) for r in part]
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            store.close()
            server.stop()
    if any(s != 200 for _, _, s in rows):
        raise SystemExit(f"some submits failed: {sorted({s for _, _, s in rows})}")
    submit, bare = [r[0] for r in rows], [r[1] for r in rows]
    return {
        "submit_p50": pct(submit, 0.5),
        "submit_p95": pct(submit, 0.95),
        "bare_p50": pct(bare, 0.5),
        "bare_p95": pct(bare, 0.95),
        "ratio_p95": pct(submit, 0.95) / pct(bare, 0.95),
    }


def _peer_write(store: FalkorStore, base: Workbook, ties: list[Any], name: str) -> float:
    doc = base.model_dump(mode="python")
    doc["district"]["id"] = name
    doc["ties"] = [*doc["ties"], *(t.model_dump(mode="python") for t in ties)]
    peer = Workbook.model_validate(doc)
    t0 = time.perf_counter()
    store.upsert_workbook(peer)
    took = time.perf_counter() - t0
    written = len(store.read_workbook(name).ties)  # same work: every tie is in the store
    if written != len(peer.ties):
        raise SystemExit(f"the bulk write stored {written} ties of {len(peer.ties)}")
    return took


#: Fresh surveys closed (each beside a bulk write of the same ties); the median counts.
CLOSES = 5


def bench_close(n: int) -> dict[str, float]:
    """Five closes of a fresh survey (waves w1..w5 of one district, each answered whole),
    each beside the bulk write of the same ties into a new district (alternately before
    and after); then two re-closes of the last wave (re-opened, unchanged answers), for
    the record."""
    with tempfile.TemporaryDirectory(prefix="bench-close-") as tmp:
        server = EmbeddedServer(Path(tmp) / "data")
        store = FalkorStore(connect_unix(str(server.ensure_running())), server=server)
        try:
            answers = big_survey(store, "big", n=n, per=10, wave="w1")
            base = store.read_workbook("big")
            closes, bulks, recloses = [], [], []
            waves = [f"w{i}" for i in range(1, CLOSES + 1)]
            for i, wave in enumerate(waves):
                if wave != "w1":
                    answered_survey(store, "big", per=10, wave=wave)
                ties = survey_ties(get_survey(store, "big", wave), read_answers(store, "big", wave))
                if i % 2:  # the peer first every other time, so neither always goes first
                    bulks.append(_peer_write(store, base, ties, f"peer-{i}"))
                t0 = time.perf_counter()
                result = close_survey(store, "big", wave)
                closes.append(time.perf_counter() - t0)
                if not result.ties == answers == len(ties):  # both sides write the same ties
                    raise SystemExit(
                        f"close wrote {result.ties} ties, the peer {len(ties)}, answers {answers}"
                    )
                if not i % 2:
                    bulks.append(_peer_write(store, base, ties, f"peer-{i}"))
            for _ in range(2):
                reopen_survey(store, "big", waves[-1])
                t0 = time.perf_counter()
                result = close_survey(store, "big", waves[-1])
                recloses.append(time.perf_counter() - t0)
                assert result.ties == answers, result
        finally:
            store.close()
            server.stop()
    close, bulk = statistics.median(closes), statistics.median(bulks)
    return {
        "answers": answers,
        "close": close,
        "bulk": bulk,
        "ratio": close / bulk,
        "reclose": statistics.median(recloses),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--serve")
    ap.add_argument("--respondents", type=int, default=300)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--close", type=int, default=1000)
    ap.add_argument("--only", choices=["submit", "close"], help="Run one of the two.")
    a = ap.parse_args()
    if a.serve:
        serve(a.serve)
        return
    if a.only != "close":
        report_submit(a)
    if a.only != "submit":
        report_close(a)


def report_submit(a: argparse.Namespace) -> None:
    s = bench_submit(a.respondents, a.clients)
    print(
        f"submit ({a.respondents} respondents, {a.clients} clients): p50 "
        f"{s['submit_p50'] * 1000:.1f} ms, p95 {s['submit_p95'] * 1000:.1f} ms; bare one-write "
        f"p50 {s['bare_p50'] * 1000:.1f} ms, p95 {s['bare_p95'] * 1000:.1f} ms; "
        f"p95 ratio {s['ratio_p95']:.2f}x (target <= 2x)"
    )


def report_close(a: argparse.Namespace) -> None:
    c = bench_close(a.close)
    print(
        f"close ({a.close} respondents, {c['answers']} answers): {c['close']:.2f} s; bulk write "
        f"of the same ties: {c['bulk']:.2f} s; ratio {c['ratio']:.2f}x (target <= 1.5x); "
        f"re-close (re-opened, replacing the same ties): {c['reclose']:.2f} s "
        f"({c['reclose'] / c['bulk']:.2f}x)"
    )


if __name__ == "__main__":
    main()
