"""Meetup invitations as iCalendar (iTIP, RFC 5546), pure: the REQUEST that goes out and the
REPLY that comes back.

A REQUEST carries the meetup's stable UID and its SEQUENCE (raised when the time or place
changes, so a calendar app updates the event it has), the organiser (the user's address) and
one ATTENDEE per guest with ``RSVP=TRUE``. A guest's calendar app answers with a REPLY: the
same UID, that guest as the one ATTENDEE, and their PARTSTAT (ACCEPTED, DECLINED, TENTATIVE).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Rekindle//Meetups//EN"
#: how a PARTSTAT reads as an answer
ANSWERS = {"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative"}
#: the largest calendar text read from a message
MAX_ICS = 256 * 1024


@dataclass(frozen=True)
class Guest:
    name: str
    email: str


@dataclass(frozen=True)
class Invitation:
    """What a calendar app needs to show the meetup and let a guest answer it."""

    uid: str
    sequence: int
    title: str
    start: datetime
    end: datetime
    organizer: Guest
    place: str | None = None
    link: str | None = None
    description: str = ""
    cancelled: bool = False


@dataclass(frozen=True)
class ItipReply:
    """One guest's answer, read from a METHOD:REPLY calendar."""

    uid: str
    email: str
    answer: str  # accepted, declined, tentative
    sequence: int = 0
    comment: str = ""


def _address(guest: Guest, **params: str) -> vCalAddress:
    addr = vCalAddress(f"mailto:{guest.email}")
    if guest.name and "@" not in guest.name:
        addr.params["CN"] = vText(" ".join(guest.name.split()))
    for key, value in params.items():
        addr.params[key.replace("_", "-").upper()] = vText(value)
    return addr


def build_request(invite: Invitation, guests: Sequence[Guest], now: datetime) -> bytes:
    """The ``text/calendar; method=REQUEST`` (or CANCEL) bytes inviting ``guests``."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "CANCEL" if invite.cancelled else "REQUEST")
    event = Event()
    event.add("uid", invite.uid)
    event.add("sequence", invite.sequence)
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", invite.start.astimezone(UTC))
    event.add("dtend", invite.end.astimezone(UTC))
    event.add("summary", invite.title)
    location = invite.place or invite.link
    if location:
        event.add("location", location)
    if invite.link:
        event.add("url", invite.link)
    if invite.description:
        event.add("description", invite.description)
    event.add("status", "CANCELLED" if invite.cancelled else "CONFIRMED")
    event.add("organizer", _address(invite.organizer))
    for g in guests:
        event.add(
            "attendee",
            _address(g, role="REQ-PARTICIPANT", partstat="NEEDS-ACTION", rsvp="TRUE"),
        )
    cal.add_component(event)
    return bytes(cal.to_ical())


def _email_of(value: object) -> str:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower()


def parse_reply(data: bytes | str) -> list[ItipReply]:
    """The answers in a METHOD:REPLY calendar; [] for anything else (a REQUEST, broken text)."""
    if isinstance(data, bytes):
        data = data[:MAX_ICS].decode("utf-8", "replace")
    try:
        cal = Calendar.from_ical(data[:MAX_ICS])
    except (ValueError, IndexError, KeyError, TypeError):
        return []
    if str(cal.get("method", "")).strip().upper() != "REPLY":
        return []
    out = []
    for event in cal.walk("VEVENT"):
        uid = str(event.get("uid", "")).strip()
        attendees = event.get("attendee")
        if not uid or attendees is None:
            continue
        seq = event.get("sequence", 0)
        comment = str(event.get("comment", "")).strip()
        for att in attendees if isinstance(attendees, list) else [attendees]:
            answer = ANSWERS.get(str(att.params.get("PARTSTAT", "")).strip().upper())
            email = _email_of(att)
            if answer and "@" in email:
                out.append(ItipReply(uid, email, answer, _int(seq), comment))
    return out


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0
