"""Accounts and API tokens, kept in the graph store outside every district.

Passwords and tokens are stored only as argon2id hashes (``argon2-cffi``). An
API token is ``cgt_<id>_<secret>``: the id finds the token's row, the secret is
checked against its hash, so one check costs one argon2 verification however
many tokens exist. Verified tokens are remembered for :data:`TOKEN_CACHE_SECONDS`
(by SHA-256, in memory) so scripts are not slowed down by argon2 on every call.

Examples
--------
>>> check_email(" Ana@Example.org ")
'ana@example.org'
>>> check_password("   ")
Traceback (most recent call last):
...
collabgraph.access.roles.AccessError: the password is empty or only spaces: choose a real one
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import secrets
import threading
import time
from collections.abc import Iterable
from typing import Any, Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, Field

from collabgraph.access.roles import AccessError, Principal, Role
from collabgraph.store.base import Store

__all__ = [
    "MIN_PASSWORD",
    "TOKEN_CACHE_SECONDS",
    "Account",
    "Accounts",
    "check_email",
    "check_password",
    "now_iso",
]

#: Shortest password accepted.
MIN_PASSWORD: Final = 10
#: How long a verified bearer token is remembered in memory.
TOKEN_CACHE_SECONDS: Final = 60.0

_EMAIL: Final = re.compile(r"^[^@\s;]{1,100}@[^@\s;]{1,200}$")
_hasher = PasswordHasher()


@functools.cache
def _dummy() -> str:
    """A hash to verify against when the account does not exist, so timing tells nothing.

    Made on the first check of a password, not at import: an argon2 hash costs
    about 0.2 s, which every ``collabgraph`` command paid at start-up.
    """
    return _hasher.hash("collabgraph: no such account")


# Verified tokens, process-wide: SHA-256 of the token -> (e-mail, good until).
_VERIFIED: dict[str, tuple[str, float]] = {}
_VERIFIED_LOCK = threading.Lock()


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds (sorts as text)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def check_email(email: str) -> str:
    """An e-mail address, trimmed and lower-cased; :class:`AccessError` when it is not one."""
    value = email.strip().lower()
    if not _EMAIL.fullmatch(value):
        raise AccessError(f"{email!r} is not an e-mail address (name@example.org)")
    return value


def check_password(password: str) -> str:
    """The password unchanged, when it is acceptable."""
    if not password.strip():
        raise AccessError("the password is empty or only spaces: choose a real one")
    if len(password) < MIN_PASSWORD:
        raise AccessError(f"the password is too short: use at least {MIN_PASSWORD} characters")
    if len(password) > 1024:
        raise AccessError("the password is too long: at most 1024 characters")
    return password


class Account(BaseModel):
    """One account as listed (never with its hash)."""

    email: str
    role: Role
    districts: list[str] = Field(default_factory=list)
    created: str | None = None
    structure: list[str] = Field(
        default_factory=list,
        description="A partner's districts where it may change teams, meetings, counterparts.",
    )

    def principal(self, via: str, session: str = "") -> Principal:
        """The principal of a request made with this account."""
        return Principal(
            email=self.email,
            role=self.role,
            districts=frozenset(self.districts),
            via=via,
            session=session,
            structure=frozenset(self.structure),
        )


def _account(row: dict[str, Any]) -> Account:
    return Account(
        email=str(row["email"]),
        role=Role(str(row["role"])),
        districts=[str(d) for d in row.get("districts") or []],
        created=row.get("created"),
        structure=[str(d) for d in row.get("structure") or []],
    )


class Accounts:
    """The accounts of one store.

    Parameters
    ----------
    store
        The graph store holding the accounts.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._tokens = _VERIFIED
        self._lock = _VERIFIED_LOCK

    # -- reading ------------------------------------------------------------

    def list(self) -> list[Account]:
        """Every account, by e-mail address."""
        return [_account(r) for r in self.store.run_system("list_accounts")]

    def any(self) -> bool:
        """Whether at least one account exists."""
        return bool(self.store.run_system("list_accounts"))

    def get(self, email: str) -> Account | None:
        """One account, or ``None``."""
        rows = self.store.run_system("find_account", {"email": email.strip().lower()})
        return _account(rows[0]) if rows else None

    # -- changing -----------------------------------------------------------

    def add(
        self, email: str, role: Role | str, password: str, districts: Iterable[str] = ()
    ) -> Account:
        """Create an account (or give an existing one a new role, districts and password).

        Raises
        ------
        AccessError
            A bad e-mail address, password or role, or a non-admin role without districts.
        """
        address = check_email(email)
        try:
            kind = Role(role)
        except ValueError:
            choices = ", ".join(r.value for r in Role)
            raise AccessError(f"unknown role {role!r}: use one of {choices}") from None
        places = sorted({d.strip() for d in districts if d.strip()})
        if kind is not Role.ADMIN and not places:
            raise AccessError(f"a {kind.value} account needs at least one --district")
        if kind is Role.ADMIN:
            places = []
        digest = _hasher.hash(check_password(password))
        self.store.run_system(
            "merge_account",
            {
                "email": address,
                "role": kind.value,
                "districts": places,
                "password_hash": digest,
                "now": now_iso(),
            },
            write=True,
        )
        self.end_sessions(address)
        return Account(email=address, role=kind, districts=places)

    def _require(self, email: str) -> dict[str, Any]:
        rows = self.store.run_system("find_account", {"email": email.strip().lower()})
        if not rows:
            raise AccessError(f"no account {email!r}; see 'collabgraph users list'")
        return rows[0]

    def set_password(self, email: str, password: str) -> None:
        """Give an account a new password; its dashboard sessions end."""
        row = self._require(email)
        self.store.run_system(
            "merge_account",
            {
                "email": row["email"],
                "role": row["role"],
                "districts": list(row.get("districts") or []),
                "password_hash": _hasher.hash(check_password(password)),
                "now": now_iso(),
            },
            write=True,
        )
        self.end_sessions(str(row["email"]))

    def grant_structure(self, email: str, district: str, *, granted: bool = True) -> Account:
        """Let a partner account change the joint structure rows of one of its districts
        (teams, standing meetings, counterparts), or take that back.

        Raises
        ------
        AccessError
            No such account, not a partner, or not an account of that district.
        """
        row = self._require(email)
        account = _account(row)
        if account.role is not Role.PARTNER:
            raise AccessError(
                f"{account.email} is a {account.role.value} account: only partner accounts "
                "are granted the joint structure (the others have it or never will)"
            )
        if district not in account.districts:
            raise AccessError(f"{account.email} is not an account of district {district!r}")
        places = set(account.structure)
        if granted:
            places.add(district)
        else:
            places.discard(district)
        self.store.run_system(
            "merge_account_structure",
            {"email": account.email, "structure": sorted(places), "now": now_iso()},
            write=True,
        )
        return account.model_copy(update={"structure": sorted(places)})

    def remove(self, email: str) -> None:
        """Remove an account, its API tokens and its sessions."""
        row = self._require(email)
        address = str(row["email"])
        self.store.run_system("delete_account_tokens", {"email": address}, write=True)
        self.end_sessions(address)
        self.store.run_system("delete_account", {"email": address}, write=True)
        with self._lock:
            self._tokens.clear()

    def end_sessions(self, email: str) -> None:
        """End every dashboard session of an account."""
        self.store.run_system("delete_account_sessions", {"email": email}, write=True)

    # -- checking -----------------------------------------------------------

    def verify(self, email: str, password: str) -> Account | None:
        """The account when the password is right, else ``None`` (same cost either way)."""
        dummy = _dummy()  # made (once) whether or not the account exists: same cost
        rows = self.store.run_system("find_account", {"email": email.strip().lower()})
        digest = str(rows[0]["password_hash"]) if rows else dummy
        try:
            _hasher.verify(digest, password)
        except (VerificationError, InvalidHashError):
            return None
        return _account(rows[0]) if rows else None

    def new_token(self, email: str) -> str:
        """A new API token for an account: returned once, stored only as a hash."""
        row = self._require(email)
        ident = secrets.token_hex(8)
        secret = secrets.token_urlsafe(32)
        self.store.run_system(
            "create_token",
            {"id": ident, "email": row["email"], "hash": _hasher.hash(secret), "now": now_iso()},
            write=True,
        )
        return f"cgt_{ident}_{secret}"

    def check_token(self, token: str) -> Account | None:
        """The account an API token belongs to, or ``None``."""
        token = token.strip()
        parts = token.split("_", 2)
        if len(parts) != 3 or parts[0] != "cgt" or not parts[1] or not parts[2]:
            return None
        seen = hashlib.sha256(f"{id(self.store)}:{token}".encode()).hexdigest()
        with self._lock:
            cached = self._tokens.get(seen)
        email: str | None = None
        if cached is not None and cached[1] > time.monotonic():
            email = cached[0]
        else:
            rows = self.store.run_system("find_token", {"id": parts[1]})
            if not rows:
                return None
            try:
                _hasher.verify(str(rows[0]["hash"]), parts[2])
            except (VerificationError, InvalidHashError):
                return None
            email = str(rows[0]["email"])
        account = self.get(email)
        if account is None:
            return None
        with self._lock:
            if len(self._tokens) > 10_000:
                self._tokens.clear()
            self._tokens[seen] = (email, time.monotonic() + TOKEN_CACHE_SECONDS)
        return account
