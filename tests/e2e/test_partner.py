"""A partner (the district side) signs in with real Chromium: structure yes, people's network no."""

from __future__ import annotations

from typing import Any

import httpx

from collabgraph.workbook import load_workbook
from tests.chromium import browser_marks
from tests.conftest import EXAMPLES
from tests.e2e.conftest import Served, sign_in

pytestmark = browser_marks

DISTRICT = "lakeside-usd"
SMALL = EXAMPLES / "small-district.yaml"


def test_a_partner_sees_the_structure_and_no_person_level_network(
    browser: Any, server: Served
) -> None:
    loaded = httpx.post(
        f"{server.base}/imports",
        params={"replace": "true"},
        files={"file": ("small.yaml", SMALL.read_bytes())},
        headers=server.bearer(),
        timeout=60,
    )
    assert loaded.status_code == 200, loaded.text
    wb = load_workbook(SMALL)
    names = [p.name for p in wb.people]
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    try:
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        sign_in(tab, server.base, "partner@example.org")
        tab.goto(f"{server.base}/d/{DISTRICT}")
        assert tab.locator("tr.finding").count() == 6  # every gap
        structure = tab.frame(name="view-structure")
        assert structure is not None
        structure.wait_for_function("document.body.dataset.painted === '1'")
        network = tab.frame(name="view-network")
        assert network is not None
        network.wait_for_function("document.body.dataset.painted === '1'")
        shown = network.evaluate("() => JSON.stringify(window.collabView.nodes.get())")
        html = network.content()
        for name in names:
            assert name not in shown and name not in html, name
        groups = [n["id"] for n in network.evaluate("() => window.collabView.nodes.get()")]
        assert groups == ["side:labor", "side:management"]  # levels have < 5 people
        # The JSON the browser can fetch with the partner's session says the same.
        fetched = tab.evaluate(
            """async (d) => {
              const out = {};
              for (const p of ["analyses/network", "ties", "graph", "export/graph",
                               "export/workbook", "people/p-1/export"]) {
                const r = await fetch(`/districts/${d}/${p}`);
                out[p] = [r.status, await r.text()];
              }
              return out;
            }""",
            DISTRICT,
        )
        status, body = fetched["analyses/network"]
        assert status == 200 and '"min_group":5' in body
        for name in names:
            assert name not in body
        for path in ("ties", "graph", "export/graph", "export/workbook", "people/p-1/export"):
            assert fetched[path][0] == 403, (path, fetched[path])
    finally:
        context.close()
