"""Meetups: create one with personal invitations, follow the answers, remind once, and after
the event log it with everyone who came and offer thank-you notes.

Each guest's invitation is a draft in the outreach log made by the usual drafting (intent
``invite``, so it passes the same checks as any draft) with the meetup's details added; the
calendar invitation (:mod:`rekindle.compose.meetup_invite`) goes with it when it is sent
(:mod:`rekindle.services.meetup_send`). Answers come from synced mail
(:mod:`rekindle.services.meetup_rsvp`) or are marked by hand here. Meetups are their owner's
alone: every query is scoped to ``store.owner_id``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from rekindle.compose.draft_checks import Finding, check_draft
from rekindle.compose.drafting import Draft, reply_subject
from rekindle.compose.meetup_words import details_block, reminder_body, short_date
from rekindle.errors import NotFoundError, UserError
from rekindle.services.drafting import DraftRequest, draft_for
from rekindle.services.meetup_plan import find_group
from rekindle.services.meetup_times import zone
from rekindle.services.myself import is_likely_me
from rekindle.services.outreach import save_draft
from rekindle.services.people import resolve_person
from rekindle.services.ties import refresh_ties
from rekindle.store import Store, history
from rekindle.store import engine as eq
from rekindle.store import meetups as mq
from rekindle.store import outreach as oq
from rekindle.store.database import utcnow
from rekindle.store.write_address import emails_to_write

#: what an answer may be, and the words `meetup rsvp` takes for each
ANSWERS = ("accepted", "declined", "tentative", "needs-action")
ANSWER_WORDS = {
    "yes": "accepted", "accepted": "accepted", "coming": "accepted", "in": "accepted",
    "no": "declined", "declined": "declined", "out": "declined",
    "maybe": "tentative", "tentative": "tentative",
    "none": "needs-action", "unknown": "needs-action", "needs-action": "needs-action",
}  # fmt: skip
#: a guest who has not answered this many days after the invitation went is due a reminder
REMIND_AFTER_DAYS = 4
#: the most guests a meetup has
MAX_GUESTS = 50
#: the interactions a meetup writes into the history come from this source
SOURCE = "meetup"


@dataclass
class Invited:
    """One guest's invitation draft and what its checks found."""

    person_id: int
    person: str
    outreach_id: int
    findings: list[Finding]

    def as_json(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "person": self.person,
            "outreach_id": self.outreach_id,
            "findings": [f.as_json() for f in self.findings],
        }


@dataclass
class Created:
    meetup_id: int
    invited: list[Invited] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "meetup_id": self.meetup_id,
            "invited": [i.as_json() for i in self.invited],
            "skipped": self.skipped,
        }


