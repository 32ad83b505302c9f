"""A few whole messages from IMAP, by locator (``Folder;UIDVALIDITY=…;UID=…``), read-only.

The history sync fetches headers only; a meetup answer that says "count me in" in its words
needs the body of that one message. Folders are opened with EXAMINE, bodies fetched with
``BODY.PEEK`` (nothing is marked read), at most ``MAX_BYTES`` of each; a folder whose
UIDVALIDITY changed since the sync is skipped (its UIDs name other messages now).
"""

from __future__ import annotations

import imaplib
import re
import ssl
from collections import defaultdict
from collections.abc import Sequence

from rekindle.sources.imap_account import ImapAccount, check_plain
from rekindle.sources.imap_fetch import _close, _connect

#: the most bytes of one message fetched
MAX_BYTES = 256 * 1024
_LOCATOR = re.compile(r"^(?P<folder>.+);UIDVALIDITY=(?P<validity>\d+);UID=(?P<uid>\d+)$")
_ITEM = f"BODY.PEEK[]<0.{MAX_BYTES}>"


def parse_locator(locator: str) -> tuple[str, int, int] | None:
    found = _LOCATOR.match(locator)
    if found is None:
        return None
    return found["folder"], int(found["validity"]), int(found["uid"])


def fetch_bodies(
    account: ImapAccount,
    password: str,
    locators: Sequence[str],
    *,
    ssl_context: ssl.SSLContext | None = None,
    timeout: float = 15.0,
) -> dict[str, bytes]:
    """The raw bytes of the messages at ``locators`` that are still there."""
    wanted: dict[str, dict[int, tuple[int, str]]] = defaultdict(dict)
    for locator in locators:
        parsed = parse_locator(locator)
        if parsed is not None:
            folder, validity, uid = parsed
            wanted[folder][uid] = (validity, locator)
    if not wanted:
        return {}
    check_plain(account)
    client = _connect(account, password, ssl_context, timeout)
    out: dict[str, bytes] = {}
    try:
        for folder, uids in wanted.items():
            try:
                info = client.select_folder(folder, readonly=True)
                validity = int(info[b"UIDVALIDITY"])
                response = client.fetch(sorted(uids), [_ITEM])
            except imaplib.IMAP4.error:
                continue
            for uid, data in response.items():
                known = uids.get(uid)
                body = next((v for k, v in data.items() if k.startswith(b"BODY[")), None)
                if known is not None and known[0] == validity and isinstance(body, bytes):
                    out[known[1]] = body
    finally:
        _close(client)
    return out
