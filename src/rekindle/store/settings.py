"""Per-owner settings (default phone region, photo keeping, …) kept in the database."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from rekindle.store.schema import setting


def get_settings(conn: Connection, owner_id: int) -> dict[str, str]:
    rows = conn.execute(
        select(setting.c.key, setting.c.value).where(setting.c.owner_id == owner_id)
    )
    return {r.key: r.value for r in rows}


def put_setting(conn: Connection, owner_id: int, key: str, value: str | None) -> None:
    conn.execute(delete(setting).where(setting.c.owner_id == owner_id, setting.c.key == key))
    if value is not None:
        conn.execute(insert(setting).values(owner_id=owner_id, key=key, value=value))
