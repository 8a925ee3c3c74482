"""The stored graph's node labels and relationship kinds, and the statement for each.

The store keeps exactly the graph of :func:`collabgraph.graph.workbook_to_graph`
(see ``docs/store.md``). Each node label has a ``merge_*`` statement; each kind
of relationship (source label, type, target label) has a ``merge_*`` statement
and, when one row of the workbook owns it, a ``prune_*`` statement that removes
the owner's relationships the new workbook no longer has.

Examples
--------
>>> EDGE_SPECS_BY_NAME["person_holds_position"].owner
'dst'
>>> EDGE_SPECS_BY_NAME["person_holds_position"].merge_statement
'merge_person_holds_position'
>>> NODE_STATEMENTS["StandingMeeting"]
'merge_standing_meetings'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "BUILTIN_TOPIC_STATEMENT",
    "EDGE_SPECS",
    "EDGE_SPECS_BY_ENDS",
    "EDGE_SPECS_BY_NAME",
    "NODE_STATEMENTS",
    "EdgeSpec",
    "snake",
]


def snake(label: str) -> str:
    """``StandingMeeting`` -> ``standing_meeting``.

    >>> snake("StandingMeeting"), snake("IN_DISTRICT")
    ('standing_meeting', 'in_district')
    """
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", label).lower()


#: Label -> the statement that upserts its nodes.
NODE_STATEMENTS: Final[dict[str, str]] = {
    "District": "merge_districts",
    "School": "merge_schools",
    "Organization": "merge_organizations",
    "Topic": "merge_topics",
    "Person": "merge_people",
    "Position": "merge_positions",
    "Team": "merge_teams",
    "StandingMeeting": "merge_standing_meetings",
}

#: Built-in topics are created when missing but never overwrite a declared topic.
BUILTIN_TOPIC_STATEMENT: Final = "merge_builtin_topics"


@dataclass(frozen=True)
class EdgeSpec:
    """One kind of relationship: ``(src)-[:type]->(dst)``.

    ``owner`` says which end's workbook row defines the relationship (``"src"``
    or ``"dst"``), or ``None`` when the relationship is a row of its own
    (memberships, counterparts, ties, priorities), keyed by its two ends (and,
    for ties, by ``key``).
    """

    src: str
    type: str
    dst: str
    owner: Literal["src", "dst"] | None

    @property
    def name(self) -> str:
        """``position_at_school``."""
        return f"{snake(self.src)}_{self.type.lower()}_{snake(self.dst)}"

    @property
    def merge_statement(self) -> str:
        """Name of the statement that upserts these relationships."""
        return f"merge_{self.name}"

    @property
    def prune_statement(self) -> str:
        """Name of the statement that removes an owner's stale relationships."""
        return f"prune_{self.name}"

    @property
    def keyed(self) -> bool:
        """Whether relationships of this kind carry a ``key`` (ties)."""
        return self.type == "TIE"


EDGE_SPECS: Final[tuple[EdgeSpec, ...]] = (
    EdgeSpec("School", "IN_DISTRICT", "District", "src"),
    EdgeSpec("Organization", "AFFILIATE_OF", "Organization", "src"),
    EdgeSpec("District", "PRIORITIZES", "Topic", None),
    EdgeSpec("Person", "AT", "School", "src"),
    EdgeSpec("Position", "AT", "School", "src"),
    EdgeSpec("Team", "AT", "School", "src"),
    EdgeSpec("Position", "PART_OF", "Organization", "src"),
    EdgeSpec("Position", "RESPONSIBLE_FOR", "Topic", "src"),
    EdgeSpec("Person", "HOLDS", "Position", "dst"),
    EdgeSpec("Team", "ADDRESSES", "Topic", "src"),
    EdgeSpec("StandingMeeting", "ADDRESSES", "Topic", "src"),
    EdgeSpec("Team", "OVERSEES", "Team", "dst"),
    EdgeSpec("Person", "MEMBER_OF", "Team", None),
    EdgeSpec("Position", "ATTENDS", "StandingMeeting", "dst"),
    EdgeSpec("Position", "COUNTERPART_OF", "Position", None),
    EdgeSpec("Person", "TIE", "Person", None),
)

EDGE_SPECS_BY_NAME: Final[dict[str, EdgeSpec]] = {spec.name: spec for spec in EDGE_SPECS}
EDGE_SPECS_BY_ENDS: Final[dict[tuple[str, str, str], EdgeSpec]] = {
    (spec.src, spec.type, spec.dst): spec for spec in EDGE_SPECS
}
