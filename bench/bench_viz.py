"""Benchmark the views: Python build time, and first paint in headless Chromium against a peer.

Two measurements:

* **first paint** of our network map against the peer, a plain vis-network
  page built side by side in the same run: the same vis-network build inlined,
  the same precomputed positions, physics off, nodes with only ``id``,
  ``label``, ``x``, ``y`` and edges with only ``from`` and ``to``, every
  option at vis-network's default except two that ours sets too: node shape
  ``dot`` (the default ``ellipse`` measures and draws each label inside its
  node) and straight edges (the default "dynamic" curves add a hidden support
  node per edge). With those two defaults left on, the peer was 1.5 to 1.6
  times slower than ours, which says nothing about our page's overhead. Both pages
  are opened from disk in one headless Chromium (1366 x 768), alternately, and
  timed from navigation start to the end of the first frame vis-network draws
  (``afterDrawing``). Figure: the median of ``--repeat`` loads each, and the
  ratio ours / peer; target <= 1.5. Graphs: ``n`` association people (building
  reps at n/20 schools, plus three officers) with ``2n`` observed ties drawn
  small-world style (mostly within a school's neighbourhood), at 1,000 and
  5,000 people, and 20,000 with ``--large``.
* **Python build** of each view of the generated 1,000-school district
  (:func:`collabgraph.generate.generate_workbook`), and of the network view at
  each benchmark size: the analysis the view needs, then ``build_view``
  (layout included) and ``view_html``, in seconds (no peer).

Run::

    .venv/bin/python bench/bench_viz.py            # 1,000 and 5,000 nodes
    .venv/bin/python bench/bench_viz.py --large    # and 20,000
    .venv/bin/python bench/bench_viz.py --repeat 5 --json out.json

Needs Debian's chromium at /usr/bin/chromium and Playwright (dev dependencies).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from collabgraph.counterparts import find_counterparts
from collabgraph.gaps import find_gaps
from collabgraph.generate import generate_workbook
from collabgraph.graph import DistrictGraph, workbook_to_graph
from collabgraph.model import District, Person, Position, School, Tie, Workbook
from collabgraph.network import analyze_network
from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from visualizations import VIEW_KINDS, View, build_view, view_html
from visualizations.render import safe_json, vis_assets

PEER_TEMPLATE = """<!doctype html>
<html><head><meta charset="utf-8"><title>plain vis-network</title>
<style>{css}</style>
<style>html, body {{ margin: 0; height: 100%; }} #graph {{ position: absolute; inset: 0; }}</style>
<script>{js}</script></head>
<body><div id="graph"></div>
<script>
var nodes = new vis.DataSet({nodes});
var edges = new vis.DataSet({edges});
var network = new vis.Network(document.getElementById("graph"), {{nodes: nodes, edges: edges}},
  {{physics: {{enabled: false}}, layout: {{improvedLayout: false}}, nodes: {{shape: "dot"}},
   edges: {{smooth: false}}}});
network.once("afterDrawing", function () {{
  window.viewPaintedAt = performance.now();
  document.body.dataset.painted = "1";
}});
</script></body></html>
"""


def synthetic_graph(n: int, seed: int = 1) -> DistrictGraph:
    """``n`` association people (three officers, the rest building reps) and ``2n`` ties."""
    rng = random.Random(seed)
    n_schools = max(1, n // 20)
    schools = [
        School(id=f"s{i}", name=f"School {i}", level=("elementary", "middle", "high")[i % 3])
        for i in range(n_schools)
    ]
    people = [Person(id=f"p{i}", name=f"Person {i}") for i in range(n)]
    officer_kinds = ("president", "vice_president", "chief_negotiator")
    positions = [
        Position(id=f"o{i}", title=kind.replace("_", " "), side="labor", kind=kind, holder=f"p{i}")
        for i, kind in enumerate(officer_kinds[: min(3, n)])
    ]
    positions += [
        Position(
            id=f"r{i}",
            title=f"Rep {i}",
            side="labor",
            kind="building_rep",
            level="school",
            school=f"s{i % n_schools}",
            holder=f"p{i}",
        )
        for i in range(len(positions), n)
    ]
    ties: dict[tuple[int, int], Tie] = {}
    while len(ties) < 2 * n and n > 1:
        a = rng.randrange(n)
        # Mostly near neighbours (same or nearby school), sometimes anyone.
        b = (a + rng.randint(1, 40)) % n if rng.random() < 0.9 else rng.randrange(n)
        if a != b and (a, b) not in ties:
            ties[(a, b)] = Tie(source=f"p{a}", target=f"p{b}", weight=rng.choice((0.25, 0.5, 1.0)))
    wb = Workbook(
        district=District(id=f"bench-{n}", name=f"Benchmark {n}"),
        schools=schools,
        people=people,
        positions=positions,
        ties=list(ties.values()),
    )
    return workbook_to_graph(wb)


def peer_html(view: View) -> str:
    """The plain vis-network page with the same positions as ``view``."""
    js, css = vis_assets()
    nodes = [{"id": n["id"], "label": n["label"], "x": n["x"], "y": n["y"]} for n in view.nodes]
    edges = [{"from": e["from"], "to": e["to"]} for e in view.edges]
    return PEER_TEMPLATE.format(css=css, js=js, nodes=safe_json(nodes), edges=safe_json(edges))


def first_paint(browser: Any, path: Path) -> float:
    """Milliseconds from navigation start to the first frame vis-network drew."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        page.goto(path.as_uri(), timeout=300_000)
        page.wait_for_function("document.body.dataset.painted === '1'", timeout=300_000)
        return float(page.evaluate("window.viewPaintedAt"))
    finally:
        context.close()


