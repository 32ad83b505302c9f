"""Many ids in one condition (``store.id_sets.among``): thousands at once, none, on both
databases, the same rows as ``IN``."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select

from rekindle.store import Store
from rekindle.store.id_sets import among
from rekindle.store.schema import person

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def test_among_picks_the_rows_of_thousands_of_ids(store: Store) -> None:
    with store.begin() as conn:
        conn.execute(
            insert(person),
            [
                {
                    "owner_id": store.owner_id,
                    "display_name": f"P{i}",
                    "created_at": NOW,
                    "updated_at": NOW,
                }
                for i in range(3000)
            ],
        )
        ids = [r.id for r in conn.execute(select(person.c.id).order_by(person.c.id))]
    wanted = ids[::3] + [-5]  # one that is nobody's
    with store.read() as conn:
        found = conn.execute(select(person.c.id).where(among(conn, person.c.id, wanted))).all()
        assert sorted(r.id for r in found) == sorted(ids[::3])
        assert conn.execute(select(person.c.id).where(among(conn, person.c.id, []))).all() == []
        few = conn.execute(select(person.c.id).where(among(conn, person.c.id, ids[:2]))).all()
        assert sorted(r.id for r in few) == ids[:2]
