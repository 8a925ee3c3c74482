"""Row edits: one row added, replaced or removed with one targeted statement.

The store runs it (:meth:`collabgraph.store.Store.put_row` and
:meth:`~collabgraph.store.Store.delete_row`) atomically and bumps the district's
revision token in the same step; this package plans them: which rows the edit
touches, what must exist, and the statements to run. See ``docs/store.md``.

>>> from collabgraph.store.edits import NODE_SECTIONS
>>> NODE_SECTIONS["people"]
'Person'
"""

from __future__ import annotations

from collabgraph.store.edits.plan import (
    EditPlan,
    Reader,
    RowExists,
    new_order,
    plan_delete,
    plan_put,
)
from collabgraph.store.edits.refs import EDGE_SECTIONS, NODE_SECTIONS, references

__all__ = [
    "EDGE_SECTIONS",
    "NODE_SECTIONS",
    "EditPlan",
    "Reader",
    "RowExists",
    "new_order",
    "plan_delete",
    "plan_put",
    "references",
]
