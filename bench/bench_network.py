"""Benchmark the natural-network analysis against its peers, side by side in one run.

Each figure is a ratio of our time over a peer's time on the same graph in the
same run (best of ``--repeat`` runs each), so the machine's speed cancels out:

* **betweenness, exact**: :func:`collabgraph.network.measures.betweenness`
  (edge list -> igraph graph -> betweenness -> normalized) against igraph's own
  ``Graph.betweenness()`` on a graph built beforehand; target <= 1.5;
* **betweenness, sampled** (above ``exact_betweenness_max_nodes``): ours against
  igraph's ``betweenness(sources=...)`` with the same sources; target <= 1.5; and
  the overlap of the sampled top-100 brokers with the exact top-100 (>= 0.9);
* **density, components and degree**: the analysis' own path (``_Net``: the
  district's ties -> undirected pairs -> density, components, degrees) against
  a one-pass numpy computation on the integer edge array (pairs by ``np.unique``,
  degree by ``np.bincount``) plus igraph's ``connected_components``; target <= 2;
* the **whole** :func:`analyze_network` on each graph, in seconds (no peer).

Graphs: a district from :mod:`collabgraph.generate` (1,000 schools) when that
module is present, and a seeded random graph of 5,000 association people and
10,000 ties (the size the issue quotes), plus one of 5,000 people and 50,000
ties (the size of the full-analysis target).

Run::

    .venv/bin/python bench/bench_network.py
    .venv/bin/python bench/bench_network.py --repeat 5 --json out.json
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import igraph as ig
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from collabgraph.graph import DistrictGraph, workbook_to_graph
from collabgraph.model import District, Person, Position, Tie, Workbook
from collabgraph.network import NetworkConfig, analyze_network
from collabgraph.network import measures as ms
from collabgraph.network.tieset import _District, _Net, _TieSet


def best(fn: Callable[[], Any], repeat: int) -> float:
    """The fastest of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def random_district(n: int, m: int, seed: int) -> Workbook:
    """``n`` association officers and ``m`` distinct random ties among them."""
    rng = random.Random(seed)
    ids = [f"p{i}" for i in range(n)]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < m:
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            pairs.add((a, b))
    return Workbook(
        district=District(id=f"rand-{n}-{m}", name=f"Random {n}/{m}"),
        people=[Person(id=p, name=p) for p in ids],
        positions=[
            Position(id=f"pos-{p}", title="Officer", side="labor", kind="other", holder=p)
            for p in ids
        ],
        ties=[Tie(source=ids[a], target=ids[b]) for a, b in sorted(pairs)],
    )


def graphs() -> list[tuple[str, DistrictGraph]]:
    out: list[tuple[str, DistrictGraph]] = []
    try:
        gen = importlib.import_module("collabgraph.generate")
        out.append(
            ("generated 1,000 schools", workbook_to_graph(gen.generate_workbook(1000, seed=1)))
        )
    except ModuleNotFoundError:
        print("collabgraph.generate is not available: random graphs only")
    out.append(("random 5k/10k", workbook_to_graph(random_district(5000, 10_000, seed=1))))
    out.append(("random 5k/50k", workbook_to_graph(random_district(5000, 50_000, seed=2))))
    return out


def numpy_peer(n: int, edges: np.ndarray) -> tuple[int, float, np.ndarray, list[int]]:
    """m, density, degrees and component sizes in one pass over an int edge array."""
    lo = np.minimum(edges[:, 0], edges[:, 1])
    hi = np.maximum(edges[:, 0], edges[:, 1])
    keep = (lo != hi) & (lo >= 0)
    codes = np.unique(lo[keep].astype(np.int64) * n + hi[keep])
    m = int(codes.size)
    u, v = codes // n, codes % n
    degree = np.bincount(np.concatenate([u, v]), minlength=n)
    dens = 2.0 * m / (n * (n - 1))
    g = ig.Graph(n=n, edges=np.column_stack([u, v]).tolist(), directed=False)
    sizes = sorted(g.connected_components().sizes(), reverse=True)
    return m, dens, degree, sizes


def top(values: list[float], k: int) -> set[int]:
    return set(sorted(range(len(values)), key=lambda i: (-values[i], i))[:k])


