"""Issue 11's attacks, run against a real ``collabgraph serve`` and the real CLI.

Each test sends one attack (bounded in size: a few MB at most, whatever it
declares or expands to) and checks the refusal — status or exit code, the
message and its place — the memory of the API and of the embedded server, and
that the server still answers afterwards.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from collabgraph.safety.cells import TRIGGERS
from collabgraph.store.embedded import EmbeddedServer
from collabgraph.workbook import load_workbook
from tests.api.conftest import mini_yaml, wait_for_health
from tests.hostile import (
    BIG_UNWIND,
    DOUBLING,
    FORMULAS,
    MARKUP,
    QUADRATIC,
    QUERY_BYPASSES,
    billion_laughs,
    csv_zip_rows,
    deep_json,
    hostile_workbook,
    nul_yaml,
    xlsx_bomb,
    xlsx_lying,
    xlsx_rows,
)

MB = 1024 * 1024
#: The hostile server's store limits: small, so a runaway query is stopped early.
STORE_MEMORY_MB = 384


def rss(pid: int) -> int:
    """A process's resident memory in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmRSS for {pid}")


#: The hostile server's install-wide admin token, and the header scripts send with it.
TOKEN = "hostile-tests-install-token"
ADMIN = {"Authorization": f"Bearer {TOKEN}"}


@dataclass
class Served:
    base: str
    proc: subprocess.Popen[str]
    data: Path
    tmpdir: Path
    env: dict[str, str]

    @property
    def store_pid(self) -> int:
        pid = EmbeddedServer(self.data).pid()
        assert pid is not None, "the embedded server is not running"
        return pid

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=60, headers=ADMIN)

    def answers(self) -> None:
        """The server still answers, and the store with it."""
        with self.client() as c:
            res = c.get("/districts")
            if res.status_code == 503:  # the store went away: the next request restarts it
                res = c.get("/districts")
            assert res.status_code == 200, res.text
        assert self.proc.poll() is None


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("hostile")
    data, tmpdir = root / "data", root / "systmp"
    tmpdir.mkdir()
    # What a server killed mid-upload left behind: removed when the next one starts.
    stale = data / "tmp" / "upload-999999-0badc0ffee00"
    stale.mkdir(parents=True)
    (stale / "upload.yaml").write_bytes(mini_yaml())
    env = {
        **os.environ,
        "COLLABGRAPH_DATA_DIR": str(data),
        "TMPDIR": str(tmpdir),
        "COLLABGRAPH_STORE_MEMORY_MB": str(STORE_MEMORY_MB),
        "COLLABGRAPH_QUERY_MEMORY_MB": "128",
        "COLLABGRAPH_QUERY_CONCURRENCY": "2",
        "COLLABGRAPH_QUERY_WAIT_MS": "200",
        "COLLABGRAPH_API_TOKEN": TOKEN,
    }
    env.pop("NEO4J_URI", None)
    cmd = [sys.executable, "-m", "collabgraph", "serve", "--port", "0"]
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        assert proc.stdout is not None
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", proc.stdout.readline())
        assert found, "the server printed no address"
        base = f"http://127.0.0.1:{found.group(1)}"
        wait_for_health(base, proc, lambda: "(see the server's output)")
        with httpx.Client(base_url=base, timeout=60, headers=ADMIN) as c:
            res = c.post("/imports", files={"file": ("mini.yaml", mini_yaml())})
            assert res.status_code == 200, res.text
            doc = yaml.safe_dump(hostile_workbook(), allow_unicode=True).encode()
            res = c.post("/imports", files={"file": ("hostile.yaml", doc)})
            assert res.status_code == 200, res.text
        yield Served(base, proc, data, tmpdir, env)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        EmbeddedServer(data).stop()


def _parallel(n: int, call: Callable[[], httpx.Response]) -> list[httpx.Response]:
    out: list[httpx.Response] = []
    lock = threading.Lock()

    def one() -> None:
        res = call()
        with lock:
            out.append(res)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def _query(served: Served, query: str, **extra: Any) -> httpx.Response:
    with served.client() as c:
        return c.post("/queries/run", json={"district": "mini", "query": query, **extra})


# --------------------------------------------------------------------------- start


