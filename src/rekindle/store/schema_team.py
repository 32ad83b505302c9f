"""Tables of team mode: the login sessions of the web server (migration 0005)."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table

from rekindle.store.schema_types import UtcDateTime, metadata, owner_column

#: a signed-in browser: only the SHA-256 of its cookie's token is kept, with its CSRF token
web_session = Table(
    "web_session",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("csrf_token", String(100), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_seen_at", UtcDateTime(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Index("ix_web_session_owner", "owner_id"),
)
