"""A page of another origin attacks the server through a real headless Chromium.

The attacking page is served from another port of 127.0.0.1 (the same site, so
a ``SameSite=Strict`` cookie alone would not stop it). It tries a ``no-cors``
multipart POST that would replace a district, one that would create a
district, a ``DELETE`` and a read, first against a browser signed in to the
server, then against a fresh server that has no account yet. Nothing changes
and nothing is read.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from collabgraph.store.embedded import EmbeddedServer
from collabgraph.store.falkor import FalkorStore, connect_unix
from tests.chromium import browser_marks
from tests.conftest import EXAMPLES, MINI
from tests.e2e.conftest import Served, free_port, sign_in, start_server, stop_server

pytestmark = browser_marks

DISTRICT = "lakeside-usd"

ATTACK = """<!doctype html><html><body><script>
(async () => {
  const server = %(server)s;
  const results = {};
  function workbook(text, name) {
    const form = new FormData();
    form.append("file", new Blob([text], {type: "application/yaml"}), name);
    form.append("replace", "true");
    return form;
  }
  for (const [key, url, text] of [
      ["replace", "/imports?replace=true", %(replace)s],
      ["create", "/imports", %(create)s],
      ["upload", "/upload", %(create)s]]) {
    try {
      const res = await fetch(server + url, {
        method: "POST", mode: "no-cors", credentials: "include", body: workbook(text, "x.yaml")});
      results[key] = "sent:" + res.type;
    } catch (e) { results[key] = "blocked"; }
  }
  try {
    const res = await fetch(server + "/districts/%(district)s",
                            {method: "DELETE", credentials: "include"});
    results.delete = "status:" + res.status;
  } catch (e) { results.delete = "blocked"; }
  try {
    const res = await fetch(server + "/districts", {credentials: "include"});
    results.read = await res.text();
  } catch (e) { results.read = "blocked"; }
  try {
    const res = await fetch(server + "/districts/%(district)s/export/workbook",
                            {mode: "no-cors", credentials: "include"});
    results.opaque = res.type + ":" + (await res.text()).length;
  } catch (e) { results.opaque = "blocked"; }
  window.results = results;
  document.body.dataset.done = "1";
})();
</script></body></html>"""


def _attacker(folder: Path, server: str) -> tuple[str, http.server.ThreadingHTTPServer]:
    """Serve the attacking page from another port; returns its URL."""
    replace = dict(MINI, district={**MINI["district"], "id": DISTRICT})
    create = dict(MINI, district={**MINI["district"], "id": "evil-district"})
    page = ATTACK % {
        "server": json.dumps(server),
        "replace": json.dumps(yaml.safe_dump(replace, allow_unicode=True)),
        "create": json.dumps(yaml.safe_dump(create, allow_unicode=True)),
        "district": DISTRICT,
    }
    (folder / "attack.html").write_text(page, encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Quiet)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}/attack.html", httpd


def _run_attack(browser: Any, url: str, sign_in_to: str | None = None) -> dict[str, str]:
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        if sign_in_to is not None:
            sign_in(tab, sign_in_to, "admin@example.org")
        tab.goto(url)
        tab.wait_for_function("document.body.dataset.done === '1'")
        results: dict[str, str] = tab.evaluate("window.results")
        return results
    finally:
        context.close()


def _people(served: Served, district: str) -> int:
    res = httpx.get(f"{served.base}/districts/{district}", headers=served.bearer(), timeout=30)
    assert res.status_code == 200, res.text
    return int(res.json()["people"])


def test_another_origin_cannot_change_or_read_through_a_signed_in_browser(
    browser: Any, server: Served, tmp_path: Path
) -> None:
    loaded = httpx.post(
        f"{server.base}/imports",
        files={"file": ("small.yaml", (EXAMPLES / "small-district.yaml").read_bytes())},
        headers=server.bearer(),
        timeout=60,
    )
    assert loaded.status_code == 200, loaded.text
    before = _people(server, DISTRICT)
    url, httpd = _attacker(tmp_path, server.base)
    try:
        results = _run_attack(browser, url, sign_in_to=server.base)
    finally:
        httpd.shutdown()
    assert results["read"] == "blocked", results  # no CORS: the page reads nothing
    assert results["delete"] == "blocked", results  # the preflight is refused
    assert results["opaque"].startswith("opaque:0") or results["opaque"] == "blocked", results
    assert _people(server, DISTRICT) == before  # not replaced
    listed = httpx.get(f"{server.base}/districts", headers=server.bearer(), timeout=30).json()
    assert [d["id"] for d in listed["districts"]] == [DISTRICT]  # nothing created


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Served]:
    """A server on a new data folder with no account at all."""
    proc, served = start_server(tmp_path / "data", tmp_path / "server.log", [])
    try:
        yield served
    finally:
        stop_server(proc, served.data)


def test_another_origin_cannot_change_a_fresh_server(
    browser: Any, fresh: Served, tmp_path: Path
) -> None:
    folder = tmp_path / "attacker"
    folder.mkdir()
    url, httpd = _attacker(folder, fresh.base)
    try:
        results = _run_attack(browser, url)
    finally:
        httpd.shutdown()
    assert results["read"] == "blocked" and results["delete"] == "blocked", results
    assert httpx.get(f"{fresh.base}/districts", timeout=30).status_code == 401
    server = EmbeddedServer(fresh.data)
    store = FalkorStore(connect_unix(str(server.socket_path)), server=server)
    try:
        assert store.list_districts() == []  # nothing was created
    finally:
        store.close()
