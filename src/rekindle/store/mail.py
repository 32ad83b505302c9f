"""Messages, meetings and sync state: the SQL behind the history."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Index,
    Table,
    and_,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)

from rekindle.errors import UserError
from rekindle.store import bulk
from rekindle.store.database import scanning
from rekindle.store.mail_rows import AddressRow, MessageRow
from rekindle.store.schema import identity, interaction, interaction_person, person
from rekindle.store.schema_history import (
    meeting,
    meeting_attendee,
    message,
    message_address,
    sync_seen,
    sync_source,
)


def ensure_source(
    conn: Connection, owner_id: int, kind: str, locator: str
) -> tuple[int, dict[str, Any]]:
    row = conn.execute(
        select(sync_source.c.id, sync_source.c.state).where(
            sync_source.c.owner_id == owner_id,
            sync_source.c.kind == kind,
            sync_source.c.locator == locator,
        )
    ).first()
    if row is not None:
        return int(row.id), json.loads(row.state)
    result = conn.execute(
        insert(sync_source).values(
            owner_id=owner_id, kind=kind, locator=locator, state="{}", counts="{}"
        )
    )
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0]), {}


def save_source(
    conn: Connection, source_id: int, state: dict[str, Any], counts: dict[str, int], now: datetime
) -> None:
    conn.execute(
        update(sync_source)
        .where(sync_source.c.id == source_id)
        .values(
            state=json.dumps(state, sort_keys=True),
            counts=json.dumps(counts, sort_keys=True),
            last_sync_at=now,
        )
    )


def list_sources(conn: Connection, owner_id: int) -> list[Any]:
    return list(
        conn.execute(
            select(sync_source).where(sync_source.c.owner_id == owner_id).order_by(sync_source.c.id)
        )
    )


def seen_names(conn: Connection, source_id: int) -> set[str]:
    return {
        r.name
        for r in conn.execute(
            select(sync_seen.c.name).where(sync_seen.c.sync_source_id == source_id)
        )
    }


def add_seen(conn: Connection, source_id: int, names: Iterable[str]) -> None:
    rows = [{"sync_source_id": source_id, "name": n} for n in names]
    if rows:
        conn.execute(insert(sync_seen), rows)


#: plain indexes of the message tables that a first sync builds once it has loaded them (the
#: unique key and the fingerprint index stay: they tell duplicates while loading)
_LOAD_INDEXES = ("ix_message_thread", "ix_message_address_addr", "ix_message_address_msg")


def _load_indexes() -> list[Index]:
    return [ix for t in (message, message_address) for ix in t.indexes if ix.name in _LOAD_INDEXES]


def defer_indexes(conn: Connection) -> bool:
    """While no message is stored at all (nobody's: on a team server others share the
    tables), drop the plain indexes a load would keep up row by row; whether it did.
    :func:`build_indexes` makes them again."""
    if conn.execute(select(message.c.id).limit(1)).first() is not None:
        return False
    for ix in _load_indexes():
        ix.drop(conn, checkfirst=True)
    return True


def build_indexes(conn: Connection) -> None:
    """Make the plain indexes of the message tables that are missing (after a load, or after
    a first sync was killed while loading); a sort of every row each, through a small
    cache (:func:`scanning`)."""
    with scanning(conn):
        for ix in _load_indexes():
            ix.create(conn, checkfirst=True)


_REFERENCE_CHECKS = (
    ("message", "PRAGMA foreign_key_check(message)"),
    ("message_address", "PRAGMA foreign_key_check(message_address)"),
    ("sync_seen", "PRAGMA foreign_key_check(sync_seen)"),
)


def check_references(conn: Connection) -> None:
    """Every row of the tables a sync loads points somewhere (SQLite, after a load that did
    not check its foreign keys row by row); a one-line error if one does not."""
    if conn.dialect.name != "sqlite":
        return
    for name, check in _REFERENCE_CHECKS:
        broken = conn.exec_driver_sql(check).fetchall()
        if broken:
            raise UserError(
                f"the mail sync left {len(broken)} rows of {name} pointing nowhere",
                hint="restore the database from its backup and report it",
            )


def stored_keys(conn: Connection, owner_id: int, keys: Sequence[str]) -> set[str]:
    """Which of these message keys are stored already."""
    return _stored(conn, owner_id, message.c.key, keys)


def stored_prints(conn: Connection, owner_id: int, prints: Sequence[str]) -> set[str]:
    """Which of these message fingerprints are stored already."""
    return _stored(conn, owner_id, message.c.fingerprint, prints)


def _stored(conn: Connection, owner_id: int, column: Any, values: Sequence[str]) -> set[str]:
    found: set[str] = set()
    unique = sorted(set(values))
    for start in range(0, len(unique), 900):
        found.update(
            conn.execute(
                select(column).where(
                    message.c.owner_id == owner_id, column.in_(unique[start : start + 900])
                )
            ).scalars()
        )
    return found


def message_converter(conn: Connection) -> Callable[[MessageRow], Sequence[Any]]:
    """Turns a message row into the values the driver takes (see :func:`bulk.converter`)."""
    return bulk.converter(conn, message, MessageRow._fields)


def insert_messages(
    conn: Connection, rows: Sequence[Sequence[Any]], *, converted: bool = False
) -> list[int]:
    """Store messages (:class:`MessageRow` values, or what :func:`message_converter` made of
    them with ``converted``); their new ids in the rows' order."""
    return bulk.insert_rows_returning_ids(
        conn, message, MessageRow._fields, rows, converted=converted
    )


