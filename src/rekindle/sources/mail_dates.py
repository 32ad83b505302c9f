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
    r"\s*(?:[A-Za-z]{3},\s*)?((\d{1,2}) ([A-Za-z]{3}) (\d{4})) ([01]\d|2[0-3]):([0-5]\d)"
    r"(?::([0-5]\d))? ([+-]\d\d[0-5]\d)(?:\s|$)"
)
#: days and zones already read by the canonical form: ``1 Mar 2022`` -> (seconds from the
#: epoch at its UTC midnight, the date), or None for an impossible day; ``+0100`` -> seconds
_DAYS: dict[str, tuple[int, date] | None] = {}
_ZONE_SECONDS: dict[str, int] = {}
_CACHE_SIZE = 1 << 14
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
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


def _day(day: str, mon: str, year: str) -> tuple[int, date] | None:
    month = _MONTHS.get(mon.lower())
    if month is None:
        return None
    try:
        written = date(int(year), month, int(day))
    except ValueError:
        return None
    return (written.toordinal() - _EPOCH_ORDINAL) * 86400, written


def _parse_canonical(text: str) -> tuple[datetime, date] | None:
    """The form nearly every mailer writes (``Tue, 1 Mar 2022 11:00:00 +0100``), fast: the
    day and the zone are looked up once, the time is counted in seconds."""
    m = _CANONICAL.match(text)
    if m is None:
        return None
    whole, day, mon, year, hour, minute, second, zone = m.groups()
    known = _DAYS.get(whole, _UNKNOWN)
    if known is _UNKNOWN:
        known = _day(day, mon, year)
        if len(_DAYS) >= _CACHE_SIZE:
            _DAYS.clear()
        _DAYS[whole] = known
    if known is None:
        return None
    offset = _ZONE_SECONDS.get(zone)
    if offset is None:
        offset = (int(zone[1:3]) * 60 + int(zone[3:])) * (60 if zone[0] == "+" else -60)
        if len(_ZONE_SECONDS) < _CACHE_SIZE:
            _ZONE_SECONDS[zone] = offset
    seconds = known[0] + int(hour) * 3600 + int(minute) * 60 - offset  # type: ignore[index]
    if second:
        seconds += int(second)
    try:
        utc = datetime.fromtimestamp(seconds, UTC)
    except (ValueError, OverflowError, OSError):  # before year 1 or after 9999 once in UTC
        return None
    return utc, known[1]  # type: ignore[index]


_UNKNOWN = object()


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
