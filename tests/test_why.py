"""`rekindle why`: one person's reading by the engine agrees with the plan's."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rekindle.services import plan_actions
from rekindle.services.demo import load_sample
from rekindle.services.plan import weekly_plan
from rekindle.services.why import why
from rekindle.store import Store
from tests.test_cli import rekindle

NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def test_why_gives_the_plans_score_reasons_and_medium(store: Store) -> None:
    load_sample(store, now=NOW)
    plan = weekly_plan(store, NOW, refresh=True)
    assert plan.suggestions
    for s in plan.suggestions:
        w = why(store, str(s.person_id), NOW)
        assert (w.name, w.tier, w.cadence_days) == (s.name, s.tier, s.cadence_days)
        assert w.due and w.held is None and w.in_plan == plan.period
        assert w.total == s.score  # no goal set: the same parts, the same weights
        assert w.reasons == s.reasons
        assert (w.medium, w.medium_why) == (s.medium, s.medium_why)
        assert {p["name"]: p["contribution"] for p in w.parts} == {
            k: v for k, v in s.parts.items() if k != "goal"
        }


def test_days_after_the_fit_why_reads_the_tie_as_the_plan_does(sqlite_store: Store) -> None:
    """The plan reads the week's snapshot (silences carried to the day, circles and the learnt
    description as of the fit); why says the same score."""
    load_sample(sqlite_store, now=NOW)
    weekly_plan(sqlite_store, NOW, refresh=True)  # the fit and its snapshot
    later = NOW + timedelta(days=6)
    plan = weekly_plan(sqlite_store, later, refresh=True)
    assert plan.suggestions
    for s in plan.suggestions:
        w = why(sqlite_store, str(s.person_id), later)
        assert w.total == s.score and w.silent_days == s.silent_days
        assert w.reasons == s.reasons


def test_why_names_the_guard_that_holds_someone_back(store: Store) -> None:
    load_sample(store, now=NOW)
    first = weekly_plan(store, NOW, refresh=True).suggestions[0]
    plan_actions.snooze(store, str(first.person_id), "3m", now=NOW)
    w = why(store, str(first.person_id), NOW)
    assert w.held is not None and w.held.startswith("snoozed until 14 Feb 2027")
    assert w.in_plan == weekly_plan(store, NOW).period  # still in this week's stored plan


def test_why_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "why.db"
    rekindle("demo", db=db)
    missing = rekindle("why", "nobody@nowhere.example", db=db, check=False)
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    listed = rekindle("plan", "--json", db=db).stdout
    first = json.loads(listed)["suggestions"][0]
    shown = rekindle("why", str(first["person_id"]), db=db).stdout
    assert first["name"] in shown and "score" in shown and "medium:" in shown
    data = json.loads(rekindle("why", str(first["person_id"]), "--json", db=db).stdout)
    assert data["tier"] == first["tier"] and data["medium"] == first["medium"]


def test_the_person_page_opens_the_why_and_shows_the_value_ledger(
    store: Store, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from rekindle.services import outreach as outreach_svc
    from rekindle.web.app import create_app
    from rekindle.web.settings_form import PART_WORDS
    from tests.test_web import NOW as WEB_NOW
    from tests.test_web import load_network

    ana = load_network(store, tmp_path)
    outreach_svc.log_outreach(store, str(ana), "call", intent="share", now=WEB_NOW)
    with TestClient(create_app(store, now_fn=lambda: WEB_NOW)) as client:
        page = client.get(f"/people/{ana}").text
        assert f'hx-get="/people/{ana}/why"' in page and "Why the plan sees them so" in page
        assert "Value ledger: gave: resources shared (1)" in page
        fragment = client.get(f"/people/{ana}/why", headers={"HX-Request": "true"}).text
        explained = why(store, str(ana), WEB_NOW)
        assert "<html" not in fragment and f"{explained.total:.2f} in all" in fragment
        for part in explained.parts:  # each part by its name in words, never the internal key
            words = PART_WORDS[part["name"]]
            assert f'<th scope="row">{words[:1].upper()}{words[1:]}</th>' in fragment
        full = client.get(f"/people/{ana}/why").text
        assert "<h1>Why the plan sees" in full and "Ana Costa" in full


def test_your_own_unanswered_mail_does_not_end_a_silence(store: Store) -> None:
    """Two emails logged to a long-quiet tie, and one more found in the mailbox, went
    unanswered: `why` and the plan still count the silence from when they last wrote, and the
    messages hold the person back while they wait (then the rest they earned)."""
    from datetime import timedelta

    from rekindle.services import outreach as log
    from rekindle.services.ties import refresh_ties
    from rekindle.store import history

    load_sample(store, now=NOW)
    before = why(store, "Qiang Yang", NOW)
    assert before.silent_days is not None and before.silent_days > 1000
    history_line = next(p["reason"] for p in before.parts if p["name"] == "history")
    first = log.log_outreach(store, "Qiang Yang", "email", at=NOW - timedelta(days=140), now=NOW)
    log.mark(store, first.id, "no-reply", now=NOW - timedelta(days=110))
    log.log_outreach(store, "Qiang Yang", "email", at=NOW - timedelta(days=97), now=NOW)
    with store.begin() as conn:  # a message of yours the mail sync found in Sent
        history.insert_interaction(
            conn, store.owner_id, source="imap", natural_key="sent-to-qiang",
            occurred_at=NOW - timedelta(days=60), channel="email", direction="out",
            subject="Hello again", thread=None, group_size=1, import_id=None,
            participants=[(first.person_id, "email", "qyang@outlook.com")],
        )  # fmt: skip
        refresh_ties(conn, store.owner_id, [first.person_id], NOW)
    w = why(store, "Qiang Yang", NOW)
    assert w.silent_days == before.silent_days
    # the same list and silence as before your messages, held back while one awaits a reply
    assert before.list_why.startswith("Rekindle: silent")
    silence = before.list_why.partition(": ")[2]
    assert w.list_why == f"would be on Rekindle ({silence}), but held back"
    history_now = next(p["reason"] for p in w.parts if p["name"] == "history")
    assert history_now.split(" from ")[1] == history_line.split(" from ")[1]  # "… to Dec 2022"
    assert w.held == "awaiting a reply since " + f"{NOW - timedelta(days=97):%d %b %Y}"
    plan = weekly_plan(store, NOW, refresh=True)
    assert "Qiang Yang" not in [s.name for s in plan.suggestions]
    # a call that happened ends the silence
    log.log_outreach(store, "Qiang Yang", "call", at=NOW - timedelta(days=3), now=NOW, force=True)
    assert why(store, "Qiang Yang", NOW).silent_days == 3
