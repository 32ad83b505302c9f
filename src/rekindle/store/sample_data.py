"""Removing the bundled sample network, and only it, from a database."""

from __future__ import annotations

from sqlalchemy import Connection, delete, select

from rekindle.store.schema import interaction, person, source_record
from rekindle.store.schema_engine import occasion

SAMPLE_SOURCES = ("sample", "sample-update", "sample-me")


def has_sample(conn: Connection, owner_id: int) -> bool:
    found = conn.execute(
        select(source_record.c.id)
        .where(source_record.c.owner_id == owner_id, source_record.c.source.in_(SAMPLE_SOURCES))
        .limit(1)
    ).first()
    return found is not None


def remove_sample(conn: Connection, owner_id: int) -> int:
    """Delete the sample's records, its interactions and every person left with no record."""
    conn.execute(
        delete(interaction).where(
            interaction.c.owner_id == owner_id, interaction.c.source.in_(SAMPLE_SOURCES)
        )
    )
    conn.execute(
        delete(occasion).where(
            occasion.c.owner_id == owner_id, occasion.c.source.in_(SAMPLE_SOURCES)
        )
    )
    conn.execute(
        delete(source_record).where(
            source_record.c.owner_id == owner_id, source_record.c.source.in_(SAMPLE_SOURCES)
        )
    )
    with_records = select(source_record.c.person_id).where(source_record.c.owner_id == owner_id)
    orphans = [
        r.id
        for r in conn.execute(
            select(person.c.id).where(
                person.c.owner_id == owner_id,
                person.c.is_me.is_(False),
                person.c.id.not_in(with_records),
            )
        )
    ]
    for start in range(0, len(orphans), 500):
        conn.execute(delete(person).where(person.c.id.in_(orphans[start : start + 500])))
    return len(orphans)
