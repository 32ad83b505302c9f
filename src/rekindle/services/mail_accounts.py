"""Your mail accounts as `rekindle config` keeps them, and checking that they work.

SMTP uses the keys delivery reads (``smtp.host``, ``smtp.port``, ``smtp.security``,
``smtp.username``, ``smtp.from``). IMAP is kept as the address `rekindle sync mail` takes:
``sync.imap`` for the folders to sync, ``drafts.imap`` (the same account) for the Drafts
folder. Passwords are never stored: they come from the environment variable, the system keyring
or a password typed for one action (:func:`secret_env`).
"""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass, field, replace
from urllib.parse import quote

from rekindle.errors import UserError
from rekindle.services import settings
from rekindle.services.delivery import smtp_account
from rekindle.sources.imap_account import PASSWORD_ENV as IMAP_PASSWORD_ENV
from rekindle.sources.imap_account import ImapAccount, parse_imap_url
from rekindle.sources.imap_fetch import fetch_folder_names
from rekindle.store import Store
from rekindle.transport.credentials import NO_KEYRING_ENV, keyring_secret, resolve_secret
from rekindle.transport.smtp import PASSWORD_ENV as SMTP_PASSWORD_ENV
from rekindle.transport.smtp import check_login

IMAP_SECURITIES = {
    "ssl": "SSL (port 993)",
    "starttls": "STARTTLS (port 143)",
    "plain": "none (this machine only)",
}
SMTP_SECURITIES = {
    "starttls": "STARTTLS (port 587)",
    "tls": "TLS (port 465)",
    "none": "none (this machine only)",
}
NO_IMAP_HINT = "Settings → Mail accounts, or `rekindle config set sync.imap imaps://you@host`"


@dataclass
class ImapForm:
    """The IMAP account as the form shows it."""

    host: str = ""
    port: str = ""
    security: str = "ssl"
    user: str = ""
    folders: list[str] = field(default_factory=list)
    drafts: str = ""


def imap_form(store: Store) -> ImapForm:
    values = settings.current(store)
    url = values.get("sync.imap") or values.get("drafts.imap")
    if not url:
        return ImapForm()
    account = parse_imap_url(url)
    drafts_url = values.get("drafts.imap")
    drafts = parse_imap_url(drafts_url).folders if drafts_url else None
    return ImapForm(
        account.host,
        str(account.port),
        account.ssl,
        account.user,
        account.folders or [] if values.get("sync.imap") else [],
        drafts[0] if drafts else "",
    )


def imap_url(host: str, port: str, security: str, user: str, folders: list[str]) -> str:
    """``imaps://user@host:port/A,B`` or ``imap://…?starttls|plain``, as the sync takes it."""
    if security not in IMAP_SECURITIES:
        raise UserError(f"no IMAP security {security!r}", hint=", ".join(IMAP_SECURITIES))
    host, user = host.strip(), user.strip()
    if not host or not user:
        raise UserError("the IMAP account needs a host and a user", hint="e.g. imap.example.org")
    if port.strip() and not (port.strip().isdigit() and 0 < int(port) < 65536):
        raise UserError(f"{port!r} is not a port number", hint="993 for SSL, 143 for STARTTLS")
    netloc = f"{quote(user, safe='')}@{host}" + (f":{int(port)}" if port.strip() else "")
    path = ",".join(quote(f.strip(), safe="") for f in folders if f.strip())
    scheme, option = ("imaps", "") if security == "ssl" else ("imap", f"?{security}")
    url = f"{scheme}://{netloc}/{path}{option}"
    parse_imap_url(url)  # the same checks as the sync (no plain text beyond this machine)
    return url


def save_imap(
    store: Store, host: str, port: str, security: str, user: str, folders: str, drafts: str
) -> None:
    """Keep the account for the sync (with its folders) and for the Drafts folder."""
    if not host.strip() and not user.strip():
        settings.change(store, "sync.imap", None)
        settings.change(store, "drafts.imap", None)
        return
    names = [f for f in folders.split(",") if f.strip()]
    settings.change(store, "sync.imap", imap_url(host, port, security, user, names))
    settings.change(
        store, "drafts.imap", imap_url(host, port, security, user, [drafts] if drafts else [])
    )


def save_smtp(store: Store, host: str, port: str, security: str, user: str, sender: str) -> None:
    """The keys delivery reads; an empty field goes back to the default."""
    for key, value in (
        ("smtp.host", host),
        ("smtp.port", port),
        ("smtp.security", security),
        ("smtp.username", user),
        ("smtp.from", sender),
    ):
        settings.change(store, key, value.strip() or None)


