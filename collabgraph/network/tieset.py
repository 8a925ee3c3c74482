"""The district's association network as the analysis reads it: people, ties, nets.

Internal to :mod:`collabgraph.network.analyze` (split out to keep modules small):
``_District`` gathers the labor-side people, their schools, positions and teams
from one :class:`~collabgraph.district_view.DistrictView`; ``_TieSet`` holds the
observed ties as code arrays (masks for a wave or a topic); ``_Net`` is the
undirected network of one tie set with the measures computed on it.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any, Final, NamedTuple

import numpy as np
import numpy.typing as npt

from collabgraph.district_view import DistrictView
from collabgraph.graph import DistrictGraph
from collabgraph.network import measures as ms
from collabgraph.network.exchange import tie_scale
from collabgraph.network.report import (
    Components,
    Density,
    PersonRef,
    SchoolRef,
    TeamRef,
)

_FEW: Final = "fewer than two people in the network"


def _ident(key: str) -> str:
    return key.split(":", 1)[1]


class _Tie(NamedTuple):
    source: str
    target: str
    weight: float
    topic: str | None
    wave: str | None


@dataclass
class _District:
    """Everything the analysis needs, read from the graph in one pass."""

    names: dict[str, str] = field(default_factory=dict)
    own_side: dict[str, str] = field(default_factory=dict)
    own_school: dict[str, str] = field(default_factory=dict)
    positions: dict[str, dict[str, Any]] = field(default_factory=dict)
    position_school: dict[str, str] = field(default_factory=dict)
    holders: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    held: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    schools: dict[str, dict[str, Any]] = field(default_factory=dict)
    teams: dict[str, dict[str, Any]] = field(default_factory=dict)
    team_school: dict[str, str] = field(default_factory=dict)
    members: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    topics: dict[str, str] = field(default_factory=dict)
    ties: list[_Tie] = field(default_factory=list)

    @classmethod
    def read(cls, g: DistrictGraph, view: DistrictView | None = None) -> _District:
        d = cls()
        for key, data in g.nodes(data=True):
            kind = data.get("kind")
            if kind == "Person":
                d.names[key] = str(data.get("name", _ident(key)))
                if data.get("side"):
                    d.own_side[key] = str(data["side"])
            elif kind == "Position":
                d.positions[key] = data
            elif kind == "School":
                d.schools[key] = data
            elif kind == "Team":
                d.teams[key] = data
            elif kind == "Topic":
                d.topics[key] = str(data.get("name", _ident(key)))
        typed = (view if view is not None and view.graph is g else DistrictView(g)).typed_edges
        scale = tie_scale(g)
        d.ties = [
            _Tie(
                u,
                v,
                min(float(data.get("weight", 1.0)) / scale, 1.0),
                data.get("topic"),
                data.get("wave"),
            )
            for u, v, data in typed("TIE")
        ]
        for u, v, _ in typed("HOLDS"):
            d.holders[v].append(u)
            d.held[u].append(v)
        for u, v, _ in typed("MEMBER_OF"):
            d.members[v].add(u)
        for u, v, _ in typed("AT"):
            if u in d.positions:
                d.position_school[u] = v
            elif u in d.teams:
                d.team_school[u] = v
            elif u in d.names:
                d.own_school[u] = v
        for lists in (d.holders, d.held):
            for keys in lists.values():
                keys.sort()
        return d

    def side(self, person: str) -> str | None:
        """The person's own side, else that of the first position they hold."""
        if person in self.own_side:
            return self.own_side[person]
        for pos in self.held.get(person, ()):
            return str(self.positions[pos].get("side"))
        return None

    def school(self, person: str) -> str | None:
        """The person's school: their own, else that of the first position with one."""
        if person in self.own_school:
            return self.own_school[person]
        for pos in self.held.get(person, ()):
            if pos in self.position_school:
                return self.position_school[pos]
        return None

    def holds_kind(self, person: str, *kinds: str) -> list[str]:
        return [
            p for p in self.held.get(person, ()) if self.positions[p].get("position_kind") in kinds
        ]

    def person(self, key: str) -> PersonRef:
        return PersonRef(id=_ident(key), name=self.names.get(key, _ident(key)))

    def school_ref(self, key: str) -> SchoolRef:
        data = self.schools.get(key, {})
        return SchoolRef(
            id=_ident(key), name=str(data.get("name", _ident(key))), level=data.get("level")
        )

    def team_ref(self, key: str) -> TeamRef:
        data = self.teams[key]
        return TeamRef(
            id=_ident(key), name=str(data.get("name", _ident(key))), kind=str(data.get("team_kind"))
        )


