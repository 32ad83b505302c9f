"""`rekindle meetup send`: each guest's invitation through the usual SMTP delivery, with the
calendar invitation (iTIP REQUEST) in the message, and the reminders drafted since.

Every invitation goes on its own, as a personal message: a refusal for one guest (no address,
written to too recently) is reported and the others still go. The calendar part a guest gets
names only them as attendee, so no guest learns another's address; `meetup ics` writes the
whole guest list for your own calendar.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from rekindle.compose.meetup_invite import Guest, Invitation, build_request
from rekindle.compose.meetup_words import details_block
from rekindle.errors import NotFoundError, RekindleError, UserError
from rekindle.services import delivery
from rekindle.services.delivery import Outgoing
from rekindle.services.meetup_times import zone
from rekindle.services.meetups import stop_follow_up
from rekindle.store import Store
from rekindle.store import meetups as mq
from rekindle.store import outreach as oq
from rekindle.store.database import utcnow
from rekindle.transport.smtp import SendError

ICS_NAME = "invite.ics"


@dataclass
class Sent:
    person_id: int
    person: str
    outreach_id: int
    status: str  # sent, ready (a dry run), refused
    problem: str | None = None

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _invitation(row: Any, organizer: Guest) -> Invitation:
    return Invitation(
        uid=row.uid, sequence=row.sequence, title=row.title, start=row.starts_at,
        end=row.ends_at, organizer=organizer, place=row.place, link=row.link,
        description=details_block(row.starts_at, row.ends_at, row.place, row.link, row.note,
                                  zone(row.timezone)),
        cancelled=row.status == "cancelled",
    )  # fmt: skip


def meetup_ics(store: Store, meetup_id: int, *, now: datetime | None = None) -> bytes:
    """The calendar invitation with every guest who has an address, for your own calendar."""
    now = now or utcnow()
    with store.read() as conn:
        row = mq.get_meetup(conn, store.owner_id, meetup_id)
        if row is None:
            raise NotFoundError(f"no meetup #{meetup_id}", hint="`rekindle meetup list` lists them")
    name, address = delivery.sender_of(store)
    with store.read() as conn:
        guests = [Guest(g.name, g.email) for g in mq.guests_of(conn, store.owner_id, meetup_id) if g.email]  # fmt: skip
    return build_request(_invitation(row, Guest(name, address)), guests, now)


def attach_invitation(message: EmailMessage, ics: bytes) -> None:
    """The calendar part as mail clients expect it: an alternative of the text
    (``text/calendar; method=REQUEST``, which shows Accept/Decline) and an ``invite.ics``."""
    method = "CANCEL" if b"METHOD:CANCEL" in ics else "REQUEST"
    message.add_alternative(ics, maintype="text", subtype="calendar", params={"method": method})
    message.add_attachment(ics, maintype="application", subtype="ics", filename=ICS_NAME)


def _attacher(row: Any, guest: Any, now: datetime) -> Callable[[Outgoing], None]:
    def attach(out: Outgoing) -> None:
        assert out.message is not None
        name, address = parseaddr(str(out.message["From"]))
        invitation = _invitation(row, Guest(name, address))
        ics = build_request(invitation, [Guest(guest.name, out.email or guest.email)], now)
        attach_invitation(out.message, ics)

    return attach


def _to_send(conn: Any, owner_id: int, guest: Any) -> list[int]:
    """The guest's invitation and reminder drafts that have not gone yet."""
    ids = []
    for oid in (guest.invite_id, guest.reminder_id):
        row = oq.get_outreach(conn, owner_id, oid) if oid else None
        if row is not None and row.status in ("draft", "sending"):
            ids.append(int(row.id))
    return ids


def send_invitations(
    store: Store,
    meetup_id: int,
    *,
    confirm: bool,
    force: bool = False,
    prompt: Callable[[str], str] | None = None,
    env: Mapping[str, str] | None = None,
    ssl_context: ssl.SSLContext | None = None,
    now: datetime | None = None,
) -> list[Sent]:
    """Send (or, without ``confirm``, check) every unsent invitation and reminder."""
    now = now or utcnow()
    with store.read() as conn:
        row = mq.get_meetup(conn, store.owner_id, meetup_id)
        if row is None:
            raise NotFoundError(f"no meetup #{meetup_id}", hint="`rekindle meetup list` lists them")
        work = [(g, oid) for g in mq.guests_of(conn, store.owner_id, meetup_id)
                for oid in _to_send(conn, store.owner_id, g)]  # fmt: skip
    if row.status == "cancelled":
        raise UserError(f"meetup #{meetup_id} is cancelled; nothing more goes out")
    results = []
    for guest, oid in work:
        if guest.answer == "declined":
            results.append(
                Sent(guest.person_id, guest.name, oid, "refused", "they said no already")
            )
            continue
        try:
            delivery.send(
                store, oid, confirm=confirm, force=force, prompt=prompt, env=env,
                ssl_context=ssl_context, now=now, attach=_attacher(row, guest, now),
            )  # fmt: skip
        except RekindleError as exc:
            if isinstance(exc, SendError) and exc.maybe_sent:
                raise
            results.append(Sent(guest.person_id, guest.name, oid, "refused", exc.message))
            continue
        if confirm and guest.answer != "needs-action":
            with store.begin() as conn:  # answered before it went: nothing to follow up
                stop_follow_up(conn, store.owner_id, oid, now)
        results.append(Sent(guest.person_id, guest.name, oid, "sent" if confirm else "ready"))
    return results
