"""Who is asked and who can be named, worked out from a district's workbook.

A person is on the association side when they hold a labor-side position or,
holding none, are recorded with side ``labor``. Building reps hold a
``building_rep`` position; officers hold a ``president``, ``vice_president``,
``officer`` or ``chief_negotiator`` position. A person's school is their own
``school`` or, failing that, the school of a position they hold.

Examples
--------
>>> from collabgraph.model import Person, Position, Workbook, District
>>> wb = Workbook(district=District(id="d", name="D"),
...               people=[Person(id="a", name="Ann", side="labor"),
...                       Person(id="b", name="Bo", side="management")])
>>> [p.id for p in roster_people(wb, RosterGroup.ASSOCIATION)]
['a']
"""

from __future__ import annotations

from typing import Final

from pydantic import BaseModel

from collabgraph.model import PositionKind, Side, Workbook
from collabgraph.survey.model import RespondentGroup, RosterGroup, SurveySpec

__all__ = ["OFFICER_KINDS", "RosterPerson", "respondents_of", "roster_people"]

OFFICER_KINDS: Final = frozenset(
    {
        PositionKind.PRESIDENT,
        PositionKind.VICE_PRESIDENT,
        PositionKind.OFFICER,
        PositionKind.CHIEF_NEGOTIATOR,
    }
)


class RosterPerson(BaseModel):
    """A person as the survey shows them: id, name and school (its name)."""

    id: str
    name: str
    school: str = ""


def _index(wb: Workbook) -> tuple[dict[str, set[PositionKind]], dict[str, bool], dict[str, str]]:
    kinds: dict[str, set[PositionKind]] = {}
    labor: dict[str, bool] = {}
    school_of: dict[str, str] = {}
    for pos in wb.positions:
        if pos.holder is None:
            continue
        kinds.setdefault(pos.holder, set()).add(pos.kind)
        if pos.side is Side.LABOR:
            labor[pos.holder] = True
        if pos.school:
            school_of.setdefault(pos.holder, pos.school)
    return kinds, labor, school_of


def roster_people(wb: Workbook, group: RosterGroup) -> list[RosterPerson]:
    """The people who can be named, sorted by name."""
    kinds, labor, school_of = _index(wb)
    names = {s.id: s.name for s in wb.schools}
    out = []
    for p in wb.people:
        on_labor = labor.get(p.id, False) or (p.id not in kinds and p.side is Side.LABOR)
        if group is RosterGroup.ASSOCIATION and not on_labor:
            continue
        school = p.school or school_of.get(p.id)
        out.append(RosterPerson(id=p.id, name=p.name, school=names.get(school or "", "")))
    return sorted(out, key=lambda r: (r.name, r.id))


def respondents_of(wb: Workbook, spec: SurveySpec) -> list[RosterPerson]:
    """The people asked, sorted by name; unknown ids in a list are an error."""
    everyone = {r.id: r for r in roster_people(wb, RosterGroup.DISTRICT)}
    if spec.respondents is RespondentGroup.LIST:
        missing = [i for i in spec.respondent_ids if i not in everyone]
        if missing:
            from collabgraph.survey.errors import SurveyError

            raise SurveyError(
                f"respondent ids not in district {wb.district.id!r}: " + ", ".join(missing[:10])
            )
        return sorted((everyone[i] for i in set(spec.respondent_ids)), key=lambda r: (r.name, r.id))
    if spec.respondents is RespondentGroup.ASSOCIATION:
        return roster_people(wb, RosterGroup.ASSOCIATION)
    kinds, _, _ = _index(wb)
    want = (
        {PositionKind.BUILDING_REP} if spec.respondents is RespondentGroup.REPS else OFFICER_KINDS
    )
    return [
        everyone[i]
        for i in sorted(everyone, key=lambda i: (everyone[i].name, i))
        if kinds.get(i, set()) & want
    ]
