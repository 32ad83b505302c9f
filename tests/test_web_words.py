"""The pages' words: initials avatars, spans of time, a tie's facts, closeness on one scale."""

from __future__ import annotations

from datetime import UTC, datetime

from rekindle.web import words

NOW = datetime(2026, 12, 6, tzinfo=UTC)


def test_initials_take_the_first_and_last_word_and_never_fail() -> None:
    assert words.initials("Hassan Rahman") == "HR"
    assert words.initials("ana maria de la costa") == "AC"
    assert words.initials("Madonna") == "M"
    assert words.initials("Álvaro García") == "ÁG"
    assert words.initials("") == "?" and words.initials(None) == "?"
    assert words.initials("<script>alert(1)</script>") == "?"  # letters and digits only
    assert words.initials("  ") == "?"


def test_an_avatar_colour_is_the_same_for_the_same_person_and_spread_over_eight() -> None:
    assert words.avatar_colour(95) == words.avatar_colour(95) == words.avatar_colour("95")
    found = {words.avatar_colour(i) for i in range(200)}
    assert found == {f"av-{i}" for i in range(8)}


def test_quiet_for_says_years_not_thousands_of_days() -> None:
    assert words.quiet_for(9107) == "25 years"
    assert words.quiet_for(40) == "40 days"
    assert words.quiet_for(100) == "3 months"
    assert words.quiet_for(1) == "a day"
    assert words.quiet_for(None) == ""


def test_tie_facts_are_sentences_without_internal_names() -> None:
    stats = {
        "first_contact": datetime(2023, 1, 5, tzinfo=UTC),
        "last_contact": datetime(2024, 7, 5, tzinfo=UTC),
        "messages_in": 53,
        "messages_out": 54,
        "meetings": 12,
        "reply_latency_in_h": 20.0,
        "reply_latency_out_h": 3.0,
        "median_gap_days": 3.0,
        "one_to_one_share": 0.9,
        "embeddedness": 2,
        "active_days": 14,
        "last_direction": "out",
    }
    facts = dict(words.tie_facts(stats, NOW))
    assert facts["Quiet for 2.4 years"] == "last contact 05 Jul 2024"
    assert "In touch on 14 days over 18 months" in facts
    assert facts["107 messages, 12 meetings"] == "53 from them, 54 from you"
    assert "You wrote last" in facts
    assert "Usually replies within 20 hours" in facts
    assert "Knows 2 people you know" in facts
    text = " ".join(f"{k} {v}" for k, v in facts.items())
    for internal in ("latency", "decayed", "embeddedness", "_"):
        assert internal not in text
    assert words.tie_facts(None, NOW) == []


def test_closeness_is_one_scale_for_now_and_for_the_tie_at_its_best() -> None:
    # strength 2.42 now, 250.74 at its best: two figures on one 0-100 scale
    assert words.closeness(2.42) == 29 and words.closeness(250.74) == 98
    assert words.closeness_words(2.42, 250.74) == "cool, was 98"
    assert words.closeness(6.0) == 50  # a real tie reads half
    assert words.closeness_words(60, 60) == "close"
    assert words.closeness(0) == words.closeness(None) == 0
    assert words.closeness(10**9) == 100
    values = [words.closeness(s) for s in (0.1, 1, 5, 20, 100)]
    assert values == sorted(values)  # the order of strength is kept


def test_a_birthday_reads_as_a_day() -> None:
    assert words.birthday("1990-03-03") == "3 Mar 1990"
    assert words.birthday("--02-29") == "29 Feb"
    assert words.birthday("garbage") == "garbage"


def test_a_plan_period_reads_as_dates() -> None:
    assert words.period("2026-W49") == "30 Nov – 6 Dec 2026"
    assert words.period("2026-W01") == "29 Dec 2025 – 4 Jan 2026"
    assert words.period("2026-12") == "December 2026"
    assert words.period("someday") == "someday"
