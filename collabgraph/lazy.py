"""Heavy third-party modules, imported when first needed and no earlier.

A command that does not draw, serve or read spreadsheets should not pay for
matplotlib, FastAPI, pyvis or openpyxl at start-up. Modules that need one
of them import it inside the function that uses it; this module holds the
one import that needs more care than that, igraph's.

igraph imports matplotlib (and ``matplotlib.pyplot``) when it is installed,
only for ``igraph.plot``, which collabgraph never calls: about 0.3 s of a
command's start-up. :func:`igraph` imports igraph with matplotlib held out,
unless matplotlib is already loaded, in which case nothing is saved or lost.
matplotlib itself stays importable afterwards (the report draws with it).

Examples
--------
>>> ig = igraph()
>>> ig.Graph(n=3, edges=[(0, 1), (1, 2)]).betweenness()
[0.0, 1.0, 0.0]
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

__all__ = ["igraph"]


def igraph() -> ModuleType:
    """The ``igraph`` module, imported without its matplotlib drawing backend.

    >>> igraph() is igraph()
    True
    """
    loaded = sys.modules.get("igraph")
    if loaded is not None:
        return loaded
    if "matplotlib" in sys.modules:
        return importlib.import_module("igraph")
    # A None entry makes ``import matplotlib`` raise ImportError, which igraph's
    # find_matplotlib() answers with a stand-in module (igraph.plot then says so).
    sys.modules["matplotlib"] = None  # type: ignore[assignment]
    try:
        return importlib.import_module("igraph")
    finally:
        if sys.modules.get("matplotlib", ...) is None:
            del sys.modules["matplotlib"]
