"""The standalone view pages in real headless Chromium.

Each view of the hostile copy of examples/small-district.yaml is written to a
file and opened from disk. The test waits for the first paint, then checks
that the canvas has pixels drawn, the legend is on screen, hostile names show
up as text (page title, a hovered tooltip) and never as markup, no dialog
opened, and the page asked for nothing but its own file. Screenshots at laptop
size (1366 x 768) go to ``test-artifacts/views/`` (not committed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from collabgraph.graph import DistrictGraph
from tests.chromium import browser_marks
from tests.conftest import ROOT
from tests.visualizations.conftest import HOSTILE_DISTRICT, HOSTILE_PERSON, HOSTILE_TEAM
from visualizations import VIEW_KINDS, build_view, write_view

ARTIFACTS = ROOT / "test-artifacts" / "views"

pytestmark = browser_marks

#: Share of the canvas's pixels that are not transparent.
PAINTED_SHARE = """() => {
  const canvas = document.querySelector('#graph canvas');
  const ctx = canvas.getContext('2d');
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) painted++; }
  return painted / (canvas.width * canvas.height);
}"""

#: Where a node is on the screen (CSS pixels, relative to the page).
NODE_ON_SCREEN = """(id) => {
  const net = window.collabView.network;
  const p = net.canvasToDOM(net.getPosition(id));
  const box = document.getElementById('graph').getBoundingClientRect();
  return {x: box.left + p.x, y: box.top + p.y};
}"""

#: The node each view hovers to read a hostile name in its tooltip.
HOVER = {
    "network": ("Person:gabriel-ruiz", HOSTILE_PERSON),
    "structure": ("Team:cmte-workload", HOSTILE_TEAM),
    "counterparts": ("Position:chief-business-officer", "Chief <b onmouseover=alert(3)>"),
}


@pytest.mark.parametrize("kind", VIEW_KINDS)
def test_view_page_in_chromium(
    kind: str, browser: Any, hostile_graph: DistrictGraph, tmp_path: Path
) -> None:
    page_file = write_view(build_view(kind, hostile_graph), tmp_path / f"{kind}.html")  # type: ignore[arg-type]
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    dialogs: list[str] = []
    requests: list[str] = []
    errors: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(page_file.as_uri())
        page.wait_for_function("document.body.dataset.painted === '1'", timeout=20_000)

        assert page.evaluate(PAINTED_SHARE) > 0.002, "the canvas is blank"
        legend = page.locator("#legend")
        assert legend.is_visible()
        assert legend.locator("li").count() >= 4
        assert page.title().startswith(HOSTILE_DISTRICT)
        assert HOSTILE_DISTRICT in page.locator("header h1").inner_text()

        node, hostile = HOVER[kind]
        # Bring the node on screen (the structure chart opens on its top rows).
        page.evaluate(
            "id => collabView.network.moveTo({position: collabView.network.getPosition(id)})", node
        )
        where = page.evaluate(NODE_ON_SCREEN, node)
        page.mouse.move(where["x"], where["y"])
        tooltip = page.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible", timeout=5_000)
        assert hostile in tooltip.inner_text()
        # vis-network sets a string tooltip with innerText: line breaks become
        # <br>, and nothing else in it can be an element.
        tags = tooltip.evaluate("el => Array.from(el.querySelectorAll('*'), e => e.tagName)")
        assert set(tags) <= {"BR"}, tags

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{kind}.png"))

        if kind == "network":
            # The controls act on the drawn data: two people work at elementary schools
            # (Maya Goldberg, and the hostile-named rep); betweenness sizes the president
            # largest and the isolate smallest.
            page.select_option("#school-level", "elementary")
            shown = "collabView.nodes.get({filter: n => !n.hidden}).map(n => n.id).sort()"
            assert page.evaluate(shown) == ["Person:gabriel-ruiz", "Person:maya-goldberg"]
            page.select_option("#school-level", "")
            page.select_option("#size-by", "betweenness")
            size = "id => collabView.nodes.get(id).size"
            assert page.evaluate(size, "Person:sean-oconnell") == 30
            assert page.evaluate(size, "Person:gabriel-ruiz") == 8

        # No element came from a name: no img, svg or b anywhere in the page.
        assert page.evaluate("document.querySelectorAll('img, svg, b, script[src]').length") == 0
        assert dialogs == [], dialogs
        assert errors == [], errors
        assert requests == [page_file.as_uri()], requests
    finally:
        context.close()
