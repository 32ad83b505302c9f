"""Two lists, one habit: Rekindle (ties that mattered and went quiet) and Keep warm; a
one-sided tie is not close."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from rekindle.engine.lists import (
    KEEP_WARM,
    REKINDLE,
    ListRules,
    list_of,
    list_words,
    split_quota,
)
from rekindle.engine.tiers import infer_tier, lopsided, tier_for
from rekindle.history.tie_features import tie_features
from rekindle.history.ties import Contact
from rekindle.services import history
from rekindle.services import plan as plan_svc
from rekindle.services.demo import load_sample
from rekindle.services.why import why
from rekindle.store import Store
from rekindle.web.app import create_app
from tests.test_plan import ME, NOW, mail, network

RULES = ListRules()


def one_sided(n_out: int, n_in: int, last_days_ago: float) -> list[Contact]:
    """``n_out`` messages from me, a week apart, the last long ago; ``n_in`` answers among them."""
    total = n_out + n_in
    return [
        Contact(NOW - timedelta(days=last_days_ago + 7 * i), "in" if i < n_in else "out", "email")
        for i in range(total)
    ]


def test_a_one_sided_tie_is_not_close() -> None:
    assert lopsided(3, 63) and lopsided(63, 3) and not lopsided(30, 33) and not lopsided(1, 2)
    assert lopsided(3, 63, meetings=0) and not lopsided(3, 63, meetings=20)
    assert tier_for(84.0, 3, 63) == "occasional"  # the Enron tie labelled "close"
    assert tier_for(84.0, 40, 44) == "close"
    f = tie_features(one_sided(63, 3, 400), NOW)
    assert (f.messages_in, f.messages_out) == (3, 63)
    assert infer_tier(f) == "occasional"
    # one-sided and quiet: nothing to revive, and not active enough to keep warm
    assert list_of(f, infer_tier(f), True, RULES) is None


def alternating(days_ago: list[int]) -> list[Contact]:
    return [
        Contact(NOW - timedelta(days=d), "out" if i % 2 else "in", "email")
        for i, d in enumerate(days_ago)
    ]


def test_lists_by_silence_and_a_two_way_past() -> None:
    days = [900, 860, 820, 780, 740, 700, 660, 620, 580, 540, 500, 460, 420, 400]
    f = tie_features(alternating(days), NOW)
    assert f.usual_gap_days == 40 and f.silence_days is not None and f.silence_days >= 400
    assert list_of(f, "close", True, RULES) == REKINDLE
    # silence under 12x the usual gap (40 days x 12 = 480) keeps a tie off the Rekindle list
    assert list_of(f, "close", True, ListRules(rekindle_days=180, gap_multiple=12)) == KEEP_WARM
    assert list_of(f, "close", False, RULES) is None  # not due: on no list
    assert list_of(f, "dormant", True, RULES) == REKINDLE  # the tier ranks, it is no bar
    recent = tie_features(alternating([90, 70, 50, 40]), NOW)
    assert list_of(recent, "close", True, RULES) == KEEP_WARM


def test_group_mail_alone_is_no_tie_to_keep_warm() -> None:
    """Phillip Allen's mailbox suggested Richard Shapiro to keep warm at score 0.00: 8 group
    messages from him, one reply to all, never a personal word. An imported contact with no
    mail at all is still kept warm by its cadence."""
    group = [
        Contact(NOW - timedelta(days=d), direction, "email", group_size=12)
        for d, direction in ((9480, "in"), (9479, "in"), (9479, "out"), (9100, "in"))
    ]
    f = tie_features(group, NOW)
    assert list_of(f, "dormant", True, RULES) is None
    assert (f.personal, f.group, f.silence_days) == (0, 4, None)
    assert list_words(f, "dormant", True, RULES) == (
        "on no list: only group mail together, never a personal exchange"
    )
    imported = tie_features((), NOW)
    assert list_of(imported, "dormant", True, RULES) == KEEP_WARM
    # one personal message beside the group mail: kept warm as before
    f = tie_features([*group, Contact(NOW - timedelta(days=30), "in", "email")], NOW)
    assert list_of(f, "occasional", True, RULES) == KEEP_WARM


def test_the_quota_comes_from_rekindle_first() -> None:
    assert split_quota(10, 10, 3, 2) == (3, 2)
    assert split_quota(1, 10, 3, 2) == (1, 4)  # Rekindle runs short: Keep warm tops up
    assert split_quota(0, 1, 3, 2) == (0, 1)
    assert split_quota(5, 5, 3, 0) == (3, 0)


def test_the_plan_has_two_lists_and_one_sided_ties_stay_off(store: Store) -> None:
    network(store)
    # Otto: 12 messages from me, 1 answer, last a year ago: once "close" by volume alone
    msgs = [
        mail(500 + i, ME, ["otto@oneway.example"], NOW - timedelta(days=700 - 20 * i), "news")
        for i in range(12)
    ]
    msgs.append(mail(600, "otto@oneway.example", [ME], NOW - timedelta(days=400), "Re: news"))
    history.ingest(store, "test", "otto", lambda state: msgs, now=NOW)
    plan = plan_svc.weekly_plan(store, NOW, quota=10)
    rekindle = plan.of_list(REKINDLE)
    assert rekindle and all(s.silent_days is not None and s.silent_days >= 180 for s in rekindle)
    assert "otto@oneway.example" not in [s.name for s in plan.suggestions]
    w = why(store, "otto@oneway.example", now=NOW)
    assert w.tier != "close" and "one-sided (you wrote 12, they answered 1)" in w.cadence_why
    assert w.list is None and "one-sided" in w.list_why
    assert plan.as_json()["suggestions"][0]["list"] == REKINDLE


SAMPLE_NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def test_on_the_sample_rekindle_holds_strong_ties_silent_for_years(store: Store) -> None:
    """With the default ranker, learnt from the sample's own history."""
    load_sample(store, now=SAMPLE_NOW)
    plan = plan_svc.weekly_plan(store, SAMPLE_NOW, refresh=True)
    rekindle = plan.of_list(REKINDLE)
    assert len(rekindle) == 3 and all(s.in_quota for s in rekindle)
    for s in rekindle:
        assert "learnt" in s.parts  # ranked by the learnt model
        assert s.silent_days is not None and s.silent_days >= 180  # dormant, not last month
        assert s.tier in ("close", "regular")
        assert s.parts["bond"] >= 1.0  # formerly strong: reciprocated peak strength
    # spread across lengths of silence: ties lost this year and ties lost years ago
    assert max(s.silent_days or 0 for s in rekindle) >= 2 * 365
    assert len(plan.spans) == 3 and "diversified across" in plan.diversified
    assert "3 lengths of silence" in plan.diversified
    warm = plan.of_list(KEEP_WARM)
    assert warm and all(not s.in_quota for s in warm)
    assert all(s.silent_days is not None and s.silent_days < 365 for s in warm)


def test_this_week_page_shows_both_lists(store: Store) -> None:
    load_sample(store, now=SAMPLE_NOW)
    with TestClient(create_app(store, now_fn=lambda: SAMPLE_NOW)) as client:
        page = client.get("/")
    assert page.status_code == 200
    text = page.text
    assert "Rekindle: ties that mattered and went quiet" in text
    assert text.index("Rekindle:") < text.index("Keep warm: ties due a check-in")
