"""Syncing history: messages and meetings in, interactions and tie statistics out.

Messages are committed in batches together with the reader's position, so a sync killed
half-way keeps what it stored and the next run resumes after it. Deriving interactions and
refreshing tie statistics happen at the end of every run and catch up on anything an earlier,
interrupted run stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any, Protocol

from sqlalchemy import Connection

from rekindle.history.records import MessageRecord
from rekindle.identity.new_address import Continuation
from rekindle.identity.records import ContactRecord, NoticeRecord, RecordError
from rekindle.plural import counted
from rekindle.services.importing import add_contacts_in
from rekindle.services.life_events import detect_mail_domains
from rekindle.services.mail_ingest import (
    CHUNK,
    MailCounts,
    MessageStore,
    PreparedMessage,
    derive,
    rederive_all,
)
from rekindle.services.meetup_rsvp import note_answers
from rekindle.services.outreach import note_replies
from rekindle.services.reader_process import read_in_parts
from rekindle.services.ties import refresh_ties
from rekindle.store import Store
from rekindle.store import mail as mq
from rekindle.store.database import utcnow
from rekindle.store.settings import get_settings

#: the reader's position, updated as items pass and saved with every committed batch
StateUpdate = Callable[[Any, dict[str, Any]], None]


class Progress(Protocol):
    """Told how far a sync got: the messages (or events) read so far, the share of the
    archive read where it is known, and the stage once reading is over."""

    def __call__(
        self, read: int, share: float | None = None, stage: str | None = None, /
    ) -> None: ...


#: the stages after reading, as a progress line names them
DERIVING = "learning who you talked to"
TIES = "updating tie statistics"


@dataclass(frozen=True, slots=True)
class Positioned:
    """A reader's item together with where the reader is (an offset, a UID) after it."""

    record: Any
    position: Any


@dataclass
class SyncReport:
    kind: str
    locator: str
    counts: MailCounts = field(default_factory=MailCounts)
    errors: list[RecordError] = field(default_factory=list)
    notices: list[NoticeRecord] = field(default_factory=list)
    ties_refreshed: int = 0
    replies: int = 0
    meetup_answers: int = 0
    life_events: int = 0
    resumed: bool = False
    note: str | None = None
    #: new addresses that look like known people's (suggested for merging)
    new_addresses: list[Continuation] = field(default_factory=list)

    def summary(self) -> str:
        c = self.counts
        if c.read == 0 and not self.errors:
            return f"nothing new in {self.locator}" + (f" ({self.note})" if self.note else "")
        unit = "event" if self.kind == "calendar" else "message"
        line = f"{counted(c.read, unit)} read"
        if c.duplicates:
            line += f", {c.duplicates:,} already stored (or copies in other folders)"
        if self.errors:
            line += f", {len(self.errors):,} unreadable"
        line += f"; {c.new:,} new: " + ", ".join(self._new_parts())
        if c.new_people:
            why = "met in a meeting" if self.kind == "calendar" else "two-way exchanges"
            line += f"; {counted(c.new_people, 'new person', 'new people')} ({why})"
        if self.new_addresses:
            line += (
                f"; {counted(len(self.new_addresses), 'new address', 'new addresses')} of "
                "people you know (`rekindle merge --review`)"
            )
        if self.replies:
            line += f"; {counted(self.replies, 'reply', 'replies')} to your outreach (`rekindle outreach`)"
        if self.meetup_answers:
            line += f"; {counted(self.meetup_answers, 'meetup answer')} (`rekindle meetup list`)"
        if self.life_events:
            line += f"; {counted(self.life_events, 'life event')} (`rekindle occasions`)"
        return line

    def unexplained(self) -> int:
        """New items that are neither an interaction nor skipped for a reason: mail to or from
        you with nobody you know on it (a person is made only from a two-way exchange)."""
        c = self.counts
        return max(0, c.new - c.interactions - sum(c.skipped.values()))

    def _new_parts(self) -> list[str]:
        """What became of the new items, adding up to their number: interactions, the ones
        that are not (and why), the ones with nobody known."""
        c = self.counts
        parts = [counted(c.interactions, "interaction")]
        skipped = sum(c.skipped.values())
        if skipped:
            why = ", ".join(f"{n:,} {reason}" for reason, n in c.skipped.most_common())
            parts.append(f"{skipped:,} not interactions ({why})")
        if self.unexplained():
            nobody = "with nobody you know" if self.kind != "calendar" else "nobody you know on it"
            parts.append(f"{self.unexplained():,} {nobody}")
        return parts