def insert_addresses(conn: Connection, rows: Sequence[Sequence[Any]]) -> None:
    """Store :class:`AddressRow` values (plain tuples in its field order will do)."""
    bulk.insert_rows(conn, message_address, AddressRow._fields, rows)


def email_map(conn: Connection, owner_id: int) -> dict[str, int]:
    """Every email address and profile URL of an active person (not me) → that person."""
    rows = conn.execute(
        select(identity.c.value, identity.c.person_id)
        .join(person, person.c.id == identity.c.person_id)
        .where(
            identity.c.owner_id == owner_id,
            identity.c.kind.in_(("email", "url")),
            person.c.merged_into.is_(None),
            person.c.is_me.is_(False),
        )
        .order_by(identity.c.id)
    )
    out: dict[str, int] = {}
    for r in rows:
        out.setdefault(r.value, r.person_id)
    return out


def my_addresses(conn: Connection, owner_id: int) -> set[str]:
    """My addresses: those of the records that are me. SQLite finds me among the people
    first and reads my identities by person (not every address of the owner, joined to
    their person one by one: 0.18 s at 20k people)."""
    rows = conn.execute(
        select(identity.c.value)
        .join(person, person.c.id == identity.c.person_id)
        .where(
            owned_by(conn, identity, owner_id),
            identity.c.kind.in_(("email", "url")),
            person.c.owner_id == owner_id,
            person.c.is_me.is_(True),
        )
    )
    return {r.value for r in rows}


def owned_by(conn: Connection, table: Table, owner_id: int) -> ColumnElement[bool]:
    """``owner_id = ?``. SQLite keeps no statistics and would walk an index that starts with
    owner_id (in fingerprint or address order, hopping all over the table) although nearly
    every row is the one owner's; ``owner_id + 0`` makes it read the table in id order instead.
    PostgreSQL plans with statistics and gets the plain comparison."""
    if conn.dialect.name == "sqlite":
        return table.c.owner_id + 0 == owner_id
    return table.c.owner_id == owner_id


def _personal(conn: Connection, owner_id: int) -> Any:
    return and_(
        owned_by(conn, message, owner_id),
        message.c.bulk.is_(None),
        message.c.bounce.is_(False),
        message.c.occurred_at.is_not(None),
    )


def two_way_addresses(conn: Connection, owner_id: int, min_each_way: int = 1) -> dict[str, str]:
    """Addresses I wrote to and that wrote to me (personal mail), with their commonest name."""
    sent = select(message.c.id).where(_personal(conn, owner_id), message.c.direction == "out")
    wrote_to = {
        r.address
        for r in conn.execute(
            select(message_address.c.address)
            .where(message_address.c.message_id.in_(sent), message_address.c.role != "from")
            .group_by(message_address.c.address)
            .having(func.count() >= min_each_way)
        )
    }
    wrote_me = (
        r.sender
        for r in conn.execute(
            select(message.c.sender, func.count().label("n"))
            .where(_personal(conn, owner_id), message.c.direction == "in")
            .group_by(message.c.sender)
            .having(func.count() >= min_each_way)
        )
    )
    return commonest_names(conn, owner_id, [a for a in wrote_me if a in wrote_to])


def commonest_names(conn: Connection, owner_id: int, addresses: list[str]) -> dict[str, str]:
    """Each address → the name it came with most often on the owner's messages (the first
    of the most frequent in the database's order; "" when it never came with one)."""
    names = dict.fromkeys(addresses, "")
    if names:
        for r in conn.execute(
            select(message_address.c.address, message_address.c.name, func.count().label("n"))
            .where(
                message_address.c.owner_id == owner_id,
                message_address.c.address.in_(list(names)),
                message_address.c.name.is_not(None),
                message_address.c.name != "",
            )
            .group_by(message_address.c.address, message_address.c.name)
            .order_by(func.count().desc(), message_address.c.name)
        ):
            if not names[r.address]:
                names[r.address] = r.name
    return names


