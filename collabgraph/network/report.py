"""The natural-network report: its settings and every figure, as pydantic models.

A figure that cannot be computed (a density with fewer than two people, an E-I
index with no ties) is ``None`` and its block's ``undefined`` map says why, keyed
by the field name. No float field accepts NaN or infinity, so
``report.model_dump(mode="json")`` is always valid strict JSON.

Examples
--------
>>> cfg = NetworkConfig(top_brokers=5)
>>> cfg.rep_staff_healthy, cfg.rep_staff_hard, cfg.include_members
(50, 100, False)
>>> Density(n=1, m=0, arcs=0, undefined={"density": "fewer than two people"}).density is None
True
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from collabgraph.network.response import SURVEY_FIGURES, SchoolResponse, SurveyWave

__all__ = [
    "SURVEY_FIGURES",
    "BridgingRep",
    "Broker",
    "CoMembership",
    "Components",
    "Coverage",
    "Density",
    "DensityCell",
    "DensityMatrix",
    "DltBridge",
    "EIIndex",
    "GroupDensity",
    "HolePerson",
    "Interlock",
    "NetworkConfig",
    "NetworkReport",
    "PersonRef",
    "Reach",
    "SchoolRef",
    "SchoolResponse",
    "StaffFlag",
    "StaffRatio",
    "SurveyWave",
    "TeamLink",
    "TeamRef",
    "TopicDensity",
    "WaveChange",
    "WaveSummary",
]

Num = Annotated[float, Field(allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class NetworkConfig(_Model):
    """Settings of the natural-network analysis (all optional)."""

    include_members: bool = Field(
        default=False,
        description="Also count association (labor-side) people who hold no position.",
    )
    rep_staff_healthy: Annotated[int, Field(ge=1)] = Field(
        default=50,
        description=(
            "Staff per building rep at or below which a site is covered: one rep can keep "
            "regular personal contact with about 50 colleagues (docs/metrics.md)."
        ),
    )
    rep_staff_hard: Annotated[int, Field(ge=1)] = Field(
        default=100,
        description="Staff per building rep above which one rep cannot cover the site.",
    )
    top_brokers: Annotated[int, Field(ge=0)] = Field(
        default=10, description="How many of the highest-betweenness people to list."
    )
    exact_betweenness_max_nodes: Annotated[int, Field(ge=2)] = Field(
        default=5000, description="Above this many people, betweenness is estimated by sampling."
    )
    exact_betweenness_max_work: Annotated[int, Field(ge=1)] = Field(
        default=100_000_000,
        description="Above this many people x ties, betweenness is estimated by sampling.",
    )
    betweenness_samples: Annotated[int, Field(ge=1)] = Field(
        default=1000, description="Source vertices sampled when betweenness is estimated."
    )
    seed: int = Field(default=0, description="Seed of the betweenness source sample.")
    weighted_holes: bool = Field(
        default=False, description="Weight Burt's measures by tie strength (else 0/1 ties)."
    )

    @model_validator(mode="after")
    def _thresholds_in_order(self) -> NetworkConfig:
        if self.rep_staff_hard < self.rep_staff_healthy:
            raise ValueError("rep_staff_hard must be at least rep_staff_healthy")
        return self


class PersonRef(_Model):
    """A person named in the report."""

    id: str
    name: str


class SchoolRef(_Model):
    """A school named in the report."""

    id: str
    name: str
    level: str | None = None


class TeamRef(_Model):
    """A team named in the report."""

    id: str
    name: str
    kind: str


class Density(_Model):
    """Size and density of one tie network over one set of people."""

    n: int = Field(description="People.")
    m: int = Field(description="Undirected ties (pairs tied in either direction).")
    arcs: int = Field(description="Directed ties (ordered pairs).")
    density: Share | None = None
    directed_density: Share | None = None
    weighted_density: Share | None = Field(
        default=None, description="Mean tie strength over all pairs (0 for an untied pair)."
    )
    mean_degree: Num | None = None
    undefined: dict[str, str] = Field(default_factory=dict)


class Components(_Model):
    """Connected components of the undirected tie network."""

    count: int
    sizes: list[int] = Field(description="Largest first.")
    largest_share: Share | None = None
    undefined: dict[str, str] = Field(default_factory=dict)


class Broker(_Model):
    """A person with high betweenness."""

    id: str
    name: str
    betweenness: Share = Field(description="Normalized to [0, 1].")
    raw: Num = Field(description="Pairs (fractionally) routed through the person.")


class Reach(_Model):
    """Who an officer reaches in at most two steps."""

    id: str
    name: str
    position: str
    kind: str
    reach: int
    share: Share | None = None


class Coverage(_Model):
    """Worksite coverage: schools with at least one building rep in post."""

    schools: int
    covered: int
    share: Share | None = None
    uncovered: list[SchoolRef] = Field(default_factory=list)
    vacant: list[SchoolRef] = Field(
        default_factory=list, description="Uncovered schools that have an empty rep position."
    )
    undefined: dict[str, str] = Field(default_factory=dict)


class GroupDensity(_Model):
    """Density of the ties among the people of one group."""

    group: str
    n: int
    m: int
    density: Share | None = None


class DensityCell(_Model):
    """Ties within a group (``row == col``) or between two groups."""

    row: str
    col: str
    pairs: int
    ties: int
    density: Share | None = None


class DensityMatrix(_Model):
    """Within- and between-group densities (upper triangle, diagonal included)."""

    by: Literal["school_level", "side"]
    groups: list[str]
    sizes: list[int]
    cells: list[DensityCell]


class TopicDensity(_Model):
    """The tie network of one topic."""

    topic: str | None = Field(description="None for ties with no topic.")
    name: str
    m: int
    density: Share | None = None


class EIIndex(_Model):
    """Krackhardt and Stern's E-I index between two sides."""

    groups: list[str]
    people: int
    internal: int
    external: int
    ei: Annotated[float, Field(ge=-1.0, le=1.0, allow_inf_nan=False)] | None = None
    expected_ei: Annotated[float, Field(ge=-1.0, le=1.0, allow_inf_nan=False)] | None = Field(
        default=None, description="The E-I index if every possible pair were tied."
    )
    undefined: dict[str, str] = Field(default_factory=dict)


