"""What the learnt ranker keeps in the store: a fingerprint of the history it was fitted on."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from rekindle.store.schema import interaction


def history_fingerprint(conn: Connection, owner_id: int) -> str:
    """Changes whenever an interaction is added, removed or re-dated (count, last id, span)."""
    n, last_id, first, last = conn.execute(
        select(
            func.count(interaction.c.id),
            func.max(interaction.c.id),
            func.min(interaction.c.occurred_at),
            func.max(interaction.c.occurred_at),
        ).where(interaction.c.owner_id == owner_id)
    ).one()
    return f"{n}:{last_id}:{first}:{last}"
