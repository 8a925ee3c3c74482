"""The partner's view of the natural network: figures over groups of at least k people.

A partner (the district side of the partnership) may not see the association's
network person by person. :func:`network_aggregate` turns a network report into
figures over groups — the whole network, each school level, each side — and
suppresses every group smaller than ``k`` (``COLLABGRAPH_MIN_GROUP``, 5 by
default), saying so. No person, tie, isolate, broker or betweenness is in it.

Examples
--------
>>> from collabgraph.graph import workbook_to_graph
>>> from collabgraph.model import District, Person, Tie, Workbook
>>> people = [Person(id=f"p{i}", name=f"P{i}", side="labor") for i in range(3)]
>>> wb = Workbook(district=District(id="d", name="D"), people=people,
...               ties=[Tie(source="p0", target="p1")])
>>> from collabgraph.network import analyze_network
>>> agg = network_aggregate(analyze_network(workbook_to_graph(wb)), k=5)
>>> agg.people is None, agg.suppressed[0].startswith("the whole network has fewer than 5")
(True, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Literal

from pydantic import BaseModel, Field

if TYPE_CHECKING:  # numpy and the network analysis load only for commands that analyze
    from collabgraph.network import NetworkReport

__all__ = ["DEFAULT_MIN_GROUP", "GroupFigure", "GroupLink", "NetworkAggregate", "network_aggregate"]

#: The smallest group whose figures are shown to a partner.
DEFAULT_MIN_GROUP: Final = 5


class GroupFigure(BaseModel):
    """Ties within one group of at least k people."""

    by: Literal["school_level", "side"]
    group: str
    people: int
    ties: int
    density: float | None = None


class GroupLink(BaseModel):
    """Ties between two groups of at least k people each."""

    by: Literal["school_level", "side"]
    source: str
    target: str
    ties: int
    density: float | None = None


class NetworkAggregate(BaseModel):
    """Natural-network figures over groups of at least ``min_group`` people."""

    district: str | None
    name: str | None
    wave: str | None
    min_group: int = Field(description="Groups smaller than this are suppressed.")
    people: int | None = Field(default=None, description="People in the network (if >= k).")
    ties: int | None = None
    density: float | None = None
    weighted_density: float | None = None
    schools: int = 0
    covered_schools: int = 0
    coverage: float | None = None
    groups: list[GroupFigure] = Field(default_factory=list)
    links: list[GroupLink] = Field(default_factory=list)
    suppressed: list[str] = Field(
        default_factory=list, description="What was left out, and why (groups under k)."
    )


def network_aggregate(report: NetworkReport, *, k: int = DEFAULT_MIN_GROUP) -> NetworkAggregate:
    """The aggregate figures of a network report that a partner may see."""
    out = NetworkAggregate(
        district=report.district,
        name=report.name,
        wave=report.wave,
        min_group=k,
        schools=report.coverage.schools,
        covered_schools=report.coverage.covered,
        coverage=None if report.coverage.share is None else float(report.coverage.share),
    )
    observed = report.observed
    if observed.n >= k:
        out.people = observed.n
        out.ties = observed.m
        out.density = None if observed.density is None else float(observed.density)
        wd = observed.weighted_density
        out.weighted_density = None if wd is None else float(wd)
    else:
        out.suppressed.append(
            f"the whole network has fewer than {k} people: its figures are not shown"
        )
    for matrix in report.matrices:
        size = dict(zip(matrix.groups, matrix.sizes, strict=True))
        small = [g for g in matrix.groups if 0 < size[g] < k]
        for cell in matrix.cells:
            if size[cell.row] < k or size[cell.col] < k:
                continue
            density = None if cell.density is None else float(cell.density)
            if cell.row == cell.col:
                out.groups.append(
                    GroupFigure(
                        by=matrix.by,
                        group=cell.row,
                        people=size[cell.row],
                        ties=cell.ties,
                        density=density,
                    )
                )
            else:
                out.links.append(
                    GroupLink(
                        by=matrix.by,
                        source=cell.row,
                        target=cell.col,
                        ties=cell.ties,
                        density=density,
                    )
                )
        if small:
            what = "school level" if matrix.by == "school_level" else "side"
            out.suppressed.append(
                f"{len(small)} {what} group{'s' if len(small) != 1 else ''} with fewer than "
                f"{k} people not shown: {', '.join(small)}"
            )
    return out