def test_stale_uploads_are_removed_at_start_and_nothing_lands_in_system_temp(
    served: Served,
) -> None:
    assert not (served.data / "tmp" / "upload-999999-0badc0ffee00").exists()
    with served.client() as c:
        assert c.post("/imports?validate_only=true", files={"file": ("m.yaml", mini_yaml())})
        res = c.get("/districts/mini/export/workbook", params={"format": "xlsx"})
        assert res.status_code == 200
    assert list(served.tmpdir.iterdir()) == []
    assert list((served.data / "tmp").iterdir()) == []
    assert (served.data / "tmp").stat().st_mode & 0o777 == 0o700


# --------------------------------------------------------------------------- queries


def test_four_huge_unwinds_are_refused_before_they_run(served: Served) -> None:
    before = rss(served.store_pid)
    started = time.monotonic()
    answers = _parallel(4, lambda: _query(served, BIG_UNWIND))
    assert time.monotonic() - started < 5
    for res in answers:
        assert res.status_code == 400, res.text
        assert "would make 1,000,000,000 values" in res.json()["detail"]
    assert rss(served.store_pid) - before < 100 * MB
    served.answers()


def test_the_row_cap_is_applied_inside_the_query(served: Served) -> None:
    query = "UNWIND range(1, 1000000) AS x RETURN x, x AS y"
    api_before = rss(served.proc.pid)
    store_before = rss(served.store_pid)
    answers = _parallel(4, lambda: _query(served, query))
    ok = [r for r in answers if r.status_code == 200]
    assert ok and all(r.status_code in (200, 429) for r in answers), [r.text for r in answers]
    for res in ok:
        body = res.json()
        assert body["row_count"] == 10_000 and body["truncated"] is True
        assert body["rows"][0] == {"x": 1, "y": 1}
    assert rss(served.proc.pid) - api_before < 300 * MB
    assert rss(served.store_pid) - store_before < 300 * MB
    served.answers()


def test_queries_past_the_concurrency_limit_get_429_and_slow_ones_504(served: Served) -> None:
    slow = "UNWIND range(1, 1000000) AS x UNWIND range(1, 1000) AS y RETURN count(y)"
    results: list[tuple[httpx.Response, float]] = []

    def timed() -> None:
        t = time.monotonic()
        res = _query(served, slow, timeout_ms=3000)
        results.append((res, time.monotonic() - t))

    threads = [threading.Thread(target=timed) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(1.0)  # both slow ones hold a turn by now
    third = _query(served, "RETURN 1 AS one")
    for t in threads:
        t.join()
    assert third.status_code == 429, third.text
    assert third.headers["retry-after"] == "1"
    assert "COLLABGRAPH_QUERY_CONCURRENCY" in third.json()["detail"]
    for res, took in results:
        assert res.status_code == 504, res.text
        assert "limit of 3000 ms" in res.json()["detail"]
        assert took < 3 + 1 + 2  # the limit, the client's extra second, slack for a busy machine
    served.answers()


def test_a_deeply_nested_request_body_is_a_400(served: Served) -> None:
    depth = 100_000
    body = '{"district": "mini", "query": "RETURN $x AS x", "params": {"x": '
    body += "[" * depth + "]" * depth + "}}"
    with served.client() as c:
        res = c.post("/queries/run", content=body, headers={"content-type": "application/json"})
    assert res.status_code == 400, res.text
    assert res.json()["detail"] == "There was an error parsing the body"
    served.answers()


@pytest.mark.parametrize("query", QUERY_BYPASSES)
def test_quoted_and_commented_procedure_calls_are_refused(served: Served, query: str) -> None:
    res = _query(served, query)
    assert res.status_code == 400, res.text
    assert res.json()["title"] == "Query rejected"


@pytest.mark.parametrize(
    "query",
    ["CALL db.labels()", "CALL `db`.`labels`()", "CALL db.labels() YIELD label RETURN label"],
)
def test_documented_procedures_run_however_quoted(served: Served, query: str) -> None:
    res = _query(served, query)
    assert res.status_code == 200, res.text
    assert {"Person", "School"} <= {r["label"] for r in res.json()["rows"]}


def test_a_query_the_engine_does_not_stop_is_ended_by_restarting_the_store(
    served: Served,
) -> None:
    pid = served.store_pid
    started = time.monotonic()
    res = _query(served, QUADRATIC, timeout_ms=1000)
    took = time.monotonic() - started
    assert res.status_code == 504, res.text
    assert "the embedded store was restarted" in res.json()["detail"]
    assert took < 1 + 1 + 2  # its limit, the client's extra second, the restart
    assert served.store_pid != pid
    with served.client() as c:  # answered at once: no 503 for the next request
        assert {d["id"] for d in c.get("/districts").json()["districts"]} == {"mini", "hostile"}


def test_a_query_that_grows_the_store_past_its_budget_is_stopped(served: Served) -> None:
    # FalkorDB does not count a string doubled 40 times as query memory: the API
    # watches the store's memory and restarts it past COLLABGRAPH_QUERY_MEMORY_MB + 256.
    pid = served.store_pid
    before = rss(pid)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.01):
            with contextlib.suppress(OSError, AssertionError):
                peak[0] = max(peak[0], rss(pid))

    sampler = threading.Thread(target=sample)
    sampler.start()
    res = _query(served, DOUBLING, timeout_ms=5000)
    done.set()
    sampler.join()
    assert res.status_code == 400, res.text
    assert "the store grew by more than 384 MB while the query ran" in res.json()["detail"]
    assert peak[0] - before < 1024 * MB
    assert served.store_pid != pid
    with served.client() as c:  # answered at once: no 503 for the next request
        assert {d["id"] for d in c.get("/districts").json()["districts"]} == {"mini", "hostile"}