def sync_url(store: Store) -> str:
    url = settings.current(store).get("sync.imap")
    if not url:
        raise UserError("no IMAP account is configured for the sync", hint=NO_IMAP_HINT)
    return url


def has_secret(env_name: str, label: str, shared: bool = False) -> bool:
    """Whether a password is at hand without typing one (environment or keyring).

    ``shared``: a team server, whose environment and keyring are its operator's, never a
    teammate's: a teammate always types their password."""
    if shared:
        return False
    return bool(os.environ.get(env_name)) or keyring_secret(label) is not None


def secret_env(env_name: str, typed: str, shared: bool = False) -> dict[str, str]:
    """The environment for one action: a typed password wins, and is kept nowhere else.

    ``shared`` (a team server): only the typed password, and no keyring. Otherwise a teammate
    could point their account at any server and have the operator's password sent there."""
    env = {NO_KEYRING_ENV: "1"} if shared else dict(os.environ)
    if typed:
        env[env_name] = typed
    return env


def imap_account(store: Store) -> ImapAccount:
    values = settings.current(store)
    url = values.get("sync.imap") or values.get("drafts.imap")
    if not url:
        raise UserError("no IMAP account is configured", hint=NO_IMAP_HINT)
    return parse_imap_url(url)


#: on a team server a connection test reaches these ports only (the usual submission and
#: IMAP ports): a teammate cannot use it to probe what else listens on the network
TEAM_TEST_PORTS = {"smtp": (25, 465, 587, 2525), "imap": (143, 993)}
#: seconds a team server's connection test waits for an answer
TEAM_TEST_TIMEOUT_S = 8.0


#: more ports the server's operator allows for the tests ("1025,2465"), in its environment
TEAM_PORTS_ENV = "REKINDLE_TEAM_MAIL_PORTS"


def _team_port(which: str, host: str, port: int) -> None:
    extra = os.environ.get(TEAM_PORTS_ENV, "")
    allowed = (*TEAM_TEST_PORTS[which], *(int(p) for p in extra.split(",") if p.strip().isdigit()))
    if port not in allowed:
        raise UserError(
            f"{host}:{port}: on a team server the {which.upper()} test connects to the usual "
            f"ports only ({', '.join(map(str, allowed))})",
            hint=f"if your mail server listens elsewhere, the server's operator can allow its "
            f"port ({TEAM_PORTS_ENV})",
        )


def check_imap(
    store: Store,
    typed: str = "",
    ssl_context: ssl.SSLContext | None = None,
    shared: bool = False,
) -> str:
    """Log in to the IMAP account; what it holds, in words, or a clear error. ``shared`` (a
    team server): the usual IMAP ports only, and a short timeout."""
    account = imap_account(store)
    if shared:
        _team_port("imap", account.host, account.port)
    password = resolve_secret(
        env_name=IMAP_PASSWORD_ENV,
        label=account.label,
        what="IMAP",
        env=secret_env(IMAP_PASSWORD_ENV, typed, shared),
        prompt=None,
    )
    timeout = TEAM_TEST_TIMEOUT_S if shared else 15.0
    names = fetch_folder_names(account, password, ssl_context=ssl_context, timeout=timeout)
    shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    return f"Logged in to {account.host}:{account.port} as {account.user}: {len(names)} folders ({shown})."


def check_smtp(
    store: Store,
    typed: str = "",
    ssl_context: ssl.SSLContext | None = None,
    shared: bool = False,
) -> str:
    """Connect and log in to the SMTP server without sending anything. ``shared`` (a team
    server): the usual submission ports only, and a short timeout."""
    account = smtp_account(store)
    if shared:
        _team_port("smtp", account.host, account.port)
        account = replace(account, timeout=TEAM_TEST_TIMEOUT_S)
    password = None
    if account.username:
        password = resolve_secret(
            env_name=SMTP_PASSWORD_ENV,
            label=account.label,
            what="SMTP",
            env=secret_env(SMTP_PASSWORD_ENV, typed, shared),
            prompt=None,
        )
    name = check_login(account, password, ssl_context=ssl_context)
    who = f" as {account.username}" if account.username else ""
    return f"Connected to {account.where} ({name or 'SMTP'}){who}; nothing was sent."
