"""The stored tie snapshot of each owner (services/tie_snapshot.py): one row, replaced whole."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from rekindle.store.schema_engine import tie_snapshot


def save(
    conn: Connection, owner_id: int, fingerprint: str, taken_at: datetime, data: bytes
) -> None:
    conn.execute(delete(tie_snapshot).where(tie_snapshot.c.owner_id == owner_id))
    conn.execute(
        insert(tie_snapshot).values(
            owner_id=owner_id, fingerprint=fingerprint, taken_at=taken_at, data=data
        )
    )


def load(conn: Connection, owner_id: int) -> tuple[str, datetime, bytes] | None:
    """(fingerprint, when it was taken, its data), or None."""
    row = conn.execute(
        select(tie_snapshot.c.fingerprint, tie_snapshot.c.taken_at, tie_snapshot.c.data).where(
            tie_snapshot.c.owner_id == owner_id
        )
    ).first()
    return (row[0], row[1], bytes(row[2])) if row is not None else None


def forget(conn: Connection, owner_id: int) -> None:
    conn.execute(delete(tie_snapshot).where(tie_snapshot.c.owner_id == owner_id))
