"""iCalendar files (``.ics``) as meetings: one file, or a folder of them read in order.

Every VEVENT becomes a :class:`MeetingRecord` (a recurring series is one record whose
``occurrences`` are its starts inside the window; a single event outside the window has no
occurrences). The text is made regular before icalendar reads it: BOM and NULs removed, CRLF,
lone CR and LF all end a line, folded lines joined, blank lines and components other than
VEVENT and VTIMEZONE (alarms, to-dos) dropped. Each VCALENDAR of a file is read on its own;
when one cannot be read whole, its events are read one by one, so a broken event is one
:class:`RecordError` (``file:UID`` or ``file:event N``) and a file with nothing readable is one.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import count
from pathlib import Path

from icalendar import Calendar, Component

from rekindle.history.records import MeetingRecord
from rekindle.identity.records import NoticeRecord, RecordError
from rekindle.sources.csv_table import UTF8_FALLBACK
from rekindle.sources.ics_events import SOURCE, parse_calendar_events
from rekindle.sources.ics_time import Zones, as_aware

__all__ = ["SOURCE", "read_ics", "sniff_ics"]

#: a larger file is refused (one RecordError) rather than read into memory
MAX_FILE_BYTES = 64 << 20
_KEPT = {"VCALENDAR", "VEVENT", "VTIMEZONE", "STANDARD", "DAYLIGHT"}
_COMPONENT = re.compile(r"^BEGIN:V[A-Z]+\s*$", re.I | re.M)
_UID_LINE = re.compile(r"UID(?:;[^:]*)?:(.*)", re.I)

Item = MeetingRecord | RecordError | NoticeRecord
Window = tuple[datetime, datetime]


def read_ics(path: Path, *, window_start: datetime, window_end: datetime) -> Iterator[Item]:
    """The meetings of a ``.ics`` file, or of every ``.ics`` under a folder (sorted by path).

    Recurring series are expanded only inside [``window_start``, ``window_end``] (naive
    bounds are read as UTC). Never raises for bad content: problems are RecordErrors.
    """
    window = (as_aware(window_start).astimezone(UTC), as_aware(window_end).astimezone(UTC))
    if path.is_dir():
        files = [p for p in path.rglob("*") if p.suffix.lower() == ".ics" and p.is_file()]
        for file in sorted(files, key=lambda p: p.relative_to(path).as_posix()):
            yield from _read_file(file, file.relative_to(path).as_posix(), window)
        return
    yield from _read_file(path, path.name, window)


def sniff_ics(path: Path, head: bytes) -> float:
    """0.95 for a file whose head holds ``BEGIN:VCALENDAR``; 0.9 for a folder of ``.ics``."""
    if path.is_dir():
        return 0.9 if any(p.suffix.lower() == ".ics" for p in path.iterdir()) else 0.0
    return 0.95 if b"BEGIN:VCALENDAR" in head.replace(b"\x00", b"").upper() else 0.0


def _read_file(path: Path, name: str, window: Window) -> Iterator[Item]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            yield RecordError(SOURCE, name, f"larger than {MAX_FILE_BYTES >> 20} MB; not read")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield RecordError(SOURCE, name, f"cannot be read: {exc.strerror or exc}")
        return
    yield from parse_ics_bytes(data, name, window)


def parse_ics_bytes(data: bytes, name: str, window: Window) -> Iterator[Item]:
    """The meetings of one file's bytes; ``name`` is the file name locators use."""
    text = decode_text(data)
    blocks = split_calendars(kept_lines(text))
    if not blocks:
        if not _COMPONENT.search(text):
            yield RecordError(SOURCE, name, "not an iCalendar file (no BEGIN:VCALENDAR)")
        return  # only to-dos, journals, time zones…: no meetings
    numbers = count(1)
    for block in blocks:
        yield from _parse_block(block, name, numbers, window)


def decode_text(data: bytes) -> str:
    """The file as text: UTF-16/32 by their BOM, else UTF-8 with stray cp1252 bytes read."""
    for bom, encoding in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    text = data.decode("utf-8", errors=UTF8_FALLBACK)
    return text.replace("\ufeff", "").replace("\x00", "")


