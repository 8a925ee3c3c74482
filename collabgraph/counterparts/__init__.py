"""Role-alike counterparts: who on the association side matches each administrator.

:func:`find_counterparts` pairs administration (management) positions with
association (labor) positions in three passes, most certain first:

1. **declared** -- the ``COUNTERPART_OF`` pairs the workbook states;
2. **standing_meeting** -- every administration/association pair of attendees
   of one standing meeting;
3. **suggested** -- for the district-level leaders still without a partner, a
   similarity score (:mod:`collabgraph.counterparts.score`: shared portfolio
   topics, shared title words without stop words, and the
   superintendent/president affinity) and a maximum-weight bipartite matching
   (``suggested_match``); leaders the one-to-one matching leaves out are then
   attached to their single best partner even when that partner already has one
   (``suggested_best``).

Every pair says why it is there (``reason``): declared, the meeting the two
share, or what a suggestion's score rests on ("both cover Special education").

* :mod:`collabgraph.counterparts.score` -- the similarity score and its words;
* :mod:`collabgraph.counterparts.report` -- the report models;
* :mod:`collabgraph.counterparts.find` -- the passes, the lists and the
  Standing Meeting Worksheet rows.

``docs/counterparts.md`` explains the method.

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
>>> report.pairs[0].reason
'both cover Special education'
>>> [(u.position.id, u.suggested) for u in report.unmatched_labor]
[('vp-hs', []), ('vp-sped', ['Position:sped-dir'])]
"""

from __future__ import annotations

from collabgraph.counterparts.find import (
    LABOR_KINDS,
    MANAGEMENT_KINDS,
    PAIRING_SIDE_MAX,
    counterparts_in_view,
    find_counterparts,
    is_pairing_meeting,
)
from collabgraph.counterparts.report import (
    CounterpartPair,
    CounterpartReport,
    NotCoChairing,
    PositionRef,
    StandingMeetingRow,
    UnmatchedPosition,
)
from collabgraph.counterparts.score import MIN_SCORE, STOP_WORDS, explain, similarity

__all__ = [
    "LABOR_KINDS",
    "MANAGEMENT_KINDS",
    "MIN_SCORE",
    "PAIRING_SIDE_MAX",
    "STOP_WORDS",
    "CounterpartPair",
    "CounterpartReport",
    "NotCoChairing",
    "PositionRef",
    "StandingMeetingRow",
    "UnmatchedPosition",
    "counterparts_in_view",
    "explain",
    "find_counterparts",
    "is_pairing_meeting",
    "similarity",
]
