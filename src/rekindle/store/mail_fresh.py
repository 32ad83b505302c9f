"""Deriving the interactions of the messages one sync run stored, from what it held in memory.

:mod:`rekindle.store.mail_derive` derives any selection of stored messages with set-based SQL
that reads everything back. The messages a run has just stored need none of that: while
storing them the run keeps, for each personal one, what its interaction copies (key, time,
channel, direction, subject, thread) and the addresses of the others on it, so that the
interactions and their people are written from memory once the people are known. The rows
written are exactly those :func:`rekindle.store.mail_derive.derive_messages` would write for
the same messages: the same selection (not bulk, not a bounce, dated, sent by me or received
with a sender), the same others (every address on it but mine, the sender only on a message
I received), the same group size, ids in message order and values copied as stored.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Connection, func, select

from rekindle.history.mail_rules import CHANNEL_OF_SOURCE, ME_PLACEHOLDER
from rekindle.store import bulk
from rekindle.store.mail import LINK_COLUMNS
from rekindle.store.mail_derive import identity_kind
from rekindle.store.mail_rows import MessageRow
from rekindle.store.schema import interaction, interaction_person
from rekindle.store.schema_history import message

_KEY = MessageRow._fields.index("key")
_WHEN = MessageRow._fields.index("occurred_at")
_SENDER = MessageRow._fields.index("sender")
_SUBJECT = MessageRow._fields.index("subject")
_THREAD = MessageRow._fields.index("thread")
_BULK = MessageRow._fields.index("bulk")
_BOUNCE = MessageRow._fields.index("bounce")
_DIRECTION = MessageRow._fields.index("direction")
_SOURCE = MessageRow._fields.index("source")

#: the columns of ``interaction`` written, in the order of the tuples
_INTERACTION_COLUMNS = (
    "owner_id",
    "source",
    "natural_key",
    "occurred_at",
    "channel",
    "direction",
    "subject",
    "thread",
    "group_size",
)


class FreshMessage(NamedTuple):
    """What a stored personal message's interaction copies, and the others on it (candidate
    addresses: mine are taken out when deriving)."""

    message_id: int
    key: str
    occurred_at: Any
    channel: str
    direction: str
    subject: str | None
    thread: str | None
    others: tuple[str, ...]


class FreshMessages:
    """The personal messages one run stored, kept while it runs (values as the driver took
    them, so they are copied as stored). Addresses are shared between messages: the same few
    thousand correspondents appear on hundreds of thousands of messages."""

    def __init__(self) -> None:
        self.messages: list[FreshMessage] = []
        #: every message this run stored, personal or not
        self.stored = 0
        self._addresses: dict[str, str] = {}

    def add(
        self,
        ids: Sequence[int],
        rows: Sequence[Sequence[Any]],
        addresses: Sequence[Sequence[tuple[str, str, str | None]]],
    ) -> None:
        """Keep the personal ones of messages just stored: their new ids, their rows (in
        :class:`MessageRow` order, as the driver took them) and their (role, address, name)."""
        self.stored += len(ids)
        pool = self._addresses
        for mid, row, addrs in zip(ids, rows, addresses, strict=True):
            direction = row[_DIRECTION]
            if (
                row[_BULK] is not None
                or row[_BOUNCE]
                or row[_WHEN] is None
                or not (direction == "out" or (direction == "in" and row[_SENDER] is not None))
            ):
                continue
            received = direction == "in"
            others = tuple(
                dict.fromkeys(
                    pool.setdefault(address, address)
                    for role, address, _ in addrs
                    if role != "from" or received
                )
            )
            source = row[_SOURCE]
            self.messages.append(
                FreshMessage(
                    mid,
                    row[_KEY],
                    row[_WHEN],
                    CHANNEL_OF_SOURCE.get(source, "email"),
                    direction,
                    row[_SUBJECT],
                    row[_THREAD],
                    others,
                )
            )

    def covers(self, conn: Connection, owner_id: int, first_id: int) -> bool:
        """Whether every message of the owner from ``first_id`` on is one this run stored
        (no other run stored any meanwhile)."""
        stored = conn.execute(
            select(func.count())
            .select_from(message)
            .where(message.c.id >= first_id, message.c.owner_id == owner_id)
        ).scalar_one()
        return int(stored) == self.stored


def derive_fresh(
    conn: Connection,
    owner_id: int,
    mine: Collection[str],
    people: Mapping[str, int],
    fresh: FreshMessages,
    *,
    converted: bool,
) -> tuple[int, set[int]]:
    """Write the interactions of the fresh messages with the known people on them (they have
    none yet); (interactions written, persons on them). ``converted``: the kept values are
    the driver's (SQLite's rows are converted when they are prepared)."""
    mine = {*mine, ME_PLACEHOLDER}
    known = {a: p for a, p in people.items() if a not in mine}
    rows: list[tuple[Any, ...]] = []
    links: list[list[tuple[int, str, str]]] = []
    for m in fresh.messages:
        others = [a for a in m.others if a not in mine]
        found = [(known[a], identity_kind(a), a) for a in others if a in known]
        if not found:
            continue
        rows.append(
            (
                owner_id,
                "mail",
                m.key,
                m.occurred_at,
                m.channel,
                m.direction,
                m.subject,
                m.thread,
                len(others),
            )
        )
        links.append(found)
    ids = bulk.insert_rows_returning_ids(
        conn, interaction, _INTERACTION_COLUMNS, rows, converted=converted
    )
    persons: set[int] = set()
    link_rows = []
    for interaction_id, row, found in zip(ids, rows, links, strict=True):
        for person_id, kind, address in found:
            persons.add(person_id)
            link_rows.append((interaction_id, owner_id, person_id, kind, address, row[3], row[8]))
    bulk.insert_rows(conn, interaction_person, LINK_COLUMNS, link_rows, converted=converted)
    return len(rows), persons