def bench(label: str, graph: DistrictGraph, repeat: int) -> dict[str, Any]:
    d = _District.read(graph)
    people = sorted(
        {h for p, a in d.positions.items() if a.get("side") == "labor" for h in d.holders[p]}
    )
    net = _Net(people, d.ties)
    n = net.n
    edges = sorted(net.weights)
    row: dict[str, Any] = {"graph": label, "n": n, "m": net.m}

    # -- exact betweenness -------------------------------------------------------
    prebuilt = ig.Graph(n=n, edges=edges, directed=False)
    ours = best(lambda: ms.betweenness(n, edges, max_exact=10**9, max_work=10**15), repeat)
    peer = best(lambda: prebuilt.betweenness(directed=False), repeat)
    exact = ms.betweenness(n, edges, max_exact=10**9, max_work=10**15)
    ref = prebuilt.betweenness(directed=False)
    assert max(abs(a - b) for a, b in zip(exact.raw, ref, strict=True)) < 1e-6
    row["betweenness_exact"] = {"ours_s": ours, "igraph_s": peer, "ratio": ours / peer}

    # -- sampled betweenness -----------------------------------------------------
    k = min(NetworkConfig().betweenness_samples, n - 1)
    sampled = ms.betweenness(n, edges, max_exact=2, k=k, seed=0)
    sources = sorted(random.Random(0).sample(range(n), k))
    ours = best(lambda: ms.betweenness(n, edges, max_exact=2, k=k, seed=0), repeat)
    peer = best(lambda: prebuilt.betweenness(directed=False, sources=sources), repeat)
    overlap = len(top(sampled.raw, 100) & top(exact.raw, 100)) / 100
    row["betweenness_sampled"] = {
        "k": k,
        "ours_s": ours,
        "igraph_s": peer,
        "ratio": ours / peer,
        "top100_overlap": overlap,
    }

    # -- density, components, degree ---------------------------------------------
    # The peer gets every tie of the district as an integer array (-1: not in the node set).
    index = {p: i for i, p in enumerate(people)}
    arr = np.array(
        [(index.get(t.source, -1), index.get(t.target, -1)) for t in d.ties], dtype=np.int64
    ).reshape(-1, 2)

    # Ours gets the district's ties as the arrays an analysis builds once (_TieSet).
    tie_set = _TieSet(d.ties)

    def ours_basic() -> None:
        sub = _Net(people, tie_set)
        sub.density()
        sub.components()
        sub.degrees  # noqa: B018

    ours = best(ours_basic, repeat)
    peer = best(lambda: numpy_peer(n, arr), repeat)
    m, dens, degree, sizes = numpy_peer(n, arr)
    assert m == net.m and abs(dens - (net.density().density or 0)) < 1e-12
    assert sizes == net.components().sizes
    assert degree.tolist() == [len(a) for a in net.adj]
    row["density_components_degree"] = {"ours_s": ours, "numpy_s": peer, "ratio": ours / peer}

    # -- the whole analysis ---------------------------------------------------------
    cfg = NetworkConfig()
    row["analyze_network_s"] = best(lambda: analyze_network(graph, config=cfg), 1)
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, help="Also write the figures to this file.")
    args = parser.parse_args()
    rows = []
    for label, graph in graphs():
        row = bench(label, graph, args.repeat)
        rows.append(row)
        be, bs, dc = (
            row["betweenness_exact"],
            row["betweenness_sampled"],
            row["density_components_degree"],
        )
        print(f"{label}: n={row['n']} m={row['m']}")
        print(
            f"  betweenness exact    ours {be['ours_s']:.3f}s  igraph {be['igraph_s']:.3f}s"
            f"  ratio {be['ratio']:.2f}"
        )
        print(
            f"  betweenness k={bs['k']:<4}  ours {bs['ours_s']:.3f}s  igraph {bs['igraph_s']:.3f}s"
            f"  ratio {bs['ratio']:.2f}  top-100 overlap {bs['top100_overlap']:.2f}"
        )
        print(
            f"  density+components+degree  ours {dc['ours_s']:.4f}s  numpy {dc['numpy_s']:.4f}s"
            f"  ratio {dc['ratio']:.2f}"
        )
        print(f"  analyze_network (whole)    {row['analyze_network_s']:.2f}s")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
