"""Team accounts, sessions, feed tokens and the login throttle, on real stores."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from rekindle.errors import NotFoundError, UserError
from rekindle.services import accounts
from rekindle.services.importing import import_path
from rekindle.store import Store
from rekindle.store.schema import owner, person
from rekindle.store.schema_team import web_session
from rekindle.web.login_throttle import LoginThrottle
from tests.conftest import FIXTURES

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


def test_a_new_account_signs_in_with_its_password_only(store: Store) -> None:
    alice = accounts.add_user(store, "Alice", PASSWORD, display_name="Alice A.", admin=True)
    assert (alice.username, alice.display_name, alice.is_admin) == ("alice", "Alice A.", True)
    assert accounts.authenticate(store, "alice", PASSWORD) == alice
    assert accounts.authenticate(store, "ALICE ", PASSWORD) == alice
    assert accounts.authenticate(store, "alice", PASSWORD + "!") is None
    assert accounts.authenticate(store, "nobody", PASSWORD) is None
    # the local owner has no password: nobody signs in as it
    assert accounts.authenticate(store, "local", "") is None
    with store.read() as conn:
        stored = conn.execute(select(owner.c.password_hash).where(owner.c.id == alice.owner_id))
        hashed = stored.scalar()
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed


def test_bad_usernames_and_passwords_are_refused(store: Store) -> None:
    with pytest.raises(UserError, match="too short"):
        accounts.add_user(store, "bob", "short")
    with pytest.raises(UserError, match="not a usable username"):
        accounts.add_user(store, "bob smith", PASSWORD)
    with pytest.raises(UserError, match="not a usable username"):
        accounts.add_user(store, "-bob", PASSWORD)
    accounts.add_user(store, "bob", PASSWORD)
    with pytest.raises(UserError, match="already an account"):
        accounts.add_user(store, "Bob", PASSWORD)
    with pytest.raises(NotFoundError):
        accounts.set_password(store, "carol", PASSWORD)


def test_a_session_lives_until_it_expires_or_is_ended(store: Store) -> None:
    bob = accounts.add_user(store, "bob", PASSWORD)
    token = accounts.start_session(store, bob.owner_id, NOW)
    signed = accounts.session(store, token, NOW + timedelta(hours=1))
    assert signed is not None and signed.account.owner_id == bob.owner_id
    assert len(signed.csrf_token) >= 32
    with store.read() as conn:
        [kept] = conn.execute(select(web_session.c.token_hash)).scalars()
    assert kept == accounts.token_hash(token) and token not in kept
    assert accounts.session(store, token + "x", NOW) is None
    assert accounts.session(store, token, NOW + timedelta(days=accounts.SESSION_DAYS + 1)) is None
    # the expiry slides: used on day 10, it still works on day 20
    assert accounts.session(store, token, NOW + timedelta(days=10)) is not None
    assert accounts.session(store, token, NOW + timedelta(days=20)) is not None
    accounts.end_session(store, token)
    assert accounts.session(store, token, NOW + timedelta(days=20)) is None


def test_a_new_password_ends_every_session(store: Store) -> None:
    bob = accounts.add_user(store, "bob", PASSWORD)
    first = accounts.start_session(store, bob.owner_id, NOW)
    second = accounts.start_session(store, bob.owner_id, NOW)
    accounts.set_password(store, "bob", "another long password")
    assert accounts.session(store, first, NOW) is None
    assert accounts.session(store, second, NOW) is None
    assert accounts.authenticate(store, "bob", PASSWORD) is None
    assert accounts.authenticate(store, "bob", "another long password") is not None


def test_the_feed_token_names_its_owner_and_a_new_one_replaces_it(store: Store) -> None:
    bob = accounts.add_user(store, "bob", PASSWORD)
    bob_store = replace(store, owner_id=bob.owner_id)
    old = accounts.new_feed_token(bob_store)
    assert accounts.owner_for_feed(store, old) == bob.owner_id
    new = accounts.new_feed_token(bob_store)
    assert accounts.owner_for_feed(store, new) == bob.owner_id
    assert accounts.owner_for_feed(store, old) is None
    assert accounts.owner_for_feed(store, "") is None


def test_removing_an_account_removes_its_data_and_nobody_elses(store: Store) -> None:
    bob = accounts.add_user(store, "bob", PASSWORD)
    bob_store = replace(store, owner_id=bob.owner_id)
    card = FIXTURES / "vcard" / "apple-item-labels.vcf"
    import_path(bob_store, card, now=NOW)
    import_path(store, card, now=NOW)
    listed = {a.username: n for a, n in accounts.list_users(store)}
    assert listed["bob"] == listed["local"] > 0
    accounts.remove_user(store, "bob")

    def people_of(owner_id: int) -> int:
        with store.read() as conn:
            rows = conn.execute(select(person.c.id).where(person.c.owner_id == owner_id))
            return len(rows.all())

    assert people_of(bob.owner_id) == 0
    assert people_of(store.owner_id) > 0
    assert "bob" not in {a.username for a, _ in accounts.list_users(store)}


def test_the_throttle_stops_a_key_after_five_failures_for_the_window() -> None:
    throttle = LoginThrottle(max_failures=5, window_s=900)
    for i in range(5):
        assert throttle.retry_after(["bob"], i) == 0
        throttle.failed(["bob"], i)
    assert throttle.retry_after(["bob"], 5) == pytest.approx(895)
    assert throttle.retry_after(["alice"], 5) == 0  # each key on its own
    assert throttle.retry_after(["bob"], 901) == 0  # the first failure left the window
    throttle.failed(["alice"], 10)
    throttle.succeeded("alice")
    assert throttle.retry_after(["alice"], 10) == 0


def test_the_throttle_forgets_the_oldest_keys_beyond_its_size() -> None:
    throttle = LoginThrottle(max_failures=1, window_s=900, max_keys=3)
    for key in "abcd":
        throttle.failed([key], 0)
    assert throttle.retry_after(["a"], 1) == 0  # dropped
    assert all(throttle.retry_after([k], 1) > 0 for k in "bcd")
