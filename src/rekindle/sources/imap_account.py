"""Where an IMAP account is and how Rekindle gets into it: its address, and its password.

An ``imap(s)://user@host/Folders`` address never holds the password: it comes from
``REKINDLE_IMAP_PASSWORD``, the system keyring or a prompt. Plain connections are for this
machine only.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal, cast
from urllib.parse import unquote, urlsplit

from rekindle.errors import UserError
from rekindle.transport.credentials import KEYRING_SERVICE, resolve_secret

SslMode = Literal["ssl", "starttls", "plain"]
PASSWORD_ENV = "REKINDLE_IMAP_PASSWORD"
PASSWORD_HINT = (
    f"Check the user name and password. Rekindle reads the password from {PASSWORD_ENV}, "
    "then the system keyring, then asks; an app password may be needed (Gmail, iCloud)."
)


@dataclass(slots=True)
class ImapAccount:
    """Where to read mail. ``folders=None`` means the defaults
    (:func:`rekindle.sources.imap_fetch.choose_folders`)."""

    host: str
    user: str
    port: int = 993
    ssl: SslMode = "ssl"
    folders: list[str] | None = None

    @property
    def label(self) -> str:
        """``user@host``: how messages name the account, and its keyring user name."""
        return f"{self.user}@{self.host}"


def parse_imap_url(url: str) -> ImapAccount:
    """``imaps://user@host[:993][/INBOX,Sent]`` (SSL) or ``imap://user@host[:143][/…]?starttls``.

    ``imap://`` means STARTTLS unless ``?plain`` is given, which only a loopback host may use.
    Folders are comma-separated and percent-decoded; none given means the defaults.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("imap", "imaps"):
        raise UserError(
            f"Not an IMAP address: {url!r}", hint="Write imaps://user@host or imap://user@host"
        )
    if parts.password is not None:
        raise UserError(
            "The IMAP address must not contain the password.",
            hint=f"Set {PASSWORD_ENV}, store it in the keyring, or let Rekindle ask for it.",
        )
    options = {o.lower() for o in parts.query.split("&") if o}
    unknown = options - {"ssl", "starttls", "plain"}
    if unknown or len(options) > 1:
        raise UserError(
            f"Unknown IMAP option in {url!r}: ?{parts.query}",
            hint="Use ?starttls (encrypt after connecting) or ?plain (localhost only).",
        )
    mode = cast(SslMode, options.pop() if options else "ssl" if scheme == "imaps" else "starttls")
    if scheme == "imaps" and mode != "ssl":
        raise UserError(f"imaps:// is always SSL; ?{mode} does not apply: {url!r}")
    host, user = parts.hostname, unquote(parts.username or "")
    if not host or not user:
        raise UserError(f"The IMAP address needs a user and a host: {url!r}")
    try:
        port = parts.port or (993 if mode == "ssl" else 143)
    except ValueError as exc:
        raise UserError(f"Bad port in IMAP address {url!r}") from exc
    path = parts.path[1:] if parts.path.startswith("/") else parts.path
    folders = [unquote(f) for f in path.split(",") if f.strip()] or None
    account = ImapAccount(host=host, user=user, port=port, ssl=mode, folders=folders)
    check_plain(account)
    return account


def check_plain(account: ImapAccount) -> None:
    """Refuse to send a password unencrypted anywhere but this machine."""
    if account.ssl != "plain":
        return
    try:
        loopback = ipaddress.ip_address(account.host).is_loopback
    except ValueError:
        loopback = account.host.lower() == "localhost"
    if not loopback:
        raise UserError(
            f"Refusing to send a password unencrypted to {account.host}.",
            hint="Use imaps:// (SSL) or ?starttls; ?plain is only for this machine.",
        )


# -- passwords -------------------------------------------------------------------------------


def resolve_password(
    account: ImapAccount, *, env: Mapping[str, str], prompt: Callable[[str], str] | None
) -> str:
    """The password from ``REKINDLE_IMAP_PASSWORD``, else the system keyring, else ``prompt``."""
    return resolve_secret(
        env_name=PASSWORD_ENV, label=account.label, what="IMAP", env=env, prompt=prompt
    )


def save_imap_password(account: ImapAccount, password: str) -> str:
    """Store the password in the system keyring; returns the backend's name."""
    try:
        import keyring
    except ImportError as exc:
        raise UserError(
            "Cannot store the password: the keyring package is not installed.",
            hint=f"pip install keyring, or set {PASSWORD_ENV} when running Rekindle.",
        ) from exc
    try:
        keyring.set_password(KEYRING_SERVICE, account.label, password)
    except Exception as exc:  # noqa: BLE001 - every backend failure means the same to the user
        raise UserError(
            f"Cannot store the password in the system keyring: {exc}",
            hint=f"Set {PASSWORD_ENV} when running Rekindle instead.",
        ) from exc
    return type(keyring.get_keyring()).__name__
