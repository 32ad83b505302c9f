"""Tables of team mode and the API: web login sessions (migration 0005), API tokens (0015)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String, Table, UniqueConstraint

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

#: a key for the JSON API (``/api/v1``): named by its holder, read-only unless made for writing;
#: only the SHA-256 of the token is kept (migration 0015)
api_token = Table(
    "api_token",
    metadata,
    Column("id", Integer, primary_key=True),
    owner_column(),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("can_write", Boolean, nullable=False, default=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_used_at", UtcDateTime()),
    UniqueConstraint("owner_id", "name", name="uq_api_token_owner_name"),
)
