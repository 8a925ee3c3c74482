"""The names the embedded store keeps a district under (FalkorDB graph and key names).

Below :mod:`collabgraph.store.falkor`, :mod:`collabgraph.store.falkor_edits` and
:mod:`collabgraph.store.falkor_load`, which all need them.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "GRAPH_PREFIX",
    "STAGING_PREFIX",
    "SURVEY_PREFIX",
    "SYSTEM_GRAPH",
    "VERSION_PREFIX",
    "graph_key",
    "survey_key",
]

GRAPH_PREFIX: Final = "collabgraph:"
SYSTEM_GRAPH: Final = "collabgraph-system"
STAGING_PREFIX: Final = "collabgraph-staging:"
VERSION_PREFIX: Final = "collabgraph-version:"
#: A district's tie surveys (:mod:`collabgraph.survey.storage`), beside its graph.
SURVEY_PREFIX: Final = "collabgraph-survey:"


def graph_key(district: str) -> str:
    """The live graph of a district.

    >>> graph_key("abc-unified")
    'collabgraph:abc-unified'
    """
    return GRAPH_PREFIX + district


def survey_key(district: str) -> str:
    """The graph of a district's tie surveys.

    >>> survey_key("abc-unified")
    'collabgraph-survey:abc-unified'
    """
    return SURVEY_PREFIX + district