class _TieSet:
    """Ties as parallel arrays over one numbering of the people they name.

    Built once per district (one pass over the ties); subsets by wave or topic
    are boolean masks, and :class:`_Net` folds a set over any group of people
    with array operations instead of a Python loop per tie. Iterating yields
    the :class:`_Tie` records themselves.
    """

    def __init__(self, ties: Iterable[_Tie]) -> None:
        self._all = list(ties)
        count = len(self._all)
        sources, targets, weights, topic_of, wave_of = (
            zip(*self._all, strict=True) if count else ((), (), (), (), ())
        )
        # people numbered in order of first appearance, sources before targets
        index = {k: i for i, k in enumerate(dict.fromkeys(chain(sources, targets)))}
        self.index = index
        self.src = np.fromiter(map(index.__getitem__, sources), np.int64, count)
        self.tgt = np.fromiter(map(index.__getitem__, targets), np.int64, count)
        self.weight = np.fromiter(weights, np.float64, count)
        self.rows = np.arange(count, dtype=np.int64)
        # topic and wave as codes, for the per-topic and per-wave subsets
        topics: dict[str | None, int] = {k: i for i, k in enumerate(dict.fromkeys(topic_of))}
        waves: dict[str | None, int] = {k: i for i, k in enumerate(dict.fromkeys(wave_of))}
        self._topics, self._waves = topics, waves
        self._topic = np.fromiter(map(topics.__getitem__, topic_of), np.int64, count)
        self._wave = np.fromiter(map(waves.__getitem__, wave_of), np.int64, count)

    def where(self, keep: Callable[[_Tie], bool]) -> _TieSet:
        """The ties for which ``keep`` is true (same numbering)."""
        return self._masked(np.fromiter((keep(t) for t in self), np.bool_, len(self.rows)))

    def with_topic(self, topic: str | None) -> _TieSet:
        """The ties about ``topic`` (``None``: the ties with no topic)."""
        return self._masked(self._topic[self.rows] == self._topics.get(topic, -1))

    def in_wave(self, wave: str) -> _TieSet:
        """The ties of survey wave ``wave`` and the ties with no wave."""
        codes = [self._waves.get(wave, -1), self._waves.get(None, -1)]
        return self._masked(np.isin(self._wave[self.rows], codes))

    def _masked(self, mask: npt.NDArray[np.bool_]) -> _TieSet:
        sub = _TieSet.__new__(_TieSet)
        sub._all, sub.index = self._all, self.index
        sub._topics, sub._waves, sub._topic, sub._wave = (
            self._topics,
            self._waves,
            self._topic,
            self._wave,
        )
        sub.src, sub.tgt = self.src[mask], self.tgt[mask]
        sub.weight, sub.rows = self.weight[mask], self.rows[mask]
        return sub

    def __iter__(self) -> Iterator[_Tie]:
        every = self._all
        return (every[r] for r in self.rows.tolist())

    def __len__(self) -> int:
        return len(self.rows)


