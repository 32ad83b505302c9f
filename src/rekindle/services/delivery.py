"""Delivery of a saved draft: SMTP (a dry run unless confirmed), the IMAP Drafts folder, an
``.eml`` file, or links and the clipboard for the other media.

Sending keeps the log and the mail in step. The Message-ID is stored and the outreach marked
``sending`` before the first byte goes out; a success marks it ``sent``; a refusal or a failed
connection puts it back to ``draft`` (nothing went out). When the connection drops while the
message is handed over, it stays ``sending``: a retry then says it may already have gone and
refuses unless forced, and a forced retry reuses the same Message-ID.
"""

from __future__ import annotations

import os
import secrets
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection

from rekindle.compose.drafting import reply_subject
from rekindle.compose.mail_compose import build_email, make_message_id
from rekindle.errors import NotFoundError, UserError
from rekindle.services import outreach as log
from rekindle.services.settings import current
from rekindle.sources.imap_account import PASSWORD_ENV as IMAP_PASSWORD_ENV
from rekindle.store import Store
from rekindle.store import outreach as oq
from rekindle.store import people as pq
from rekindle.store.database import utcnow
from rekindle.store.write_address import email_to_write
from rekindle.transport.credentials import resolve_secret
from rekindle.transport.imap_drafts import append_draft, parse_drafts_url
from rekindle.transport.smtp import PASSWORD_ENV, Security, SendError, SmtpAccount, send_email

Prompt = Callable[[str], str]


@dataclass
class Outgoing:
    """One saved draft made ready to deliver: who, how to reach them, and the message."""

    outreach_id: int
    person_id: int
    person: str
    medium: str
    status: str
    subject: str | None
    body: str
    email: str | None
    phone: str | None
    linkedin: str | None
    message_id: str | None = None
    follows_up: int | None = None
    message: EmailMessage | None = None

    def as_json(self) -> dict[str, Any]:
        data = {k: v for k, v in self.__dict__.items() if k != "message"}
        data["headers"] = dict(self.message.items()) if self.message is not None else None
        return data


def _reach(conn: Connection, person_id: int) -> dict[str, str]:
    found: dict[str, str] = {}
    for i in pq.identities_of(conn, person_id):
        kind = i.kind
        if kind == "url" and not (i.service == "linkedin" or "linkedin." in (i.value or "")):
            continue
        found.setdefault("linkedin" if kind == "url" else kind, i.display or i.value)
    email = email_to_write(conn, person_id)
    if email:
        found["email"] = email
    return found


def _sender(conn: Connection, owner_id: int, settings: Mapping[str, str | None]) -> tuple[str, str]:
    """(your name, your address): smtp.from, else your first address in `rekindle me`."""
    me_id = pq.find_me(conn, owner_id)
    name = (pq.edits_of(conn, me_id).get("name") if me_id else None) or ""
    address = settings.get("smtp.from")
    if not address and me_id is not None:
        address = next((i.value for i in pq.identities_of(conn, me_id) if i.kind == "email"), None)
    if not address:
        raise UserError(
            "no address to send from",
            hint="`rekindle me add-address you@example.org` or "
            "`rekindle config set smtp.from you@example.org`",
        )
    return name, address


def sender_of(store: Store) -> tuple[str, str]:
    """(your name, your address) as a message from you carries them."""
    settings = current(store)
    with store.read() as conn:
        return _sender(conn, store.owner_id, settings)


def prepare(
    store: Store, outreach_id: int, *, unsent: bool = False, now: datetime | None = None
) -> Outgoing:
    """The draft ``outreach_id`` ready to go; an email gets its MIME message (and a new
    Message-ID unless it has one). Errors name what is missing."""
    now = now or utcnow()
    settings = current(store)
    with store.read() as conn:
        row = _unsent_draft(conn, store.owner_id, outreach_id)
        out = _outgoing(conn, store.owner_id, row)
        if row.medium != "email":
            return out
        if not out.email:
            raise UserError(
                f"{out.person} has no email address on record",
                hint=f"`rekindle edit {row.person_id}` or import a card with it; "
                "or draft for another medium (--medium linkedin|sms)",
            )
        parent = oq.get_outreach(conn, store.owner_id, row.parent_id) if row.parent_id else None
        name, address = _sender(conn, store.owner_id, settings)
    _build_message(out, row.subject, parent, name, address, now, unsent)
    return out


