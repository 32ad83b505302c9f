"""Building a person's picture from their records: resolver profiles and display names."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from rekindle.identity.matching import Resolver, profile_from_record
from rekindle.identity.names import fold_case_accents
from rekindle.identity.records import ContactRecord, RawIdentity, contact_from_data
from rekindle.store import people as pq
from rekindle.store.schema import identity, person, source_record


def load_resolver(conn: Connection, owner_id: int, region: str | None) -> Resolver:
    """A resolver that knows every stored person (their records and typed-in identities)."""
    resolver = Resolver()
    active = select(person.c.id).where(
        person.c.owner_id == owner_id, person.c.merged_into.is_(None), person.c.is_me.is_(False)
    )
    rows = conn.execute(
        select(source_record.c.person_id, source_record.c.data, source_record.c.source)
        .where(source_record.c.owner_id == owner_id, source_record.c.person_id.in_(active))
        .order_by(source_record.c.id)
    )
    for r in rows:
        data = json.loads(r.data)
        if "identities" not in data:
            continue
        resolver.register(r.person_id, profile_from_record(contact_from_data(data), region))
    typed = conn.execute(
        select(identity.c.person_id, identity.c.kind, identity.c.display).where(
            identity.c.owner_id == owner_id,
            identity.c.source_record_id.is_(None),
            identity.c.person_id.in_(active),
        )
    )
    for r in typed:
        record = ContactRecord(
            source="manual",
            locator="",
            payload="",
            identities=[RawIdentity(kind=r.kind, value=r.display)],
        )
        resolver.register(r.person_id, profile_from_record(record, region))
    return resolver


def best_record(conn: Connection, owner_id: int, person_id: int) -> ContactRecord | None:
    """The most recently seen record with a name, as the person's default face."""
    best = None
    for row in _records(conn, owner_id, person_id):
        data = json.loads(row.data)
        if "identities" not in data:
            continue
        record = contact_from_data(data)
        if record.display_name():
            best = record
    return best


def sort_key(display: str, family: str | None) -> str:
    """Family name first, accents folded, so lists sort the way people expect."""
    text = f"{family} {display}" if family and family.strip() else display
    return fold_case_accents(text.strip())


def _records(conn: Connection, owner_id: int, person_id: int) -> list[Any]:
    return list(
        conn.execute(
            select(source_record.c.data)
            .where(source_record.c.owner_id == owner_id, source_record.c.person_id == person_id)
            .order_by(source_record.c.last_seen, source_record.c.id)
        )
    )


def display_names(conn: Connection, owner_id: int, person_id: int) -> tuple[str, str]:
    """(display name, sort key): the user's edit wins, then the newest named record."""
    edits = pq.edits_of(conn, person_id)
    record = best_record(conn, owner_id, person_id)
    if "name" in edits:
        display = edits["name"]
        return display, sort_key(display, None)
    if record is None:
        return "(no name)", "~"
    display = record.display_name()
    return display, sort_key(display, record.family_name)


def refresh_people(conn: Connection, owner_id: int, person_ids: list[int], now: datetime) -> None:
    """Recompute the cached display and sort names from records and edits."""
    for person_id in person_ids:
        display, sort = display_names(conn, owner_id, person_id)
        pq.set_names(conn, person_id, display, sort, now)
