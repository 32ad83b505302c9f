"""Queries on meetups and their guests, and the facts a meetup plan is made of. Every query
is scoped to one owner: a meetup is only ever its creator's."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    String,
    case,
    delete,
    func,
    insert,
    select,
    type_coerce,
    update,
)

from rekindle.engine.meetup_groups import MAX_THREAD, Place, SharedThread, Stint, TieState
from rekindle.store.people import active_person
from rekindle.store.schema import (
    affiliation,
    identity,
    interaction,
    interaction_person,
    person,
    source_record,
)
from rekindle.store.schema_history import message, message_address, tie_stats
from rekindle.store.schema_meetup import meetup, meetup_guest, meetup_mail_seen

#: the most rows of small threads read for a plan (the newest first)
MAX_THREAD_ROWS = 50_000
#: the most records read for addresses
MAX_RECORDS = 100_000

# --- facts for the plan ----------------------------------------------------------------------


def stints(conn: Connection, owner_id: int) -> list[Stint]:
    """Every work and school affiliation of the owner's active people."""
    a = affiliation.c
    rows = conn.execute(
        select(a.person_id, a.organisation, a.kind, a.start_date, a.end_date)
        .join(person, person.c.id == a.person_id)
        .where(active_person(owner_id), a.kind.in_(("work", "school")))
    )
    return [Stint(int(r.person_id), r.organisation, r.kind, r.start_date, r.end_date) for r in rows]


def places(conn: Connection, owner_id: int) -> list[Place]:
    """The cities in the home (or unlabelled) addresses of the owner's active people."""
    rows = conn.execute(
        select(source_record.c.person_id, source_record.c.data)
        .join(person, person.c.id == source_record.c.person_id)
        .where(active_person(owner_id), source_record.c.data.like('%"city"%'))
        .limit(MAX_RECORDS)
    )
    out: list[Place] = []
    seen: set[tuple[int, str]] = set()
    for pid, data in rows:
        try:
            addresses = json.loads(data).get("addresses") or []
        except (ValueError, AttributeError):
            continue
        for a in addresses if isinstance(addresses, list) else []:
            if not isinstance(a, dict) or str(a.get("label") or "").lower() == "work":
                continue
            city = str(a.get("city") or "").strip()
            if city and (int(pid), city.casefold()) not in seen:
                seen.add((int(pid), city.casefold()))
                out.append(Place(int(pid), city, str(a.get("country") or "").strip()))
    return out


def small_threads(conn: Connection, owner_id: int, min_people: int = 2) -> list[SharedThread]:
    """Mail threads and meetings of ``min_people`` to ``MAX_THREAD`` other people, with who was
    on them; the newest ``MAX_THREAD_ROWS`` participations are read. Times are read as the
    driver gives them (sortable text on SQLite) and only each thread's first and last are
    converted."""
    i, ip = interaction.c, interaction_person.c
    rows = conn.execute(
        select(i.id, i.thread, i.subject, i.channel, type_coerce(i.occurred_at, _RAW),
               ip.person_id)
        .join(interaction_person, ip.interaction_id == i.id)
        .where(i.owner_id == owner_id, i.group_size >= max(2, min_people),
               i.group_size <= MAX_THREAD)
        .order_by(i.occurred_at.desc())
        .limit(MAX_THREAD_ROWS)
    ).all()  # fmt: skip
    found: dict[str, list[Any]] = {}
    for iid, thread, subject, channel, at, pid in rows:
        key = f"{'m' if channel == 'meeting' else 't'}:{thread or iid}"
        t = found.get(key)
        if t is None:
            t = found[key] = [subject, channel, set(), set(), at, at]
        t[2].add(pid)
        t[3].add(iid)
        if at < t[4]:
            t[4] = at
        elif at > t[5]:
            t[5] = at
        if subject and not t[0]:
            t[0] = subject
    return [
        SharedThread(key, t[0] or "", "meeting" if t[1] == "meeting" else "thread",
                     frozenset(int(p) for p in t[2]), _when(t[4]), _when(t[5]), len(t[3]))
        for key, t in found.items()
        if len(t[2]) >= min_people
    ]  # fmt: skip


#: a time as the driver gives it (SQLite: sortable text; PostgreSQL: a datetime)
_RAW = String()


def _when(raw: Any) -> datetime:
    when = raw if isinstance(raw, datetime) else datetime.fromisoformat(raw)
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def tie_states(conn: Connection, owner_id: int) -> dict[int, TieState]:
    s = tie_stats.c
    rows = conn.execute(
        select(s.person_id, s.last_two_way, s.last_contact, s.median_gap_days, s.peak_decayed)
        .where(s.owner_id == owner_id)
    )  # fmt: skip
    return {
        int(r.person_id): TieState(int(r.person_id), r.last_two_way, r.last_contact,
                                   r.median_gap_days, float(r.peak_decayed or 0.0))
        for r in rows
    }  # fmt: skip


# --- meetups ---------------------------------------------------------------------------------


def add_meetup(conn: Connection, owner_id: int, **values: Any) -> int:
    result = conn.execute(insert(meetup).values(owner_id=owner_id, **values))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def update_meetup(conn: Connection, owner_id: int, meetup_id: int, **values: Any) -> None:
    conn.execute(
        update(meetup)
        .where(meetup.c.owner_id == owner_id, meetup.c.id == meetup_id)
        .values(**values)
    )


