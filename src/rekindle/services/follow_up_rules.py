"""The follow-up rule: one friendly follow-up after ``followup.days`` without reply, then stop.

A sent message is due a follow-up ``followup.days`` (default 10) after it went. The follow-up
may go until the same number of days later again; once it has gone, the thread waits as long
once more for a reply. After that the outreach closes as ``no-reply``: never a third message.
A message recorded after its follow-up date had passed (logged or marked sent with a past
``--at``) is due its follow-up on the day it is recorded, and closes ``followup.days`` later:
you have not followed up yet, so the one follow-up is still offered.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection

from rekindle.store import outreach as oq
from rekindle.store.settings import get_settings

FOLLOW_UP_SETTING = "followup.days"
DEFAULT_FOLLOW_UP_DAYS = 10


def follow_up_days(conn: Connection, owner_id: int) -> int:
    value = get_settings(conn, owner_id).get(FOLLOW_UP_SETTING) or ""
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_FOLLOW_UP_DAYS


def follow_up_due_at(sent_at: datetime, days: int, recorded_at: datetime) -> datetime:
    """When a message sent at ``sent_at`` and recorded at ``recorded_at`` is due its follow-up:
    ``days`` after it went, or on the day it is recorded if that date has passed already."""
    return max(sent_at + timedelta(days=days), recorded_at)


def closes_at(
    sent_at: datetime,
    followed_up_at: datetime | None,
    days: int,
    follow_up_due: datetime | None = None,
) -> datetime:
    """When a sent message without reply closes as no-reply: ``days`` after its follow-up went,
    else ``days`` after the follow-up fell due (twice ``days`` after it went, unless recorded
    late)."""
    if followed_up_at is not None:
        return followed_up_at + timedelta(days=days)
    due = follow_up_due or sent_at + timedelta(days=days)
    return due + timedelta(days=days)


def close_unanswered(conn: Connection, owner_id: int, now: datetime) -> list[int]:
    """Close every sent message whose follow-up window has passed; returns their ids."""
    days = follow_up_days(conn, owner_id)
    closed = []
    for row in oq.open_sends(conn, owner_id):
        if row.sent_at is None:
            continue
        if closes_at(row.sent_at, row.followed_up_at, days, row.follow_up_due) <= now:
            oq.close_with_follow_ups(conn, owner_id, row.id, "no-reply", now)
            closed.append(int(row.id))
    return closed
