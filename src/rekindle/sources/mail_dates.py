"""Mail dates: RFC 2822 and its obsolete and broken forms, fast, to timezone-aware UTC.

:func:`parse_mail_date` reads the usual ``Mon, 14 May 2001 16:39:00 -0700 (PDT)`` with one
regular expression, then tries :func:`email.utils.parsedate_tz` (asctime order), then ISO 8601.
:func:`check_date` refuses what cannot be a real sending time (before 1980, the Enron/Notes
``31 Dec 1979 16:00 -0800`` null date, or in the future) without inventing another one.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_tz

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
#: offsets in minutes of the zone names mail software writes (RFC 822 and common others)
_ZONES = {
    "ut": 0, "utc": 0, "gmt": 0, "z": 0, "wet": 0, "bst": 60, "ist": 330, "cet": 60, "met": 60,
    "mez": 60, "cest": 120, "mest": 120, "mesz": 120, "eet": 120, "eest": 180, "msk": 180,
    "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360,
    "pst": -480, "pdt": -420, "akst": -540, "akdt": -480, "hst": -600, "jst": 540, "kst": 540,
    "hkt": 480, "sgt": 480, "aest": 600, "aedt": 660, "nzst": 720, "nzdt": 780,
}  # fmt: skip
_RFC = re.compile(
    r"(\d{1,2})[\s-]+([A-Za-z]{3})[A-Za-z]*\.?,?[\s-]+(\d{2,4}),?\s+"
    r"(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?:\.\d+)?\s*"
    r"(?:([AaPp])\.?[Mm]\.?\s*)?"
    r"(?:\(([A-Za-z]{1,5})\)\s*)?"
    r"([+-]?\d{3,4}|[+-]\d{1,2}:\d{2}|[A-Za-z]{1,5}\b)?"
)
_CANONICAL = re.compile(
    r"\s*(?:[A-Za-z]{3},\s*)?(\d{1,2}) ([A-Za-z]{3}) (\d{4}) ([01]\d|2[0-3]):([0-5]\d)"
    r"(?::([0-5]\d))? ([+-])(\d\d)([0-5]\d)(?:\s|$)"
)
_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*"
    r"(Z|[+-]\d{2}:?\d{2})?"
)
_EPOCH_FLOOR = datetime(1980, 1, 1, tzinfo=UTC)
_ONE_DAY = timedelta(days=1)


def _offset(zone: str | None) -> int:
    """Minutes east of UTC; unknown or missing zones count as UTC (RFC 2822 ``-0000``)."""
    if not zone:
        return 0
    first = zone[0]
    if first.isalpha():
        return _ZONES.get(zone.lower(), 0)
    sign = -1 if first == "-" else 1
    digits = zone.lstrip("+-").replace(":", "")
    if len(digits) <= 2:
        hours, minutes = int(digits), 0
    else:
        hours, minutes = int(digits[:-2]), int(digits[-2:])
    return sign * (hours * 60 + minutes)


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        return year + (2000 if year < 50 else 1900)
    if len(text) == 3:
        return year + 1900
    return year


def _build(
    year: int, month: int, day: int, hour: int, minute: int, second: int, offset: int
) -> tuple[datetime, date] | None:
    """(UTC time, the calendar date as written), or None for an impossible date."""
    if hour > 24 or minute > 59:
        return None
    try:
        utc = datetime(year, month, day, 0, 0, min(second, 59), tzinfo=UTC)
        utc += timedelta(minutes=hour * 60 + minute - offset)
    except (ValueError, OverflowError):
        return None
    return utc, date(year, month, day)


def _parse_rfc(text: str) -> tuple[datetime, date] | None:
    m = _RFC.search(text)
    if m is None:
        return None
    day, mon, year, hour, minute, second, ampm, comment, zone = m.groups()
    month = _MONTHS.get(mon.lower())
    if month is None:
        return None
    h = int(hour)
    if ampm:
        h = h % 12 + (12 if ampm in "pP" else 0)
    return _build(
        _year(year), month, int(day), h, int(minute), int(second or 0), _offset(zone or comment)
    )


def _parse_other(text: str) -> tuple[datetime, date] | None:
    m = _ISO.search(text)
    if m is not None:
        y, mo, d, h, mi, s, zone = m.groups()
        zone = None if zone == "Z" else zone
        return _build(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), _offset(zone))
    try:
        parts = parsedate_tz(text)
    except (ValueError, IndexError, TypeError):
        parts = None
    if parts is None:
        return None
    y, mo, d, h, mi, s = parts[:6]
    tz = parts[9] or 0
    return _build(_year(str(y)), mo, d, h, mi, s, tz // 60)


def _parse_canonical(text: str) -> tuple[datetime, date] | None:
    """The form nearly every mailer writes (``Tue, 1 Mar 2022 11:00:00 +0100``), fast."""
    m = _CANONICAL.match(text)
    if m is None:
        return None
    day, mon, year, hour, minute, second, sign, zh, zm = m.groups()
    month = _MONTHS.get(mon.lower())
    if month is None:
        return None
    y, d, h = int(year), int(day), int(hour)
    offset = int(zh) * 60 + int(zm)
    try:
        utc = datetime(y, month, d, h, int(minute), int(second or 0), tzinfo=UTC)
        written = date(y, month, d)
    except ValueError:
        return None
    if offset:
        utc -= timedelta(minutes=offset if sign == "+" else -offset)
    return utc, written


def parse_mail_date(text: str) -> tuple[datetime, date] | None:
    """(aware UTC datetime, the calendar date as written) of a Date value, or None."""
    if not text:
        return None
    return _parse_canonical(text) or _parse_rfc(text) or _parse_other(text)


def check_date(parsed: tuple[datetime, date], now: datetime) -> str | None:
    """Why a parsed date cannot be a sending time (``absurd: 1979-12-31``), or None if sane."""
    utc, written = parsed
    if written.year < 1980 or utc <= _EPOCH_FLOOR or utc > now + _ONE_DAY:
        return f"absurd: {written.isoformat()}"
    return None


def received_date(value: str) -> str:
    """The date part of a Received header: what follows its last ``;``."""
    semi = value.rfind(";")
    return value[semi + 1 :] if semi >= 0 else ""
