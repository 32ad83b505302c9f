"""`rekindle followups`: what is due, each with a follow-up draft ready in the log.

One follow-up per message, ``followup.days`` after it went without reply (see
:mod:`follow_up_rules`); past its window the message closes as no-reply. Replies and help
received propose a thank-you.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from rekindle.compose.drafting import FOLLOW_UP, render_follow_up
from rekindle.engine.value_ledger import HELP_OUTCOMES, TALK_OUTCOMES
from rekindle.errors import UserError
from rekindle.services import drafting
from rekindle.services.follow_up_rules import close_unanswered, closes_at, follow_up_days
from rekindle.store import Store
from rekindle.store import outreach as oq
from rekindle.store.database import utcnow

#: media a follow-up can go by (a call is followed up by calling again, not by a reminder)
FOLLOW_UP_MEDIA = ("email", "linkedin", "sms")
#: a reply or help received this recently, with no thanks since, proposes a thank-you
THANKS_WINDOW_DAYS = 30


@dataclass
class DueFollowUp:
    outreach_id: int
    person_id: int
    person: str
    medium: str
    sent_at: datetime
    due: datetime
    closes: datetime
    draft_id: int
    subject: str | None
    body: str

    def as_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        for key in ("sent_at", "due", "closes"):
            data[key] = data[key].astimezone(UTC).isoformat()
        return data


@dataclass
class ThanksDue:
    person_id: int
    person: str
    outreach_id: int
    why: str
    command: str


def _follow_up_draft(
    conn: Connection, store: Store, row: Any, now: datetime
) -> tuple[int, str | None, str]:
    """The follow-up draft of ``row``: the one saved earlier, else a new one in the log."""
    for child in oq.children_of(conn, store.owner_id, row.id):
        if child.status == "draft":
            return int(child.id), child.subject, child.body
    facts = drafting.gather_facts(conn, store.owner_id, row.person_id, now)
    draft = render_follow_up(
        drafting.template_set(store),
        facts,
        row.medium,
        row.sent_at,
        row.subject,
        drafting.language(store),
    )
    draft_id = oq.add_outreach(
        conn,
        store.owner_id,
        row.person_id,
        intent=FOLLOW_UP,
        medium=row.medium,
        status="draft",
        at=now,
        body=draft.body,
        subject=draft.subject,
        parent_id=row.id,
    )
    return draft_id, draft.subject, draft.body


def due_follow_ups(store: Store, now: datetime | None = None) -> tuple[list[DueFollowUp], int]:
    """The follow-ups due now, each with its draft saved in the log; and how many messages
    were closed as no-reply because their window passed."""
    now = now or utcnow()
    found = []
    with store.begin() as conn:
        closed = close_unanswered(conn, store.owner_id, now)
        days = follow_up_days(conn, store.owner_id)
        for row in oq.open_sends(conn, store.owner_id):
            if row.followed_up_at is not None or row.medium not in FOLLOW_UP_MEDIA:
                continue
            due = row.follow_up_due or row.sent_at + timedelta(days=days)
            if due > now:
                continue
            draft_id, subject, body = _follow_up_draft(conn, store, row, now)
            found.append(
                DueFollowUp(
                    row.id,
                    row.person_id,
                    row.display_name,
                    row.medium,
                    row.sent_at,
                    due,
                    closes_at(row.sent_at, None, days, due),
                    draft_id,
                    subject,
                    body,
                )
            )
    return found, len(closed)


def skip(store: Store, outreach_id: int, now: datetime | None = None) -> None:
    """No follow-up for this one: close it as no-reply now (its follow-up draft is dropped)."""
    now = now or utcnow()
    with store.begin() as conn:
        row = oq.get_outreach(conn, store.owner_id, outreach_id)
        if row is None or row.status != "sent" or row.parent_id is not None:
            raise UserError(
                f"#{outreach_id} is not a sent message waiting for a reply",
                hint="`rekindle followups` lists those",
            )
        for child in oq.children_of(conn, store.owner_id, outreach_id):
            if child.status == "draft":
                oq.delete_outreach(conn, store.owner_id, child.id)
        oq.close_with_follow_ups(conn, store.owner_id, outreach_id, "no-reply", now)


def thanks_due(store: Store, now: datetime | None = None) -> list[ThanksDue]:
    """People who replied or helped lately and have not been thanked since."""
    now = now or utcnow()
    since = now - timedelta(days=THANKS_WINDOW_DAYS)
    found: dict[int, ThanksDue] = {}
    with store.read() as conn:
        rows = oq.list_outreach(conn, store.owner_id, limit=None)
        thanked: dict[int, datetime] = {}
        for r in rows:
            if r.intent == "thank":
                at = r.sent_at or r.created_at
                thanked[r.person_id] = max(at, thanked.get(r.person_id, at))
        for r in rows:
            outcome = (r.outcome or "").lower()
            helped = outcome in HELP_OUTCOMES or outcome in TALK_OUTCOMES
            when = r.replied_at or (r.closed_at if helped else None)
            if r.intent == "thank" or when is None or when < since:
                continue
            if r.status != "replied" and not helped:
                continue
            if thanked.get(r.person_id, datetime.min.replace(tzinfo=UTC)) >= when:
                continue
            why = f"{outcome} on {when:%Y-%m-%d}" if helped else f"replied on {when:%Y-%m-%d}"
            found.setdefault(
                r.person_id,
                ThanksDue(
                    r.person_id,
                    r.display_name,
                    r.id,
                    why,
                    f"rekindle draft {r.person_id} --intent thank --save",
                ),
            )
    return list(found.values())


def next_due(store: Store, now: datetime | None = None) -> tuple[datetime, str] | None:
    """When the next follow-up falls due after ``now``, and for whom (None: nothing waits)."""
    now = now or utcnow()
    with store.read() as conn:
        days = follow_up_days(conn, store.owner_id)
        upcoming = [
            (row.follow_up_due or row.sent_at + timedelta(days=days), row.display_name)
            for row in oq.open_sends(conn, store.owner_id)
            if row.followed_up_at is None and row.medium in FOLLOW_UP_MEDIA
        ]
    later = [(due, name) for due, name in upcoming if due > now]
    return min(later, key=lambda found: found[0]) if later else None


def revise(store: Store, draft_id: int, subject: str | None, body: str) -> None:
    """Keep your edits to a follow-up draft (it stays the one follow-up of its message)."""
    if not body.strip():
        raise UserError("the follow-up is empty", hint="write a line or two, or skip it")
    with store.begin() as conn:
        row = oq.get_outreach(conn, store.owner_id, draft_id)
        if row is None or row.parent_id is None or row.intent != FOLLOW_UP:
            raise UserError(
                f"#{draft_id} is not a follow-up draft", hint="`rekindle followups` lists them"
            )
        if row.status != "draft":
            raise UserError(
                f"follow-up #{draft_id} is {row.status} already; nothing was changed",
                hint="one follow-up per message, never a second",
            )
        oq.update_outreach(conn, store.owner_id, draft_id, subject=subject, body=body.strip())
