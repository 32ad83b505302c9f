"""One calendar's VEVENTs as meetings: times, people, and series grouped by UID.

A series (a master with RRULE/RDATE, its overridden instances, or overrides whose master is
missing) becomes one :class:`MeetingRecord` whose ``occurrences`` are its starts inside the
window. An event that cannot be placed in time is a :class:`RecordError`; a problem that only
affects its recurrence is a :class:`NoticeRecord` next to the meeting.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import Any

from icalendar import Component
from icalendar.prop import vBroken

from rekindle.history.records import Address, MeetingRecord
from rekindle.identity.records import NoticeRecord, RecordError
from rekindle.sources.ics_recurrence import (
    MAX_OCCURRENCES,
    RecurrenceIds,
    end_of,
    expand,
)
from rekindle.sources.ics_time import When, Zones, to_utc

SOURCE = "ics"
#: attendees that are places or things, not people
_NOT_PEOPLE = {"ROOM", "RESOURCE"}

Item = MeetingRecord | RecordError | NoticeRecord


class BadValueError(ValueError):
    """A property whose value could not be read."""


@dataclass
class EventFacts:
    """What one VEVENT says, with its times resolved."""

    index: int
    uid: str
    locator: str
    start: When
    end: When
    summary: str | None = None
    status: str | None = None
    organizer: Address | None = None
    attendees: list[tuple[Address, str]] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    rdates: list[When] = field(default_factory=list)
    exdates: RecurrenceIds = field(default_factory=RecurrenceIds)
    recurrence_id: When | None = None
    sequence: int = 0
    notices: list[str] = field(default_factory=list)


def _all(comp: Component, name: str) -> list[Any]:
    value = comp.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first(comp: Component, name: str) -> Any:
    values = _all(comp, name)
    return values[0] if values else None


def _text(comp: Component, name: str) -> str | None:
    value = _first(comp, name)
    if value is None:
        return None
    return str(value).strip() or None


def _time(comp: Component, name: str, zones: Zones, floating: tzinfo | None = None) -> When | None:
    """A DATE/DATE-TIME property resolved (None when absent; BadValueError when unreadable)."""
    prop = _first(comp, name)
    if prop is None:
        return None
    if isinstance(prop, vBroken) or not hasattr(prop, "dt"):
        raise BadValueError(f"unreadable {name} {str(prop)[:80]!r}")
    value = zones.localise(prop.dt, getattr(prop, "params", None), floating)
    if value is None:
        raise BadValueError(f"{name} is not a date or a date-time")
    return value


def _times(
    comp: Component, name: str, zones: Zones, floating: tzinfo | None, notices: list[str]
) -> list[When]:
    """The values of every RDATE/EXDATE line; unreadable ones are noted and skipped."""
    found: list[When] = []
    for prop in _all(comp, name):
        if isinstance(prop, vBroken) or not hasattr(prop, "dts"):
            notices.append(f"unreadable {name} ignored: {str(prop)[:80]!r}")
            continue
        for item in prop.dts:
            value = zones.localise(getattr(item, "dt", None), prop.params, floating)
            if value is not None:
                found.append(value)
    return found


def _duration(comp: Component) -> timedelta | None:
    prop = _first(comp, "DURATION")
    if prop is None or isinstance(prop, vBroken):
        return None
    value = getattr(prop, "dt", None)
    return value if isinstance(value, timedelta) else None


def parse_address(prop: Any) -> Address | None:
    """An ORGANIZER/ATTENDEE as an Address: ``mailto:`` lower-cased, CN as the name."""
    params = getattr(prop, "params", None) or {}
    value = str(prop).strip()
    name = str(params.get("CN", "")).strip().strip('"').strip()
    email = ""
    if value.lower().startswith("mailto:"):
        email = value[7:].strip()
    elif "@" in value and ":" not in value:
        email = value
    if "@" not in email and "@" in str(params.get("EMAIL", "")):
        email = str(params["EMAIL"]).strip()
    email = "".join(email.split()).lower() if "@" in email else ""
    if email:
        return Address(email, name)
    if name:
        return Address("", name, kind="name")
    return None


def _attendees(comp: Component) -> list[tuple[Address, str]]:
    found = []
    for prop in _all(comp, "ATTENDEE"):
        params = getattr(prop, "params", None) or {}
        if str(params.get("CUTYPE", "")).upper() in _NOT_PEOPLE:
            continue
        if str(params.get("ROLE", "")).upper() == "NON-PARTICIPANT":
            continue
        address = parse_address(prop)
        if address is not None:
            partstat = str(params.get("PARTSTAT", "")).strip().upper() or "NEEDS-ACTION"
            found.append((address, partstat))
    return found


def _raw(prop: Any) -> str:
    if prop is None:
        return ""
    try:
        text: str = prop.to_ical().decode("utf-8", "replace")
    except Exception:
        text = str(prop)
    params = getattr(prop, "params", None) or {}
    return text + "".join(f";{k}={params[k]}" for k in sorted(params))


def derive_uid(comp: Component) -> str:
    """A stable UID for an event without one: a hash of DTSTART, SUMMARY and ORGANIZER."""
    parts = (_raw(_first(comp, "DTSTART")), _text(comp, "SUMMARY") or "")
    blob = "\x1f".join((*parts, _raw(_first(comp, "ORGANIZER"))))
    return "derived-" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def parse_event(comp: Component, index: int, name: str, zones: Zones) -> EventFacts | RecordError:
    """The facts of one VEVENT, or a RecordError when it has no readable start."""
    uid = _text(comp, "UID")
    locator = f"{name}:{uid}" if uid else f"{name}:event {index}"
    try:
        start = _time(comp, "DTSTART", zones)
        if start is None:
            return RecordError(SOURCE, locator, "event has no DTSTART")
        zone = start.tzinfo if isinstance(start, datetime) else None
        recurrence_id = _time(comp, "RECURRENCE-ID", zones, zone)
    except BadValueError as exc:
        return RecordError(SOURCE, locator, str(exc))
    try:
        end = _time(comp, "DTEND", zones)
    except BadValueError:
        end = None
    try:
        sequence = int(str(_first(comp, "SEQUENCE") or 0).strip())
    except ValueError:
        sequence = 0
    facts = EventFacts(
        index=index,
        uid=uid or derive_uid(comp),
        locator=locator,
        start=start,
        end=end_of(start, end, _duration(comp) if end is None else None),
        summary=_text(comp, "SUMMARY"),
        status=(_text(comp, "STATUS") or "").upper() or None,
        organizer=parse_address(_first(comp, "ORGANIZER"))
        if _first(comp, "ORGANIZER") is not None
        else None,
        attendees=_attendees(comp),
        recurrence_id=recurrence_id,
        sequence=sequence,
    )
    for prop in _all(comp, "RRULE"):
        text = str(prop) if isinstance(prop, vBroken) else _rule_text(prop)
        facts.rules.append(text)
    facts.rdates = _times(comp, "RDATE", zones, zone, facts.notices)
    for value in _times(comp, "EXDATE", zones, zone, facts.notices):
        facts.exdates.add(value)
    return facts


def _rule_text(prop: Any) -> str:
    try:
        text: str = prop.to_ical().decode("utf-8", "replace")
        return text
    except Exception:
        return str(prop)


def _latest(items: Iterable[EventFacts]) -> EventFacts:
    return max(items, key=lambda f: (f.sequence, f.index))


def _in(window: tuple[datetime, datetime], when: datetime) -> bool:
    return window[0] <= when <= window[1]


def build_series(members: list[EventFacts], window: tuple[datetime, datetime]) -> Iterator[Item]:
    """One meeting for the VEVENTs sharing a UID, and notices about its recurrence."""
    masters = [m for m in members if m.recurrence_id is None]
    by_id: dict[datetime, tuple[When, list[EventFacts]]] = {}
    for m in members:
        if m.recurrence_id is not None:
            by_id.setdefault(to_utc(m.recurrence_id), (m.recurrence_id, []))[1].append(m)
    overrides = [(rid, _latest(group)) for rid, group in by_id.values()]
    notices: list[str] = []
    starts: set[datetime] = set()
    if masters:
        base = _latest(masters)
        recurring = bool(base.rules or base.rdates)
        overridden = RecurrenceIds()
        for rid, _ in overrides:
            overridden.add(rid)
        expansion = expand(base.start, base.rules, base.rdates, base.exdates, overridden, window)
        starts.update(expansion.starts)
        notices += base.notices + expansion.notices
        overrides = [(rid, o) for rid, o in overrides if rid not in base.exdates]
    else:  # instances whose master is not in this calendar
        base = min((o for _, o in overrides), key=lambda f: (to_utc(f.start), f.index))
        recurring = True
    for _, o in overrides:
        when = to_utc(o.start)
        if o.status != "CANCELLED" and _in(window, when):
            starts.add(when)
    occurrences = sorted(starts)
    if len(occurrences) > MAX_OCCURRENCES and not any("only the first" in n for n in notices):
        notices.append(
            f"more than {MAX_OCCURRENCES:,} occurrences in the window; "
            f"only the first {MAX_OCCURRENCES:,} are kept"
        )
    for message in dict.fromkeys(notices):
        yield NoticeRecord(SOURCE, base.locator, message)
    yield MeetingRecord(
        source=SOURCE,
        locator=base.locator,
        uid=base.uid,
        summary=base.summary,
        start=to_utc(base.start),
        end=to_utc(base.end),
        organizer=base.organizer,
        attendees=base.attendees,
        occurrences=occurrences[:MAX_OCCURRENCES],
        recurring=recurring,
        status=base.status,
        all_day=not isinstance(base.start, datetime),
    )


def parse_calendar_events(
    events: Iterable[tuple[int, Component]],
    name: str,
    zones: Zones,
    window: tuple[datetime, datetime],
) -> Iterator[Item]:
    """The meetings (and errors) of one calendar's VEVENTs, numbered by position in the file."""
    groups: dict[str, list[EventFacts]] = {}
    for index, comp in events:
        try:
            facts = parse_event(comp, index, name, zones)
        except Exception as exc:  # a value icalendar decoded into something unexpected
            uid = _text(comp, "UID")
            locator = f"{name}:{uid}" if uid else f"{name}:event {index}"
            yield RecordError(SOURCE, locator, f"unreadable event: {exc}")
            continue
        if isinstance(facts, RecordError):
            yield facts
            continue
        groups.setdefault(facts.uid, []).append(facts)
    for uid, members in groups.items():
        try:
            yield from build_series(members, window)
        except Exception as exc:  # never let one odd series end the file
            yield RecordError(SOURCE, members[0].locator, f"unreadable event {uid}: {exc}")
