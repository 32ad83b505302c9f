"""Time zones and times of iCalendar values, resolved the same way for every file.

A ``TZID`` naming a real zone (``Europe/Berlin``, a vendor-prefixed
``/mozilla.org/…/Europe/Berlin`` or a Windows name such as ``W. Europe Standard Time``) is
read with the time-zone database; any other ``TZID`` with the calendar's own ``VTIMEZONE``;
an unknown one, and a floating time, in the calendar's ``X-WR-TIMEZONE`` when it names a
zone, else UTC. icalendar's own resolution caches ``VTIMEZONE`` definitions process-wide,
so one file could change how the next is read; resolving here keeps every file independent.
"""

from __future__ import annotations

import warnings
from datetime import UTC, date, datetime, time, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Component, Timezone
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

#: the value kinds an event time may take once resolved
When = datetime | date


@lru_cache(maxsize=1024)
def resolve_zone_name(tzid: str) -> ZoneInfo | None:
    """The database zone a TZID names (IANA, Windows or vendor-prefixed), else None."""
    cleaned = tzid.strip().strip('"').strip("/").strip()
    candidates = [cleaned]
    if cleaned in WINDOWS_TO_OLSON:
        candidates.append(WINDOWS_TO_OLSON[cleaned])
    parts = cleaned.split("/")
    candidates += ["/".join(parts[i:]) for i in range(1, len(parts))]
    for name in candidates:
        if not name or len(name) > 100 or ".." in name:
            continue
        try:
            return ZoneInfo(name)
        except Exception:  # unknown, malformed or unreadable key
            continue
    return None


class Zones:
    """How one calendar's times are read: its ``VTIMEZONE``s and its floating zone."""

    def __init__(self, calendar: Component | None) -> None:
        self._definitions: dict[str, Timezone] = {}
        self._cache: dict[str, tzinfo | None] = {}
        wr_zone = None
        if calendar is not None:
            for component in calendar.subcomponents:
                if not isinstance(component, Timezone):
                    continue
                tzid = str(component.get("TZID", "")).strip()
                if tzid:
                    self._definitions.setdefault(tzid, component)
            wr = calendar.get("X-WR-TIMEZONE")
            if wr is not None and not isinstance(wr, list):
                wr_zone = self.zone(str(wr))
        self.floating: tzinfo = wr_zone or UTC

    def zone(self, tzid: str) -> tzinfo | None:
        tzid = tzid.strip()
        if tzid not in self._cache:
            self._cache[tzid] = resolve_zone_name(tzid) or self._from_definition(tzid)
        return self._cache[tzid]

    def _from_definition(self, tzid: str) -> tzinfo | None:
        component = self._definitions.get(tzid)
        if component is None:
            return None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tz: tzinfo = component.to_tz(lookup_tzid=False)
                datetime(2000, 1, 1, tzinfo=tz).utcoffset()  # fails early when unusable
            return tz
        except Exception:  # a broken VTIMEZONE: read its times as floating
            return None

    def localise(self, value: Any, params: Any, floating: tzinfo | None = None) -> When | None:
        """A DATE or DATE-TIME value as a date or an aware datetime (None if neither).

        ``value`` is what icalendar decoded; ``params`` the property's parameters; a floating
        time is read in ``floating`` when given (EXDATE, RDATE and RECURRENCE-ID written
        without a zone next to a zoned DTSTART mean that zone), else in :attr:`floating`.
        """
        if isinstance(value, tuple) and value:  # a PERIOD: its start
            value = value[0]
        if isinstance(value, datetime):
            tzid = params.get("TZID") if params is not None else None
            if tzid:
                tz = self.zone(str(tzid)) or floating or self.floating
                return value.replace(tzinfo=tz)
            if value.tzinfo is None:
                return value.replace(tzinfo=floating or self.floating)
            return value
        if isinstance(value, date):
            return value
        return None


def to_utc(value: When) -> datetime:
    """An aware datetime in UTC; a date is its midnight in UTC (all-day events)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
    return datetime.combine(value, time(0, 0), tzinfo=UTC)


def as_aware(value: datetime) -> datetime:
    """A window bound as an aware datetime (naive bounds are read as UTC)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
