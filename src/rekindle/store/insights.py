"""Counts for the Insights page, aggregated in SQL: outreach by week, medium and intent, the
silence before each outreach, people by time since last contact and by tier.

An "outreach" here is a first message or a logged call or coffee that reached the person
(not a draft, not a follow-up: a follow-up counts with the message it follows). It drew a
reply when they wrote back (status ``replied``), or when a logged call or meeting has an outcome
recorded (``rekindle outreach outcome``: its reply time is set); a decline is an answer but no
reply. The status is the truth: a message marked ``no-reply`` after a reply was recorded counts
as unanswered.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, case, func, literal, or_, select

from rekindle.store.outreach import DELIVERED
from rekindle.store.schema import interaction, interaction_person, person, person_edit
from rekindle.store.schema_engine import outreach
from rekindle.store.schema_history import tie_stats
from rekindle.store.tier_sql import inferred_tier

#: statuses of a message that went out and may get a reply (a logged call is not waiting)
MESSAGES = ("sent", "replied", "no-reply", "declined")
#: the bucket of people never contacted at all
NEVER = "never"


def sent_when() -> Any:
    return func.coalesce(outreach.c.sent_at, outreach.c.created_at)


def reached(owner_id: int) -> Any:
    """First messages, calls and meetings that reached the person (no drafts, no follow-ups)."""
    return and_(
        outreach.c.owner_id == owner_id,
        outreach.c.parent_id.is_(None),
        outreach.c.status.in_(DELIVERED),
    )


def replied() -> Any:
    """They wrote back, or a logged call or meeting had an outcome (a decline is no reply)."""
    return or_(
        outreach.c.status == "replied",
        and_(outreach.c.status == "logged", outreach.c.replied_at.is_not(None)),
    )


def _declined() -> Any:
    return outreach.c.status == "declined"


def counted() -> Any:
    """What the reply rates count: messages that could get a reply, and logged calls or
    meetings with an outcome (one logged without says nothing either way)."""
    return or_(outreach.c.status.in_(MESSAGES), replied())


def settled(waiting_since: datetime) -> Any:
    """A message whose fate is known: replied, closed, or sent before ``waiting_since`` (its
    reply window has passed). One sent a minute ago is neither answered nor unanswered yet."""
    return or_(replied(), outreach.c.status != "sent", sent_when() < waiting_since)


def settled_outreach(owner_id: int, waiting_since: datetime) -> Any:
    """The outreach the reply rates read: reached the person, counted, settled."""
    return and_(reached(owner_id), counted(), settled(waiting_since))


def last_word_before(owner_id: int, waiting_since: datetime) -> Any:
    """A subquery of each settled message (``oid``) and when the person last wrote to you, or
    you met or called, before it (``at``); messages with no such contact have no row. One
    grouped join through the person's interaction index (measured on 1,000,000 interactions:
    a correlated lookup per message is a little faster on SQLite and two to four times slower
    on PostgreSQL)."""
    return (
        select(outreach.c.id.label("oid"), func.max(interaction.c.occurred_at).label("at"))
        .join(interaction_person, interaction_person.c.person_id == outreach.c.person_id)
        .join(interaction, interaction.c.id == interaction_person.c.interaction_id)
        .where(
            settled_outreach(owner_id, waiting_since),
            # scoped on interaction_person: a condition on interaction.owner_id leads SQLite
            # to walk every earlier interaction by (owner_id, occurred_at) instead
            interaction_person.c.owner_id == owner_id,
            interaction.c.direction.in_(("in", "both")),
            interaction.c.occurred_at < sent_when(),
        )
        .group_by(outreach.c.id)
        .subquery()
    )


def waiting(conn: Connection, owner_id: int, waiting_since: datetime) -> int:
    """Messages still within their reply window (sent since ``waiting_since``, no reply)."""
    found = conn.execute(
        select(func.count()).where(
            reached(owner_id), outreach.c.status.in_(MESSAGES), ~settled(waiting_since)
        )
    ).scalar()
    return int(found or 0)


def outreach_per_week(conn: Connection, owner_id: int, bounds: Sequence[datetime]) -> list[int]:
    """How many outreach went out between each pair of ``bounds`` (ascending): week ``i`` is
    ``[bounds[i], bounds[i+1])``. One query, one conditional sum per week."""
    if len(bounds) < 2:
        return []
    when = sent_when()
    columns = [
        func.coalesce(func.sum(case((and_(when >= s, when < e), 1), else_=0)), 0)
        for s, e in zip(bounds, bounds[1:], strict=False)
    ]
    row = conn.execute(
        select(*columns).where(reached(owner_id), when >= bounds[0], when < bounds[-1])
    ).one()
    return [int(v or 0) for v in row]


def replies_by(
    conn: Connection, owner_id: int, key: str, waiting_since: datetime
) -> list[tuple[str, int, int, int]]:
    """(medium or intent, sent, replied, declined), for what :func:`counted` counts whose
    reply window (sent before ``waiting_since``) has passed unless they replied."""
    column = {"medium": outreach.c.medium, "intent": outreach.c.intent}[key]
    answered = func.sum(case((replied(), 1), else_=0))
    declined = func.sum(case((_declined(), 1), else_=0))
    rows = conn.execute(
        select(column, func.count(), answered, declined)
        .where(settled_outreach(owner_id, waiting_since))
        .group_by(column)
        .order_by(column)
    )
    return [(str(k), int(n), int(r or 0), int(d or 0)) for k, n, r, d in rows]


def messages_with_silence(
    conn: Connection, owner_id: int, waiting_since: datetime
) -> list[tuple[datetime, Any, bool]]:
    """Each settled message (replied, or past its reply window: see :func:`replies_by`): when it
    went, when they last wrote to you or you met or called before it (None: never: see
    :func:`last_word_before`), and whether it drew a reply."""
    when = sent_when()
    messages = settled_outreach(owner_id, waiting_since)
    last = last_word_before(owner_id, waiting_since)
    rows = conn.execute(
        select(when, last.c.at, case((replied(), literal(1)), else_=literal(0)))
        .outerjoin(last, last.c.oid == outreach.c.id)
        .where(messages)
    )
    return [(at, before, bool(replied)) for at, before, replied in rows]


def _people(owner_id: int) -> Any:
    return and_(
        person.c.owner_id == owner_id, person.c.merged_into.is_(None), person.c.is_me.is_(False)
    )


def people_by_last_contact(
    conn: Connection, owner_id: int, cutoffs: Sequence[tuple[str, datetime]], older: str
) -> dict[str, int]:
    """People counted by their last contact: under the first ``(label, since)`` of ``cutoffs``
    (newest first) it is on or after, else under ``older``; never contacted under
    :data:`NEVER`."""
    last = tie_stats.c.last_contact
    bucket = case(
        (last.is_(None), literal(NEVER)),
        *((last >= since, literal(label)) for label, since in cutoffs),
        else_=literal(older),
    ).label("bucket")
    rows = conn.execute(
        select(bucket, func.count())
        .select_from(person.outerjoin(tie_stats, tie_stats.c.person_id == person.c.id))
        .where(_people(owner_id))
        .group_by(bucket)
    )
    return {str(label): int(n) for label, n in rows}


def people_by_tier(
    conn: Connection, owner_id: int, peaks: Sequence[tuple[str, float]], lowest: str
) -> dict[str, int]:
    """People counted by tier: the one set for them, else the first of ``peaks`` their
    strongest tie reached, else ``lowest``. Keys are as stored (an edit's spelling)."""
    edit = (
        select(person_edit.c.person_id, person_edit.c.value)
        .where(person_edit.c.owner_id == owner_id, person_edit.c.field == "tier")
        .subquery()
    )
    inferred = inferred_tier(peaks, lowest)
    tier = func.coalesce(edit.c.value, inferred).label("tier")
    rows = conn.execute(
        select(tier, func.count())
        .select_from(
            person.outerjoin(tie_stats, tie_stats.c.person_id == person.c.id).outerjoin(
                edit, edit.c.person_id == person.c.id
            )
        )
        .where(_people(owner_id))
        .group_by(tier)
    )
    return {str(t): int(n) for t, n in rows}
