"""Occasions: reasons to reach out now, and how strongly each one pulls on a given day (pure).

An :class:`Occasion` is a dated reason to get in touch: a birthday, an anniversary (a card's
ANNIVERSARY), a round work or "since we met" anniversary, a holiday greeting (see :mod:`rekindle.engine.occasion_holidays`) or a life event
found in the data (see :mod:`rekindle.engine.life_events`). ``today`` is always passed in, so the same
data gives the same occasions everywhere.

:func:`timing_strength` says how much an occasion pulls today: 0 outside its kind's window, up
to the kind's peak around its date, and 0 once the user has handled it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from rekindle.identity.profile import org_key
from rekindle.identity.records import PartialDate

#: computed on the fly from birthdays, affiliations, first contacts and the calendar
COMPUTED_KINDS = frozenset(
    {"birthday", "anniversary", "work-anniversary", "met-anniversary", "holiday"}
)
#: found by comparing data over time; stored when found
LIFE_EVENT_KINDS = frozenset({"new-job", "new-company", "new-role", "moved", "new-email-domain"})

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

SOURCE_LABELS = {
    "vcard": "vCard",
    "linkedin": "LinkedIn export",
    "google_csv": "Google Contacts",
    "outlook_csv": "Outlook contacts",
    "csv": "CSV",
    "carddav": "your CardDAV address book",
    "mail": "mail",
    "sample": "sample network",
    "sample-update": "sample network update",
    "you": "your edit",
    "history": "your history",
}


@dataclass(frozen=True, slots=True)
class Occasion:
    """A dated reason to reach out.

    ``key`` is stable per person ("birthday:2026", "new-job:acme:2026-11-02") so a handled
    flag can be kept; ``detail`` says it in plain words; ``source`` names where it came from
    (a source name such as ``vcard``, ``holidays:GB``, ``history``).
    """

    kind: str
    key: str
    on_date: date
    detail: str
    source: str
    handled: bool = False

    @property
    def is_life_event(self) -> bool:
        return self.kind in LIFE_EVENT_KINDS


@dataclass(frozen=True, slots=True)
class Window:
    """Days before and after an occasion's date in which it pulls; full strength (``peak``)
    from ``hold_before`` days before to ``hold_after`` days after, fading linearly outside."""

    before: int
    after: int
    hold_before: int = 0
    hold_after: int = 0
    peak: float = 1.0


#: the window of each kind; a life event pulls from the day it is seen (or mailed) on
WINDOWS: dict[str, Window] = {
    "birthday": Window(before=7, after=3, peak=0.9),
    "anniversary": Window(before=7, after=3, peak=0.8),
    "work-anniversary": Window(before=7, after=7, peak=0.7),
    "met-anniversary": Window(before=7, after=7, peak=0.6),
    "holiday": Window(before=14, after=2, hold_before=3, peak=0.4),
    "new-job": Window(before=0, after=60, hold_after=14),
    "new-company": Window(before=0, after=60, hold_after=14),
    "new-role": Window(before=0, after=60, hold_after=14),
    "moved": Window(before=0, after=60, hold_after=14, peak=0.8),
    "new-email-domain": Window(before=0, after=60, hold_after=14, peak=0.7),
}
#: season's greetings reach through New Year
END_OF_YEAR = Window(before=14, after=8, hold_before=3, peak=0.4)
_DEFAULT = Window(before=7, after=7, peak=0.5)
#: the most any occasion pulls (:func:`timing_strength` is at most this)
MOST_TIMING = max(w.peak for w in (*WINDOWS.values(), END_OF_YEAR, _DEFAULT))


def window_of(occasion: Occasion) -> Window:
    if occasion.key.startswith("holiday:end-of-year:"):
        return END_OF_YEAR
    return WINDOWS.get(occasion.kind, _DEFAULT)


def _fade(distance: int, hold: int, reach: int) -> float:
    if distance <= hold:
        return 1.0
    if distance > reach:
        return 0.0
    return 1.0 - (distance - hold) / (reach - hold + 1)


def timing_strength(occasion: Occasion, today: date) -> float:
    """How much ``occasion`` pulls on ``today``, in [0, 1]: the kind's peak around the date,
    fading to 0 outside the kind's window (see :data:`WINDOWS`); 0 once handled."""
    if occasion.handled:
        return 0.0
    w = window_of(occasion)
    offset = (today - occasion.on_date).days
    if offset < 0:
        strength = _fade(-offset, w.hold_before, w.before)
    else:
        strength = _fade(offset, w.hold_after, w.after)
    return round(w.peak * strength, 4)


def in_window(occasion: Occasion, today: date) -> bool:
    """True while the occasion pulls at all (handled or not)."""
    w = window_of(occasion)
    offset = (today - occasion.on_date).days
    return -w.before <= offset <= w.after


# --- dates -----------------------------------------------------------------------------------


def day_month(d: date) -> str:
    """``3 Dec``"""
    return f"{d.day} {_MONTHS[d.month - 1]}"


def day_month_year(d: date) -> str:
    """``14 Mar 2018``"""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def month_year(d: date) -> str:
    """``Nov 2021``"""
    return f"{_MONTHS[d.month - 1]} {d.year}"


def source_label(source: str) -> str:
    if source.startswith("holidays:"):
        return f"public holidays ({source.removeprefix('holidays:')})"
    return SOURCE_LABELS.get(source, source)


