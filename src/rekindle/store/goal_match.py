"""The kept goal match of each owner (engine/kept_goal.py): one row, replaced whole, and what
tells whether the words it was made from changed since."""

from __future__ import annotations

from sqlalchemy import Connection, Table, delete, func, insert, select

from rekindle.store.schema import affiliation, note, person, person_edit, tag
from rekindle.store.schema_engine import goal_match


def save(conn: Connection, owner_id: int, key: str, data: bytes) -> None:
    conn.execute(delete(goal_match).where(goal_match.c.owner_id == owner_id))
    conn.execute(insert(goal_match).values(owner_id=owner_id, key=key, data=data))


def load(conn: Connection, owner_id: int, key: str) -> bytes | None:
    """The kept match made under ``key``, or None (none kept, or one made from other words)."""
    row = conn.execute(
        select(goal_match.c.data).where(goal_match.c.owner_id == owner_id, goal_match.c.key == key)
    ).first()
    return bytes(row[0]) if row is not None else None


def _summary(conn: Connection, table: Table, owner_id: int, *extra: object) -> tuple[object, ...]:
    """Rows, the sum of their people and any ``extra`` aggregates of the owner's rows of
    ``table``: an added, removed or moved row (a merge) changes it."""
    found = conn.execute(
        select(func.count(), func.coalesce(func.sum(table.c.person_id), 0), *extra).where(
            table.c.owner_id == owner_id
        )
    ).one()
    return tuple(found)


def words_state(conn: Connection, owner_id: int) -> str:
    """A summary of everyone's words a goal is matched on: who is active (a merge or an
    archived person changes it), their employers and titles, tags, notes and edits. Cheap (a
    few aggregates): what tells a kept goal match from a stale one."""
    text_length = func.coalesce(
        func.sum(
            func.length(affiliation.c.organisation)
            + func.coalesce(func.length(affiliation.c.title), 0)
            + func.coalesce(func.length(affiliation.c.department), 0)
        ),
        0,
    )
    people = conn.execute(
        select(
            func.count(),
            func.coalesce(func.sum(person.c.id), 0),
            func.max(person.c.updated_at),
        ).where(
            person.c.owner_id == owner_id,
            person.c.merged_into.is_(None),
            person.c.is_me.is_(False),
        )
    ).one()
    parts = [
        tuple(people),
        _summary(conn, affiliation, owner_id, func.max(affiliation.c.id), text_length),
        _summary(conn, tag, owner_id, func.max(tag.c.id), func.sum(func.length(tag.c.name))),
        _summary(conn, note, owner_id, func.max(note.c.id), func.sum(func.length(note.c.body))),
        _summary(
            conn,
            person_edit,
            owner_id,
            func.max(person_edit.c.updated_at),
            func.sum(func.length(person_edit.c.value)),
        ),
    ]
    return repr(parts)


def forget(conn: Connection, owner_id: int) -> None:
    conn.execute(delete(goal_match).where(goal_match.c.owner_id == owner_id))
