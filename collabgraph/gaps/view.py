"""Kept for imports written before the move: see :mod:`collabgraph.district_view`."""

from __future__ import annotations

from collabgraph.district_view import COMMITTEE_KINDS, DistrictView, Member, ident_of

__all__ = ["COMMITTEE_KINDS", "DistrictView", "Member", "ident_of"]
