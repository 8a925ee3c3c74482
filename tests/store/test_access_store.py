"""Accounts, tokens, sessions and the audit log on every adapter, outside every district."""

from __future__ import annotations

import uuid

import pytest

from collabgraph.access import AccessError, Accounts, Audit, Role, Sessions
from collabgraph.store.base import Store

PASSWORD = "correct horse battery"


def test_accounts_live_outside_every_district(store: Store) -> None:
    email = f"u-{uuid.uuid4().hex[:8]}@example.org"
    accounts = Accounts(store)
    before = store.list_districts()
    account = accounts.add(email, "partner", PASSWORD, ["d1", "d2"])
    assert account.role is Role.PARTNER and account.districts == ["d1", "d2"]
    assert store.list_districts() == before  # no district appeared
    assert accounts.get(email) == accounts.get(email.upper())
    assert accounts.verify(email, PASSWORD) is not None
    assert accounts.verify(email, "wrong password") is None
    token = accounts.new_token(email)
    assert token.startswith("cgt_")
    found = accounts.check_token(token)
    assert found is not None and found.email == email
    assert accounts.check_token(token[:-1] + "x") is None
    # The store holds hashes only: neither the password nor the token's secret.
    rows = store.run_system("find_account", {"email": email})
    assert PASSWORD not in str(rows) and rows[0]["password_hash"].startswith("$argon2id$")
    sessions = Sessions(store)
    cookie = sessions.start(email)
    assert sessions.email_of(cookie) == email
    assert cookie not in str(store.run_system("list_accounts"))
    sessions.end(cookie)
    assert sessions.email_of(cookie) is None
    accounts.remove(email)
    assert accounts.get(email) is None
    assert accounts.check_token(token) is None


def test_bad_accounts_are_refused_with_a_reason(store: Store) -> None:
    accounts = Accounts(store)
    with pytest.raises(AccessError, match="empty or only spaces"):
        accounts.add("a@example.org", "admin", "   \t  ")
    with pytest.raises(AccessError, match="too short"):
        accounts.add("a@example.org", "admin", "short")
    with pytest.raises(AccessError, match="not an e-mail address"):
        accounts.add("nobody", "admin", PASSWORD)
    with pytest.raises(AccessError, match="unknown role 'boss'"):
        accounts.add("a@example.org", "boss", PASSWORD)
    with pytest.raises(AccessError, match="needs at least one --district"):
        accounts.add("a@example.org", "researcher", PASSWORD)
    with pytest.raises(AccessError, match="no account"):
        accounts.set_password("ghost@example.org", PASSWORD)


def test_the_audit_log_filters_by_district_and_time(store: Store) -> None:
    district = f"d-{uuid.uuid4().hex[:8]}"
    audit = Audit(store)
    audit.record(who="a@example.org", role="admin", operation="write", district=district)
    audit.record(who="b@example.org", role="partner", operation="query", district=district)
    mine = audit.entries(district=district)
    assert [(e.who, e.operation) for e in mine] == [
        ("a@example.org", "write"),
        ("b@example.org", "query"),
    ]
    assert audit.entries(district=district, since="2999-01-01") == []


def test_the_audit_log_keeps_the_newest_entries_when_it_is_cut(store: Store) -> None:
    district = f"d-{uuid.uuid4().hex[:8]}"
    audit = Audit(store)
    for n in range(5):
        audit.record(who=f"p{n}@example.org", role="admin", operation="write", district=district)
    latest = audit.entries(district=district, limit=2)
    assert [e.who for e in latest] == ["p3@example.org", "p4@example.org"]
    assert len(audit.entries(district=district)) == 5
    with pytest.raises(AccessError, match="is not a date"):
        audit.entries(since="last week")


def test_sign_in_failures_are_counted_in_the_store_for_every_process(store: Store) -> None:
    from collabgraph.access import Throttle

    secret = uuid.uuid4().bytes
    account = f"t-{uuid.uuid4().hex[:8]}@example.org"
    one, two = Throttle(store, secret, limit=2), Throttle(store, secret, limit=2)
    assert one.blocked(account, "10.0.0.1", now=1_000.0) == 0.0
    one.failed(account, "10.0.0.1", now=1_000.0)
    two.failed(account, "10.0.0.2", now=1_010.0)  # another process, another address
    # the account is locked from anywhere until the first failure leaves the window
    assert one.blocked(account, "10.0.0.3", now=1_020.0) == pytest.approx(880.0)
    assert two.blocked(account, "10.0.0.3", now=1_900.5) == 0.0
    # an address is locked after address_limit (4 x limit) failures, whatever the account
    for n in range(8):
        one.failed(f"other-{n}-{account}", "10.9.9.9", now=2_000.0 + n)
    assert two.blocked(f"new-{account}", "10.9.9.9", now=2_010.0) > 0
    assert two.blocked(f"new-{account}", "10.9.9.8", now=2_010.0) == 0.0
    # a right password forgets the account's failures
    one.failed(account, "10.0.0.1", now=3_000.0)
    one.failed(account, "10.0.0.1", now=3_001.0)
    assert one.blocked(account, "10.0.0.4", now=3_002.0) > 0
    two.succeeded(account)
    assert one.blocked(account, "10.0.0.4", now=3_002.0) == 0.0
    # the store holds HMACs only, and old failures are removed when one is recorded
    rows = store.run_system("count_sign_in_failures", {"keys": [account], "since": 0.0})
    assert rows == []
    one.failed(account, "10.0.0.1", now=10_000.0)
    left = store.run_system(
        "count_sign_in_failures",
        {"keys": [one._key("a", account), one._key("i", "10.9.9.9")], "since": 0.0},
    )
    assert [(r["n"]) for r in left] == [1]
