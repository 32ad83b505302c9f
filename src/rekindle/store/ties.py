"""Reading interactions per person for tie statistics, and saving the statistics.

Everyone's interactions as numpy columns, for a refresh of most people at once, are read by
:mod:`rekindle.store.tie_columns` (numpy is not loaded by the commands that only read).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select

from rekindle.history.ties import Contact, TieStats
from rekindle.store import bulk
from rekindle.store.schema import interaction, interaction_person, person
from rekindle.store.schema_history import tie_stats


def contacts_by_person(
    conn: Connection, person_ids: Sequence[int], co_up_to: int | None = None
) -> dict[int, list[Contact]]:
    """Every interaction of these people as tie-statistics contacts, with co-participants
    (only on interactions of at most ``co_up_to`` others, when given: the rest get none)."""
    out: dict[int, list[Contact]] = {pid: [] for pid in person_ids}
    for start in range(0, len(person_ids), 500):
        chunk = list(person_ids[start : start + 500])
        rows = conn.execute(_contact_rows().where(interaction_person.c.person_id.in_(chunk))).all()
        co_of = _co_participants(conn, chunk, co_up_to)
        seen: set[tuple[int, int]] = set()
        nobody: frozenset[str] = frozenset()
        for pid, iid, when, direction, channel, group_size, thread in rows:
            if (pid, iid) in seen:  # one person on it under two addresses
                continue
            seen.add((pid, iid))
            co = co_of.get((pid, iid), nobody) if group_size > 1 else nobody
            out[pid].append(Contact(when, direction, channel, group_size, thread, co))
    return out


def _co_participants(
    conn: Connection, person_ids: Sequence[int], co_up_to: int | None
) -> dict[tuple[int, int], frozenset[str]]:
    """(person, interaction) → the other persons on it, for these people's interactions with
    more than one other (at most ``co_up_to``, when given): one self-join, no list of ids."""
    mine, theirs = interaction_person.alias("mine"), interaction_person.alias("theirs")
    stmt = (
        select(mine.c.person_id, mine.c.interaction_id, theirs.c.person_id)
        .join(theirs, theirs.c.interaction_id == mine.c.interaction_id)
        .join(interaction, interaction.c.id == mine.c.interaction_id)
        .where(
            mine.c.person_id.in_(list(person_ids)),
            theirs.c.person_id != mine.c.person_id,
            interaction.c.group_size > 1,
        )
    )
    if co_up_to is not None:
        stmt = stmt.where(interaction.c.group_size <= co_up_to)
    found: dict[tuple[int, int], set[str]] = {}
    for pid, iid, other in conn.execute(stmt):
        found.setdefault((pid, iid), set()).add(str(other))
    return {k: frozenset(v) for k, v in found.items()}


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


_STATS = select(tie_stats).where(tie_stats.c.person_id == bindparam("person_id"))  # built once


def stats_of(conn: Connection, person_id: int) -> Any | None:
    return conn.execute(_STATS, {"person_id": person_id}).first()


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


def _contact_rows() -> Any:
    """Each (person, interaction) link with what a tie-statistics contact needs."""
    return select(
        interaction_person.c.person_id,
        interaction.c.id,
        interaction.c.occurred_at,
        interaction.c.direction,
        interaction.c.channel,
        interaction.c.group_size,
        interaction.c.thread,
    ).join(interaction, interaction.c.id == interaction_person.c.interaction_id)
