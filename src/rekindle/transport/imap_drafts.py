"""Save a message into the IMAP Drafts folder (APPEND), so you send it from your own client.

The folder is the one the URL names (``imaps://user@host/Drafts``), else the server's
``\\Drafts`` special-use folder, else one with a usual name. Nothing else on the server
changes; the message is flagged ``\\Draft``.
"""

from __future__ import annotations

import imaplib
import ssl
from collections.abc import Iterable, Sequence
from contextlib import suppress
from datetime import datetime
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import CapabilityError, LoginError
from imapclient.imapclient import SocketTimeout

from rekindle.errors import UserError
from rekindle.sources.imap_account import PASSWORD_HINT, ImapAccount, parse_imap_url

DRAFT_NAMES = ("drafts", "draft", "inbox.drafts", "inbox/drafts", "entwürfe", "brouillons")


def parse_drafts_url(url: str) -> ImapAccount:
    """An IMAP URL as the sync takes it; at most one folder (the Drafts folder)."""
    account = parse_imap_url(url)
    if account.folders and len(account.folders) > 1:
        raise UserError(f"name one Drafts folder, not {len(account.folders)}: {url!r}")
    return account


def choose_drafts(listing: Iterable[tuple[Sequence[bytes], Any, str]]) -> str | None:
    """The ``\\Drafts`` special-use folder, else the first with a usual Drafts name."""
    boxes = [(name, {bytes(f).lower() for f in flags}) for flags, _, name in listing]
    for name, flags in boxes:
        if b"\\drafts" in flags:
            return name
    return next((name for name, _ in boxes if name.lower() in DRAFT_NAMES), None)


def append_draft(
    account: ImapAccount,
    password: str,
    message: bytes,
    when: datetime,
    *,
    ssl_context: ssl.SSLContext | None = None,
    timeout: float = 30.0,
) -> str:
    """APPEND ``message`` to the Drafts folder with the ``\\Draft`` flag; returns the folder."""
    context = ssl_context or ssl.create_default_context()
    where = f"{account.host}:{account.port}"
    try:
        client = IMAPClient(
            account.host,
            port=account.port,
            ssl=account.ssl == "ssl",
            ssl_context=context,
            timeout=SocketTimeout(connect=timeout, read=timeout),
        )
    except (OSError, imaplib.IMAP4.error) as exc:
        raise _error(where, exc, timeout) from exc
    try:
        if account.ssl == "starttls":
            client.starttls(context)
        if password.isascii():
            client.login(account.user, password)
        else:
            client.plain_login(account.user, password)
        folder = account.folders[0] if account.folders else choose_drafts(client.list_folders())
        if folder is None:
            raise UserError(
                f"{account.host} has no Drafts folder that Rekindle can find",
                hint="name it in the address: imaps://user@host/Drafts",
            )
        client.append(folder, message, flags=(b"\\Draft", b"\\Seen"), msg_time=when)
        return folder
    except CapabilityError as exc:
        raise UserError(
            f"{where} does not offer STARTTLS.", hint="use imaps:// with the SSL port (993)"
        ) from exc
    except LoginError as exc:
        raise UserError(f"IMAP login failed for {account.label}", hint=PASSWORD_HINT) from exc
    except imaplib.IMAP4.abort as exc:
        raise UserError(
            f"The connection to {where} dropped while saving the draft: {exc}",
            hint="look in your Drafts folder before saving it again",
        ) from exc
    except imaplib.IMAP4.error as exc:
        raise UserError(f"{where} refused to save the draft: {exc}") from exc
    except OSError as exc:
        raise _error(where, exc, timeout) from exc
    finally:
        with suppress(Exception):
            client.logout()


def _error(where: str, exc: BaseException, timeout: float) -> UserError:
    if isinstance(exc, ssl.SSLError):
        return UserError(f"TLS with {where} failed: {exc}", hint="check the port and imaps://")
    if isinstance(exc, TimeoutError):
        return UserError(f"No answer from the IMAP server {where} within {timeout:g} s.")
    return UserError(
        f"Cannot connect to the IMAP server {where}: {getattr(exc, 'strerror', None) or exc}",
        hint="check the host, the port and the network connection",
    )
