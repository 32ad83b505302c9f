"""`rekindle sync mail PATH`: mail archives on disk.

Re-running reads only what is new: an mbox resumes at the remembered offset when the bytes
before it are unchanged (else it is read again from the start, duplicates skipped); Maildir
and .eml folders skip the file names already stored. Calendars: :mod:`sync_calendar`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from rekindle.errors import ImportFileError
from rekindle.identity.records import NoticeRecord, RecordError
from rekindle.services import me as me_svc
from rekindle.services.history import Positioned, Progress, SyncReport, ingest
from rekindle.services.linkedin_self import learn_own_profile, missing_profile_notice
from rekindle.services.reader_process import Handover
from rekindle.sources import check_readable
from rekindle.sources.base import read_head
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


__all__ = ["sync_mail_path"]
