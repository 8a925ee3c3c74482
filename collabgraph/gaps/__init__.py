"""Structural gaps: the Collaborative Structure Worksheet, automated.

* :mod:`collabgraph.gaps.rules` -- the rule catalog and the per-district rules file;
* :mod:`collabgraph.gaps.find` -- :func:`find_gaps`, the rule engine;
* the lookups over a district graph it shares with :mod:`collabgraph.counterparts`
  are in :mod:`collabgraph.district_view` (imports run one way: gaps use
  counterparts, counterparts use neither).

See ``docs/gaps.md`` for every rule.
"""

from __future__ import annotations

from collabgraph.gaps.find import (
    DesiredStructure,
    Evidence,
    Finding,
    GapReport,
    MemberInfo,
    find_gaps,
)
from collabgraph.gaps.rules import (
    RULES,
    RuleInfo,
    RulesError,
    RuleSet,
    RuleSetting,
    Severity,
    default_rules,
    load_rules,
    parse_rules,
)

__all__ = [
    "RULES",
    "DesiredStructure",
    "Evidence",
    "Finding",
    "GapReport",
    "MemberInfo",
    "RuleInfo",
    "RuleSet",
    "RuleSetting",
    "RulesError",
    "Severity",
    "default_rules",
    "find_gaps",
    "load_rules",
    "parse_rules",
]
