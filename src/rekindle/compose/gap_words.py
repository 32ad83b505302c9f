"""Natural words for a silence: "a few weeks", "over a year", "almost three years".

Pure functions of two dates, so a draft can own the gap in the words a person would use
("it's been almost three years since …") rather than a number of days.
"""

from __future__ import annotations

from datetime import date, datetime

DAYS_PER_MONTH = 30.44
DAYS_PER_YEAR = 365.25
#: a silence at least this long deserves a word in the message
LONG_GAP_DAYS = 180

_NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]


def number_word(n: int) -> str:
    """'three' for 3; digits beyond twenty."""
    return _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)


def days_between(since: date | datetime, until: date | datetime) -> int:
    """Whole days from ``since`` to ``until`` (never negative)."""
    a = since.date() if isinstance(since, datetime) else since
    b = until.date() if isinstance(until, datetime) else until
    return max((b - a).days, 0)


def _short_gap(days: int) -> str:
    if days < 4:
        return "a few days"
    if days < 10:
        return "about a week"
    if days < 18:
        return "a couple of weeks"
    if days < 40:
        return "a few weeks"
    months = days / DAYS_PER_MONTH
    if months < 1.75:
        return "over a month"
    if months < 2.6:
        return "a couple of months"
    if months < 5.0:
        return "a few months"
    if months < 7.5:
        return "about six months"
    if months < 9.5:
        return "the better part of a year"
    return "almost a year"


def _years(n: int) -> str:
    return "a year" if n == 1 else f"{number_word(n)} years"


def gap_words(days: int) -> str:
    """Words for a silence of ``days`` days, as in "it's been {words} since we last spoke"."""
    if days < 0:
        days = 0
    if days < 330:
        return _short_gap(days)
    years = days / DAYS_PER_YEAR
    whole = int(years)
    part = years - whole
    if whole >= 10:
        return "over a decade" if years < 15 else "well over a decade"
    if whole == 0:  # 330 days .. one year
        return "almost a year"
    if part < 0.1:
        return f"about {_years(whole)}"
    if part >= 0.8:
        return f"almost {_years(whole + 1)}"
    if whole == 1 and 0.4 <= part < 0.8:
        return "about a year and a half"
    if whole < 5 and 0.4 <= part < 0.8:
        return f"about {number_word(whole)} and a half years"
    return f"over {_years(whole)}"


def gap_between(since: date | datetime, until: date | datetime) -> str:
    """Words for the silence from ``since`` (the last contact) to ``until`` (now)."""
    return gap_words(days_between(since, until))


def is_long_gap(days: int | None) -> bool:
    """True when a silence is long enough that a message should acknowledge it."""
    return days is not None and days >= LONG_GAP_DAYS
