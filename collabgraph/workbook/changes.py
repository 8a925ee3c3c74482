"""What loading a workbook changes: rows added, changed and removed, per section.

:func:`workbook_changes` compares the district as stored (``None`` for a new
district) with the workbook about to be loaded, row by row, each row known by
its identity in its section (an id; a priority by its topic; a membership by
person and team; a counterpart pair by its two positions; a tie by source,
target, topic and wave). Without ``replace`` a load keeps the stored rows a
workbook does not list; they are counted as ``kept``, not removed.

Examples
--------
>>> from collabgraph.model import District, School, Workbook
>>> old = Workbook(district=District(id="d", name="D"),
...                schools=[School(id="a", name="A", level="high")])
>>> new = Workbook(district=District(id="d", name="D"),
...                schools=[School(id="a", name="A", level="middle"),
...                         School(id="b", name="B", level="high")])
>>> change = workbook_changes(old, new, replace=False)
>>> change.sections["schools"]
SectionChange(added=1, changed=1, removed=0, kept=0, unchanged=0)
>>> change.sentence()
'schools: 1 added, 1 changed'
>>> workbook_changes(new, new, replace=False).sentence()
'nothing changed (3 rows already as in the workbook)'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from pydantic import BaseModel, Field

from collabgraph.model import SECTIONS, Workbook

__all__ = [
    "COMPARE_MAX_ROWS",
    "SectionChange",
    "WorkbookChanges",
    "changes_before_load",
    "workbook_changes",
]

#: Above this many rows a reload is not compared row by row with the stored district:
#: reading it back would cost more than the load itself.
COMPARE_MAX_ROWS: Final = 200_000


class SectionChange(BaseModel):
    """Rows of one section: added, changed, removed, kept (not in the file) and unchanged."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    kept: int = Field(default=0, description="Stored rows the workbook does not list, left as is.")
    unchanged: int = 0

    def __repr__(self) -> str:
        return (
            f"SectionChange(added={self.added}, changed={self.changed}, removed={self.removed}, "
            f"kept={self.kept}, unchanged={self.unchanged})"
        )

    @property
    def any(self) -> bool:
        """Whether the load changes this section."""
        return bool(self.added or self.changed or self.removed)


class WorkbookChanges(BaseModel):
    """Per section, what a load changes; ``new_district`` when the store had none."""

    district: str
    new_district: bool
    replace: bool
    sections: dict[str, SectionChange]

    def totals(self) -> SectionChange:
        """The sums over every section."""
        out = SectionChange()
        for part in self.sections.values():
            for name in ("added", "changed", "removed", "kept", "unchanged"):
                setattr(out, name, getattr(out, name) + getattr(part, name))
        return out

    def sentence(self) -> str:
        """One line a person reads: what changed in which section."""
        parts = []
        for name, part in self.sections.items():
            bits = [
                f"{getattr(part, word)} {word}"
                for word in ("added", "changed", "removed")
                if getattr(part, word)
            ]
            if bits:
                parts.append(f"{name}: " + ", ".join(bits))
        total = self.totals()
        kept = (
            f"; {total.kept} stored rows the workbook does not list were kept (load with "
            "replace to remove them)"
            if total.kept
            else ""
        )
        if not parts:
            return f"nothing changed ({total.unchanged} rows already as in the workbook){kept}"
        return "; ".join(parts) + kept


_KEYS: Final[dict[str, Callable[[Any], object]]] = {
    "priorities": lambda r: r.topic,
    "memberships": lambda r: (r.person, r.team),
    "counterparts": lambda r: (r.management, r.labor),
    "ties": lambda r: r.key,
}


def _ident(row: Any) -> object:
    return row.id


def _rows(wb: Workbook, section: str) -> dict[object, BaseModel]:
    rows: list[BaseModel] = [wb.district] if section == "district" else getattr(wb, section)
    key = _KEYS.get(section, _ident)
    return {key(r): r for r in rows}


def workbook_changes(old: Workbook | None, new: Workbook, *, replace: bool) -> WorkbookChanges:
    """Compare the stored district with the workbook about to be loaded, per section."""
    sections: dict[str, SectionChange] = {}
    for section in SECTIONS:
        if old is None:  # a new district: every row is added
            rows: list[Any] = [new.district] if section == "district" else getattr(new, section)
            key_of = _KEYS.get(section, _ident)
            sections[section] = SectionChange(added=len({key_of(r) for r in rows}))
            continue
        before = _rows(old, section)
        after = _rows(new, section)
        part = SectionChange()
        for key, row in after.items():
            if key not in before:
                part.added += 1
            elif before[key] != row:
                part.changed += 1
            else:
                part.unchanged += 1
        gone = sum(1 for key in before if key not in after)
        if replace:
            part.removed = gone
        else:
            part.kept = gone
        sections[section] = part
    return WorkbookChanges(
        district=new.district.id, new_district=old is None, replace=replace, sections=sections
    )


def changes_before_load(
    stored: Callable[[], Workbook] | None, new: Workbook, *, replace: bool
) -> WorkbookChanges | None:
    """What loading ``new`` will change; ``stored`` reads the stored district (``None``: new).

    Returns ``None`` for a reload of more than :data:`COMPARE_MAX_ROWS` rows.
    """
    if stored is None:
        return workbook_changes(None, new, replace=replace)
    if sum(new.counts().values()) > COMPARE_MAX_ROWS:
        return None
    return workbook_changes(stored(), new, replace=replace)
