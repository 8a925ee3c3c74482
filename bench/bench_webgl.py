"""Benchmark the WebGL network map: first paint against a plain sigma.js page, and
against our vis-network map at 20,000 people.

For each size (20,000, 50,000 and 100,000 association people with 2n ties, the
synthetic networks of ``bench_viz.py``), the network view is built once
(analysis, layout) and written three ways:

* **ours (WebGL)**: ``view_html(view, "webgl")``, what the map serves above
  20,000 people: sigma.js + graphology inlined, our controls, search index,
  filters, legend, tooltips;
* **peer**: a plain sigma.js page built in the same run from the same view:
  the same inlined sigma.js and graphology, the same positions and sizes,
  nodes with only ``x``, ``y``, ``size`` and ``label``, edges with only their
  ends, every setting at sigma's default;
* **ours (vis-network)**, at 20,000 (the switching size) only:
  ``view_html(view, "vis")``, the map as it was drawn before the switch.

Pages are opened from disk in one headless Chromium (1366 x 768), alternately,
timed from navigation start to the page's first frame (``viewPaintedAt``: for
sigma, the end of its constructor, which draws the first frame; for
vis-network, its first ``afterDrawing``), then one more animation frame so the
GPU work is included. Figure: median of ``--repeat`` loads; ratio ours / peer
(target <= 1.5) and WebGL / vis-network at 20,000 (target < 1).

Run::

    .venv/bin/python bench/bench_webgl.py                 # 20,000, 50,000, 100,000
    .venv/bin/python bench/bench_webgl.py --sizes 20000 --repeat 5 --shots shots/

``--shots`` saves a screenshot of each page (to look at).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_viz import synthetic_graph, timed  # type: ignore[import-not-found]

from collabgraph.network import analyze_network
from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from visualizations import View, build_view, view_html
from visualizations.render import WEBGL_MIN_NODES, safe_json, sigma_assets

PEER_TEMPLATE = """<!doctype html>
<html><head><meta charset="utf-8"><title>plain sigma.js</title>
<style>html, body {{ margin: 0; height: 100%; }} #graph {{ position: absolute; inset: 0; }}</style>
<script>{graphology}</script><script>{sigma}</script></head>
<body><div id="graph"></div>
<script>
var graph = new graphology.Graph();
var nodes = {nodes}, edges = {edges};
for (var i = 0; i < nodes.length; i++) {{
  var n = nodes[i];
  graph.addNode(n[0], {{x: n[1], y: n[2], size: n[3], label: n[4]}});
}}
for (var j = 0; j < edges.length; j++) {{ graph.addEdge(edges[j][0], edges[j][1]); }}
var renderer = new Sigma(graph, document.getElementById("graph"));
window.viewPaintedAt = performance.now();
document.body.dataset.painted = "1";
</script></body></html>
"""


def peer_html(view: View) -> str:
    """The plain sigma.js page with the same positions and sizes as ``view``."""
    graphology, sigma = sigma_assets()
    nodes = [[n["id"], n["x"], -n["y"], max(1.5, n["size"] / 3), n["label"]] for n in view.nodes]
    edges = [[e["from"], e["to"]] for e in view.edges]
    return PEER_TEMPLATE.format(
        graphology=graphology, sigma=sigma, nodes=safe_json(nodes), edges=safe_json(edges)
    )


def first_paint(browser: Any, path: Path, shot: Path | None = None) -> float:
    """Milliseconds from navigation start to the first frame, plus one animation frame."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        page.goto(path.as_uri(), timeout=600_000)
        page.wait_for_function("document.body.dataset.painted === '1'", timeout=600_000)
        done = page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => r(performance.now())))"
        )
        if shot is not None:
            page.screenshot(path=str(shot))
        return float(done)
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 50_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3, help="page loads per page (median)")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    parser.add_argument("--shots", type=Path, help="save a screenshot of each page here")
    args = parser.parse_args()
    if args.shots:
        args.shots.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {}
    print("First paint in headless Chromium (ms, median of loads)")
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for n in args.sizes:
                g = synthetic_graph(n)
                t_analysis, report = timed(lambda g=g: analyze_network(g))
                t_build, view = timed(
                    lambda g=g, report=report: build_view("network", g, network=report)
                )
                t_html, page = timed(lambda view=view: view_html(view))
                if len(view.nodes) > WEBGL_MIN_NODES and 'data-renderer="webgl"' not in page:
                    raise SystemExit("the map should have switched to WebGL")
                pages = {"ours": view_html(view, "webgl"), "peer": peer_html(view)}
                if n <= WEBGL_MIN_NODES:  # the size where the map switches: compare both
                    pages["vis"] = view_html(view, "vis")
                paths = {}
                for name, text in pages.items():
                    paths[name] = Path(tmp) / f"{name}-{n}.html"
                    paths[name].write_text(text, encoding="utf-8")
                for name, path in paths.items():  # warm up, and the screenshots
                    shot = args.shots / f"{name}-{n}.png" if args.shots else None
                    first_paint(browser, path, shot)
                times: dict[str, list[float]] = {name: [] for name in paths}
                for _ in range(args.repeat):
                    for name, path in paths.items():
                        times[name].append(first_paint(browser, path))
                med = {name: statistics.median(v) for name, v in times.items()}
                row: dict[str, Any] = {
                    "nodes": len(view.nodes),
                    "edges": len(view.edges),
                    **{f"{k}_ms": round(v, 1) for k, v in med.items()},
                    "ratio_peer": round(med["ours"] / med["peer"], 3),
                    "mb": {k: round(p.stat().st_size / 1e6, 2) for k, p in paths.items()},
                    "python_s": {
                        "analysis": round(t_analysis, 2),
                        "build": round(t_build, 2),
                        "html": round(t_html, 2),
                    },
                }
                line = (
                    f"  {n:>7} nodes, {len(view.edges):>7} edges: WebGL {med['ours']:8.1f}"
                    f"  plain sigma {med['peer']:8.1f}  ratio {row['ratio_peer']:5.2f}"
                )
                if "vis" in med:
                    row["ratio_vis"] = round(med["ours"] / med["vis"], 3)
                    line += f"  | vis-network {med['vis']:8.1f}  WebGL/vis {row['ratio_vis']:5.2f}"
                line += f"  | Python: analysis {t_analysis:.1f} s, build {t_build:.1f} s"
                print(line, flush=True)
                results[str(n)] = row
        finally:
            browser.close()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
