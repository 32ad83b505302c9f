"""Every row an owner has, table by table, out and back in: the queries behind a backup.

A backup holds the owner's rows of every table but the login sessions, with their ids, so a
restore into an empty database gives back exactly the same data. Rows go in in dependency
order; the columns that point into their own table (a merged person, a follow-up's parent)
are set once every row is in. On PostgreSQL the id sequences then move past the restored ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Column, Connection, Table, delete, func, insert, select, update

from rekindle.store.schema import metadata, owner, setting
from rekindle.store.schema_history import sync_seen, sync_source

#: tables a backup leaves out: sign-ins belong to a browser, and API tokens are keys to a
#: server, not data (a restored database makes new ones); the plan's weekly snapshot and its
#: kept goal match are derived from the history and taken again
SKIPPED = frozenset({"owner", "web_session", "api_token", "tie_snapshot", "goal_match"})
#: owner columns a backup keeps (never the password hash or the feed token)
OWNER_COLUMNS = ("display_name", "share_signals")
#: rows per INSERT when restoring
BATCH = 1000


def backup_tables() -> list[Table]:
    """The tables a backup holds, parents before children."""
    return [
        t
        for t in metadata.sorted_tables
        if t.name not in SKIPPED and ("owner_id" in t.c or t is sync_seen)
    ]


def _self_references(table: Table) -> list[Column[Any]]:
    return [c for c in table.c if any(fk.column.table is table for fk in c.foreign_keys)]


def _order(table: Table) -> list[Column[Any]]:
    keys = list(table.primary_key.columns)
    return keys or list(table.c)


def owner_rows(conn: Connection, owner_id: int, table: Table) -> Iterator[dict[str, Any]]:
    """The owner's rows of one table in a stable order (by key, else by every column)."""
    if table is sync_seen:
        mine = select(sync_source.c.id).where(sync_source.c.owner_id == owner_id)
        query = select(table).where(table.c.sync_source_id.in_(mine))
    else:
        query = select(table).where(table.c.owner_id == owner_id)
    result = conn.execution_options(yield_per=BATCH).execute(query.order_by(*_order(table)))
    for row in result:
        yield dict(row._mapping)


def owner_settings(conn: Connection, owner_id: int) -> dict[str, Any]:
    row = conn.execute(
        select(*(owner.c[name] for name in OWNER_COLUMNS)).where(owner.c.id == owner_id)
    ).one()
    return dict(row._mapping)


def restore_owner(conn: Connection, owner_id: int, values: dict[str, Any]) -> None:
    kept = {k: v for k, v in values.items() if k in OWNER_COLUMNS}
    if kept:
        conn.execute(update(owner).where(owner.c.id == owner_id).values(**kept))


def rows_held(conn: Connection, owner_id: int) -> dict[str, int]:
    """How many rows the owner has in each backed-up table (only tables that have any)."""
    held = {}
    for table in backup_tables():
        if table is sync_seen:
            continue
        count = conn.execute(
            select(func.count()).select_from(table).where(table.c.owner_id == owner_id)
        ).scalar_one()
        if count:
            held[table.name] = int(count)
    return held


def ids_taken(conn: Connection, table: Table, ids: list[int]) -> bool:
    """Whether any of these ids is already used in the table (by another account)."""
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        if conn.execute(select(table.c.id).where(table.c.id.in_(chunk)).limit(1)).first():
            return True
    return False


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows with their ids; self-references are filled in afterwards."""
    selfish = _self_references(table)
    later = [(r, {c.name: r[c.name] for c in selfish if r.get(c.name) is not None}) for r in rows]
    plain = [{**r, **dict.fromkeys((c.name for c in selfish), None)} for r in rows]
    for start in range(0, len(plain), BATCH):
        conn.execute(insert(table), plain[start : start + BATCH])
    key = table.c.id if "id" in table.c else None
    for row, values in later:
        if values and key is not None:
            conn.execute(update(table).where(key == row["id"]).values(**values))


def move_sequences(conn: Connection) -> None:
    """PostgreSQL: each id sequence continues after the largest id now in its table."""
    if conn.dialect.name != "postgresql":
        return
    for table in backup_tables():
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        sequence = func.pg_get_serial_sequence(table.name, "id")
        top = select(func.max(table.c.id)).scalar_subquery()
        conn.execute(select(func.setval(sequence, func.coalesce(top, 1), top.isnot(None))))


def clear_settings(conn: Connection, owner_id: int) -> None:
    """A restore's settings replace those of the (empty) account."""
    conn.execute(delete(setting).where(setting.c.owner_id == owner_id))
