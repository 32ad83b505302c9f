"""Storing message header facts, once each, and deriving interactions from them.

Messages are stored as facts (who, when, thread, bulk or not); which of them are interactions
with whom is derived from them and the user's own addresses, so a change of "me" re-derives
everything without reading an archive again. Derivation is crash-safe: it catches up on every
message stored since the last derivation, whichever run stored it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Connection, select

from rekindle.history_records import MessageRecord
from rekindle.mail_rules import (
    address_key,
    classify_message,
    in_sent_folder,
    person_name,
    thread_of,
)
from rekindle.records import ContactRecord, RawIdentity
from rekindle.store import mail as mq
from rekindle.store.schema_history import message, message_address
from rekindle.store.settings import get_settings, put_setting

DERIVED_UPTO = "history.derived_upto"

#: what deriving an interaction needs of a message: key, time, direction, others, subject, thread
Derivable = tuple[str, datetime | None, str | None, tuple[str, ...], str | None, str | None]

#: stores contact records in the given transaction and returns how many new people it made
AddContacts = Callable[[Connection, list[ContactRecord]], int]
CHUNK = 5000


@dataclass
class MailCounts:
    read: int = 0
    new: int = 0
    duplicates: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    interactions: int = 0
    new_people: int = 0


def _address_rows(msg: MessageRecord) -> list[tuple[str, str, str]]:
    """(role, address key, display name) of everyone on a message that can be matched."""
    rows: list[tuple[str, str, str]] = []
    for role, addrs in (
        ("from", [msg.sender] if msg.sender else []),
        ("to", msg.to),
        ("cc", msg.cc),
        ("bcc", msg.bcc),
    ):
        for a in addrs:
            key = address_key(a)
            if key:
                rows.append((role, key[:500], a.name[:500]))
    return rows


def identity_kind(address: str) -> Literal["email", "url"]:
    return "url" if address.startswith(("http://", "https://")) else "email"


class MessageStore:
    """Collects new messages (skipping ones already stored) and writes them on ``flush``."""

    def __init__(self, conn: Connection, owner_id: int, counts: MailCounts) -> None:
        self.owner = owner_id
        self.counts = counts
        self.mine = mq.my_addresses(conn, owner_id)
        self.keys, self.prints = mq.message_keys(conn, owner_id)
        self._rows: list[dict[str, object]] = []
        #: this run's new personal messages, for deriving without reading them back
        self.derivable: list[Derivable] = []
        self.first_id: int | None = None
        self._addrs: list[list[tuple[str, str, str]]] = []

    def add(self, msg: MessageRecord) -> None:
        self.counts.read += 1
        key, fp = msg.key(), msg.fingerprint()
        if key in self.keys or fp in self.prints:
            self.counts.duplicates += 1
            return
        self.keys.add(key)
        self.prints.add(fp)
        facts = classify_message(msg, self.mine)
        if facts.skip:
            self.counts.skipped[facts.skip] += 1
        self.counts.new += 1
        self._rows.append(
            {
                "owner_id": self.owner,
                "key": key[:600],
                "fingerprint": fp,
                "occurred_at": msg.date,
                "date_problem": msg.date_problem,
                "sender": (address_key(msg.sender) or None) if msg.sender else None,
                "subject": msg.subject,
                "thread": (thread_of(msg) or "")[:600] or None,
                "in_reply_to": (msg.in_reply_to or "")[:600] or None,
                "bulk": msg.bulk,
                "bounce": msg.bounce,
                "direction": facts.direction,
                "in_sent": in_sent_folder(msg),
                "recipients": len(msg.recipients()),
                "source": msg.source,
                "locator": msg.locator,
            }
        )
        self._addrs.append(_address_rows(msg))
        if facts.skip is None:
            self.derivable.append(
                (
                    key[:600],
                    msg.date,
                    facts.direction,
                    facts.others,
                    msg.subject,
                    (thread_of(msg) or "")[:600] or None,
                )
            )

    @property
    def pending(self) -> int:
        return len(self._rows)

    def flush(self, conn: Connection) -> None:
        """Write the messages added since the last flush, in the caller's transaction."""
        ids = mq.insert_messages(conn, self._rows)
        if ids and self.first_id is None:
            self.first_id = ids[0]
        mq.insert_addresses(
            conn,
            [
                {
                    "message_id": mid,
                    "owner_id": self.owner,
                    "role": role,
                    "address": key,
                    "name": name or None,
                }
                for mid, addrs in zip(ids, self._addrs, strict=True)
                for role, key, name in addrs
            ],
        )
        self._rows.clear()
        self._addrs.clear()


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
    memory: list[Derivable] | None = None,
    memory_from: int | None = None,
) -> tuple[int, int, set[int]]:
    """Derive mail interactions for messages stored since the last derivation (or all).

    Returns (interactions written, people created, persons touched). Addresses with a two-way
    exchange become people when ``create_people`` (through ``add_contacts``, the contact import
    path, so they meet the same identity rules). ``memory`` holds this run's new messages as
    :data:`Derivable` tuples (their ids start at ``memory_from``; None when the run stored
    nothing), so a first sync of a large archive does not read its messages back.
    """
    upto = 0 if everything else _derived_upto(conn, owner_id)
    max_id = (
        conn.execute(
            select(message.c.id)
            .where(message.c.owner_id == owner_id)
            .order_by(message.c.id.desc())
            .limit(1)
        ).scalar()
        or 0
    )
    if max_id <= upto and not everything:
        return 0, 0, set()
    touched = {
        r.address
        for r in conn.execute(
            select(message_address.c.address)
            .where(message_address.c.owner_id == owner_id, message_address.c.message_id > upto)
            .distinct()
        )
    }
    mine = mq.my_addresses(conn, owner_id)
    emails = mq.email_map(conn, owner_id)
    created = 0
    fresh_addrs: set[str] = set()
    if create_people and add_contacts is not None and mine:
        fresh = {
            a: n
            for a, n in mq.two_way_addresses(conn, owner_id).items()
            if a in touched and a not in emails and a not in mine
        }
        fresh_addrs = set(fresh)
        if fresh:
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
            emails = mq.email_map(conn, owner_id)
    written = 0
    persons: set[int] = set()

    def write(items: Iterable[Derivable], replace: bool) -> None:
        rows: list[dict[str, object]] = []
        parts: list[list[tuple[int, str, str]]] = []
        for key, when, direction, others, subject, thread in items:
            people: list[tuple[int, str, str]] = [
                (emails[a], identity_kind(a), a) for a in others if a in emails
            ]
            if not people:
                continue
            rows.append(
                {
                    "source": "mail",
                    "natural_key": key,
                    "occurred_at": when,
                    "channel": "email",
                    "direction": direction,
                    "subject": subject,
                    "thread": thread,
                    "group_size": len(others),
                    "import_id": None,
                }
            )
            parts.append(people)
            persons.update(p for p, _, _ in people)
            if len(rows) >= CHUNK:
                flush(rows, parts, replace)
                rows, parts = [], []
        flush(rows, parts, replace)

    def flush(
        rows: list[dict[str, object]], parts: list[list[tuple[int, str, str]]], replace: bool
    ) -> None:
        nonlocal written
        if replace:
            mq.delete_derived(conn, owner_id, ["mail"], [str(r["natural_key"]) for r in rows])
        mq.insert_interactions(conn, owner_id, rows, parts)
        written += len(rows)

    if memory is not None and not everything:
        # this run's messages are in memory; the database holds only older ones to (re)derive:
        # those an interrupted run stored, and older mail of the people created just now
        older = mq.personal_messages(conn, owner_id, None, above=upto, below=memory_from)
        if upto and created:
            older += mq.personal_messages(conn, owner_id, sorted(fresh_addrs), below=upto + 1)
        write(_from_rows(conn, older, mine), replace=True)
        write(memory, replace=False)
    else:
        people_addrs = [a for a in touched if a in emails]
        whole = everything or upto == 0 or len(people_addrs) > 2000
        msgs = mq.personal_messages(
            conn, owner_id, None if whole else people_addrs, above=0 if whole else None
        )
        write(_from_rows(conn, msgs, mine), replace=True)
    put_setting(conn, owner_id, DERIVED_UPTO, str(max_id))
    return written, created, persons


def _from_rows(conn: Connection, msgs: list[Any], mine: set[str]) -> Iterator[Derivable]:
    """Stored messages as :data:`Derivable` tuples, reading their addresses chunk by chunk."""
    for start in range(0, len(msgs), CHUNK):
        chunk = msgs[start : start + CHUNK]
        addrs = mq.addresses_of(conn, [m.id for m in chunk])
        for m in chunk:
            roles = addrs.get(m.id, [])
            if m.direction == "out":
                others = [a for role, a in roles if role != "from" and a not in mine]
            else:
                others = [a for role, a in roles if a not in mine]
            yield (
                m.key,
                m.occurred_at,
                m.direction,
                tuple(dict.fromkeys(others)),
                m.subject,
                m.thread,
            )


def rederive_all(
    conn: Connection, owner_id: int, now: datetime, add_contacts: AddContacts | None = None
) -> tuple[int, int, set[int]]:
    """After "me" changed: new directions for every message, every mail interaction again."""
    mq.set_directions(conn, owner_id, mq.my_addresses(conn, owner_id))
    mq.delete_derived(conn, owner_id, ["mail"])
    return derive(conn, owner_id, now, everything=True, add_contacts=add_contacts)
