"""Finding life events while data comes in: on re-import of a changed record, after a mail sync.

A record that comes back changed (same source and natural key) is compared with what was
stored. A new record that joins a known person is compared with that person's earlier records
of the same kind: the record it revises (same source id from another source, such as the
sample network's ``sample-update`` records), or, for a record without an id of its own (a vCard
without UID changes its key whenever its content changes), the person's id-less records from
the same source stored by earlier imports. A brand-new person, a first record from another
source, or another card with an id of its own is not a life event.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from rekindle.engine.life_events import life_events_between, new_email_domain
from rekindle.engine.occasions import Occasion
from rekindle.store import contacts as q
from rekindle.store import occasions as oq

#: an event like one already stored for the person within this many days is the same news
SAME_NEWS_DAYS = 365


def save_life_events(
    conn: Connection, owner_id: int, person_id: int, events: Iterable[Occasion], now: datetime
) -> int:
    """Store new events, skipping news the person already has (same kind and subject)."""
    events = list(events)
    if not events:
        return 0
    stored = oq.stored_occasions(conn, owner_id, [person_id]).get(person_id, [])
    saved = 0
    for event in events:
        if any(_same_news(event, row.key, row.on_date) for row in stored):
            continue
        if oq.save_occasion(conn, owner_id, person_id, event, now):
            saved += 1
    return saved


def _subject(key: str) -> tuple[str, str]:
    """(kind, subject) of a life event's key: ``new-job:acme:2026-11-02`` → new-job, acme."""
    kind, _, rest = key.partition(":")
    return kind, rest if kind == "new-email-domain" else rest.rpartition(":")[0]


def _same_news(event: Occasion, key: str, on_date: date) -> bool:
    return (
        _subject(key) == _subject(event.key)
        and abs((event.on_date - on_date).days) <= SAME_NEWS_DAYS
    )


class LifeEventWatch:
    """What one import needs to notice life events: where each record with a source id is."""

    def __init__(
        self,
        conn: Connection,
        owner_id: int,
        known: Mapping[tuple[str, str], q.KnownRecord],
        import_id: int,
        now: datetime,
    ) -> None:
        self.conn, self.owner, self.import_id, self.now = conn, owner_id, import_id, now
        self.seen_on = now.date()
        #: "id:…" natural key → (source, record id) of every record keyed by a source id
        self.by_source_id: dict[str, list[tuple[str, int]]] = {}
        #: people with records stored before this import, and the sources of those records
        self.earlier_sources: dict[int, set[str]] = {}
        for (source, key), rec in known.items():
            if key.startswith("id:"):
                self.by_source_id.setdefault(key, []).append((source, rec.id))
            self.earlier_sources.setdefault(rec.person_id, set()).add(source)
        self.written: set[int] = set()
        self.found = 0

    def record_stored(self, record_id: int, source: str, natural_key: str) -> None:
        """A record this import wrote (new or updated): never compared with itself."""
        self.written.add(record_id)
        if natural_key.startswith("id:"):
            entries = self.by_source_id.setdefault(natural_key, [])
            if (source, record_id) not in entries:
                entries.append((source, record_id))

    def persons_merged(self, into: int, absorbed: int) -> None:
        sources = self.earlier_sources.pop(absorbed, set())
        if sources:
            self.earlier_sources.setdefault(into, set()).update(sources)

    def record_changed(
        self, record_id: int, person_id: int, source: str, new_data: Mapping[str, Any]
    ) -> None:
        """A stored record came back with other content: compare it with what was stored."""
        if record_id in self.written:
            return
        old = oq.record_snapshot(self.conn, record_id)
        if old is None:
            return
        self._save(person_id, json.loads(old.data), new_data, source)

    def record_joined(
        self, person_id: int, source: str, natural_key: str, new_data: Mapping[str, Any]
    ) -> None:
        """A new record was linked to a person already known: compare it with the person's
        earlier records of the same kind, if there are any."""
        for other_source, record_id in self.by_source_id.get(natural_key, []):
            if other_source == source:
                continue
            old = oq.record_snapshot(self.conn, record_id)
            if old is not None and old.person_id == person_id:
                self._save(person_id, json.loads(old.data), new_data, source)
                return
        if not natural_key.startswith("hash:"):
            return  # a card with an id of its own is another card, not a new version
        if source not in self.earlier_sources.get(person_id, set()):
            return
        rows = oq.earlier_records(self.conn, self.owner, person_id, source, self.import_id)
        if rows:
            self._save(person_id, merged_data(json.loads(r.data) for r in rows), new_data, source)

    def _save(
        self, person_id: int, old: Mapping[str, Any], new: Mapping[str, Any], source: str
    ) -> None:
        events = life_events_between(old, new, self.seen_on, source)
        self.found += save_life_events(self.conn, self.owner, person_id, events, self.now)


def merged_data(versions: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Several records' affiliations and addresses as one earlier picture (newest first)."""
    affiliations: list[Any] = []
    addresses: list[Any] = []
    for data in reversed(list(versions)):
        affiliations.extend(data.get("affiliations") or [])
        addresses.extend(data.get("addresses") or [])
    return {"affiliations": affiliations, "addresses": addresses}


def detect_mail_domains(
    conn: Connection, owner_id: int, person_ids: Iterable[int], now: datetime
) -> int:
    """After a mail sync: a ``new-email-domain`` event for each of these people who lately
    started writing from a new, not free-mail domain. Cheap: only people with addresses at two
    or more domains are looked at in the messages."""
    ids: Sequence[int] = sorted(set(person_ids))
    candidates = {
        pid: addrs
        for pid, addrs in oq.email_identities(conn, ids).items()
        if len({a.rpartition("@")[2] for a in addrs}) > 1
    }
    if not candidates:
        return 0
    first = oq.first_sent_from(conn, owner_id, sorted({a for v in candidates.values() for a in v}))
    today = now.date()
    saved = 0
    for pid, addrs in candidates.items():
        sent = {a: first[a].date() for a in addrs if a in first}
        if not sent or max(sent.values()) < today - timedelta(days=60):
            continue
        event = new_email_domain(sent, today)
        if event is not None:
            saved += save_life_events(conn, owner_id, pid, [event], now)
    return saved
