"""Storing message header facts, once each, and deriving interactions from them.

Messages are stored as facts (who, when, thread, bulk or not); which of them are interactions
with whom is derived from them and the user's own addresses, so a change of "me" re-derives
everything without reading an archive again. Derivation is crash-safe: it catches up on every
message stored since the last derivation, whichever run stored it.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from itertools import chain
from typing import Any, NamedTuple

from sqlalchemy import Connection

from rekindle.history.mail_rules import (
    address_key,
    classify_keys,
    in_sent_folder,
    person_name,
    thread_of,
)
from rekindle.history.records import MessageRecord
from rekindle.identity.new_address import Continuation
from rekindle.identity.records import ContactRecord, RawIdentity
from rekindle.services.new_addresses import suggest_continuations
from rekindle.store import mail as mq
from rekindle.store.mail_derive import Selection, derive_messages, identity_kind
from rekindle.store.mail_fresh import FreshMessages, derive_fresh
from rekindle.store.settings import get_settings, put_setting

DERIVED_UPTO = "history.derived_upto"

#: stores contact records in the given transaction and returns how many new people it made
AddContacts = Callable[[Connection, list[ContactRecord]], int]
#: new messages written per committed batch (a killed sync loses at most this many)
CHUNK = 20000


@dataclass
class MailCounts:
    read: int = 0
    new: int = 0
    duplicates: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    interactions: int = 0
    new_people: int = 0


def _keyed_rows(msg: MessageRecord) -> tuple[list[tuple[str, str, str | None]], str, list[str]]:
    """(role, address key, display name) of everyone on a message that can be matched, with
    each address key worked out once: (those rows, the sender's key or "", the keys of To,
    Cc and Bcc in that order, empty ones included)."""
    rows: list[tuple[str, str, str | None]] = []
    sender = msg.sender
    sender_key = address_key(sender) if sender else ""
    if sender_key:
        assert sender is not None
        rows.append(("from", sender_key[:500], sender.name[:500] or None))
    keys: list[str] = []
    for role, addrs in (("to", msg.to), ("cc", msg.cc), ("bcc", msg.bcc)):
        for a in addrs:
            key = address_key(a)
            keys.append(key)
            if key:
                rows.append((role, key[:500], a.name[:500] or None))
    return rows, sender_key, keys


class PreparedMessage(NamedTuple):
    """A message as it will be stored, worked out without the database (so a reader's child
    process can do it): its row as the driver takes it (:func:`mq.message_converter`), its
    natural key and fingerprint (to tell duplicates), its addresses (role, address key,
    name) and why it is no interaction (None when it is one)."""

    row: Sequence[Any]
    key: str
    fingerprint: str
    addresses: list[tuple[str, str, str | None]]
    skip: str | None


def prepare_message(
    msg: MessageRecord,
    owner_id: int,
    mine: set[str],
    convert: Callable[[mq.MessageRow], Sequence[Any]],
) -> PreparedMessage:
    """The message as :class:`MessageStore` stores it; ``convert`` is that store's
    :func:`mq.message_converter` (its database's value formats)."""
    addresses, sender_key, keys = _keyed_rows(msg)
    facts = classify_keys(msg, sender_key, keys, mine)
    key, fingerprint = msg.key()[:600], msg.fingerprint()
    row = mq.MessageRow(
        owner_id=owner_id,
        key=key,
        fingerprint=fingerprint,
        occurred_at=msg.date,
        date_problem=msg.date_problem,
        sender=sender_key or None,
        subject=msg.subject,
        thread=(thread_of(msg) or "")[:600] or None,
        in_reply_to=(msg.in_reply_to or "")[:600] or None,
        bulk=msg.bulk,
        bounce=msg.bounce,
        direction=facts.direction,
        in_sent=in_sent_folder(msg),
        recipients=len(keys),
        source=msg.source,
        locator=msg.locator,
    )
    return PreparedMessage(convert(row), key, fingerprint, addresses, facts.skip)


class _StoredHashes:
    """The hashes of values this run stored, 8 bytes each in one sorted array: a value whose
    hash is not there was certainly not stored by this run (one that is, may have been)."""

    def __init__(self) -> None:
        self._sorted = array("q")

    def __contains__(self, value: str) -> bool:
        h = hash(value)
        i = bisect_left(self._sorted, h)
        return i < len(self._sorted) and self._sorted[i] == h

    def update(self, values: Iterable[str]) -> None:
        self._sorted = array("q", sorted(chain(self._sorted, map(hash, values))))


class MessageStore:
    """Collects messages and, on ``flush``, writes those not stored yet (same Message-ID or
    fingerprint). Duplicates are looked up in the database a batch at a time, so memory holds
    one batch, not every key of the archive. On a first sync (no message of the owner stored
    when it starts, and none stored by anyone else since) a duplicate can only be one of this
    run's own messages: only the keys whose hash this run has seen are looked up."""

    def __init__(self, conn: Connection, owner_id: int, counts: MailCounts) -> None:
        self.owner = owner_id
        self.counts = counts
        self.mine = mq.my_addresses(conn, owner_id)
        #: rows go to the driver as they are (converted where they were prepared)
        self._convert = mq.message_converter(conn)
        self._pending: list[PreparedMessage] = []
        #: the id of the first message this run stored (None while it stored none)
        self.first_id: int | None = None
        #: messages this run stored, and their keys' and fingerprints' hashes while the owner
        #: had no other messages (None once it had)
        self._stored = 0
        self._own: tuple[_StoredHashes, _StoredHashes] | None = (
            (_StoredHashes(), _StoredHashes()) if mq.count_messages(conn, owner_id) == 0 else None
        )
        #: what the interactions of the messages this run stored copy, kept for :func:`derive`
        self.fresh = FreshMessages(alone=self._own is not None)

    def prepare(self, msg: MessageRecord) -> PreparedMessage:
        return prepare_message(msg, self.owner, self.mine, self._convert)

    def add(self, msg: MessageRecord | PreparedMessage) -> None:
        """Take a message (or one :meth:`prepare` made) for the next flush."""
        self.counts.read += 1
        self._pending.append(msg if isinstance(msg, PreparedMessage) else self.prepare(msg))

    @property
    def pending(self) -> int:
        return len(self._pending)

    def _already_stored(
        self, conn: Connection, batch: list[PreparedMessage]
    ) -> tuple[set[str], set[str]]:
        """(keys, fingerprints) of this batch that are stored already."""
        own = self._own
        if own is not None and mq.count_messages(conn, self.owner) != self._stored:
            own = self._own = None  # another run stored messages of the owner meanwhile
        if own is None:
            keys = [p.key for p in batch]
            prints = [p.fingerprint for p in batch]
        else:
            seen_keys, seen_prints = own
            keys = [p.key for p in batch if p.key in seen_keys]
            prints = [p.fingerprint for p in batch if p.fingerprint in seen_prints]
        return (
            mq.stored_keys(conn, self.owner, keys) if keys else set(),
            mq.stored_prints(conn, self.owner, prints) if prints else set(),
        )

    def _remember(self, keys: list[str], prints: list[str]) -> None:
        """Count what this flush stored and, on a first sync, keep its hashes (so the next
        batch looks up only what may be a duplicate of it)."""
        self._stored += len(keys)
        if self._own is not None:
            self._own[0].update(keys)
            self._own[1].update(prints)

    def flush(self, conn: Connection) -> None:
        """Write the new messages added since the last flush, in the caller's transaction."""
        batch, self._pending = self._pending, []
        keys, prints = self._already_stored(conn, batch)
        rows: list[Sequence[Any]] = []
        addrs: list[list[tuple[str, str, str | None]]] = []
        new_keys: list[str] = []
        new_prints: list[str] = []
        for p in batch:
            if p.key in keys or p.fingerprint in prints:
                self.counts.duplicates += 1
                continue
            keys.add(p.key)
            prints.add(p.fingerprint)
            if p.skip:
                self.counts.skipped[p.skip] += 1
            self.counts.new += 1
            rows.append(p.row)
            addrs.append(p.addresses)
            new_keys.append(p.key)
            new_prints.append(p.fingerprint)
        ids = mq.insert_messages(conn, rows, converted=True)
        if ids and self.first_id is None:
            self.first_id = ids[0]
        self._remember(new_keys, new_prints)
        self.fresh.add(ids, rows, addrs)
        owner = self.owner
        mq.insert_addresses(
            conn,
            [
                (mid, owner, role, key, name)
                for mid, message_addrs in zip(ids, addrs, strict=True)
                for role, key, name in message_addrs
            ],
        )


def _derived_upto(conn: Connection, owner_id: int) -> int:
    return int(get_settings(conn, owner_id).get(DERIVED_UPTO, "0"))


def derive(
    conn: Connection,
    owner_id: int,
    now: datetime,
    *,
    everything: bool = False,
    create_people: bool = True,
    add_contacts: AddContacts | None = None,
    fresh_from: int | None = None,
    continued: list[Continuation] | None = None,
    fresh: FreshMessages | None = None,
) -> tuple[int, int, set[int]]:
    """Derive mail interactions for messages stored since the last derivation (or all).

    Returns (interactions written, people created, persons touched). Addresses with a two-way
    exchange become people when ``create_people`` (through ``add_contacts``, the contact import
    path, so they meet the same identity rules). ``fresh_from`` is the id of the first message
    the calling run stored (None when it stored none): those messages have never been
    derived, so their interactions are written without first deleting older ones. The
    database does the work (:mod:`rekindle.store.mail_derive`): nothing is read back, so memory
    stays bounded whatever the archive's size. A new person whose address took up a known
    person's thread under their name is suggested as that person's new address (appended to
    ``continued``). ``fresh`` is what the calling run kept of the messages it stored: when
    it holds every message from ``fresh_from`` on, their interactions are written from it
    (:mod:`rekindle.store.mail_fresh`) instead of being read back.
    """
    upto = 0 if everything else _derived_upto(conn, owner_id)
    max_id = mq.last_message_id(conn, owner_id)
    if max_id <= upto and not everything:
        return 0, 0, set()
    # a first sync alone holds every message of the owner: who wrote to me and was written
    # to comes from what it kept, not from two reads of every address
    kept = (
        fresh
        if fresh is not None and not everything and upto == 0 and fresh.covers(conn, owner_id, 0)
        else None
    )
    # (every two-way address is one it touched: all the owner's messages are its own)
    touched = set(kept.two_way()) if kept is not None else mq.addresses_above(conn, owner_id, upto)
    mine = mq.my_addresses(conn, owner_id)
    emails = mq.email_map(conn, owner_id)
    created = 0
    fresh_addrs: list[str] = []
    if create_people and add_contacts is not None and mine:
        two_way = (
            kept.commonest_names(touched)
            if kept is not None
            else mq.two_way_addresses(conn, owner_id)
        )
        created, fresh_addrs = _new_correspondents(
            conn, two_way, touched, emails, mine, add_contacts
        )
        if fresh_addrs:
            emails = mq.email_map(conn, owner_id)
            suggested = suggest_continuations(conn, owner_id, fresh_addrs, emails, mine, now)
            if continued is not None:
                continued.extend(suggested)
    derive_them = partial(derive_messages, conn, owner_id, mine, emails)
    written, persons = 0, set[int]()
    steps = _selections(upto, fresh_from, everything, fresh_addrs, touched, emails)
    in_memory = (
        fresh is not None
        and fresh_from is not None
        and not everything
        and fresh.covers(conn, owner_id, fresh_from)
    )
    if in_memory:
        steps.pop()  # this run's own messages, derived from what it kept below
    for selection, replace in steps:
        n, found = derive_them(selection, replace=replace)
        written += n
        persons |= found
    if in_memory:
        assert fresh is not None
        n, found = derive_fresh(conn, owner_id, mine, emails, fresh)
        fresh.release()
        written += n
        persons |= found
    put_setting(conn, owner_id, DERIVED_UPTO, str(max_id))
    return written, created, persons


def _new_correspondents(
    conn: Connection,
    two_way: Mapping[str, str],
    touched: AbstractSet[str],
    emails: Mapping[str, int],
    mine: Collection[str],
    add_contacts: AddContacts,
) -> tuple[int, list[str]]:
    """Store the addresses with a two-way exchange (``two_way``: address → name) among
    ``touched`` that are nobody yet as contacts; (people created, those addresses in order)."""
    fresh = {a: n for a, n in two_way.items() if a in touched and a not in emails and a not in mine}
    if not fresh:
        return 0, []
    created = add_contacts(
        conn,
        [
            ContactRecord(
                source="mail",
                locator=f"mail:{addr}",
                payload=f"{name} <{addr}>".strip(),
                source_id=f"mail:{addr}",
                full_name=person_name(name),
                identities=[RawIdentity(identity_kind(addr), addr)],
            )
            for addr, name in sorted(fresh.items())
        ],
    )
    return created, sorted(fresh)


def _selections(
    upto: int,
    fresh_from: int | None,
    everything: bool,
    fresh_addrs: list[str],
    touched: Collection[str],
    emails: Mapping[str, int],
) -> list[tuple[Selection, bool]]:
    """The messages to derive, each selection with whether its earlier interactions go first."""
    if fresh_from is not None and not everything:
        # older messages to (re)derive: those an interrupted run stored, and older mail of the
        # people created just now; then this run's own messages, never derived before
        steps = [(Selection(above=upto, below=fresh_from), True)]
        if upto and fresh_addrs:
            steps.append((Selection(below=upto + 1, addresses=fresh_addrs), True))
        steps.append((Selection(above=fresh_from - 1), False))
        return steps
    people_addrs = [a for a in touched if a in emails]
    whole = everything or upto == 0 or len(people_addrs) > 2000
    return [(Selection() if whole else Selection(addresses=people_addrs), True)]


def rederive_all(
    conn: Connection, owner_id: int, now: datetime, add_contacts: AddContacts | None = None
) -> tuple[int, int, set[int]]:
    """After "me" changed: new directions for every message, every mail interaction again.
    The persons touched include those who had mail and now have none (an address of theirs
    became mine): their tie statistics are refreshed too, not left as they were."""
    mq.set_directions(conn, owner_id, mq.my_addresses(conn, owner_id))
    had_mail = mq.persons_with_derived(conn, owner_id, "mail")
    mq.delete_derived(conn, owner_id, ["mail"])
    written, created, persons = derive(
        conn, owner_id, now, everything=True, add_contacts=add_contacts
    )
    return written, created, persons | had_mail
