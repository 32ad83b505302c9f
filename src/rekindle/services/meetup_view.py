"""What a meetup page shows: who is coming, who said no or maybe, who has not answered (and
whether their one reminder is due or gone), and after the event what is left to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rekindle.compose.meetup_words import when_words
from rekindle.engine.meetup_groups import is_dormant
from rekindle.errors import NotFoundError
from rekindle.services.meetup_times import zone
from rekindle.services.meetups import reminder_due
from rekindle.store import Store
from rekindle.store import meetups as mq
from rekindle.store import outreach as oq
from rekindle.store.database import utcnow


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when is not None else None


@dataclass
class GuestView:
    person_id: int
    name: str
    email: str | None
    answer: str
    answered_at: datetime | None
    answer_source: str | None
    answer_note: str | None
    invite_id: int | None
    invite_status: str | None
    reminder_id: int | None
    reminder_status: str | None
    reminder_due: bool
    thanks_id: int | None
    dormant: bool

    def as_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["answered_at"] = _iso(self.answered_at)
        return data


@dataclass
class MeetupView:
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    when: str
    place: str | None
    link: str | None
    note: str | None
    basis: str | None
    uid: str
    sequence: int
    status: str
    timezone: str | None
    #: upcoming, past (not logged yet), logged, cancelled
    phase: str
    logged_at: datetime | None
    guests: list[GuestView] = field(default_factory=list)

    def by_answer(self, answer: str) -> list[GuestView]:
        return [g for g in self.guests if g.answer == answer]

    @property
    def counts(self) -> dict[str, int]:
        return {
            a: len(self.by_answer(a)) for a in ("accepted", "tentative", "declined", "needs-action")
        }

    @property
    def unsent(self) -> list[GuestView]:
        return [g for g in self.guests if g.invite_status in ("draft", "sending")]

    @property
    def reminders_due(self) -> list[GuestView]:
        return [g for g in self.guests if g.reminder_due]

    @property
    def to_thank(self) -> list[GuestView]:
        return [g for g in self.by_answer("accepted") if g.thanks_id is None]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "starts_at": _iso(self.starts_at),
            "ends_at": _iso(self.ends_at), "when": self.when, "place": self.place,
            "link": self.link, "note": self.note, "basis": self.basis, "uid": self.uid,
            "sequence": self.sequence, "status": self.status, "timezone": self.timezone, "phase": self.phase,
            "logged_at": _iso(self.logged_at), "counts": self.counts,
            "unsent": len(self.unsent), "reminders_due": len(self.reminders_due),
            "to_thank": len(self.to_thank) if self.phase == "logged" else 0,
            "guests": [g.as_json() for g in self.guests],
        }  # fmt: skip


def _phase(row: Any, now: datetime) -> str:
    if row.status == "cancelled":
        return "cancelled"
    if row.starts_at > now:
        return "upcoming"
    return "logged" if row.logged_at is not None else "past"


def show_meetup(store: Store, meetup_id: int, *, now: datetime | None = None) -> MeetupView:
    now = now or utcnow()
    owner = store.owner_id
    with store.read() as conn:
        row = mq.get_meetup(conn, owner, meetup_id)
        if row is None:
            raise NotFoundError(f"no meetup #{meetup_id}", hint="`rekindle meetup list` lists them")
        guests = mq.guests_of(conn, owner, meetup_id)
        ties = mq.tie_states(conn, owner)
        view = MeetupView(
            row.id, row.title, row.starts_at, row.ends_at, when_words(row.starts_at, row.ends_at, zone(row.timezone)),
            row.place, row.link, row.note, row.basis, row.uid, row.sequence, row.status, row.timezone,
            _phase(row, now), row.logged_at,
        )  # fmt: skip
        for g in guests:
            invite = oq.get_outreach(conn, owner, g.invite_id) if g.invite_id else None
            reminder = oq.get_outreach(conn, owner, g.reminder_id) if g.reminder_id else None
            view.guests.append(
                GuestView(
                    g.person_id, g.name, g.email, g.answer, g.answered_at, g.answer_source,
                    g.answer_note, g.invite_id, invite.status if invite else None,
                    g.reminder_id, reminder.status if reminder else None,
                    view.phase == "upcoming" and reminder_due(conn, owner, row, g, now),
                    g.thanks_id, is_dormant(ties.get(g.person_id), now.date()),
                )
            )  # fmt: skip
    return view


def list_meetups(store: Store, *, now: datetime | None = None) -> list[dict[str, Any]]:
    now = now or utcnow()
    with store.read() as conn:
        rows = mq.list_meetups(conn, store.owner_id)
    return [
        {
            "id": r.id, "title": r.title, "starts_at": _iso(r.starts_at),
            "ends_at": _iso(r.ends_at), "when": when_words(r.starts_at, r.ends_at, zone(r.timezone)),
            "place": r.place, "link": r.link, "status": r.status, "phase": _phase(r, now),
            "guests": int(r.guests or 0), "coming": int(r.coming or 0),
            "waiting": int(r.waiting or 0),
        }
        for r in rows
    ]  # fmt: skip
