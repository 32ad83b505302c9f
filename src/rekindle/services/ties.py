"""Keeping tie statistics up to date for the people a sync or import touched."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection

from rekindle.store import ties as tq
from rekindle.ties import compute_tie

#: persons whose interactions are read and whose statistics are written at a time
BATCH = 500


def refresh_ties(conn: Connection, owner_id: int, person_ids: Iterable[int], now: datetime) -> int:
    """Recompute the tie statistics of these people, a batch at a time (memory stays bounded
    however long the history)."""
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), BATCH):
        contacts = tq.contacts_by_person(conn, ids[start : start + BATCH])
        stats = {pid: compute_tie(cs, now) for pid, cs in contacts.items()}
        tq.save_stats(conn, owner_id, stats, now)
    return len(ids)
