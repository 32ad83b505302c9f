"""Reading interactions per person for tie statistics, and saving the statistics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from rekindle.store.schema import interaction, interaction_person, person
from rekindle.store.schema_history import tie_stats
from rekindle.ties import Contact, TieStats


def contacts_by_person(conn: Connection, person_ids: Sequence[int]) -> dict[int, list[Contact]]:
    """Every interaction of these people as tie-statistics contacts, with co-participants."""
    out: dict[int, list[Contact]] = {pid: [] for pid in person_ids}
    for start in range(0, len(person_ids), 500):
        chunk = list(person_ids[start : start + 500])
        rows = list(
            conn.execute(
                select(
                    interaction_person.c.person_id,
                    interaction.c.id,
                    interaction.c.occurred_at,
                    interaction.c.direction,
                    interaction.c.channel,
                    interaction.c.group_size,
                    interaction.c.thread,
                )
                .join(interaction, interaction.c.id == interaction_person.c.interaction_id)
                .where(interaction_person.c.person_id.in_(chunk))
            )
        )
        ids = sorted({r.id for r in rows})
        members: dict[int, set[int]] = {}
        for s in range(0, len(ids), 900):
            for m in conn.execute(
                select(interaction_person.c.interaction_id, interaction_person.c.person_id).where(
                    interaction_person.c.interaction_id.in_(ids[s : s + 900])
                )
            ):
                members.setdefault(m.interaction_id, set()).add(m.person_id)
        seen: set[tuple[int, int]] = set()
        for r in rows:
            if (r.person_id, r.id) in seen:
                continue
            seen.add((r.person_id, r.id))
            co = frozenset(str(p) for p in members.get(r.id, set()) if p != r.person_id)
            out[r.person_id].append(
                Contact(r.occurred_at, r.direction, r.channel, r.group_size, r.thread, co)
            )
    return out


def save_stats(conn: Connection, owner_id: int, stats: dict[int, TieStats], now: datetime) -> None:
    ids = list(stats)
    for start in range(0, len(ids), 900):
        conn.execute(delete(tie_stats).where(tie_stats.c.person_id.in_(ids[start : start + 900])))
    rows = [
        {"person_id": pid, "owner_id": owner_id, "computed_at": now, **asdict(s)}
        for pid, s in stats.items()
    ]
    for start in range(0, len(rows), 1000):
        conn.execute(insert(tie_stats), rows[start : start + 1000])


def stats_of(conn: Connection, person_id: int) -> Any | None:
    return conn.execute(select(tie_stats).where(tie_stats.c.person_id == person_id)).first()


def dormant(conn: Connection, owner_id: int, limit: int | None = None) -> list[Any]:
    """Formerly strong ties, longest silent first: peak strength high, last contact long ago."""
    stmt = (
        select(person.c.id, person.c.display_name, tie_stats)
        .join(tie_stats, tie_stats.c.person_id == person.c.id)
        .where(
            person.c.owner_id == owner_id,
            person.c.merged_into.is_(None),
            person.c.is_me.is_(False),
            tie_stats.c.last_contact.is_not(None),
        )
    )
    rows = list(conn.execute(stmt))
    return rows[:limit] if limit else rows
