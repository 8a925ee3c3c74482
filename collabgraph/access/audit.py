"""The audit log: every write, export, query, person export, erase and sign-in.

An entry says who, when, what kind of operation, which district and how it
ended (the HTTP status, or ``ok``); never the values sent or returned. When an
operation is about one person (their row, their export, their erasure), the
entry's ``subject`` is that person's pseudonym (:func:`~collabgraph.access.pseudonym.pseudonym`),
so the log itself holds no name and no raw id, and a person's export can still
find the entries about them.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from pydantic import BaseModel

from collabgraph.access.roles import AccessError
from collabgraph.store.base import Store

__all__ = ["MAX_ENTRIES", "Audit", "AuditEntry", "parse_since"]

#: Most entries one listing returns.
MAX_ENTRIES: Final = 100_000


class AuditEntry(BaseModel):
    """One audit entry."""

    at: str
    who: str
    role: str
    operation: str
    district: str | None = None
    status: str
    subject: str | None = None


def parse_since(text: str | None) -> str | None:
    """A date or date-time (UTC) as the ISO text audit entries compare with.

    >>> parse_since("2026-12-01")
    '2026-12-01T00:00:00+00:00'
    >>> parse_since("yesterday")
    Traceback (most recent call last):
    ...
    collabgraph.access.roles.AccessError: --since 'yesterday' is not a date: ...
    """
    if text is None or not text.strip():
        return None
    try:
        when = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise AccessError(
            f"--since {text!r} is not a date: use YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.astimezone(dt.UTC).replace(microsecond=0).isoformat()


class Audit:
    """The audit log of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def record(
        self,
        *,
        who: str,
        role: str,
        operation: str,
        district: str | None = None,
        status: str = "ok",
        subject: str | None = None,
    ) -> None:
        """Append one entry."""
        # Microseconds, so entries of the same second keep their order (ISO text sorts).
        at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
        self.store.run_system(
            "create_audit_entry",
            {
                "at": at,
                "who": who,
                "role": role,
                "operation": operation,
                "district": district,
                "status": status,
                "subject": subject,
            },
            write=True,
        )

    def entries(
        self,
        *,
        district: str | None = None,
        since: str | None = None,
        subject: str | None = None,
        limit: int = MAX_ENTRIES,
    ) -> list[AuditEntry]:
        """The newest ``limit`` entries in time order (oldest of them first), optionally of
        one district, since a time, about one subject."""
        rows = self.store.run_system(
            "list_audit_entries",
            {
                "district": district,
                "since": parse_since(since),
                "subject": subject,
                "limit": max(1, min(limit, MAX_ENTRIES)),
            },
        )
        return [AuditEntry.model_validate(r) for r in reversed(rows)]
