"""The history's fingerprint (what a stored fit and the week's snapshot are keyed by)
changes when an interaction is added, removed or re-dated, and only for its owner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, update

from rekindle.store import Store
from rekindle.store.database import ensure_owner
from rekindle.store.history import insert_interaction
from rekindle.store.ranker import history_fingerprint
from rekindle.store.schema import interaction

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def add(store: Store, owner: int, key: str, days_ago: int) -> int:
    with store.begin() as conn:
        return insert_interaction(
            conn, owner, source="test", natural_key=key,
            occurred_at=NOW - timedelta(days=days_ago), channel="email", direction="in",
            subject=None, thread=None, group_size=1, import_id=None, participants=(),
        )  # fmt: skip


def fingerprint(store: Store, owner: int) -> str:
    with store.read() as conn:
        return history_fingerprint(conn, owner)


def test_the_fingerprint_follows_each_change_of_its_owner_s_history(store: Store) -> None:
    me = store.owner_id
    with store.begin() as conn:
        other = ensure_owner(conn, "someone-else")
    empty = fingerprint(store, me)
    first = add(store, me, "a", 30)
    add(store, me, "b", 20)
    two = fingerprint(store, me)
    assert two != empty and two.startswith("2:")
    assert fingerprint(store, me) == two  # asked again, unchanged
    add(store, other, "theirs", 10)
    assert fingerprint(store, me) == two  # another owner's mail is not my history
    assert fingerprint(store, other).startswith("1:")
    with store.begin() as conn:
        conn.execute(
            update(interaction)
            .where(interaction.c.id == first)
            .values(occurred_at=NOW - timedelta(days=400))
        )
    redated = fingerprint(store, me)
    assert redated != two
    with store.begin() as conn:
        conn.execute(delete(interaction).where(interaction.c.id == first))
    assert fingerprint(store, me) not in (two, redated)
    assert fingerprint(store, me).startswith("1:")
