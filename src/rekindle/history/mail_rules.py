"""Which messages and meetings are interactions, and with whom (pure functions).

"Me" is known by the user's own addresses. A message from me is outgoing, a message to me is
incoming; list and bulk mail, no-reply senders and bounces are not interactions at all.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from rekindle.history.records import Address, MeetingRecord, MessageRecord
from rekindle.identity.identifiers import address_key as _match_key

#: more than this many other people makes a message group mail
GROUP_LIMIT = 4


@dataclass(frozen=True, slots=True)
class MailFacts:
    """A message seen from my side: its direction and the other people on it."""

    direction: Literal["in", "out"] | None
    others: tuple[str, ...]
    skip: str | None = None

    @property
    def group_size(self) -> int:
        return len(self.others)


def thread_of(msg: MessageRecord) -> str | None:
    """Gmail's thread id, else the thread root from References / In-Reply-To, else the id."""
    if msg.thread:
        return "gm:" + msg.thread
    if msg.references:
        return msg.references[0]
    if msg.in_reply_to:
        return msg.in_reply_to
    return msg.message_id


#: readers that cannot name the user's own side (LinkedIn's 2018 export) put this there
ME_PLACEHOLDER = "<me>"
#: why a message is no interaction while none of the owner's addresses is known
UNKNOWN_ME = "your own addresses are not known yet"
#: messages of these readers went by another channel than email
CHANNEL_OF_SOURCE = {"linkedin-messages": "linkedin"}


def address_key(a: Address) -> str:
    """How an address is matched: the match key of its email address or profile URL (the
    same one contacts are keyed by, :func:`rekindle.identity.identifiers.address_key`); the
    placeholder for me."""
    if a.kind == "name":
        return ME_PLACEHOLDER if a.name == ME_PLACEHOLDER else ""
    return _match_key(a.value, a.kind)


def classify_message(msg: MessageRecord, mine: Collection[str]) -> MailFacts:
    """Direction and participants of a message, or why it is no interaction."""
    sender = address_key(msg.sender) if msg.sender else ""
    keys = [address_key(a) for a in msg.to]
    if msg.cc or msg.bcc:
        keys.extend(address_key(a) for a in (*msg.cc, *msg.bcc))
    return classify_keys(msg, sender, keys, mine)


def classify_keys(
    msg: MessageRecord, sender: str, keys: list[str], mine: Collection[str]
) -> MailFacts:
    """:func:`classify_message` with the address keys worked out already: ``sender`` the
    sender's ("" when none), ``keys`` those of To, Cc and Bcc in that order (empty ones
    allowed)."""
    known = bool(mine)
    mine = {*mine, ME_PLACEHOLDER}
    rcpts = list(dict.fromkeys(k for k in keys if k))
    if sender in mine:
        direction: Literal["in", "out"] | None = "out"
        others = tuple(r for r in rcpts if r not in mine)
    elif not mine.isdisjoint(rcpts):
        direction = "in"
        others = (
            tuple(dict.fromkeys([sender, *(r for r in rcpts if r not in mine)])) if sender else ()
        )
    else:
        direction, others = None, ()
    if msg.bounce:
        return MailFacts(direction, others, "bounce or delivery report")
    if msg.bulk:
        return MailFacts(direction, others, f"bulk mail ({msg.bulk})")
    if msg.date is None:
        return MailFacts(direction, others, f"date {msg.date_problem or 'missing'}")
    if direction is None:
        return MailFacts(
            None, (), "neither from nor to you" if known else UNKNOWN_ME
        )
    if not others:
        return MailFacts(direction, others, "no one else on it")
    return MailFacts(direction, others)


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    """A meeting seen from my side: the others on it, its latest past start (``when``) and
    every past start (``held``: each occurrence of a series inside the window, oldest first)."""

    others: tuple[str, ...]
    when: datetime | None
    skip: str | None = None
    held: tuple[datetime, ...] = ()


def classify_meeting(event: MeetingRecord, mine: Collection[str], now: datetime) -> MeetingFacts:
    """A meeting is an interaction with the other attendees who did not decline, unless I declined."""
    if (event.status or "").upper() == "CANCELLED":
        return MeetingFacts((), None, "cancelled")
    organizer = address_key(event.organizer) if event.organizer and event.organizer.value else ""
    people = {address_key(a): (stat or "").upper() for a, stat in event.attendees if a.value}
    if organizer:
        people.setdefault(organizer, "ACCEPTED")
    my_stats = [stat for addr, stat in people.items() if addr in mine]
    if not my_stats:
        return MeetingFacts(
            (), None, "you are not on it" if mine else UNKNOWN_ME
        )
    if all(stat == "DECLINED" for stat in my_stats) and organizer not in mine:
        return MeetingFacts((), None, "you declined")
    others = tuple(sorted(a for a, stat in people.items() if a not in mine and stat != "DECLINED"))
    past = [t for t in (event.occurrences or [event.start]) if t <= now]
    if not past:
        return MeetingFacts(others, None, "not yet happened")
    if not others:
        return MeetingFacts(others, None, "no one else on it")
    held = tuple(sorted(set(past)))
    return MeetingFacts(others, held[-1], held=held)


#: folder names and Gmail labels that hold the mail a user sent (a few languages)
SENT_NAMES = frozenset(
    {
        "sent",
        "sent mail",
        "sent items",
        "sent messages",
        "_sent_mail",
        "sent_items",
        "[gmail]/sent mail",
        "gesendet",
        "gesendete elemente",
        "gesendete objekte",
        "envoyés",
        "éléments envoyés",
        "enviados",
        "elementos enviados",
        "inviati",
        "posta inviata",
        "verzonden",
        "verzonden items",
        "skickat",
        "sendt",
    }
)


def in_sent_folder(msg: MessageRecord) -> bool:
    """Filed as sent mail: a Gmail "Sent" label or a sent folder (any level of the path)."""
    if any(label.strip().lower() in SENT_NAMES for label in msg.labels):
        return True
    folder = msg.folder
    if not folder:
        return False
    known = _SENT_FOLDERS.get(folder)
    if known is None:
        parts = folder.replace("\\", "/").split("/")
        known = any(part.strip().lower().lstrip(".") in SENT_NAMES for part in parts)
        if len(_SENT_FOLDERS) >= 4096:
            _SENT_FOLDERS.clear()
        _SENT_FOLDERS[folder] = known
    return known


#: folders already judged (an archive has a handful; every message repeats its folder)
_SENT_FOLDERS: dict[str, bool] = {}


def person_name(display: str | None) -> str | None:
    """A display name fit for a person: "Allen, Phillip K." → "Phillip K. Allen", quotes and
    addresses dropped; None when nothing is left or it is only an address."""
    if not display:
        return None
    name = " ".join(display.replace('"', " ").split())
    if not name or "@" in name:
        return None
    if name.count(",") == 1:
        last, first = (part.strip() for part in name.split(","))
        suffixes = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "md", "mba"}
        if first and last and first.lower() not in suffixes and " " not in last:
            name = f"{first} {last}"
    return name
