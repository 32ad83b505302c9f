"""Natural words for a silence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rekindle.compose.gap_words import days_between, gap_between, gap_words, is_long_gap


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (0, "a few days"),
        (2, "a few days"),
        (7, "about a week"),
        (14, "a couple of weeks"),
        (25, "a few weeks"),
        (45, "over a month"),
        (65, "a couple of months"),
        (100, "a few months"),
        (185, "about six months"),
        (260, "the better part of a year"),
        (310, "almost a year"),
        (350, "almost a year"),
        (370, "about a year"),
        (430, "over a year"),
        (560, "about a year and a half"),
        (700, "almost two years"),
        (740, "about two years"),
        (820, "over two years"),
        (1000, "about two and a half years"),
        (1050, "almost three years"),
        (1100, "about three years"),
        (2200, "about six years"),
        (2350, "over six years"),
        (2900, "almost eight years"),
        (4000, "over a decade"),
        (7000, "well over a decade"),
    ],
)
def test_words_for_a_silence(days: int, words: str) -> None:
    assert gap_words(days) == words


def test_the_example_from_the_issue() -> None:
    last = datetime(2022, 7, 3, tzinfo=UTC)
    now = datetime(2025, 6, 1, tzinfo=UTC)
    assert f"it's been {gap_between(last, now)} since" == "it's been almost three years since"


def test_dates_and_datetimes_mix_and_never_go_negative() -> None:
    assert days_between(date(2024, 1, 1), datetime(2024, 1, 31, 23, tzinfo=UTC)) == 30
    assert days_between(date(2024, 2, 1), date(2024, 1, 1)) == 0
    assert gap_words(-5) == "a few days"


def test_long_gap_threshold() -> None:
    assert not is_long_gap(None)
    assert not is_long_gap(100)
    assert is_long_gap(180)


@given(st.integers(min_value=0, max_value=40_000))
def test_every_silence_has_words(days: int) -> None:
    words = gap_words(days)
    assert words and "0" not in words and not words.startswith(" ")


@given(st.integers(min_value=330, max_value=3650))
def test_years_never_understate_by_a_whole_year(days: int) -> None:
    words = gap_words(days)
    years = days / 365.25
    numbers = {
        "a year": 1,
        "two": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
        "ten": 10,
    }
    named = [n for w, n in numbers.items() if w in words]
    if named:
        assert abs(max(named) - years) < 1.0 + 1e-9, (days, words)


def test_a_week_later_is_not_years() -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert gap_between(now - timedelta(days=8), now) == "about a week"