def _region(conn: Connection, owner_id: int) -> str | None:
    return get_settings(conn, owner_id).get("region")


def _adder(owner_id: int, now: datetime) -> Callable[[Connection, list[ContactRecord]], int]:
    def add(conn: Connection, records: list[ContactRecord]) -> int:
        # people learnt from mail have an address and a name: nothing that merges without
        # asking, so their merge suggestions wait until suggestions are shown
        region = _region(conn, owner_id)
        return add_contacts_in(
            conn, owner_id, records, "mail", "mail", region, now, fresh=True, suggest_later=True
        ).new

    return add


def finish_sync(
    conn: Connection,
    owner_id: int,
    now: datetime,
    report: SyncReport | None = None,
    everything: bool = False,
    collector: MessageStore | None = None,
    progress: Progress | None = None,
) -> None:
    """Derive interactions for new messages, refresh the tie statistics they touch and note
    people who lately started writing from a new work domain (a life event)."""
    read = report.counts.read if report is not None else 0
    if progress is not None:
        progress(read, None, DERIVING)
    add = _adder(owner_id, now)
    if everything:
        written, created, persons = rederive_all(conn, owner_id, now, add_contacts=add)
    else:
        written, created, persons = derive(
            conn,
            owner_id,
            now,
            add_contacts=add,
            fresh_from=collector.first_id if collector is not None else None,
            continued=report.new_addresses if report is not None else None,
            fresh=collector.fresh if collector is not None else None,
        )
    if progress is not None and persons:
        progress(read, None, TIES)
    everyone = collector.fresh.contacts if collector is not None else None
    refreshed = refresh_ties(conn, owner_id, persons, now, everyone) if persons else 0
    if collector is not None:
        collector.fresh.contacts = None
    replies = note_replies(conn, owner_id, now)
    answers = note_answers(
        conn, owner_id, now, report.kind if report else None, report.locator if report else None
    )
    events = detect_mail_domains(conn, owner_id, persons, now) if persons else 0
    if report is not None:
        report.counts.interactions += written
        report.counts.new_people += created
        report.ties_refreshed += refreshed
        report.replies += replies
        report.meetup_answers += answers
        report.life_events += events


def ingest(
    store: Store,
    kind: str,
    locator: str,
    items: Callable[[dict[str, Any]], Iterable[Any]],
    *,
    on_item: StateUpdate | None = None,
    persist: Callable[[Connection, int, dict[str, Any]], None] | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
    in_children: Callable[[dict[str, Any]], list[Callable[[], Iterable[Any]]] | None] | None = None,
    share: Callable[[dict[str, Any]], float | None] | None = None,
) -> SyncReport:
    """Run a reader and store what it yields, batch by batch, with its state.

    ``items(state)`` starts the reader from the saved ``state``; ``on_item(item, state)``
    updates the state as items pass (a byte offset, a UID); ``persist(conn, source_id, state)``
    writes anything that is not plain state (Maildir file names). Every batch commits messages
    and state together. When ``in_children(state)`` gives the reader's parts (readers of
    consecutive stretches of the archive), they run in child processes that also prepare each
    message for storing, while this process stores them. ``share(state)`` tells ``progress``
    how much of the archive is read.
    """
    now = now or utcnow()
    report = SyncReport(kind=kind, locator=locator)
    with store.begin() as conn:
        source_id, state = mq.ensure_source(conn, store.owner_id, kind, locator)
        report.resumed = bool(state)
        # on a first sync the plain indexes are built once everything is loaded
        deferred = mq.defer_indexes(conn)
        if not deferred:
            mq.build_indexes(conn)  # missing when a first sync was killed while loading
        collector = MessageStore(conn, store.owner_id, report.counts)
    batches = _Batches(
        report, collector, state, _stream(items, in_children, state, collector), on_item
    )
    # a first sync's load inserts only rows whose references it has just made: SQLite checks
    # them once it is over instead of row by row
    begin = store.begin_loading if deferred else store.begin
    while not batches.exhausted:
        with begin() as conn:
            batches.take(progress, share)
            collector.flush(conn)
            if persist is not None:
                persist(conn, source_id, state)
            mq.save_source(conn, source_id, state, _counts(report), now)
    if deferred:
        with store.begin() as conn:
            mq.check_references(conn)
            mq.build_indexes(conn)
    with store.begin() as conn:
        finish_sync(conn, store.owner_id, now, report, collector=collector, progress=progress)
    return report


