"""Queries on the outreach log: every draft, send and logged call or coffee."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from rekindle.store.schema_engine import outreach

#: statuses of an outreach that reached the person (a draft has not)
DELIVERED = ("sent", "replied", "no-reply", "declined", "logged")


def add_outreach(
    conn: Connection,
    owner_id: int,
    person_id: int,
    *,
    intent: str,
    medium: str,
    status: str,
    at: datetime,
    body: str = "",
    subject: str | None = None,
    note: str | None = None,
    sent_at: datetime | None = None,
    follow_up_due: datetime | None = None,
    parent_id: int | None = None,
) -> int:
    result = conn.execute(
        insert(outreach).values(
            owner_id=owner_id,
            person_id=person_id,
            intent=intent,
            medium=medium,
            status=status,
            created_at=at,
            body=body,
            subject=subject,
            note=note,
            sent_at=sent_at,
            follow_up_due=follow_up_due,
            parent_id=parent_id,
        )
    )
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def update_outreach(conn: Connection, owner_id: int, outreach_id: int, **values: Any) -> None:
    conn.execute(
        update(outreach)
        .where(outreach.c.owner_id == owner_id, outreach.c.id == outreach_id)
        .values(**values)
    )


def outreach_of(conn: Connection, owner_id: int, person_id: int) -> list[Any]:
    """A person's outreach, newest first."""
    return list(
        conn.execute(
            select(outreach)
            .where(outreach.c.owner_id == owner_id, outreach.c.person_id == person_id)
            .order_by(outreach.c.created_at.desc(), outreach.c.id.desc())
        )
    )


def last_delivered(conn: Connection, owner_id: int) -> dict[int, datetime]:
    """Per person, when the newest outreach that reached them went out (sent or logged)."""
    when = func.coalesce(outreach.c.sent_at, outreach.c.created_at)
    rows = conn.execute(
        select(outreach.c.person_id, func.max(when))
        .where(outreach.c.owner_id == owner_id, outreach.c.status.in_(DELIVERED))
        .group_by(outreach.c.person_id)
    )
    return {int(pid): at for pid, at in rows if at is not None}


def awaiting_reply(conn: Connection, owner_id: int) -> dict[int, datetime]:
    """People with a sent outreach that has neither a reply nor a close yet, and when it went."""
    rows = conn.execute(
        select(outreach.c.person_id, func.max(outreach.c.sent_at))
        .where(
            outreach.c.owner_id == owner_id,
            outreach.c.status == "sent",
            outreach.c.closed_at.is_(None),
        )
        .group_by(outreach.c.person_id)
    )
    return {int(pid): at for pid, at in rows if at is not None}
