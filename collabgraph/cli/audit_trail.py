"""The audit entries of commands run at the command line.

The CLI acts on the store as its operator (whoever runs it can already read the
data folder), so its entries name the operating-system login, ``cli:<login>``,
with the role ``admin``. Like the API's entries they say what kind of
operation ran on which district, never the values.
"""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collabgraph.store import Store

__all__ = ["operator", "record"]


def operator() -> str:
    """Who runs this command, as the audit log names them.

    >>> operator().startswith("cli")
    True
    """
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def record(
    store: Store,
    operation: str,
    district: str | None = None,
    *,
    subject: str | None = None,
) -> None:
    """Append the entry for one command.

    Parameters
    ----------
    store
        The store the command used (the entry goes to its audit log).
    operation
        The kind of operation and the command, e.g. ``"write: cli load"``,
        ``"export: cli export"``, ``"query: cli query"``, ``"users: add"``.
    district
        The district it concerned, if any.
    subject
        The pseudonym of the person it concerned, if any (never a name).
    """
    from collabgraph.access import Audit  # not loaded by commands that write no entry

    Audit(store).record(
        who=operator(),
        role="admin",
        operation=operation,
        district=district,
        subject=subject,
    )
