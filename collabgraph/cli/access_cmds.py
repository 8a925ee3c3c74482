"""Access commands: ``users ...``, ``audit``, ``person export|erase``.

They act on the store directly, as its operator: whoever runs them can already
read the data folder. Account changes, person exports and erasures are written
to the audit log as done by ``cli:<login name>``.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.markup import escape

from collabgraph.access import (
    AccessError,
    Accounts,
    Audit,
    Role,
    erase_person,
    person_export,
    store_key,
)
from collabgraph.access.audit import MAX_ENTRIES
from collabgraph.access.person import person_subject
from collabgraph.cli.app import app, command, console, handled, print_json
from collabgraph.cli.audit_trail import operator as _operator
from collabgraph.cli.store_cmds import DistrictArg, JsonOpt, StoreOpt
from collabgraph.store import Store, StoreSettings, open_store
from collabgraph.text_tables import FittedTable

__all__ = ["audit", "person_app", "users_app"]

users_app = typer.Typer(help="Accounts: add, list, remove, set a password, make an API token.")
person_app = typer.Typer(help="A person's rights: export everything held, or erase them.")
app.add_typer(users_app, name="users")
app.add_typer(person_app, name="person")


def _store(store: str | None) -> Store:
    return open_store(StoreSettings.from_env(store))


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise AccessError(
            "no terminal to ask for the password on: pass --password-stdin and send it on "
            "standard input"
        )
    first = typer.prompt("Password", hide_input=True)
    second = typer.prompt("Password again", hide_input=True)
    if first != second:
        raise AccessError("the two passwords differ")
    return str(first)


PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]


@users_app.command("add")
@handled
def users_add(
    email: Annotated[str, typer.Argument(help="The account's e-mail address.")],
    role: Annotated[Role, typer.Option("--role", help="admin, association, partner or researcher")],
    district: Annotated[
        list[str] | None,
        typer.Option("--district", help="A district the role applies to (repeat for more)."),
    ] = None,
    password_stdin: PasswordStdin = False,
    store: StoreOpt = None,
) -> None:
    """Create an account (or change an existing one's role, districts and password)."""
    password = _password(password_stdin)
    opened = _store(store)
    account = Accounts(opened).add(email, role, password, district or [])
    Audit(opened).record(who=_operator(), role="admin", operation="users: add")
    where = ", ".join(account.districts) if account.districts else "every district"
    console.print(f"account {escape(account.email)}: {account.role.value} of {escape(where)}")


@users_app.command("list")
@handled
def users_list(as_json: JsonOpt = False, store: StoreOpt = None) -> None:
    """Every account with its role and districts."""
    accounts = Accounts(_store(store)).list()
    if as_json:
        print_json([a.model_dump(mode="json") for a in accounts])
        return
    if not accounts:
        console.print("no accounts yet: 'collabgraph serve' prints a one-time sign-in link")
        return
    table = FittedTable("e-mail", "role", "districts", "created")
    for a in accounts:
        table.add_row(a.email, a.role.value, ", ".join(a.districts) or "all", a.created or "")
    console.print(table)


@users_app.command("remove")
@handled
def users_remove(email: str, store: StoreOpt = None) -> None:
    """Remove an account, its API tokens and its sessions."""
    opened = _store(store)
    Accounts(opened).remove(email)
    Audit(opened).record(who=_operator(), role="admin", operation="users: remove")
    console.print(f"removed {escape(email)}")


@users_app.command("password")
@handled
def users_password(
    email: str, password_stdin: PasswordStdin = False, store: StoreOpt = None
) -> None:
    """Set an account's password (its dashboard sessions end)."""
    password = _password(password_stdin)
    opened = _store(store)
    Accounts(opened).set_password(email, password)
    Audit(opened).record(who=_operator(), role="admin", operation="users: password")
    console.print(f"new password set for {escape(email)}")


@users_app.command("grant")
@handled
def users_grant(
    email: str,
    district: Annotated[str, typer.Option("--district", help="The district.")],
    revoke: Annotated[bool, typer.Option("--revoke", help="Take the grant back.")] = False,
    store: StoreOpt = None,
) -> None:
    """Let a partner account change a district's teams, meetings and counterparts."""
    opened = _store(store)
    account = Accounts(opened).grant_structure(email, district, granted=not revoke)
    Audit(opened).record(who=_operator(), role="admin", operation="users: grant", district=district)
    where = ", ".join(account.structure) or "no district"
    console.print(f"{escape(account.email)} may change the joint structure of: {escape(where)}")


@users_app.command("token")
@handled
def users_token(email: str, store: StoreOpt = None) -> None:
    """Print a new API token for an account, alone on standard output, once."""
    opened = _store(store)
    token = Accounts(opened).new_token(email)
    Audit(opened).record(who=_operator(), role="admin", operation="users: token")
    sys.stdout.write(token + "\n")


@command("audit")
def audit(
    district: Annotated[str | None, typer.Option("--district", help="Only this district.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only entries from this date (YYYY-MM-DD).")
    ] = None,
    limit: Annotated[
        int,
        typer.Option("--limit", min=1, max=MAX_ENTRIES, help="Only the newest N entries."),
    ] = MAX_ENTRIES,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """The audit log: who did what, when, in which district (never the values), oldest
    first; with ``--limit N`` only the newest N."""
    entries = Audit(_store(store)).entries(district=district, since=since, limit=limit)
    if as_json:
        print_json([e.model_dump(mode="json") for e in entries])
        return
    table = FittedTable("when (UTC)", "who", "role", "operation", "district", "status")
    for e in entries:
        table.add_row(e.at, e.who, e.role, e.operation, e.district or "", e.status)
    console.print(table)


@person_app.command("export")
@handled
def person_export_cmd(
    district: DistrictArg,
    person: Annotated[str, typer.Argument(help="The person's id.")],
    store: StoreOpt = None,
) -> None:
    """Everything the district holds about one person, as JSON on standard output."""
    opened = _store(store)
    key = store_key(opened)
    found = person_export(opened, district, person, key)
    Audit(opened).record(
        who=_operator(),
        role="admin",
        operation="person-export",
        district=district,
        subject=person_subject(key, district, person),
    )
    print_json(found.model_dump(mode="json"))


@person_app.command("erase")
@handled
def person_erase_cmd(
    district: DistrictArg,
    person: Annotated[str, typer.Argument(help="The person's id.")],
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """Erase one person from a district, and from the store's data files."""
    opened = _store(store)
    key = store_key(opened)
    report = erase_person(opened, district, person)
    Audit(opened).record(
        who=_operator(),
        role="admin",
        operation="erase",
        district=district,
        subject=person_subject(key, district, person),
    )
    if as_json:
        print_json(report.model_dump(mode="json"))
        return
    console.print(
        f"erased {escape(person)} from {escape(district)}: {report.memberships} memberships, "
        f"{report.ties} ties, {report.positions_vacated} positions vacated"
        + ("; the data files were rewritten" if report.files_rewritten else "")
    )
