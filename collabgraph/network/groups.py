"""Group-level figures of the association network: within and between schools, levels
and sides (E-I index, density matrices), rep-to-staff flags and the DLT interlock.

Internal to :mod:`collabgraph.network.analyze` (split out to keep modules small).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from typing import Final, Literal

from collabgraph.errors import CollabGraphError
from collabgraph.graph import DistrictGraph
from collabgraph.network import measures as ms
from collabgraph.network.report import (
    DensityCell,
    DensityMatrix,
    DltBridge,
    EIIndex,
    Interlock,
    NetworkConfig,
    StaffFlag,
    TeamLink,
)
from collabgraph.network.tieset import _District, _ident, _Net, _Tie


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
