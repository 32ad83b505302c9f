"""The threads a new address wrote in, and the other addresses on them (for
:mod:`rekindle.identity.new_address`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, update

from rekindle.store.schema import identity, merge_suggestion, person
from rekindle.store.schema_history import message, message_address

#: at most this many (address, thread, other address) rows are read per call
ROW_LIMIT = 5000


def thread_company(conn: Connection, owner_id: int, addresses: Sequence[str]) -> list[Any]:
    """(address, thread, subject, other address, first time of the address on the thread,
    last time of the other) for each of ``addresses`` and each other address sharing a
    personal (not bulk) thread with it."""
    if not addresses:
        return []
    mine, theirs = message_address.alias("mine"), message_address.alias("theirs")
    m1, m2 = message.alias("m1"), message.alias("m2")
    stmt = (
        select(
            mine.c.address,
            m1.c.thread,
            func.min(m1.c.subject).label("subject"),
            theirs.c.address.label("other"),
            func.min(m1.c.occurred_at).label("new_first"),
            func.max(m2.c.occurred_at).label("other_last"),
        )
        .select_from(
            mine.join(m1, m1.c.id == mine.c.message_id)
            .join(m2, and_(m2.c.owner_id == m1.c.owner_id, m2.c.thread == m1.c.thread))
            .join(theirs, theirs.c.message_id == m2.c.id)
        )
        .where(
            mine.c.owner_id == owner_id,
            mine.c.address.in_(list(addresses)),
            m1.c.thread.is_not(None),
            m1.c.bulk.is_(None),
            m2.c.bulk.is_(None),
            theirs.c.address != mine.c.address,
        )
        .group_by(mine.c.address, m1.c.thread, theirs.c.address)
        .limit(ROW_LIMIT)
    )
    return list(conn.execute(stmt))


def display_names(conn: Connection, person_ids: Sequence[int]) -> dict[int, str]:
    rows = conn.execute(
        select(person.c.id, person.c.display_name).where(person.c.id.in_(list(person_ids)))
    )
    return {int(r.id): r.display_name for r in rows}


def put_suggestion(
    conn: Connection,
    owner_id: int,
    pair: tuple[int, int],
    score: float,
    rule: str,
    reasons: list[str],
    now: datetime,
) -> bool:
    """Suggest merging ``pair`` with these reasons: a new suggestion, or a pending one made
    stronger (its reasons first); False when the user decided on the pair already."""
    a, b = min(pair), max(pair)
    where = and_(
        merge_suggestion.c.owner_id == owner_id,
        merge_suggestion.c.person_a == a,
        merge_suggestion.c.person_b == b,
    )
    found = conn.execute(select(merge_suggestion).where(where)).first()
    if found is None:
        conn.execute(
            insert(merge_suggestion).values(
                owner_id=owner_id,
                person_a=a,
                person_b=b,
                score=score,
                rule=rule,
                reasons=json.dumps(reasons),
                status="pending",
                created_at=now,
            )
        )
        return True
    if found.status != "pending":
        return False
    merged = list(dict.fromkeys([*reasons, *json.loads(found.reasons or "[]")]))
    conn.execute(
        update(merge_suggestion)
        .where(where)
        .values(score=max(score, found.score), rule=rule, reasons=json.dumps(merged))
    )
    return True


def address_displays(conn: Connection, owner_id: int, keys: Sequence[str]) -> dict[str, str]:
    """Each email key as the user's records write it (``maria.g@gmail.com`` for
    ``mariag@gmail.com``)."""
    rows = conn.execute(
        select(identity.c.value, identity.c.display)
        .where(
            identity.c.owner_id == owner_id,
            identity.c.kind == "email",
            identity.c.value.in_(list(keys)),
        )
        .order_by(identity.c.id)
    )
    out: dict[str, str] = {}
    for r in rows:
        out.setdefault(r.value, r.display or r.value)
    return out
