"""collabgraph: a district's labor-management partnership as a property graph.

The library reads a district workbook (:mod:`collabgraph.workbook`), checks it
against the domain model (:mod:`collabgraph.model`) and hands it to the store
and the analyses.
"""

from __future__ import annotations

from collabgraph.errors import CollabGraphError, Location, Problem, WorkbookError
from collabgraph.model import Workbook
from collabgraph.workbook import load_workbook

__all__ = [
    "CollabGraphError",
    "Location",
    "Problem",
    "Workbook",
    "WorkbookError",
    "__version__",
    "load_workbook",
]

__version__ = "0.1.0"
