"""The reply learning through the real store: calls that drew replies and emails met with
silence move the plan's medium, `why` and a draft's intent say so, and insights shows it."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from rekindle.services import drafting
from rekindle.services import insights as insights_svc
from rekindle.services import outreach as log
from rekindle.services import plan as plan_svc
from rekindle.services import why as why_svc
from rekindle.services.importing import import_items
from rekindle.store import Store, open_store
from rekindle.store.database import utcnow
from rekindle.web.app import create_app
from tests.test_cli import rekindle
from tests.test_importing import contact
from tests.test_plan import NOW, PEOPLE, network

#: people the user reached before this week (no shared history: never in the plan)
CALLED = [f"Cal Caller{i}" for i in range(4)]
WRITTEN = [f"Wes Writer{i}" for i in range(6)]


def with_phones(store: Store) -> None:
    """The test plan's network, every pick reachable by phone too, plus the people reached."""
    network(store)
    import_items(
        store,
        [
            contact(i, name, email, org=org, phone=f"+4420790000{i:02d}")
            for i, (name, email, org, _) in enumerate(PEOPLE, 1)
        ]
        + [
            contact(
                100 + i, name, f"{name.split()[1].lower()}@past.example", phone=f"+44207911{i:04d}"
            )
            for i, name in enumerate(CALLED + WRITTEN)
        ],
        "t",
        "test",
        now=NOW,
    )


def learn(store: Store) -> None:
    """Four calls marked answered; six emails left unanswered past their reply window."""
    at = NOW - timedelta(days=20)
    for name in CALLED:
        called = log.log_outreach(store, name, "call", at=at, force=True, now=NOW)
        log.mark(store, called.id, "replied", at=at + timedelta(hours=1))
    for name in WRITTEN:
        log.log_outreach(store, name, "email", at=at, force=True, now=NOW)


def test_replies_on_calls_and_silence_on_email_shift_the_medium(store: Store) -> None:
    with_phones(store)
    before = plan_svc.weekly_plan(store, NOW)
    by_rule = {s.name: s.medium for s in before.suggestions}
    assert "email" in by_rule.values()  # the rule: your exchanges were by email
    assert not any("drew a reply" in s.medium_why for s in before.suggestions)
    quiet = insights_svc.insights(store, NOW)
    assert all(not x.rows for x in quiet.learnt)

    learn(store)
    after = plan_svc.weekly_plan(store, NOW, refresh=True)
    switched = [
        s for s in after.suggestions if by_rule.get(s.name) == "email" and s.medium == "call"
    ]
    assert switched, [(s.name, s.medium, s.medium_why) for s in after.suggestions]
    for s in switched:
        assert "calls drew a reply 4 times in 4" in s.medium_why
        assert "emails 0 in 6" in s.medium_why
    # the same week, the same choice (the draw is seeded by owner, week and person)
    again = plan_svc.weekly_plan(store, NOW + timedelta(days=1), refresh=True)
    assert [(s.name, s.medium) for s in again.suggestions] == [
        (s.name, s.medium) for s in after.suggestions
    ]
    # `why` explains the medium the same way
    w = why_svc.why(store, switched[0].name, now=NOW)
    assert (w.medium, w.medium_why) == (switched[0].medium, switched[0].medium_why)

    found = insights_svc.insights(store, NOW)
    media = next(x for x in found.learnt if x.dimension == "medium")
    rows = {r.name: r for r in media.rows}
    assert (rows["call"].replies, rows["call"].sent) == (4, 4)
    assert (rows["email"].replies, rows["email"].sent) == (0, 6)
    assert media.preference == "call"
    assert rows["call"].low < rows["call"].mean < rows["call"].high
    assert rows["email"].mean < rows["call"].mean
    data = found.as_json()["learnt"]
    assert data[0]["dimension"] == "medium" and data[0]["preference"] == "call"


