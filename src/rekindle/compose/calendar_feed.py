"""The calendar feed, pure: due follow-ups and planned check-ins as an iCalendar file.

Every event has a stable UID made from what it is about (an outreach's follow-up, a person's
check-in in one plan period), so exporting again updates the same events in a calendar app
instead of adding copies. Events are all-day: a reminder for that day, not an appointment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

PRODID = "-//Rekindle//Reconnection reminders//EN"
UID_DOMAIN = "rekindle.local"


@dataclass(frozen=True)
class Reminder:
    """A reminder on ``day`` (until ``end``, exclusive, else that day alone); ``key`` makes the
    UID (``followup-12``, ``checkin-7-2025-W23``)."""

    key: str
    day: date
    summary: str
    description: str = ""
    url: str | None = None
    end: date | None = None


def uid_of(key: str, owner: str = "") -> str:
    return f"{key}{'-' + owner if owner else ''}@{UID_DOMAIN}"


def build_calendar(reminders: Iterable[Reminder], now: datetime, owner: str = "") -> bytes:
    """The ICS bytes of ``reminders``; ``now`` stamps every event (DTSTAMP)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Rekindle")
    for r in sorted(reminders, key=lambda r: (r.day, r.key)):
        event = Event()
        event.add("uid", uid_of(r.key, owner))
        event.add("dtstamp", now)
        event.add("dtstart", r.day)
        event.add("dtend", r.end or r.day + timedelta(days=1))
        event.add("summary", r.summary)
        if r.description:
            event.add("description", r.description)
        if r.url:
            event.add("url", r.url)
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return bytes(cal.to_ical())
