"""Reading interactions per person for tie statistics, and saving the statistics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select

from rekindle.store import bulk
from rekindle.store.schema import interaction, interaction_person, person
from rekindle.store.schema_history import tie_stats
from rekindle.ties import Contact, TieStats


def contacts_by_person(conn: Connection, person_ids: Sequence[int]) -> dict[int, list[Contact]]:
    """Every interaction of these people as tie-statistics contacts, with co-participants."""
    out: dict[int, list[Contact]] = {pid: [] for pid in person_ids}
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
            )
            .join(interaction, interaction.c.id == interaction_person.c.interaction_id)
            .where(interaction_person.c.person_id.in_(chunk))
        ).all()
        members = _members(conn, sorted({r[1] for r in rows if r[5] > 1}))
        seen: set[tuple[int, int]] = set()
        for pid, iid, when, direction, channel, group_size, thread in rows:
            if (pid, iid) in seen:  # one person on it under two addresses
                continue
            seen.add((pid, iid))
            co = frozenset(str(p) for p in members.get(iid, ()) if p != pid)
            out[pid].append(Contact(when, direction, channel, group_size, thread, co))
    return out


def _members(conn: Connection, interaction_ids: Sequence[int]) -> dict[int, set[int]]:
    """The persons on each of these interactions."""
    members: dict[int, set[int]] = {}
    for start in range(0, len(interaction_ids), 900):
        rows = conn.execute(
            select(interaction_person.c.interaction_id, interaction_person.c.person_id).where(
                interaction_person.c.interaction_id.in_(interaction_ids[start : start + 900])
            )
        ).all()
        for iid, pid in rows:
            members.setdefault(iid, set()).add(pid)
    return members


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
