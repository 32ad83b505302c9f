"""Team accounts: create and manage logins, check passwords, keep web sessions.

Passwords are hashed with argon2id (``argon2-cffi``'s defaults, rehashed when those change);
session and feed tokens are random (``secrets``) and only their SHA-256 is stored, so a copy
of the database does not sign anyone in.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection

from rekindle.errors import NotFoundError, UserError
from rekindle.store import Store
from rekindle.store import accounts as aq
from rekindle.store.database import utcnow

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
SESSION_DAYS = 14
#: a session's expiry slides forward at most this often (one write per user per interval)
TOUCH_EVERY = timedelta(minutes=5)
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,63}$")

_hasher = PasswordHasher()
#: checked against when the username is unknown, so both cases take the same time
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class Account:
    owner_id: int
    username: str
    display_name: str
    is_admin: bool
    share_signals: bool
    can_sign_in: bool


@dataclass(frozen=True)
class SignedIn:
    account: Account
    csrf_token: str


def _account(row: Any) -> Account:
    return Account(
        owner_id=int(row.id),
        username=str(row.username),
        display_name=str(row.display_name or row.username),
        is_admin=bool(row.is_admin),
        share_signals=bool(row.share_signals),
        can_sign_in=bool(row.password_hash),
    )


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_username(username: str) -> str:
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise UserError(
            f"{username!r} is not a usable username",
            hint="1 to 64 characters: letters, digits, and . _ @ - (not first)",
        )
    return name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password is too short: at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise UserError(f"the password is too long: at most {MAX_PASSWORD} characters")


def add_user(
    store: Store,
    username: str,
    password: str,
    *,
    display_name: str | None = None,
    admin: bool = False,
    now: datetime | None = None,
) -> Account:
    """A new account that can sign in to ``rekindle serve --team``."""
    name = check_username(username)
    check_password(password)
    with store.begin() as conn:
        if aq.account_by_username(conn, name) is not None:
            raise UserError(
                f"there is already an account named {name!r}",
                hint=f"`rekindle user passwd {name}` sets its password",
            )
        owner_id = aq.create_account(
            conn, name, display_name or name, _hasher.hash(password), admin, now or utcnow()
        )
        row = aq.account_by_id(conn, owner_id)
    return _account(row)


def _existing(conn: Connection, username: str) -> Any:
    row = aq.account_by_username(conn, username.strip().lower())
    if row is None:
        raise NotFoundError(
            f"no account named {username!r}", hint="`rekindle user list` shows the accounts"
        )
    return row


def set_password(store: Store, username: str, password: str) -> Account:
    """Set (or first give) an account its password; every browser it had is signed out."""
    check_password(password)
    with store.begin() as conn:
        row = _existing(conn, username)
        owner_id = int(row.id)
        aq.update_account(conn, owner_id, password_hash=_hasher.hash(password))
        aq.delete_sessions_of(conn, owner_id)
        return _account(aq.account_by_id(conn, owner_id))


def set_admin(store: Store, username: str, admin: bool) -> Account:
    with store.begin() as conn:
        row = _existing(conn, username)
        aq.update_account(conn, int(row.id), is_admin=admin)
        return _account(aq.account_by_id(conn, int(row.id)))


def remove_user(store: Store, username: str) -> Account:
    """Delete an account and everything it keeps (its people, history and outreach)."""
    with store.begin() as conn:
        row = _existing(conn, username)
        account = _account(row)
        aq.delete_account(conn, account.owner_id)
    return account


def list_users(store: Store) -> list[tuple[Account, int]]:
    """Every account, with how many people each keeps."""
    with store.read() as conn:
        return [(_account(r), int(r.people)) for r in aq.list_accounts(conn)]


def account(store: Store, owner_id: int) -> Account:
    with store.read() as conn:
        row = aq.account_by_id(conn, owner_id)
    if row is None:
        raise NotFoundError("this account no longer exists")
    return _account(row)


def set_sharing(store: Store, share: bool) -> None:
    """Opt the store's owner in (or out) of the teammate signals."""
    with store.begin() as conn:
        aq.update_account(conn, store.owner_id, share_signals=share)


def authenticate(store: Store, username: str, password: str) -> Account | None:
    """The account if the password is right, else None (same work either way)."""
    with store.read() as conn:
        row = aq.account_by_username(conn, username.strip().lower()[:200])
    stored = row.password_hash if row is not None else None
    try:
        _hasher.verify(stored or _DUMMY_HASH, password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not stored:
        return None
    if _hasher.check_needs_rehash(stored):
        with store.begin() as conn:
            aq.update_account(conn, int(row.id), password_hash=_hasher.hash(password))
    return _account(row)


def start_session(store: Store, owner_id: int, now: datetime | None = None) -> str:
    """A new signed-in session; the token for the cookie (only its hash is kept)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    with store.begin() as conn:
        aq.purge_expired_sessions(conn, now)
        aq.create_session(
            conn,
            owner_id,
            token_hash(token),
            secrets.token_urlsafe(32),
            now,
            now + timedelta(days=SESSION_DAYS),
        )
    return token


def session(store: Store, token: str, now: datetime | None = None) -> SignedIn | None:
    """Who holds this session token, if it is live; its expiry slides forward."""
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    with store.read() as conn:
        row = aq.session_by_token(conn, token_hash(token))
    if row is None or row.expires_at <= now or not row.password_hash:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        with store.begin() as conn:
            aq.touch_session(conn, int(row.session_id), now, now + timedelta(days=SESSION_DAYS))
    return SignedIn(_account(row), str(row.csrf_token))


def end_session(store: Store, token: str) -> None:
    with store.begin() as conn:
        aq.delete_session(conn, token_hash(token))


def new_feed_token(store: Store) -> str:
    """A new secret for the owner's calendar feed URL; the old URL stops working."""
    token = secrets.token_urlsafe(24)
    with store.begin() as conn:
        aq.update_account(conn, store.owner_id, feed_token_hash=token_hash(token))
    return token


def owner_for_feed(store: Store, token: str) -> int | None:
    if not token or len(token) > 200:
        return None
    with store.read() as conn:
        return aq.owner_by_feed_token(conn, token_hash(token))
