"""Passwords for delivery: from an environment variable, the system keyring, or a prompt.

The same order as the IMAP sync (:mod:`rekindle.sources.imap_account`), and the same keyring
service ("rekindle", user ``user@host``). Rekindle never writes a password to its database or
its settings.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rekindle.errors import UserError

#: the keyring service under which Rekindle looks for passwords (user: ``user@host``)
KEYRING_SERVICE = "rekindle"
#: set (to anything) in the environment given: the keyring is not asked
NO_KEYRING_ENV = "REKINDLE_NO_KEYRING"


def keyring_secret(label: str) -> str | None:
    try:
        import keyring
    except ImportError:
        return None
    try:
        value = keyring.get_password(KEYRING_SERVICE, label)
    except Exception:  # noqa: BLE001 - no usable keyring backend: fall through to the prompt
        return None
    return value or None


def resolve_secret(
    *,
    env_name: str,
    label: str,
    what: str,
    env: Mapping[str, str],
    prompt: Callable[[str], str] | None,
) -> str:
    """``env[env_name]``, else the keyring entry for ``label``, else ``prompt``; or a user error."""
    if env.get(env_name):
        return env[env_name]
    stored = None if env.get(NO_KEYRING_ENV) else keyring_secret(label)
    if stored:
        return stored
    if prompt is not None:
        typed = prompt(f"{what} password for {label}: ")
        if typed:
            return typed
    raise UserError(
        f"No {what} password for {label}.",
        hint=f"Set {env_name}, store it in the system keyring (service {KEYRING_SERVICE!r}, "
        f"user {label!r}), or run in a terminal.",
    )
