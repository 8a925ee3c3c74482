"""`collabgraph serve` as a real process on a free loopback port, spoken to with httpx."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import httpx

from collabgraph.store.embedded import EmbeddedServer
from tests.api.conftest import mini_yaml, wait_for_health


def _output(proc: subprocess.Popen[str]) -> str:
    """What an exited server wrote on stderr (a running one is not read: it would block)."""
    if proc.poll() is None or proc.stderr is None:
        return "(still running)"
    return proc.stderr.read()


def test_serve_runs_the_api_on_the_embedded_store(tmp_path: Path) -> None:
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(tmp_path / "data")}
    env.pop("NEO4J_URI", None)
    cmd = [sys.executable, "-m", "collabgraph", "serve", "--port", "0"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # --port 0 picks a free port; the address printed is the one listening.
        assert proc.stdout is not None
        first = proc.stdout.readline()
        found = re.fullmatch(r"collabgraph dashboard: http://127\.0\.0\.1:(\d+)/\n", first)
        assert found, (first, _output(proc))
        base = f"http://127.0.0.1:{found.group(1)}"
        # No account yet: a one-time sign-in link, and nothing open without it.
        link = ""
        while not link:
            line = proc.stdout.readline()
            assert line, _output(proc)
            link = line.strip() if "/setup?token=" in line else ""
        assert link.startswith(f"{base}/setup?token=")
        wait_for_health(base, proc, lambda: _output(proc))
        assert httpx.get(f"{base}/districts").status_code == 401
        assert httpx.get(f"{base}/", follow_redirects=False).status_code == 303
        assert httpx.get(f"{base}/setup?token=wrong").status_code == 404
        token = link.split("token=", 1)[1]
        with httpx.Client(base_url=base, timeout=30) as browser:
            assert browser.get(f"/setup?token={token}").status_code == 200
            made = browser.post(
                "/setup",
                data={
                    "token": token,
                    "email": "first@example.org",
                    "password": "a long admin password",
                    "again": "a long admin password",
                },
                headers={"Origin": base},
                follow_redirects=False,
            )
            assert made.status_code == 303, made.text
            assert browser.get("/").status_code == 200  # signed in by the first sign-in
            again = browser.post(
                "/setup",
                data={"token": token, "email": "x@example.org", "password": "p" * 12},
                headers={"Origin": base},
            )
            assert again.status_code == 404  # the link worked once
        issued = subprocess.run(
            [sys.executable, "-m", "collabgraph", "users", "token", "first@example.org"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert issued.returncode == 0, issued.stderr
        bearer = {"Authorization": f"Bearer {issued.stdout.strip()}"}
        with httpx.Client(base_url=base, timeout=30, headers=bearer) as client:
            health = client.get("/health").json()
            assert health["store_reachable"] is True
            res = client.post("/imports", files={"file": ("mini.yaml", mini_yaml())})
            assert res.status_code == 200, res.text
            assert [d["id"] for d in client.get("/districts").json()["districts"]] == ["mini"]
            gaps = client.get("/districts/mini/analyses/gaps")
            assert gaps.status_code == 200, gaps.text
            # The embedded server goes away (a crash, `collabgraph stop`): one 503 with
            # Retry-After, then the next request starts it again and the data is there.
            assert EmbeddedServer(tmp_path / "data").stop()
            down = client.get("/districts")
            assert down.status_code == 503, down.text
            assert down.headers["retry-after"]
            assert "the server stopped" in down.json()["detail"]
            back = client.get("/districts")
            assert back.status_code == 200, back.text
            assert [d["id"] for d in back.json()["districts"]] == ["mini"]
            # A browser asking for a dashboard page meanwhile gets a page, not JSON:
            # it says what is happening, reloads itself, and then the page is there.
            assert EmbeddedServer(tmp_path / "data").stop()
            browser = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
            page = client.get("/", headers=browser)
            assert page.status_code == 503, page.text
            assert page.headers["content-type"].startswith("text/html")
            assert page.headers["retry-after"] == "5"
            assert '<meta http-equiv="refresh" content="5">' in page.text
            assert "starting up again" in page.text and "Nothing is lost" in page.text
            assert '"type":' not in page.text  # no problem JSON
            again = client.get("/", headers=browser)
            assert again.status_code == 200, again.text
            assert 'href="/d/mini"' in again.text
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        EmbeddedServer(tmp_path / "data").stop()


def test_serve_refuses_a_public_address_without_a_token(tmp_path: Path) -> None:
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(tmp_path / "data")}
    env.pop("COLLABGRAPH_API_TOKEN", None)
    done = subprocess.run(
        [sys.executable, "-m", "collabgraph", "serve", "--host", "0.0.0.0", "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "COLLABGRAPH_API_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_refuses_a_blank_token_at_start_up(tmp_path: Path) -> None:
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(tmp_path / "data")}
    env["COLLABGRAPH_API_TOKEN"] = "   "
    done = subprocess.run(
        [sys.executable, "-m", "collabgraph", "serve", "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "COLLABGRAPH_API_TOKEN is set but empty or only spaces" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_says_plainly_when_the_port_is_taken(tmp_path: Path) -> None:
    env = {**os.environ, "COLLABGRAPH_DATA_DIR": str(tmp_path / "data")}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "collabgraph", "serve", "--port", str(port)],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in done.stderr
    assert "--port" in done.stderr
    assert "Traceback" not in done.stderr
    assert "dashboard" not in done.stdout  # no address printed for a server that is not there
