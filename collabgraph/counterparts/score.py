"""How alike two positions are: the similarity score behind counterpart suggestions.

``score = 0.5 * J(portfolio topics) + 0.3 * J(words) + 0.2 * role``, where J is
the Jaccard index (shared / combined); *words* are the words of a position's
title and of its portfolio topics' ids and names, with a plural ``s`` trimmed
and the :data:`STOP_WORDS` dropped: words that name a rank or an organization
(assistant, director, vice, superintendent, union...) and generic words of
titles and topics that say nothing about a portfolio (education, services,
program, department...). *role* is 1 for a superintendent facing an
association president, else 0.

Every suggestion comes with :func:`explain`: the score in words.

Examples
--------
>>> from collabgraph.district_view import DistrictView
>>> from collabgraph.graph import workbook_to_graph
>>> from collabgraph.model import District, Position, Workbook
>>> wb = Workbook(district=District(id="d", name="D"), positions=[
...     Position(id="adult", title="VP Adult Education", side="labor", kind="vice_president"),
...     Position(id="sped", title="Director of Special Education", side="management",
...              kind="director"),
...     Position(id="ae", title="Director, Adult Education Services", side="management",
...              kind="director")])
>>> view = DistrictView(workbook_to_graph(wb))
>>> similarity(view, "Position:sped", "Position:adult")  # "education" alone: no match
0.0
>>> similarity(view, "Position:ae", "Position:adult")
0.3
>>> explain(view, "Position:ae", "Position:adult")
"both titles or portfolios name 'adult'"
"""

from __future__ import annotations

import re
from typing import Final

from collabgraph.district_view import DistrictView, ident_of

__all__ = [
    "MIN_SCORE",
    "STOP_WORDS",
    "W_ROLE",
    "W_TERMS",
    "W_TOPICS",
    "Profile",
    "explain",
    "explain_profiles",
    "score",
    "similarity",
]

#: Suggestions need at least this score.
MIN_SCORE: Final = 0.1

#: Score weights: shared portfolio topics, shared title/topic words, role affinity.
W_TOPICS: Final = 0.5
W_TERMS: Final = 0.3
W_ROLE: Final = 0.2

#: Words left out of the word comparison: ranks, organizations and generic words.
STOP_WORDS: Final = frozenset(
    {
        # grammar
        "a", "an", "and", "the", "of", "for", "to", "in", "on", "at", "with", "k",
        # ranks and roles
        "asst", "assistant", "associate", "deputy", "superintendent", "supt", "vp", "vice",
        "president", "chief", "officer", "director", "dir", "coordinator", "manager", "head",
        "executive", "exec", "secretary", "member", "chair", "co", "lead", "senior", "leader",
        "administrator", "admin", "representative", "rep", "specialist", "staff", "liaison",
        # organizations
        "union", "association", "federation", "district", "board", "cabinet",
        # generic words of titles and topics
        "education", "educational", "service", "program", "department", "dept", "office",
        "division", "general", "affair", "school", "level", "support", "development",
    }
)  # fmt: skip
_WORD: Final = re.compile(r"[0-9a-z]+")
_ROLE_AFFINITY: Final = {("superintendent", "president"): 1.0}


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _words(text: str) -> set[str]:
    stems = {_stem(w) for w in _WORD.findall(text.lower()) if w not in STOP_WORDS}
    return {w for w in stems if w not in STOP_WORDS}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


class Profile:
    """A position as the score sees it: its kind, portfolio topics and words."""

    def __init__(self, view: DistrictView, key: str) -> None:
        self.key = key
        self.kind = str(view.attr(key, "position_kind", "other"))
        self.topics = set(view.out(key, "RESPONSIBLE_FOR"))
        self.topic_names = {t: view.name(t) for t in self.topics}
        self.terms = _words(view.name(key))
        for topic in self.topics:
            self.terms |= _words(ident_of(topic).replace("-", " ")) | _words(view.name(topic))


def score(m: Profile, lab: Profile) -> float:
    """The similarity of an administration and an association profile, in [0, 1]."""
    role = _ROLE_AFFINITY.get((m.kind, lab.kind), 0.0)
    value = (
        W_TOPICS * _jaccard(m.topics, lab.topics)
        + W_TERMS * _jaccard(m.terms, lab.terms)
        + W_ROLE * role
    )
    return round(value, 4)


def similarity(view: DistrictView, management: str, labor: str) -> float:
    """How alike two positions' portfolios and titles are, in [0, 1] (see the module)."""
    return score(Profile(view, management), Profile(view, labor))


def _quoted(words: list[str]) -> str:
    items = [f"'{w}'" for w in words]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def explain_profiles(m: Profile, lab: Profile) -> str:
    """The score of a pair in words: what they share (an empty string when nothing)."""
    reasons: list[str] = []
    shared = sorted(m.topics & lab.topics)
    if shared:
        names = [m.topic_names[t] for t in shared]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        reasons.append(f"both cover {listed}")
    covered = {w for t in shared for w in _words(m.topic_names[t]) | _words(ident_of(t))}
    words = sorted((m.terms & lab.terms) - covered)
    if words:
        reasons.append(f"both titles or portfolios name {_quoted(words)}")
    if _ROLE_AFFINITY.get((m.kind, lab.kind)):
        reasons.append("the superintendent and the association president lead their sides")
    return "; ".join(reasons)


def explain(view: DistrictView, management: str, labor: str) -> str:
    """:func:`explain_profiles` for two position keys."""
    return explain_profiles(Profile(view, management), Profile(view, labor))
