"""`rekindle history` and `rekindle people --sort dormant`: what the history says."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from rekindle.plural import counted
from rekindle.services.myself import myself, other_selves
from rekindle.services.people import resolve_person
from rekindle.store import Store, history
from rekindle.store import mail as mq
from rekindle.store import people as pq
from rekindle.store import ties as tq
from rekindle.store.database import utcnow
from rekindle.store.self_evidence import names_on

#: a tie whose strength once reached this (about six 1:1 exchanges in a year) was a real one
FORMERLY_STRONG = 6.0
#: silent for at least this long counts as dormant
DORMANT_DAYS = 90

STAT_FIELDS = (
    "first_contact",
    "last_contact",
    "last_two_way",
    "messages_in",
    "messages_out",
    "meetings",
    "reciprocity",
    "one_to_one_share",
    "reply_latency_in_h",
    "reply_latency_out_h",
    "median_gap_days",
    "embeddedness",
    "decayed_sum",
    "peak_decayed",
    "peak_personal",
)


@dataclass
class Timeline:
    person_id: int
    name: str
    stats: dict[str, Any] | None
    events: list[dict[str, Any]]


def timeline(store: Store, ref: str, limit: int | None = 50, region: str | None = None) -> Timeline:
    with store.read() as conn:
        return timeline_of(
            conn, store.owner_id, resolve_person(conn, store.owner_id, ref, region), limit
        )


def timeline_of(
    conn: Connection, owner_id: int, pid: int, limit: int | None = 50, offset: int = 0
) -> Timeline:
    """The tie statistics and the latest ``limit`` interactions (after ``offset``) of ``pid``."""
    return _timeline(conn, owner_id, pid, history.interactions_of(conn, pid, limit, offset))


def timeline_page(
    conn: Connection, owner_id: int, pid: int, limit: int, offset: int = 0
) -> tuple[Timeline, tuple[datetime | None, datetime | None, int]]:
    """One page of the timeline, with the first and last contact and the number of
    interactions, read together."""
    rows, span = history.history_page(conn, pid, limit, offset)
    return _timeline(conn, owner_id, pid, rows), span


def _timeline(conn: Connection, owner_id: int, pid: int, interactions: list[Any]) -> Timeline:
    row = pq.get_person(conn, owner_id, pid)
    assert row is not None
    stats = tq.stats_of(conn, pid)
    events = [
        {
            "when": i.occurred_at,
            "channel": i.channel,
            "direction": i.direction,
            "subject": i.subject,
            "group_size": i.group_size,
            "source": i.source,
        }
        for i in interactions
    ]
    return Timeline(
        pid,
        row.display_name,
        {k: getattr(stats, k) for k in STAT_FIELDS} if stats else None,
        events,
    )


def dormant_people(
    store: Store, now: datetime | None = None, limit: int | None = 50
) -> list[dict[str, Any]]:
    """Formerly strong ties that have gone quiet, the longest silent first."""
    now = now or utcnow()
    with store.read() as conn:
        rows = tq.dormant(conn, store.owner_id)
    out = []
    for r in rows:
        silent = (now - r.last_contact).days
        if r.peak_decayed < FORMERLY_STRONG or silent < DORMANT_DAYS:
            continue
        gap = r.median_gap_days or None
        out.append(
            {
                "id": r.id,
                "name": r.display_name,
                "silent_days": silent,
                "last_contact": r.last_contact,
                "peak_strength": round(r.peak_decayed, 2),
                "strength_now": round(r.decayed_sum, 2),
                "messages": r.messages_in + r.messages_out,
                "meetings": r.meetings,
                "gap_ratio": round(silent / gap, 1) if gap else None,
            }
        )
    out.sort(key=lambda d: (-d["silent_days"], -d["peak_strength"], d["id"]))
    return out[:limit] if limit else out


def suggest_me(store: Store, limit: int = 5) -> list[dict[str, Any]]:
    """Your likely own addresses: the commonest senders of mail filed as sent, then the records
    that look like you (your name, an address built like yours), each with the evidence."""
    with store.read() as conn:
        owner = store.owner_id
        mine = mq.my_addresses(conn, owner)
        found = mq.frequent_sent_senders(conn, owner, limit)
        me = myself(conn, owner)
        names = names_on(conn, owner, [a for a, _, _ in found if a not in mine])
    sent = []
    for a, n, total in found:
        entry: dict[str, Any] = {
            "address": a,
            "in_sent_folders": n,
            "messages_from_it": total,
            "already_yours": a in mine,
            "evidence": [f"{counted(n, 'message')} from it in sent folders"],
        }
        # sent from my mailbox under another person's name: theirs, not mine to add
        other = None if a in mine else me.someone_else(names.get(a, ()))
        if other is not None:
            entry["other_name"] = other
            entry["evidence"].append(f"under the name {other!r}, not yours")
        sent.append(entry)
    listed = {f["address"] for f in sent}
    return [*sent, *(o for o in other_selves(store) if o["address"] not in listed)]


def as_json(t: Timeline) -> dict[str, Any]:
    data = asdict(t)
    for event in data["events"]:
        event["when"] = event["when"].isoformat()
    if data["stats"]:
        data["stats"] = {
            k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in data["stats"].items()
        }
    return data