class HolePerson(_Model):
    """Burt's structural-hole measures of one person."""

    id: str
    name: str
    degree: int
    effective_size: Num | None = None
    efficiency: Share | None = None
    constraint: Num | None = None


class BridgingRep(_Model):
    """A building rep's ties to reps at other schools."""

    id: str
    name: str
    schools: list[str]
    rep_ties: int = Field(description="Ties to other building reps.")
    cross_school: int = Field(description="Ties to building reps at other schools.")
    score: Share | None = Field(
        default=None, description="cross_school / building reps at other schools."
    )


StaffFlag = Literal["healthy", "stretched", "very_hard", "no_rep", "unknown"]


class StaffRatio(_Model):
    """Represented staff per building rep at one school."""

    school: SchoolRef
    staff: int | None
    reps: int
    staff_per_rep: Num | None = None
    flag: StaffFlag


class TeamLink(_Model):
    """Two teams that share members."""

    a: str
    b: str
    shared: int
    people: list[str]


class DltBridge(_Model):
    """How a District Leadership Team is linked to one School Leadership Team."""

    dlt: str
    slt: TeamRef
    school: str | None
    shared_people: list[PersonRef]
    bridging_teams: list[TeamRef] = Field(
        description="Other teams sharing a member with both the DLT and the SLT."
    )
    distance: int | None = Field(description="Steps in the interlock network; None if unlinked.")


class Interlock(_Model):
    """The team interlock network: teams linked by the people they share."""

    teams: int
    links: list[TeamLink]
    density: Share | None = None
    bridges: list[DltBridge]
    undefined: dict[str, str] = Field(default_factory=dict)


class CoMembership(_Model):
    """Ties implied by sitting on a team together: kept apart from observed ties."""

    teams: int
    density: Density
    components: Components
    isolates: list[PersonRef]
    overlap: Share | None = Field(
        default=None, description="Share of co-member pairs who also have an observed tie."
    )


class WaveSummary(_Model):
    """The headline figures of one survey wave."""

    wave: str
    density: Density
    isolates: int
    components: int
    largest_share: Share | None = None
    centralization: Share | None = None
    cross_school_share: Share | None = None
    ei: Annotated[float, Field(ge=-1.0, le=1.0, allow_inf_nan=False)] | None = None
    survey: SurveyWave | None = Field(
        default=None, description="Set when the wave's ties came from a tie survey."
    )


class WaveChange(_Model):
    """What changed from one wave to the next."""

    before: str
    after: str
    ties_added: int
    ties_dropped: int
    delta: dict[str, Num | None] = Field(
        description="after - before for each headline figure (None if either is undefined)."
    )


class NetworkReport(_Model):
    """Every figure of the natural-network analysis of one district (and wave)."""

    district: str | None
    name: str | None
    wave: str | None
    waves: list[str] = Field(description="Every survey wave in the district, in order.")
    config: NetworkConfig
    message: str | None = Field(
        default=None, description="Set when the analysis has nothing to work on."
    )
    people: list[PersonRef] = Field(default_factory=list, description="The node set.")
    degree: list[int] = Field(
        default_factory=list, description="Each person's number of tied pairs, in people order."
    )
    betweenness: list[Share] = Field(
        default_factory=list,
        description="Each person's normalized betweenness, in people order (see brokers).",
    )
    observed: Density
    components: Components
    isolates: list[PersonRef] = Field(default_factory=list)
    centralization: Share | None = None
    betweenness_method: Literal["exact", "sampled"] = "exact"
    betweenness_k: int | None = None
    brokers: list[Broker] = Field(default_factory=list)
    reach: list[Reach] = Field(default_factory=list)
    officers_reach: int = 0
    officers_reach_share: Share | None = None
    coverage: Coverage
    cross_school_ties: int = 0
    cross_school_share: Share | None = None
    by_level: list[GroupDensity] = Field(default_factory=list)
    matrices: list[DensityMatrix] = Field(default_factory=list)
    by_topic: list[TopicDensity] = Field(default_factory=list)
    ei_labor_management: EIIndex
    ei_all_sides: EIIndex
    holes: list[HolePerson] = Field(default_factory=list)
    bridging: list[BridgingRep] = Field(default_factory=list)
    staff_ratios: list[StaffRatio] = Field(default_factory=list)
    per_wave: list[WaveSummary] = Field(default_factory=list)
    changes: list[WaveChange] = Field(default_factory=list)
    co_membership: CoMembership
    interlock: Interlock
    survey: SurveyWave | None = Field(
        default=None,
        description="For a wave whose ties came from a tie survey: its response and figures.",
    )
    undefined: dict[str, str] = Field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """True when there was nothing to analyse (see :attr:`message`)."""
        return self.message is not None