def _unsent_draft(conn: Connection, owner_id: int, outreach_id: int) -> Any:
    """The outreach row, if it is a draft that may go (not sent already, follow-up rules kept)."""
    row = oq.get_outreach(conn, owner_id, outreach_id)
    if row is None:
        raise NotFoundError(f"no outreach #{outreach_id}", hint="`rekindle outreach` lists them")
    if row.status not in ("draft", "sending"):
        raise UserError(
            f"outreach #{outreach_id} is {row.status} already; nothing is sent twice",
            hint="`rekindle draft PERSON --save` makes a new draft",
        )
    log.check_follow_up(conn, owner_id, row)
    return row


def _outgoing(conn: Connection, owner_id: int, row: Any) -> Outgoing:
    """What the draft says and where the person can be reached."""
    person = pq.get_person(conn, owner_id, row.person_id)
    reach = _reach(conn, row.person_id)
    return Outgoing(
        row.id,
        row.person_id,
        person.display_name if person is not None else f"#{row.person_id}",
        row.medium,
        row.status,
        row.subject,
        row.body or "",
        reach.get("email"),
        reach.get("phone"),
        reach.get("linkedin"),
        row.message_id,
        row.parent_id,
    )


def _build_message(
    out: Outgoing,
    subject: str | None,
    parent: Any,
    name: str,
    address: str,
    now: datetime,
    unsent: bool,
) -> None:
    """The MIME message of an email draft: its Message-ID, subject (a follow-up's is the
    reply's) and threading headers."""
    out.message_id = out.message_id or make_message_id(address, secrets.token_hex(12))
    subject = subject or (reply_subject(parent.subject) if parent is not None else "")
    if not subject.strip():
        raise UserError(f"draft #{out.outreach_id} has no subject", hint="an email needs one")
    out.subject = subject
    out.message = build_email(
        sender_name=name,
        sender=address,
        to_name=out.person,
        to=out.email or "",
        subject=subject,
        body=out.body,
        message_id=out.message_id,
        date=now,
        in_reply_to=parent.message_id if parent is not None else None,
        unsent=unsent,
    )


def smtp_account(store: Store) -> SmtpAccount:
    settings = current(store)
    host = settings.get("smtp.host")
    if not host:
        raise UserError(
            "no SMTP server configured",
            hint="`rekindle config set smtp.host smtp.example.org` (and smtp.port, "
            "smtp.security, smtp.username); or `rekindle send ID --drafts` / `--eml FILE`",
        )
    security = cast(Security, settings.get("smtp.security") or "starttls")
    port = settings.get("smtp.port")
    default_port = {"tls": 465, "starttls": 587, "none": 25}[security]
    return SmtpAccount(
        host=host,
        port=int(port) if port else default_port,
        security=security,
        username=settings.get("smtp.username") or None,
        timeout=float(settings.get("smtp.timeout") or 30),
    )


def _mark(store: Store, outreach_id: int, **values: Any) -> None:
    with store.begin() as conn:
        oq.update_outreach(conn, store.owner_id, outreach_id, **values)


def send(
    store: Store,
    outreach_id: int,
    *,
    confirm: bool,
    force: bool = False,
    prompt: Prompt | None = None,
    env: Mapping[str, str] | None = None,
    ssl_context: ssl.SSLContext | None = None,
    now: datetime | None = None,
    attach: Callable[[Outgoing], None] | None = None,
) -> Outgoing:
    """Send an email draft through SMTP. Without ``confirm`` it is a dry run: the message is
    built and checked (address, lock) and nothing is recorded or sent. ``attach`` may add
    parts to the built message (a meetup's calendar invitation) before it goes."""
    now = now or utcnow()
    out = prepare(store, outreach_id, now=now)
    _check_sendable(store, out, force, now)
    if attach is not None:
        attach(out)
    account = smtp_account(store)
    if not confirm:
        return out
    password = None
    if account.username:
        password = resolve_secret(
            env_name=PASSWORD_ENV,
            label=account.label,
            what="SMTP",
            env=env if env is not None else dict(os.environ),
            prompt=prompt,
        )
    _hand_over(store, out, account, password, ssl_context)
    with store.begin() as conn:
        row = oq.get_outreach(conn, store.owner_id, outreach_id)
        log.record_sent(conn, store.owner_id, row, now, out.message_id, now)
    out.status = "sent"
    return out


