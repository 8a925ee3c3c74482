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

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Final

from collabgraph.district_view import DistrictView
from collabgraph.errors import CollabGraphError
from collabgraph.graph import DistrictGraph
from collabgraph.model import BUILTIN_TOPICS
from collabgraph.network import measures as ms
from collabgraph.network.groups import (
    _FLAG_ORDER,
    _cross_school,
    _ei,
    _interlock,
    _matrix,
    _staff_flag,
    _with_district_thresholds,
)
from collabgraph.network.report import (
    BridgingRep,
    Broker,
    CoMembership,
    Coverage,
    EIIndex,
    GroupDensity,
    HolePerson,
    NetworkConfig,
    NetworkReport,
    Reach,
    StaffRatio,
    TopicDensity,
    WaveChange,
    WaveSummary,
)
from collabgraph.network.response import survey_delta
from collabgraph.network.tieset import _District, _ident, _Net, _Tie, _TieSet

__all__ = ["OFFICER_KINDS", "analyze_network", "wave_order"]

#: Association position kinds whose two-step reach is reported.
OFFICER_KINDS: Final = ("president", "vice_president", "chief_negotiator", "officer")
#: The group of people with no school, in the school-level matrix.
DISTRICT_WIDE: Final = "district-wide"

_FEW3: Final = "fewer than three people in the network"


def wave_order(waves: Iterable[str]) -> list[str]:
    """Distinct wave labels in natural order (numbers compared as numbers).

    >>> wave_order(["wave10", "wave2", "2024-spring", "2023-fall"])
    ['2023-fall', '2024-spring', 'wave2', 'wave10']
    """

    def key(label: str) -> list[tuple[int, int | str]]:
        return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", label) if p]

    return sorted(set(waves), key=lambda w: (key(w), w))


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
