"""The bundled sample network: load it so a newcomer sees real output, remove it later."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from rekindle.sample.network import generate_network
from rekindle.sample.records import ME_NAME
from rekindle.services.importing import ImportReport, import_items
from rekindle.store import Store
from rekindle.store import people as pq
from rekindle.store.database import utcnow
from rekindle.store.history import count_interactions, tie_overview
from rekindle.store.sample_data import has_sample, remove_sample

SAMPLE_SEED = 42
SAMPLE_PEOPLE = 120


@dataclass(frozen=True)
class QuietTie:
    person_id: int
    name: str
    interactions: int
    first: datetime
    last: datetime


def load_sample(
    store: Store, now: datetime | None = None, progress: Callable[[int], None] | None = None
) -> ImportReport | None:
    """Load the sample network once (deterministic for a given day); None if already there."""
    with store.read() as conn:
        if has_sample(conn, store.owner_id):
            return None
    now = now or utcnow()
    day = now.replace(hour=12, minute=0, second=0, microsecond=0)
    net = generate_network(seed=SAMPLE_SEED, people=SAMPLE_PEOPLE, now=day)
    report = import_items(
        store,
        net.items(),
        "sample network",
        "sample",
        region=net.region,
        progress=progress,
        now=now,
    )
    # the sample's "me" has a name: its drafts are signed with it (unless you set your own)
    with store.begin() as conn:
        me_id = pq.ensure_me(conn, store.owner_id, now)
        if not pq.edits_of(conn, me_id).get("name"):
            pq.set_edit(conn, store.owner_id, me_id, "name", ME_NAME, now)
    return report


def unload_sample(store: Store) -> int:
    with store.begin() as conn:
        me_id = pq.find_me(conn, store.owner_id)
        if me_id is not None and pq.edits_of(conn, me_id).get("name") == ME_NAME:
            pq.set_edit(conn, store.owner_id, me_id, "name", None, utcnow())
        return remove_sample(conn, store.owner_id)


def quiet_ties(
    store: Store, now: datetime | None = None, quiet_days: int = 180, limit: int = 10
) -> list[QuietTie]:
    """The most-contacted people with no contact for ``quiet_days``: the ties gone cold."""
    now = now or utcnow()
    cutoff = now - timedelta(days=quiet_days)
    with store.read() as conn:
        rows = [r for r in tie_overview(conn, store.owner_id) if r.last < cutoff]
    rows.sort(key=lambda r: (-r.interactions, r.last, r.id))
    return [QuietTie(r.id, r.display_name, r.interactions, r.first, r.last) for r in rows[:limit]]


def counts(store: Store) -> tuple[int, int]:
    with store.read() as conn:
        return pq.count_people(conn, store.owner_id), count_interactions(conn, store.owner_id)
