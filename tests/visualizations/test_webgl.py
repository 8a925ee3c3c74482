"""The WebGL network map (sigma.js + graphology) for networks over 20,000 people.

The switch by size is checked on synthetic views; the page itself runs in
real headless Chromium (WebGL through Chromium's software renderer) on the
small example with the renderer forced, since a 20,000-node page is the
benchmark's business (bench/bench_webgl.py), not a test's.
"""

from __future__ import annotations

import base64
import hashlib
import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from collabgraph.graph import DistrictGraph
from tests.chromium import browser_marks
from tests.conftest import ROOT
from visualizations import View, build_view, view_html, write_view
from visualizations.render import WEBGL_MIN_NODES

VENDOR = ROOT / "visualizations" / "vendor"


def synthetic(n: int) -> View:
    nodes = [{"id": f"p{i}", "label": f"P{i}", "x": float(i), "y": 0.0} for i in range(n)]
    return View(kind="network", title="big", nodes=nodes, edges=[], legend=[])


def test_vendored_scripts_are_the_ones_recorded() -> None:
    sums = dict(reversed(line.split()) for line in (VENDOR / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == {"sigma.min.js", "graphology.umd.min.js"}
    for name, digest in sums.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert "MIT" in (VENDOR / "LICENSE.sigma").read_text()
    assert "MIT" in (VENDOR / "LICENSE.graphology").read_text()


def test_the_map_switches_to_webgl_above_20000_nodes() -> None:
    assert WEBGL_MIN_NODES == 20_000
    at = view_html(synthetic(WEBGL_MIN_NODES))
    above = view_html(synthetic(WEBGL_MIN_NODES + 1))
    assert 'data-renderer="vis"' in at and "new vis.Network" in at
    assert 'data-renderer="webgl"' in above and "new Sigma(" in above
    assert "new vis.Network" not in above and "vis-network" not in above[:2000]
    # Only the network map switches; addresses stay out of the page.
    assert "http://" not in above and "https://" not in above


@browser_marks[0]
@browser_marks[1]
def test_webgl_map_in_chromium(browser: Any, small_graph: DistrictGraph, tmp_path: Path) -> None:
    view = build_view("network", small_graph)
    path = write_view(view, tmp_path / "net.html", "webgl")
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(path.as_uri())
        page.wait_for_function("document.body.dataset.painted === '1'", timeout=20_000)
        assert page.evaluate("document.body.dataset.renderer") == "webgl"
        assert page.evaluate("collabView.graph.order") == len(view.nodes)
        # The same search and focus as the vis-network map.
        page.keyboard.press("/")
        page.keyboard.type("goldb")
        page.keyboard.press("Enter")
        maya = "Person:maya-goldberg"
        assert page.evaluate("collabView.state.focused") == maya
        centre = page.evaluate(
            """id => { const r = collabView.renderer, g = document.getElementById('graph');
                       const p = r.graphToViewport(collabView.graph.getNodeAttributes(id));
                       return [p.x - g.clientWidth / 2, p.y - g.clientHeight / 2]; }""",
            maya,
        )
        assert abs(centre[0]) < 2 and abs(centre[1]) < 2, centre
        tied = {e["to"] for e in view.edges if e["from"] == maya}
        tied |= {e["from"] for e in view.edges if e["to"] == maya}
        for n in view.nodes:
            expected = 1 if n["id"] in tied | {maya} else 0.14
            assert page.evaluate("id => collabView.opacityOf(id)", n["id"]) == expected
        page.keyboard.press("Escape")
        assert page.evaluate("collabView.state.focused") is None
        # Filters.
        shown = page.evaluate("collabView.setFilter('school', 'jefferson-es')")
        assert sorted(shown) == sorted(n["id"] for n in view.nodes if n["school"] == "jefferson-es")
        page.evaluate("collabView.setFilter('school', '')")
        # Export what is on screen: after Fit, the whole network. PNG at twice the
        # drawing area (the WebGL layers included), SVG that parses.
        page.click("#fit")
        size = page.evaluate(
            "(g => [g.clientWidth, g.clientHeight])(document.getElementById('graph'))"
        )
        data = base64.b64decode(page.evaluate("collabView.exportPNG()").split(",", 1)[1])
        assert struct.unpack(">II", data[16:24]) == (2 * size[0], 2 * size[1])
        svg = ET.fromstring(page.evaluate("collabView.exportSVG()"))
        circles = list(svg.iter("{http://www.w3.org/2000/svg}circle"))
        assert len(circles) == len(view.nodes)
        assert errors == [], errors
        assert requests == [path.as_uri()], requests
    finally:
        context.close()
