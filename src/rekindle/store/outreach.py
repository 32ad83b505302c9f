"""Queries on the outreach log: every draft, send and logged call or coffee."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    union_all,
    update,
)

from rekindle.store.schema import interaction, interaction_person, person
from rekindle.store.schema_engine import outreach
from rekindle.store.schema_history import message

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
    variant: int | None = None,
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
            variant=variant,
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


_OUTREACH_OF = (  # built once: the Person page reads it every time
    select(outreach)
    .where(
        outreach.c.owner_id == bindparam("owner_id"),
        outreach.c.person_id == bindparam("person_id"),
    )
    .order_by(outreach.c.created_at.desc(), outreach.c.id.desc())
)


def outreach_of(conn: Connection, owner_id: int, person_id: int) -> list[Any]:
    """A person's outreach, newest first."""
    return list(conn.execute(_OUTREACH_OF, {"owner_id": owner_id, "person_id": person_id}))


def last_delivered(conn: Connection, owner_id: int) -> dict[int, datetime]:
    """Per person, when the newest outreach that reached them went out (sent or logged)."""
    when = func.coalesce(outreach.c.sent_at, outreach.c.created_at)
    rows = conn.execute(
        select(outreach.c.person_id, func.max(when))
        .where(outreach.c.owner_id == owner_id, outreach.c.status.in_(DELIVERED))
        .group_by(outreach.c.person_id)
    )
    return {int(pid): at for pid, at in rows if at is not None}


#: outreach that was answered: a reply came, or it was a call or a coffee (answered as it
#: happened); only these end a tie's silence, your own unanswered message does not
ANSWERED = ("replied", "logged")


def last_answered(
    conn: Connection, owner_id: int, person_id: int | None = None
) -> dict[int, datetime]:
    """Per person, when an outreach of yours was last answered: the reply (or the message, when
    the reply has no date) of a replied one, the date of a logged call or coffee."""
    when = case(
        (outreach.c.status == "replied", func.coalesce(outreach.c.replied_at, outreach.c.sent_at)),
        else_=func.coalesce(outreach.c.sent_at, outreach.c.created_at),
    )
    stmt = (
        select(outreach.c.person_id, func.max(when))
        .where(outreach.c.owner_id == owner_id, outreach.c.status.in_(ANSWERED))
        .group_by(outreach.c.person_id)
    )
    if person_id is not None:
        stmt = stmt.where(outreach.c.person_id == person_id)
    return {int(pid): at for pid, at in conn.execute(stmt) if at is not None}


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


def get_outreach(conn: Connection, owner_id: int, outreach_id: int) -> Any | None:
    return conn.execute(
        select(outreach).where(outreach.c.owner_id == owner_id, outreach.c.id == outreach_id)
    ).first()


def last_delivered_to(
    conn: Connection, owner_id: int, person_id: int, *, except_id: int | None = None
) -> datetime | None:
    """When the newest outreach that reached one person went out (for the duplicate lock)."""
    when = func.coalesce(outreach.c.sent_at, outreach.c.created_at)
    stmt = select(func.max(when)).where(
        outreach.c.owner_id == owner_id,
        outreach.c.person_id == person_id,
        outreach.c.status.in_(DELIVERED),
    )
    if except_id is not None:
        stmt = stmt.where(outreach.c.id != except_id)
    found = conn.execute(stmt).scalar()
    return found if isinstance(found, datetime) else None


def list_outreach(
    conn: Connection,
    owner_id: int,
    person_id: int | None = None,
    statuses: Sequence[str] | None = None,
    limit: int | None = None,
    outreach_id: int | None = None,
) -> list[Any]:
    """The log, newest first, with each person's display name."""
    when = func.coalesce(outreach.c.sent_at, outreach.c.created_at).label("at")
    stmt = (
        select(outreach, person.c.display_name, when)
        .join(person, person.c.id == outreach.c.person_id)
        .where(outreach.c.owner_id == owner_id)
        .order_by(when.desc(), outreach.c.id.desc())
    )
    if person_id is not None:
        stmt = stmt.where(outreach.c.person_id == person_id)
    if statuses:
        stmt = stmt.where(outreach.c.status.in_(list(statuses)))
    if outreach_id is not None:
        stmt = stmt.where(outreach.c.id == outreach_id)
    if limit:
        stmt = stmt.limit(limit)
    return list(conn.execute(stmt))


def delete_outreach(conn: Connection, owner_id: int, outreach_id: int) -> int:
    result = conn.execute(
        delete(outreach).where(outreach.c.owner_id == owner_id, outreach.c.id == outreach_id)
    )
    return int(result.rowcount or 0)


