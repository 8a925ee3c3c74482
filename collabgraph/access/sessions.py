"""Dashboard sessions and their CSRF tokens.

A session is a random cookie value; the store keeps only its SHA-256, the
account and an expiry, so a copy of the store opens no session. Signing out
deletes the row, so the cookie is dead everywhere at once. The CSRF token of a
session is an HMAC of the cookie value under the install secret: it is tied to
the session, needs no storage, and a page on another origin cannot learn it.

Examples
--------
>>> key = bytes(32)
>>> csrf_token(key, "abc") == csrf_token(key, "abc"), csrf_token(key, "abc") == csrf_token(key, "x")
(True, False)
>>> check_csrf(key, "abc", csrf_token(key, "abc")), check_csrf(key, "abc", "")
(True, False)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from typing import Final

from collabgraph.access.accounts import now_iso
from collabgraph.store.base import Store

__all__ = ["SESSION_HOURS", "Sessions", "check_csrf", "csrf_token"]

#: How long a dashboard session lasts.
SESSION_HOURS: Final = 12


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def csrf_token(key: bytes, session: str) -> str:
    """The CSRF token of a session."""
    return hmac.new(key, b"csrf\x00" + session.encode(), hashlib.sha256).hexdigest()


def check_csrf(key: bytes, session: str, given: str) -> bool:
    """Whether ``given`` is the session's CSRF token (constant time)."""
    if not session or not given:
        return False
    return hmac.compare_digest(csrf_token(key, session).encode(), given.strip().encode())


class Sessions:
    """The dashboard sessions kept in one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def start(self, email: str) -> str:
        """A new session for an account; returns the cookie value."""
        value = secrets.token_urlsafe(32)
        expires = dt.datetime.now(dt.UTC) + dt.timedelta(hours=SESSION_HOURS)
        self.store.run_system(
            "create_session",
            {
                "id": _digest(value),
                "email": email,
                "now": now_iso(),
                "expires": expires.replace(microsecond=0).isoformat(),
            },
            write=True,
        )
        return value

    def email_of(self, value: str) -> str | None:
        """The account of a live session, or ``None``."""
        if not value or len(value) > 200:
            return None
        rows = self.store.run_system("find_session", {"id": _digest(value)})
        if not rows or str(rows[0]["expires"]) <= now_iso():
            return None
        return str(rows[0]["email"])

    def end(self, value: str) -> None:
        """End a session (signing out)."""
        if value and len(value) <= 200:
            self.store.run_system("delete_session", {"id": _digest(value)}, write=True)
