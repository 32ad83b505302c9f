"""Queries of the CardDAV sync: address books, card links, and removing a card's record."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, exists, func, insert, select, update

from rekindle.store.schema import interaction_person, person, source_record
from rekindle.store.schema_carddav import carddav_book, carddav_card


@dataclass(slots=True)
class BookRow:
    id: int
    url: str
    sync_token: str | None


@dataclass(slots=True)
class CardLink:
    """A card on the server and what Rekindle knows of it; ``person_id`` via its record."""

    id: int
    path: str
    uid: str | None
    etag: str | None
    record_id: int | None
    person_id: int | None
    card_view: dict[str, Any]
    person_view: dict[str, Any]
    conflict: dict[str, Any] | None


def ensure_book(conn: Connection, owner_id: int, url: str, name: str) -> BookRow:
    row = conn.execute(
        select(carddav_book).where(carddav_book.c.owner_id == owner_id, carddav_book.c.url == url)
    ).first()
    if row is not None:
        return BookRow(row.id, row.url, row.sync_token)
    result = conn.execute(insert(carddav_book).values(owner_id=owner_id, url=url, name=name))
    pk = result.inserted_primary_key
    assert pk is not None
    return BookRow(int(pk[0]), url, None)


def set_book_token(conn: Connection, book_id: int, token: str | None, now: datetime) -> None:
    conn.execute(
        update(carddav_book)
        .where(carddav_book.c.id == book_id)
        .values(sync_token=token, synced_at=now)
    )


def books(conn: Connection, owner_id: int) -> list[Any]:
    return list(
        conn.execute(
            select(
                carddav_book,
                func.count(carddav_card.c.id).label("cards"),
                func.count(carddav_card.c.conflict).label("conflicts"),
            )
            .outerjoin(carddav_card, carddav_card.c.book_id == carddav_book.c.id)
            .where(carddav_book.c.owner_id == owner_id)
            .group_by(carddav_book.c.id)
            .order_by(carddav_book.c.url)
        )
    )


def card_links(conn: Connection, owner_id: int, book_id: int) -> dict[str, CardLink]:
    rows = conn.execute(
        select(carddav_card, source_record.c.person_id)
        .outerjoin(source_record, source_record.c.id == carddav_card.c.record_id)
        .where(carddav_card.c.owner_id == owner_id, carddav_card.c.book_id == book_id)
        .order_by(carddav_card.c.id)
    )
    return {
        r.path: CardLink(
            r.id,
            r.path,
            r.uid,
            r.etag,
            r.record_id,
            r.person_id,
            json.loads(r.card_view),
            json.loads(r.person_view),
            json.loads(r.conflict) if r.conflict else None,
        )
        for r in rows
    }


def save_link(
    conn: Connection,
    owner_id: int,
    book_id: int,
    path: str,
    *,
    uid: str | None,
    etag: str | None,
    record_id: int | None,
    card_view: dict[str, Any],
    person_view: dict[str, Any],
    now: datetime,
) -> None:
    """Insert or replace the link of the card at ``path``; any waiting conflict is cleared."""
    values = {
        "uid": uid,
        "etag": etag,
        "record_id": record_id,
        "card_view": _dump(card_view),
        "person_view": _dump(person_view),
        "conflict": None,
        "updated_at": now,
    }
    done = conn.execute(
        update(carddav_card)
        .where(carddav_card.c.book_id == book_id, carddav_card.c.path == path)
        .values(**values)
    )
    if not done.rowcount:
        conn.execute(
            insert(carddav_card).values(owner_id=owner_id, book_id=book_id, path=path, **values)
        )


def set_conflict(
    conn: Connection, link_id: int, conflict: dict[str, Any] | None, now: datetime
) -> None:
    conn.execute(
        update(carddav_card)
        .where(carddav_card.c.id == link_id)
        .values(conflict=_dump(conflict) if conflict else None, updated_at=now)
    )


def set_person_view(conn: Connection, link_id: int, view: dict[str, Any], now: datetime) -> None:
    conn.execute(
        update(carddav_card)
        .where(carddav_card.c.id == link_id)
        .values(person_view=_dump(view), updated_at=now)
    )


def drop_link(conn: Connection, link_id: int) -> None:
    conn.execute(delete(carddav_card).where(carddav_card.c.id == link_id))


def remove_record(conn: Connection, owner_id: int, record_id: int) -> int | None:
    """Delete a source record (its facts go with it); delete its person too when nothing else
    is left of them (no other record, no interaction). Returns the person kept, if any."""
    row = conn.execute(
        select(source_record.c.person_id).where(
            source_record.c.owner_id == owner_id, source_record.c.id == record_id
        )
    ).first()
    if row is None:
        return None
    person_id = int(row.person_id)
    conn.execute(delete(source_record).where(source_record.c.id == record_id))
    others = conn.execute(
        select(
            exists().where(source_record.c.person_id == person_id)
            | exists().where(interaction_person.c.person_id == person_id)
        )
    ).scalar()
    if others:
        return person_id
    conn.execute(delete(person).where(person.c.id == person_id, person.c.is_me.is_(False)))
    return None


def linked_person_ids(conn: Connection, owner_id: int) -> set[int]:
    rows = conn.execute(
        select(source_record.c.person_id)
        .join(carddav_card, carddav_card.c.record_id == source_record.c.id)
        .where(carddav_card.c.owner_id == owner_id)
    )
    return {r.person_id for r in rows}


def people_from_mail(conn: Connection, owner_id: int) -> list[int]:
    """Active people whose records all came from mail (learnt from who wrote to whom)."""
    other = (
        select(source_record.c.id)
        .where(source_record.c.person_id == person.c.id, source_record.c.source != "mail")
        .exists()
    )
    mail = (
        select(source_record.c.id)
        .where(source_record.c.person_id == person.c.id, source_record.c.source == "mail")
        .exists()
    )
    rows = conn.execute(
        select(person.c.id)
        .where(
            person.c.owner_id == owner_id,
            person.c.merged_into.is_(None),
            person.c.is_me.is_(False),
            mail,
            ~other,
        )
        .order_by(person.c.id)
    )
    return [r.id for r in rows]


def _dump(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
