"""The outreach log: drafts saved, messages sent, calls and coffees logged, replies found.

Every outreach that reaches a person (sent or logged) is guarded by the duplicate-outreach
lock: a second one within ``plan.lock_days`` (default 30) is refused with the date of the
last one unless forced. Outreach on other media than email is also written to the history as
an interaction, so tie statistics and cadence see the call; sent email arrives with the next
mail sync instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from rekindle.compose.vocabulary import LOG_INTENTS, LOG_MEDIA
from rekindle.engine.person_learning import DEFAULT_DECLINED_DAYS
from rekindle.errors import NotFoundError, UserError
from rekindle.services.follow_up_rules import close_unanswered, follow_up_days, follow_up_due_at
from rekindle.services.outcome_learning import rules_of
from rekindle.services.people import resolve_person
from rekindle.services.ties import refresh_ties
from rekindle.store import Store, history
from rekindle.store import engine as eq
from rekindle.store import outreach as oq
from rekindle.store import people as pq
from rekindle.store.database import utcnow
from rekindle.store.recall import LOG_SOURCE
from rekindle.store.settings import get_settings

if TYPE_CHECKING:  # the drafting module brings Jinja and the name parser: a type is enough
    from rekindle.compose.drafting import Draft

#: how each medium shows in the history, and which way it went
_CHANNELS = {
    "email": ("email", "out"),
    "linkedin": ("message", "out"),
    "sms": ("sms", "out"),
    "call": ("call", "both"),
    "video": ("call", "both"),
    "coffee": ("meeting", "both"),
    "meeting": ("meeting", "both"),
    "other": ("other", "out"),
}
#: logged media that are a message waiting for an answer: followed up and matched to the
#: reply as one sent through Rekindle (a call or a coffee was answered as it happened)
MESSAGE_MEDIA = ("email", "linkedin", "sms")
#: statuses a user may set on an outreach after the fact
MARKS = ("replied", "no-reply", "declined")
#: statuses that say there was no reply (a decline is an answer, not a reply)
CLOSED_UNREPLIED = ("no-reply", "declined")
#: a decline keeps the person out of plans this long (the plan's `dismiss --declined`), unless
#: the setting ``outcomes.declined_days`` says otherwise
DECLINED_DAYS = DEFAULT_DECLINED_DAYS


def declined_days(conn: Connection, owner_id: int) -> int:
    """How long a decline holds a person out of plans (``outcomes.declined_days``)."""
    return rules_of(get_settings(conn, owner_id)).declined_days


@dataclass(frozen=True)
class LoggedOutreach:
    id: int
    person_id: int
    person: str
    medium: str
    intent: str
    status: str
    at: datetime
    #: a message still waiting for its reply: when its one follow-up is due (the day it was
    #: recorded, if it went so long ago that its follow-up date had passed)
    follow_up_due: datetime | None = None
    #: recorded late: the day its follow-up would have been due had it been recorded as it went
    window_passed: datetime | None = None


#: the duplicate-outreach lock's setting (shared with the plan) and its default
LOCK_SETTING = "plan.lock_days"
DEFAULT_LOCK_DAYS = 30


def lock_days(store: Store) -> int:
    with store.read() as conn:
        value = get_settings(conn, store.owner_id).get(LOCK_SETTING)
    return int(value) if value and value.isdigit() else DEFAULT_LOCK_DAYS


def check_lock(
    conn: Connection,
    owner_id: int,
    person_id: int,
    at: datetime,
    days: int,
    force: bool,
    except_id: int | None = None,
) -> None:
    last = oq.last_delivered_to(conn, owner_id, person_id, except_id=except_id)
    if last is None or force or days <= 0:
        return
    apart = abs((at - last).total_seconds()) / 86400
    if apart < days:
        row = pq.get_person(conn, owner_id, person_id)
        name = row.display_name if row is not None else f"#{person_id}"
        raise UserError(
            f"you last reached {name} on {last:%Y-%m-%d}; a second outreach within {days} days "
            "is refused",
            hint="--force records it anyway; `rekindle config set plan.lock_days N` "
            "changes the window",
        )


def _record_interaction(
    conn: Connection,
    owner_id: int,
    outreach_id: int,
    person_id: int,
    medium: str,
    at: datetime,
    now: datetime,
) -> None:
    """A logged call, coffee or message is an interaction: the history and the ties see it."""
    channel, direction = _CHANNELS.get(medium, ("other", "out"))
    key = f"outreach:{outreach_id}"
    history.insert_interaction(
        conn,
        owner_id,
        source=LOG_SOURCE,
        natural_key=key,
        occurred_at=at,
        channel=channel,
        direction=direction,
        subject=None,
        thread=None,
        group_size=1,
        import_id=None,
        participants=[(person_id, LOG_SOURCE, key)],
    )
    refresh_ties(conn, owner_id, [person_id], now)


def _check_intent(intent: str) -> None:
    if intent not in LOG_INTENTS:
        raise UserError(f"unknown intent {intent!r}", hint="intents: " + ", ".join(LOG_INTENTS))


def log_outreach(
    store: Store,
    ref: str,
    medium: str,
    note: str | None = None,
    intent: str = "catch-up",
    at: datetime | None = None,
    force: bool = False,
    region: str | None = None,
    now: datetime | None = None,
) -> LoggedOutreach:
    """Record something that happened outside Rekindle (a call, a coffee, a message elsewhere).
    A message (email, LinkedIn, text) is then tracked as a sent one: its follow-up falls due,
    and the reply is found by the next sync."""
    now = now or utcnow()
    at = at or now
    if medium not in LOG_MEDIA:
        raise UserError(f"unknown medium {medium!r}", hint="media: " + ", ".join(LOG_MEDIA))
    _check_intent(intent)
    _not_future(at, now)
    days = lock_days(store)
    with store.begin() as conn:
        pid = resolve_person(conn, store.owner_id, ref, region)
        check_lock(conn, store.owner_id, pid, at, days, force)
        oid = oq.add_outreach(
            conn,
            store.owner_id,
            pid,
            intent=intent,
            medium=medium,
            status="logged",
            at=now,
            note=(note or "").strip() or None,
            sent_at=at,
        )
        status, due, passed = "logged", None, None
        if medium in MESSAGE_MEDIA:
            # a message sent elsewhere waits for its reply like one sent from here: a
            # follow-up due date, the reply found by the next sync (or already synced)
            record_sent(conn, store.owner_id, _get(conn, store.owner_id, oid), at, None, now)
            row = _get(conn, store.owner_id, oid)
            status = row.status  # replied, if the reply is in
            due = row.follow_up_due if status == "sent" else None
            usual = at + timedelta(days=follow_up_days(conn, store.owner_id))
            passed = usual if due is not None and due > usual else None
        else:
            _record_interaction(conn, store.owner_id, oid, pid, medium, at, now)
        name = _name(conn, store.owner_id, pid)
    return LoggedOutreach(oid, pid, name, medium, intent, status, at, due, passed)


def _name(conn: Connection, owner_id: int, person_id: int) -> str:
    row = pq.get_person(conn, owner_id, person_id)
    return row.display_name if row is not None else f"#{person_id}"


def save_draft(store: Store, person_id: int, draft: Draft, now: datetime | None = None) -> int:
    """Keep a draft in the log (status draft); it reaches nobody until marked sent."""
    with store.begin() as conn:
        return oq.add_outreach(
            conn,
            store.owner_id,
            person_id,
            intent=draft.intent,
            medium=draft.medium,
            status="draft",
            at=now or utcnow(),
            body=draft.body,
            subject=draft.subject,
            # a draft from a template (variants count from 1; a model's draft has none)
            variant=draft.variant or None,
        )


def _get(conn: Connection, owner_id: int, outreach_id: int) -> Any:
    row = oq.get_outreach(conn, owner_id, outreach_id)
    if row is None:
        raise NotFoundError(f"no outreach #{outreach_id}", hint="`rekindle outreach` lists the log")
    return row


def _not_future(at: datetime, now: datetime) -> None:
    """What is logged happened: a date past ``now`` (beyond a clock's few minutes) is refused."""
    if at > now + timedelta(minutes=5):
        raise UserError(
            "that date is in the future", hint="log what happened; --at takes a past date"
        )


def mark_sent(
    store: Store,
    outreach_id: int,
    at: datetime | None = None,
    message_id: str | None = None,
    force: bool = False,
    now: datetime | None = None,
) -> LoggedOutreach:
    """A saved draft went out (you sent it yourself): set sent, with a follow-up due date."""
    now = now or utcnow()
    at = at or now
    _not_future(at, now)
    days = lock_days(store)
    with store.begin() as conn:
        row = _get(conn, store.owner_id, outreach_id)
        if row.status not in ("draft", "sending"):
            raise UserError(
                f"outreach #{outreach_id} is {row.status}, not a draft",
                hint="only a draft can be marked sent",
            )
        check_follow_up(conn, store.owner_id, row)
        if row.parent_id is None:
            check_lock(conn, store.owner_id, row.person_id, at, days, force, except_id=outreach_id)
        record_sent(conn, store.owner_id, row, at, message_id or row.message_id, now)
        name = _name(conn, store.owner_id, row.person_id)
    return LoggedOutreach(outreach_id, row.person_id, name, row.medium, row.intent, "sent", at)


def check_follow_up(conn: Connection, owner_id: int, row: Any) -> None:
    """A follow-up may go once, while its message still waits: never a third message."""
    if row.parent_id is None:
        return
    parent = oq.get_outreach(conn, owner_id, row.parent_id)
    if parent is None:
        return
    if parent.status != "sent" or parent.closed_at is not None:
        raise UserError(
            f"#{row.id} follows up #{parent.id}, which is {parent.status} now; "
            "a follow-up would be one message too many",
            hint=f"`rekindle outreach discard {row.id}` drops it",
        )
    if parent.followed_up_at is not None:
        raise UserError(
            f"#{parent.id} was followed up on {parent.followed_up_at:%Y-%m-%d} already; "
            "Rekindle never sends a third message",
            hint=f"`rekindle outreach discard {row.id}` drops this one",
        )


def record_sent(
    conn: Connection,
    owner_id: int,
    row: Any,
    at: datetime,
    message_id: str | None,
    now: datetime,
) -> None:
    """Record that an outreach went out: status sent; a first message gets its follow-up due
    date, a follow-up marks its message followed up. Then look for a reply already synced."""
    values: dict[str, Any] = {
        "status": "sent",
        "sent_at": at,
        "message_id": (message_id or "").strip().strip("<>") or None,
    }
    if row.parent_id is None:
        # recorded after its follow-up date passed: the follow-up is due now, not given up on
        values["follow_up_due"] = follow_up_due_at(at, follow_up_days(conn, owner_id), now)
    else:
        oq.update_outreach(conn, owner_id, row.parent_id, followed_up_at=at)
    oq.update_outreach(conn, owner_id, row.id, **values)
    if row.medium != "email":
        _record_interaction(conn, owner_id, row.id, row.person_id, row.medium, at, now)
    note_replies(conn, owner_id, now)  # a reply may be synced already


def mark(
    store: Store,
    outreach_id: int,
    status: str,
    outcome: str | None = None,
    at: datetime | None = None,
    now: datetime | None = None,
) -> int:
    """Close an outreach: they replied, never replied, or declined; with an outcome in words.
    Returns the person's id."""
    if status not in MARKS:
        raise UserError(f"cannot mark as {status!r}", hint="one of: " + ", ".join(MARKS))
    at = at or now or utcnow()
    with store.begin() as conn:
        row = _get(conn, store.owner_id, outreach_id)
        if row.status == "draft":
            raise UserError(
                f"outreach #{outreach_id} is still a draft",
                hint=f"`rekindle outreach sent {outreach_id}` once it has gone out",
            )
        close(conn, store.owner_id, row, status, outcome, at)
    return int(row.person_id)


def close(
    conn: Connection, owner_id: int, row: Any, status: str, outcome: str | None, at: datetime
) -> None:
    """Set how an outreach ended, clearing what the new end contradicts: no-reply and declined
    drop the reply time and the outcome recorded before (a call, a meeting: a decline is an
    answer, not a reply), replied drops a decline. A decline keeps the door open: the person
    is held out of plans for months (the plan's "declined" hold), never deleted."""
    values: dict[str, Any] = {"status": status, "outcome": outcome}
    if status == "replied":
        values["replied_at"] = row.replied_at or at
        if not outcome and row.outcome not in CLOSED_UNREPLIED:
            values["outcome"] = row.outcome
        oq.update_outreach(conn, owner_id, row.id, **values)
        return
    values["replied_at"] = None
    if status == "no-reply" and not outcome:
        # your word: the sync then counts only a reply that comes after it (one closed by
        # its reply window has no outcome, and any later reply still counts)
        values["outcome"] = "no-reply"
    oq.update_outreach(conn, owner_id, row.id, **values)
    oq.close_with_follow_ups(conn, owner_id, row.id, status, at)
    if status == "declined":
        eq.add_hold(
            conn, owner_id, row.person_id, "declined", at,
            at + timedelta(days=declined_days(conn, owner_id)),
            outcome,
        )  # fmt: skip


def discard(store: Store, outreach_id: int) -> None:
    with store.begin() as conn:
        row = _get(conn, store.owner_id, outreach_id)
        if row.status != "draft":
            raise UserError(
                f"outreach #{outreach_id} is {row.status}; only drafts can be discarded",
                hint="`rekindle outreach mark ID no-reply` closes it instead",
            )
        oq.delete_outreach(conn, store.owner_id, outreach_id)


def as_dict(row: Any) -> dict[str, Any]:
    def iso(v: datetime | None) -> str | None:
        return v.astimezone(UTC).isoformat() if v else None

    return {
        "id": row.id,
        "person_id": row.person_id,
        "person": row.display_name,
        "intent": row.intent,
        "medium": row.medium,
        "status": row.status,
        "subject": row.subject,
        "body": row.body,
        "note": row.note,
        "created_at": iso(row.created_at),
        "sent_at": iso(row.sent_at),
        "follow_up_due": iso(row.follow_up_due),
        # a reply time a later no-reply or decline contradicts is not shown
        "replied_at": iso(row.replied_at) if row.status not in CLOSED_UNREPLIED else None,
        "closed_at": iso(row.closed_at),
        "outcome": row.outcome,
        "message_id": row.message_id,
    }


def list_log(
    store: Store,
    ref: str | None = None,
    statuses: list[str] | None = None,
    limit: int | None = 50,
    region: str | None = None,
) -> list[dict[str, Any]]:
    with store.read() as conn:
        pid = resolve_person(conn, store.owner_id, ref, region) if ref else None
        rows = oq.list_outreach(conn, store.owner_id, pid, statuses, limit)
    return [as_dict(r) for r in rows]


def show(store: Store, outreach_id: int) -> dict[str, Any]:
    with store.read() as conn:
        _get(conn, store.owner_id, outreach_id)
        [row] = oq.list_outreach(conn, store.owner_id, outreach_id=outreach_id)
    return as_dict(row)


def note_replies(conn: Connection, owner_id: int, now: datetime | None = None) -> int:
    """After a sync: mark sent outreach replied when the person wrote back, then close what
    waited past its follow-up window (see :mod:`follow_up_rules`). Returns the replies."""
    replies = oq.replies_to_sent(conn, owner_id)
    oq.mark_replied(conn, owner_id, replies)
    close_unanswered(conn, owner_id, now or utcnow())
    return len(replies)
