"""What counts as a reply, through the real store on SQLite and PostgreSQL: a logged call with
an outcome is one, a decline is an answer but no reply, and a message marked no-reply after a
reply was recorded is unanswered for every reader (the log, insights, the plan, `why`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from rekindle.engine import person_learning as pl
from rekindle.services import insights as insights_svc
from rekindle.services import outcomes as outcomes_svc
from rekindle.services import outreach as log
from rekindle.services import plan as plan_svc
from rekindle.services.outcome_learning import Rules, learnt_for
from rekindle.store import Store, history
from rekindle.store import outreach as oq
from rekindle.web.app import create_app
from tests.test_plan import NOW, PEOPLE
from tests.test_reply_learning_service import CALLED, WRITTEN, with_phones

AT = NOW - timedelta(days=20)


def figure(store: Store, key: str, label: str) -> str:
    found = insights_svc.insights(store, NOW)
    return next(f.text for f in found.get(key).figures if f.label == label)


def learnt_row(store: Store, dimension: str, name: str) -> tuple[int, int]:
    found = insights_svc.insights(store, NOW)
    rows = next(x for x in found.learnt if x.dimension == dimension).rows
    row = next(r for r in rows if r.name == name)
    return row.replies, row.sent


def test_logged_calls_with_an_outcome_count_as_replies(store: Store) -> None:
    with_phones(store)
    calls = [log.log_outreach(store, n, "call", at=AT, force=True, now=NOW) for n in CALLED]
    log.mark(store, calls[0].id, "replied", at=AT + timedelta(hours=1))
    log.mark(store, calls[1].id, "replied", at=AT + timedelta(hours=1))
    outcomes_svc.record_outcome(store, calls[2].id, "call", at=AT, now=NOW)
    outcomes_svc.record_outcome(store, calls[3].id, "meeting", at=AT, now=NOW)
    # a call logged with no outcome says nothing either way: not counted
    log.log_outreach(store, WRITTEN[0], "call", at=AT, force=True, now=NOW)
    for name in WRITTEN[1:]:
        log.log_outreach(store, name, "email", at=AT, force=True, now=NOW)

    assert figure(store, "by_medium", "call") == "100% (4 of 4)"
    assert learnt_row(store, "medium", "call") == (4, 4)
    plan = plan_svc.weekly_plan(store, NOW)
    said = [s.medium_why for s in plan.suggestions if "calls drew a reply" in s.medium_why]
    assert said and all("calls drew a reply 4 times in 4" in w for w in said), said
    # the person's cadence learns from the same call: the two agree
    with store.read() as conn:
        ends = learnt_for(conn, store.owner_id, calls[2].person_id, NOW, Rules()).ended
    assert [e.kind for e in ends] == [pl.TALKED]


def test_marking_no_reply_after_a_reply_clears_it_for_every_reader(store: Store) -> None:
    with_phones(store)
    sent = [log.log_outreach(store, n, "email", at=AT, force=True, now=NOW) for n in WRITTEN[:3]]
    for s in sent:
        log.mark(store, s.id, "replied", at=AT + timedelta(days=2))
    outcomes_svc.record_outcome(store, sent[1].id, "call", at=AT + timedelta(days=2), now=NOW)
    assert figure(store, "by_medium", "email") == "100% (3 of 3)"

    log.mark(store, sent[0].id, "no-reply", at=AT + timedelta(days=5))
    log.mark(store, sent[1].id, "no-reply", at=AT + timedelta(days=5))
    shown = log.show(store, sent[0].id)
    assert (shown["status"], shown["replied_at"], shown["outcome"]) == (
        "no-reply",
        None,
        "no-reply",
    )
    assert log.show(store, sent[1].id)["outcome"] == "no-reply"  # the call is contradicted
    assert figure(store, "by_medium", "email") == "33% (1 of 3)"
    assert learnt_row(store, "medium", "email") == (1, 3)
    with store.read() as conn:
        for s in sent[:2]:
            learning = learnt_for(conn, store.owner_id, s.person_id, NOW, Rules())
            assert [e.kind for e in learning.ended] == [pl.UNANSWERED]
            assert "ranked up" not in learning.rank_why
        # the reply the user contradicted is not found again by the next sync
        assert sent[0].id not in dict(oq.replies_to_sent(conn, store.owner_id))


def inbound(store: Store, person_id: int, at: datetime, key: str) -> None:
    """A message from the person at ``at``, as a sync stores it."""
    with store.begin() as conn:
        history.insert_interaction(
            conn,
            store.owner_id,
            source="test",
            natural_key=key,
            occurred_at=at,
            channel="email",
            direction="in",
            subject=None,
            thread=None,
            group_size=1,
            import_id=None,
            participants=[(person_id, "test", key)],
        )


def test_your_no_reply_holds_against_the_mail_before_it(store: Store) -> None:
    """The sync marks a message replied when they wrote after it; once you marked it no-reply
    that mail is no reply, but a later one still counts (and one closed by its reply window
    takes any reply after the send, as before)."""
    with_phones(store)
    mine, windowed = (
        log.log_outreach(store, n, "email", at=AT, force=True, now=NOW) for n in WRITTEN[:2]
    )
    for s in (mine, windowed):
        inbound(store, s.person_id, AT + timedelta(days=1), f"in-{s.id}")
    with store.begin() as conn:
        assert log.note_replies(conn, store.owner_id, NOW) == 2
    log.mark(store, mine.id, "no-reply", at=AT + timedelta(days=3))
    with store.begin() as conn:  # closed by its window, as the sync does with no reply found
        oq.update_outreach(conn, store.owner_id, windowed.id, replied_at=None)
        oq.close_with_follow_ups(conn, store.owner_id, windowed.id, "no-reply", NOW)
        log.note_replies(conn, store.owner_id, NOW)
    assert log.show(store, mine.id)["status"] == "no-reply"
    assert log.show(store, windowed.id)["status"] == "replied"
    inbound(store, mine.person_id, AT + timedelta(days=4), "later")
    with store.begin() as conn:
        log.note_replies(conn, store.owner_id, NOW)
    shown = log.show(store, mine.id)
    assert (shown["status"], shown["outcome"]) == ("replied", None)
    log.mark(store, mine.id, "no-reply", at=AT + timedelta(days=5))
    log.mark(store, mine.id, "replied", at=AT + timedelta(days=6))
    assert log.show(store, mine.id)["outcome"] is None  # your own change of mind, likewise


def test_a_decline_is_an_answer_not_a_reply(store: Store) -> None:
    with_phones(store)
    sent = [log.log_outreach(store, n, "email", at=AT, force=True, now=NOW) for n in WRITTEN[:4]]
    log.mark(store, sent[0].id, "replied", at=AT + timedelta(days=1))
    log.mark(store, sent[1].id, "replied", at=AT + timedelta(days=1))
    log.mark(store, sent[1].id, "declined", at=AT + timedelta(days=3))  # a polite no after all
    outcomes_svc.record_outcome(store, sent[2].id, "declined", at=AT + timedelta(days=1), now=NOW)

    assert figure(store, "by_medium", "email") == "25% (1 of 4, 2 declined)"
    assert learnt_row(store, "medium", "email") == (1, 4)
    assert log.show(store, sent[1].id)["replied_at"] is None
    found = insights_svc.insights(store, NOW)
    assert found.get("by_medium").unit == "% replied"


def test_the_silence_before_has_rates_but_no_preference(store: Store) -> None:
    with_phones(store)
    # people with a shared history answer; people never in touch before stay silent
    for name, *_ in PEOPLE[:2]:
        sent = log.log_outreach(store, name, "email", at=AT, force=True, now=NOW)
        log.mark(store, sent.id, "replied", at=AT + timedelta(days=1))
    for name in WRITTEN[:3]:
        log.log_outreach(store, name, "email", at=AT, force=True, now=NOW)
    found = insights_svc.insights(store, NOW)
    gap = next(x for x in found.learnt if x.dimension == "gap")
    assert len(gap.rows) >= 2 and gap.preference is None
    assert not any(r.preferred for r in gap.rows)
    assert gap.title == "Learnt reply rate by silence before the message"
    media = next(x for x in found.learnt if x.dimension == "medium")
    assert media.title == "Learnt reply rate by medium"


def test_the_insights_page_shows_the_silence_without_a_star(sqlite_store: Store) -> None:
    with_phones(sqlite_store)
    for name, *_ in PEOPLE[:2]:
        sent = log.log_outreach(sqlite_store, name, "email", at=AT, force=True, now=NOW)
        log.mark(sqlite_store, sent.id, "replied", at=AT + timedelta(days=1))
    for name in CALLED[:2]:
        log.log_outreach(sqlite_store, name, "call", at=AT, force=True, now=NOW)
    for name in WRITTEN[:3]:
        log.log_outreach(sqlite_store, name, "email", at=AT, force=True, now=NOW)
    with TestClient(create_app(sqlite_store, now_fn=lambda: NOW)) as client:
        page = client.get("/insights").text
    start = page.index('id="chart-learnt_gap-head"')
    gap = page[start : page.index("</figure>", start)]
    assert "Learnt reply rate by silence before the message" in gap
    assert "★" not in gap and "(preferred)" not in gap
    assert '<th scope="col">silence before</th>' in gap
    assert '<th scope="col">gap</th>' not in gap
    assert "replied; estimated" in gap