# --------------------------------------------------------------------------- uploads


def _upload(served: Served, name: str, data: bytes) -> tuple[httpx.Response, float, int]:
    before = rss(served.proc.pid)
    t = time.monotonic()
    with served.client() as c:
        res = c.post("/imports", params={"validate_only": "true"}, files={"file": (name, data)})
    return res, time.monotonic() - t, rss(served.proc.pid) - before


def _problem(res: httpx.Response) -> dict[str, Any]:
    assert res.status_code == 422, res.text
    errors: list[dict[str, Any]] = res.json()["errors"]
    assert len(errors) == 1, errors
    return errors[0]


def test_billion_laughs_is_refused_at_its_alias_without_expanding(served: Served) -> None:
    data = billion_laughs()
    assert len(data) < 600  # 9 ** 9 = 387 million values once expanded
    res, took, grew = _upload(served, "laughs.yaml", data)
    problem = _problem(res)
    # Line 8 (a5: nine *a4 of 13,942 values each) is where the aliases pass 100,000:
    # 18 + 171 + 1,548 + 13,941 values from lines 4-7, then 125,478 more.
    assert problem["location"] == {"file": "laughs.yaml", "line": 8}
    assert (
        "the alias *a4 makes the aliases in this file stand for more than 100,000"
        in (problem["message"])
    )
    assert took < 3 and grew < 50 * MB
    served.answers()


def test_nul_byte_is_reported_by_line(served: Served) -> None:
    data = nul_yaml()
    line = data[: data.index(b"\x00")].count(b"\n") + 1
    problem = _problem(_upload(served, "nul.yaml", data)[0])
    assert problem["location"] == {"file": "nul.yaml", "line": line}
    assert "control character (code 0)" in problem["message"]


def test_deep_json_is_refused_with_its_line(served: Served) -> None:
    res, took, grew = _upload(served, "deep.json", deep_json())
    problem = _problem(res)
    assert problem["location"] == {"file": "deep.json", "line": 1}
    assert "nested more than 32 levels" in problem["message"]
    assert took < 3 and grew < 50 * MB
    served.answers()


def test_xlsx_bomb_is_refused_by_its_declared_size(served: Served) -> None:
    data = xlsx_bomb(300)
    assert len(data) < 2 * MB
    res, took, grew = _upload(served, "bomb.xlsx", data)
    problem = _problem(res)
    assert "unpacks to 300 MB" in problem["message"]
    assert "COLLABGRAPH_MAX_UNPACKED_MB" in problem["message"]
    assert took < 3 and grew < 50 * MB
    served.answers()