def timed(fn: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def build_times(graph: DistrictGraph) -> dict[str, dict[str, float]]:
    """Seconds per view: the analysis it needs, building the view, writing the page."""
    analyses = {
        "network": lambda: {"network": analyze_network(graph)},
        "structure": lambda: {"gaps": find_gaps(graph)},
        "counterparts": lambda: {"counterparts": find_counterparts(graph)},
    }
    out: dict[str, dict[str, float]] = {}
    for kind in VIEW_KINDS:
        t_analysis, reports = timed(analyses[kind])
        t_build, view = timed(lambda kind=kind, reports=reports: build_view(kind, graph, **reports))
        t_html, page = timed(lambda view=view: view_html(view))
        out[kind] = {
            "analysis_s": round(t_analysis, 3),
            "build_s": round(t_build, 3),
            "html_s": round(t_html, 3),
            "nodes": len(view.nodes),
            "edges": len(view.edges),
            "page_mb": round(len(page.encode()) / 1e6, 2),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", action="store_true", help="also measure 20,000 nodes")
    parser.add_argument("--repeat", type=int, default=3, help="page loads per page (median)")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    sizes = [1000, 5000] + ([20000] if args.large else [])
    results: dict[str, Any] = {"sizes": {}, "generated_1000_schools": {}}

    print("Python build, generated district of 1,000 schools (seconds)")
    t_gen, wb = timed(lambda: generate_workbook(1000, seed=1))
    graph = workbook_to_graph(wb)
    print(f"  generate + graph: {t_gen:.2f}")
    for kind, figures in build_times(graph).items():
        results["generated_1000_schools"][kind] = figures
        print(
            f"  {kind:<13} analysis {figures['analysis_s']:6.2f}  build {figures['build_s']:6.2f}"
            f"  html {figures['html_s']:6.2f}  ({figures['nodes']} nodes, {figures['edges']} edges,"
            f" {figures['page_mb']} MB)"
        )

    from playwright.sync_api import sync_playwright

    print("\nFirst paint in headless Chromium, network map vs plain vis-network (ms, median)")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for n in sizes:
                g = synthetic_graph(n)
                t_analysis, report = timed(lambda g=g: analyze_network(g))
                t_build, view = timed(
                    lambda g=g, report=report: build_view("network", g, network=report)
                )
                t_html, page = timed(lambda view=view: view_html(view))
                ours = Path(tmp) / f"ours-{n}.html"
                peer = Path(tmp) / f"peer-{n}.html"
                ours.write_text(page, encoding="utf-8")
                peer.write_text(peer_html(view), encoding="utf-8")
                first_paint(browser, ours)  # warm the browser's caches once
                mine: list[float] = []
                theirs: list[float] = []
                for _ in range(args.repeat):
                    mine.append(first_paint(browser, ours))
                    theirs.append(first_paint(browser, peer))
                m, p = statistics.median(mine), statistics.median(theirs)
                results["sizes"][str(n)] = {
                    "nodes": len(view.nodes),
                    "edges": len(view.edges),
                    "ours_ms": round(m, 1),
                    "peer_ms": round(p, 1),
                    "ratio": round(m / p, 3),
                    "analysis_s": round(t_analysis, 3),
                    "build_s": round(t_build, 3),
                    "html_s": round(t_html, 3),
                    "ours_mb": round(ours.stat().st_size / 1e6, 2),
                    "peer_mb": round(peer.stat().st_size / 1e6, 2),
                }
                print(
                    f"  {n:>6} nodes, {len(view.edges):>6} edges: ours {m:8.1f}  peer {p:8.1f}"
                    f"  ratio {m / p:5.2f}   | Python: analysis {t_analysis:.2f} s,"
                    f" build (layout) {t_build:.2f} s, html {t_html:.2f} s"
                )
        finally:
            browser.close()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
