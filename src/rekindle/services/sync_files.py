"""`rekindle sync mail PATH` and `rekindle sync calendar PATH`: archives on disk.

Re-running reads only what is new: an mbox resumes at the remembered offset when the bytes
before it are unchanged (else it is read again from the start, duplicates skipped); Maildir
and .eml folders skip the file names already stored; a calendar is read whole (it is small)
and only new or changed events are written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from rekindle.errors import ImportFileError
from rekindle.history.mail_rules import GROUP_LIMIT, classify_meeting, person_name
from rekindle.history.records import MeetingRecord
from rekindle.identity.records import ContactRecord, NoticeRecord, RawIdentity, RecordError
from rekindle.services import me as me_svc
from rekindle.services.history import Positioned, Progress, SyncReport, finish_sync, ingest
from rekindle.services.importing import add_contacts_in
from rekindle.services.linkedin_self import learn_own_profile, missing_profile_notice
from rekindle.services.reader_process import Handover
from rekindle.services.ties import refresh_ties
from rekindle.sources import check_readable
from rekindle.sources.base import read_head
from rekindle.sources.ics import read_ics, sniff_ics
from rekindle.sources.linkedin_messages import read_linkedin_messages
from rekindle.sources.maildir import (
    count_files,
    maildir_key,
    read_eml,
    read_maildir,
    sniff_mail,
)
from rekindle.sources.mbox import MboxMark, envelope_after, mark_matches, read_mbox
from rekindle.store import Store, open_store
from rekindle.store import mail as mq
from rekindle.store.database import utcnow
from rekindle.store.settings import get_settings

#: an mbox position is remembered every this many messages (a killed sync re-reads at most these)
MARK_EVERY = 500
#: an mbox with at least this many bytes left to read is parsed in a child process
IN_CHILD_FROM = 16 << 20
#: an mbox with at least this many bytes left is parsed in parts by two child processes, parts
#: of about PART_BYTES (at most MAX_PARTS): the more parts, the less either core waits at the end
SPLIT_FROM = 64 << 20
PART_BYTES = 32 << 20
MAX_PARTS = 64
MAIL_FORMATS = (
    "an mbox file, a Maildir, an .eml file or folder of them, a LinkedIn export or messages.csv"
)
#: calendars: recurring series are expanded only inside this window around now
WINDOW_PAST_DAYS = 365 * 15
WINDOW_FUTURE_DAYS = 365


def _is_linkedin(path: Path) -> bool:
    if path.is_dir():
        return any(p.name.lower() in ("messages.csv",) for p in path.iterdir()) or any(
            p.suffix.lower() == ".zip" and "linkedin" in p.name.lower() for p in path.iterdir()
        )
    name = path.name.lower()
    if name.endswith(".zip"):
        return "linkedin" in name or read_head(path, 4) == b"PK\x03\x04"
    return name.endswith(".csv") and b"CONVERSATION ID" in read_head(path, 4096).upper().replace(
        b'"', b""
    )


def sync_mail_path(
    store: Store, path: Path, *, progress: Progress | None = None, now: datetime | None = None
) -> SyncReport:
    check_readable(path)
    now = now or utcnow()
    locator = str(path.resolve())
    if _is_linkedin(path):
        found = learn_own_profile(store, path)
        report = ingest(
            store,
            "linkedin",
            locator,
            lambda state: read_linkedin_messages(path),
            progress=progress,
            now=now,
        )
        missing = missing_profile_notice(store, path, report.counts.skipped)
        report.notices[:0] = [n for n in (found, missing) if n is not None]
        return report
    kind = sniff_mail(path)
    if kind == "mbox":
        return _sync_mbox(store, path, locator, progress, now)
    if kind in ("maildir", "eml"):
        return _sync_files(store, path, locator, kind, progress, now)
    raise ImportFileError(
        f"{path}: no mail found here", hint=f"give {MAIL_FORMATS}, or imap://user@host/"
    )


def sync_for_bench(
    db_path: object, mbox_path: object, me: tuple[str, ...] = ("me@example.org",)
) -> int:
    """A full sync of one mbox into the database at ``db_path``, with ``me`` as the user's
    addresses (what bench/scan_mail.py times); returns the messages read."""
    store = open_store(str(db_path))
    try:
        for address in me:
            me_svc.add_address(store, address)
        return sync_mail_path(store, Path(str(mbox_path))).counts.read
    finally:
        store.close()


def _sync_mbox(
    store: Store, path: Path, locator: str, progress: Progress | None, now: datetime
) -> SyncReport:
    archive = _MboxArchive(path, now)
    report = ingest(
        store,
        "mbox",
        locator,
        archive.items,
        on_item=archive.on_item,
        progress=progress,
        now=now,
        in_children=archive.parts,
        share=archive.share,
    )
    if report.counts.read == 0:
        report.note = "the archive is unchanged since the last sync"
    return report


class _MboxArchive:
    """How an mbox is read for :func:`ingest`: from the remembered offset when the bytes
    before it are unchanged, in parts by child processes when much is left to read."""

    def __init__(self, path: Path, now: datetime) -> None:
        self.path = path
        self.now = now
        self.size = path.stat().st_size

    def start_of(self, state: dict[str, Any]) -> int:
        if state.get("offset"):
            mark = MboxMark(int(state["offset"]), str(state.get("tail_hash", "")))
            return mark.offset if mark_matches(self.path, mark) else 0
        return 0

    def stretch(self, start: int, stop: int | None = None) -> Iterator[Any]:
        if start and start >= self.path.stat().st_size:
            return
        for item in read_mbox(
            self.path, start_offset=start, now=self.now, mark_every=MARK_EVERY, stop_offset=stop
        ):
            yield Positioned(None, item) if isinstance(item, MboxMark) else item

    def items(self, state: dict[str, Any]) -> Iterator[Any]:
        return self.stretch(self.start_of(state))

    def handing_over(self, begin: int, end: int) -> Iterator[Any]:
        return _handing_over(self.stretch(begin, end), end)

    def parts(self, state: dict[str, Any]) -> list[Callable[[], Iterable[Any]]] | None:
        """Much left to read: parse in child processes while this one stores (in parts cut at
        envelope lines, which two children read ahead, when there is a lot)."""
        start, size = self.start_of(state), self.path.stat().st_size
        left = size - start
        if left < IN_CHILD_FROM:
            return None
        count = min(MAX_PARTS, left // PART_BYTES) if left >= SPLIT_FROM else 1
        cuts = sorted(
            {
                cut
                for i in range(1, count)
                if (cut := envelope_after(self.path, start + i * left // count)) is not None
                and start < cut < size
            }
        )
        bounds = [start, *cuts]
        parts: list[Callable[[], Iterable[Any]]] = [
            partial(self.handing_over, begin, end)
            for begin, end in zip(bounds, bounds[1:], strict=False)
        ]
        return [*parts, partial(self.stretch, bounds[-1])]

    @staticmethod
    def on_item(item: Any, state: dict[str, Any]) -> None:
        if isinstance(item, MboxMark):
            state["offset"], state["tail_hash"] = item.offset, item.tail_hash

    def share(self, state: dict[str, Any]) -> float | None:
        return min(1.0, int(state.get("offset") or 0) / self.size) if self.size else None


def _handing_over(items: Iterator[Any], split: int) -> Iterator[Any]:
    """A first stretch's items, then whether it ended at ``split`` (the next one's start)."""
    last = None
    for item in items:
        if isinstance(item, Positioned) and isinstance(item.position, MboxMark):
            last = item.position.offset
        yield item
    yield Handover(last == split)


def _sync_files(
    store: Store, path: Path, locator: str, kind: str, progress: Progress | None, now: datetime
) -> SyncReport:
    new_names: list[str] = []
    known: set[str] = set()
    total = done = 0

    def items(state: dict[str, Any]) -> Iterator[Any]:
        if not total:  # nothing new: the folders are not walked twice
            return
        reader = read_maildir if kind == "maildir" else read_eml
        for item in reader(path, seen=lambda name: name in known, now=now):
            if isinstance(item, RecordError | NoticeRecord):
                yield item
                continue
            yield Positioned(item, maildir_key(item.locator))

    def on_item(name: Any, state: dict[str, Any]) -> None:
        nonlocal done
        done += 1
        if isinstance(name, str):
            new_names.append(name)

    def share(state: dict[str, Any]) -> float | None:
        return min(1.0, done / total) if total else None

    def persist(conn: Connection, source_id: int, state: dict[str, Any]) -> None:
        mq.add_seen(conn, source_id, [n for n in dict.fromkeys(new_names) if n not in known])
        known.update(new_names)
        new_names.clear()

    with store.begin() as conn:
        source_id, _ = mq.ensure_source(conn, store.owner_id, kind, locator)
        known.update(mq.seen_names(conn, source_id))
    total = count_files(path, maildir=kind == "maildir", seen=known.__contains__)
    report = ingest(
        store,
        kind,
        locator,
        items,
        on_item=on_item,
        persist=persist,
        progress=progress,
        now=now,
        share=share,
    )
    if report.counts.read == 0:
        report.note = "no new files since the last sync"
    return report


def sync_calendar_path(
    store: Store, path: Path, *, progress: Progress | None = None, now: datetime | None = None
) -> SyncReport:
    """Store the meetings of an .ics export and derive their interactions."""
    check_readable(path)
    now = now or utcnow()
    if path.is_file() and not sniff_ics(path, read_head(path)):
        raise ImportFileError(f"{path}: not an iCalendar file", hint="export your calendar as .ics")
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
    mq.delete_derived(conn, owner_id, ["calendar"], [key])
    if facts.skip or facts.when is None:
        report.counts.skipped[facts.skip or "not yet happened"] += 1
        return set()
    if len(facts.others) <= GROUP_LIMIT:
        _meet_new_people(conn, owner_id, event, facts.others, emails, report, now)
    people = [(emails[a], "email", a) for a in facts.others if a in emails]
    if not people:
        report.counts.skipped["nobody you know on it"] += 1
        return set()
    row = mq.InteractionRow(
        source="calendar",
        natural_key=key,
        occurred_at=facts.when,
        channel="meeting",
        direction="both",
        subject=event.summary,
        thread=None,
        group_size=len(facts.others),
        import_id=None,
    )
    mq.insert_interactions(conn, owner_id, [row], [people])
    report.counts.interactions += 1
    return {p for p, _, _ in people}


def _attendee_rows(event: MeetingRecord) -> list[dict[str, Any]]:
    """The meeting's attendees as stored, the organizer last."""
    attendees: list[dict[str, Any]] = [
        {
            "address": a.value.lower()[:500],
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
                "address": event.organizer.value.lower()[:500],
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
        a.value.lower(): a.name for a, stat in event.attendees if (stat or "").upper() == "ACCEPTED"
    }
    if event.organizer and event.organizer.value:
        accepted[event.organizer.value.lower()] = event.organizer.name
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


__all__ = ["sync_calendar_path", "sync_mail_path"]
