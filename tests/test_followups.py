"""Follow-ups (exactly one, then no-reply), outcomes, the value ledger and the ask guard, and
the calendar feed parsed back with icalendar; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from rekindle.errors import UserError
from rekindle.services import calendar_export, drafting, followups, outcomes
from rekindle.services import outreach as log
from rekindle.services.plan import weekly_plan
from rekindle.store import Store
from rekindle.store import engine as eq
from tests.test_outreach import add_people

NOW = datetime(2025, 6, 2, 12, tzinfo=UTC)  # a Monday


@pytest.fixture
def people(store: Store, tmp_path: Path) -> Store:
    return add_people(store, tmp_path)


def sent(store: Store, ref: str = "Ana", at: datetime = NOW, intent: str = "catch-up") -> int:
    result = drafting.draft_for(store, ref, drafting.DraftRequest(intent), now=at)
    oid = log.save_draft(store, result.person_id, result.draft, now=at)
    log.mark_sent(store, oid, at=at, message_id=f"out-{oid}@example.org", now=at, force=True)
    return oid


def test_exactly_one_follow_up_then_no_reply(people: Store) -> None:
    oid = sent(people)
    assert followups.due_follow_ups(people, NOW + timedelta(days=9)) == ([], 0)
    [due], closed = followups.due_follow_ups(people, NOW + timedelta(days=10))
    assert closed == 0 and due.outreach_id == oid and due.person == "Ana Costa"
    parent = log.show(people, oid)
    assert due.subject == f"Re: {parent['subject']}"
    assert "2 June" in due.body and due.body.startswith("Hi Ana,")
    # listing again offers the same draft, not a second one
    [again], _ = followups.due_follow_ups(people, NOW + timedelta(days=11))
    assert again.draft_id == due.draft_id
    follow = log.show(people, due.draft_id)
    assert follow["status"] == "draft" and follow["intent"] == "follow-up"
    # the follow-up goes (within the lock window: a follow-up is not a second outreach)
    log.mark_sent(people, due.draft_id, now=NOW + timedelta(days=12))
    assert log.show(people, oid)["status"] == "sent"
    assert followups.due_follow_ups(people, NOW + timedelta(days=13)) == ([], 0)
    # never a third message: another follow-up of the same message is refused
    with people.begin() as conn:
        from rekindle.store import outreach as oq

        extra = oq.add_outreach(
            conn,
            people.owner_id,
            follow["person_id"],
            intent="follow-up",
            medium="email",
            status="draft",
            at=NOW,
            body="x",
            subject="Re: x",
            parent_id=oid,
        )
    with pytest.raises(UserError, match="never sends a third message"):
        log.mark_sent(people, extra, now=NOW + timedelta(days=13))
    log.discard(people, extra)
    # followup.days after the follow-up, it closes as no-reply, with the follow-up
    assert followups.due_follow_ups(people, NOW + timedelta(days=22)) == ([], 1)
    assert log.show(people, oid)["status"] == "no-reply"
    assert log.show(people, due.draft_id)["status"] == "no-reply"
    with people.read() as conn:
        from rekindle.store import outreach as oq

        assert oq.awaiting_reply(conn, people.owner_id) == {}


def test_the_follow_up_window_and_skip(people: Store) -> None:
    from rekindle.services import settings

    settings.change(people, "followup.days", "7")
    ana, bob = sent(people, "Ana"), sent(people, "Bob")
    due, _ = followups.due_follow_ups(people, NOW + timedelta(days=7))
    assert sorted(d.outreach_id for d in due) == [ana, bob]
    followups.skip(people, bob, NOW + timedelta(days=7))
    assert log.show(people, bob)["status"] == "no-reply"
    assert [
        d.outreach_id for d in followups.due_follow_ups(people, NOW + timedelta(days=8))[0]
    ] == [ana]
    # never followed up: closed when the window (twice followup.days) has passed
    assert followups.due_follow_ups(people, NOW + timedelta(days=14)) == ([], 1)
    with pytest.raises(UserError, match="not a sent message waiting"):
        followups.skip(people, ana)


def test_outcomes_thanks_and_the_ledger(people: Store) -> None:
    share = sent(people, "Ana", NOW - timedelta(days=60), "share")
    ask = sent(people, "Ana", NOW - timedelta(days=30), "ask")
    log.log_outreach(people, "Ana", "email", "to Bob at Initech", "introduce", at=NOW, now=NOW)
    done = outcomes.record_outcome(people, ask, "introduction", "to Dana at Initech", now=NOW)
    assert done.status == "replied" and done.thanks is not None
    assert done.thanks.draft.intent == "thank" and "the introduction" in done.thanks.draft.body
    row = log.show(people, ask)
    assert row["outcome"] == "introduction" and "to Dana at Initech" in row["note"]
    [thanks] = followups.thanks_due(people, NOW)
    assert thanks.person == "Ana Costa" and thanks.why.startswith("introduction")
    ledger = outcomes.ledger(people, "Ana")
    assert ledger.given == {"resources shared": 1, "introductions made": 1}
    assert ledger.asks == 1 and ledger.received == {"introductions received": 1}
    assert ledger.lines() == [
        "gave: resources shared (1), introductions made (1)",
        "asked: 1",
        "received: introductions received (1), replies (1)",
    ]
    # a thank-you sent: no longer proposed
    sent(people, "Ana", NOW + timedelta(days=1), "thank")
    assert followups.thanks_due(people, NOW + timedelta(days=2)) == []
    assert log.show(people, share)["status"] == "no-reply"  # its follow-up window passed


def test_the_ask_guard_reads_the_ledger(people: Store) -> None:
    for days in (50, 40):
        sent(people, "Ana", NOW - timedelta(days=days), "catch-up")
    first = drafting.draft_for(people, "Ana", drafting.DraftRequest("ask", topic="advice"), now=NOW)
    assert "ask-too-soon" not in [f.code for f in first.findings]
    sent(people, "Ana", NOW - timedelta(days=20), "ask")
    again = drafting.draft_for(people, "Ana", drafting.DraftRequest("ask", topic="advice"), now=NOW)
    [guard] = [f for f in again.findings if f.code == "ask-too-soon"]
    assert "asked 1 time and given 0" in guard.what
    sent(people, "Ana", NOW - timedelta(days=10), "share")
    sent(people, "Ana", NOW - timedelta(days=5), "offer-help")
    later = drafting.draft_for(people, "Ana", drafting.DraftRequest("ask", topic="advice"), now=NOW)
    assert "ask-too-soon" not in [f.code for f in later.findings]


def test_declined_keeps_the_door_open(people: Store) -> None:
    oid = sent(people, "Bob")
    done = outcomes.record_outcome(people, oid, "declined", "busy until spring", now=NOW)
    assert done.thanks is None and done.status == "declined"
    row = log.show(people, oid)
    assert row["status"] == "declined" and row["closed_at"] and "busy until spring" in row["note"]
    with people.read() as conn:
        holds = eq.holds_in_force(conn, people.owner_id, NOW + timedelta(days=200))
        assert holds[row["person_id"]].kind == "declined"
        assert row["person_id"] not in eq.holds_in_force(
            conn, people.owner_id, NOW + timedelta(days=280)
        )
    with pytest.raises(UserError, match="unknown outcome"):
        outcomes.record_outcome(people, oid, "ghosted", now=NOW)


def test_calendar_feed_has_stable_uids(people: Store) -> None:
    oid = sent(people, "Ana")
    data, count = calendar_export.export_calendar(people, NOW + timedelta(days=1))
    cal = Calendar.from_ical(data)
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert len(events) == count >= 1
    [follow_uid] = [u for u in events if u.startswith(f"followup-{oid}-")]
    follow = events[follow_uid]
    assert follow.decoded("DTSTART") == (NOW + timedelta(days=10)).date()
    assert str(follow["SUMMARY"]) == "Follow up with Ana Costa"
    plan = weekly_plan(people, NOW + timedelta(days=1))
    for s in plan.suggestions:
        uid = f"checkin-{s.person_id}-{plan.period}-{people.owner_id}@rekindle.local"
        assert uid in events and events[uid].decoded("DTSTART").isoformat() == "2025-06-02"
    again, _ = calendar_export.export_calendar(people, NOW + timedelta(days=2))
    assert {str(e["UID"]) for e in Calendar.from_ical(again).walk("VEVENT")} == set(events)


def test_a_back_dated_message_is_offered_its_follow_up_now(people: Store) -> None:
    """Logged weeks after it went, a message past its reply window gets its one follow-up
    now (you have not followed up yet); only the follow-up's own window closes it."""
    at = NOW - timedelta(days=48)  # its follow-up was due 38 days ago, its close 28 days ago
    done = log.log_outreach(people, "Ana", "email", at=at, now=NOW)
    assert done.status == "sent" and done.follow_up_due == NOW
    assert log.show(people, done.id)["status"] == "sent"
    [due], closed = followups.due_follow_ups(people, NOW)
    assert closed == 0 and due.outreach_id == done.id
    assert due.due == NOW and due.closes == NOW + timedelta(days=10)
    with people.read() as conn:
        from rekindle.store import outreach as oq

        assert oq.awaiting_reply(conn, people.owner_id) == {done.person_id: at}
    # no follow-up sent: it closes when the follow-up's window passes, not before
    assert followups.due_follow_ups(people, NOW + timedelta(days=9))[1] == 0
    assert followups.due_follow_ups(people, NOW + timedelta(days=10)) == ([], 1)
    assert log.show(people, done.id)["status"] == "no-reply"


def test_a_back_dated_follow_up_waits_its_own_window(people: Store) -> None:
    at = NOW - timedelta(days=30)
    done = log.log_outreach(people, "Ana", "email", at=at, now=NOW)
    [due], _ = followups.due_follow_ups(people, NOW)
    log.mark_sent(people, due.draft_id, now=NOW + timedelta(days=1))
    assert followups.due_follow_ups(people, NOW + timedelta(days=10))[1] == 0
    assert followups.due_follow_ups(people, NOW + timedelta(days=11))[1] == 1
    assert log.show(people, done.id)["status"] == "no-reply"
    assert done.window_passed == at + timedelta(days=10)
    fresh = log.log_outreach(people, "Bob", "email", at=NOW - timedelta(days=3), now=NOW)
    assert fresh.window_passed is None and fresh.follow_up_due == NOW + timedelta(days=7)
