"""The tier the stored statistics show, in SQL: the people list's and the insights' tier is
the one ``why`` and the plan give (a tie lopsided in personal contact is occasional at most,
however busy its group mail)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from rekindle.engine.tiers import PEAK_FOR, TIERS, tier_for
from rekindle.history.ties import compute_tie
from rekindle.services.importing import import_items
from rekindle.store import Store
from rekindle.store import insights as iq
from rekindle.store import ties as tq
from rekindle.store.mail import email_map
from rekindle.store.schema_history import tie_stats
from tests.test_importing import contact

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def test_tiers_in_sql_count_personal_contact(store: Store) -> None:
    import_items(
        store,
        [
            contact(1, "Keith Holst", "keith@x.com"),
            contact(2, "Ann Even", "ann@x.com"),
            contact(3, "Old Stats", "old@x.com"),
        ],
        "t",
        "test",
        now=NOW,
    )
    empty = compute_tie([], NOW)
    strong = replace(empty, peak_decayed=30.0, peak_personal=30.0, last_contact=NOW)
    with store.begin() as conn:
        emails = email_map(conn, store.owner_id)
        keith, ann, old = (emails[f"{n}@x.com"] for n in ("keith", "ann", "old"))
        stats = {
            # busy on group mail both ways; in person: you wrote 48, they answered 1
            keith: replace(strong, messages_in=60, messages_out=62, personal_in=1, personal_out=48),
            # two-way in person too
            ann: replace(strong, messages_in=30, messages_out=35, personal_in=20, personal_out=25),
            # computed before the personal counts were kept: all mail's counts stand in
            old: replace(strong, messages_in=60, messages_out=62),
        }
        tq.save_stats(conn, store.owner_id, stats, NOW)
    with store.begin() as conn:  # statistics from before migration 0020: NULL counts
        conn.execute(
            tie_stats.update()
            .where(tie_stats.c.person_id == old)
            .values(personal_in=None, personal_out=None, personal_meetings=None)
        )
    with store.read() as conn:
        tiers = iq.people_by_tier(conn, store.owner_id, PEAK_FOR, TIERS[-1])
    assert tier_for(30.0, 1, 48) == "occasional" and tier_for(30.0, 20, 25) == "close"
    assert tiers.get("occasional") == 1  # Keith, as the plan and why call him
    assert tiers.get("close") == 2  # Ann, and the old statistics as they were read before
