"""Bounded expansion of a recurring event: RRULE, RDATE and EXDATE, inside a window only.

Rules are read leniently (spaces inside values, UNTIL of the wrong kind, unknown parts are
dropped) and expanded with dateutil in the event's own zone, so a weekly 09:00 meeting stays
at 09:00 across daylight-saving changes. Nothing ever runs unbounded: the window ends the
walk, at most :data:`MAX_OCCURRENCES` starts are kept per series, at most :data:`MAX_STEPS`
instances before the window are walked through (rules repeating within a day skip ahead to
it), and a rule that can never match (or whose
``INTERVAL`` is not positive, which makes dateutil loop forever) is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from dateutil.rrule import HOURLY, MINUTELY, SECONDLY, rrule, rruleset, rrulestr

from rekindle.sources.ics_time import When, to_utc

#: starts kept per series inside the window
MAX_OCCURRENCES = 1000
#: instances walked through before the window starts (a rule repeating every minute since 1970)
MAX_STEPS = 500_000

_PARTS = {
    "FREQ",
    "INTERVAL",
    "COUNT",
    "UNTIL",
    "WKST",
    "BYSETPOS",
    "BYMONTH",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYDAY",
    "BYHOUR",
    "BYMINUTE",
    "BYSECOND",
}
_SUB_DAILY = {HOURLY: 3600, MINUTELY: 60, SECONDLY: 1}
_FREQS = {"YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY"}
_UNTIL = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z)?)?")


class RuleError(ValueError):
    """An RRULE that cannot be expanded."""


@dataclass
class RecurrenceIds:
    """Instances named by EXDATE or RECURRENCE-ID: exact instants, and whole dates."""

    instants: set[datetime] = field(default_factory=set)
    dates: set[date] = field(default_factory=set)
    local_dates: set[date] = field(default_factory=set)

    def add(self, value: When) -> None:
        if isinstance(value, datetime):
            self.instants.add(to_utc(value))
            self.local_dates.add(value.date())
        else:
            self.dates.add(value)

    def __contains__(self, value: When) -> bool:
        """True when an instance (a local start, or a date for an all-day series) is named."""
        if isinstance(value, datetime):
            return to_utc(value) in self.instants or value.date() in self.dates
        return value in self.dates or value in self.local_dates


@dataclass
class Expansion:
    starts: list[datetime] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def parse_rule(text: str, base: datetime) -> rrule:
    """One RRULE (its value text) as a dateutil rule starting at ``base``."""
    parts: dict[str, str] = {}
    for piece in "".join(text.split()).split(";"):
        key, _, value = piece.partition("=")
        key = key.upper()
        if key in _PARTS and value:
            parts[key] = value.upper()
    if parts.get("FREQ") not in _FREQS:
        raise RuleError(f"no valid FREQ in {text!r}")
    interval = parts.get("INTERVAL", "1")
    if not interval.isdigit() or int(interval) < 1:
        raise RuleError(f"INTERVAL must be a positive number, not {interval!r}")
    if _never_matches(parts):
        raise RuleError(f"{text!r} names no day that exists")
    until_text = parts.pop("UNTIL", None)
    try:
        rule = rrulestr(";".join(f"{k}={v}" for k, v in parts.items()), dtstart=base)
    except Exception as exc:  # dateutil raises ValueError, TypeError, …
        raise RuleError(f"{text!r}: {exc}") from None
    if not isinstance(rule, rrule):
        raise RuleError(f"{text!r} is not a single rule")
    if until_text is not None:
        until = _parse_until(until_text, base)
        if until is None:
            raise RuleError(f"unreadable UNTIL {until_text!r}")
        rule = rule.replace(until=until)
    return rule


def _never_matches(parts: dict[str, str]) -> bool:
    """BYMONTH and BYMONTHDAY that name no real day (``BYMONTH=2;BYMONTHDAY=30``): dateutil
    would walk to the year 9999 looking for one."""
    try:
        months = [int(m) for m in parts.get("BYMONTH", "").split(",") if m]
        days = [int(d) for d in parts.get("BYMONTHDAY", "").split(",") if d]
    except ValueError:
        return False
    if not months or not days or any(d < 0 for d in days):
        return False
    for month in months:
        for day in days:
            try:
                date(2000, month, day)  # a leap year
                return False
            except ValueError:
                continue
    return True


def _parse_until(text: str, base: datetime) -> datetime | None:
    """UNTIL made comparable with ``base`` (a DATE ends at the end of its day)."""
    m = _UNTIL.fullmatch(text)
    if not m:
        return None
    try:
        day = date(int(m[1]), int(m[2]), int(m[3]))
        if m[4] is None:
            if base.tzinfo is None:
                return datetime.combine(day, time(0, 0))
            return datetime.combine(day, time(23, 59, 59), tzinfo=base.tzinfo)
        moment = datetime.combine(day, time(int(m[4]), int(m[5]), int(m[6] or 0)))
    except ValueError:
        return None
    if m[7]:
        utc = moment.replace(tzinfo=UTC)
        if base.tzinfo is None:
            return utc.replace(tzinfo=None)
        return utc
    return moment.replace(tzinfo=base.tzinfo)


def fast_forward(rule: rrule, lo: datetime) -> rrule:
    """A rule repeating every few hours, minutes or seconds, without COUNT, restarted shortly
    before ``lo``: whole periods are skipped, so its instances are the same ones."""
    seconds = _SUB_DAILY.get(rule._freq)
    if seconds is None or rule._count is not None:
        return rule
    start: datetime = rule._dtstart
    period = timedelta(seconds=seconds * rule._interval)
    target = lo.astimezone(start.tzinfo) if start.tzinfo else lo.replace(tzinfo=None)
    gap = target.replace(tzinfo=None) - start.replace(tzinfo=None)
    if gap <= 2 * period:
        return rule
    skipped: rrule = rule.replace(dtstart=start + (gap // period - 1) * period)
    return skipped


def _base(start: When) -> datetime:
    """The rule's DTSTART: the event's local start, or midnight (naive) for an all-day one."""
    if isinstance(start, datetime):
        return start
    return datetime.combine(start, time(0, 0))


def _as_instance(value: When, base: datetime) -> datetime:
    """An RDATE of either kind in the form the rule yields (aware, or naive for all-day)."""
    if base.tzinfo is None:
        day = value.date() if isinstance(value, datetime) else value
        return datetime.combine(day, time(0, 0))
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, base.timetz())


def _local(instance: datetime, all_day: bool) -> When:
    return instance.date() if all_day else instance


def expand(
    start: When,
    rules: Iterable[str],
    rdates: Iterable[When],
    exdates: RecurrenceIds,
    overridden: RecurrenceIds,
    window: tuple[datetime, datetime],
) -> Expansion:
    """The UTC starts inside ``window`` of a series starting at ``start``.

    Instances named in ``overridden`` are left out (their overrides say where they went).
    """
    out = Expansion()
    base = _base(start)
    all_day = not isinstance(start, datetime)
    series = rruleset()
    series.rdate(base)  # DTSTART is always the first instance
    for text in rules:
        try:
            series.rrule(fast_forward(parse_rule(text, base), window[0]))
        except Exception as exc:  # RuleError, or dateutil refusing what it was given
            out.notices.append(f"recurrence rule ignored: {exc}")
    for value in rdates:
        series.rdate(_as_instance(value, base))
    lo, hi = window
    steps = 0
    try:
        for instance in series:
            when = to_utc(_local(instance, all_day))
            if when > hi:
                break
            if when < lo:
                steps += 1
                if steps > MAX_STEPS:
                    out.notices.append(
                        f"more than {MAX_STEPS:,} instances before the window; not expanded"
                    )
                    break
                continue
            local = _local(instance, all_day)
            if local in exdates or local in overridden:
                continue
            if len(out.starts) >= MAX_OCCURRENCES:
                out.notices.append(
                    f"more than {MAX_OCCURRENCES:,} occurrences in the window; "
                    f"only the first {MAX_OCCURRENCES:,} are kept"
                )
                break
            out.starts.append(when)
    except Exception as exc:  # dateutil can fail half-way (odd zones, out-of-range years)
        out.notices.append(f"recurrence stopped early: {exc}")
    return out


def end_of(start: When, end: When | None, duration: timedelta | None) -> When:
    """An event's end: DTEND, else DTSTART + DURATION, else one day (all-day) or zero length.

    An end before the start (or a negative duration) is read as zero length.
    """
    if end is None and duration is not None:
        try:
            end = start + duration
        except OverflowError:
            end = None
    if end is None:
        return start + timedelta(days=1) if not isinstance(start, datetime) else start
    if to_utc(end) < to_utc(start):
        return start
    return end
