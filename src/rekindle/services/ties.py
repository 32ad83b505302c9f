"""Keeping tie statistics up to date for the people a sync or import touched."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection

from rekindle.store import ties as tq
from rekindle.ties import compute_tie


def refresh_ties(conn: Connection, owner_id: int, person_ids: Iterable[int], now: datetime) -> int:
    ids = sorted(set(person_ids))
    contacts = tq.contacts_by_person(conn, ids)
    tq.save_stats(conn, owner_id, {pid: compute_tie(cs, now) for pid, cs in contacts.items()}, now)
    return len(ids)
