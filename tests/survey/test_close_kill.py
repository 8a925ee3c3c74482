"""kill -9 of the embedded store while a close writes: afterwards no survey ties or all of them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from collabgraph.store.embedded import EmbeddedServer
from collabgraph.survey.lifecycle import close_survey, get_survey
from tests.store.conftest import open_falkor
from tests.survey.big import big_survey
from tests.survey.procs import ROOT, env_for


def _survey_ties(data: Path) -> int:
    _server, store = open_falkor(data)
    try:
        rows = store.run_read("read_tie_columns", district="big")
        return sum(1 for r in rows if r["origin"] == "survey")
    finally:
        store.close()


def _wait_for_closing(data: Path, proc: subprocess.Popen[bytes]) -> str:
    """Poll the survey's state until the close has begun (or the close process ended)."""
    _server, store = open_falkor(data)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            state = get_survey(store, "big", "w1").state.value
            if state != "open":
                return state
            time.sleep(0.005)
        return get_survey(store, "big", "w1").state.value
    finally:
        store.close()


def test_kill_9_during_close_leaves_none_or_all(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _server, store = open_falkor(data)
    expected = big_survey(store, "big", n=1000, per=10)
    store.close()
    outcomes = []
    try:
        for delay in (0.0, 0.2, 0.5, 1.0):
            closing = subprocess.Popen(
                [sys.executable, "-m", "collabgraph", "survey", "close", "big", "--wave", "w1"],
                env=env_for(data), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            state = _wait_for_closing(data, closing)
            time.sleep(delay)
            pid = EmbeddedServer(data).pid()
            if pid is not None:
                os.kill(pid, signal.SIGKILL)
            closing.wait(timeout=120)
            found = _survey_ties(data)  # restarts the store from its files
            assert found in (0, expected), (delay, found)
            outcomes.append((state, found))
            _server, store = open_falkor(data)
            try:
                if get_survey(store, "big", "w1").state.value == "closed":
                    break
            finally:
                store.close()
        assert outcomes[0] == ("closing", 0)  # the first kill did land inside the close
        _server, store = open_falkor(data)
        try:
            result = close_survey(store, "big", "w1")  # finishes (or confirms) the close
            assert result.ties == expected
        finally:
            store.close()
        assert _survey_ties(data) == expected
    finally:
        EmbeddedServer(data).stop()
