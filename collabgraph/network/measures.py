"""Graph measures over small integer-indexed graphs, the arithmetic of the network analysis.

Every function here works on vertices ``0 .. n-1`` and plain Python containers,
so it knows nothing about districts: :mod:`collabgraph.network.analyze` turns a
district graph into these inputs. Undirected adjacency is a list of sets;
undirected edge weights are a dict keyed by ``(i, j)`` with ``i < j``.
Undefined figures come back as ``None`` (never NaN); the caller adds a reason.

The heavy measure, betweenness, runs on igraph (C code); everything else is
linear or close to it. ``docs/metrics.md`` gives every formula with a worked
example, and the tests check each one against networkx.

Examples
--------
>>> adj = adjacency(4, [(0, 1), (1, 2)])
>>> density(4, 2), mean_degree(4, 2)
(0.3333333333333333, 1.0)
>>> components(adj)
[[0, 1, 2], [3]]
>>> degree_centralization([len(a) for a in adj])
0.6666666666666666
>>> [round(b, 3) for b in betweenness(4, [(0, 1), (1, 2)]).values]
[0.0, 0.333, 0.0, 0.0]
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from collabgraph.lazy import igraph

__all__ = [
    "Betweenness",
    "adjacency",
    "betweenness",
    "co_membership",
    "component_sizes",
    "components",
    "degree_centralization",
    "density",
    "directed_density",
    "ei_index",
    "mean_degree",
    "structural_holes",
    "two_step_reach",
]


def adjacency(n: int, edges: Iterable[tuple[int, int]]) -> list[set[int]]:
    """Undirected adjacency sets of ``n`` vertices (loops are ignored).

    >>> adjacency(3, [(0, 1), (1, 0), (2, 2)])
    [{1}, {0}, set()]
    """
    adj: list[set[int]] = [set() for _ in range(n)]
    for u, v in edges:
        if u != v:
            adj[u].add(v)
            adj[v].add(u)
    return adj


def density(n: int, m: int) -> float | None:
    """Undirected density ``2m / (n (n - 1))``; ``None`` when ``n < 2``.

    >>> density(5, 5)
    0.5
    >>> density(1, 0) is None
    True
    """
    if n < 2:
        return None
    return 2.0 * m / (n * (n - 1))


def directed_density(n: int, arcs: int) -> float | None:
    """Directed density ``arcs / (n (n - 1))``; ``None`` when ``n < 2``.

    >>> directed_density(5, 6)
    0.3
    """
    if n < 2:
        return None
    return arcs / (n * (n - 1))


def mean_degree(n: int, m: int) -> float | None:
    """Mean undirected degree ``2m / n``; ``None`` when there are no vertices.

    >>> mean_degree(5, 5)
    2.0
    """
    if n == 0:
        return None
    return 2.0 * m / n


def components(adj: Sequence[set[int]]) -> list[list[int]]:
    """Connected components, largest first (ties: smallest vertex first), each sorted.

    >>> components([{1}, {0}, set(), {4}, {3}])
    [[0, 1], [3, 4], [2]]
    """
    seen = [False] * len(adj)
    found: list[list[int]] = []
    for start in range(len(adj)):
        if seen[start]:
            continue
        seen[start] = True
        comp = [start]
        stack = [start]
        while stack:
            for w in adj[stack.pop()]:
                if not seen[w]:
                    seen[w] = True
                    comp.append(w)
                    stack.append(w)
        comp.sort()
        found.append(comp)
    found.sort(key=lambda c: (-len(c), c[0]))
    return found


def component_sizes(n: int, edges: Iterable[tuple[int, int]]) -> list[int]:
    """Sizes of the connected components, largest first (by igraph).

    >>> component_sizes(5, [(0, 1), (3, 4), (1, 0)])
    [2, 2, 1]
    """
    graph = igraph().Graph(n=n, edges=list(edges), directed=False)
    return sorted(graph.connected_components().sizes(), reverse=True)


def degree_centralization(degrees: Sequence[int]) -> float | None:
    """Freeman's degree centralization of an undirected graph.

    ``sum(max_degree - degree_i) / ((n - 1)(n - 2))``: 1 for a star, 0 when
    every vertex has the same degree; ``None`` when ``n < 3``.

    >>> degree_centralization([4, 1, 1, 1, 1])
    1.0
    >>> degree_centralization([2, 2, 2])
    0.0
    """
    n = len(degrees)
    if n < 3:
        return None
    top = max(degrees)
    return sum(top - d for d in degrees) / ((n - 1) * (n - 2))


@dataclass(frozen=True)
class Betweenness:
    """Betweenness of every vertex, normalized to [0, 1] as networkx does.

    ``raw`` counts each unordered pair of endpoints once; ``values`` divides by
    the number of pairs not involving the vertex, ``(n - 1)(n - 2) / 2``.
    ``method`` is ``"exact"`` or ``"sampled"`` (from ``k`` random sources,
    drawn with ``seed``, scaled by ``n / k``).
    """

    values: list[float]
    raw: list[float]
    method: Literal["exact", "sampled"]
    k: int | None
    seed: int | None


def betweenness(
    n: int,
    edges: Sequence[tuple[int, int]],
    *,
    max_exact: int = 5000,
    max_work: int = 100_000_000,
    k: int = 1000,
    seed: int = 0,
) -> Betweenness:
    """Undirected, unweighted shortest-path betweenness, by igraph.

    Exact while there are at most ``max_exact`` vertices and ``n * m`` (the
    algorithm's work) is at most ``max_work``; beyond either, estimated from
    ``k`` source vertices drawn with ``random.Random(seed)`` (Brandes & Pich's
    source sampling), each source's dependencies scaled by ``n / k``.

    >>> b = betweenness(3, [(0, 1), (1, 2)])
    >>> b.values, b.raw, b.method
    ([0.0, 1.0, 0.0], [0.0, 1.0, 0.0], 'exact')
    >>> betweenness(5, [(0, 1), (1, 2), (2, 3), (3, 4)], max_exact=3, k=5).method
    'exact'
    """
    if n == 0:
        return Betweenness([], [], "exact", None, None)
    graph = igraph().Graph(n=n, edges=list(edges), directed=False)
    method: Literal["exact", "sampled"] = "exact"
    used_k: int | None = None
    used_seed: int | None = None
    if (n > max_exact or n * len(edges) > max_work) and 0 < k < n:
        sources = sorted(random.Random(seed).sample(range(n), k))
        raw = [float(x) * n / k for x in graph.betweenness(directed=False, sources=sources)]
        method, used_k, used_seed = "sampled", k, seed
    else:
        raw = [float(x) for x in graph.betweenness(directed=False)]
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    return Betweenness([x * scale for x in raw], raw, method, used_k, used_seed)


def two_step_reach(adj: Sequence[set[int]], i: int) -> set[int]:
    """The vertices within two steps of ``i`` (``i`` itself excluded).

    >>> sorted(two_step_reach([{1}, {0, 2}, {1, 3}, {2}], 0))
    [1, 2]
    """
    reach = set(adj[i])
    for j in adj[i]:
        reach |= adj[j]
    reach.discard(i)
    return reach


def structural_holes(
    adj: Sequence[set[int]], weights: Mapping[tuple[int, int], float] | None = None
) -> tuple[list[float | None], list[float | None]]:
    """Burt's effective size and constraint of every vertex of an undirected graph.

    With ``p_ij`` the share of ``i``'s tie strength invested in ``j`` (``1 / degree``
    when unweighted) and ``m_jq = w_jq / max_k w_jk``:

    * effective size ``sum_j (1 - sum_q p_iq m_jq)`` over neighbours ``j`` and
      ``q != i, j`` (unweighted: ``degree - 2 t / degree``, ``t`` ties among the
      neighbours);
    * constraint ``sum_j (p_ij + sum_q p_iq p_qj) ** 2``.

    Both are ``None`` for an isolate. These are networkx's
    ``effective_size`` and ``constraint`` definitions.

    >>> esize, cons = structural_holes([{1, 2}, {0, 2}, {0, 1}])
    >>> esize, cons
    ([1.0, 1.0, 1.0], [1.125, 1.125, 1.125])
    """
    n = len(adj)

    def w(i: int, j: int) -> float:
        if weights is None:
            return 1.0
        return weights[(i, j) if i < j else (j, i)]

    strength = [sum(w(i, j) for j in adj[i]) for i in range(n)]
    top = [max((w(i, j) for j in adj[i]), default=0.0) for i in range(n)]
    esize: list[float | None] = [None] * n
    cons: list[float | None] = [None] * n
    for i in range(n):
        if not adj[i]:
            continue
        size = 0.0
        total = 0.0
        for j in adj[i]:
            p_ij = w(i, j) / strength[i]
            indirect = 0.0
            redundancy = 0.0
            for q in adj[i] & adj[j]:
                p_iq = w(i, q) / strength[i]
                indirect += p_iq * w(q, j) / strength[q]
                redundancy += p_iq * w(j, q) / top[j]
            size += 1.0 - redundancy
            total += (p_ij + indirect) ** 2
        esize[i] = size
        cons[i] = total
    return esize, cons


def ei_index(internal: int, external: int) -> float | None:
    """Krackhardt and Stern's E-I index ``(E - I) / (E + I)``; ``None`` with no ties.

    -1: every tie stays inside its group; +1: every tie crosses groups.

    >>> ei_index(3, 1)
    -0.5
    >>> ei_index(0, 0) is None
    True
    """
    total = internal + external
    if total == 0:
        return None
    return (external - internal) / total


def co_membership(teams: Mapping[str, Iterable[str]]) -> dict[tuple[str, str], int]:
    """The one-mode projection of a people x teams network.

    ``teams`` maps a team to its members; the result maps each pair of people
    ``(a, b)`` with ``a < b`` who share a team to the number of teams they share.

    >>> co_membership({"t1": ["a", "b", "c"], "t2": ["b", "c"]})
    {('a', 'b'): 1, ('a', 'c'): 1, ('b', 'c'): 2}
    """
    shared: dict[tuple[str, str], int] = {}
    for members in teams.values():
        for a, b in combinations(sorted(set(members)), 2):
            shared[(a, b)] = shared.get((a, b), 0) + 1
    return dict(sorted(shared.items()))
