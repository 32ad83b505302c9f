"""Keeping tie statistics up to date for the people a sync or import touched."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from rekindle.history.ties import GROUP_THRESHOLD, compute_tie
from rekindle.store import ties as tq

if TYPE_CHECKING:
    from rekindle.history.tie_arrays import ContactColumns

#: persons whose interactions are read and whose statistics are written at a time
BATCH = 500
#: from this many people on, everyone's interactions are read in one pass instead
EVERYONE_FROM = 2000


def refresh_ties(
    conn: Connection,
    owner_id: int,
    person_ids: Iterable[int],
    now: datetime,
    everyone: ContactColumns | None = None,
) -> int:
    """Recompute the tie statistics of these people, a batch at a time (memory stays bounded
    however long the history); ``everyone``: all the owner's contacts as columns, when the
    caller holds them (a first sync that has just written them), so they are not read."""
    ids = sorted(set(person_ids))
    if len(ids) > EVERYONE_FROM or everyone is not None:
        return _refresh_everyone(conn, owner_id, set(ids), now, everyone)
    for start in range(0, len(ids), BATCH):
        # co-participants count only on small group mail (embeddedness): none read for the rest
        contacts = tq.contacts_by_person(conn, ids[start : start + BATCH], GROUP_THRESHOLD)
        stats = {pid: compute_tie(cs, now) for pid, cs in contacts.items()}
        tq.save_stats(conn, owner_id, stats, now)
    return len(ids)


def _refresh_everyone(
    conn: Connection,
    owner_id: int,
    ids: set[int],
    now: datetime,
    cols: ContactColumns | None = None,
) -> int:
    """Two plain reads of the owner's interactions and links (a lookup per person costs more
    when most people are concerned), unless the caller holds them as ``cols``; every
    statistic computed on columns at once
    (:mod:`rekindle.history.tie_arrays`). numpy is imported here, by the refresh that needs it:
    a command that records one outreach starts without it."""
    import numpy as np

    from rekindle.history.tie_arrays import embeddedness_of, ties_of
    from rekindle.store.tie_columns import contact_columns_of_everyone

    if cols is None:
        cols = contact_columns_of_everyone(conn, owner_id)
    embedded = embeddedness_of(cols, now)
    wanted = np.isin(cols.person, np.fromiter(ids, dtype=np.int64, count=len(ids)))
    stats = ties_of(cols if wanted.all() else cols.take(wanted), now, embedded)
    for pid in ids - stats.keys():
        stats[pid] = compute_tie([], now)
    tq.save_stats(conn, owner_id, stats, now)
    return len(ids)