def get_meetup(conn: Connection, owner_id: int, meetup_id: int) -> Any | None:
    return conn.execute(
        select(meetup).where(meetup.c.owner_id == owner_id, meetup.c.id == meetup_id)
    ).first()


def delete_meetup(conn: Connection, owner_id: int, meetup_id: int) -> int:
    return conn.execute(
        delete(meetup).where(meetup.c.owner_id == owner_id, meetup.c.id == meetup_id)
    ).rowcount


def list_meetups(conn: Connection, owner_id: int) -> list[Any]:
    """The owner's meetups, the next first, then the past ones newest first; with counts."""
    g = meetup_guest.c
    counts = (
        select(
            g.meetup_id,
            func.count().label("guests"),
            func.sum(case((g.answer == "accepted", 1), else_=0)).label("coming"),
            func.sum(case((g.answer == "needs-action", 1), else_=0)).label("waiting"),
        )
        .where(g.owner_id == owner_id)
        .group_by(g.meetup_id)
        .subquery()
    )
    return list(
        conn.execute(
            select(meetup, counts.c.guests, counts.c.coming, counts.c.waiting)
            .outerjoin(counts, counts.c.meetup_id == meetup.c.id)
            .where(meetup.c.owner_id == owner_id)
            .order_by(meetup.c.starts_at.desc(), meetup.c.id.desc())
        )
    )


def add_guest(
    conn: Connection, owner_id: int, meetup_id: int, person_id: int, **values: Any
) -> int:
    result = conn.execute(
        insert(meetup_guest).values(
            owner_id=owner_id, meetup_id=meetup_id, person_id=person_id, **values
        )
    )
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def update_guest(conn: Connection, owner_id: int, guest_id: int, **values: Any) -> None:
    conn.execute(
        update(meetup_guest)
        .where(meetup_guest.c.owner_id == owner_id, meetup_guest.c.id == guest_id)
        .values(**values)
    )


def guests_of(conn: Connection, owner_id: int, meetup_id: int) -> list[Any]:
    """The guests with their names, in name order."""
    g = meetup_guest.c
    return list(
        conn.execute(
            select(meetup_guest, person.c.display_name.label("name"))
            .join(person, person.c.id == g.person_id)
            .where(g.owner_id == owner_id, g.meetup_id == meetup_id)
            .order_by(person.c.sort_name, person.c.display_name, g.id)
        )
    )


def open_guests(conn: Connection, owner_id: int, since: datetime) -> list[Any]:
    """Guests of meetups still planned that end after ``since``, with the meetup's title, UID
    and creation time: whose answers a sync looks for."""
    g, m = meetup_guest.c, meetup.c
    return list(
        conn.execute(
            select(
                g.id, g.meetup_id, g.person_id, g.email, g.answer, g.invite_id,
                m.title, m.uid, m.created_at, m.sequence,
            )
            .join(meetup, m.id == g.meetup_id)
            .where(g.owner_id == owner_id, m.status == "planned", m.ends_at >= since,
                   g.email.is_not(None))
        )
    )  # fmt: skip


def messages_from(
    conn: Connection, owner_id: int, addresses: Sequence[str], since: datetime
) -> list[Any]:
    """Messages from these addresses since ``since``: key, subject, In-Reply-To, sender,
    source and locator (where to read the body)."""
    if not addresses:
        return []
    ma, m = message_address.c, message.c
    return list(
        conn.execute(
            select(m.id, m.key, m.subject, m.in_reply_to, m.occurred_at, m.source, m.locator,
                   ma.address)
            .join(message, m.id == ma.message_id)
            .where(ma.owner_id == owner_id, ma.role == "from",
                   ma.address.in_(list(dict.fromkeys(addresses))),
                   m.occurred_at >= since)
            .order_by(m.occurred_at, m.id)
        )
    )  # fmt: skip


def seen_keys(conn: Connection, owner_id: int, meetup_ids: Sequence[int]) -> set[tuple[int, str]]:
    if not meetup_ids:
        return set()
    s = meetup_mail_seen.c
    rows = conn.execute(
        select(s.meetup_id, s.message_key).where(
            s.owner_id == owner_id, s.meetup_id.in_(list(meetup_ids))
        )
    )
    return {(int(a), b) for a, b in rows}


def mark_seen(conn: Connection, owner_id: int, meetup_id: int, key: str) -> None:
    conn.execute(
        insert(meetup_mail_seen).values(owner_id=owner_id, meetup_id=meetup_id, message_key=key)
    )


def emails_of(conn: Connection, person_ids: Sequence[int]) -> dict[int, list[str]]:
    """Each person's email addresses, lower-cased, the first recorded first."""
    out: dict[int, list[str]] = defaultdict(list)
    if not person_ids:
        return out
    rows = conn.execute(
        select(identity.c.person_id, identity.c.value)
        .where(identity.c.person_id.in_(list(person_ids)), identity.c.kind == "email")
        .order_by(identity.c.id)
    )
    for pid, value in rows:
        if value and value.lower() not in out[int(pid)]:
            out[int(pid)].append(value.lower())
    return out


def guest_answer(conn: Connection, owner_id: int, guest_id: int) -> Any | None:
    g = meetup_guest.c
    return conn.execute(
        select(g.answer, g.answered_at, g.answer_source).where(
            g.owner_id == owner_id, g.id == guest_id
        )
    ).first()
