"""Deriving mail interactions from stored messages in set-based SQL.

A personal message (not bulk, not a bounce, dated, with a direction) is an interaction with
the known people among its others: for a message I sent, everyone on it but me; for one I
received, its sender and everyone on it but me. Three statements do the work for any
selection of messages (a range of ids, or those naming some addresses), whatever its size:
the database walks its indexes and nothing is read back into Python.

The people are given as a map of address → person (:func:`rekindle.store.mail.email_map`),
loaded into a temporary table for the statements to join.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
)

from rekindle.history.mail_rules import CHANNEL_OF_SOURCE, ME_PLACEHOLDER
from rekindle.store.mail import owned_by
from rekindle.store.mail_rows import LINK_COLUMNS
from rekindle.store.schema import interaction, interaction_person
from rekindle.store.schema_history import message, message_address

#: the columns of ``interaction`` a mail derivation writes, in the order of its selects and
#: tuples (:mod:`rekindle.store.mail_fresh` writes the same rows from memory)
INTERACTION_COLUMNS = (
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


def channel_of(source: Any) -> ColumnElement[str]:
    """The channel of a stored message by its reader: LinkedIn messages are LinkedIn's."""
    whens = [(source == name, literal(ch)) for name, ch in CHANNEL_OF_SOURCE.items()]
    return case(*whens, else_=literal("email"))


