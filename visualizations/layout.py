"""Node positions computed in Python, so the browser never has to run physics.

A browser settling a force layout on thousands of nodes takes a minute or never
finishes; drawing nodes at given coordinates takes about a second. So every
view arrives with ``x``/``y`` already set:

* :func:`spring_positions` -- a force-directed layout for the tie network:
  igraph's Kamada-Kawai up to :data:`KAMADA_KAWAI_MAX` linked nodes, networkx's
  Fruchterman-Reingold up to :data:`SMALL_GRAPH`
  nodes, igraph's grid-accelerated Fruchterman-Reingold above that;
* :func:`band_positions` -- horizontal bands (one per hierarchy level) whose
  rows wrap, for the structure chart;
* :func:`column_positions` -- a vertical column, for the counterparts view.

Coordinates are in vis-network pixels; the same input always gives the same
output (seeded layouts).

Examples
--------
>>> pos = spring_positions(3, [(0, 1), (1, 2)])
>>> len(pos), all(isinstance(x, float) and isinstance(y, float) for x, y in pos)
(3, True)
>>> band_positions([["a"], ["b", "c", "d"]], columns=2, col_gap=100, row_gap=50, band_gap=80)
{'a': (0.0, 0.0), 'b': (-50.0, 80.0), 'c': (50.0, 80.0), 'd': (0.0, 130.0)}
>>> column_positions(["x", "y"], x=-200, gap=60)
{'x': (-200.0, 0.0), 'y': (-200.0, 60.0)}
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

from collabgraph.lazy import igraph

__all__ = [
    "ISOLATE_GAP",
    "KAMADA_KAWAI_MAX",
    "SMALL_GRAPH",
    "band_positions",
    "column_positions",
    "fr_iterations",
    "spread",
    "spring_positions",
]

#: Graphs with at most this many nodes are laid out by networkx, larger ones by igraph.
SMALL_GRAPH: Final = 300
#: Networks with at most this many linked nodes get igraph's Kamada-Kawai layout.
KAMADA_KAWAI_MAX: Final = 150
#: Distance between isolates in their grid.
ISOLATE_GAP: Final = 80.0

Point = tuple[float, float]


def spread(n: int) -> float:
    """Half the side of the square a network of ``n`` nodes is drawn in.

    Grows with the square root of ``n`` so the mean distance between
    neighbouring nodes stays about the same at every size.

    >>> spread(0), spread(100)
    (150.0, 550.0)
    """
    return 150.0 + 40.0 * math.sqrt(n)


def _fit(raw: Sequence[Sequence[float]], half: float) -> list[Point]:
    if not raw:
        return []
    xs = [float(p[0]) for p in raw]
    ys = [float(p[1]) for p in raw]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    extent = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    scale = half / extent
    return [
        (round((x - cx) * scale, 1), round((y - cy) * scale, 1))
        for x, y in zip(xs, ys, strict=True)
    ]


def fr_iterations(n: int) -> int:
    """Fruchterman-Reingold iterations for ``n`` nodes: 300, fewer above 5,000 nodes.

    The cost of one iteration grows with ``n``; the cap keeps a 20,000-node
    layout to a few seconds.

    >>> fr_iterations(1000), fr_iterations(5000), fr_iterations(20000)
    (300, 300, 75)
    """
    return max(50, min(300, 1_500_000 // max(n, 1)))


def _force_layout(n: int, edges: Sequence[tuple[int, int]], seed: int) -> list[Point]:
    """A raw force-directed layout (coordinates in the layout's own units)."""
    if n <= KAMADA_KAWAI_MAX:
        import random

        # Kamada-Kawai spaces a small network evenly (networkx's spring layout
        # left pairs of nodes on top of each other in the ABC example).
        graph = igraph().Graph(n=n, edges=list(edges), directed=False)
        rng = random.Random(seed)
        start = [(rng.uniform(-1, 1), rng.uniform(-1, 1)) for _ in range(n)]
        layout = graph.layout_kamada_kawai(seed=start, maxiter=50 * n)
        return [(float(c[0]), float(c[1])) for c in layout.coords]
    if n <= SMALL_GRAPH:
        import networkx as nx

        g: nx.Graph[int] = nx.Graph()
        g.add_nodes_from(range(n))
        g.add_edges_from(edges)
        found = nx.spring_layout(g, seed=seed, iterations=80)
        return [(float(found[i][0]), float(found[i][1])) for i in range(n)]
    import random

    graph = igraph().Graph(n=n, edges=list(edges), directed=False)
    rng = random.Random(seed)
    # Start spread over a square of side ~sqrt(n), as igraph itself does: a
    # start squeezed into a unit square puts every node in one grid cell and
    # the grid-accelerated layout goes quadratic (11 s instead of 0.6 s at
    # 5,000 nodes).
    half = math.sqrt(n)
    start = [(rng.uniform(-half, half), rng.uniform(-half, half)) for _ in range(n)]
    layout = graph.layout_fruchterman_reingold(
        seed=start, niter=fr_iterations(n), grid="grid" if n > 1000 else "nogrid"
    )
    return [(float(c[0]), float(c[1])) for c in layout.coords]


def spring_positions(n: int, edges: Sequence[tuple[int, int]], *, seed: int = 7) -> list[Point]:
    """A seeded force-directed layout of ``n`` nodes, isolates in a grid below.

    Nodes with at least one edge are laid out by force (networkx below
    :data:`SMALL_GRAPH` nodes, igraph's Fruchterman-Reingold above) inside a
    square of half-side :func:`spread`, centred on the origin. Nodes with no
    edge would otherwise be pushed to the rim and squeeze everyone else into
    the middle, so they sit in rows :data:`ISOLATE_GAP` apart under the square.

    Parameters
    ----------
    n : int
        Number of nodes, numbered ``0 .. n - 1``.
    edges : sequence of (int, int)
        Undirected edges.
    seed : int
        Seed of the initial placement.

    Returns
    -------
    list of (x, y)
        One point per node.

    Examples
    --------
    >>> pos = spring_positions(4, [(0, 1)])
    >>> pos[2], pos[3]
    ((-40.0, 286.6), (40.0, 286.6))
    """
    if n == 0:
        return []
    linked = sorted({i for e in edges for i in e if e[0] != e[1]})
    linked_set = set(linked)
    alone = [i for i in range(n) if i not in linked_set]
    out: list[Point] = [(0.0, 0.0)] * n
    half = spread(len(linked)) if linked else 0.0
    if len(linked) == 1:
        out[linked[0]] = (0.0, 0.0)
    elif linked:
        local = {node: k for k, node in enumerate(linked)}
        sub = [(local[a], local[b]) for a, b in edges if a != b]
        for node, point in zip(
            linked, _fit(_force_layout(len(linked), sub, seed), half), strict=True
        ):
            out[node] = point
    if alone:
        per_row = (
            max(1, int(2 * half // ISOLATE_GAP) + 1) if linked else math.ceil(math.sqrt(len(alone)))
        )
        top = half + ISOLATE_GAP if linked else 0.0
        for k, node in enumerate(alone):
            row, col = divmod(k, per_row)
            in_row = min(per_row, len(alone) - row * per_row)
            left = -(in_row - 1) * ISOLATE_GAP / 2
            out[node] = (round(left + col * ISOLATE_GAP, 1), round(top + row * ISOLATE_GAP, 1))
    return out


def band_positions(
    bands: Sequence[Sequence[str]],
    *,
    columns: int,
    col_gap: float,
    row_gap: float,
    band_gap: float,
) -> dict[str, Point]:
    """Place keys in horizontal bands, top to bottom, each centred and wrapped.

    Band ``i`` starts ``band_gap`` below the last row of band ``i - 1``; within
    a band, keys fill rows of at most ``columns``, ``row_gap`` apart. Empty
    bands take no room.
    """
    out: dict[str, Point] = {}
    y = 0.0
    first = True
    for band in bands:
        if not band:
            continue
        if not first:
            y += band_gap
        first = False
        rows = [band[i : i + columns] for i in range(0, len(band), columns)]
        for r, row in enumerate(rows):
            if r:
                y += row_gap
            left = -(len(row) - 1) * col_gap / 2
            for c, key in enumerate(row):
                out[key] = (round(left + c * col_gap, 1), round(y, 1))
    return out


def column_positions(
    keys: Sequence[str], *, x: float, gap: float, top: float = 0.0
) -> dict[str, Point]:
    """Stack keys in one column at ``x``, ``gap`` apart, starting at ``top``."""
    return {key: (float(x), float(top + i * gap)) for i, key in enumerate(keys)}
