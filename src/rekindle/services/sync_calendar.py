"""`rekindle sync calendar PATH`: an .ics export on disk.

A calendar is read whole (it is small) and only new or changed events are written; recurring
series are expanded only inside a window around now.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from rekindle.errors import ImportFileError
from rekindle.history.mail_rules import (
    GROUP_LIMIT,
    MeetingFacts,
    address_key,
    classify_meeting,
    person_name,
)
from rekindle.history.records import MeetingRecord
from rekindle.identity.records import ContactRecord, NoticeRecord, RawIdentity, RecordError
from rekindle.services.history import Progress, SyncReport, finish_sync
from rekindle.services.importing import add_contacts_in
from rekindle.services.ties import refresh_ties
from rekindle.sources import check_readable
from rekindle.sources.base import read_head
from rekindle.sources.ics import read_ics, sniff_ics
from rekindle.store import Store, history
from rekindle.store import mail as mq
from rekindle.store.database import utcnow
from rekindle.store.mail_rows import InteractionRow
from rekindle.store.settings import get_settings

#: calendars: recurring series are expanded only inside this window around now
WINDOW_PAST_DAYS = 365 * 15
WINDOW_FUTURE_DAYS = 365


def sync_calendar_path(
    store: Store, path: Path, *, progress: Progress | None = None, now: datetime | None = None
) -> SyncReport:
    """Store the meetings of an .ics export and derive their interactions."""
    check_readable(path)
    now = now or utcnow()
    if path.is_file():
        head = read_head(path)
        if not head:
            raise ImportFileError(f"{path}: the file is empty", hint="export your calendar as .ics")
        if not sniff_ics(path, head):
            raise ImportFileError(
                f"{path}: not an iCalendar file", hint="export your calendar as .ics"
            )
    report = SyncReport(kind="calendar", locator=str(path.resolve()))
    window = (now - timedelta(days=WINDOW_PAST_DAYS), now + timedelta(days=WINDOW_FUTURE_DAYS))
    with store.begin() as conn:
        source_id, state = mq.ensure_source(conn, store.owner_id, "calendar", report.locator)
        report.resumed = bool(state)
        mine = mq.my_addresses(conn, store.owner_id)
        emails = mq.email_map(conn, store.owner_id)
        touched: set[int] = set()
        for n, item in enumerate(
            read_ics(path, window_start=window[0], window_end=window[1]), start=1
        ):
            if progress is not None and n % 200 == 0:
                progress(n)
            if isinstance(item, RecordError):
                report.errors.append(item)
            elif isinstance(item, NoticeRecord):
                report.notices.append(item)
            elif isinstance(item, MeetingRecord):
                touched |= _add_meeting(conn, store.owner_id, item, mine, emails, report, now)
        mq.save_source(
            conn,
            source_id,
            {"read": True},
            {"read": report.counts.read, "new": report.counts.new},
            now,
        )
        if touched:
            refresh_ties(conn, store.owner_id, touched, now)
        finish_sync(conn, store.owner_id, now, report, progress=progress)
    return report


def _add_meeting(
    conn: Connection,
    owner_id: int,
    event: MeetingRecord,
    mine: set[str],
    emails: dict[str, int],
    report: SyncReport,
    now: datetime,
) -> set[int]:
    """Store one meeting (when new or changed) and its interaction with the people on it;
    the persons it touched."""
    report.counts.read += 1
    attendees = _attendee_rows(event)
    changed = mq.upsert_meeting(conn, owner_id, _meeting_values(event, len(attendees)), attendees)
    if not changed:
        report.counts.duplicates += 1
        return set()
    report.counts.new += 1
    facts = classify_meeting(event, mine, now)
    key = "ics:" + event.uid
    mq.delete_meeting_interactions(conn, owner_id, key)
    if facts.skip or facts.when is None:
        report.counts.skipped[facts.skip or "not yet happened"] += 1
        return set()
    if len(facts.others) <= GROUP_LIMIT:
        _meet_new_people(conn, owner_id, event, facts.others, emails, report, now)
    people = [(emails[a], "email", a) for a in facts.others if a in emails]
    if not people:
        report.counts.skipped["nobody you know on it"] += 1
        return set()
    rows = _meeting_rows(event, key, facts)
    history.insert_interactions(conn, owner_id, rows, [people] * len(rows))
    report.counts.interactions += len(rows)
    return {p for p, _, _ in people}


def _meeting_rows(event: MeetingRecord, key: str, facts: MeetingFacts) -> list[InteractionRow]:
    """One interaction per time the meeting was held: a single event once, a series once per
    past occurrence inside the window (its key ``ics:UID#start``, its thread the series' key,
    which marks it as one of a series for the tie statistics)."""
    series = event.recurring and len(facts.held) > 0
    return [
        InteractionRow(
            source="calendar",
            natural_key=f"{key}#{when.isoformat()}" if series else key,
            occurred_at=when,
            channel="meeting",
            direction="both",
            subject=event.summary,
            thread=key if series else None,
            group_size=len(facts.others),
            import_id=None,
        )
        for when in (facts.held if series else (facts.when,))
        if when is not None
    ]


def _attendee_rows(event: MeetingRecord) -> list[dict[str, Any]]:
    """The meeting's attendees as stored, the organizer last."""
    attendees: list[dict[str, Any]] = [
        {
            "address": address_key(a)[:500],
            "name": a.name[:500] or None,
            "partstat": (stat or "").upper() or None,
            "organizer": False,
        }
        for a, stat in event.attendees
        if a.value
    ]
    if event.organizer and event.organizer.value:
        attendees.append(
            {
                "address": address_key(event.organizer)[:500],
                "name": event.organizer.name[:500] or None,
                "partstat": "ACCEPTED",
                "organizer": True,
            }
        )
    return attendees


def _meeting_values(event: MeetingRecord, attendees: int) -> dict[str, Any]:
    """The meeting's own row."""
    return {
        "uid": event.uid[:600],
        "summary": event.summary,
        "start": event.start,
        "end": event.end,
        "recurring": event.recurring,
        "occurrences": max(1, len(event.occurrences)),
        "status": event.status,
        "attendees": attendees,
        "source": "ics",
        "locator": event.locator,
    }


def _meet_new_people(
    conn: Connection,
    owner_id: int,
    event: MeetingRecord,
    others: tuple[str, ...],
    emails: dict[str, int],
    report: SyncReport,
    now: datetime,
) -> None:
    """People who accepted a small meeting with me are real ties: store them as contacts."""
    accepted = {
        address_key(a): a.name
        for a, stat in event.attendees
        if a.value and (stat or "").upper() == "ACCEPTED"
    }
    if event.organizer and event.organizer.value:
        accepted[address_key(event.organizer)] = event.organizer.name
    fresh = [a for a in others if a not in emails and a in accepted]
    if not fresh:
        return
    records = [
        ContactRecord(
            source="calendar",
            locator=event.locator,
            payload=f"{accepted[a]} <{a}>".strip(),
            source_id=f"calendar:{a}",
            full_name=person_name(accepted[a]),
            identities=[RawIdentity("email", a)],
        )
        for a in fresh
    ]
    region = get_settings(conn, owner_id).get("region")
    report.counts.new_people += add_contacts_in(
        conn, owner_id, records, "calendar", "calendar", region, now, fresh=True
    ).new
    emails.update(mq.email_map(conn, owner_id))


__all__ = ["sync_calendar_path"]