def test_an_xlsx_that_lies_about_its_size_is_refused_by_what_it_inflates(
    served: Served,
) -> None:
    # It declares a 1,000-byte sheet that inflates to 50 MB: zipfile stops at the
    # declared size and fails on the checksum.
    res, took, grew = _upload(served, "lying.xlsx", xlsx_lying(50))
    problem = _problem(res)
    assert problem["message"].startswith("this .xlsx file is damaged: Bad CRC-32")
    assert took < 3 and grew < 50 * MB
    served.answers()


@pytest.mark.parametrize(("name", "build"), [("rows.xlsx", xlsx_rows), ("rows.zip", csv_zip_rows)])
def test_too_many_rows_are_refused_before_parsing(
    served: Served, name: str, build: Callable[[int], bytes]
) -> None:
    res, took, grew = _upload(served, name, build(600_000))
    problem = _problem(res)
    assert "more than 500,000 rows" in problem["message"]
    assert "COLLABGRAPH_MAX_ROWS" in problem["message"]
    assert took < 10 and grew < 300 * MB
    served.answers()


def test_an_id_that_is_a_path_is_refused(served: Served) -> None:
    doc = {
        **json.loads(json.dumps(hostile_workbook())),
        "district": {"id": "../escaped", "name": "E"},
    }
    res, _, _ = _upload(served, "escape.yaml", yaml.safe_dump(doc).encode())
    assert res.status_code == 422
    messages = [e["message"] for e in res.json()["errors"]]
    assert any(m.startswith("'../escaped' is not a valid id: it starts with '.'") for m in messages)


# --------------------------------------------------------------------------- exports


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _live_formulas(cells: list[str]) -> list[str]:
    number = re.compile(r"[+-]?\d+(\.\d+)?")
    return [c for c in cells if c[:1] in TRIGGERS and not number.fullmatch(c)]


@pytest.mark.parametrize(
    "path",
    [
        "/districts/hostile/export/graph?format=nodes-csv",
        "/districts/hostile/export/graph?format=edges-csv",
        "/districts/hostile/worksheets/structure?format=csv",
    ],
)
def test_api_csv_exports_hold_no_live_formula(served: Served, path: str) -> None:
    with served.client() as c:
        res = c.get(path)
    assert res.status_code == 200, res.text
    cells = _cells(res.text)
    assert _live_formulas(cells) == []
    if "nodes-csv" in path:
        assert "'" + FORMULAS[0] in cells


def _cli(served: Served, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "collabgraph", *args],
        env={**served.env, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_csv_export_is_neutralized_and_validate_restores_the_text(
    served: Served, tmp_path: Path
) -> None:
    out = tmp_path / "hostile-csv"
    done = _cli(served, "export", "hostile", "-f", "csv", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert _live_formulas(_cells((out / "people.csv").read_text(encoding="utf-8-sig"))) == []
    assert _cli(served, "validate", str(out)).returncode == 0
    names = sorted(p.name for p in load_workbook(out).people)
    assert names == sorted(FORMULAS)


# --------------------------------------------------------------------------- the CLI


def test_cli_prints_workbook_markup_as_text(served: Served, tmp_path: Path) -> None:
    path = tmp_path / "markup.yaml"
    path.write_text(yaml.safe_dump(hostile_workbook(), allow_unicode=True), encoding="utf-8")
    for args in (
        ("validate", str(path)),
        ("summary", str(path)),
        ("analyze", str(path), "--only", "network", "--wave", MARKUP),
        ("analyze", "hostile"),
    ):
        done = _cli(served, *args)
        assert done.returncode == 0, (args, done.stderr)
        assert "Traceback" not in done.stderr
        assert MARKUP in done.stdout, (args, done.stdout)
        assert "\x1b]8;" not in done.stdout  # no terminal hyperlink


@pytest.mark.parametrize(
    ("name", "data", "expect"),
    [
        ("laughs.yaml", billion_laughs(), "line 8: the alias *a4"),
        ("deep.json", deep_json(), "line 1: the values are nested more than 32 levels"),
        ("bomb.xlsx", xlsx_bomb(300), "the file unpacks to 300 MB"),
    ],
)
def test_cli_refuses_hostile_files_with_exit_2(
    served: Served, tmp_path: Path, name: str, data: bytes, expect: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    done = _cli(served, "validate", str(path))
    assert done.returncode == 2, done.stderr
    assert expect in done.stderr and "Traceback" not in done.stderr