def _check_sendable(store: Store, out: Outgoing, force: bool, now: datetime) -> None:
    """An email, not possibly sent already, to someone not written to too recently."""
    outreach_id = out.outreach_id
    if out.medium != "email":
        raise UserError(
            f"#{outreach_id} is a {out.medium} draft; Rekindle sends email only",
            hint=f"`rekindle send {outreach_id} --links` shows how to send it yourself",
        )
    if out.status == "sending" and not force:
        raise UserError(
            f"#{outreach_id} may already have been sent: the connection dropped while it was "
            "handed over; check your Sent folder",
            hint=f"`rekindle outreach sent {outreach_id}` if it went; "
            f"`rekindle send {outreach_id} --yes --force` sends it again (same Message-ID)",
        )
    days = log.lock_days(store)
    with store.read() as conn:
        if out.follows_up is None:
            log.check_lock(
                conn, store.owner_id, out.person_id, now, days, force, except_id=outreach_id
            )


def _hand_over(
    store: Store,
    out: Outgoing,
    account: SmtpAccount,
    password: str | None,
    ssl_context: ssl.SSLContext | None,
) -> None:
    """Give the message to the SMTP server, marked "sending" meanwhile: a drop after the
    hand-over may have sent it, so the draft stays marked and says so."""
    assert out.message is not None
    outreach_id = out.outreach_id
    _mark(store, outreach_id, status="sending", message_id=out.message_id)
    try:
        send_email(account, password, out.message, ssl_context=ssl_context)
    except SendError as exc:
        if not exc.maybe_sent:
            _mark(store, outreach_id, status="draft")
            raise
        raise SendError(
            f"#{outreach_id}: {exc.message}",
            hint="check your Sent folder; "
            f"`rekindle outreach sent {outreach_id}` records it if it went, "
            f"`rekindle send {outreach_id} --yes --force` sends it again",
            maybe_sent=True,
        ) from exc


def write_eml(
    store: Store, outreach_id: int, path: Path, *, force: bool = False, now: datetime | None = None
) -> Outgoing:
    """Write the email draft as an ``.eml`` file that mail clients open as a draft."""
    out = prepare(store, outreach_id, unsent=True, now=now)
    if out.message is None:
        raise UserError(f"#{outreach_id} is a {out.medium} draft; an .eml file holds an email")
    if path.exists() and not force:
        raise UserError(f"{path} exists", hint="--force overwrites it")
    path.write_bytes(out.message.as_bytes())
    _mark(store, outreach_id, message_id=out.message_id)
    return out


def save_to_drafts(
    store: Store,
    outreach_id: int,
    url: str | None = None,
    *,
    prompt: Prompt | None = None,
    env: Mapping[str, str] | None = None,
    ssl_context: ssl.SSLContext | None = None,
    now: datetime | None = None,
) -> tuple[Outgoing, str]:
    """APPEND the email draft to the IMAP Drafts folder (``url``, else ``drafts.imap``); it
    stays a draft in the log, with its Message-ID, until you send it and mark it sent."""
    now = now or utcnow()
    url = url or current(store).get("drafts.imap")
    if not url:
        raise UserError(
            "no IMAP account for drafts",
            hint="`rekindle config set drafts.imap imaps://you@imap.example.org` or --imap URL",
        )
    account = parse_drafts_url(url)
    out = prepare(store, outreach_id, now=now)
    if out.message is None:
        raise UserError(f"#{outreach_id} is a {out.medium} draft; the Drafts folder holds email")
    password = resolve_secret(
        env_name=IMAP_PASSWORD_ENV,
        label=account.label,
        what="IMAP",
        env=env if env is not None else dict(os.environ),
        prompt=prompt,
    )
    _mark(store, outreach_id, message_id=out.message_id)
    folder = append_draft(account, password, out.message.as_bytes(), now, ssl_context=ssl_context)
    return out, folder
