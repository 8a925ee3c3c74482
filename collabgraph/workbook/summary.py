"""A few plain facts about a workbook, for the summary table."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from collabgraph.model import PositionKind, Side, Workbook

__all__ = ["WorkbookSummary", "summarize"]


@dataclass
class WorkbookSummary:
    """Per-section one-line details (``section -> text``)."""

    details: dict[str, str] = field(default_factory=dict)


def _breakdown(counter: Counter[str]) -> str:
    return ", ".join(f"{n} {k}" for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def summarize(wb: Workbook) -> WorkbookSummary:
    """Count rows by kind within each section.

    >>> from collabgraph.model import District, School
    >>> wb = Workbook(district=District(id="d", name="D"),
    ...               schools=[School(id="a", name="A", level="high")])
    >>> summarize(wb).details["schools"]
    '1 high'
    """
    out = WorkbookSummary()
    out.details["district"] = wb.district.name
    out.details["schools"] = _breakdown(Counter(s.level.value for s in wb.schools))
    out.details["organizations"] = _breakdown(Counter(o.side.value for o in wb.organizations))
    out.details["positions"] = _breakdown(Counter(p.side.value for p in wb.positions))
    reps = {p.school for p in wb.positions if p.kind is PositionKind.BUILDING_REP and p.holder}
    if wb.schools:
        out.details["positions"] += f"; building reps at {len(reps)}/{len(wb.schools)} schools"
    out.details["teams"] = _breakdown(Counter(t.kind.value for t in wb.teams))
    labor = {p.holder for p in wb.positions if p.side is Side.LABOR and p.holder}
    out.details["people"] = f"{len(labor)} hold association positions"
    waves = sorted({t.wave for t in wb.ties if t.wave})
    if waves:
        out.details["ties"] = "waves: " + ", ".join(waves)
    out.details["meetings"] = _breakdown(Counter(m.cadence.value for m in wb.meetings))
    return out
