"""What one person's outcomes teach (pure): cadence, holds, rank, and their words and dates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from rekindle.engine.person_learning import (
    DECLINED,
    LEAST,
    MOST,
    REPLIED,
    TALKED,
    UNANSWERED,
    Attempt,
    Rules,
    ended,
    learn,
)
from rekindle.engine.tiers import SET_BY_YOU, Cadence

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)


def day(d: int) -> datetime:
    """``d`` days before NOW."""
    return NOW - timedelta(days=d)


def unanswered(sent: int, followed: int | None = None) -> Attempt:
    closed = followed - 10 if followed is not None else sent - 20
    return Attempt(
        day(sent),
        "email",
        "catch-up",
        "no-reply",
        closed_at=day(closed),
        followed_up_at=day(followed) if followed is not None else None,
    )


def replied(sent: int, after: int, outcome: str | None = None) -> Attempt:
    return Attempt(day(sent), "email", "catch-up", "replied", outcome, replied_at=day(sent - after))


def declined(sent: int, at: int) -> Attempt:
    return Attempt(day(sent), "email", "ask", "declined", "declined", closed_at=day(at))


def test_how_an_attempt_ended() -> None:
    assert ended(unanswered(100, 90)).kind == UNANSWERED  # type: ignore[union-attr]
    quick = ended(replied(100, 2))
    assert quick is not None and quick.kind == REPLIED and quick.delay_days == 2
    assert ended(replied(100, 5, "call")).kind == TALKED  # type: ignore[union-attr]
    assert ended(declined(100, 95)).kind == DECLINED  # type: ignore[union-attr]
    # still waiting, a thank-you, a call logged as it happened: nothing learnt
    assert ended(Attempt(day(5), "email", "catch-up", "sent")) is None
    assert ended(Attempt(day(5), "email", "thank", "no-reply", closed_at=day(1))) is None
    assert ended(Attempt(day(5), "call", "catch-up", "logged")) is None
    # a logged call whose outcome was recorded counts as the call it was
    assert ended(Attempt(day(5), "call", "catch-up", "logged", "meeting")).kind == TALKED  # type: ignore[union-attr]


def test_nothing_to_learn_changes_nothing() -> None:
    learning = learn([], NOW)
    cadence = Cadence("close", 30, "from the tier their history shows")
    assert learning.multiplier == 1.0 and learning.adjust(cadence) is cadence
    assert learning.held(NOW) is None and learning.rank == 0.0 and learning.lines(NOW) == []


def test_silence_lengthens_the_cadence_and_rests_the_tie() -> None:
    one = learn([unanswered(60, 50)], NOW)
    assert one.multiplier == 1.5
    # the message and its follow-up, then a rest of 180 days from the send
    until = day(60) + timedelta(days=180)
    assert one.hold_until == until
    assert one.held(NOW) == (
        f"you wrote on {day(60):%d %b %Y} and {day(50):%d %b %Y} with no reply: "
        f"resting until {until:%d %b %Y}"
    )
    assert one.held(until + timedelta(seconds=1)) is None  # the rest ends
    cadence = one.adjust(Cadence("regular", 90, "from the tier their history shows"))
    assert cadence.days == 135
    assert cadence.why.endswith(
        f"no reply to your message of {day(60):%d %b %Y}: checking in every 135 days instead of 90"
    )
    assert one.rank == -0.15 and one.rank_why == "1 attempt left unanswered: ranked down"

    two = learn([unanswered(400, 390), unanswered(200)], NOW)
    assert two.multiplier == 2.25
    assert two.hold_until == day(200) + timedelta(days=360)  # the rest doubles
    assert two.rank == -0.3 and "2 attempts unanswered or declined" in two.cadence_why
    assert f"you wrote on {day(400):%d %b %Y}, {day(390):%d %b %Y} and {day(200):%d %b %Y}" in (
        two.hold_why
    )


def test_caps_and_floors() -> None:
    many = learn([unanswered(700 - 60 * i) for i in range(8)], NOW)
    assert many.multiplier == MOST
    assert many.hold_until == day(700 - 60 * 7) + timedelta(days=3 * 180)  # rest capped at 3x
    assert many.rank == -0.3  # the drop is capped
    warm = learn([replied(500 - 60 * i, 1, "meeting") for i in range(6)], NOW)
    assert warm.multiplier == LEAST


def test_warm_answers_shorten_the_cadence_and_rank_up() -> None:
    quick = learn([replied(200, 2)], NOW)
    assert quick.multiplier == 0.75 and quick.held(NOW) is None
    line = quick.cadence_line(60)
    assert (
        line
        == f"replied within 2 days in {day(198):%b %Y}: checking in every 45 days instead of 60"
    )
    assert (
        quick.rank == 0.15
        and quick.rank_why == f"replied within 2 days on {day(198):%d %b %Y}: ranked up"
    )

    call = learn([replied(100, 5, "call")], NOW)
    assert call.multiplier == 0.6 and call.rank == 0.2
    assert call.rank_why.startswith("a call followed on")

    slow = learn([replied(100, 30)], NOW)
    assert slow.multiplier == 1.0 and slow.rank == 0.0
    assert (
        slow.cadence_line(90) == f"replied after 30 days in {day(70):%b %Y}: every 90 days as usual"
    )

    # an old warm answer no longer ranks up, but still sets the cadence
    old = learn([replied(500, 2)], NOW)
    assert old.multiplier == 0.75 and old.rank == 0.0


def test_the_newest_outcomes_count_in_order() -> None:
    # silences, then a quick reply: the lengthening is undone, the reply shortens
    back = learn([unanswered(600), unanswered(400), replied(100, 1)], NOW)
    assert back.multiplier == 0.75 and back.held(NOW) is None and back.rank > 0
    # warm replies, then silence: back to lengthening
    cooled = learn([replied(600, 1), replied(400, 1), unanswered(100)], NOW)
    assert cooled.multiplier == 1.5 and cooled.rank == -0.15
    # a slow reply resets to the usual cadence
    assert learn([unanswered(600), replied(300, 40)], NOW).multiplier == 1.0
    # outcomes older than two years are forgotten
    assert learn([unanswered(800)], NOW).multiplier == 1.0


def test_a_decline_holds_for_months_and_the_setting_changes_it() -> None:
    learning = learn([declined(40, 38)], NOW)
    until = day(38) + timedelta(days=270)
    assert learning.hold_until == until
    assert learning.held(NOW) == (
        f"declined on {day(38):%d %b %Y}: door kept open, resting until {until:%d %b %Y}"
    )
    assert learning.multiplier == 1.5
    short = learn([declined(40, 38)], NOW, Rules(declined_days=30))
    assert short.held(NOW) is None  # 30 days after 38 days ago: over
    # no rest after silence when rest_days is 0
    assert learn([unanswered(60)], NOW, Rules(rest_days=0)).held(NOW) is None


def test_a_resume_lifts_what_came_before_it() -> None:
    attempts = [unanswered(60, 50)]
    assert learn(attempts, NOW, resumed_at=day(10)).held(NOW) is None
    assert learn(attempts, NOW, resumed_at=day(70)).held(NOW) is not None
    # the cadence still learns from it
    assert learn(attempts, NOW, resumed_at=day(10)).multiplier == 1.5


def test_a_cadence_you_set_stands() -> None:
    mine = Cadence("close", 21, SET_BY_YOU)
    assert learn([unanswered(60)], NOW).adjust(mine) is mine


outcomes = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=900),
        st.sampled_from(["none", "quick", "slow", "call", "declined"]),
    ),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(outcomes)
def test_learning_stays_within_bounds(entries: list[tuple[int, str]]) -> None:
    attempts = []
    for sent, how in entries:
        if how == "none":
            attempts.append(unanswered(sent))
        elif how == "declined":
            attempts.append(declined(sent, max(0, sent - 3)))
        else:
            after = {"quick": 1, "slow": 30, "call": 2}[how]
            attempts.append(replied(sent, min(after, sent), "call" if how == "call" else None))
    learning = learn(attempts, NOW)
    assert LEAST <= learning.multiplier <= MOST
    assert -0.3 <= learning.rank <= 0.2
    assert learning.adjust(Cadence("close", 30, "x")).days >= 1
    if learning.held(NOW):
        assert learning.hold_until is not None and learning.hold_until > NOW
        assert "until" in learning.held(NOW)  # type: ignore[operator]
    assert learning == learn(list(reversed(attempts)), NOW)  # the order given does not matter
