"""Team accounts and their web sessions: the owner rows with a login, and signed-in browsers.

Only hashes of secrets are stored: an argon2 hash of each password, the SHA-256 of each
session cookie's token and of each calendar feed token.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from rekindle.store.schema import owner, person
from rekindle.store.schema_team import web_session

_ACCOUNT = (
    owner.c.id,
    owner.c.username,
    owner.c.display_name,
    owner.c.password_hash,
    owner.c.is_admin,
    owner.c.share_signals,
)


def account_by_username(conn: Connection, username: str) -> Any | None:
    return conn.execute(select(*_ACCOUNT).where(owner.c.username == username)).first()


def account_by_id(conn: Connection, owner_id: int) -> Any | None:
    return conn.execute(select(*_ACCOUNT).where(owner.c.id == owner_id)).first()


def list_accounts(conn: Connection) -> list[Any]:
    """Every owner, with whether it can sign in and how many people it keeps."""
    people = (
        select(person.c.owner_id, func.count().label("people"))
        .where(person.c.merged_into.is_(None), person.c.is_me.is_(False))
        .group_by(person.c.owner_id)
        .subquery()
    )
    rows = conn.execute(
        select(*_ACCOUNT, owner.c.created_at, func.coalesce(people.c.people, 0).label("people"))
        .outerjoin(people, people.c.owner_id == owner.c.id)
        .order_by(owner.c.username)
    )
    return list(rows)


def create_account(
    conn: Connection,
    username: str,
    display_name: str,
    password_hash: str,
    is_admin: bool,
    now: datetime,
) -> int:
    result = conn.execute(
        insert(owner).values(
            username=username,
            display_name=display_name,
            password_hash=password_hash,
            is_admin=is_admin,
            share_signals=False,
            created_at=now,
        )
    )
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0])


def update_account(conn: Connection, owner_id: int, **values: Any) -> None:
    """Set ``password_hash``, ``is_admin``, ``share_signals``, ``display_name`` or the feed."""
    allowed = {"password_hash", "is_admin", "share_signals", "display_name", "feed_token_hash"}
    assert set(values) <= allowed, set(values) - allowed
    conn.execute(update(owner).where(owner.c.id == owner_id).values(**values))


def delete_account(conn: Connection, owner_id: int) -> None:
    """The owner and, by cascade, everything it keeps."""
    conn.execute(delete(owner).where(owner.c.id == owner_id))


def owner_by_feed_token(conn: Connection, token_hash: str) -> int | None:
    found = conn.execute(select(owner.c.id).where(owner.c.feed_token_hash == token_hash)).scalar()
    return None if found is None else int(found)


def create_session(
    conn: Connection,
    owner_id: int,
    token_hash: str,
    csrf_token: str,
    now: datetime,
    expires_at: datetime,
) -> None:
    conn.execute(
        insert(web_session).values(
            owner_id=owner_id,
            token_hash=token_hash,
            csrf_token=csrf_token,
            created_at=now,
            last_seen_at=now,
            expires_at=expires_at,
        )
    )


def session_by_token(conn: Connection, token_hash: str) -> Any | None:
    """The session and its account, or None (expired ones included: the caller checks)."""
    return conn.execute(
        select(
            web_session.c.id.label("session_id"),
            web_session.c.csrf_token,
            web_session.c.last_seen_at,
            web_session.c.expires_at,
            *_ACCOUNT,
        )
        .join(owner, owner.c.id == web_session.c.owner_id)
        .where(web_session.c.token_hash == token_hash)
    ).first()


def touch_session(conn: Connection, session_id: int, now: datetime, expires_at: datetime) -> None:
    conn.execute(
        update(web_session)
        .where(web_session.c.id == session_id)
        .values(last_seen_at=now, expires_at=expires_at)
    )


def delete_session(conn: Connection, token_hash: str) -> None:
    conn.execute(delete(web_session).where(web_session.c.token_hash == token_hash))


def delete_sessions_of(conn: Connection, owner_id: int) -> int:
    return conn.execute(delete(web_session).where(web_session.c.owner_id == owner_id)).rowcount


def purge_expired_sessions(conn: Connection, now: datetime) -> int:
    return conn.execute(delete(web_session).where(web_session.c.expires_at < now)).rowcount