def test_a_drafts_intent_follows_what_drew_replies(store: Store) -> None:
    with_phones(store)
    name = PEOPLE[0][0]
    plain = drafting.draft_for(store, name, drafting.DraftRequest(learn_intent=True), now=NOW)
    assert (plain.draft.intent, plain.intent_why) == ("catch-up", "")
    at = NOW - timedelta(days=20)
    for i, who in enumerate(CALLED + WRITTEN):
        intent = "offer-help" if i < 4 else "catch-up"
        sent = log.log_outreach(store, who, "email", intent=intent, at=at, force=True, now=NOW)
        if i < 4:
            log.mark(store, sent.id, "replied", at=at + timedelta(days=1))
    learnt = drafting.draft_for(store, name, drafting.DraftRequest(learn_intent=True), now=NOW)
    assert learnt.draft.intent == "offer-help"
    assert "offers of help drew a reply 4 times in 4" in learnt.intent_why
    # a named intent is the user's: nothing learnt overrides it
    named = drafting.draft_for(store, name, drafting.DraftRequest("catch-up"), now=NOW)
    assert (named.draft.intent, named.intent_why) == ("catch-up", "")


def test_cli_insights_prints_and_exports_what_was_learnt(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    empty = rekindle("insights", db=db).stdout
    assert "What was learnt" in empty and "nothing yet" in empty
    store = open_store(str(db))
    try:
        with_phones(store)
        for name in WRITTEN[:2]:
            log.log_outreach(store, name, "email", at=utcnow() - timedelta(days=20), force=True)
    finally:
        store.close()
    shown = rekindle("insights", db=db).stdout
    assert "Learnt reply rate by medium" in shown and "0 of 2" in shown
    data = json.loads(rekindle("insights", "--json", db=db).stdout)
    media = next(x for x in data["learnt"] if x["dimension"] == "medium")
    assert [(r["name"], r["replies"], r["sent"]) for r in media["rows"]] == [("email", 0, 2)]
    assert media["preference"] is None  # one medium tried: no preference to state


def test_the_insights_page_charts_what_was_learnt(sqlite_store: Store) -> None:
    with_phones(sqlite_store)
    with TestClient(create_app(sqlite_store, now_fn=lambda: NOW)) as client:
        empty = client.get("/insights").text
        assert "Nothing learnt yet" in empty and 'id="chart-learnt_medium-head"' not in empty
        learn(sqlite_store)
        page = client.get("/insights").text
    assert "What was learnt" in page
    figure = page[page.index('id="chart-learnt_medium-head"') :]
    figure = figure[: figure.index("</figure>")]
    assert "4 of 4 · 71%" in figure and "0 of 6 · 11%" in figure
    assert figure.count('class="interval"') == 6  # a whisker and two ends per medium
    assert "★ preferred" in figure  # calls
    assert "call (preferred): 4 of 4 replied" in figure  # the numbers, for screen readers
    assert 'id="chart-learnt_intent-head"' in page and 'id="chart-learnt_gap-head"' in page


def test_a_drafts_variant_follows_what_drew_replies(store: Store) -> None:
    with_phones(store)
    name = PEOPLE[0][0]
    first = drafting.draft_for(store, name, drafting.DraftRequest(), now=NOW)
    assert first.draft.variant == 1 and len(first.variants) >= 2
    at = NOW - timedelta(days=20)
    for i, who in enumerate(CALLED + WRITTEN):
        n = 2 if i < 4 else 1
        d = drafting.draft_for(store, who, drafting.DraftRequest(variant=n), now=NOW)
        saved = log.save_draft(store, d.person_id, d.draft, now=at)
        log.mark_sent(store, saved, at=at, force=True, now=NOW)
        if n == 2:
            log.mark(store, saved, "replied", at=at + timedelta(days=1))
    learnt = drafting.draft_for(store, name, drafting.DraftRequest(), now=NOW)
    assert learnt.draft.variant == 2
    assert "messages from variant 2 drew a reply 4 times in 4" in learnt.intent_why
    assert "messages from variant 1 0 in 6" in learnt.intent_why
    # an asked-for variant is the user's
    asked = drafting.draft_for(store, name, drafting.DraftRequest(variant=1), now=NOW)
    assert (asked.draft.variant, asked.intent_why) == (1, "")