def occurrence(month: int, day: int, year: int) -> date:
    """The date of ``month``/``day`` in ``year``; 29 February is kept on the 28th in other
    years. Raises ValueError for a day no year has (31 April)."""
    if month == 2 and day == 29:
        try:
            return date(year, 2, 29)
        except ValueError:
            return date(year, 2, 28)
    return date(year, month, day)


@lru_cache(maxsize=4096)
def nearest_occurrence(month: int, day: int, today: date, grace_days: int) -> date:
    """The first yearly occurrence not more than ``grace_days`` before ``today``: a recent
    one while it is still fresh, else the next one (remembered: a plan asks it of every
    birthday and start date, and there are 366 days)."""
    earliest = today - timedelta(days=grace_days)
    for year in (today.year - 1, today.year, today.year + 1):
        found = occurrence(month, day, year)
        if found >= earliest:
            return found
    return occurrence(month, day, today.year + 2)  # not reached for grace_days < 365


def slug(text: str, limit: int = 120) -> str:
    """A key part without spaces: ``Brightline Payments`` → ``brightline-payments``."""
    out, dash = [], False
    for c in text.casefold():
        if c.isalnum():
            out.append(c)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")[:limit]


def is_round_year(years: int) -> bool:
    """1, 2, 3, 5, 10, 15, 20, …: the anniversaries worth a note."""
    return years in (1, 2, 3, 5) or (years >= 10 and years % 5 == 0)


def _years(n: int) -> str:
    return "1 year" if n == 1 else f"{n} years"


# --- computed occasions ----------------------------------------------------------------------


def birthday_occasion(
    birthday: PartialDate, today: date, source: str = "", grace_days: int | None = None
) -> Occasion | None:
    """This year's (or a just-passed) birthday; year-less birthdays too. None if impossible.
    ``grace_days``: how long a passed one stays the one shown (default: its window's end)."""
    grace = max(grace_days or 0, WINDOWS["birthday"].after)
    try:
        on = nearest_occurrence(birthday.month, birthday.day, today, grace)
    except ValueError:
        return None
    detail = f"birthday on {day_month(on)}"
    if birthday.year is not None:
        age = on.year - birthday.year
        if age > 0 and age % 10 == 0:
            detail = f"{age}th birthday on {day_month(on)}"
    return Occasion("birthday", f"birthday:{on.year}", on, detail, source)


def anniversary_occasion(
    anniversary: PartialDate, today: date, source: str = "", grace_days: int | None = None
) -> Occasion | None:
    """A card's ANNIVERSARY (a wedding, as vCard means it) this year or just passed; a round
    one (1, 2, 3, 5, 10… years) says how many. None if the date cannot occur.
    ``grace_days`` as for :func:`birthday_occasion`."""
    grace = max(grace_days or 0, WINDOWS["anniversary"].after)
    try:
        on = nearest_occurrence(anniversary.month, anniversary.day, today, grace)
    except ValueError:
        return None
    detail = f"anniversary on {day_month(on)}"
    if anniversary.year is not None:
        years = on.year - anniversary.year
        if years > 0 and is_round_year(years):
            detail = f"{_years(years)} anniversary on {day_month(on)}"
    return Occasion("anniversary", f"anniversary:{on.year}", on, detail, source)


def work_anniversary(
    organisation: str,
    start: date,
    today: date,
    end: date | None = None,
    source: str = "",
) -> Occasion | None:
    """A round anniversary (1, 2, 3, 5, 10… years) at an organisation they are still at."""
    on = nearest_occurrence(start.month, start.day, today, WINDOWS["work-anniversary"].after)
    years = on.year - start.year
    if not is_round_year(years) or (end is not None and end < on):
        return None
    subject = _subject(organisation)
    return Occasion(
        "work-anniversary",
        f"work-anniversary:{subject}:{on.year}",
        on,
        f"{_years(years)} at {organisation.strip()} (since {month_year(start)})",
        source,
    )


def work_anniversary_days(today: date, back: int, ahead: int) -> frozenset[tuple[int, int]] | None:
    """The start days (month, day) whose :func:`work_anniversary` falls from ``back`` days
    before ``today`` to ``ahead`` days after (None: every day of the year may)."""
    grace = WINDOWS["work-anniversary"].after
    days = frozenset(
        (month, day)
        for month, day in _DAYS_OF_YEAR
        if -back <= (nearest_occurrence(month, day, today, grace) - today).days <= ahead
    )
    return None if len(days) == len(_DAYS_OF_YEAR) else days


#: every (month, day) of a leap year
_DAYS_OF_YEAR = tuple(
    (d.month, d.day) for d in (date(2024, 1, 1) + timedelta(days=n) for n in range(366))
)


@lru_cache(maxsize=4096)
def _subject(organisation: str) -> str:
    """An organisation as a work anniversary's key names it (remembered: a network repeats
    its organisations)."""
    return slug(org_key(organisation) or organisation)


def met_anniversary(
    first: date, today: date, how: str = "first contact", source: str = "history"
) -> Occasion | None:
    """A round anniversary of the first contact ("8 years since you first met")."""
    on = nearest_occurrence(first.month, first.day, today, WINDOWS["met-anniversary"].after)
    years = on.year - first.year
    if not is_round_year(years):
        return None
    return Occasion(
        "met-anniversary",
        f"met-anniversary:{on.year}",
        on,
        f"{_years(years)} since you first met ({how} {day_month_year(first)})",
        source,
    )
