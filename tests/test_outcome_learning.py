"""Outcomes feed back into the plan, per person, through the real store (SQLite and PostgreSQL):
silence rests a tie and lengthens its cadence, a decline holds for the months the setting
says, a warm answer makes a tie due sooner; `why` says so with dates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from rekindle.errors import UserError
from rekindle.services import outcomes
from rekindle.services import outreach as log
from rekindle.services import plan as plan_svc
from rekindle.services import plan_actions as act
from rekindle.services import settings as settings_svc
from rekindle.services.why import why
from rekindle.store import Store
from rekindle.web.app import create_app
from tests.test_plan import NOW, names, network


def plan_at(store: Store, days: int) -> plan_svc.Plan:
    return plan_svc.weekly_plan(store, NOW + timedelta(days=days), refresh=True)


def held_words(plan: plan_svc.Plan, name: str) -> str | None:
    return next((h["why"] for h in plan.held_examples if h["name"] == name), None)


def test_no_reply_rests_the_tie_and_lengthens_its_cadence(store: Store) -> None:
    network(store)
    assert "Ann Acme" in names(plan_at(store, 0))
    sent = log.log_outreach(store, "ann@acme.com", "email", intent="catch-up", now=NOW)
    log.mark(store, sent.id, "no-reply", now=NOW + timedelta(days=20))
    # your unanswered message did not end her silence: she is due, but the silence rests
    # her for 180 days from the send
    later = plan_at(store, 140)
    assert "Ann Acme" not in names(later)
    rest = "you wrote on 18 Nov 2026 with no reply: resting until 17 May 2027"
    assert held_words(later, "Ann Acme") == rest
    w = why(store, "Ann Acme", now=NOW + timedelta(days=40))
    assert w.held == rest and w.due  # due by her silence, held back by the rest
    assert w.cadence_days == 135  # a regular tie: 90 days, x1.5
    assert "no reply to your message of 18 Nov 2026: checking in every 135 days instead of 90" in (
        w.cadence_why
    )
    assert "1 attempt left unanswered: ranked down" in w.learnt
    outcome_part = next(p for p in w.parts if p["name"] == "outcomes")
    assert outcome_part["contribution"] < 0
    # her page says so: the chip, and the reasons in words
    with TestClient(create_app(store, now_fn=lambda: NOW + timedelta(days=40))) as client:
        page = client.get(f"/people/{sent.person_id}")
        reasons = client.get(f"/people/{sent.person_id}/why")
    assert "You wrote on 18 Nov 2026 with no reply: resting until 17 May 2027" in page.text
    assert "Learnt from their answers" in reasons.text
    assert "checking in every 135 days instead of 90" in reasons.text
    # the person page says the learnt cadence too, not only /why
    assert "Learnt from their answers: no reply to your message of 18 Nov 2026" in page.text
    assert "every 135 days instead of 90" in page.text
    # why says where "silent" starts: the outreach, after their history ends
    assert w.last_outreach is not None and w.history_last is not None
    assert w.last_outreach > w.history_last
    # once rested, she may come back, ranked a little lower
    # (her silence ran on through the rest: she is back on the Rekindle list, not held, where
    # three quieter ties outrank her this week)
    back = plan_at(store, 190)
    assert held_words(back, "Ann Acme") is None
    ann = why(store, "Ann Acme", now=NOW + timedelta(days=190))
    assert ann.held is None and ann.due and ann.list == "rekindle"
    assert ann.cadence_days == 135
    assert next(p for p in ann.parts if p["name"] == "outcomes")["contribution"] < 0
    # `resume` lifts the rest at once
    assert act.resume(store, "ann@acme.com", now=NOW + timedelta(days=141))["lifted"] == 1
    assert held_words(plan_at(store, 142), "Ann Acme") is None
    assert why(store, "Ann Acme", now=NOW + timedelta(days=142)).held is None


def test_a_decline_holds_as_long_as_the_setting_says(store: Store) -> None:
    network(store)
    settings_svc.change(store, "outcomes.declined_days", "400")
    with pytest.raises(UserError, match="outcomes.declined_days"):
        settings_svc.change(store, "outcomes.declined_days", "soon")
    sent = log.log_outreach(store, "gus@globex.com", "email", intent="ask", now=NOW)
    declined_at = NOW + timedelta(days=5)
    outcomes.record_outcome(store, sent.id, "declined", now=declined_at)
    until = declined_at + timedelta(days=400)
    # due again by his cadence (180 days, x1.5 after the decline: 270), past the nine months
    # of old, still held: 400 days, as set
    held = plan_at(store, 300)
    assert "Gus Globex" not in names(held)
    assert held_words(held, "Gus Globex") == f"declined; door kept open until {until:%d %b %Y}"
    w = why(store, "Gus Globex", now=NOW + timedelta(days=300))
    assert w.due and w.held == f"declined; door kept open until {until:%d %b %Y}"
    assert w.cadence_days == 270
    assert not any("resting until" in line for line in w.learnt)  # said once, above
    # the list he would be on, and that he is held: not "due a check-in"
    assert w.list_why.startswith("would be on ") and w.list_why.endswith(", but held back")
    assert "due a check-in" not in w.list_why
    assert "Gus Globex" in names(plan_at(store, 410))


def test_a_warm_answer_makes_a_tie_due_sooner(store: Store) -> None:
    network(store)
    # Rita: an occasional tie, a check-in every 180 days; last mail 5 days ago
    assert why(store, "Rita Recent", now=NOW).cadence_days == 180
    sent = log.log_outreach(store, "rita@recent.com", "email", at=NOW - timedelta(days=4), now=NOW)
    outcomes.record_outcome(
        store, sent.id, "call", at=NOW - timedelta(days=2), now=NOW - timedelta(days=2)
    )
    # the message made her a regular tie (90 days); the call shortens that to 54
    w = why(store, "Rita Recent", now=NOW + timedelta(days=60))
    assert w.cadence_days == 54 and w.due and w.list == "keep-warm"
    assert "a call followed in Nov 2026: checking in every 54 days instead of 90" in w.cadence_why
    assert "a call followed on 16 Nov 2026: ranked up" in w.learnt
    plan = plan_at(store, 110)  # the plan's first pass reads her stored tier (occasional)
    rita = next(s for s in plan.of_list("keep-warm") if s.name == "Rita Recent")
    assert rita.cadence_days == 54 and rita.parts["outcomes"] > 0
    assert "a call followed on 16 Nov 2026: ranked up" in rita.reasons


def test_a_message_awaiting_its_reply_says_more_than_the_rest(store: Store) -> None:
    network(store)
    first = log.log_outreach(store, "ann@acme.com", "email", now=NOW)
    log.mark(store, first.id, "no-reply", now=NOW + timedelta(days=20))
    assert (why(store, "Ann Acme", now=NOW + timedelta(days=40)).held or "").startswith(
        "you wrote on 18 Nov 2026 with no reply"
    )
    log.log_outreach(store, "ann@acme.com", "linkedin", now=NOW + timedelta(days=40))
    w = why(store, "Ann Acme", now=NOW + timedelta(days=41))
    assert w.held == "awaiting a reply since 28 Dec 2026"
    assert "resting until 17 May 2027" in " ".join(w.learnt)  # still said, below


def test_a_decline_ends_where_the_setting_says_now_and_says_so_once(store: Store) -> None:
    network(store)
    sent = log.log_outreach(store, "gus@globex.com", "email", intent="ask", now=NOW)
    outcomes.record_outcome(store, sent.id, "declined", now=NOW)  # 270 days, the default
    settings_svc.change(store, "outcomes.declined_days", "365")
    until = NOW + timedelta(days=365)
    w = why(store, "Gus Globex", now=NOW + timedelta(days=1))
    assert w.held == f"declined; door kept open until {until:%d %b %Y}"
    assert not any("resting until" in line for line in w.learnt)  # the hold, said once
    assert held_words(plan_at(store, 300), "Gus Globex") == w.held
    settings_svc.change(store, "outcomes.declined_days", "30")
    short = NOW + timedelta(days=30)
    assert why(store, "Gus Globex", now=NOW + timedelta(days=1)).held == (
        f"declined; door kept open until {short:%d %b %Y}"
    )
    assert why(store, "Gus Globex", now=NOW + timedelta(days=31)).held is None


def test_a_draft_to_someone_held_back_warns_with_the_end(store: Store) -> None:
    from rekindle.services.drafting import DraftRequest, check_text, draft_for

    network(store)

    def warning(ref: str, at: int, intent: str = "catch-up") -> str | None:
        found = draft_for(store, ref, DraftRequest(intent=intent), now=NOW + timedelta(days=at))
        return next((f.what for f in found.findings if f.code == "held-back"), None)

    assert warning("gus@globex.com", 0) is None
    sent = log.log_outreach(store, "gus@globex.com", "email", intent="ask", now=NOW)
    waiting = warning("gus@globex.com", 1)
    assert waiting is not None and waiting.endswith(
        "awaiting a reply to your message of 18 Nov 2026; the one follow-up is due 28 Nov 2026"
    )
    # the one follow-up is what a wait is for: no warning on it
    _, on_follow_up = check_text(
        store, "Hi Gus, any thoughts?", "email", "follow-up", "gus@globex.com",
        now=NOW + timedelta(days=12),
    )  # fmt: skip
    assert not [f for f in on_follow_up if f.code == "held-back"]
    outcomes.record_outcome(store, sent.id, "declined", now=NOW)
    until = NOW + timedelta(days=270)
    assert warning("gus@globex.com", 1) == (
        f"Gus is held back: declined; door kept open until {until:%d %b %Y}"
    )
    ann = log.log_outreach(store, "ann@acme.com", "email", now=NOW)
    log.mark(store, ann.id, "no-reply", now=NOW + timedelta(days=20))
    assert "with no reply: resting until 17 May 2027" in (warning("ann@acme.com", 30) or "")
    # the web compose page says it too
    with TestClient(create_app(store, now_fn=lambda: NOW + timedelta(days=1))) as client:
        page = client.get(f"/compose/{sent.person_id}")
    assert f"door kept open until {until:%d %b %Y}" in page.text


def test_the_why_page_says_the_cadence_in_days_as_its_learnt_note_does(store: Store) -> None:
    from rekindle.engine.scoring import span_words

    network(store)
    sent = log.log_outreach(store, "gus@globex.com", "email", intent="ask", now=NOW)
    outcomes.record_outcome(store, sent.id, "declined", now=NOW)
    with TestClient(create_app(store, now_fn=lambda: NOW + timedelta(days=1))) as client:
        page = client.get(f"/people/{sent.person_id}/why").text
    assert "check in every 270 days" in page and "every 270 days instead of 180" in page
    assert "months" not in page.split("check in every", 1)[1].split(")", 1)[0]
    assert span_words(45) == "1 month" and span_words(100) == "3 months"


def test_the_plan_counts_who_is_held_back_by_reason(store: Store) -> None:
    network(store)
    settings_svc.change(store, "outcomes.declined_days", "400")
    settings_svc.change(store, "outcomes.rest_days", "400")
    gus = log.log_outreach(store, "gus@globex.com", "email", intent="ask", now=NOW)
    outcomes.record_outcome(store, gus.id, "declined", now=NOW + timedelta(days=5))
    ann = log.log_outreach(store, "ann@acme.com", "email", now=NOW)
    log.mark(store, ann.id, "no-reply", now=NOW + timedelta(days=20))
    plan = plan_at(store, 300)
    assert plan.held_by.get("declined") == 1
    assert plan.held_by.get("resting after no reply") == 1
    assert sum(plan.held_by.values()) == plan.held
