"""A person's rights: everything held about them (GDPR Art. 15) and erasure (Art. 17).

:func:`person_export` gathers every row of a district that names a person —
their own row, the positions they hold, their team memberships, ties both ways,
the standing meetings their positions sit in, their survey answers and the answers
naming them (without who gave those) — and the audit entries about them.
:func:`erase_person` removes the person and everything that depended on them,
then has the embedded store rewrite its append-only file so their name and id
are gone from the data folder too (Neo4j manages its own files: there the rows
are deleted, and the server's own retention applies).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from collabgraph.access.audit import Audit, AuditEntry
from collabgraph.access.pseudonym import pseudonym
from collabgraph.editing import delete_row, find_row
from collabgraph.store.base import Store
from collabgraph.survey.person import erase_survey_person, survey_person_rows

__all__ = ["ErasureReport", "PersonExport", "erase_person", "person_export", "person_subject"]


class PersonExport(BaseModel):
    """Everything a district holds about one person."""

    district: str
    person: dict[str, Any]
    positions: list[dict[str, Any]] = Field(default_factory=list)
    memberships: list[dict[str, Any]] = Field(default_factory=list)
    ties_from: list[dict[str, Any]] = Field(default_factory=list)
    ties_to: list[dict[str, Any]] = Field(default_factory=list)
    meetings: list[dict[str, Any]] = Field(default_factory=list)
    survey: dict[str, Any] = Field(
        default_factory=dict,
        description="Tie surveys: their answers, answers naming them (without the respondent), "
        "write-ins, and the waves that list them as a respondent.",
    )
    audit: list[AuditEntry] = Field(default_factory=list)


class ErasureReport(BaseModel):
    """What an erasure removed."""

    district: str
    person: str
    memberships: int
    ties: int
    positions_vacated: int
    survey_records: int = Field(
        default=0, description="Survey records removed (respondent, roster entries, write-ins)."
    )
    files_rewritten: bool = Field(description="The store's data files were rewritten.")


def person_subject(key: bytes, district: str, person: str) -> str:
    """The pseudonym audit entries use for a person."""
    return pseudonym(key, district, "Person", person)


def person_export(store: Store, district: str, person: str, key: bytes) -> PersonExport:
    """Every row that names ``person`` in ``district``, and the audit entries about them.

    Raises
    ------
    collabgraph.editing.RowNotFound
        When the district has no such person.
    collabgraph.store.UnknownDistrict
        When the district is not in the store.
    """
    wb = store.read_workbook(district)
    row = find_row(wb, "people", person)
    held = [p for p in wb.positions if p.holder == person]
    seats = {p.id for p in held}

    def dump(items: list[Any]) -> list[dict[str, Any]]:
        return [i.model_dump(mode="json", exclude_none=True) for i in items]

    return PersonExport(
        district=district,
        person=row.model_dump(mode="json", exclude_none=True),
        positions=dump(held),
        memberships=dump([m for m in wb.memberships if m.person == person]),
        ties_from=dump([t for t in wb.ties if t.source == person]),
        ties_to=dump([t for t in wb.ties if t.target == person]),
        meetings=dump([m for m in wb.meetings if seats & set(m.attendees)]),
        survey=survey_person_rows(store, district, person, str(getattr(row, "name", ""))),
        audit=Audit(store).entries(subject=person_subject(key, district, person)),
    )


def erase_person(store: Store, district: str, person: str) -> ErasureReport:
    """Remove a person and what depended on them; rewrite the store's files.

    Raises
    ------
    collabgraph.editing.RowNotFound
        When the district has no such person.
    """
    wb = store.read_workbook(district)
    row = find_row(wb, "people", person)
    # Surveys first: if anything fails part-way the person is still in the district and
    # the same erasure can run again (each step is idempotent).
    survey_records = erase_survey_person(store, district, person, str(getattr(row, "name", "")))
    new = delete_row(wb, "people", person)
    store.upsert_workbook(new, replace=True)
    inner: Any = getattr(store, "inner", store)
    compact = getattr(inner, "compact", None)
    if callable(compact):
        compact()
    return ErasureReport(
        district=district,
        person=person,
        memberships=sum(1 for m in wb.memberships if m.person == person),
        ties=sum(1 for t in wb.ties if person in (t.source, t.target)),
        positions_vacated=sum(1 for p in wb.positions if p.holder == person),
        survey_records=survey_records,
        files_rewritten=callable(compact),
    )