def last_message_id(conn: Connection, owner_id: int) -> int:
    found = conn.execute(
        select(message.c.id)
        .where(owned_by(conn, message, owner_id))
        .order_by(message.c.id.desc())
        .limit(1)
    ).scalar()
    return int(found or 0)


def addresses_above(conn: Connection, owner_id: int, message_id: int) -> set[str]:
    """Every address on the messages whose id is above ``message_id``."""
    return set(
        conn.execute(
            select(message_address.c.address)
            .where(
                owned_by(conn, message_address, owner_id),
                message_address.c.message_id > message_id,
            )
            .distinct()
        ).scalars()
    )


def set_directions(conn: Connection, owner_id: int, mine: set[str]) -> None:
    """Recompute every message's direction after the user's own addresses changed."""
    conn.execute(update(message).where(message.c.owner_id == owner_id).values(direction=None))
    if not mine:
        return
    conn.execute(
        update(message)
        .where(message.c.owner_id == owner_id, message.c.sender.in_(list(mine)))
        .values(direction="out")
    )
    to_me = select(message_address.c.message_id).where(
        message_address.c.owner_id == owner_id,
        message_address.c.role != "from",
        message_address.c.address.in_(list(mine)),
    )
    conn.execute(
        update(message)
        .where(
            message.c.owner_id == owner_id, message.c.direction.is_(None), message.c.id.in_(to_me)
        )
        .values(direction="in")
    )


def persons_with_derived(conn: Connection, owner_id: int, source: str) -> set[int]:
    """The persons linked to an interaction the owner's ``source`` gave."""
    linked = (
        select(interaction_person.c.person_id)
        .distinct()
        .join(interaction, interaction.c.id == interaction_person.c.interaction_id)
        .where(interaction.c.owner_id == owner_id, interaction.c.source == source)
    )
    return {int(pid) for pid in conn.execute(linked).scalars()}


def delete_derived(
    conn: Connection, owner_id: int, sources: Sequence[str], keys: Sequence[str] | None = None
) -> None:
    stmt = delete(interaction).where(
        interaction.c.owner_id == owner_id, interaction.c.source.in_(list(sources))
    )
    if keys is None:
        conn.execute(stmt)
        return
    for start in range(0, len(keys), 900):
        conn.execute(stmt.where(interaction.c.natural_key.in_(list(keys[start : start + 900]))))


def delete_meeting_interactions(conn: Connection, owner_id: int, key: str) -> None:
    """The interactions derived from one meeting: ``key`` itself (a single event) and each
    occurrence of a series (``key#start``), found along the unique key's index."""
    conn.execute(
        delete(interaction).where(
            interaction.c.owner_id == owner_id,
            interaction.c.source == "calendar",
            or_(
                interaction.c.natural_key == key,
                and_(
                    interaction.c.natural_key > key + "#",
                    interaction.c.natural_key < key + "$",
                    interaction.c.thread == key,
                ),
            ),
        )
    )


def upsert_meeting(
    conn: Connection, owner_id: int, values: dict[str, Any], attendees: Sequence[dict[str, Any]]
) -> bool:
    """Insert or replace a meeting by UID; True when it is new or changed."""
    found = conn.execute(
        select(meeting).where(meeting.c.owner_id == owner_id, meeting.c.uid == values["uid"])
    ).first()
    if found is not None:
        same = all(getattr(found, k) == v for k, v in values.items() if k not in ("locator",))
        if same:
            return False
        conn.execute(delete(meeting).where(meeting.c.id == found.id))
    result = conn.execute(insert(meeting).values(owner_id=owner_id, **values))
    pk = result.inserted_primary_key
    assert pk is not None
    if attendees:
        conn.execute(
            insert(meeting_attendee),
            [{**a, "meeting_id": int(pk[0]), "owner_id": owner_id} for a in attendees],
        )
    return True


def count_messages(conn: Connection, owner_id: int) -> int:
    return int(
        conn.execute(
            select(func.count()).select_from(message).where(message.c.owner_id == owner_id)
        ).scalar()
        or 0
    )


def frequent_sent_senders(
    conn: Connection, owner_id: int, limit: int = 5
) -> list[tuple[str, int, int]]:
    """(address, messages sent from it found in sent folders, all messages from it), commonest first."""
    sent = (
        select(message.c.sender, func.count().label("n"))
        .where(
            message.c.owner_id == owner_id,
            message.c.in_sent.is_(True),
            message.c.sender.is_not(None),
        )
        .group_by(message.c.sender)
        .order_by(func.count().desc(), message.c.sender)
        .limit(limit)
    )
    out = []
    for r in conn.execute(sent):
        total = (
            conn.execute(
                select(func.count())
                .select_from(message)
                .where(message.c.owner_id == owner_id, message.c.sender == r.sender)
            ).scalar()
            or 0
        )
        out.append((r.sender, int(r.n), int(total)))
    return out
