"""Importing a file: detect its format, resolve each record to a person, store it all.

One import is one transaction: a process killed half-way leaves the database exactly as it
was. Re-importing the same file changes nothing. A bad record is reported and skipped.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, insert, update

from rekindle.errors import ImportFileError, StrictImportError, UserError
from rekindle.identity.records import (
    ContactRecord,
    InteractionRecord,
    Item,
    MeRecord,
    NoticeRecord,
    RecordError,
)
from rekindle.services.import_report import ImportReport
from rekindle.services.import_state import ImportState
from rekindle.services.linkedin_self import learn_own_profile
from rekindle.services.profiles import refresh_people
from rekindle.sources import ImportOptions, detect, get_importer
from rekindle.store import Store
from rekindle.store.database import utcnow
from rekindle.store.schema import import_run

__all__ = ["add_contacts_in", "import_items", "import_path", "refresh_people"]

Progress = Callable[[int], None]


def import_path(
    store: Store,
    path: Path,
    fmt: str | None = None,
    options: ImportOptions | None = None,
    *,
    strict: bool = False,
    region: str | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Import one file or export folder; see the module docstring for the guarantees."""
    options = options or ImportOptions()
    if options.encoding:
        try:
            codecs.lookup(options.encoding)
        except LookupError:
            raise UserError(
                f"no text encoding called {options.encoding!r}",
                hint="for example utf-8, utf-16, cp1252, latin-1; or leave it out to sniff it",
            ) from None
    importer = get_importer(fmt) if fmt else detect(path)
    items = importer.parse(path, options)
    try:
        report = import_items(
            store,
            items,
            str(path),
            importer.name,
            strict=strict,
            region=region,
            progress=progress,
            now=now,
        )
    except UnicodeError as exc:  # only a forced encoding fails so: a sniffed one falls back
        raise ImportFileError(
            f"{path}: cannot be read as {options.encoding or 'its text encoding'} ({exc}); "
            "nothing was imported",
            hint="leave out --encoding to let Rekindle sniff it",
        ) from None
    if importer.name == "linkedin" and (path.is_dir() or path.suffix.lower() == ".zip"):
        found = learn_own_profile(store, path)  # an export with messages shows whose it is
        if found is not None:
            report.notices.append(found)
    return report


def import_items(
    store: Store,
    items: Iterable[Item],
    label: str,
    fmt: str,
    *,
    strict: bool = False,
    region: str | None = None,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Store records from any source in one transaction (files, the sample network, tests)."""
    now = now or utcnow()
    report = ImportReport(path=label, format=fmt)
    with store.begin() as conn:
        result = conn.execute(
            insert(import_run).values(
                owner_id=store.owner_id, path=label, format=fmt, started_at=now
            )
        )
        pk = result.inserted_primary_key
        assert pk is not None
        state = ImportState(conn, store.owner_id, report, int(pk[0]), region, strict, now)
        for n, item in enumerate(items, start=1):
            if isinstance(item, RecordError):
                report.errors.append(item)
                if strict:
                    raise StrictImportError(
                        f"{item}", hint="run without --strict to skip bad records"
                    )
            elif isinstance(item, NoticeRecord):
                report.notices.append(item)
            elif isinstance(item, ContactRecord):
                state.add_contact(item)
            elif isinstance(item, MeRecord):
                state.add_me(item)
            elif isinstance(item, InteractionRecord):
                state.add_interaction(item)
            if progress is not None and n % 50 == 0:
                progress(n)
        state.finish()
        conn.execute(
            update(import_run)
            .where(import_run.c.id == state.import_id)
            .values(finished_at=utcnow(), counts=json.dumps(report.counts()))
        )
    return report


def add_contacts_in(
    conn: Connection,
    owner_id: int,
    records: Iterable[ContactRecord],
    label: str,
    fmt: str,
    region: str | None,
    now: datetime,
    *,
    fresh: bool = False,
    suggest_later: bool = False,
) -> ImportReport:
    """Store contact records inside the caller's transaction (people learnt from mail, say).

    ``fresh``: the records share no identity with anyone stored, so they go in in bulk.
    ``suggest_later``: their merge suggestions are searched when suggestions are next shown
    (only for records that cannot merge without asking: an address and a name).
    """
    report = ImportReport(path=label, format=fmt)
    result = conn.execute(
        insert(import_run).values(owner_id=owner_id, path=label, format=fmt, started_at=now)
    )
    pk = result.inserted_primary_key
    assert pk is not None
    state = ImportState(conn, owner_id, report, int(pk[0]), region, False, now)
    state.suggest_later = suggest_later
    if fresh:
        state.add_fresh_contacts(list(records))
    else:
        for record in records:
            state.add_contact(record)
    state.finish()
    conn.execute(
        update(import_run)
        .where(import_run.c.id == state.import_id)
        .values(finished_at=now, counts=json.dumps(report.counts()))
    )
    return report
