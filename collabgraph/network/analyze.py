"""The natural-network analysis of a district: :func:`analyze_network`.

The node set is the association's own network: every person holding a
labor-side position (officers, building reps, committee chairs, staff), plus,
with ``NetworkConfig(include_members=True)``, every labor-side person holding
none. Its ties are the observed ``TIE`` edges among those people:

* a tie is directed (``source`` reports talking with ``target``); the
  undirected network ties a pair when either reports the other, and a pair's
  strength is the strongest of its ties (any topic);
* with ``wave=W`` only ties of wave ``W`` count, together with ties that carry
  no wave (an undated tie is taken to hold in every wave); with no wave every
  tie counts, the union of all waves.

Co-membership ties (two people on one team) are computed from the memberships
and reported in their own block; they never enter the observed figures.
``docs/metrics.md`` defines every figure.

Examples
--------
>>> from collabgraph.graph import workbook_to_graph
>>> from collabgraph.model import District, Person, Position, School, Tie, Workbook
>>> wb = Workbook(
...     district=District(id="d", name="D"),
...     schools=[School(id="s1", name="S1", level="elementary"),
...              School(id="s2", name="S2", level="high")],
...     people=[Person(id=p, name=p.title()) for p in ("ana", "bo", "cy")],
...     positions=[
...         Position(id="pres", title="President", side="labor", kind="president",
...                  holder="ana"),
...         Position(id="rep1", title="Rep S1", side="labor", kind="building_rep",
...                  level="school", school="s1", holder="bo"),
...         Position(id="rep2", title="Rep S2", side="labor", kind="building_rep",
...                  level="school", school="s2", holder="cy")],
...     ties=[Tie(source="ana", target="bo")])
>>> report = analyze_network(workbook_to_graph(wb))
>>> report.observed.n, report.observed.m, round(report.observed.density, 4)
(3, 1, 0.3333)
>>> [p.name for p in report.isolates], report.coverage.share
(['Cy'], 1.0)
"""

from __future__ import annotations

import functools
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, combinations
from typing import Any, Final, Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from collabgraph.district_view import DistrictView
from collabgraph.errors import CollabGraphError
from collabgraph.graph import DistrictGraph
from collabgraph.model import BUILTIN_TOPICS
from collabgraph.network import measures as ms
from collabgraph.network.exchange import tie_scale
from collabgraph.network.report import (
    BridgingRep,
    Broker,
    CoMembership,
    Components,
    Coverage,
    Density,
    DensityCell,
    DensityMatrix,
    DltBridge,
    EIIndex,
    GroupDensity,
    HolePerson,
    Interlock,
    NetworkConfig,
    NetworkReport,
    PersonRef,
    Reach,
    SchoolRef,
    StaffFlag,
    StaffRatio,
    TeamLink,
    TeamRef,
    TopicDensity,
    WaveChange,
    WaveSummary,
)
from collabgraph.network.response import survey_delta

__all__ = ["OFFICER_KINDS", "analyze_network", "wave_order"]

#: Association position kinds whose two-step reach is reported.
OFFICER_KINDS: Final = ("president", "vice_president", "chief_negotiator", "officer")
#: The group of people with no school, in the school-level matrix.
DISTRICT_WIDE: Final = "district-wide"

_FEW: Final = "fewer than two people in the network"
_FEW3: Final = "fewer than three people in the network"


def _ident(key: str) -> str:
    return key.split(":", 1)[1]


def wave_order(waves: Iterable[str]) -> list[str]:
    """Distinct wave labels in natural order (numbers compared as numbers).

    >>> wave_order(["wave10", "wave2", "2024-spring", "2023-fall"])
    ['2023-fall', '2024-spring', 'wave2', 'wave10']
    """

    def key(label: str) -> list[tuple[int, int | str]]:
        return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", label) if p]

    return sorted(set(waves), key=lambda w: (key(w), w))


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


