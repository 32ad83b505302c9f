"""A message ready to deliver, pure: the MIME email of one outreach, and its reach links.

:func:`build_email` makes the message every delivery uses (SMTP, the IMAP Drafts folder, an
``.eml`` file): From with your name, To with theirs, Subject, Date, a Message-ID (stored in the
log so the reply is matched by In-Reply-To) and, for a follow-up, In-Reply-To and References.
The links open the message in another app: ``mailto:``, ``sms:``, ``tel:``.
"""

from __future__ import annotations

from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import quote

from rekindle.errors import UserError


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().lower() or "localhost"


def make_message_id(sender: str, token: str) -> str:
    """A Message-ID (without brackets) in the sender's domain: ``rekindle.<token>@example.org``."""
    return f"rekindle.{token}@{domain_of(sender)}"


def _address(name: str, address: str, what: str) -> Address:
    local, at, domain = address.strip().rpartition("@")
    if not at or not local or not domain:
        raise UserError(f"{what} {address!r} is not an email address")
    return Address(display_name=" ".join(name.split()), username=local, domain=domain)


def build_email(
    *,
    sender_name: str,
    sender: str,
    to_name: str,
    to: str,
    subject: str,
    body: str,
    message_id: str,
    date: datetime,
    in_reply_to: str | None = None,
    unsent: bool = False,
) -> EmailMessage:
    """One plain-text message. ``unsent`` marks an ``.eml`` to open as a draft (X-Unsent)."""
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = _address(sender_name, sender, "your address")
    msg["To"] = _address("" if "@" in to_name else to_name, to, "their address")
    msg["Subject"] = " ".join(subject.split())
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = f"<{message_id}>"
    if in_reply_to:
        msg["In-Reply-To"] = f"<{in_reply_to}>"
        msg["References"] = f"<{in_reply_to}>"
    if unsent:
        msg["X-Unsent"] = "1"
    msg.set_content(body.rstrip("\n") + "\n", charset="utf-8")
    return msg


def mailto_link(address: str, subject: str | None, body: str) -> str:
    query = [f"subject={quote(subject)}"] if subject else []
    query.append(f"body={quote(body)}")
    return f"mailto:{quote(address, safe='@')}?" + "&".join(query)


def sms_link(phone: str, body: str) -> str:
    """An ``sms:`` URI (RFC 5724) with the text filled in."""
    return f"sms:{phone.replace(' ', '')}?body={quote(body)}"


def tel_link(phone: str) -> str:
    return f"tel:{phone.replace(' ', '')}"


def profile_link(url: str) -> str | None:
    """A profile as a full ``https://`` link a terminal or browser opens ("linkedin.com/in/x"
    as stored from an export has no scheme); None for anything but a web address."""
    text = url.strip()
    if not text or any(c.isspace() for c in text):
        return None
    if text.startswith("//"):
        text = "https:" + text
    scheme, sep, rest = text.partition("://")
    if not sep:
        head = text.split("/", 1)[0]
        # "javascript:…" is no address; "host:port/…" is
        return None if ":" in head and "." not in head.split(":", 1)[0] else "https://" + text
    if scheme.lower() not in ("http", "https") or not rest:
        return None
    return "https://" + rest
