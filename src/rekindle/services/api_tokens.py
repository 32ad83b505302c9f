"""Tokens of the JSON API: make one, list them, revoke one, and find who holds a token.

A token is shown once, when it is made; only its SHA-256 is stored, so a copy of the database
lets no one in. Each token belongs to one owner (the local user, or a team account) and sees
that owner's data alone; it is read-only unless it was made with ``write=True``.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rekindle.errors import NotFoundError, UserError
from rekindle.services.accounts import token_hash
from rekindle.store import Store
from rekindle.store import api_tokens as tq
from rekindle.store.database import utcnow

#: tokens start with this, so a leaked one is recognisable (e.g. by secret scanners)
PREFIX = "rk_"
_NAME = re.compile(r"^[\w.@-][\w .@-]{0,99}$")
#: a token's last use is written at most this often
TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class ApiToken:
    name: str
    can_write: bool
    created_at: datetime
    last_used_at: datetime | None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "write": self.can_write,
            "created_at": self.created_at.isoformat(),
            "last_used_at": self.last_used_at.isoformat() if self.last_used_at else None,
        }


@dataclass(frozen=True)
class Holder:
    """Who a presented token speaks for."""

    owner_id: int
    token_name: str
    can_write: bool


def _check_name(name: str) -> str:
    name = name.strip()
    if not _NAME.match(name):
        raise UserError(
            f"a token's name is 1 to 100 letters, digits, spaces or . _ @ -, not {name!r}"
        )
    return name


def create_token(store: Store, name: str, write: bool = False, now: datetime | None = None) -> str:
    """A new token for the store's owner; the only time its secret is shown."""
    name = _check_name(name)
    token = PREFIX + secrets.token_urlsafe(32)
    with store.begin() as conn:
        if tq.token_named(conn, store.owner_id, name) is not None:
            raise UserError(
                f"there is already a token named {name!r}",
                hint=f"`rekindle api-token revoke {name}` first, or choose another name",
            )
        tq.create_token(conn, store.owner_id, name, token_hash(token), write, now or utcnow())
    return token


def list_tokens(store: Store) -> list[ApiToken]:
    with store.read() as conn:
        rows = tq.tokens_of(conn, store.owner_id)
    return [ApiToken(r.name, bool(r.can_write), r.created_at, r.last_used_at) for r in rows]


def revoke_token(store: Store, name: str) -> None:
    with store.begin() as conn:
        if not tq.delete_token(conn, store.owner_id, name.strip()):
            raise NotFoundError(
                f"no token named {name!r}", hint="`rekindle api-token list` shows your tokens"
            )


def holder(store: Store, token: str, now: datetime | None = None) -> Holder | None:
    """Whose token this is, or None for an unknown, malformed or revoked one."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    now = now or utcnow()
    with store.read() as conn:
        row = tq.holder_of(conn, token_hash(token))
    if row is None:
        return None
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        with store.begin() as conn:
            tq.touch_token(conn, int(row.id), now)
    return Holder(int(row.owner_id), str(row.name), bool(row.can_write))
