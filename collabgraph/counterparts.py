"""Role-alike counterparts: who on the association side matches each administrator.

:func:`find_counterparts` pairs administration (management) positions with
association (labor) positions in three passes, most certain first:

1. **declared** -- the ``COUNTERPART_OF`` pairs the workbook states;
2. **standing_meeting** -- every administration/association pair of attendees
   of one standing meeting;
3. **suggested** -- for the district-level leaders still without a partner, a
   similarity score (shared portfolio topics, shared title words, and the
   superintendent/president affinity) and a maximum-weight bipartite matching
   (``suggested_match``); leaders the one-to-one matching leaves out are then
   attached to their single best partner even when that partner already has one
   (``suggested_best``), which gives the one-to-many pairings real districts
   use (one association president facing both the superintendent and IT).

The report also lists positions with no established counterpart, pairs with no
standing meeting, pairs sharing a topic whose committee they do not co-chair,
and the Standing Meeting Worksheet rows. ``docs/counterparts.md`` explains the
method.

Examples
--------
>>> from collabgraph.model import District, Position, Workbook
>>> from collabgraph.graph import workbook_to_graph
>>> from collabgraph.model import Topic
>>> wb = Workbook(district=District(id="d", name="D"),
...     topics=[Topic(id="special-ed", name="Special education")], positions=[
...     Position(id="sped-dir", title="Director, Special Education", side="management",
...              kind="director", portfolio=["special-ed"]),
...     Position(id="vp-sped", title="VP Special Education", side="labor",
...              kind="vice_president", portfolio=["special-ed"]),
...     Position(id="vp-hs", title="VP High Schools", side="labor", kind="vice_president")])
>>> report = find_counterparts(workbook_to_graph(wb))
>>> [(p.management.id, p.labor.id, p.method, p.score) for p in report.pairs]
[('sped-dir', 'vp-sped', 'suggested_match', 0.8)]
>>> [(u.position.id, u.suggested) for u in report.unmatched_labor]
[('vp-hs', []), ('vp-sped', ['Position:sped-dir'])]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final, Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field

from collabgraph.gaps.find import COMMITTEE_KINDS
from collabgraph.gaps.view import DistrictView, ident_of
from collabgraph.graph import DistrictGraph

__all__ = [
    "LABOR_KINDS",
    "MANAGEMENT_KINDS",
    "MIN_SCORE",
    "PAIRING_SIDE_MAX",
    "CounterpartPair",
    "CounterpartReport",
    "NotCoChairing",
    "PositionRef",
    "StandingMeetingRow",
    "UnmatchedPosition",
    "counterparts_in_view",
    "find_counterparts",
    "is_pairing_meeting",
    "similarity",
]

#: Administration position kinds that should have an association counterpart.
MANAGEMENT_KINDS: Final = ("superintendent", "cabinet", "director", "coordinator")
#: Association position kinds that can be a counterpart.
LABOR_KINDS: Final = (
    "president",
    "vice_president",
    "officer",
    "chief_negotiator",
    "committee_chair",
    "association_staff",
)
#: Suggestions need at least this score.
MIN_SCORE: Final = 0.1
#: A standing meeting pairs its attendees when one of its two sides has at most
#: this many positions; larger meetings on both sides are group meetings.
PAIRING_SIDE_MAX: Final = 2

#: Score weights: shared portfolio topics, shared title/topic words, role affinity.
W_TOPICS: Final = 0.5
W_TERMS: Final = 0.3
W_ROLE: Final = 0.2

Method = Literal["declared", "standing_meeting", "suggested_match", "suggested_best"]

# Words that name a rank or an organization rather than a portfolio.
_ROLE_WORDS: Final = frozenset(
    {
        "a",
        "an",
        "and",
        "the",
        "of",
        "for",
        "to",
        "in",
        "on",
        "at",
        "asst",
        "assistant",
        "associate",
        "deputy",
        "superintendent",
        "supt",
        "vp",
        "vice",
        "president",
        "chief",
        "officer",
        "director",
        "dir",
        "coordinator",
        "manager",
        "head",
        "executive",
        "exec",
        "union",
        "association",
        "federation",
        "district",
        "secretary",
        "member",
        "chair",
        "co",
        "lead",
        "senior",
    }
)
_WORD: Final = re.compile(r"[0-9a-z]+")
_ROLE_AFFINITY: Final = {("superintendent", "president"): 1.0}


class PositionRef(BaseModel):
    """A position named in a counterpart report."""

    model_config = ConfigDict(frozen=True)

    key: str
    id: str
    title: str
    kind: str
    side: str


class CounterpartPair(BaseModel):
    """An administration position and its association counterpart."""

    model_config = ConfigDict(frozen=True)

    management: PositionRef
    labor: PositionRef
    method: Method
    score: float = Field(description="Similarity in [0, 1] (reported for every pair).")
    shared_topics: list[str] = Field(default_factory=list)
    meetings: list[str] = Field(
        default_factory=list, description="Pairing standing meetings both attend."
    )
    group_meetings: list[str] = Field(
        default_factory=list, description="Larger group meetings both attend (no pairing)."
    )
    note: str | None = None

    @property
    def established(self) -> bool:
        """Declared or meeting already (not a suggestion)."""
        return self.method in {"declared", "standing_meeting"}


class UnmatchedPosition(BaseModel):
    """A position with no declared or meeting counterpart, with any suggested partners."""

    model_config = ConfigDict(frozen=True)

    position: PositionRef
    suggested: list[str] = Field(default_factory=list, description="Position keys suggested.")


class NotCoChairing(BaseModel):
    """A pair sharing a topic whose committee they do not both chair."""

    model_config = ConfigDict(frozen=True)

    management: str
    labor: str
    topic: str
    team: str
    management_role: str | None = Field(description="chair, co_chair, member or None (absent).")
    labor_role: str | None


class StandingMeetingRow(BaseModel):
    """One row of the Standing Meeting Worksheet."""

    model_config = ConfigDict(frozen=True)

    administration: str
    association: str
    meeting: str | None = None
    cadence: str | None = None
    last_held: str | None = None
    status: str


class CounterpartReport(BaseModel):
    """Everything :func:`find_counterparts` found."""

    district: str | None
    name: str | None
    empty: bool = False
    note: str | None = None
    pairs: list[CounterpartPair] = Field(default_factory=list)
    unmatched_management: list[UnmatchedPosition] = Field(default_factory=list)
    unmatched_labor: list[UnmatchedPosition] = Field(default_factory=list)
    without_meeting: list[CounterpartPair] = Field(default_factory=list)
    not_co_chairing: list[NotCoChairing] = Field(default_factory=list)
    worksheet: list[StandingMeetingRow] = Field(default_factory=list)


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _words(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.lower()) if w not in _ROLE_WORDS}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


class _Profile:
    def __init__(self, view: DistrictView, key: str) -> None:
        self.key = key
        self.kind = str(view.attr(key, "position_kind", "other"))
        self.topics = set(view.out(key, "RESPONSIBLE_FOR"))
        self.terms = _words(view.name(key))
        for topic in self.topics:
            self.terms |= _words(ident_of(topic).replace("-", " ")) | _words(view.name(topic))


def similarity(view: DistrictView, management: str, labor: str) -> float:
    """How alike two positions' portfolios and titles are, in [0, 1].

    ``0.5 * J(portfolio topics) + 0.3 * J(title and topic words) + 0.2 * role``,
    where J is the Jaccard index and ``role`` is 1 for a superintendent facing a
    president, else 0. Rank words (assistant, director, VP...) are ignored.
    """
    return _score(_Profile(view, management), _Profile(view, labor))


def _score(m: _Profile, lab: _Profile) -> float:
    role = _ROLE_AFFINITY.get((m.kind, lab.kind), 0.0)
    value = (
        W_TOPICS * _jaccard(m.topics, lab.topics)
        + W_TERMS * _jaccard(m.terms, lab.terms)
        + W_ROLE * role
    )
    return round(value, 4)


def is_pairing_meeting(view: DistrictView, meeting: str) -> bool:
    """Whether a standing meeting stands for counterpart pairings.

    It must have attendees from both sides, and one side must have at most
    :data:`PAIRING_SIDE_MAX` of them (one administrator meeting four vice
    presidents pairs them; a cabinet meeting the whole executive board does not).
    """
    people = view.attendees(meeting)
    n_m = sum(1 for p in people if view.attr(p, "side") == "management")
    n_l = sum(1 for p in people if view.attr(p, "side") == "labor")
    return n_m > 0 and n_l > 0 and min(n_m, n_l) <= PAIRING_SIDE_MAX


def _ref(view: DistrictView, key: str) -> PositionRef:
    return PositionRef(
        key=key,
        id=ident_of(key),
        title=view.name(key),
        kind=str(view.attr(key, "position_kind", "other")),
        side=str(view.attr(key, "side", "")),
    )


def _candidates(view: DistrictView, side: str, kinds: Iterable[str]) -> list[str]:
    return [k for k in view.positions(*kinds, side=side) if view.attr(k, "level") != "school"]


def counterparts_in_view(view: DistrictView) -> CounterpartReport:
    """:func:`find_counterparts` over an existing :class:`DistrictView`."""
    g = view.graph
    report = CounterpartReport(district=g.graph.get("district"), name=g.graph.get("name"))
    if not view.nodes("Position"):
        return report.model_copy(
            update={"empty": True, "note": "The district has no positions recorded yet."}
        )
    profiles: dict[str, _Profile] = {}

    def prof(key: str) -> _Profile:
        if key not in profiles:
            profiles[key] = _Profile(view, key)
        return profiles[key]

    pairs: dict[tuple[str, str], CounterpartPair] = {}
    pairing = {mt for mt in view.nodes("StandingMeeting") if is_pairing_meeting(view, mt)}

    def add(m: str, lab: str, method: Method, note: str | None = None) -> None:
        if (m, lab) in pairs:
            return
        pm, pl = prof(m), prof(lab)
        together = view.shared_meetings(m, lab)
        meetings = [mt for mt in together if mt in pairing]
        shared = set(pm.topics & pl.topics)
        for mt in meetings:
            shared |= set(view.out(mt, "ADDRESSES")) & (pm.topics | pl.topics)
        pairs[(m, lab)] = CounterpartPair(
            management=_ref(view, m),
            labor=_ref(view, lab),
            method=method,
            score=_score(pm, pl),
            shared_topics=sorted(shared),
            meetings=meetings,
            group_meetings=[mt for mt in together if mt not in pairing],
            note=note,
        )

    # 1. declared
    for u, v, data in view.edges("COUNTERPART_OF"):
        add(u, v, "declared", data.get("note"))
    # 2. standing meetings small enough to stand for pairings
    for mt in sorted(pairing):
        people = view.attendees(mt)
        for m in (p for p in people if view.attr(p, "side") == "management"):
            for lab in (p for p in people if view.attr(p, "side") == "labor"):
                add(m, lab, "standing_meeting")
    established = {k for pair in pairs for k in pair}

    # 3. suggestions
    mgmt = _candidates(view, "management", MANAGEMENT_KINDS)
    labor = _candidates(view, "labor", LABOR_KINDS)
    open_m = [k for k in mgmt if k not in established]
    open_l = [k for k in labor if k not in established]
    bip: nx.Graph[str] = nx.Graph()
    for m in open_m:
        for lab in open_l:
            s = _score(prof(m), prof(lab))
            if s >= MIN_SCORE:
                bip.add_edge(m, lab, weight=s)
    matched: set[str] = set()
    for a, b in sorted(nx.max_weight_matching(bip), key=sorted):
        m, lab = (a, b) if a in set(open_m) else (b, a)
        add(m, lab, "suggested_match")
        matched |= {m, lab}

    def best(key: str, others: list[str], is_mgmt: bool) -> str | None:
        scored = [
            (_score(prof(key), prof(o)) if is_mgmt else _score(prof(o), prof(key)), o)
            for o in others
        ]
        scored = [(s, o) for s, o in scored if s >= MIN_SCORE]
        if not scored:
            return None
        return sorted(scored, key=lambda so: (-so[0], so[1]))[0][1]

    for m in open_m:
        if m not in matched and (lab_best := best(m, labor, True)):
            add(m, lab_best, "suggested_best")
    for lab in open_l:
        if lab not in matched and (m_best := best(lab, mgmt, False)):
            add(m_best, lab, "suggested_best")

    ordered = sorted(
        pairs.values(),
        key=lambda p: (not p.established, p.management.key, -p.score, p.labor.key),
    )

    def unmatched(keys: list[str], mine: Literal["management", "labor"]) -> list[UnmatchedPosition]:
        out = []
        for k in keys:
            if k in established:
                continue
            other = "labor" if mine == "management" else "management"
            sugg = [
                getattr(p, other).key
                for p in ordered
                if getattr(p, mine).key == k and not p.established
            ]
            out.append(UnmatchedPosition(position=_ref(view, k), suggested=sugg))
        return out

    return report.model_copy(
        update={
            "pairs": ordered,
            "unmatched_management": unmatched(mgmt, "management"),
            "unmatched_labor": unmatched(labor, "labor"),
            "without_meeting": [p for p in ordered if not p.meetings],
            "not_co_chairing": _not_co_chairing(view, [p for p in ordered if p.established]),
            "worksheet": _worksheet(view, ordered, mgmt, labor, established),
        }
    )


def _role(view: DistrictView, position: str, team: str) -> str | None:
    person = view.holder(position)
    if person is None:
        return None
    for m in view.members(team):
        if m.person == person:
            return m.role
    return None


def _not_co_chairing(view: DistrictView, pairs: list[CounterpartPair]) -> list[NotCoChairing]:
    out: list[NotCoChairing] = []
    on_topic: dict[str, list[str]] = {}
    for team in view.teams(*COMMITTEE_KINDS):
        for topic in view.topics_of(team):
            on_topic.setdefault(topic, []).append(team)
    for pair in pairs:
        for topic in pair.shared_topics:
            for team in on_topic.get(topic, []):
                mr = _role(view, pair.management.key, team)
                lr = _role(view, pair.labor.key, team)
                if mr in {"chair", "co_chair"} and lr in {"chair", "co_chair"}:
                    continue
                out.append(
                    NotCoChairing(
                        management=pair.management.key,
                        labor=pair.labor.key,
                        topic=topic,
                        team=team,
                        management_role=mr,
                        labor_role=lr,
                    )
                )
    return out


def _worksheet(
    view: DistrictView,
    pairs: list[CounterpartPair],
    mgmt: list[str],
    labor: list[str],
    established: set[str],
) -> list[StandingMeetingRow]:
    rank = {kind: i for i, kind in enumerate(MANAGEMENT_KINDS)}

    def seniority(positions: list[str]) -> int:
        return min(rank.get(str(view.attr(p, "position_kind")), len(rank)) for p in positions)

    meeting_rows: list[tuple[tuple[bool, int, str], StandingMeetingRow]] = []
    for mt in view.nodes("StandingMeeting"):
        people = view.attendees(mt)
        ms = [p for p in people if view.attr(p, "side") == "management"]
        ls = [p for p in people if view.attr(p, "side") == "labor"]
        if not ms or not ls:
            continue
        group = not is_pairing_meeting(view, mt)
        row = StandingMeetingRow(
            administration=" & ".join(view.names(ms)),
            association=" & ".join(view.names(ls)),
            meeting=view.name(mt),
            cadence=view.attr(mt, "cadence"),
            last_held=view.attr(mt, "last_held"),
            status="group meeting" if group else "standing meeting",
        )
        meeting_rows.append(((group, seniority(ms), row.administration), row))
    # Pairing meetings first, the most senior administrator first; group meetings last.
    rows = [row for _, row in sorted(meeting_rows, key=lambda kr: kr[0])]
    for method, status in (
        ("declared", "declared counterparts, no standing meeting yet"),
        ("suggested", "suggested pairing"),
    ):
        grouped: dict[str, list[str]] = {}
        for p in pairs:
            if p.meetings:
                continue
            if p.method == method or (method == "suggested" and not p.established):
                grouped.setdefault(p.management.key, []).append(p.labor.key)
        for m, labs in grouped.items():
            rows.append(
                StandingMeetingRow(
                    administration=view.name(m),
                    association=" & ".join(view.names(labs)),
                    status=status,
                )
            )
    paired = {k for p in pairs for k in (p.management.key, p.labor.key)}
    for m in mgmt:
        if m not in paired and m not in established:
            rows.append(
                StandingMeetingRow(
                    administration=view.name(m), association="—", status="no counterpart"
                )
            )
    for lab in labor:
        if lab not in paired and lab not in established:
            rows.append(
                StandingMeetingRow(
                    administration="—", association=view.name(lab), status="no counterpart"
                )
            )
    return rows


def find_counterparts(graph: DistrictGraph) -> CounterpartReport:
    """Pair administration positions with association counterparts.

    Parameters
    ----------
    graph : DistrictGraph

    Returns
    -------
    CounterpartReport
        Established pairs first (declared, then meeting), then suggestions;
        each pair carries its method and similarity score.
    """
    return counterparts_in_view(DistrictView(graph))