def _strongest(
    code: npt.NDArray[np.int64], weight: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Each distinct code once, with the largest weight given for it (codes sorted)."""
    if not len(code):
        return code, weight
    order = np.argsort(code, kind="stable")
    code, weight = code[order], weight[order]
    first = np.empty(len(code), dtype=np.bool_)
    first[0] = True
    np.not_equal(code[1:], code[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return code[starts], np.maximum.reduceat(weight, starts)


class _Net:
    """An undirected view of some ties over an ordered set of people.

    The arcs (who named whom) and pairs (``i < j``, strongest tie) are kept as
    sorted arrays; the dictionaries :attr:`arcs` and :attr:`weights` are built
    only when a measure asks for them.
    """

    def __init__(self, people: Sequence[str], ties: Iterable[_Tie]) -> None:
        self.people = list(people)
        self.index = {p: i for i, p in enumerate(self.people)}
        tie_set = ties if isinstance(ties, _TieSet) else _TieSet(ties)
        n = len(self.people)
        local = np.full(len(tie_set.index), -1, dtype=np.int64)
        get = tie_set.index.get
        for i, p in enumerate(self.people):
            j = get(p)
            if j is not None:
                local[j] = i
        src, tgt = local[tie_set.src], local[tie_set.tgt]
        keep = (src >= 0) & (tgt >= 0) & (src != tgt)
        src, tgt, weight = src[keep], tgt[keep], tie_set.weight[keep]
        # A reported tie is an arc; a pair's strength is its strongest tie.
        arc, self._arc_weight = _strongest(src * n + tgt, weight)
        self._arc_from, self._arc_to = arc // n, arc % n
        low = np.minimum(self._arc_from, self._arc_to)
        high = np.maximum(self._arc_from, self._arc_to)
        pair, self._pair_weight = _strongest(low * n + high, self._arc_weight)
        self._low, self._high = pair // n, pair % n

    @functools.cached_property
    def arcs(self) -> dict[tuple[int, int], float]:
        """``(i, j) -> weight`` for every arc, strongest tie per arc."""
        ends = zip(self._arc_from.tolist(), self._arc_to.tolist(), strict=True)
        return dict(zip(ends, self._arc_weight.tolist(), strict=True))

    @functools.cached_property
    def weights(self) -> dict[tuple[int, int], float]:
        """``(i, j) -> weight`` for every tied pair ``i < j``, strongest tie per pair."""
        ends = zip(self._low.tolist(), self._high.tolist(), strict=True)
        return dict(zip(ends, self._pair_weight.tolist(), strict=True))

    @functools.cached_property
    def adj(self) -> list[set[int]]:
        return ms.adjacency(len(self.people), self.weights)

    @functools.cached_property
    def degrees(self) -> list[int]:
        both = np.concatenate((self._low, self._high))
        degree: list[int] = np.bincount(both, minlength=len(self.people)).tolist()
        return degree

    @property
    def n(self) -> int:
        return len(self.people)

    @property
    def m(self) -> int:
        return len(self._low)

    def pairs(self) -> set[frozenset[str]]:
        return {frozenset((self.people[i], self.people[j])) for i, j in self.weights}

    def density(self) -> Density:
        n, m = self.n, self.m
        undefined: dict[str, str] = {}
        dens = ms.density(n, m)
        weighted = None
        if dens is None:
            undefined |= {f: _FEW for f in ("density", "directed_density", "weighted_density")}
        else:
            # fsum: exactly rounded, so the figure does not depend on the pairs' order
            weighted = 2.0 * math.fsum(self._pair_weight.tolist()) / (n * (n - 1))
        mean = ms.mean_degree(n, m)
        if mean is None:
            undefined["mean_degree"] = "no people in the network"
        return Density(
            n=n,
            m=m,
            arcs=len(self._arc_weight),
            density=dens,
            directed_density=ms.directed_density(n, len(self._arc_weight)),
            weighted_density=weighted,
            mean_degree=mean,
            undefined=undefined,
        )

    def components(self) -> Components:
        sizes = ms.component_sizes(
            self.n, zip(self._low.tolist(), self._high.tolist(), strict=True)
        )
        if not sizes:
            return Components(count=0, sizes=[], undefined={"largest_share": "no people"})
        return Components(count=len(sizes), sizes=sizes, largest_share=sizes[0] / self.n)

    def isolates(self) -> list[str]:
        return [p for p, d in zip(self.people, self.degrees, strict=True) if not d]

    def centralization(self) -> float | None:
        return ms.degree_centralization(self.degrees)
