"""What you do with a suggestion: done, snooze, dismiss, never, resume; and the goal."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from rekindle.errors import UserError
from rekindle.services.outcome_learning import learnt_hold
from rekindle.services.outreach import declined_days, log_outreach
from rekindle.services.people import resolve_person
from rekindle.services.suggestion_parts import hold_words
from rekindle.services.ties import refresh_ties
from rekindle.store import Store, history
from rekindle.store import engine as eq
from rekindle.store import outreach as oq
from rekindle.store import people as pq
from rekindle.store.database import utcnow
from rekindle.store.recall import LOG_SOURCE

#: a dismissal keeps someone out of the plan this long; a decline keeps the door open longer
DISMISS_DAYS = 90
_SPAN = re.compile(
    r"^\s*(\d+)\s*(d|day|days|w|wk|week|weeks|m|mo|month|months|y|yr|year|years)\s*$"
)
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


def parse_span(text: str, now: datetime) -> datetime:
    """``3m``, ``2w``, ``10d``, ``1y`` from now, or a date (``2027-03-01``)."""
    m = _SPAN.match(text.lower())
    if m:
        days = int(m.group(1)) * _UNIT_DAYS[m.group(2)[0]]
        if days <= 0:
            raise UserError(f"snooze for {text!r}? give a length above zero")
        return now + timedelta(days=days)
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            f"{text!r} is neither a length nor a date",
            hint="use e.g. 3m, 2w, 10d, 1y or 2027-03-01",
        ) from None
    until = datetime(day.year, day.month, day.day, tzinfo=now.tzinfo)
    if until <= now:
        raise UserError(f"{text} is not in the future")
    return until


def _person(store: Store, ref: str, conn: Any) -> tuple[int, str]:
    pid = resolve_person(conn, store.owner_id, ref)
    row = pq.get_person(conn, store.owner_id, pid)
    assert row is not None
    return pid, row.display_name


def mark_done(
    store: Store,
    ref: str,
    medium: str = "other",
    note: str | None = None,
    now: datetime | None = None,
    force: bool = False,
) -> dict[str, Any]:
    """Record that you reached out (outside Rekindle): the outreach log's entry, which resets
    their clock and keeps them out of plans for the lock period."""
    logged = log_outreach(store, ref, medium, note, force=force, now=now)
    return {
        "person_id": logged.person_id,
        "name": logged.person,
        "outreach_id": logged.id,
        "at": logged.at.isoformat(),
    }


def undo_done(store: Store, person_id: int, now: datetime | None = None) -> dict[str, Any]:
    """Take back the latest "done" with a person (a logged call, coffee or message): the log
    entry and the interaction it added go, and their tie is as it was before. A message you
    wrote here and marked sent is not undone here (it went out), nor one already answered or
    followed up."""
    now = now or utcnow()
    with store.begin() as conn:
        pid, name = _person(store, str(person_id), conn)
        rows = [r for r in oq.outreach_of(conn, store.owner_id, pid) if _marked_done(r)]
        if not rows:
            raise UserError(
                "nothing to undo: no call, coffee or message was marked done with them",
                hint="a message marked sent stays in their outreach log",
            )
        row = max(rows, key=lambda r: (r.created_at, r.id))
        history.delete_interaction(conn, store.owner_id, LOG_SOURCE, f"outreach:{row.id}")
        oq.delete_outreach(conn, store.owner_id, row.id)
        refresh_ties(conn, store.owner_id, [pid], now)
    return {"person_id": pid, "name": name, "outreach_id": row.id}


def _marked_done(row: Any) -> bool:
    """A log entry "Mark done" made: a call or coffee, or a message sent elsewhere (no text of
    ours, waiting for its reply: "done" by email is a sent message with a follow-up due)."""
    if row.status == "logged":
        return True
    return (
        row.status == "sent"
        and not row.body
        and row.parent_id is None
        and row.followed_up_at is None
    )


def hold(
    store: Store,
    ref: str,
    kind: str,
    until: datetime | None,
    reason: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    now = now or utcnow()
    with store.begin() as conn:
        pid, name = _person(store, ref, conn)
        eq.add_hold(conn, store.owner_id, pid, kind, now, until, reason)
    return {
        "person_id": pid,
        "name": name,
        "hold": kind,
        "until": until.isoformat() if until else None,
        "reason": reason,
    }


def snooze(store: Store, ref: str, span: str, now: datetime | None = None) -> dict[str, Any]:
    now = now or utcnow()
    return hold(store, ref, "snoozed", parse_span(span, now), None, now)


def dismiss(
    store: Store,
    ref: str,
    reason: str | None = None,
    declined: bool = False,
    now: datetime | None = None,
) -> dict[str, Any]:
    now = now or utcnow()
    days = DISMISS_DAYS
    if declined:
        with store.read() as conn:
            days = declined_days(conn, store.owner_id)
    kind = "declined" if declined else "dismissed"
    return hold(store, ref, kind, now + timedelta(days=days), reason, now)


def never(
    store: Store, ref: str, reason: str | None = None, now: datetime | None = None
) -> dict[str, Any]:
    return hold(store, ref, "never", None, reason, now)


def hold_in_force(store: Store, person_id: int, now: datetime | None = None) -> str | None:
    """What keeps a person out of the plan now, in words ("snoozed until 04 Jan 2027", or
    the rest their unanswered outreach earned)."""
    now = now or utcnow()
    with store.read() as conn:
        return hold_words(eq.hold_of(conn, store.owner_id, person_id, now)) or learnt_hold(
            conn, store.owner_id, person_id, now
        )


def resume(store: Store, ref: str, now: datetime | None = None) -> dict[str, Any]:
    """Lift every hold: those you set, and the rest a decline or silence earned."""
    now = now or utcnow()
    with store.begin() as conn:
        pid, name = _person(store, ref, conn)
        learnt = 1 if learnt_hold(conn, store.owner_id, pid, now) else 0
        lifted = eq.mark_resumed(conn, store.owner_id, pid, now) + learnt
    return {"person_id": pid, "name": name, "lifted": lifted}


def set_goal(store: Store, text: str | None, now: datetime | None = None) -> str | None:
    now = now or utcnow()
    text = (text or "").strip() or None
    if text is not None and len(text) > 500:
        raise UserError("a goal is a sentence, not an essay (500 characters at most)")
    with store.begin() as conn:
        eq.set_goal(conn, store.owner_id, text, now)
    return text


def goals(store: Store) -> list[dict[str, Any]]:
    with store.read() as conn:
        return [
            {
                "text": g.text,
                "active": g.active,
                "since": g.created_at.isoformat(),
                "ended": g.ended_at.isoformat() if g.ended_at else None,
            }
            for g in eq.goals(conn, store.owner_id)
        ]
