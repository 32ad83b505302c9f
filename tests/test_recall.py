"""What a draft may recall: the newest personal exchange with a subject that says something,
found by walking the person's links newest first (not by sorting all of them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event

from rekindle.history.ties import GROUP_THRESHOLD
from rekindle.store import Store
from rekindle.store.history import insert_interaction
from rekindle.store.people import insert_person
from rekindle.store.recall import LOG_SOURCE, LOOK_BACK, last_subject

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def _add(
    store: Store,
    pid: int,
    key: str,
    days_ago: float,
    subject: str | None,
    *,
    source: str = "mbox",
    direction: str = "in",
    group_size: int = 1,
    also: tuple[tuple[int, str, str], ...] = (),
) -> None:
    with store.begin() as conn:
        insert_interaction(
            conn, store.owner_id, source=source, natural_key=key,
            occurred_at=NOW - timedelta(days=days_ago), channel="email", direction=direction,
            subject=subject, thread=None, group_size=group_size, import_id=None,
            participants=[(pid, "email", "ana@example.org"), *also],
        )  # fmt: skip


def test_the_newest_exchange_that_says_something(store: Store) -> None:
    with store.begin() as conn:
        ana = insert_person(conn, store.owner_id, "Ana", "Ana", NOW)
        bob = insert_person(conn, store.owner_id, "Bob", "Bob", NOW)
    for k in range(LOOK_BACK + 20):  # a long history before it
        _add(store, ana, f"old-{k}", 400 + k, f"Quarterly numbers {k}")
    _add(store, ana, "wanted", 30, "Re: Lunch in Lisbon?", direction="out")
    _add(store, ana, "blank", 20, "Re: ")  # nothing once the prefix is gone
    _add(store, ana, "empty", 15, "   ")
    _add(store, ana, "none", 12, None)
    _add(store, ana, "logged", 10, "Checking in", source=LOG_SOURCE)  # ours, not shared
    _add(store, ana, "crowd", 5, "All hands", group_size=GROUP_THRESHOLD + 1)
    # one interaction on which Ana is twice (two of her addresses), the newest of all
    _add(store, ana, "twice", 2, "Fwd:", also=((ana, "email", "ana@work.example"),))
    _add(store, bob, "bobs", 1, "Only Bob's")
    with store.read() as conn:
        found = last_subject(conn, ana)
        assert found is not None and found.subject == "Re: Lunch in Lisbon?"
        assert found.direction == "out" and found.occurred_at == NOW - timedelta(days=30)
        assert last_subject(conn, bob).subject == "Only Bob's"
        assert last_subject(conn, 999_999) is None


def test_it_walks_the_person_s_links_newest_first_on_sqlite(sqlite_store: Store) -> None:
    """SQLite reads the person's links along their time index and stops at the limit: no
    sort of every link (a tie with thousands of interactions cost 37 ms a pick)."""
    store = sqlite_store
    with store.begin() as conn:
        ana = insert_person(conn, store.owner_id, "Ana", "Ana", NOW)
    for k in range(5):
        _add(store, ana, f"k{k}", k, f"Subject {k}")
    with store.read() as conn:
        seen: list[tuple[str, Any]] = []
        event.listen(conn, "before_cursor_execute", lambda *a: seen.append((a[2], a[3])))
        assert last_subject(conn, ana).subject == "Subject 0"
        statement, params = seen[-1]
        plan = " ".join(
            str(r[-1]) for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
        )
    assert "ix_interaction_person_time" in plan, plan
    assert "TEMP B-TREE" not in plan, plan