_temp = MetaData()
#: the people's addresses while deriving: address → person and identity kind
known_address = Table(
    "derive_known_address",
    _temp,
    Column("address", String(500), primary_key=True),
    Column("person_id", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    prefixes=["TEMPORARY"],
)
#: the messages to derive when they are picked by the addresses on them
picked_message = Table(
    "derive_picked_message",
    _temp,
    Column("message_id", Integer, primary_key=True),
    prefixes=["TEMPORARY"],
)
#: addresses whose messages are picked
picked_address = Table(
    "derive_picked_address",
    _temp,
    Column("address", String(500), primary_key=True),
    prefixes=["TEMPORARY"],
)


def identity_kind(address: str) -> Literal["email", "url"]:
    return "url" if address.startswith(("http://", "https://")) else "email"


@dataclass(frozen=True)
class Selection:
    """Which stored messages to derive: ids strictly between ``above`` and ``below`` (None:
    no bound), and when ``addresses`` is given only those naming one of them."""

    above: int = 0
    below: int | None = None
    addresses: Sequence[str] | None = None


@contextmanager
def _temporary(conn: Connection, *tables: Table) -> Iterator[None]:
    for table in tables:
        table.drop(conn, checkfirst=True)  # left over on this connection by a failed run
        table.create(conn)
    try:
        yield
    finally:
        for table in tables:
            table.drop(conn, checkfirst=True)


def _insert_all(conn: Connection, table: Table, rows: list[dict[str, object]]) -> None:
    for start in range(0, len(rows), 5000):
        conn.execute(insert(table), rows[start : start + 5000])


def derive_messages(
    conn: Connection,
    owner_id: int,
    mine: Collection[str],
    people: Mapping[str, int],
    selection: Selection,
    *,
    replace: bool,
) -> tuple[int, set[int]]:
    """Write the interactions of the selected messages with the people on them.

    ``mine`` are my own addresses (never a participant, nor is the placeholder some readers
    put for me), ``people`` maps every known address to
    its person. With ``replace``, the selected messages' earlier interactions go first (their
    people may have changed); without it they must have none. Returns (interactions written,
    persons on them).
    """
    mine = {*mine, ME_PLACEHOLDER}
    tables = [known_address] + ([picked_message, picked_address] if selection.addresses else [])
    with _temporary(conn, *tables):
        _insert_all(
            conn,
            known_address,
            [
                {"address": a, "person_id": p, "kind": identity_kind(a)}
                for a, p in people.items()
                if a not in mine
            ],
        )
        if selection.addresses is not None:
            _pick_by_address(conn, owner_id, selection.addresses)
        picked = _picked(conn, owner_id, selection)
        if replace:
            conn.execute(
                delete(interaction).where(
                    interaction.c.owner_id == owner_id,
                    interaction.c.source == "mail",
                    interaction.c.natural_key.in_(select(message.c.key).where(picked)),
                )
            )
        other = _is_other(mine)
        with_people = exists(
            select(literal(1))
            .select_from(
                message_address.join(
                    known_address, known_address.c.address == message_address.c.address
                )
            )
            .where(message_address.c.message_id == message.c.id, other)
        )
        others = (
            select(func.count(func.distinct(message_address.c.address)))
            .where(message_address.c.message_id == message.c.id, other)
            .scalar_subquery()
        )
        before = _mail_interactions(conn, owner_id)
        conn.execute(
            insert(interaction).from_select(
                INTERACTION_COLUMNS,
                select(
                    message.c.owner_id,
                    literal("mail"),
                    message.c.key,
                    message.c.occurred_at,
                    channel_of(message.c.source),
                    message.c.direction,
                    message.c.subject,
                    message.c.thread,
                    others,
                )
                .where(picked, with_people)
                .order_by(message.c.id),
            )
        )
        written = _mail_interactions(conn, owner_id) - before

        # each message's new interaction (id, group size) by its key; messages in id order
        def of_interaction(column: Any) -> Any:
            return (
                select(column)
                .where(
                    interaction.c.owner_id == message.c.owner_id,
                    interaction.c.source == "mail",
                    interaction.c.natural_key == message.c.key,
                )
                .scalar_subquery()
            )

        links = (
            select(
                of_interaction(interaction.c.id),
                message.c.owner_id,
                known_address.c.person_id,
                known_address.c.kind,
                message_address.c.address,
                message.c.occurred_at,
                of_interaction(interaction.c.group_size),
            )
            .distinct()
            .select_from(
                message.join(message_address, message_address.c.message_id == message.c.id).join(
                    known_address, known_address.c.address == message_address.c.address
                )
            )
            .where(picked, other)
        )
        conn.execute(insert(interaction_person).from_select(LINK_COLUMNS, links))
        persons = set(
            conn.execute(
                select(known_address.c.person_id)
                .distinct()
                .select_from(
                    message.join(
                        message_address, message_address.c.message_id == message.c.id
                    ).join(known_address, known_address.c.address == message_address.c.address)
                )
                .where(picked, other)
            ).scalars()
        )
    return written, persons


def _mail_interactions(conn: Connection, owner_id: int) -> int:
    """How many mail interactions the owner has (not every driver counts the rows an
    INSERT … SELECT wrote)."""
    return int(
        conn.execute(
            select(func.count())
            .select_from(interaction)
            .where(interaction.c.owner_id == owner_id, interaction.c.source == "mail")
        ).scalar_one()
    )


def _picked(conn: Connection, owner_id: int, selection: Selection) -> ColumnElement[bool]:
    """The selected messages that are personal (not bulk, not a bounce, dated, with a
    direction; a received one with a sender); SQLite reads them in id order."""
    clauses = [
        owned_by(conn, message, owner_id),
        message.c.bulk.is_(None),
        message.c.bounce.is_(False),
        message.c.occurred_at.is_not(None),
        or_(
            message.c.direction == "out",
            and_(message.c.direction == "in", message.c.sender.is_not(None)),
        ),
    ]
    if selection.above:
        clauses.append(message.c.id > selection.above)
    if selection.below is not None:
        clauses.append(message.c.id < selection.below)
    if selection.addresses is not None:
        clauses.append(message.c.id.in_(select(picked_message.c.message_id)))
    return and_(*clauses)


def _is_other(mine: Collection[str]) -> ColumnElement[bool]:
    """A ``message_address`` row that names one of the others on the message: not me, and
    the sender only on a message I received."""
    clauses = [or_(message_address.c.role != "from", message.c.direction == "in")]
    if mine:
        clauses.append(message_address.c.address.not_in(sorted(mine)))
    return and_(*clauses)


def _pick_by_address(conn: Connection, owner_id: int, addresses: Sequence[str]) -> None:
    _insert_all(conn, picked_address, [{"address": a} for a in dict.fromkeys(addresses)])
    conn.execute(
        insert(picked_message).from_select(
            ["message_id"],
            select(message_address.c.message_id)
            .distinct()
            .where(
                message_address.c.owner_id == owner_id,
                message_address.c.address.in_(select(picked_address.c.address)),
            ),
        )
    )
