"""The partner's view of the natural network: figures over groups of at least k people.

A partner (the district side of the partnership) may not see the association's
network person by person. :func:`network_aggregate` turns a network report into
figures over groups — the whole network, each school level, each side — and
suppresses every group smaller than ``k`` (``COLLABGRAPH_MIN_GROUP``, 5 by
default), saying so. No person, tie, isolate, broker or betweenness is in it.
A survey wave's response rates and figures come with the same rule
(:class:`SurveyAggregate`).

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

from typing import TYPE_CHECKING, Any, Final, Literal

from pydantic import BaseModel, Field

if TYPE_CHECKING:  # numpy and the network analysis load only for commands that analyze
    from collabgraph.network import NetworkReport

__all__ = [
    "DEFAULT_MIN_GROUP",
    "GroupFigure",
    "GroupLink",
    "NetworkAggregate",
    "SchoolResponseAggregate",
    "SurveyAggregate",
    "network_aggregate",
]

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


class SchoolResponseAggregate(BaseModel):
    """Response at one school where at least k people were asked (or at the smaller
    schools together)."""

    school: str
    asked: int
    responded: int
    rate: float | None = None
    below_threshold: bool = False


class SurveyAggregate(BaseModel):
    """A survey wave's response and figures over groups of at least ``min_group`` people:
    the overall rate; a school's rate where at least k people were asked (the smaller
    schools together, if they reach k); the network figures once at least k answered.
    The same fields as the association's ``collabgraph.network.SurveyWave``."""

    wave: str
    state: str
    asked: int
    responded: int
    roster: int
    response_rate: float | None = None
    density_respondents: float | None = Field(default=None, description="Among respondents.")
    density_roster: float | None = Field(
        default=None, description="Among all rostered people (a floor)."
    )
    one_sided_share: float | None = None
    reciprocity: float | None = None
    threshold: float
    schools: list[SchoolResponseAggregate] = Field(default_factory=list)
    below_threshold: list[str] = Field(default_factory=list)
    min_group: int | None = None
    suppressed: list[str] = Field(default_factory=list)
    undefined: dict[str, str] = Field(default_factory=dict)


def _survey(wave: Any, k: int) -> SurveyAggregate | None:
    if wave is None:
        return None
    return SurveyAggregate.model_validate(wave.for_groups(k).model_dump())


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
    survey: SurveyAggregate | None = Field(
        default=None, description="For a wave whose ties came from a tie survey."
    )
    survey_waves: list[SurveyAggregate] = Field(
        default_factory=list, description="Every wave whose ties came from a tie survey."
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
        survey=_survey(report.survey, k),
        survey_waves=[a for w in report.per_wave if (a := _survey(w.survey, k)) is not None],
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
