"""A person's history by month, for the Person page's chart: messages from them, from you,
and meetings, each month from the first contact to now, and the quiet stretches between."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from rekindle.store import history

#: a stretch without any contact this long is shown as quiet on the chart
QUIET_DAYS = 180


@dataclass(frozen=True)
class Month:
    start: date
    inbound: int = 0
    outbound: int = 0
    meetings: int = 0

    @property
    def total(self) -> int:
        return self.inbound + self.outbound + self.meetings


@dataclass(frozen=True)
class Quiet:
    """No contact from ``start`` to ``end`` (``ongoing``: up to now)."""

    start: date
    end: date
    ongoing: bool


@dataclass
class MonthlyHistory:
    months: list[Month] = field(default_factory=list)
    quiet: list[Quiet] = field(default_factory=list)
    #: on how many calendar days you were in touch at all
    active_days: int = 0
    #: who wrote last: "in" (they did), "out" (you did), None (a meeting, or nothing)
    last_direction: str | None = None


def _month_of(d: date) -> date:
    return date(d.year, d.month, 1)


def _next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def monthly(contacts: list[Any], now: datetime) -> MonthlyHistory:
    """Bucket ``(occurred_at, direction, channel)`` rows, oldest first, into months."""
    if not contacts:
        return MonthlyHistory()
    counts: dict[date, list[int]] = {}
    days: set[date] = set()
    quiet: list[Quiet] = []
    previous: datetime | None = None
    last_direction = None
    for when, direction, channel in contacts:
        day = when.date()
        days.add(day)
        slot = counts.setdefault(_month_of(day), [0, 0, 0])
        if channel == "meeting" or direction == "both":
            slot[2] += 1
        elif direction == "in":
            slot[0] += 1
            last_direction = "in"
        else:
            slot[1] += 1
            last_direction = "out"
        if previous is not None and (when - previous).days >= QUIET_DAYS:
            quiet.append(Quiet(previous.date(), day, False))
        previous = when
    assert previous is not None
    if (now - previous).days >= QUIET_DAYS:
        quiet.append(Quiet(previous.date(), now.date(), True))
    months = []
    month, last = _month_of(contacts[0][0].date()), _month_of(max(now.date(), previous.date()))
    while month <= last:
        months.append(Month(month, *counts.get(month, (0, 0, 0))))
        month = _next_month(month)
    return MonthlyHistory(months, quiet, len(days), last_direction)


def monthly_history(conn: Connection, person_id: int, now: datetime) -> MonthlyHistory:
    return monthly(history.contacts_of(conn, person_id), now)
