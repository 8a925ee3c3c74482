"""What every figure means, in one plain sentence, for people who are not researchers.

The dashboard, the command line's tables and the partnership report all show
the same figures; each carries the same :class:`Meaning` from here: one
sentence on what it measures, what a low and a high value look like in a
partnership, and the formula (shown a click away, for researchers). The full
definitions are in ``docs/metrics.md``.

Examples
--------
>>> m = meaning("density")
>>> m.label
'Rep-network density'
>>> m.formula
'2m / (n(n - 1)), m ties among n people'
>>> meaning("no-such-figure")
Traceback (most recent call last):
...
KeyError: 'no-such-figure'
>>> all(m.what.endswith(".") for m in MEANINGS.values())
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["MEANINGS", "Meaning", "meaning"]


@dataclass(frozen=True)
class Meaning:
    """The plain-language meaning of one figure.

    Attributes
    ----------
    label
        The figure's name on screen.
    what
        One sentence: what it measures.
    low, high
        What a low and a high value look like (empty when not meaningful).
    formula
        How it is computed, for researchers.
    """

    label: str
    what: str
    low: str = ""
    high: str = ""
    formula: str = ""

    @property
    def scale(self) -> str:
        """ "Low: ... High: ..." in one line (empty when neither is given).

        >>> meaning("coverage").scale.startswith("Low: ")
        True
        """
        parts = [f"Low: {self.low}" if self.low else "", f"High: {self.high}" if self.high else ""]
        return " ".join(p for p in parts if p)


#: Every figure collabgraph shows, by key.
MEANINGS: Final[dict[str, Meaning]] = {
    "density": Meaning(
        "Rep-network density",
        "The share of all possible pairs of association people who say they talk regularly.",
        "under 0.10, most reps work alone and news travels slowly.",
        "over 0.30, ideas and information spread quickly from school to school.",
        "2m / (n(n - 1)), m ties among n people",
    ),
    "directed_density": Meaning(
        "Density counting each direction",
        "Like density, but each direction counts: a tie named by only one of the two "
        "people is half a pair.",
        "few people name each other.",
        "most ties are named by both people.",
        "arcs / (n(n - 1)), arcs = ordered pairs with a tie",
    ),
    "weighted_density": Meaning(
        "Weighted density",
        "Density where a weekly conversation counts more than a yearly one.",
        "ties are few or rare.",
        "ties are many and frequent.",
        "sum of pair strengths (0 to 1) / (n(n - 1) / 2)",
    ),
    "coverage": Meaning(
        "Worksite coverage",
        "The share of schools that have a building representative in post.",
        "many schools have nobody to carry the association's news in and out.",
        "every school has a rep (100%).",
        "schools with a building rep holding the post / schools",
    ),
    "isolates": Meaning(
        "Isolated people",
        "Association people with no reported tie to anyone else in the network.",
        "0 is the goal.",
        "each one is someone nobody hears from; reach out to them first.",
        "people with degree 0",
    ),
    "components": Meaning(
        "Separate groups",
        "How many separate groups the network falls into (an isolated person counts as one).",
        "1 means everyone can reach everyone through others.",
        "several groups never hear from each other.",
        "connected components of the undirected tie graph",
    ),
    "largest_share": Meaning(
        "Share in the largest group",
        "The share of people in the biggest connected group.",
        "the network is broken into pieces.",
        "close to 1, almost everyone is connected.",
        "size of the largest component / n",
    ),
    "centralization": Meaning(
        "Degree centralization",
        "How much the network hangs on a few very connected people.",
        "close to 0, ties are spread evenly.",
        "close to 1, one person holds it together and losing them would split it.",
        "Freeman: sum over people of (highest degree - degree) / ((n - 1)(n - 2))",
    ),
    "betweenness": Meaning(
        "Betweenness (brokerage)",
        "How often a person sits on the shortest path between two others: a broker.",
        "the person is on the edge of the network.",
        "the person connects groups that would otherwise not talk.",
        "sum over pairs of the share of their shortest paths through the person, "
        "/ ((n - 1)(n - 2) / 2)",
    ),
    "officers_reach": Meaning(
        "Officers' reach in two steps",
        "The share of the other association people an officer reaches directly or through "
        "one other person.",
        "officers' messages need many hands to reach the schools.",
        "close to 1, a word from the officers reaches nearly everyone quickly.",
        "non-officers within two ties of some officer / non-officers",
    ),
    "cross_school": Meaning(
        "Ties across schools",
        "The share of ties that link people at two different schools.",
        "reps mostly talk within their own building.",
        "reps share what works between schools.",
        "ties with ends at different schools / ties with both schools known",
    ),
    "ei_index": Meaning(
        "E-I index, association and administration",
        "Whether people's ties go across the table (to the other side) or stay on their own side.",
        "-1, every tie stays inside one side.",
        "+1, every tie crosses between association and administration.",
        "(external ties - internal ties) / all ties",
    ),
    "constraint": Meaning(
        "Constraint (structural holes)",
        "How much a person's contacts all know each other, so the person hears little that is new.",
        "the person bridges separate groups (good for spreading ideas).",
        "the person is inside one closed circle.",
        "Burt's constraint: sum over contacts j of (p_ij + sum_q p_iq p_qj)^2",
    ),
    "co_membership": Meaning(
        "Co-membership ties",
        "Pairs of association people who sit on a team together; counted apart from reported ties.",
        "teams bring few reps together.",
        "teams give many reps a place to meet.",
        "pairs sharing at least one team",
    ),
    "staff_per_rep": Meaning(
        "Staff per building rep",
        "How many represented staff each building rep serves at a school.",
        "a rep can know everyone in the building.",
        "a rep is stretched thin; consider a second rep or an alternate.",
        "represented staff / building reps at the school",
    ),
    "gaps": Meaning(
        "Structural gaps",
        "Missing or one-sided structures the Collaborative Structure Worksheet would flag.",
        "0 of each kind: nothing missing by the rules in force.",
        "critical ones first: a missing or one-sided leadership team blocks shared decisions.",
        "one finding per rule and structure; rules in docs/gaps.md",
    ),
    "unmatched": Meaning(
        "Positions without a counterpart",
        "Administration and association positions with no role-alike partner on the other side.",
        "0: every key administrator has an association counterpart.",
        "decisions in those areas are made without the other side at the table.",
        "positions with no declared pair and no shared standing meeting",
    ),
    "counterpart_score": Meaning(
        "Suggestion score",
        "How well two positions' portfolios and titles match, from 0 (nothing shared) to "
        "1 (the same areas).",
        "under 0.3, a weak match; check it before acting on it.",
        "over 0.6, the two clearly cover the same work.",
        "0.5 J(portfolio topics) + 0.3 J(title words) + 0.2 role match; J = shared / combined",
    ),
    "people": Meaning(
        "People",
        "Everyone recorded in the district's workbook, on any side.",
        formula="Person rows",
    ),
    "ties": Meaning(
        "Ties",
        "Reported conversations between two people (one row per person, wave and topic).",
        formula="TIE rows",
    ),
    # -- a survey wave (collabgraph.survey.report)
    "response_rate": Meaning(
        "Response rate",
        "The share of the people asked who have sent their answers (answers only saved "
        "do not count).",
        "under 50%, the wave's network misses many people's ties; send reminders.",
        "over 80%, the network is close to complete.",
        "respondents who sent / respondents asked",
    ),
    "density_respondents": Meaning(
        "Density among respondents",
        "The share of pairs of people who answered where at least one of the two names the "
        "other; the figure to compare between waves.",
        "under 0.10, most of those who answered talk with few others.",
        "over 0.30, those who answered are closely connected.",
        "tied pairs of respondents / (n(n - 1) / 2), n respondents",
    ),
    "density_roster": Meaning(
        "Density among everyone rostered",
        "The same share over everyone who could be named, answered or not; people who did "
        "not answer can only be named, so it rises as more people answer.",
        "low while few have answered; read it with the response rate.",
        "close to the density among respondents once nearly everyone has answered.",
        "tied pairs of roster people / (N(N - 1) / 2), N on the roster",
    ),
    "one_sided_share": Meaning(
        "Named by one side only",
        "Of the pairs of respondents with a tie, the share where only one of the two named "
        "the other.",
        "under 30%, people remember the same conversations.",
        "over 60%, people recall their conversations differently, or read a question differently.",
        "pairs named by one of the two / tied pairs of respondents",
    ),
    "reciprocity": Meaning(
        "Named back",
        "Of the names one respondent gave of another, the share where the other named them back.",
        "under 0.3, most ties are named from one side.",
        "over 0.6, most ties are named by both people.",
        "2 x mutual pairs / ties one respondent reported about another",
    ),
}


def meaning(key: str) -> Meaning:
    """The meaning of one figure.

    Raises
    ------
    KeyError
        For an unknown figure.
    """
    return MEANINGS[key]
