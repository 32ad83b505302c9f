"""Queries of the reconnection engine: goals, holds, the stored plan, and people's facts in bulk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Connection, delete, func, insert, or_, select, true, update

from rekindle.store.id_sets import among
from rekindle.store.schema import (
    affiliation,
    identity,
    interaction,
    interaction_person,
    note,
    person,
    tag,
)
from rekindle.store.schema_engine import goal, person_hold, plan_entry
from rekindle.store.schema_history import tie_stats

# --- goals -----------------------------------------------------------------------------------


def active_goal(conn: Connection, owner_id: int) -> Any | None:
    return conn.execute(
        select(goal)
        .where(goal.c.owner_id == owner_id, goal.c.active.is_(True))
        .order_by(goal.c.id.desc())
    ).first()


def set_goal(conn: Connection, owner_id: int, text: str | None, now: datetime) -> int | None:
    """End the active goal and, given a text, start a new one."""
    conn.execute(
        update(goal)
        .where(goal.c.owner_id == owner_id, goal.c.active.is_(True))
        .values(active=False, ended_at=now)
    )
    if not text:
        return None
    result = conn.execute(insert(goal).values(owner_id=owner_id, text=text, created_at=now))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0])


def goals(conn: Connection, owner_id: int) -> list[Any]:
    return list(
        conn.execute(select(goal).where(goal.c.owner_id == owner_id).order_by(goal.c.id.desc()))
    )


# --- holds -----------------------------------------------------------------------------------


def add_hold(
    conn: Connection,
    owner_id: int,
    person_id: int,
    kind: str,
    now: datetime,
    until: datetime | None = None,
    reason: str | None = None,
) -> None:
    lift_holds(conn, owner_id, person_id, now)
    conn.execute(
        insert(person_hold).values(
            owner_id=owner_id,
            person_id=person_id,
            kind=kind,
            until=until,
            reason=reason,
            created_at=now,
        )
    )


def retime_holds(conn: Connection, owner_id: int, kind: str, days: int) -> int:
    """Make every unlifted hold of ``kind`` end ``days`` after it was set (a decline follows
    ``outcomes.declined_days`` as it is now); returns how many changed."""
    rows = conn.execute(
        select(person_hold.c.id, person_hold.c.created_at).where(
            person_hold.c.owner_id == owner_id,
            person_hold.c.kind == kind,
            person_hold.c.lifted_at.is_(None),
        )
    ).all()
    for row in rows:
        conn.execute(
            update(person_hold)
            .where(person_hold.c.id == row.id)
            .values(until=row.created_at + timedelta(days=days))
        )
    return len(rows)


def lift_holds(conn: Connection, owner_id: int, person_id: int, now: datetime) -> int:
    result = conn.execute(
        update(person_hold)
        .where(
            person_hold.c.owner_id == owner_id,
            person_hold.c.person_id == person_id,
            person_hold.c.lifted_at.is_(None),
        )
        .values(lifted_at=now)
    )
    return int(result.rowcount or 0)


def _in_force(owner_id: int, now: datetime) -> tuple[Any, ...]:
    """The owner's holds neither lifted nor run out at ``now``."""
    return (
        person_hold.c.owner_id == owner_id,
        person_hold.c.lifted_at.is_(None),
        or_(person_hold.c.until.is_(None), person_hold.c.until > now),
    )


def holds_in_force(conn: Connection, owner_id: int, now: datetime) -> dict[int, Any]:
    """Per person, the hold that keeps them out of the plan at ``now``."""
    rows = conn.execute(
        select(person_hold).where(*_in_force(owner_id, now)).order_by(person_hold.c.id)
    )
    return {int(r.person_id): r for r in rows}


#: the kind of the mark `rekindle resume` leaves: never in force, it says when you lifted a
#: person's holds (what their outcomes taught holds them no more)
RESUMED = "resumed"


def mark_resumed(conn: Connection, owner_id: int, person_id: int, now: datetime) -> int:
    """Lift the person's holds and remember when; returns how many were in place."""
    lifted = lift_holds(conn, owner_id, person_id, now)
    conn.execute(
        insert(person_hold).values(
            owner_id=owner_id,
            person_id=person_id,
            kind=RESUMED,
            until=now,
            created_at=now,
            lifted_at=now,
        )
    )
    return lifted


def resumed_at(
    conn: Connection, owner_id: int, person_ids: Sequence[int] | None = None
) -> dict[int, datetime]:
    """Per person, when you last lifted their holds with `rekindle resume`."""
    stmt = (
        select(person_hold.c.person_id, func.max(person_hold.c.created_at))
        .where(person_hold.c.owner_id == owner_id, person_hold.c.kind == RESUMED)
        .group_by(person_hold.c.person_id)
    )
    if person_ids is not None:
        stmt = stmt.where(person_hold.c.person_id.in_(list(person_ids)))
    return {int(pid): at for pid, at in conn.execute(stmt) if at is not None}


def hold_of(conn: Connection, owner_id: int, person_id: int, now: datetime) -> Any | None:
    """The hold that keeps one person out of the plan at ``now`` (None: nothing does)."""
    return conn.execute(
        select(person_hold)
        .where(*_in_force(owner_id, now), person_hold.c.person_id == person_id)
        .order_by(person_hold.c.id.desc())
        .limit(1)
    ).first()


# --- the stored plan -------------------------------------------------------------------------


def plan_entries(conn: Connection, owner_id: int, period: str) -> list[Any]:
    return list(
        conn.execute(
            select(plan_entry)
            .where(plan_entry.c.owner_id == owner_id, plan_entry.c.period == period)
            .order_by(plan_entry.c.rank)
        )
    )


