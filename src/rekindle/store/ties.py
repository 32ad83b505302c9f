"""Reading interactions per person for tie statistics, and saving the statistics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, select

from rekindle.store import bulk
from rekindle.store.schema import interaction, interaction_person, person
from rekindle.store.schema_history import tie_stats
from rekindle.ties import Contact, TieStats


def contacts_by_person(conn: Connection, person_ids: Sequence[int]) -> dict[int, list[Contact]]:
    """Every interaction of these people as tie-statistics contacts, with co-participants."""
    others = interaction_person.alias("others")
    found: dict[int, dict[int, tuple[Any, set[int]]]] = {pid: {} for pid in person_ids}
    for start in range(0, len(person_ids), 500):
        chunk = list(person_ids[start : start + 500])
        rows = conn.execute(
            select(
                interaction_person.c.person_id,
                interaction.c.id,
                interaction.c.occurred_at,
                interaction.c.direction,
                interaction.c.channel,
                interaction.c.group_size,
                interaction.c.thread,
                others.c.person_id.label("co"),
            )
            .join(interaction, interaction.c.id == interaction_person.c.interaction_id)
            .outerjoin(
                others,
                and_(
                    others.c.interaction_id == interaction_person.c.interaction_id,
                    others.c.person_id != interaction_person.c.person_id,
                ),
            )
            .where(interaction_person.c.person_id.in_(chunk))
        )
        for r in rows:
            of_person = found[r.person_id]
            seen = of_person.get(r.id)
            if seen is None:
                seen = of_person[r.id] = (r, set())
            if r.co is not None:
                seen[1].add(r.co)
    return {
        pid: [
            Contact(
                r.occurred_at,
                r.direction,
                r.channel,
                r.group_size,
                r.thread,
                frozenset(str(p) for p in co),
            )
            for r, co in by_id.values()
        ]
        for pid, by_id in found.items()
    }


_STAT_FIELDS = tuple(f.name for f in fields(TieStats))


def save_stats(conn: Connection, owner_id: int, stats: dict[int, TieStats], now: datetime) -> None:
    ids = list(stats)
    for start in range(0, len(ids), 900):
        conn.execute(delete(tie_stats).where(tie_stats.c.person_id.in_(ids[start : start + 900])))
    rows = [
        (pid, owner_id, now, *(getattr(s, name) for name in _STAT_FIELDS))
        for pid, s in stats.items()
    ]
    bulk.insert_rows(conn, tie_stats, ("person_id", "owner_id", "computed_at", *_STAT_FIELDS), rows)


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
