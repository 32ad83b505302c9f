"""Reading interactions per person for tie statistics, and saving the statistics."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select

from rekindle.store import bulk
from rekindle.store.schema import interaction, interaction_person, person
from rekindle.store.schema_history import tie_stats
from rekindle.ties import Contact, TieStats


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


def contacts_of_everyone(
    conn: Connection, owner_id: int, co_up_to: int | None = None
) -> Iterator[tuple[int, list[Contact]]]:
    """Like :func:`contacts_by_person` for every person of the owner who has interactions, one
    person at a time in id order: two streamed reads in index order instead of a lookup per
    person (memory holds one person's contacts)."""
    rows = conn.execution_options(stream_results=True, yield_per=10000).execute(
        _contact_rows()
        .where(interaction_person.c.owner_id == owner_id)
        .order_by(interaction_person.c.person_id, interaction.c.id)
    )
    co_rows = _co_stream(conn, owner_id, co_up_to)
    pending = next(co_rows, None)
    nobody: frozenset[str] = frozenset()
    current: int | None = None
    contacts: list[Contact] = []
    last_iid = None
    for pid, iid, when, direction, channel, group_size, thread in rows:
        if pid != current:
            if current is not None:
                yield current, contacts
            current, contacts, last_iid = pid, [], None
        if iid == last_iid:  # one person on it under two addresses
            continue
        last_iid = iid
        while pending is not None and pending[0] < (pid, iid):
            pending = next(co_rows, None)
        co = nobody
        if pending is not None and pending[0] == (pid, iid):
            co = pending[1]
        contacts.append(Contact(when, direction, channel, group_size, thread, co))
    if current is not None:
        yield current, contacts


def _co_stream(
    conn: Connection, owner_id: int, co_up_to: int | None
) -> Iterator[tuple[tuple[int, int], frozenset[str]]]:
    """((person, interaction), the other persons on it) in that order, for interactions with
    more than one other (at most ``co_up_to``, when given)."""
    mine, theirs = interaction_person.alias("mine"), interaction_person.alias("theirs")
    stmt = (
        select(mine.c.person_id, mine.c.interaction_id, theirs.c.person_id)
        .join(theirs, theirs.c.interaction_id == mine.c.interaction_id)
        .join(interaction, interaction.c.id == mine.c.interaction_id)
        .where(
            mine.c.owner_id == owner_id,
            theirs.c.person_id != mine.c.person_id,
            interaction.c.group_size > 1,
        )
        .order_by(mine.c.person_id, mine.c.interaction_id)
    )
    if co_up_to is not None:
        stmt = stmt.where(interaction.c.group_size <= co_up_to)
    key: tuple[int, int] | None = None
    others: set[str] = set()
    for pid, iid, other in conn.execution_options(stream_results=True, yield_per=10000).execute(
        stmt
    ):
        if (pid, iid) != key:
            if key is not None:
                yield key, frozenset(others)
            key, others = (pid, iid), set()
        others.add(str(other))
    if key is not None:
        yield key, frozenset(others)


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
