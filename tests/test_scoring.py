"""Tie features, the score's parts and reasons, tiers, medium and the goal match (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rekindle.engine.goal_columns import GoalColumns
from rekindle.engine.goal_match import goal_terms, stem
from rekindle.engine.medium import Reach, choose_medium
from rekindle.engine.scoring import (
    TIE_PARTS,
    Context,
    Part,
    Score,
    Weights,
    default_weights,
    dormancy,
    score,
    span_words,
    worded,
)
from rekindle.engine.tiers import cadence_for, infer_tier, is_due
from rekindle.history.tie_features import recent_partners, tie_features
from rekindle.history.ties import Contact
from rekindle.plural import counted

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def day(n: float) -> datetime:
    return NOW - timedelta(days=n)


def talk(*days_ago: float, group: int = 1, co: frozenset[str] = frozenset()) -> list[Contact]:
    """Alternating out/in mail on the given days."""
    return [
        Contact(day(d), "out" if i % 2 == 0 else "in", "email", group, None, co)
        for i, d in enumerate(sorted(days_ago, reverse=True))
    ]


def test_features_of_a_regular_tie_gone_quiet() -> None:
    f = tie_features(talk(400, 370, 340, 310, 280), NOW)
    assert f.personal == 5 and f.messages_out == 3 and f.messages_in == 2
    # they last wrote 310 days ago: your message of 280 days ago, unanswered, does not end it
    assert f.silence_days == pytest.approx(310) and f.heard == day(310)
    assert f.usual_gap_days == 30
    assert f.gap_ratio == pytest.approx(310 / 30)
    assert f.reciprocity == pytest.approx(2 / 3)
    assert f.two_way
    assert f.first == day(400) and f.last == day(280)
    assert f.peak_at == day(280)
    assert 0 < f.decayed < f.peak


def test_group_mail_is_a_sighting_not_a_personal_contact() -> None:
    contacts = talk(300, 290) + talk(10, group=12)
    f = tie_features(contacts, NOW)
    assert f.personal == 2
    assert f.group_recent == 1
    assert f.silence_days == pytest.approx(290)


def test_contacts_after_now_are_not_seen() -> None:
    later = [Contact(NOW + timedelta(days=3), "in")]
    assert tie_features(talk(50, 40) + later, NOW).personal == 2


def test_circles_count_people_i_talk_to_now() -> None:
    friends = {"ann": talk(5, 3), "bob": talk(200)}
    recent = recent_partners(friends, NOW)
    assert recent == {"ann": 2}
    shared = talk(300, 299, co=frozenset({"ann", "zed"}))
    f = tie_features(shared, NOW, recent)
    assert f.circle_people == ("ann",)
    assert f.circles > 0
    assert tie_features(talk(300, 299, co=frozenset({"bob"})), NOW, recent).circles == 0


def test_reasons_name_dates_and_the_gap() -> None:
    f = tie_features(talk(400, 370, 340, 310, 280), NOW)
    s = score(f, default_weights())
    texts = {p.name: p.reason for p in s.parts}
    assert "5 messages, last on" in texts["strength"]
    assert (
        texts["dormancy"] == "quiet for 10 months, 10x your usual gap of 30 days: the tie is fading"
    )
    assert texts["reciprocity"] == "both of you wrote (2 in, 3 out)"
    assert s.total == pytest.approx(sum(p.contribution for p in s.parts))
    assert len(s.reasons(3)) <= 3
    # years past the usual gap: gone quiet, not "fading", and no multiplier in the thousands
    long_ago = tie_features(talk(2400, 2390, 2380, 2370), NOW)
    said = score(long_ago, default_weights()).part("dormancy")
    assert (
        said is not None and said.reason == "quiet for 6 years, long past your usual gap of 10 days"
    )


def test_reasons_count_one_in_the_singular() -> None:
    one_day = [*talk(300.2, 300.1), Contact(day(300), "in", "meeting", 1, None)]
    texts = {p.name: p.reason for p in score(tie_features(one_day, NOW), default_weights()).parts}
    assert texts["strength"].startswith("2 messages and 1 meeting, last on")
    assert texts["history"].startswith("in touch on 1 day from")


def test_counted() -> None:
    assert [counted(n, "day") for n in (0, 1, 2)] == ["0 days", "1 day", "2 days"]
    assert counted(1204, "message") == "1,204 messages"
    assert counted(1, "new person", "new people") == "1 new person"
    assert counted(3, "reply", "replies") == "3 replies"


def test_context_parts_add_their_reasons() -> None:
    f = tie_features(talk(800, 790), NOW)
    ctx = Context(
        shared=1.0,
        shared_reason="you were both at Acme 2015–2018",
        timing=1.0,
        timing_reason="birthday on 24 Nov",
    )
    weights = Weights({"shared": 1.0, "timing": 2.0, "strength": 0.1})
    s = score(f, weights, ctx)
    assert s.reasons(2) == ["birthday on 24 Nov", "you were both at Acme 2015–2018"]
    assert s.total > score(f, weights).total


def test_a_score_worded_later_is_the_score_worded_at_once() -> None:
    """A plan weighs thousands of ties without their reasons in words and words its picks:
    the same parts, values, total and reasons; a part added in between is kept as it is."""
    recent = recent_partners({"ann": talk(5, 3)}, NOW)
    ctx = Context(goal=0.5, goal_reason="fits your goal", timing=1.0, timing_reason="birthday")
    names = {"ann": "Ann Lee"}
    circles = tie_features(talk(400, 370, 340, 310, 280, co=frozenset({"ann"})), NOW, recent)
    said = worded(score(circles, default_weights(), ctx, names, worded=False), circles, names)
    assert "(Ann Lee)" in said.part("circles").reason
    for contacts in (talk(400, 370, 340, 310, 280, co=frozenset({"ann"})), talk(800, 790), []):
        f = tie_features(contacts, NOW, recent)
        whole = score(f, default_weights(), ctx, names)
        bare = score(f, default_weights(), ctx, names, worded=False)
        assert bare.total == whole.total and [p.value for p in bare.parts] == [
            p.value for p in whole.parts
        ]
        assert all(not p.reason for p in bare.parts if p.name in TIE_PARTS)
        assert worded(bare, f, names) == whole
        extra = Part("learnt", 0.3, 1.0, "learnt from your history")
        later = Score(bare.total + 0.3, (*bare.parts, extra))
        assert worded(later, f, names) == Score(later.total, (*whole.parts, extra))


def test_weights_overrides_are_checked() -> None:
    w = default_weights().with_overrides({"goal": 3.0})
    assert w["goal"] == 3.0
    with pytest.raises(ValueError, match="unknown score part"):
        default_weights().with_overrides({"luck": 1.0})
    assert "fitted_on" in default_weights().provenance


def test_dormancy_shape() -> None:
    def with_ratio(silence: float) -> float:
        f = tie_features(talk(silence + 30, silence + 20, silence + 10, silence), NOW)
        return dormancy(f)

    assert with_ratio(5) == 0.0  # within the usual gap of 10 days
    assert with_ratio(20) == pytest.approx(0.5)
    assert with_ratio(50) == 1.0
    assert with_ratio(400) == pytest.approx(8 / 40)  # decaying
    sparse = tie_features(talk(400, 399), NOW)  # one gap says nothing about a usual gap
    assert sparse.usual_gap_days is None and sparse.gap_ratio is None
    assert "usual gap" not in score(sparse, default_weights()).part("dormancy").reason


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.floats(min_value=1, max_value=2000), min_size=1, max_size=12, unique=True),
    st.floats(min_value=0.001, max_value=0.99),
)
def test_more_recent_contact_never_raises_dormancy(days: list[float], shift: float) -> None:
    """The same history with its latest contact moved later is never more dormant."""
    latest = min(days)
    rest = talk(*[d for d in days if d != latest])
    before = tie_features([*rest, Contact(day(latest), "in")], NOW)
    after = tie_features([*rest, Contact(day(latest * shift), "in")], NOW)
    assert after.silence_days is not None and before.silence_days is not None
    assert after.silence_days <= before.silence_days
    # the silence against the usual gap: the later contact may shorten the usual gap too (two
    # contacts a day apart become one day), and a shorter usual gap is no less dormant by it
    if before.gap_ratio is not None and after.gap_ratio is not None:
        assert after.usual_gap_days is not None and before.usual_gap_days is not None
        if after.usual_gap_days >= before.usual_gap_days:
            assert after.gap_ratio <= before.gap_ratio + 1e-9


def test_tiers_from_peak_and_overrides() -> None:
    close = tie_features(talk(*range(40, 100, 2)), NOW)
    faint = tie_features(talk(900, 899), NOW)
    assert infer_tier(close) == "close"
    assert infer_tier(faint) == "dormant"
    assert cadence_for(close).days == 30
    assert cadence_for(close, tier_days={"close": 14}).days == 14
    assert cadence_for(faint, person_tier="regular").tier == "regular"
    # the explanation says where the cadence comes from, once (it is shown after the days)
    assert cadence_for(close).why == "from the tier their history shows"
    assert cadence_for(faint, person_tier="regular").why == "from the tier you set for them"
    assert cadence_for(faint, person_days=45).why == "the cadence you set for them"
    assert cadence_for(faint, person_days=45).days == 45
    assert cadence_for(faint, tags=["mentor"], tag_days={"mentor": 60}).days == 60
    assert is_due(close, cadence_for(close))  # 40 days >= 30
    assert not is_due(close, cadence_for(close, person_days=60))
    assert is_due(tie_features([], NOW), cadence_for(tie_features([], NOW)))


def test_medium_honours_preference_then_closeness() -> None:
    f = tie_features(talk(100, 90), NOW)
    everything = Reach(email=True, linkedin=True, phone=True)
    assert choose_medium(f, "close", everything).medium == "call"
    assert choose_medium(f, "regular", everything).medium == "email"
    assert choose_medium(f, "close", Reach(email=True, phone=True, preferred="email")).why == (
        "they prefer email"
    )
    assert (
        choose_medium(tie_features([], NOW), "dormant", Reach(linkedin=True)).medium == "linkedin"
    )
    assert choose_medium(f, "close", Reach(email=True, preferred="sms")).medium == "email"


def test_video_for_formerly_close_ties_far_away() -> None:
    f = tie_features(talk(100, 90), NOW)
    far = Reach(email=True, phone=True, far_away=True)
    choice = choose_medium(f, "close", far)
    assert choice.medium == "video" and "far away" in choice.why
    assert choose_medium(f, "regular", far).medium == "email"  # not for a looser tie
    assert choose_medium(f, "close", Reach(phone=True)).medium == "call"  # near: a call
    assert choose_medium(f, "close", Reach(linkedin=True, far_away=True)).medium == "linkedin"
    linkedin_last = Reach(email=True, linkedin=True, last_two_way_channel="linkedin")
    assert choose_medium(f, "regular", linkedin_last).medium == "linkedin"
    assert choose_medium(f, "close", Reach(email=True, preferred="video")).why == (
        "they prefer video"
    )


def test_goal_match_uses_stems_and_rarity() -> None:
    texts = {
        1: ["Stripe Head of Products", "fintech"],
        2: ["Acme Head of Sales"],
        3: ["Globex Product designer"],
    }
    goal = "find a product role in FinTech"
    terms = goal_terms(goal)
    index = GoalColumns(sorted(texts), texts.__getitem__, None, goal, terms, None)
    assert terms == ["product", "fintech"]
    one, two, three = (index.match(i, terms) for i in (1, 2, 3))
    assert one.matched == ("product", "fintech") and one.value == pytest.approx(1.0)
    assert two.value == 0.0
    assert 0 < three.value < one.value
    assert stem("designers") == "design"


def test_span_words() -> None:
    assert span_words(3) == "3 days"
    assert span_words(100) == "3 months"
    assert span_words(400) == "13 months"
    assert span_words(1100) == "3 years"


def test_your_own_unanswered_mail_does_not_end_the_silence() -> None:
    def at(days: int, direction: str, channel: str = "email") -> Contact:
        return Contact(NOW - timedelta(days=days), direction, channel)  # type: ignore[arg-type]

    past = [at(900, "out"), at(899, "in"), at(800, "out"), at(799, "in")]
    f = tie_features([*past, at(100, "out"), at(40, "out")], NOW)
    assert round(f.silence_days or 0) == 799 and f.heard == NOW - timedelta(days=799)
    assert f.last == NOW - timedelta(days=40)  # your message is still the last one
    texts = {p.name: p.reason for p in score(f, default_weights()).parts}
    assert texts["history"].endswith(f"to {NOW - timedelta(days=799):%b %Y}, closest around "
                                     f"{f.peak_at:%b %Y}")  # fmt: skip
    # a call that happened (both ways) ends it; so does their message
    assert round(tie_features([*past, at(30, "both", "call")], NOW).silence_days or 0) == 30
    assert round(tie_features([*past, at(100, "out"), at(20, "in")], NOW).silence_days or 0) == 20
    # a tie that never answered: counted from your last message, nothing else to count from
    assert round(tie_features([at(300, "out"), at(200, "out")], NOW).silence_days or 0) == 200
