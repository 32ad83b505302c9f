"""Occasions kept in the database, and the facts occasions are computed from, in batches.

Life events are stored when found; computed occasions (birthdays, anniversaries, holidays) are
stored only once handled, so the flag persists. Every reader takes many people at once.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    cast,
    extract,
    func,
    insert,
    or_,
    select,
    true,
    update,
)

from rekindle.engine.occasions import Occasion
from rekindle.store.id_sets import among
from rekindle.store.schema import affiliation, identity, person, source_record
from rekindle.store.schema_engine import occasion
from rekindle.store.schema_history import message, message_address, tie_stats

CHUNK = 500
#: for more people than this, a reader takes every row of the owner once and keeps theirs:
#: one scan instead of one a chunk (or thousands of bound ids to compile)
WHOLE = 4 * CHUNK


def _chunks(ids: Sequence[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def _batches(ids: Sequence[int]) -> Iterable[list[int] | None]:
    """The people each statement reads: a chunk of ``ids`` at a time, or for many people
    None once (every row of the owner: the reader keeps those of ``ids``)."""
    if len(ids) > WHOLE:
        yield None
    else:
        yield from _chunks(ids)


def _in(column: Any, batch: list[int] | None) -> ColumnElement[bool]:
    """``column`` is one of the batch's people (any, for None)."""
    return true() if batch is None else column.in_(batch)


def save_occasion(
    conn: Connection, owner_id: int, person_id: int, found: Occasion, now: datetime
) -> bool:
    """Store ``found`` unless the person already has an occasion with its key; True if new."""
    exists = conn.execute(
        select(occasion.c.id).where(
            occasion.c.owner_id == owner_id,
            occasion.c.person_id == person_id,
            occasion.c.key == found.key,
        )
    ).first()
    if exists is not None:
        return False
    conn.execute(insert(occasion).values(_row(owner_id, person_id, found, now)))
    return True


def _row(owner_id: int, person_id: int, found: Occasion, now: datetime) -> dict[str, Any]:
    return {
        "owner_id": owner_id,
        "person_id": person_id,
        "kind": found.kind,
        "key": found.key[:300],
        "on_date": found.on_date,
        "detail": found.detail,
        "source": found.source[:200],
        "handled_at": now if found.handled else None,
        "created_at": now,
    }


def _absorbed_into(person_ids: Sequence[int]) -> Any:
    """People merged into these (merges leave their occasions where they were)."""
    return select(person.c.id).where(person.c.merged_into.in_(list(person_ids)))


def stored_occasions(
    conn: Connection, owner_id: int, person_ids: Sequence[int]
) -> dict[int, list[Any]]:
    """Every stored occasion of these people (life events and handled flags), oldest first,
    including those of people merged into them."""
    out: dict[int, list[Any]] = {}
    wanted = set(person_ids)
    for batch in _batches(person_ids):
        rows = conn.execute(
            select(occasion, person.c.merged_into)
            .join(person, person.c.id == occasion.c.person_id)
            .where(
                occasion.c.owner_id == owner_id,
                or_(_in(occasion.c.person_id, batch), _in(person.c.merged_into, batch)),
            )
            .order_by(occasion.c.on_date, occasion.c.id)
        )
        for r in rows:
            if r.person_id in wanted or r.merged_into in wanted:
                out.setdefault(r.merged_into or r.person_id, []).append(r)
    return out


def set_handled(
    conn: Connection,
    owner_id: int,
    person_id: int,
    found: Occasion,
    handled_at: datetime | None,
    now: datetime,
) -> None:
    """Mark an occasion handled (``handled_at``) or not (None), storing it first if need be."""
    result = conn.execute(
        update(occasion)
        .where(
            occasion.c.owner_id == owner_id,
            or_(
                occasion.c.person_id == person_id,
                occasion.c.person_id.in_(_absorbed_into([person_id])),
            ),
            occasion.c.key == found.key,
        )
        .values(handled_at=handled_at)
    )
    if not result.rowcount and handled_at is not None:
        row = _row(owner_id, person_id, found, now)
        conn.execute(insert(occasion).values({**row, "handled_at": handled_at}))


# --- the facts computed occasions come from ----------------------------------------------------


def record_data_for(
    conn: Connection, owner_id: int, person_ids: Sequence[int]
) -> dict[int, list[Any]]:
    """(source, data, last_seen) of every record of these people, first seen first."""
    out: dict[int, list[Any]] = {}
    columns = (source_record.c.source, source_record.c.data, source_record.c.last_seen)
    for r in _records_of(conn, owner_id, person_ids, columns):
        out.setdefault(r.person_id, []).append(r)
    return out


def _records_of(
    conn: Connection, owner_id: int, person_ids: Sequence[int], columns: Sequence[Any]
) -> Iterator[Any]:
    """(person_id, *columns) of every record of these people, first seen first."""
    if not person_ids:
        return iter(())
    return iter(
        conn.execute(
            select(source_record.c.person_id, *columns)
            .where(
                source_record.c.owner_id == owner_id,
                among(conn, source_record.c.person_id, person_ids),
            )
            .order_by(source_record.c.first_seen, source_record.c.id)
        )
    )


class RecordFacts(NamedTuple):
    """What occasions are computed from in one record: its source, when it was last seen and
    the texts of :data:`FACT_KEYS` in its data (a plain tuple, read by index)."""

    person_id: int
    source: str
    last_seen: datetime
    birthday: str | None
    anniversary: str | None
    connected_on: str | None
    addresses: str | None


#: the keys of a record's data that occasions are computed from
FACT_KEYS = ("birthday", "anniversary", "connected_on", "addresses")


