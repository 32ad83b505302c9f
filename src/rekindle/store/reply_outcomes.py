"""The settled messages the reply learning reads (:mod:`rekindle.engine.reply_learning`):
each one's medium, intent, the person's tier, the silence before it and whether it drew a reply.

"Settled" and "replied" are the Insights page's (:mod:`rekindle.store.insights`): a first
message that reached the person (or a logged call or meeting with an outcome), replied, closed
or past its reply window. A decline is an answer but no reply.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, case, func, literal, select

from rekindle.store.insights import last_word_before, replied, sent_when, settled_outreach
from rekindle.store.schema import person_edit
from rekindle.store.schema_engine import outreach
from rekindle.store.schema_history import tie_stats
from rekindle.store.tier_sql import inferred_tier


def settled_messages(
    conn: Connection,
    owner_id: int,
    waiting_since: datetime,
    peaks: Sequence[tuple[str, float]],
    lowest: str,
) -> list[tuple[str, str, str, datetime, Any, bool, int | None]]:
    """(medium, intent, tier, sent at, their last word before it or None, replied, template
    variant or None) for each settled message; the tier is the person's now (set by you, else
    what the history shows)."""
    when = sent_when()
    messages = settled_outreach(owner_id, waiting_since)
    last = last_word_before(owner_id, waiting_since)
    edit = (
        select(person_edit.c.person_id, person_edit.c.value)
        .where(person_edit.c.owner_id == owner_id, person_edit.c.field == "tier")
        .subquery()
    )
    tier = func.coalesce(edit.c.value, inferred_tier(peaks, lowest))
    rows = conn.execute(
        select(
            outreach.c.medium,
            outreach.c.intent,
            tier,
            when,
            last.c.at,
            case((replied(), literal(1)), else_=literal(0)),
            outreach.c.variant,
        )
        .select_from(
            outreach.outerjoin(last, last.c.oid == outreach.c.id)
            .outerjoin(tie_stats, tie_stats.c.person_id == outreach.c.person_id)
            .outerjoin(edit, edit.c.person_id == outreach.c.person_id)
        )
        .where(messages)
        .order_by(outreach.c.id)
    )
    return [
        (str(m), str(i), str(t).strip().lower(), at, before, bool(a), v)
        for m, i, t, at, before, a, v in rows
    ]