def _stream(
    items: Callable[[dict[str, Any]], Iterable[Any]],
    in_children: Callable[[dict[str, Any]], list[Callable[[], Iterable[Any]]] | None] | None,
    state: dict[str, Any],
    collector: MessageStore,
) -> Iterator[Any]:
    """The reader's items from ``state`` on: read (and prepared) by child processes when the
    reader gives parts, else by this one."""
    parts = in_children(state) if in_children is not None else None
    if parts:
        prepare = collector.prepare
        return iter(read_in_parts([partial(_prepared, part, prepare) for part in parts]))
    return iter(items(state))


class _Batches:
    """Takes the reader's items into the collector a batch (:data:`CHUNK` messages) at a time,
    keeping the reader's state and the report up to date as they pass."""

    def __init__(
        self,
        report: SyncReport,
        collector: MessageStore,
        state: dict[str, Any],
        stream: Iterator[Any],
        on_item: StateUpdate | None,
    ) -> None:
        self.report = report
        self.collector = collector
        self.state = state
        self.stream = stream
        self.on_item = on_item
        self.exhausted = False
        self.seen = 0

    def take(
        self, progress: Progress | None, share: Callable[[dict[str, Any]], float | None] | None
    ) -> None:
        """Items until a batch is full or the reader is done (then ``exhausted``)."""
        report, collector, state, on_item = self.report, self.collector, self.state, self.on_item
        self.exhausted = True
        for raw in self.stream:
            self.seen += 1
            item = raw.record if isinstance(raw, Positioned) else raw
            if isinstance(item, MessageRecord | PreparedMessage):
                collector.add(item)
            elif isinstance(item, RecordError):
                report.errors.append(item)
            elif isinstance(item, NoticeRecord):
                report.notices.append(item)
            if on_item is not None:
                on_item(raw.position if isinstance(raw, Positioned) else item, state)
            if progress is not None and self.seen % 1000 == 0:
                progress(self.seen, share(state) if share is not None else None)
            if collector.pending >= CHUNK:
                self.exhausted = False
                return


def _prepared(
    items: Callable[[], Iterable[Any]], prepare: Callable[[MessageRecord], PreparedMessage]
) -> Iterator[Any]:
    """The reader's items with each message prepared for storing (records stay in place)."""
    for raw in items():
        if isinstance(raw, Positioned) and isinstance(raw.record, MessageRecord):
            yield Positioned(prepare(raw.record), raw.position)
        elif isinstance(raw, MessageRecord):
            yield prepare(raw)
        else:
            yield raw


def _counts(report: SyncReport) -> dict[str, int]:
    c = report.counts
    return {"read": c.read, "new": c.new, "duplicates": c.duplicates, "errors": len(report.errors)}


def rebuild(store: Store, now: datetime | None = None) -> SyncReport:
    """Derive every interaction again (after your own addresses changed)."""
    now = now or utcnow()
    report = SyncReport(kind="rebuild", locator="all history")
    with store.begin() as conn:
        finish_sync(conn, store.owner_id, now, report, everything=True)
    return report


__all__ = ["Positioned", "SyncReport", "finish_sync", "ingest", "rebuild", "sources"]


def sources(store: Store) -> list[dict[str, Any]]:
    """What has been synced, when, with what counts."""
    with store.read() as conn:
        return [
            {
                "kind": r.kind,
                "locator": r.locator,
                "last_sync_at": r.last_sync_at,
                "counts": json.loads(r.counts),
            }
            for r in mq.list_sources(conn, store.owner_id)
        ]


def has_messages(store: Store) -> bool:
    with store.read() as conn:
        return mq.count_messages(conn, store.owner_id) > 0
