"""The facts a draft may use about a person, and nothing else (pure).

A draft recalls something real and shared, so everything it may say comes from a
:class:`DraftFacts`: names, shared affiliations, the last real thread, the user's notes, an
occasion, the silence since the last contact. Templates and the language model see only these.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from rekindle.compose.gap_words import days_between, gap_words, is_long_gap
from rekindle.engine.shared_context import SharedAffiliation
from rekindle.identity.names import make_name

#: intents that give before they take; an "ask" is the one that takes
VALUE_FIRST_INTENTS = frozenset(
    ("catch-up", "congratulate", "offer-help", "share", "invite", "thank", "introduce")
)
#: a silence this long between two outreach starts a new reconnection
RECONNECTION_GAP_DAYS = 90
#: a two-way history with contact this recent is an active tie, no reconnection (the year
#: after which `rekindle intro` calls a tie dormant)
ACTIVE_TIE_DAYS = 365

_REPLY_PREFIX = re.compile(r"^\s*((re|fwd?|aw|wg|tr|sv|vs|antw)\s*(\[\d+\])?\s*:\s*)+", re.I)


@dataclass(frozen=True, slots=True)
class Thread:
    """The last real exchange with a subject: what it was about and when."""

    subject: str
    when: datetime
    direction: str = "in"


@dataclass(frozen=True, slots=True)
class Opening:
    """The plan's occasion for a person, said as a first line (see :mod:`rekindle.compose.opening`):
    ``words`` is the occasion without its source ("moved from Dubai to Paris"), ``line`` the
    sentence a draft opens with, ``short`` the same in a few words for a note or a text."""

    kind: str
    words: str
    line: str
    short: str
    #: an email's subject on the same moment ("How is Paris, France?")
    subject: str = ""


@dataclass(frozen=True)
class DraftFacts:
    """What a draft may recall about one person; ``now`` is always passed in."""

    full_name: str
    now: datetime
    first_name: str = ""
    my_name: str = ""
    shared: tuple[SharedAffiliation, ...] = ()
    last_thread: Thread | None = None
    notes: tuple[str, ...] = ()
    occasions: tuple[str, ...] = ()
    last_contact: datetime | None = None
    once_warm: bool = False
    value_first: int = 0
    #: a live two-way history and no reconnection under way: the "drop the agenda" count
    #: of value-first exchanges does not apply (see :func:`is_active_tie`)
    active_tie: bool = False
    email: str | None = None
    linkedin: str | None = None
    phone: str | None = None
    #: what this message is about, in the user's words ("the article on pricing")
    topic: str | None = None
    #: what I do now ("Head of Product at Acme"), for offers of help
    my_role: str | None = None
    #: other names the person goes by (nicknames, earlier names)
    other_names: tuple[str, ...] = field(default=())
    #: the value ledger: what you gave them (shared, introduced, offered, thanked), what you asked
    gives: int = 0
    asks: int = 0
    #: the occasion the plan picked for them, as a draft's first line (see compose.opening)
    opening: Opening | None = None
    #: what holds them back now, with its end ("declined; door kept open until 03 Sep 2027")
    held: str | None = None

    @property
    def my_first_name(self) -> str:
        return first_name_of(self.my_name)

    @property
    def silence_days(self) -> int | None:
        """Days since the last contact, or None when there never was one."""
        return days_between(self.last_contact, self.now) if self.last_contact else None

    @property
    def gap(self) -> str | None:
        """The silence in words ("almost three years"), or None with no contact on record."""
        days = self.silence_days
        return gap_words(days) if days is not None else None

    @property
    def long_gap(self) -> bool:
        return is_long_gap(self.silence_days)

    @property
    def has_reference(self) -> bool:
        """True when there is something real and shared to recall."""
        return bool(self.shared or self.last_thread or self.notes or self.occasions)


def first_name_of(full_name: str) -> str:
    """The given name of a full name ('Ana' for 'Ana Costa'); '' for an address or nothing."""
    name = make_name(full_name) if full_name else None
    if name is None or not name.given:
        return ""
    return name.nickname or name.given.split()[0]


def clean_subject(subject: str | None) -> str:
    """A subject without 'Re:'/'Fwd:' prefixes and surrounding space."""
    if not subject:
        return ""
    return " ".join(_REPLY_PREFIX.sub("", subject).split())


_STAMP = re.compile(r"\s*\([^()]*\)\s*$")
_WAS = re.compile(r",\s*was\s+[^,]*$")


def news_words(detail: str) -> str:
    """An occasion's detail fit for a message: 'now CTO at Acme, was Engineer (vCard, 2 May
    2026)' → 'now CTO at Acme'."""
    return _WAS.sub("", _STAMP.sub("", detail.strip())).strip()


def value_first_since_reconnection(
    delivered: Iterable[tuple[datetime, str]], gap_days: int = RECONNECTION_GAP_DAYS
) -> int:
    """How many value-first outreach (not asks) reached a person since the reconnection.

    ``delivered`` is every outreach that reached the person, as (when, intent). The
    reconnection starts at the first one after a silence of ``gap_days`` or more.
    """
    count = 0
    last: datetime | None = None
    for when, intent in sorted(delivered):
        if last is not None and (when - last).days >= gap_days:
            count = 0
        if intent in VALUE_FIRST_INTENTS:
            count += 1
        last = when
    return count


def is_active_tie(
    messages_in: int,
    messages_out: int,
    last_heard: datetime | None,
    delivered: Iterable[tuple[datetime, str]],
    now: datetime,
) -> bool:
    """Whether a tie is active on its own: messages both ways, the last within
    :data:`ACTIVE_TIE_DAYS`, and no outreach from here in the last :data:`RECONNECTION_GAP_DAYS`
    (recent outreach means a reconnection is under way, whose replies must not count)."""
    if messages_in <= 0 or messages_out <= 0 or last_heard is None:
        return False
    if (now - last_heard).days > ACTIVE_TIE_DAYS:
        return False
    return all((now - when).days >= RECONNECTION_GAP_DAYS for when, _intent in delivered)
