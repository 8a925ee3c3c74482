"""Who may see and change what: accounts, roles, sessions, audit, pseudonyms, erasure.

The capability behind ``docs/access.md``. Accounts, API tokens, dashboard
sessions and the audit log live in the graph store outside every district
(:meth:`~collabgraph.store.base.Store.run_system`), so one backup covers them.

* :mod:`.roles` -- the four roles and the signed-in :class:`Principal`;
* :mod:`.accounts` -- accounts and API tokens, argon2-hashed;
* :mod:`.sessions` -- dashboard sessions and their CSRF tokens;
* :mod:`.throttle` -- sign-in throttling;
* :mod:`.audit` -- the audit log;
* :mod:`.keys` -- the per-install secret;
* :mod:`.pseudonym` -- pseudonyms and the de-identified projection;
* :mod:`.aggregate` -- the partner's aggregate network figures;
* :mod:`.research` -- the projection researchers' queries run on;
* :mod:`.person` -- a person's export and erasure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from collabgraph.access.accounts import Account, Accounts, check_email, check_password
from collabgraph.access.aggregate import DEFAULT_MIN_GROUP, NetworkAggregate, network_aggregate
from collabgraph.access.audit import Audit, AuditEntry
from collabgraph.access.keys import install_key
from collabgraph.access.person import ErasureReport, PersonExport, erase_person, person_export
from collabgraph.access.pseudonym import deidentify_graph, pseudonym
from collabgraph.access.roles import AccessDenied, AccessError, Principal, Role
from collabgraph.access.sessions import Sessions, check_csrf, csrf_token
from collabgraph.access.throttle import Throttle
from collabgraph.store.base import Store

__all__ = [
    "DEFAULT_MIN_GROUP",
    "AccessDenied",
    "AccessError",
    "Account",
    "Accounts",
    "Audit",
    "AuditEntry",
    "ErasureReport",
    "NetworkAggregate",
    "PersonExport",
    "Principal",
    "Role",
    "Sessions",
    "Throttle",
    "check_csrf",
    "check_email",
    "check_password",
    "csrf_token",
    "data_dir_of",
    "deidentify_graph",
    "erase_person",
    "install_key",
    "network_aggregate",
    "person_export",
    "pseudonym",
    "store_key",
]


def data_dir_of(store: Store) -> Path:
    """The data folder of a store: the embedded server's, else the user's data folder."""
    inner: Any = getattr(store, "inner", store)
    server = getattr(inner, "server", None)
    if server is not None:
        return Path(server.data_dir)
    from collabgraph.store.embedded import default_data_dir

    return default_data_dir()


def store_key(store: Store) -> bytes:
    """The install secret kept beside a store's data."""
    return install_key(data_dir_of(store))