def _cross_school(net: _Net, school_of: dict[str, str | None]) -> tuple[int, int]:
    """(cross-school ties, ties with a school at both ends)."""
    cross = known = 0
    for i, j in net.weights:
        a, b = school_of[net.people[i]], school_of[net.people[j]]
        if a is None or b is None:
            continue
        known += 1
        cross += a != b
    return cross, known


def _ei(
    people: Sequence[str], group_of: dict[str, str], ties: Iterable[_Tie], groups: list[str]
) -> EIIndex:
    net = _Net(people, ties)
    internal = external = 0
    for i, j in net.weights:
        if group_of[net.people[i]] == group_of[net.people[j]]:
            internal += 1
        else:
            external += 1
    sizes: dict[str, int] = defaultdict(int)
    for p in people:
        sizes[group_of[p]] += 1
    possible_in = sum(s * (s - 1) // 2 for s in sizes.values())
    total = len(people) * (len(people) - 1) // 2
    undefined: dict[str, str] = {}
    ei = ms.ei_index(internal, external)
    if ei is None:
        undefined["ei"] = "no ties among these people"
    expected = ms.ei_index(possible_in, total - possible_in)
    if expected is None:
        undefined["expected_ei"] = "fewer than two people"
    return EIIndex(
        groups=groups,
        people=len(people),
        internal=internal,
        external=external,
        ei=ei,
        expected_ei=expected,
        undefined=undefined,
    )


def _matrix(
    by: Literal["school_level", "side"], net: _Net, group_of: dict[str, str], order: Sequence[str]
) -> DensityMatrix:
    groups = [g for g in order if any(group_of[p] == g for p in net.people)]
    sizes = {g: 0 for g in groups}
    for p in net.people:
        sizes[group_of[p]] += 1
    ties: dict[tuple[str, str], int] = defaultdict(int)
    rank = {g: r for r, g in enumerate(groups)}
    for i, j in net.weights:
        a, b = sorted((group_of[net.people[i]], group_of[net.people[j]]), key=rank.__getitem__)
        ties[(a, b)] += 1
    cells = []
    for r, a in enumerate(groups):
        for b in groups[r:]:
            pairs = sizes[a] * (sizes[a] - 1) // 2 if a == b else sizes[a] * sizes[b]
            t = ties.get((a, b), 0)
            cells.append(
                DensityCell(row=a, col=b, pairs=pairs, ties=t, density=t / pairs if pairs else None)
            )
    return DensityMatrix(
        by=by,
        groups=groups,
        sizes=[sizes[g] for g in groups],
        cells=cells,
    )


def _staff_flag(staff: int | None, reps: int, cfg: NetworkConfig) -> tuple[float | None, StaffFlag]:
    if reps == 0:
        return None, "no_rep"
    if staff is None:
        return None, "unknown"
    ratio = staff / reps
    if ratio <= cfg.rep_staff_healthy:
        return ratio, "healthy"
    if ratio <= cfg.rep_staff_hard:
        return ratio, "stretched"
    return ratio, "very_hard"


def _with_district_thresholds(cfg: NetworkConfig, graph: DistrictGraph) -> NetworkConfig:
    """The config with the district's own rep-to-staff thresholds where the caller set none."""
    district = graph.nodes.get(f"District:{graph.graph.get('district')}", {})
    update = {
        name: district[name]
        for name in ("rep_staff_healthy", "rep_staff_hard")
        if name not in cfg.model_fields_set and isinstance(district.get(name), int)
    }
    if not update:
        return cfg
    try:
        return NetworkConfig.model_validate({**cfg.model_dump(exclude_unset=True), **update})
    except ValueError as exc:
        raise CollabGraphError(
            "the district's rep_staff_healthy and rep_staff_hard do not fit the settings "
            f"given: {exc}"
        ) from exc


_FLAG_ORDER: Final = {"no_rep": 0, "very_hard": 1, "stretched": 2, "healthy": 3, "unknown": 4}


def _interlock(d: _District) -> Interlock:
    teams = sorted(k for k in d.teams)
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    teams_of: dict[str, list[str]] = defaultdict(list)
    for team in teams:
        for person in d.members.get(team, ()):
            teams_of[person].append(team)
    for person, ts in teams_of.items():
        for a, b in combinations(sorted(ts), 2):
            shared[(a, b)].add(person)
    links = [
        TeamLink(a=_ident(a), b=_ident(b), shared=len(ps), people=sorted(_ident(p) for p in ps))
        for (a, b), ps in sorted(shared.items())
    ]
    nbrs: dict[str, set[str]] = defaultdict(set)
    for a, b in shared:
        nbrs[a].add(b)
        nbrs[b].add(a)
    dens = ms.density(len(teams), len(shared))
    dlts = [t for t in teams if d.teams[t].get("team_kind") == "dlt"]
    slts = [t for t in teams if d.teams[t].get("team_kind") == "slt"]
    bridges = []
    for dlt in dlts:
        dist = {dlt: 0}
        frontier = [dlt]
        while frontier:
            nxt = []
            for t in frontier:
                for u in nbrs[t]:
                    if u not in dist:
                        dist[u] = dist[t] + 1
                        nxt.append(u)
            frontier = nxt
        for slt in slts:
            people = sorted(d.members.get(dlt, set()) & d.members.get(slt, set()))
            via = sorted((nbrs[dlt] & nbrs[slt]) - {dlt, slt})
            school = d.team_school.get(slt)
            bridges.append(
                DltBridge(
                    dlt=_ident(dlt),
                    slt=d.team_ref(slt),
                    school=_ident(school) if school else None,
                    shared_people=[d.person(p) for p in people],
                    bridging_teams=[d.team_ref(t) for t in via],
                    distance=dist.get(slt),
                )
            )
    return Interlock(
        teams=len(teams),
        links=links,
        density=dens,
        bridges=bridges,
        undefined={} if dens is not None else {"density": "fewer than two teams"},
    )


def _summary(wave: str, net: _Net, school_of: dict[str, str | None], ei: EIIndex) -> WaveSummary:
    comps = net.components()
    cross, known = _cross_school(net, school_of)
    return WaveSummary(
        wave=wave,
        density=net.density(),
        isolates=len(net.isolates()),
        components=comps.count,
        largest_share=comps.largest_share,
        centralization=net.centralization(),
        cross_school_share=cross / known if known else None,
        ei=ei.ei,
    )


def _headline(s: WaveSummary) -> dict[str, float | None]:
    return {
        "n": float(s.density.n),
        "m": float(s.density.m),
        "density": s.density.density,
        "directed_density": s.density.directed_density,
        "weighted_density": s.density.weighted_density,
        "mean_degree": s.density.mean_degree,
        "isolates": float(s.isolates),
        "components": float(s.components),
        "largest_share": s.largest_share,
        "centralization": s.centralization,
        "cross_school_share": s.cross_school_share,
        "ei": s.ei,
    }


def _delta(
    before: dict[str, float | None], after: dict[str, float | None]
) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for name, old in before.items():
        new = after[name]
        out[name] = new - old if new is not None and old is not None else None
    return out


def _in_wave(ties: _TieSet, wave: str | None) -> _TieSet:
    if wave is None:
        return ties
    return ties.in_wave(wave)


def analyze_network(
    graph: DistrictGraph,
    *,
    wave: str | None = None,
    config: NetworkConfig | None = None,
    view: DistrictView | None = None,
) -> NetworkReport:
    """The natural-network report of a district (optionally of one survey wave).

    Parameters
    ----------
    graph : DistrictGraph
        Built by :func:`collabgraph.graph.workbook_to_graph` or read from the store.
    wave : str, optional
        Only ties of this wave (and ties with no wave). Must be a wave of the district.
    config : NetworkConfig, optional
    view : DistrictView, optional
        A view of ``graph`` to reuse (its edges grouped by type, shared with the
        gap and counterpart analyses).

    Returns
    -------
    NetworkReport
        With ``message`` set when nobody holds an association position.

    Raises
    ------
    CollabGraphError
        When ``wave`` is not a survey wave of the district.
    """
    cfg = _with_district_thresholds(config or NetworkConfig(), graph)
    d = _District.read(graph, view)
    waves = wave_order(t.wave for t in d.ties if t.wave is not None)
    if wave is not None and wave not in waves:
        listed = ", ".join(repr(w) for w in waves) if waves else "none (no tie has a wave)"
        raise CollabGraphError(
            f"no ties in survey wave {wave!r}; the district's waves are: {listed}"
        )
    all_ties = _TieSet(d.ties)
    ties = _in_wave(all_ties, wave)

    # -- node set -------------------------------------------------------------
    labor_holders = {
        h
        for pos, data in d.positions.items()
        if data.get("side") == "labor"
        for h in d.holders.get(pos, ())
    }
    chosen = set(labor_holders)
    if cfg.include_members:
        chosen |= {p for p in d.names if d.side(p) == "labor"}
    people = sorted(chosen)
    message = None
    if not people:
        has_positions = any(data.get("side") == "labor" for data in d.positions.values())
        message = (
            "every association (labor-side) position is vacant: no one to analyse"
            if has_positions
            else "this district has no association (labor-side) positions: "
            "add the union's officers and building reps to analyse its network"
        )
    school_of = {p: d.school(p) for p in d.names}
    net = _Net(people, ties)
    observed = net.density()
    undefined: dict[str, str] = {}

    # -- centrality -------------------------------------------------------------
    centralization = net.centralization()
    if centralization is None:
        undefined["centralization"] = _FEW3
    bc = ms.betweenness(
        net.n,
        sorted(net.weights),
        max_exact=cfg.exact_betweenness_max_nodes,
        max_work=cfg.exact_betweenness_max_work,
        k=cfg.betweenness_samples,
        seed=cfg.seed,
    )
    ranked = sorted(range(net.n), key=lambda i: (-bc.raw[i], people[i]))[: cfg.top_brokers]
    brokers = [
        Broker(
            id=_ident(people[i]),
            name=d.names[people[i]],
            betweenness=min(bc.values[i], 1.0),
            raw=bc.raw[i],
        )
        for i in ranked
        if bc.raw[i] > 0
    ]

    # -- reach of officers ---------------------------------------------------
    kind_rank = {k: r for r, k in enumerate(OFFICER_KINDS)}
    reach: list[Reach] = []
    officer_idx: set[int] = set()
    for p in people:
        for pos in d.holds_kind(p, *OFFICER_KINDS):
            i = net.index[p]
            officer_idx.add(i)
            got = len(ms.two_step_reach(net.adj, i))
            data = d.positions[pos]
            reach.append(
                Reach(
                    id=_ident(p),
                    name=d.names[p],
                    position=str(data.get("title", _ident(pos))),
                    kind=str(data.get("position_kind")),
                    reach=got,
                    share=got / (net.n - 1) if net.n > 1 else None,
                )
            )
    reach.sort(key=lambda r: (kind_rank[r.kind], r.position, r.id))
    reached: set[int] = set()
    for i in officer_idx:
        reached |= ms.two_step_reach(net.adj, i)
    reached -= officer_idx
    others = net.n - len(officer_idx)
    officers_share = len(reached) / others if officer_idx and others else None
    if officers_share is None:
        undefined["officers_reach_share"] = (
            "no officer holds a position" if not officer_idx else "everyone is an officer"
        )

    # -- worksites -----------------------------------------------------------
    rep_positions = [
        p for p, data in d.positions.items() if data.get("position_kind") == "building_rep"
    ]
    reps_at: dict[str, set[str]] = defaultdict(set)
    vacant_at: set[str] = set()
    for pos in rep_positions:
        school = d.position_school.get(pos)
        if school is None:
            continue
        if d.holders.get(pos):
            reps_at[school].update(d.holders[pos])
        else:
            vacant_at.add(school)
    schools = sorted(d.schools)
    uncovered = [s for s in schools if not reps_at.get(s)]
    coverage = Coverage(
        schools=len(schools),
        covered=len(schools) - len(uncovered),
        share=(len(schools) - len(uncovered)) / len(schools) if schools else None,
        uncovered=[d.school_ref(s) for s in uncovered],
        vacant=[d.school_ref(s) for s in uncovered if s in vacant_at],
        undefined={} if schools else {"share": "the district lists no schools"},
    )
    cross, known = _cross_school(net, school_of)
    cross_share = cross / known if known else None
    if cross_share is None:
        undefined["cross_school_share"] = "no tie joins two people whose schools are known"

    # -- groups ----------------------------------------------------------------
    level_of = {
        p: str(d.schools[s].get("level")) if (s := school_of.get(p)) in d.schools else DISTRICT_WIDE
        for p in people
    }
    level_order = [*sorted({*level_of.values()} - {DISTRICT_WIDE}), DISTRICT_WIDE]
    by_level = []
    for level in level_order:
        group = [p for p in people if level_of[p] == level]
        if not group:
            continue
        sub = _Net(group, ties)
        by_level.append(
            GroupDensity(group=level, n=sub.n, m=sub.m, density=ms.density(sub.n, sub.m))
        )
    sided = sorted(p for p in d.names if d.side(p) is not None)
    side_of = {p: str(d.side(p)) for p in sided}
    side_order = ["labor", "management", "board", "community", "external"]
    matrices = [
        _matrix("school_level", net, level_of, level_order),
        _matrix("side", _Net(sided, ties), side_of, side_order),
    ]
    lm = [p for p in sided if side_of[p] in ("labor", "management")]
    ei_lm = _ei(lm, side_of, ties, ["labor", "management"])
    ei_all = _ei(sided, side_of, ties, [s for s in side_order if s in side_of.values()])

    # -- topics ---------------------------------------------------------------
    by_topic = []
    topic_keys = sorted({t.topic for t in ties if t.topic is not None})
    for topic in [*topic_keys, None]:
        sub = _Net(people, ties.with_topic(topic))
        if topic is None and sub.m == 0:
            continue
        name = (
            d.topics.get(f"Topic:{topic}", BUILTIN_TOPICS.get(topic, topic))
            if topic
            else "(no topic)"
        )
        by_topic.append(
            TopicDensity(topic=topic, name=name, m=sub.m, density=ms.density(sub.n, sub.m))
        )

    # -- structural holes ----------------------------------------------------
    esize, cons = ms.structural_holes(net.adj, net.weights if cfg.weighted_holes else None)
    holes = []
    for i, p in enumerate(people):
        size, degree = esize[i], len(net.adj[i])
        holes.append(
            HolePerson(
                id=_ident(p),
                name=d.names[p],
                degree=degree,
                effective_size=size,
                efficiency=size / degree if size is not None else None,
                constraint=cons[i],
            )
        )
    # Rounded, so that rounding noise in the last bits never reorders equal scores.
    holes.sort(key=lambda h: (h.constraint is None, round(h.constraint or 0.0, 12), h.id))

    # -- building reps ---------------------------------------------------------
    rep_schools: dict[str, set[str]] = defaultdict(set)
    for school, holders in reps_at.items():
        for h in holders:
            if h in net.index:
                rep_schools[h].add(school)
    bridging = []
    for rep in sorted(rep_schools):
        mine = rep_schools[rep]
        nearby = {r for s in mine for r in reps_at[s] if r in rep_schools}
        rep_nbrs = [net.people[j] for j in net.adj[net.index[rep]] if net.people[j] in rep_schools]
        crossing = sum(1 for r in rep_nbrs if r not in nearby)
        elsewhere = len(rep_schools) - len(nearby)
        bridging.append(
            BridgingRep(
                id=_ident(rep),
                name=d.names[rep],
                schools=sorted(_ident(s) for s in mine),
                rep_ties=len(rep_nbrs),
                cross_school=crossing,
                score=crossing / elsewhere if elsewhere else None,
            )
        )
    staff_ratios = []
    for s in schools:
        staff = d.schools[s].get("represented_staff")
        count = len(reps_at.get(s, ()))
        ratio, flag = _staff_flag(staff, count, cfg)
        staff_ratios.append(
            StaffRatio(
                school=d.school_ref(s), staff=staff, reps=count, staff_per_rep=ratio, flag=flag
            )
        )
    staff_ratios.sort(key=lambda r: (_FLAG_ORDER[r.flag], -(r.staff_per_rep or 0.0), r.school.id))

    # -- waves -------------------------------------------------------------------
    per_wave: list[WaveSummary] = []
    nets: list[_Net] = []
    for w in waves:
        wave_ties = _in_wave(all_ties, w)
        wnet = _Net(people, wave_ties)
        nets.append(wnet)
        per_wave.append(_summary(w, wnet, school_of, _ei(lm, side_of, wave_ties, [])))
    changes = []
    for k in range(1, len(per_wave)):
        before, after = _headline(per_wave[k - 1]), _headline(per_wave[k])
        old, new = nets[k - 1].pairs(), nets[k].pairs()
        changes.append(
            WaveChange(
                before=per_wave[k - 1].wave,
                after=per_wave[k].wave,
                ties_added=len(new - old),
                ties_dropped=len(old - new),
                delta=_delta(before, after)
                | survey_delta(per_wave[k - 1].survey, per_wave[k].survey),
            )
        )

    # -- co-membership -------------------------------------------------------
    in_set = set(people)
    team_members = {t: sorted(ms_ & in_set) for t, ms_ in d.members.items() if t in d.teams}
    pairs = ms.co_membership(team_members)
    # Sitting on a team together is mutual: one arc each way.
    co_ties = [_Tie(x, y, 1.0, None, None) for a, b in pairs for x, y in ((a, b), (b, a))]
    co_net = _Net(people, co_ties)
    idx = net.index
    both = sum(1 for a, b in pairs if tuple(sorted((idx[a], idx[b]))) in net.weights)
    overlap = both / len(pairs) if pairs else None
    co = CoMembership(
        teams=sum(1 for m in team_members.values() if m),
        density=co_net.density(),
        components=co_net.components(),
        isolates=[d.person(p) for p in co_net.isolates()],
        overlap=overlap,
    )

    return NetworkReport(
        district=graph.graph.get("district"),
        name=graph.graph.get("name"),
        wave=wave,
        waves=waves,
        config=cfg,
        message=message,
        people=[d.person(p) for p in people],
        degree=list(net.degrees),
        betweenness=[min(v, 1.0) for v in bc.values],
        observed=observed,
        components=net.components(),
        isolates=[d.person(p) for p in net.isolates()],
        centralization=centralization,
        betweenness_method=bc.method,
        betweenness_k=bc.k,
        brokers=brokers,
        reach=reach,
        officers_reach=len(reached),
        officers_reach_share=officers_share,
        coverage=coverage,
        cross_school_ties=cross,
        cross_school_share=cross_share,
        by_level=by_level,
        matrices=matrices,
        by_topic=by_topic,
        ei_labor_management=ei_lm,
        ei_all_sides=ei_all,
        holes=holes,
        bridging=bridging,
        staff_ratios=staff_ratios,
        per_wave=per_wave,
        changes=changes,
        co_membership=co,
        interlock=_interlock(d),
        undefined=undefined,
    )