def kept_lines(text: str) -> list[str]:
    """Unfolded, non-blank content lines, without the components meetings do not need."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"\n+[ \t]", "", text)
    kept: list[str] = []
    skipping: list[str] = []  # the open components being dropped
    for line in text.split("\n"):
        if not line.strip():
            continue
        key, _, value = line.strip().upper().partition(":")
        component = value.strip()
        if skipping:
            if key == "BEGIN":
                if component in ("VEVENT", "VCALENDAR", "VTIMEZONE"):
                    skipping = []  # an unterminated component: stop dropping
                else:
                    skipping.append(component)
                    continue
            elif key == "END":
                if component == skipping[-1]:
                    skipping.pop()
                    continue
                if component in ("VEVENT", "VCALENDAR", "VTIMEZONE"):
                    skipping = []
                else:
                    continue
            else:
                continue
        if key in ("BEGIN", "END") and component not in _KEPT:
            if key == "BEGIN":
                skipping.append(component)
            continue  # an END without its BEGIN is dropped too
        kept.append(line)
    return kept


def split_calendars(lines: list[str]) -> list[list[str]]:
    """Each VCALENDAR's lines (closed when the file ends early); stray VEVENTs outside any
    calendar make one more."""
    blocks: list[list[str]] = []
    current: list[str] | None = None
    loose: list[str] = []
    for line in lines:
        key = line.strip().upper()
        if key == "BEGIN:VCALENDAR":
            if current is not None:
                blocks.append([*current, "END:VCALENDAR"])
            current = [line]
        elif key == "END:VCALENDAR":
            if current is not None:
                blocks.append([*current, line])
                current = None
        elif current is not None:
            current.append(line)
        else:
            loose.append(line)
    if current is not None:
        blocks.append([*current, "END:VCALENDAR"])
    if any(line.strip().upper() == "BEGIN:VEVENT" for line in loose):
        blocks.append(["BEGIN:VCALENDAR", *loose, "END:VCALENDAR"])
    return blocks


def _parse(lines: list[str]) -> Calendar:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        calendar = Calendar.from_ical("\r\n".join(lines) + "\r\n")
    if not isinstance(calendar, Calendar):
        raise ValueError(f"a {calendar.name} where a VCALENDAR was expected")
    return calendar


def _events(calendar: Component) -> list[Component]:
    return [c for c in calendar.subcomponents if c.name == "VEVENT"]


def _parse_block(
    block: list[str], name: str, numbers: count[int], window: Window
) -> Iterator[Item]:
    try:
        calendar = _parse(block)
        zones = Zones(calendar)
        events = [(next(numbers), c) for c in _events(calendar)]
    except Exception as exc:
        yield from _salvage(block, name, numbers, window, exc)
        return
    yield from parse_calendar_events(events, name, zones, window)


def _pieces(block: list[str]) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """A calendar's X-WR-TIMEZONE lines, its VTIMEZONEs and its VEVENTs, as line lists."""
    header: list[str] = []
    timezones: list[list[str]] = []
    events: list[list[str]] = []
    current: list[str] | None = None
    depth = 0
    for line in block[1:-1]:
        key = line.strip().upper()
        if current is None:
            if key in ("BEGIN:VEVENT", "BEGIN:VTIMEZONE"):
                current, depth = [line], 1
                (events if key == "BEGIN:VEVENT" else timezones).append(current)
            elif key.startswith("X-WR-TIMEZONE"):
                header.append(line)
            continue
        current.append(line)
        depth += key.startswith("BEGIN:") - key.startswith("END:")
        if depth == 0:
            current = None
    if current is not None and depth > 0:
        current.append("END:" + current[0].strip()[6:])
    return header, timezones, events


def _salvage(
    block: list[str], name: str, numbers: count[int], window: Window, error: Exception
) -> Iterator[Item]:
    """A calendar icalendar refused whole, read event by event."""
    header, timezones, event_blocks = _pieces(block)
    if not event_blocks:
        yield RecordError(SOURCE, name, f"unreadable calendar: {_short(error)}")
        return
    good: list[str] = ["BEGIN:VCALENDAR"]
    for piece in [header, *timezones]:
        try:
            _parse(["BEGIN:VCALENDAR", *piece, "END:VCALENDAR"])
            good += piece
        except Exception:
            continue
    try:
        zones = Zones(_parse([*good, "END:VCALENDAR"]))
    except Exception:
        zones = Zones(None)
    yield NoticeRecord(
        SOURCE, name, f"calendar not readable whole ({_short(error)}); read event by event"
    )
    events = []
    for lines in event_blocks:
        index = next(numbers)
        try:
            found = _events(_parse(["BEGIN:VCALENDAR", *lines, "END:VCALENDAR"]))
            events.append((index, found[0]))
        except Exception as exc:
            uid = next((m[1].strip() for line in lines if (m := _UID_LINE.fullmatch(line))), "")
            locator = f"{name}:{uid}" if uid else f"{name}:event {index}"
            yield RecordError(SOURCE, locator, f"unreadable event: {_short(exc)}")
    yield from parse_calendar_events(events, name, zones, window)


def _short(exc: Exception) -> str:
    """The library's complaint on one line (it may quote the calendar's lines)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:200] + "…"
