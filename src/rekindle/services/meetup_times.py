"""When a meetup is, from what the user typed: ``2027-01-15 18:00`` (in ``--tz`` or this
machine's zone), an ISO time with its offset, and an end as a time of the same day (``21:00``)
or a duration (``3h``, ``90m``)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rekindle.errors import UserError

_DURATION = re.compile(r"^\s*(\d{1,3})\s*(h|hours?|m|min|minutes?)\s*$", re.IGNORECASE)
_CLOCK = re.compile(r"^\s*(\d{1,2})[:h.](\d{2})\s*$")
#: a meetup lasts this long when no end is given
DEFAULT_LENGTH = timedelta(hours=2)


def zone(name: str | None) -> tzinfo | None:
    """The time zone named (``Europe/Paris``), or None for this machine's."""
    if not name:
        return None
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UserError(f"unknown time zone {name!r}", hint="e.g. Europe/Paris, UTC") from exc


def _localise(when: datetime, tz: tzinfo | None) -> datetime:
    if when.tzinfo is not None:
        return when
    return when.replace(tzinfo=tz) if tz is not None else when.astimezone()


def parse_start(text: str, tz: tzinfo | None = None) -> datetime:
    try:
        when = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError as exc:
        raise UserError(
            f"cannot read the start {text!r}", hint='e.g. --start "2027-01-15 18:00"'
        ) from exc
    return _localise(when, tz)


def parse_end(text: str | None, start: datetime, tz: tzinfo | None = None) -> datetime:
    """The end: a duration after ``start``, a time that day (the next day if before), or a
    full date and time; two hours when not given."""
    if not text or not text.strip():
        return start + DEFAULT_LENGTH
    duration = _DURATION.match(text)
    if duration:
        n, unit = int(duration.group(1)), duration.group(2).lower()
        return start + (timedelta(hours=n) if unit.startswith("h") else timedelta(minutes=n))
    clock = _CLOCK.match(text)
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        if hour > 23 or minute > 59:
            raise UserError(f"cannot read the end {text!r}")
        end = start.replace(hour=hour, minute=minute, second=0, microsecond=0)
        return end if end > start else end + timedelta(days=1)
    return parse_start(text, tz if tz is not None else start.tzinfo)
