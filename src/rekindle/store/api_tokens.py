"""The JSON API's tokens: one row per named token of an owner (only the token's hash is kept)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from rekindle.store.schema import owner
from rekindle.store.schema_team import api_token


def create_token(
    conn: Connection, owner_id: int, name: str, token_hash: str, can_write: bool, now: datetime
) -> None:
    conn.execute(
        insert(api_token).values(
            owner_id=owner_id,
            name=name,
            token_hash=token_hash,
            can_write=can_write,
            created_at=now,
        )
    )


def token_named(conn: Connection, owner_id: int, name: str) -> Any | None:
    return conn.execute(
        select(api_token.c.id).where(api_token.c.owner_id == owner_id, api_token.c.name == name)
    ).first()


def tokens_of(conn: Connection, owner_id: int) -> list[Any]:
    return list(
        conn.execute(
            select(
                api_token.c.name,
                api_token.c.can_write,
                api_token.c.created_at,
                api_token.c.last_used_at,
            )
            .where(api_token.c.owner_id == owner_id)
            .order_by(api_token.c.created_at, api_token.c.name)
        )
    )


def delete_token(conn: Connection, owner_id: int, name: str) -> int:
    return conn.execute(
        delete(api_token).where(api_token.c.owner_id == owner_id, api_token.c.name == name)
    ).rowcount


def holder_of(conn: Connection, token_hash: str) -> Any | None:
    """The token's row with its owner's id, or None."""
    return conn.execute(
        select(
            api_token.c.id,
            api_token.c.owner_id,
            api_token.c.name,
            api_token.c.can_write,
            api_token.c.last_used_at,
        )
        .join(owner, owner.c.id == api_token.c.owner_id)
        .where(api_token.c.token_hash == token_hash)
    ).first()


def touch_token(conn: Connection, token_id: int, now: datetime) -> None:
    conn.execute(update(api_token).where(api_token.c.id == token_id).values(last_used_at=now))
