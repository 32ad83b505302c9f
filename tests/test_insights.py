"""The store's reading of settled outreach: the last word before each message is one subquery
that the Insights page and the reply learning both read."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from rekindle.services import outreach as log
from rekindle.store import Store
from rekindle.store import insights as iq
from rekindle.store.reply_outcomes import settled_messages
from tests.test_plan import NOW
from tests.test_reply_counting import inbound
from tests.test_reply_learning_service import WRITTEN, with_phones

AT = NOW - timedelta(days=20)


def test_the_last_word_before_each_settled_message(store: Store) -> None:
    with_phones(store)
    heard, silent, fresh = (
        log.log_outreach(store, n, "email", at=at, force=True, now=NOW)
        for n, at in zip(WRITTEN[:3], (AT, AT, NOW - timedelta(days=1)), strict=True)
    )
    inbound(store, heard.person_id, AT - timedelta(days=30), "old")
    inbound(store, heard.person_id, AT - timedelta(days=9), "last")
    inbound(store, heard.person_id, AT + timedelta(days=1), "after")  # after it: not before
    inbound(store, fresh.person_id, AT - timedelta(days=9), "fresh")
    log.mark(store, heard.id, "replied", at=AT + timedelta(days=1))
    since = NOW - timedelta(days=14)  # a week-old message is still in its reply window

    with store.read() as conn:
        last = iq.last_word_before(store.owner_id, since)
        found = dict(conn.execute(select(last.c.oid, last.c.at)).all())
        silences = iq.messages_with_silence(conn, store.owner_id, since)
        learnt = settled_messages(conn, store.owner_id, since, [("close", 1.0)], "dormant")

    # the newest inbound before the message; none before the other; the one still waiting
    # for its reply is not settled
    assert {k: v.replace(tzinfo=None) for k, v in found.items()} == {
        heard.id: (AT - timedelta(days=9)).replace(tzinfo=None)
    }
    assert sorted((b is None, r) for _, b, r in silences) == [(False, True), (True, False)]
    assert sorted((b is None, r) for *_, b, r, _ in learnt) == [(False, True), (True, False)]
    assert silent.id not in found and fresh.id not in found