def replies_to_sent(conn: Connection, owner_id: int) -> list[tuple[int, datetime]]:
    """Sent outreach (or closed without reply: a late reply still counts) that has a reply
    now, and when the first reply came: inbound contact
    with the person after the send, or inbound mail naming its Message-ID (In-Reply-To or
    thread root). One query over every waiting outreach."""
    waiting = and_(
        outreach.c.owner_id == owner_id,
        outreach.c.status.in_(("sent", "no-reply")),
        outreach.c.sent_at.is_not(None),
    )
    # a reply counts from the send; after one you marked no-reply yourself (it has an outcome,
    # one closed by its reply window has none) only from then: the mail before it was no reply
    marked = and_(outreach.c.status == "no-reply", outreach.c.outcome.is_not(None))
    marked_at = func.coalesce(outreach.c.closed_at, outreach.c.sent_at)
    since = case((marked, marked_at), else_=outreach.c.sent_at)
    by_person = (
        select(outreach.c.id.label("oid"), interaction.c.occurred_at.label("at"))
        .join(interaction_person, interaction_person.c.person_id == outreach.c.person_id)
        .join(interaction, interaction.c.id == interaction_person.c.interaction_id)
        .where(
            waiting,
            interaction.c.direction == "in",
            interaction.c.occurred_at > since,
        )
    )
    by_thread = (
        select(outreach.c.id.label("oid"), message.c.occurred_at.label("at"))
        .join(
            message,
            and_(
                message.c.owner_id == outreach.c.owner_id,
                or_(
                    message.c.in_reply_to == outreach.c.message_id,
                    message.c.thread == outreach.c.message_id,
                ),
            ),
        )
        .where(
            waiting,
            outreach.c.message_id.is_not(None),
            message.c.direction == "in",
            message.c.occurred_at.is_not(None),
            or_(~marked, message.c.occurred_at > marked_at),
        )
    )
    found = union_all(by_person, by_thread).subquery()
    rows = conn.execute(
        select(found.c.oid, func.min(found.c.at)).group_by(found.c.oid).order_by(found.c.oid)
    )
    return [(int(oid), at) for oid, at in rows if at is not None]


def mark_replied(conn: Connection, owner_id: int, replies: Sequence[tuple[int, datetime]]) -> None:
    """Set many outreach to replied at once, each with its reply time."""
    if not replies:
        return
    conn.execute(
        update(outreach)
        .where(outreach.c.owner_id == owner_id, outreach.c.id == bindparam("oid"))
        .values(
            status="replied",
            replied_at=bindparam("at"),
            # a later reply overrules your no-reply: its mark goes
            outcome=case((outreach.c.outcome == "no-reply", None), else_=outreach.c.outcome),
        ),
        [{"oid": oid, "at": at} for oid, at in replies],
    )


def open_sends(conn: Connection, owner_id: int) -> list[Any]:
    """Sent first messages (not follow-ups) still waiting: neither replied nor closed, with
    each person's display name, oldest first."""
    return list(
        conn.execute(
            select(outreach, person.c.display_name)
            .join(person, person.c.id == outreach.c.person_id)
            .where(
                outreach.c.owner_id == owner_id,
                outreach.c.status == "sent",
                outreach.c.parent_id.is_(None),
                outreach.c.closed_at.is_(None),
            )
            .order_by(outreach.c.sent_at, outreach.c.id)
        )
    )


def children_of(conn: Connection, owner_id: int, parent_id: int) -> list[Any]:
    """The follow-ups of one outreach (drafts and sent), oldest first."""
    return list(
        conn.execute(
            select(outreach)
            .where(outreach.c.owner_id == owner_id, outreach.c.parent_id == parent_id)
            .order_by(outreach.c.id)
        )
    )


def close_with_follow_ups(
    conn: Connection, owner_id: int, outreach_id: int, status: str, at: datetime
) -> None:
    """Close an outreach and its sent follow-up together (``no-reply``, ``declined``)."""
    conn.execute(
        update(outreach)
        .where(
            outreach.c.owner_id == owner_id,
            or_(
                outreach.c.id == outreach_id,
                and_(outreach.c.parent_id == outreach_id, outreach.c.status == "sent"),
            ),
        )
        .values(status=status, closed_at=at)
    )


def attempts_by_person(
    conn: Connection, owner_id: int, person_ids: Sequence[int] | None = None
) -> dict[int, list[Any]]:
    """Per person, every first message or logged contact that reached them (follow-ups are
    part of their message), oldest first: what the plan learns from."""
    stmt = (
        select(
            outreach.c.person_id,
            func.coalesce(outreach.c.sent_at, outreach.c.created_at).label("sent_at"),
            outreach.c.medium,
            outreach.c.intent,
            outreach.c.status,
            outreach.c.outcome,
            outreach.c.replied_at,
            outreach.c.closed_at,
            outreach.c.followed_up_at,
        )
        .where(
            outreach.c.owner_id == owner_id,
            outreach.c.status.in_(DELIVERED),
            outreach.c.parent_id.is_(None),
        )
        .order_by(outreach.c.person_id, outreach.c.id)
    )
    if person_ids is not None:
        stmt = stmt.where(outreach.c.person_id.in_(list(person_ids)))
    found: dict[int, list[Any]] = {}
    for row in conn.execute(stmt):
        found.setdefault(int(row.person_id), []).append(row)
    return found


def waiting_on(conn: Connection, owner_id: int, person_id: int) -> Any | None:
    """The person's newest sent outreach still waiting for a reply (sent_at, follow_up_due),
    or None."""
    return conn.execute(
        select(outreach.c.sent_at, outreach.c.follow_up_due)
        .where(
            outreach.c.owner_id == owner_id,
            outreach.c.person_id == person_id,
            outreach.c.status == "sent",
            outreach.c.closed_at.is_(None),
            outreach.c.sent_at.is_not(None),
        )
        .order_by(outreach.c.sent_at.desc())
        .limit(1)
    ).first()