def save_plan(
    conn: Connection,
    owner_id: int,
    period: str,
    goal_id: int | None,
    entries: Sequence[tuple[int, float, str]],
    now: datetime,
) -> None:
    """Replace the period's plan with ``(person_id, score, detail json)`` in rank order."""
    conn.execute(
        delete(plan_entry).where(plan_entry.c.owner_id == owner_id, plan_entry.c.period == period)
    )
    if entries:
        conn.execute(
            insert(plan_entry),
            [
                {
                    "owner_id": owner_id,
                    "period": period,
                    "goal_id": goal_id,
                    "person_id": pid,
                    "rank": rank,
                    "score": score,
                    "detail": detail,
                    "created_at": now,
                }
                for rank, (pid, score, detail) in enumerate(entries, 1)
            ],
        )


# --- people's facts in bulk ------------------------------------------------------------------


def active_people(conn: Connection, owner_id: int) -> dict[int, str]:
    rows = conn.execute(
        select(person.c.id, person.c.display_name).where(
            person.c.owner_id == owner_id,
            person.c.merged_into.is_(None),
            person.c.is_me.is_(False),
        )
    )
    return {int(r.id): r.display_name for r in rows}


def names_of(conn: Connection, owner_id: int, person_ids: Sequence[int]) -> dict[int, str]:
    """The display names of a few people (the owner's only)."""
    if not person_ids:
        return {}
    rows = conn.execute(
        select(person.c.id, person.c.display_name).where(
            person.c.owner_id == owner_id, person.c.id.in_(list(person_ids))
        )
    )
    return {int(r.id): r.display_name for r in rows}


class Affiliation(NamedTuple):
    """An affiliation row as a plain tuple: a plan reads its fields some 200,000 times, and a
    tuple's field costs an index where a result row's costs a lookup by name."""

    id: int
    owner_id: int
    person_id: int
    source_record_id: int | None
    organisation: str
    title: str | None
    department: str | None
    kind: str
    start_date: date | None
    end_date: date | None


def affiliations_by_person(
    conn: Connection, owner_id: int, people: Collection[int] | None = None
) -> dict[int, list[Affiliation]]:
    """Everyone's affiliations (or these people's), current ones first, the latest start
    first."""
    out: dict[int, list[Affiliation]] = defaultdict(list)
    whose = true() if people is None else among(conn, affiliation.c.person_id, people)
    for r in conn.execute(
        select(*(affiliation.c[name] for name in Affiliation._fields))
        .where(affiliation.c.owner_id == owner_id, whose)
        .order_by(
            affiliation.c.end_date.is_not(None),
            affiliation.c.start_date.desc().nulls_last(),
            affiliation.c.id,
        )
    ):
        out[int(r.person_id)].append(Affiliation._make(r))
    return out


def tags_by_person(conn: Connection, owner_id: int) -> dict[int, set[str]]:
    out: dict[int, set[str]] = defaultdict(set)
    for pid, name in conn.execute(
        select(tag.c.person_id, tag.c.name).where(tag.c.owner_id == owner_id)
    ):
        out[int(pid)].add(name)
    return out


def notes_by_person(conn: Connection, owner_id: int) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    for pid, body in conn.execute(
        select(note.c.person_id, note.c.body).where(note.c.owner_id == owner_id)
    ):
        out[int(pid)].append(body)
    return out


def reach_by_person(conn: Connection, person_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Per person: their identity kinds (email, phone, linkedin for a LinkedIn URL) and the
    first value of each."""
    out: dict[int, dict[str, Any]] = defaultdict(dict)
    if not person_ids:
        return out
    for r in conn.execute(
        select(identity.c.person_id, identity.c.kind, identity.c.value, identity.c.service)
        .where(identity.c.person_id.in_(list(person_ids)))
        .order_by(identity.c.id)
    ):
        linkedin = r.kind == "url" and (r.service == "linkedin" or "linkedin.com/" in r.value)
        out[int(r.person_id)].setdefault("linkedin" if linkedin else r.kind, r.value)
    return out


class TieSummary(NamedTuple):
    """A tie's stored statistics as the plan's first pass reads them (a plain tuple: it reads
    ten fields of each of 20k, by index rather than by name)."""

    person_id: int
    last_contact: datetime | None
    last_two_way: datetime | None
    messages_in: int
    messages_out: int
    meetings: int
    decayed_sum: float
    peak_decayed: float
    peak_personal: float | None


def tie_summaries(conn: Connection, owner_id: int) -> dict[int, TieSummary]:
    """Per person, the stored tie statistics the plan's first, cheap pass reads."""
    rows = conn.execute(
        select(*(tie_stats.c[name] for name in TieSummary._fields)).where(
            tie_stats.c.owner_id == owner_id
        )
    )
    return {int(r.person_id): TieSummary._make(r) for r in rows}


def recent_personal_counts(
    conn: Connection, owner_id: int, since: datetime, until: datetime, group_limit: int
) -> dict[str, int]:
    """Per person (keyed by id as text), how many personal interactions fell in [since, until)."""
    rows = conn.execute(
        select(interaction_person.c.person_id, func.count())
        .join(interaction, interaction.c.id == interaction_person.c.interaction_id)
        .where(
            interaction.c.owner_id == owner_id,
            interaction.c.occurred_at >= since,
            interaction.c.occurred_at < until,
            interaction.c.group_size <= group_limit,
        )
        .group_by(interaction_person.c.person_id)
    )
    return {str(pid): int(n) for pid, n in rows}
