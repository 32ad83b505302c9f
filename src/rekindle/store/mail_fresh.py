"""Deriving the interactions of the messages one sync run stored, from what it kept of them.

:mod:`rekindle.store.mail_derive` derives any selection of stored messages with set-based SQL
that joins every message to its addresses and each link back to its interaction by key. The
messages a run has just stored need none of that: while storing them the run keeps, for each
personal one, its id and the addresses of the others on it (a few bytes a message: addresses
and whole lists of them are shared), so that once the people are known the interactions and
their people are written from memory, reading back only the columns an interaction copies,
a range of ids at a time. The rows written are exactly those
:func:`rekindle.store.mail_derive.derive_messages` writes for the same messages: the same
selection (not bulk, not a bounce, dated, sent by me or received with a sender), the same
others (every address on it but mine, the sender only on a message I received), the same
group size, ids in message order and values copied as stored.
"""

from __future__ import annotations

from array import array
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Table, func, literal, select

from rekindle.history.mail_rules import CHANNEL_OF_SOURCE, ME_PLACEHOLDER
from rekindle.history.tie_arrays import ContactColumns
from rekindle.store import bulk
from rekindle.store.database import scanning
from rekindle.store.mail import owned_by
from rekindle.store.mail_derive import INTERACTION_COLUMNS, identity_kind
from rekindle.store.mail_rows import LINK_COLUMNS, MessageRow
from rekindle.store.schema import interaction, interaction_person
from rekindle.store.schema_history import message
from rekindle.store.tie_columns import GatheredColumns

_WHEN = MessageRow._fields.index("occurred_at")
_SENDER = MessageRow._fields.index("sender")
_BULK = MessageRow._fields.index("bulk")
_BOUNCE = MessageRow._fields.index("bounce")
_DIRECTION = MessageRow._fields.index("direction")

#: messages whose interactions are written per step (what one step holds in memory)
STEP = 20000


class FreshMessages:
    """The personal messages one run stored: their ids and the others on each (candidate
    addresses, mine are taken out when deriving), kept while it runs as numbers: each distinct
    address once, each message's others as positions in that list (a few bytes a message).
    ``alone``: the owner had no message when the run started (a first sync), so it also keeps
    who wrote to whom and under what names (:meth:`two_way`, :meth:`commonest_names`)."""

    def __init__(self, alone: bool = False) -> None:
        self.alone = alone
        self.ids = array("q")
        #: where each message's others end in ``positions`` (they start where the last ended)
        self.ends = array("q")
        self.positions = array("i")
        self.addresses: list[str] = []
        #: every message this run stored, personal or not
        self.stored = 0
        self._position: dict[str, int] = {}
        #: the owner's contacts as columns, when this run's interactions were their first
        #: (:func:`derive_fresh`), for the tie statistics
        self.contacts: ContactColumns | None = None
        #: of this run's personal mail: the addresses I wrote to, and those who wrote to me
        self.wrote_to: set[str] = set()
        self.wrote_me: set[str] = set()
        #: of every message this run stored: how often each address came with each name
        self._named: dict[tuple[str, str], int] = {}

    def add(
        self,
        ids: Sequence[int],
        rows: Sequence[Sequence[Any]],
        addresses: Sequence[Sequence[tuple[str, str, str | None]]],
    ) -> None:
        """Keep the personal ones of messages just stored: their new ids, their rows (in
        :class:`MessageRow` order) and their (role, address, name)."""
        self.stored += len(ids)
        position, names, named, alone = self._position, self.addresses, self._named, self.alone
        for mid, row, addrs in zip(ids, rows, addresses, strict=True):
            if alone:
                for _, address, name in addrs:
                    if name:
                        pair = (address, name)
                        named[pair] = named.get(pair, 0) + 1
            direction = row[_DIRECTION]
            if row[_BULK] is not None or row[_BOUNCE] or row[_WHEN] is None:
                continue
            received = direction == "in"
            if not (direction == "out" or (received and row[_SENDER] is not None)):
                continue
            if alone and received:
                self.wrote_me.add(row[_SENDER])
            elif alone:
                self.wrote_to.update(a for role, a, _ in addrs if role != "from")
            for address in dict.fromkeys(a for role, a, _ in addrs if role != "from" or received):
                at = position.get(address)
                if at is None:
                    at = position[address] = len(names)
                    names.append(address)
                self.positions.append(at)
            self.ids.append(mid)
            self.ends.append(len(self.positions))

    def covers(self, conn: Connection, owner_id: int, first_id: int) -> bool:
        """Whether every message of the owner from ``first_id`` on is one this run stored
        (no other run stored any meanwhile)."""
        stored = conn.execute(
            select(func.count())
            .select_from(message)
            .where(message.c.id >= first_id, owned_by(conn, message, owner_id))
        ).scalar_one()
        return int(stored) == self.stored

    def two_way(self) -> list[str]:
        """The addresses I wrote to that wrote to me, as
        :func:`rekindle.store.mail.two_way_addresses` finds them, from this run's messages
        (when they are all the owner's: :meth:`covers` from id 0), in a stable order."""
        return sorted(a for a in self.wrote_me if a in self.wrote_to)

    def commonest_names(self, addresses: Collection[str]) -> dict[str, str]:
        """:func:`rekindle.store.mail.commonest_names` from this run's messages (when they are
        all the owner's: :meth:`covers` from id 0): each address → the name it came with most
        often, the first in code-point order of the most frequent ("" when it never had one)."""
        best: dict[str, tuple[int, str]] = {}
        wanted = set(addresses)
        for (address, name), n in self._named.items():
            if address in wanted:
                found = best.get(address)
                if found is None or n > found[0] or (n == found[0] and name < found[1]):
                    best[address] = (n, name)
        return {a: best[a][1] if a in best else "" for a in addresses}

    def release(self) -> None:
        """Let go of what was kept, once derived (the tie statistics come next)."""
        self.ids, self.ends, self.positions = array("q"), array("q"), array("i")
        self.addresses = []
        self._position.clear()
        self.wrote_to, self.wrote_me = set(), set()
        self._named = {}


