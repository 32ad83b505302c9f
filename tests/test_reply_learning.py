"""The reply learning (pure): posterior counts, priors, a draw fixed per week, a preference
that follows enough evidence, and the rule's choice when there is no history."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

from rekindle.engine import reply_learning as rl
from rekindle.engine.medium import Reach, choose_medium, reachable
from rekindle.history.tie_features import tie_features

CLOSE = rl.Context("close", "1–2 years")


def outcomes(medium: str, replies: int, sent: int, tier: str = "close", gap: str = "1–2 years"):
    return [rl.Outcome(medium, "catch-up", tier, gap, i < replies) for i in range(sent)]


def pick(history: list[rl.Outcome], seed: int, rule: str = "email") -> rl.Choice:
    eligible = ["email", "linkedin", "call", "video", "sms"]
    return rl.choose("medium", rule, eligible, history, CLOSE, random.Random(seed))


def test_posterior_adds_the_counts_to_the_prior() -> None:
    history = outcomes("call", 4, 5) + outcomes("email", 2, 9)
    call = rl.posterior(history, "medium", "call", CLOSE)
    assert (call.replies, call.sent) == (4, 5)
    assert (call.alpha, call.beta) == (rl.PRIOR[0] + 4, rl.PRIOR[1] + 1)
    email = rl.posterior(history, "medium", "email", CLOSE, rule="email")
    assert (email.alpha, email.beta) == (rl.PRIOR[0] + rl.RULE_BONUS + 2, rl.PRIOR[1] + 7)


def test_messages_in_another_context_count_less() -> None:
    history = outcomes("call", 2, 2, tier="occasional") + outcomes("call", 0, 2, gap="5+ years")
    call = rl.posterior(history, "medium", "call", CLOSE)
    assert call.alpha == rl.PRIOR[0] + 2 * rl.OTHER_TIER
    assert call.beta == rl.PRIOR[1] + 2 * rl.OTHER_GAP
    assert (call.tier_replies, call.tier_sent) == (0, 2)
    assert (call.replies, call.sent) == (2, 4)


def test_the_prior_alone_and_the_rule_bonus() -> None:
    plain = rl.posterior([], "medium", "sms")
    ruled = rl.posterior([], "medium", "sms", rule="sms")
    assert plain.mean == rl.PRIOR[0] / sum(rl.PRIOR)
    assert ruled.mean > plain.mean
    low, high = plain.interval()
    assert 0 < low < plain.mean < high < 1


def test_no_history_is_the_rule_choice_and_says_nothing() -> None:
    for seed in range(50):
        found = pick([], seed, rule="call")
        assert (found.chosen, found.why, found.learnt) == ("call", "", False)


def test_history_only_on_untried_arms_elsewhere_keeps_the_rule() -> None:
    # the user only ever wrote on LinkedIn, which cannot reach this person: nothing competes
    history = outcomes("linkedin", 0, 6)
    found = rl.choose("medium", "email", ["email", "sms"], history, CLOSE, random.Random(1))
    assert (found.chosen, found.why) == ("email", "")


def test_the_draw_is_fixed_for_a_week_and_person() -> None:
    history = outcomes("call", 2, 4) + outcomes("email", 2, 4)
    monday = rl.seed_for(1, date(2026, 12, 7), 42, "medium")
    assert monday == rl.seed_for(1, date(2026, 12, 13), 42, "medium")  # the same ISO week
    assert monday != rl.seed_for(1, date(2026, 12, 14), 42, "medium")
    assert monday != rl.seed_for(1, date(2026, 12, 7), 43, "medium")
    assert monday != rl.seed_for(2, date(2026, 12, 7), 42, "medium")
    assert pick(history, monday) == pick(history, monday)
    # and over many people the draws differ: it is sampling, not a fixed rule
    chosen = {
        pick(history, rl.seed_for(1, date(2026, 12, 7), p, "medium")).chosen for p in range(40)
    }
    assert chosen == {"call", "email"}


def test_the_preference_follows_enough_evidence() -> None:
    few = outcomes("call", 1, 1) + outcomes("email", 0, 1)
    many = outcomes("call", 8, 10) + outcomes("email", 1, 12)
    share_few = sum(pick(few, s).chosen == "call" for s in range(200)) / 200
    share_many = sum(pick(many, s).chosen == "call" for s in range(200)) / 200
    assert share_few < share_many
    assert share_many > 0.95
    found = pick(many, 7)
    assert found.chosen == "call" and found.learnt
    assert found.why == (
        "your replies favour it: calls drew a reply 8 times in 10 with close ties; emails 1 in 12"
    )


def test_a_rule_choice_kept_by_the_draw_says_so() -> None:
    history = outcomes("call", 2, 3) + outcomes("email", 1, 3)
    kept = [
        found
        for s in range(100)
        if (found := pick(history, s)).chosen == "email" and found.arms[1].mean > found.arms[0].mean
    ]
    assert kept
    assert kept[0].why == (
        "this week's draw kept it, though calls drew a reply 2 times in 3 with close ties; "
        "emails 1 in 3"
    )


def test_the_rule_choice_keeps_its_words_and_gains_the_counts() -> None:
    history = outcomes("email", 5, 6) + outcomes("call", 0, 3)
    found = pick(history, 3)
    assert found.chosen == "email"
    assert found.why == "emails drew a reply 5 times in 6 with close ties; calls 0 in 3"


def test_counts_outside_the_tier_are_said_without_it() -> None:
    history = outcomes("call", 3, 3, tier="regular") + outcomes("email", 0, 8, tier="regular")
    found = pick(history, 11)
    assert found.chosen == "call"
    assert "with close ties" not in found.why
    assert found.why.endswith("calls drew a reply 3 times in 3; emails 0 in 8")


def test_summary_and_preference_for_insights() -> None:
    history = outcomes("call", 4, 5) + outcomes("email", 2, 9) + outcomes("sms", 0, 0)
    arms = rl.summarise(history, "medium", ("email", "call"))
    assert [(a.name, a.replies, a.sent) for a in arms] == [("email", 2, 9), ("call", 4, 5)]
    assert rl.preferred(arms) == "call"
    assert rl.preferred([]) is None
    gaps = rl.summarise(history, "gap")
    assert [(a.name, a.sent) for a in gaps] == [("1–2 years", 14)]


def test_gap_buckets() -> None:
    assert rl.gap_of(None) == rl.NO_CONTACT
    assert rl.gap_of(10) == "under 6 months"
    assert rl.gap_of(400) == "1–2 years"
    assert rl.gap_of(4000) == "5+ years"


def test_reachable_media_follow_the_rule_choice_rules() -> None:
    reach = Reach(email=True, phone=True)
    assert reachable(reach) == ["email", "call", "video", "sms"]
    rule = choose_medium(tie_features((), datetime(2026, 12, 7, tzinfo=UTC)), "close", reach)
    assert rule.medium in reachable(reach)
