"""The SQL behind "is this record me?": people's addresses, the names mail shows on them, and
how an address's mail sits beside mine."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, and_, func, select

from rekindle.store.schema import identity, person
from rekindle.store.schema_history import message, message_address

#: bound the names read per address (a mailing list's address carries thousands)
NAMES_PER_ADDRESS = 20


def emails_by_person(conn: Connection, person_ids: Sequence[int]) -> dict[int, list[str]]:
    """Per person, their email addresses (match keys)."""
    out: dict[int, list[str]] = defaultdict(list)
    ids = list(person_ids)
    for start in range(0, len(ids), 900):
        for r in conn.execute(
            select(identity.c.person_id, identity.c.value)
            .where(identity.c.person_id.in_(ids[start : start + 900]), identity.c.kind == "email")
            .order_by(identity.c.id)
        ):
            out[int(r.person_id)].append(r.value)
    return out


def people_with_email(conn: Connection, owner_id: int) -> dict[int, str]:
    """Everyone but me with at least one email address: id -> display name."""
    rows = conn.execute(
        select(person.c.id, person.c.display_name)
        .where(
            person.c.owner_id == owner_id,
            person.c.merged_into.is_(None),
            person.c.is_me.is_(False),
            person.c.id.in_(select(identity.c.person_id).where(identity.c.kind == "email")),
        )
        .order_by(person.c.id)
    )
    return {int(r.id): r.display_name for r in rows}


def names_on(conn: Connection, owner_id: int, addresses: Iterable[str]) -> dict[str, list[str]]:
    """Per address, the names mail showed beside it (at most :data:`NAMES_PER_ADDRESS`)."""
    out: dict[str, list[str]] = defaultdict(list)
    wanted = sorted(set(addresses))
    for start in range(0, len(wanted), 900):
        for r in conn.execute(
            select(message_address.c.address, message_address.c.name)
            .distinct()
            .where(
                message_address.c.owner_id == owner_id,
                message_address.c.address.in_(wanted[start : start + 900]),
                message_address.c.name.is_not(None),
            )
        ):
            if len(out[r.address]) < NAMES_PER_ADDRESS:
                out[r.address].append(r.name)
    return out


def mail_beside_me(
    conn: Connection, owner_id: int, address: str, mine: set[str]
) -> tuple[int, int]:
    """(messages from ``address`` to one of my addresses, my messages to it that copied me too)."""
    if not mine:
        return 0, 0
    to_me = select(message_address.c.message_id).where(
        message_address.c.owner_id == owner_id,
        message_address.c.role.in_(("to", "cc", "bcc")),
        message_address.c.address.in_(sorted(mine)),
    )
    from_it = (
        conn.execute(
            select(func.count())
            .select_from(message)
            .where(
                message.c.owner_id == owner_id,
                message.c.sender == address,
                message.c.id.in_(to_me),
            )
        ).scalar()
        or 0
    )
    to_it = select(message_address.c.message_id).where(
        message_address.c.owner_id == owner_id,
        message_address.c.role.in_(("to", "cc", "bcc")),
        message_address.c.address == address,
    )
    copied = (
        conn.execute(
            select(func.count())
            .select_from(message)
            .where(
                and_(
                    message.c.owner_id == owner_id,
                    message.c.sender.in_(sorted(mine)),
                    message.c.id.in_(to_it),
                    message.c.id.in_(to_me),
                )
            )
        ).scalar()
        or 0
    )
    return int(from_it), int(copied)
