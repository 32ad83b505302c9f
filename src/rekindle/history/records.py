"""What history readers yield: mail header facts and calendar meetings, before "me" is known.

Readers (mbox, Maildir, .eml, IMAP, ICS, LinkedIn messages) never decide who "me" is and never
touch the database: they report what a message or an event says. The history service turns
these into interactions once the user's own addresses are known, so adding an address later
re-derives everything without reading the archives again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from hashlib import sha256
from typing import Literal

AddressKind = Literal["email", "url", "name"]


@dataclass(frozen=True, slots=True)
class Address:
    """One participant as written: ``value`` is the address (email or profile URL), or only a
    display name when nothing else is known (``kind="name"``)."""

    value: str
    name: str = ""
    kind: AddressKind = "email"


@dataclass(slots=True)
class MessageRecord:
    """The header facts of one message; bodies are never decoded for the history.

    ``locator`` says where it is (``Inbox.mbox@123456`` byte offset, a Maildir file name, an
    IMAP ``INBOX;UIDVALIDITY=…;UID=…``). ``date`` is timezone-aware UTC, or None with
    ``date_problem`` saying why ("missing", "unparseable: …", "absurd: 1979-12-31").
    ``bulk`` names why a message is not a personal one (``list-id``, ``precedence: bulk``,
    ``auto-submitted``, ``list-unsubscribe``, ``no-reply sender``), ``bounce`` marks delivery
    reports (their quoted addresses must never become people).
    """

    source: str
    locator: str
    message_id: str | None = None
    date: datetime | None = None
    date_problem: str | None = None
    sender: Address | None = None
    to: list[Address] = field(default_factory=list)
    cc: list[Address] = field(default_factory=list)
    bcc: list[Address] = field(default_factory=list)
    subject: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    thread: str | None = None
    labels: list[str] = field(default_factory=list)
    folder: str | None = None
    bulk: str | None = None
    bounce: bool = False
    size: int = 0

    def recipients(self) -> list[Address]:
        return [*self.to, *self.cc, *self.bcc]

    def fingerprint(self) -> str:
        """A content key for messages filed twice under different Message-IDs (Enron, Notes)."""
        when = _minute(self.date) if self.date else "-"
        sender = self.sender.value.lower() if self.sender else "-"
        people = (*self.to, *self.cc, *self.bcc) if self.cc or self.bcc else self.to
        rcpts = ",".join(sorted({a.value.lower() for a in people}))
        subject = " ".join(self.subject.split()).lower() if self.subject else ""
        blob = "\x1f".join((when, sender, rcpts, subject))
        return sha256(blob.encode("utf-8")).hexdigest()[:32]

    def key(self) -> str:
        """The message's natural key: its Message-ID, else its fingerprint."""
        return "mid:" + self.message_id if self.message_id else "fp:" + self.fingerprint()


def _minute(when: datetime) -> str:
    """``when`` as ``YYYY-MM-DDTHH:MM`` (as strftime writes it; isoformat is faster)."""
    if when.year < 1000:  # strftime does not pad the year to four digits
        return when.strftime("%Y-%m-%dT%H:%M")
    return when.isoformat(timespec="minutes")[:16]


@dataclass(slots=True)
class MeetingRecord:
    """One calendar event (or a recurring series, expanded only inside a bounded window).

    ``occurrences`` are the UTC start times inside the window (one for a single event). A
    series is one record, not thousands. ``status`` is the event's STATUS (CANCELLED events are
    not meetings); each attendee carries its PARTSTAT so a declined invitation is recognised.
    """

    source: str
    locator: str
    uid: str
    summary: str | None
    start: datetime
    end: datetime | None
    organizer: Address | None = None
    attendees: list[tuple[Address, str]] = field(default_factory=list)
    occurrences: list[datetime] = field(default_factory=list)
    recurring: bool = False
    status: str | None = None
    all_day: bool = False