def derive_fresh(
    conn: Connection,
    owner_id: int,
    mine: Collection[str],
    people: Mapping[str, int],
    fresh: FreshMessages,
) -> tuple[int, set[int]]:
    """Write the interactions of the fresh messages with the known people on them (they have
    none yet); (interactions written, persons on them)."""
    mine = {*mine, ME_PLACEHOLDER}
    # by each kept address's position: whether it is mine, and its (person, kind, address)
    # when it is a known person's
    is_mine = [a in mine for a in fresh.addresses]
    person_of = [
        None if a in mine or a not in people else (people[a], identity_kind(a), a)
        for a in fresh.addresses
    ]
    written, persons = 0, set[int]()
    # the owner's first interactions: what is written is all there is, kept as the tie
    # statistics' columns (so they are not read back)
    gathered = GatheredColumns() if not _has_interactions(conn, owner_id) else None
    with _indexed_after(conn, interaction, interaction_person):
        for start in range(0, len(fresh.ids), STEP):
            wanted = _wanted(fresh, start, is_mine, person_of)
            written += _write(conn, owner_id, wanted, persons, gathered) if wanted else 0
    fresh.contacts = gathered.columns() if gathered is not None else None
    return written, persons


def _has_interactions(conn: Connection, owner_id: int) -> bool:
    return (
        conn.execute(
            select(literal(1))
            .select_from(interaction)
            .where(interaction.c.owner_id == owner_id)
            .limit(1)
        ).first()
        is not None
    )


@contextmanager
def _indexed_after(conn: Connection, *tables: Table) -> Iterator[None]:
    """While the tables hold no row at all (nobody's: on a team server others share them, as
    on a first sync), their plain indexes are dropped and built again once they are written,
    in the caller's transaction: a sort instead of a row-by-row upkeep, and a sync killed
    meanwhile rolls the drop back with the rest."""
    dropped = [
        ix
        for table in tables
        if conn.execute(select(literal(1)).select_from(table).limit(1)).first() is None
        for ix in sorted(table.indexes, key=lambda ix: str(ix.name))
        if not ix.unique
    ]
    for ix in dropped:
        ix.drop(conn)
    yield
    with scanning(conn):
        for ix in dropped:
            ix.create(conn)


def _wanted(
    fresh: FreshMessages,
    start: int,
    is_mine: Sequence[bool],
    person_of: Sequence[tuple[int, str, str] | None],
) -> dict[int, tuple[int, list[tuple[int, str, str]]]]:
    """The fresh messages from ``start`` on (:data:`STEP` of them) with a known person among
    their others: id → (group size, the people)."""
    wanted: dict[int, tuple[int, list[tuple[int, str, str]]]] = {}
    positions, ends = fresh.positions, fresh.ends
    begin = ends[start - 1] if start else 0
    for k in range(start, min(start + STEP, len(fresh.ids))):
        end = ends[k]
        size, found = 0, []
        for at in positions[begin:end]:
            if is_mine[at]:
                continue
            size += 1
            who = person_of[at]
            if who is not None:
                found.append(who)
        begin = end
        if found:
            wanted[fresh.ids[k]] = (size, found)
    return wanted


def _write(
    conn: Connection,
    owner_id: int,
    wanted: dict[int, tuple[int, list[tuple[int, str, str]]]],
    persons: set[int],
    gathered: GatheredColumns | None = None,
) -> int:
    """Write the interactions of the messages ``wanted`` (id → group size and people), their
    copied columns read back as stored, in id order."""
    sqlite = conn.dialect.name == "sqlite"
    copied = (
        select(
            message.c.id,
            message.c.key,
            message.c.occurred_at,
            message.c.source,
            message.c.direction,
            message.c.subject,
            message.c.thread,
        )
        # along the ids (not an index that starts with the owner, all of whose messages
        # SQLite would walk at every step)
        .where(message.c.id.between(min(wanted), max(wanted)), owned_by(conn, message, owner_id))
        .order_by(message.c.id)
    )
    # on SQLite, as stored: copied, not converted there and back
    stored = bulk.raw_rows(conn, copied) if sqlite else conn.execute(copied)
    rows, links = [], []
    channel_of = CHANNEL_OF_SOURCE.get
    for mid, key, when, source, direction, subject, thread in stored:
        got = wanted.get(mid)
        if got is None:
            continue
        size, found = got
        rows.append(
            (
                owner_id,
                "mail",
                key,
                when,
                channel_of(source, "email"),
                direction,
                subject,
                thread,
                size,
            )
        )
        links.append(found)
    ids = bulk.insert_rows_returning_ids(
        conn, interaction, INTERACTION_COLUMNS, rows, converted=sqlite
    )
    link_rows = []
    for interaction_id, row, found in zip(ids, rows, links, strict=True):
        for person_id, kind, address in found:
            persons.add(person_id)
            link_rows.append((interaction_id, owner_id, person_id, kind, address, row[3], row[8]))
    bulk.insert_rows(conn, interaction_person, LINK_COLUMNS, link_rows, converted=sqlite)
    if gathered is not None:
        # (id, time as stored, direction, channel, group size, thread), and the links
        gathered.add(
            [(i, r[3], r[5], r[4], r[8], r[7]) for i, r in zip(ids, rows, strict=True)],
            [link[2] for link in link_rows],
            [link[0] for link in link_rows],
        )
    return len(rows)