def _check_times(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise UserError("times need their time zone")
    if end <= start:
        raise UserError("the meetup ends before it starts", hint="--end must be after --start")
    if end - start > timedelta(days=14):
        raise UserError("a meetup of more than two weeks?", hint="check --start and --end")


def _guests(
    conn: Connection, owner_id: int, refs: list[str], group: list[int], region: str | None
) -> tuple[dict[int, str], list[str]]:
    ids = list(dict.fromkeys([*group, *(resolve_person(conn, owner_id, r, region) for r in refs)]))
    names = eq.names_of(conn, owner_id, ids)
    skipped = []
    for pid in list(ids):
        evidence = is_likely_me(conn, owner_id, pid, names.get(pid, ""))
        if evidence:
            skipped.append(f"#{pid} {names.get(pid, '')} looks like you ({'; '.join(evidence)})")
            ids.remove(pid)
    if not ids:
        raise UserError("nobody to invite", hint="--with PERSON (several times) or --group KEY")
    if len(ids) > MAX_GUESTS:
        raise UserError(f"{len(ids)} guests; a meetup has at most {MAX_GUESTS}")
    return {pid: names.get(pid, f"#{pid}") for pid in ids}, skipped


def create_meetup(
    store: Store,
    *,
    title: str,
    start: datetime,
    end: datetime,
    place: str | None = None,
    link: str | None = None,
    note: str | None = None,
    people: list[str] | None = None,
    group: str | None = None,
    timezone: str | None = None,
    region: str | None = None,
    now: datetime | None = None,
) -> Created:
    """A meetup with one personal invitation draft per guest (checked like any draft)."""
    now = now or utcnow()
    title = " ".join((title or "").split())
    if not title:
        raise UserError("a meetup needs a title", hint='--title "Old Acme team reunion"')
    if not (place or "").strip() and not (link or "").strip():
        raise UserError("where? give --place or --link (a video call)")
    _check_times(start, end)
    basis = None
    members: list[int] = []
    if group:
        found = find_group(store, group, now=now)
        members, basis = [pid for pid, _ in found.people], "; ".join(found.why)
    with store.read() as conn:
        guests, skipped = _guests(conn, store.owner_id, people or [], members, region)
        emails = emails_to_write(conn, list(guests))
    uid = f"meetup-{secrets.token_hex(10)}@rekindle.local"
    with store.begin() as conn:
        mid = mq.add_meetup(
            conn, store.owner_id, title=title[:300], starts_at=start, ends_at=end,
            timezone=timezone,
            place=(place or "").strip() or None, link=(link or "").strip() or None,
            note=(note or "").strip() or None, basis=basis, uid=uid, sequence=0,
            status="planned", created_at=now, updated_at=now,
        )  # fmt: skip
    created = Created(mid, skipped=skipped)
    tz = zone(timezone)
    details = details_block(start, end, place, link, note, tz)
    for pid, name in guests.items():
        result = draft_for(
            store, str(pid),
            DraftRequest(intent="invite", topic=title),
            region=region, now=now,
        )  # fmt: skip
        body = with_details(result.draft.body, details)
        d = result.draft
        subject = f"{d.subject} ({short_date(start, tz)})" if d.subject else d.subject
        draft = Draft("invite", "email", d.variant, body, subject, d.language, d.template)
        findings = check_draft(draft.body, result.facts, "email", "invite", draft.subject)
        oid = save_draft(store, pid, draft, now)
        with store.begin() as conn:
            mq.add_guest(conn, store.owner_id, mid, pid, email=emails.get(pid), invite_id=oid)
        created.invited.append(Invited(pid, name, oid, findings))
    return created


def with_details(body: str, details: str) -> str:
    """The details go before the sign-off (the draft's last paragraph), not after it."""
    paragraphs = body.rstrip().split("\n\n")
    if len(paragraphs) < 2:
        return f"{body.rstrip()}\n\n{details}\n"
    return "\n\n".join([*paragraphs[:-1], details, paragraphs[-1]]) + "\n"


def _meetup(conn: Connection, owner_id: int, meetup_id: int) -> Any:
    row = mq.get_meetup(conn, owner_id, meetup_id)
    if row is None:
        raise NotFoundError(f"no meetup #{meetup_id}", hint="`rekindle meetup list` lists them")
    return row


def _answer(word: str) -> str:
    answer = ANSWER_WORDS.get(word.strip().lower())
    if answer is None:
        raise UserError(f"unknown answer {word!r}", hint="yes, no, maybe or none")
    return answer


def set_answer(
    store: Store,
    meetup_id: int,
    ref: str,
    word: str,
    *,
    note: str | None = None,
    region: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Mark a guest's answer by hand (yes, no, maybe; none clears it)."""
    now = now or utcnow()
    answer = _answer(word)
    with store.begin() as conn:
        _meetup(conn, store.owner_id, meetup_id)
        pid = resolve_person(conn, store.owner_id, ref, region)
        guest = next((g for g in mq.guests_of(conn, store.owner_id, meetup_id) if g.person_id == pid), None)  # fmt: skip
        if guest is None:
            raise UserError(f"#{pid} is not invited to meetup #{meetup_id}")
        clear = answer == "needs-action"
        mq.update_guest(
            conn, store.owner_id, guest.id, answer=answer,
            answered_at=None if clear else now, answer_source=None if clear else "hand",
            answer_note=(note or "").strip() or None,
        )  # fmt: skip
        if not clear and guest.invite_id is not None:
            stop_follow_up(conn, store.owner_id, guest.invite_id, now)
    return {"meetup_id": meetup_id, "person_id": pid, "person": guest.name, "answer": answer}


def stop_follow_up(conn: Connection, owner_id: int, invite_id: int, at: datetime) -> None:
    """An answer is a reply: the invitation waits no more (no follow-up falls due)."""
    row = oq.get_outreach(conn, owner_id, invite_id)
    if row is not None and row.status == "sent":
        oq.mark_replied(conn, owner_id, [(invite_id, at)])


def remind(store: Store, meetup_id: int, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """One reminder draft for each guest whose invitation went and who has not answered,
    ``REMIND_AFTER_DAYS`` later (sooner when the meetup is near); never a second one."""
    now = now or utcnow()
    made = []
    with store.read() as conn:
        row = _meetup(conn, store.owner_id, meetup_id)
        due = [g for g in mq.guests_of(conn, store.owner_id, meetup_id) if reminder_due(conn, store.owner_id, row, g, now)]  # fmt: skip
    if row.status != "planned" or row.starts_at <= now:
        return []
    for g in due:
        with store.begin() as conn:
            invite = oq.get_outreach(conn, store.owner_id, g.invite_id)
            body = reminder_body(g.name, row.title, row.starts_at, row.ends_at, row.place,
                                 row.link, zone(row.timezone))  # fmt: skip
            oid = oq.add_outreach(
                conn, store.owner_id, g.person_id, intent="invite", medium="email",
                status="draft", at=now, body=body, subject=reply_subject((invite.subject if invite else None) or row.title),
                parent_id=g.invite_id,
            )  # fmt: skip
            mq.update_guest(conn, store.owner_id, g.id, reminder_id=oid)
        made.append({"person_id": g.person_id, "person": g.name, "outreach_id": oid})
    return made


def reminder_due(conn: Connection, owner_id: int, meetup: Any, guest: Any, now: datetime) -> bool:
    if guest.answer != "needs-action" or guest.reminder_id is not None or guest.invite_id is None:
        return False
    invite = oq.get_outreach(conn, owner_id, guest.invite_id)
    # went out (a mail from them since, about anything else, marks it replied: it is no answer)
    if invite is None or invite.sent_at is None or invite.status not in ("sent", "replied"):
        return False
    waited = now - invite.sent_at
    near = meetup.starts_at - now <= timedelta(days=REMIND_AFTER_DAYS)
    return waited >= timedelta(days=REMIND_AFTER_DAYS) or (near and waited >= timedelta(days=1))


def log_meetup(
    store: Store, meetup_id: int, *, thank: bool = False, now: datetime | None = None,
    region: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """After the event: one meeting in the history with everyone who came (their clocks
    restart), and with ``thank`` a thank-you draft for each."""
    now = now or utcnow()
    with store.begin() as conn:
        row = _meetup(conn, store.owner_id, meetup_id)
        if row.starts_at > now:
            raise UserError(f"meetup #{meetup_id} has not happened yet ({row.starts_at:%Y-%m-%d})")
        came = [g for g in mq.guests_of(conn, store.owner_id, meetup_id) if g.answer == "accepted"]
        if not came:
            raise UserError(
                "nobody is marked as coming",
                hint=f"`rekindle meetup rsvp {meetup_id} PERSON yes` for each who came",
            )
        logged = row.logged_at is not None
        if not logged:
            history.insert_interaction(
                conn, store.owner_id, source=SOURCE, natural_key=f"meetup:{row.uid}",
                occurred_at=row.starts_at, channel="meeting", direction="both",
                subject=row.title, thread=None, group_size=len(came), import_id=None,
                participants=[(g.person_id, SOURCE, f"meetup:{row.id}:{g.person_id}") for g in came],
            )  # fmt: skip
            refresh_ties(conn, store.owner_id, [g.person_id for g in came], now)
            mq.update_meetup(conn, store.owner_id, meetup_id, logged_at=now, updated_at=now)
    thanked = thank_guests(store, meetup_id, region=region, now=now) if thank else []
    return {
        "meetup_id": meetup_id,
        "attendees": [{"person_id": g.person_id, "person": g.name} for g in came],
        "already_logged": logged,
        "thanks": thanked,
    }


def thank_guests(
    store: Store, meetup_id: int, *, region: str | None = None, now: datetime | None = None
) -> list[dict[str, Any]]:
    """A thank-you draft for each guest who came and has none yet."""
    now = now or utcnow()
    with store.read() as conn:
        row = _meetup(conn, store.owner_id, meetup_id)
        came = [g for g in mq.guests_of(conn, store.owner_id, meetup_id)
                if g.answer == "accepted" and g.thanks_id is None]  # fmt: skip
    made = []
    for g in came:
        result = draft_for(
            store, str(g.person_id), DraftRequest(intent="thank", topic=f"coming to {row.title}"),
            region=region, now=now,
        )  # fmt: skip
        oid = save_draft(store, g.person_id, result.draft, now)
        with store.begin() as conn:
            mq.update_guest(conn, store.owner_id, g.id, thanks_id=oid)
        made.append({"person_id": g.person_id, "person": g.name, "outreach_id": oid,
                     "findings": [f.as_json() for f in result.findings]})  # fmt: skip
    return made


def cancel_meetup(store: Store, meetup_id: int, *, now: datetime | None = None) -> None:
    """Call it off: the status and a new SEQUENCE (a CANCEL goes with `meetup send`)."""
    now = now or utcnow()
    with store.begin() as conn:
        row = _meetup(conn, store.owner_id, meetup_id)
        mq.update_meetup(conn, store.owner_id, meetup_id, status="cancelled",
                         sequence=row.sequence + 1, updated_at=now)  # fmt: skip


def delete_meetup(store: Store, meetup_id: int) -> None:
    """Forget a meetup (its drafts stay in the outreach log; a logged meeting stays too)."""
    with store.begin() as conn:
        _meetup(conn, store.owner_id, meetup_id)
        mq.delete_meetup(conn, store.owner_id, meetup_id)
