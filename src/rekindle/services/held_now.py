"""What holds one person back now, in words with the date it ends: a hold you set (a snooze,
a decline), a message still awaiting its reply, or the rest their silence earned. The draft
checks warn with it; nothing is blocked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from rekindle.services.outcome_learning import learnt_hold
from rekindle.services.suggestion_parts import hold_words
from rekindle.store import engine as eq
from rekindle.store import outreach as oq

#: the words of a wait for a reply start so (a follow-up is no nudge on top of it)
AWAITING = "awaiting a reply"


def held_now(conn: Connection, owner_id: int, person_id: int, now: datetime) -> str | None:
    """Why the person is held back at ``now``, with the hold's end, or None."""
    stored = hold_words(eq.hold_of(conn, owner_id, person_id, now))
    if stored:
        return stored
    waiting = oq.waiting_on(conn, owner_id, person_id)
    if waiting is not None:
        due = waiting.follow_up_due
        then = (
            f"; the one follow-up is due {due:%d %b %Y}"
            if due is not None and due > now
            else "; the one follow-up may go now"
            if due is not None
            else ""
        )
        return f"{AWAITING} to your message of {waiting.sent_at:%d %b %Y}{then}"
    return learnt_hold(conn, owner_id, person_id, now)
