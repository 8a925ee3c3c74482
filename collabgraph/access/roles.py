"""Roles, the signed-in principal, and what each role may do in a district.

The roles are those of ``docs/access.md`` (design §8): an **admin** sees and
changes everything; an **association** account sees everything of its
districts, names included, and changes their workbooks; a **partner** (the
district side) sees structure, gaps, counterparts and worksheets, and network
figures only as aggregates; a **researcher** sees pseudonymized ids and
aggregates and runs read-only queries over a de-identified projection.

Examples
--------
>>> p = Principal(email="ana@example.org", role=Role.PARTNER, districts=frozenset({"d"}))
>>> p.may_see("d"), p.may_see("e"), p.sees_people("d")
(True, False, False)
>>> Principal(email="root", role=Role.ADMIN).may_see("anything")
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from collabgraph.errors import CollabGraphError

__all__ = ["AccessDenied", "AccessError", "Principal", "Role"]


class AccessError(CollabGraphError):
    """A bad account operation: unknown account, blank password, bad role or e-mail."""


class AccessDenied(CollabGraphError):
    """The signed-in account may not do this (answered 403, or 404 for a hidden district)."""


class Role(StrEnum):
    """What an account is (see ``docs/access.md``)."""

    ADMIN = "admin"
    ASSOCIATION = "association"
    PARTNER = "partner"
    RESEARCHER = "researcher"


@dataclass(frozen=True)
class Principal:
    """Who is making a request.

    Attributes
    ----------
    email
        The account's e-mail address (``"api-token"`` for the install-wide token).
    role
        The account's role.
    districts
        The districts the role applies to (an admin has every district).
    via
        ``"session"`` (dashboard cookie), ``"token"`` (bearer) or ``"setup"``.
    session
        The session's cookie value, for the CSRF token (session sign-ins only).
    structure
        For a partner: the districts where the association lets it change the joint
        structure rows (teams, standing meetings, counterparts).
    """

    email: str
    role: Role
    districts: frozenset[str] = field(default_factory=frozenset)
    via: str = "token"
    session: str = ""
    structure: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        """An admin of the whole install."""
        return self.role is Role.ADMIN

    def may_see(self, district: str) -> bool:
        """Whether the district exists for this principal at all."""
        return self.is_admin or district in self.districts

    def sees_people(self, district: str) -> bool:
        """Whether person-level network data (ties, isolates, brokers) is shown by name."""
        return self.may_see(district) and self.role in (Role.ADMIN, Role.ASSOCIATION)

    def may_change(self, district: str) -> bool:
        """Whether the district's workbook may be written."""
        return self.may_see(district) and self.role in (Role.ADMIN, Role.ASSOCIATION)

    def may_change_structure(self, district: str) -> bool:
        """Whether the joint structure rows (teams, meetings, counterparts) may be written.

        >>> p = Principal(email="p", role=Role.PARTNER, districts=frozenset({"d"}),
        ...               structure=frozenset({"d"}))
        >>> p.may_change_structure("d"), p.may_change("d")
        (True, False)
        """
        if self.may_change(district):
            return True
        return self.may_see(district) and self.role is Role.PARTNER and district in self.structure
