"""A load killed half-way leaves a staging graph; the next start of the store removes it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from collabgraph.store.falkor import STAGING_PREFIX
from tests.store.big import big_workbook
from tests.store.conftest import open_falkor

ROOT = Path(__file__).resolve().parents[2]

#: Loads a bigger "mid" over the stored one, and stops for good half-way (to be killed).
LOADER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from collabgraph.store import open_store
    from tests.store.big import big_workbook
    store = open_store()
    store.batch_size = 200
    calls = 0
    def progress(_rows, _total):
        global calls
        calls += 1
        if calls == 3:
            Path(sys.argv[1]).write_text("half-way")
            time.sleep(120)
    store.upsert_workbook(big_workbook("mid", 800, 4000, seed=2), progress=progress)
    """
)


def _env(data: Path) -> dict[str, str]:
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)}
    for name in ("NEO4J_URI", "COLLABGRAPH_STORE"):
        env.pop(name, None)
    return env


def _staging(data: Path) -> list[str]:
    _server, store = open_falkor(data)  # no cleanup here: the bare adapter
    try:
        return [str(n) for n in store._cmd("GRAPH.LIST") if str(n).startswith(STAGING_PREFIX)]
    finally:
        store.close()


def test_a_crashed_load_leaves_nothing_behind_after_the_next_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    server, store = open_falkor(data)
    try:
        store.upsert_workbook(big_workbook("mid", 300, 1000, seed=1))
        before = store.read_workbook("mid")
        flag = tmp_path / "half-way"
        loader = subprocess.Popen(
            [sys.executable, "-c", LOADER, str(flag)], env=_env(data), cwd=tmp_path
        )
        try:
            deadline = time.monotonic() + 120
            while not flag.exists():
                assert loader.poll() is None, "the loader ended before it was half-way"
                assert time.monotonic() < deadline, "the loader never got half-way"
                time.sleep(0.05)
            # While it runs, its staging graph is a load in progress: left alone.
            status = subprocess.run(
                [sys.executable, "-m", "collabgraph", "status", "--json"],
                env=_env(data), capture_output=True, text=True, timeout=60, check=True,
            )  # fmt: skip
            assert json.loads(status.stdout)["details"]["loading"] == "1 load(s) in progress"
            assert len(_staging(data)) == 1
        finally:
            loader.send_signal(signal.SIGKILL)
            loader.wait(timeout=30)
        # Invisible to every query: not a district, and the district is as it was.
        assert store.list_districts() == ["mid"]
        assert store.read_workbook("mid") == before
        assert len(_staging(data)) == 1
        # The next process to open the store removes it, and says so.
        status = subprocess.run(
            [sys.executable, "-m", "collabgraph", "status", "--json"],
            env=_env(data), capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        details = json.loads(status.stdout)["details"]
        assert details["loading"] == "no load in progress"
        assert details["cleaned"] == (
            "removed 1 half-built copy(ies) left by crashed loads of: mid"
        )
        assert _staging(data) == []
        assert store.read_workbook("mid") == before
    finally:
        store.close()
        server.stop()
