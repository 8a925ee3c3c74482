"""How a wave's tie survey was answered: the figures a survey wave's report carries.

A survey asks only some people, and only some of them answer; a person who did
not answer can still be named by others but names no one. :class:`SurveyWave`
holds the response (overall and per school, with the schools under a threshold
the leader sets) and the figures that allow for it: density among respondents
and among all rostered people, the share of ties named by one side only, and
reciprocity. ``collabgraph.survey.waves`` fills it in from the store;
``docs/metrics.md`` ("Survey waves") defines every figure.

Examples
--------
>>> survey_delta(None, None)["reciprocity"] is None
True
>>> w1 = SurveyWave(wave="w1", state="closed", asked=4, responded=2, roster=4,
...                 response_rate=0.5, threshold=0.5)
>>> w2 = w1.model_copy(update={"wave": "w2", "responded": 3, "response_rate": 0.75})
>>> survey_delta(w1, w2)["response_rate"]
0.25
"""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["SURVEY_FIGURES", "SchoolResponse", "SurveyWave", "survey_delta"]

Share = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SchoolResponse(_Model):
    """Response to a tie survey at one school (or at a group of small schools)."""

    school: str = Field(description="The school's name, or 'N smaller schools'.")
    asked: int
    responded: int
    rate: Share | None = None
    below_threshold: bool = False


#: The survey figures compared between waves (``WaveChange.delta``).
SURVEY_FIGURES: Final = (
    "response_rate",
    "density_respondents",
    "density_roster",
    "one_sided_share",
    "reciprocity",
)


class SurveyWave(_Model):
    """How a wave's tie survey was answered, and the figures that allow for who did not.

    Filled in from the survey (``collabgraph.survey.waves``) when the report is made
    from the store; ``docs/metrics.md`` ("Survey waves") defines every figure.
    """

    wave: str
    state: str = Field(description="open, closing or closed.")
    asked: int = Field(description="People asked.")
    responded: int = Field(description="People who sent their answers.")
    roster: int = Field(description="People who could be named.")
    response_rate: Share | None = None
    density_respondents: Share | None = Field(
        default=None, description="Density among respondents: the figure to compare."
    )
    density_roster: Share | None = Field(
        default=None, description="Density among all rostered people (a floor)."
    )
    one_sided_share: Share | None = Field(
        default=None, description="Of the pairs of respondents tied, the share named one way."
    )
    reciprocity: Share | None = Field(
        default=None, description="2 x mutual pairs / ties named between respondents."
    )
    threshold: Share = Field(description="Schools under this response rate are flagged.")
    schools: list[SchoolResponse] = Field(default_factory=list)
    below_threshold: list[str] = Field(
        default_factory=list, description="Schools whose response rate is under the threshold."
    )
    min_group: int | None = Field(
        default=None, description="Set when only groups of at least this many people show."
    )
    suppressed: list[str] = Field(default_factory=list, description="What is left out, and why.")
    undefined: dict[str, str] = Field(default_factory=dict)

    def for_groups(self, k: int) -> SurveyWave:
        """What a role that sees no names may see (the k-rule of ``docs/access.md``).

        The overall rate; a school's rate only where at least ``k`` people were asked
        (the smaller schools together, if they reach ``k``); the figures only once at
        least ``k`` people answered.

        >>> w = SurveyWave(wave="w", state="closed", asked=7, responded=4, roster=7,
        ...     response_rate=0.5714, density_respondents=0.5, threshold=0.5,
        ...     schools=[SchoolResponse(school="A", asked=5, responded=4, rate=0.8),
        ...              SchoolResponse(school="B", asked=2, responded=0, rate=0.0,
        ...                             below_threshold=True)], below_threshold=["B"])
        >>> p = w.for_groups(5)
        >>> [s.school for s in p.schools], p.below_threshold, p.density_respondents
        (['A'], [], None)
        """
        big = [s for s in self.schools if s.asked >= k]
        small = [s for s in self.schools if s.asked < k]
        suppressed: list[str] = []
        if small:
            asked, done = sum(s.asked for s in small), sum(s.responded for s in small)
            if asked >= k:
                rate = round(done / asked, 4)
                big.append(
                    SchoolResponse(
                        school=f"{len(small)} smaller schools",
                        asked=asked,
                        responded=done,
                        rate=rate,
                        below_threshold=rate < self.threshold,
                    )
                )
                suppressed.append(
                    f"{len(small)} schools with fewer than {k} people asked are shown together"
                )
            else:
                suppressed.append(
                    f"{len(small)} schools with fewer than {k} people asked are not shown"
                )
        update: dict[str, object] = {
            "schools": big,
            "below_threshold": [s.school for s in big if s.below_threshold],
            "min_group": k,
        }
        undefined = dict(self.undefined)
        if self.responded < k:
            for name in SURVEY_FIGURES[1:]:
                update[name] = None
                undefined[name] = f"fewer than {k} people answered"
            suppressed.append(f"no network figures: fewer than {k} people answered")
        update["suppressed"] = [*self.suppressed, *suppressed]
        update["undefined"] = undefined
        return self.model_copy(update=update)


def survey_delta(before: SurveyWave | None, after: SurveyWave | None) -> dict[str, float | None]:
    """after - before for each survey figure (``None`` unless both waves have it)."""
    out: dict[str, float | None] = {}
    for name in SURVEY_FIGURES:
        old = getattr(before, name) if before is not None else None
        new = getattr(after, name) if after is not None else None
        out[name] = round(new - old, 4) if new is not None and old is not None else None
    return out