def record_facts_for(
    conn: Connection, owner_id: int, person_ids: Sequence[int]
) -> dict[int, list[RecordFacts]]:
    """(source, last_seen and the :data:`FACT_KEYS` of its data) of every record of these
    people, first seen first: each key's text (an object or list as JSON), None when absent or
    null. The database reads the JSON, so the rest of a record is never parsed."""
    out: dict[int, list[RecordFacts]] = {}
    facts = [_json_text(conn, source_record.c.data, key).label(key) for key in FACT_KEYS]
    columns = (source_record.c.source, source_record.c.last_seen, *facts)
    for r in _records_of(conn, owner_id, person_ids, columns):
        out.setdefault(r.person_id, []).append(RecordFacts._make(r))
    return out


def _json_text(conn: Connection, column: Any, key: str) -> ColumnElement[Any]:
    """One key of a JSON document kept as text, as text (SQL NULL when absent or null)."""
    if conn.dialect.name == "postgresql":
        # the PostgreSQL dialect is loaded already there; elsewhere a command should not load it
        from sqlalchemy.dialects.postgresql import JSONB

        return cast(column, JSONB)[key].astext
    return func.json_extract(column, f"$.{key}")


class DatedWork(NamedTuple):
    """A work affiliation with a start date, and the source of its record (None: yours).
    A plain tuple: a plan reads four fields of 36k of them, by index rather than by name."""

    person_id: int
    organisation: str
    start_date: date
    end_date: date | None
    source: str | None


def dated_work_affiliations(
    conn: Connection,
    person_ids: Sequence[int],
    started_on: Collection[tuple[int, int]] | None = None,
) -> dict[int, list[DatedWork]]:
    """Work affiliations with a start date: organisation, start, end and the record's source.

    ``started_on`` (month, day): only of the people with a start on one of these days (all
    their dated work affiliations still: another may share an occasion's key)."""
    out: dict[int, list[DatedWork]] = {}
    dated = and_(affiliation.c.kind == "work", affiliation.c.start_date.is_not(None))
    start = affiliation.c.start_date
    for chunk in _chunks(person_ids):
        whose = affiliation.c.person_id.in_(chunk)
        if started_on is not None:
            day = extract("month", start) * 100 + extract("day", start)
            starting = select(affiliation.c.person_id).where(
                whose, dated, day.in_(sorted(m * 100 + d for m, d in started_on))
            )
            whose = affiliation.c.person_id.in_(starting)
        for r in conn.execute(
            select(
                affiliation.c.person_id,
                affiliation.c.organisation,
                affiliation.c.start_date,
                affiliation.c.end_date,
                source_record.c.source,
            )
            .outerjoin(source_record, source_record.c.id == affiliation.c.source_record_id)
            .where(whose, dated)
            .order_by(affiliation.c.start_date, affiliation.c.id)
        ):
            out.setdefault(r.person_id, []).append(DatedWork._make(r))
    return out


def first_contacts(conn: Connection, person_ids: Sequence[int]) -> dict[int, datetime]:
    out: dict[int, datetime] = {}
    for chunk in _chunks(person_ids):
        for r in conn.execute(
            select(tie_stats.c.person_id, tie_stats.c.first_contact).where(
                tie_stats.c.person_id.in_(chunk), tie_stats.c.first_contact.is_not(None)
            )
        ):
            out[r.person_id] = r.first_contact
    return out


# --- what life-event detection reads -------------------------------------------------------------


def record_snapshot(conn: Connection, record_id: int) -> Any | None:
    """A record's person, source, import and data, as stored now."""
    return conn.execute(
        select(
            source_record.c.person_id,
            source_record.c.source,
            source_record.c.import_id,
            source_record.c.data,
        ).where(source_record.c.id == record_id)
    ).first()


def earlier_records(
    conn: Connection, owner_id: int, person_id: int, source: str, import_id: int
) -> list[Any]:
    """The data of a person's records from ``source`` without an id of their own (keyed by a
    hash of their content) stored by earlier imports."""
    return list(
        conn.execute(
            select(source_record.c.data)
            .where(
                source_record.c.owner_id == owner_id,
                source_record.c.person_id == person_id,
                source_record.c.source == source,
                source_record.c.natural_key.startswith("hash:"),
                source_record.c.import_id.is_distinct_from(import_id),
            )
            .order_by(source_record.c.last_seen, source_record.c.id)
        )
    )


def email_identities(conn: Connection, person_ids: Sequence[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for chunk in _chunks(person_ids):
        for r in conn.execute(
            select(identity.c.person_id, identity.c.value)
            .where(identity.c.person_id.in_(chunk), identity.c.kind == "email")
            .distinct()
        ):
            out.setdefault(r.person_id, []).append(r.value)
    return out


def first_sent_from(
    conn: Connection, owner_id: int, addresses: Sequence[str]
) -> dict[str, datetime]:
    """The time of the first personal (non-bulk) message sent from each address."""
    out: dict[str, datetime] = {}
    for chunk in _chunks(addresses):
        for r in conn.execute(
            select(message_address.c.address, func.min(message.c.occurred_at).label("first"))
            .join(message, message.c.id == message_address.c.message_id)
            .where(
                message_address.c.owner_id == owner_id,
                message_address.c.role == "from",
                message_address.c.address.in_(chunk),
                message.c.bulk.is_(None),
                message.c.occurred_at.is_not(None),
            )
            .group_by(message_address.c.address)
        ):
            if r.first is not None:
                out[r.address] = r.first
    return out
