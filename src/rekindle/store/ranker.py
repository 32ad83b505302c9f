"""What the learnt ranker keeps in the store: a fingerprint of the history it was fitted on."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from rekindle.store.schema import interaction


def history_fingerprint(conn: Connection, owner_id: int) -> str:
    """Changes whenever an interaction is added, removed or re-dated (count, last id, span).

    Each figure is asked alone, the way an index answers it fastest: the count reads the
    (owner, time) index only; the last id walks the primary key down from its end to the
    first of the owner's rows (``owner_id + 0`` keeps SQLite off the (owner, time) index,
    which would read every row for it); the span's ends walk down the (owner, time) index.
    Together in one statement they read every row (0.44 -> 0.12 CPU-s at 2M)."""
    mine = interaction.c.owner_id == owner_id
    n = conn.execute(select(func.count()).select_from(interaction).where(mine)).scalar()
    last_id = conn.execute(
        select(func.max(interaction.c.id)).where(interaction.c.owner_id + 0 == owner_id)
    ).scalar()
    first = conn.execute(select(func.min(interaction.c.occurred_at)).where(mine)).scalar()
    last = conn.execute(select(func.max(interaction.c.occurred_at)).where(mine)).scalar()
    return f"{n}:{last_id}:{first}:{last}"
