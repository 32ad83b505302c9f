"""Answers to meetup invitations found in synced mail, by themselves.

Every mail sync ends here (:func:`note_answers`). It costs one query when no meetup waits for
answers. Otherwise it looks only at messages from the guests' own addresses since the meetup
was made that reply to the invitation (In-Reply-To its Message-ID) or name the meetup's title
in their subject, each once (``meetup_mail_seen``). The answer comes from, in this order:

1. a calendar app's subject ("Accepted: …", "Declined: …", "Tentative: …");
2. an iTIP REPLY in the message (``text/calendar; method=REPLY``) with the meetup's UID;
3. the reply's own words ("count me in", "can't make it", "maybe").

Bodies are read again from the synced files (mbox, Maildir, .eml) for those few messages
only; after an IMAP sync (headers only) the bodies of those few replies are fetched, read-only
(:func:`note_imap_answers`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from rekindle.compose.meetup_invite import parse_reply
from rekindle.compose.rsvp_words import answer_in_subject, answer_in_text, own_text
from rekindle.services.meetups import stop_follow_up
from rekindle.sources.mail_body import parse_body, raw_message
from rekindle.store import Store
from rekindle.store import meetups as mq
from rekindle.store import outreach as oq
from rekindle.store.database import utcnow

#: sync kinds whose messages can be read again from the synced path
FILE_KINDS = ("mbox", "maildir", "eml")
#: the most IMAP bodies fetched after one sync
MAX_IMAP_BODIES = 20
#: a reply a little older than the meetup (clocks differ) still counts
SLACK = timedelta(days=1)


def _body_answer(raw: bytes | None, uid: str, address: str) -> tuple[str | None, str, str]:
    """(answer, how, note) from a message's calendar parts, else its words."""
    if raw is None:
        return None, "", ""
    body = parse_body(raw)
    for ics in body.calendars:
        for reply in parse_reply(ics):
            if reply.uid == uid and (reply.email == address or len(body.calendars) == 1):
                return reply.answer, "itip", reply.comment
    words = own_text(body.text).strip()
    return answer_in_text(body.text), "mail", " ".join(words.split())[:200]


def _relevant(msg: Any, guest: Any, invites: dict[int, set[str]]) -> bool:
    ids = invites.get(int(guest.id), set())
    if msg.in_reply_to and msg.in_reply_to.strip("<>") in ids:
        return True
    return guest.title.casefold() in (msg.subject or "").casefold()


def _invite_ids(conn: Connection, owner_id: int, guests: list[Any]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    for g in guests:
        for oid in (g.invite_id,):
            row = oq.get_outreach(conn, owner_id, oid) if oid else None
            if row is not None and row.message_id:
                out[int(g.id)].add(row.message_id.strip("<>"))
    return out


def _candidates(conn: Connection, owner_id: int, now: datetime) -> list[tuple[Any, Any]]:
    """(guest, message) pairs not read yet: from the guest, about the meetup."""
    guests = mq.open_guests(conn, owner_id, now - SLACK)
    if not guests:
        return []
    emails = mq.emails_of(conn, list({int(g.person_id) for g in guests}))
    by_address: dict[str, list[Any]] = defaultdict(list)
    for g in guests:
        for address in {*(emails.get(int(g.person_id), [])), (g.email or "").lower()} - {""}:
            by_address[address].append(g)
    since = min(g.created_at for g in guests) - SLACK
    messages = mq.messages_from(conn, owner_id, list(by_address), since)
    if not messages:
        return []
    seen = mq.seen_keys(conn, owner_id, list({int(g.meetup_id) for g in guests}))
    invites = _invite_ids(conn, owner_id, guests)
    out = []
    for msg in messages:
        for guest in by_address.get(msg.address.lower(), []):
            pair = (int(guest.meetup_id), msg.key)
            if pair not in seen and _relevant(msg, guest, invites):
                seen.add(pair)
                out.append((guest, msg))
    return out


def note_answers(
    conn: Connection,
    owner_id: int,
    now: datetime,
    kind: str | None = None,
    locator: str | None = None,
) -> int:
    """Record the answers in newly synced mail; returns how many guests' answers changed.
    ``kind`` and ``locator`` name what was just synced (a file path lets bodies be read). A
    message from IMAP whose subject does not answer waits for :func:`note_imap_answers`."""
    root = Path(locator) if kind in FILE_KINDS and locator else None
    changed = 0
    for guest, msg in _candidates(conn, owner_id, now):
        answer, how, note = answer_in_subject(msg.subject), "itip", ""
        if answer is None and msg.source == "imap":
            continue  # its body is fetched after the sync
        if answer is None and root is not None and msg.source == kind:
            raw = raw_message(kind or "", root, msg.locator)
            answer, how, note = _body_answer(raw, guest.uid, msg.address.lower())
        mq.mark_seen(conn, owner_id, int(guest.meetup_id), msg.key)
        changed += _record(conn, owner_id, guest, msg, answer, how, note)
    return changed


def note_imap_answers(
    store: Store, fetch: Callable[[list[str]], dict[str, bytes]], now: datetime | None = None
) -> int:
    """After an IMAP sync: fetch the bodies of the few replies about a meetup whose subject
    gave no answer (at most ``MAX_IMAP_BODIES``) and read them."""
    now = now or utcnow()
    with store.read() as conn:
        waiting = [(g, m) for g, m in _candidates(conn, store.owner_id, now) if m.source == "imap"]
    waiting = waiting[:MAX_IMAP_BODIES]
    if not waiting:
        return 0
    bodies = fetch(list(dict.fromkeys(m.locator for _, m in waiting)))
    changed = 0
    with store.begin() as conn:
        for guest, msg in waiting:
            raw = bodies.get(msg.locator)
            if raw is None:
                continue  # gone from the server, or the folder changed: try again next time
            answer, how, note = _body_answer(raw, guest.uid, msg.address.lower())
            mq.mark_seen(conn, store.owner_id, int(guest.meetup_id), msg.key)
            changed += _record(conn, store.owner_id, guest, msg, answer, how, note)
    return changed


def _record(
    conn: Connection, owner_id: int, guest: Any, msg: Any, answer: str | None, how: str, note: str
) -> int:
    if answer is None:
        return 0
    fresh = mq.guest_answer(conn, owner_id, int(guest.id))
    at = msg.occurred_at
    stands = fresh.answered_at if fresh is not None else None
    if stands is not None and at is not None and stands > at:
        return 0  # a later answer (by hand or mail) stands
    mq.update_guest(
        conn, owner_id, int(guest.id), answer=answer, answered_at=at, answer_source=how,
        answer_note=note or None,
    )  # fmt: skip
    if guest.invite_id is not None and at is not None:
        stop_follow_up(conn, owner_id, int(guest.invite_id), at)
    return 1
