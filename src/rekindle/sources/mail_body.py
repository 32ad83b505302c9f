"""One message's body, read again from where a sync found it, for the few messages that need
more than their headers (a meetup answer): its plain text and any calendar parts.

The history keeps only header facts and each message's locator: ``Inbox.mbox@123456`` (the
mbox file's name and the byte offset of its envelope line), a Maildir or ``.eml`` path
relative to the synced folder, or the ``.eml`` file's own name. Reading is bounded: at most
``MAX_MESSAGE`` bytes of a message, ``MAX_PARTS`` MIME parts.
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

#: the most bytes of one message read
MAX_MESSAGE = 2 * 1024 * 1024
#: the most MIME parts looked at
MAX_PARTS = 50
_CALENDAR_TYPES = ("text/calendar", "application/ics")


@dataclass
class Body:
    """What a message says: its first plain-text part and its calendar parts."""

    text: str = ""
    calendars: list[bytes] = field(default_factory=list)


def _mbox_message(path: Path, offset: int) -> bytes | None:
    with open(path, "rb") as fh:
        fh.seek(offset)
        data = fh.read(MAX_MESSAGE)
    if not data.startswith(b"From "):
        return None
    start = data.find(b"\n") + 1
    end = data.find(b"\nFrom ", start)
    return data[start : end + 1 if end >= 0 else len(data)]


def raw_message(kind: str, root: Path, locator: str) -> bytes | None:
    """The bytes of the message at ``locator`` under the synced ``root`` (an mbox file, a
    Maildir or a folder of ``.eml`` files, or one ``.eml``); None when it is not there."""
    try:
        if kind == "mbox":
            name, at, offset = locator.rpartition("@")
            if not at or name != root.name or not offset.isdigit():
                return None
            return _mbox_message(root, int(offset))
        if kind in ("maildir", "eml"):
            path = root if root.is_file() else (root / locator)
            resolved = path.resolve()
            if root.is_dir() and root.resolve() not in resolved.parents:
                return None  # a locator never leaves the synced folder
            with open(resolved, "rb") as fh:
                return fh.read(MAX_MESSAGE)
    except OSError:
        return None
    return None


def parse_body(raw: bytes) -> Body:
    """The first plain-text part (decoded) and every calendar part's bytes."""
    msg = email.message_from_bytes(raw[:MAX_MESSAGE], policy=email.policy.default)
    body = Body()
    for n, part in enumerate(msg.walk()):
        if n >= MAX_PARTS:
            break
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        name = (part.get_filename() or "").lower()
        if ctype in _CALENDAR_TYPES or name.endswith(".ics"):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                body.calendars.append(payload)
        elif (
            ctype == "text/plain"
            and not body.text
            and part.get_content_disposition() != "attachment"
        ):
            body.text = _text_of(part)
    return body


def _text_of(part: EmailMessage | email.message.Message) -> str:
    try:
        content = part.get_content()  # type: ignore[union-attr]
    except (LookupError, ValueError, AttributeError):
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return content if isinstance(content, str) else ""
