"""Limits and defences for hostile input: everything a file, request or query may not do.

=======================================  =============================================
:mod:`collabgraph.safety.cypher`         a Cypher tokenizer; bounded ``range()``; row caps
:mod:`collabgraph.safety.limits`         sizes, rows, nesting and YAML aliases of inputs
:mod:`collabgraph.safety.cells`          CSV formula neutralization (OWASP) and its undo
:mod:`collabgraph.safety.ids`            the id grammar; file names kept inside a folder
:mod:`collabgraph.safety.scratch`        private temporary folders under the data folder
:mod:`collabgraph.safety.watch`          a process's memory watched while work runs
=======================================  =============================================

Each module depends only on :mod:`collabgraph.errors` (and the standard library),
so every layer — workbook readers, store, CLI, API — can use it without cycles.
"""

from __future__ import annotations

__all__: list[str] = []
