"""People filtered and sorted in one query: by text, tag, tier, organisation and silence.

The tier is computed in SQL the way the plan decides it (:func:`rekindle.tiers.cadence_for`):
the person's own ``tier`` edit, else the tier their peak strength reached
(:data:`rekindle.tiers.PEAK_FOR`). Silence and strength come from the stored tie statistics.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, case, func, literal, or_, select

from rekindle.store.people import active_person, matches_query
from rekindle.store.schema import affiliation, person, person_edit, tag
from rekindle.store.schema_history import tie_stats
from rekindle.tiers import PEAK_FOR, TIERS

SORTS = ("name", "last", "strength", "dormant")


@dataclass(frozen=True)
class PeopleQuery:
    """What to list. ``silent_before``: last contact before then (nobody without contact);
    ``strong_from`` with ``silent_before``: formerly strong ties only (peak at least that)."""

    text: str | None = None
    tag: str | None = None
    tier: str | None = None
    organisation: str | None = None
    silent_before: datetime | None = None
    strong_from: float | None = None
    today: date | None = None
    sort: str = "name"


def filter_people(
    conn: Connection, owner_id: int, want: PeopleQuery, limit: int | None, offset: int = 0
) -> list[Any]:
    """One page of active people matching every filter, with their tier and tie figures."""
    tier_edit = person_edit.alias("tier_edit")
    peak = func.coalesce(tie_stats.c.peak_decayed, 0.0)
    inferred = case(*((peak >= value, literal(name)) for name, value in PEAK_FOR), else_="dormant")
    tier = case((tier_edit.c.value.in_(TIERS), tier_edit.c.value), else_=inferred).label("tier")
    stmt = (
        select(
            person.c.id,
            person.c.display_name,
            person.c.status,
            tier,
            tie_stats.c.last_contact,
            tie_stats.c.decayed_sum,
            tie_stats.c.peak_decayed,
            tie_stats.c.median_gap_days,
            tie_stats.c.messages_in,
            tie_stats.c.messages_out,
            tie_stats.c.meetings,
        )
        .select_from(person)
        .outerjoin(tie_stats, tie_stats.c.person_id == person.c.id)
        .outerjoin(
            tier_edit, and_(tier_edit.c.person_id == person.c.id, tier_edit.c.field == "tier")
        )
        .where(active_person(owner_id))
    )
    if want.text:
        stmt = stmt.where(matches_query(conn, owner_id, want.text))
    if want.tag:
        stmt = stmt.where(
            person.c.id.in_(
                select(tag.c.person_id).where(tag.c.owner_id == owner_id, tag.c.name == want.tag)
            )
        )
    if want.tier:
        stmt = stmt.where(tier == want.tier)
    if want.organisation:
        stmt = stmt.where(_works_at(owner_id, want.organisation, want.today))
    if want.silent_before is not None:
        stmt = stmt.where(tie_stats.c.last_contact < want.silent_before)
    if want.strong_from is not None:
        stmt = stmt.where(tie_stats.c.peak_decayed >= want.strong_from)
    stmt = stmt.order_by(*_order(want.sort)).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(conn.execute(stmt))


def _works_at(owner_id: int, needle: str, today: date | None) -> Any:
    """Their organisation edit, or a current affiliation (no end, or ending after today),
    contains ``needle`` (case-insensitive; % and _ are plain characters)."""
    text = needle.lower()
    current: Any = affiliation.c.end_date.is_(None)
    if today is not None:
        current = or_(current, affiliation.c.end_date >= today)
    org_edit = person_edit.alias("org_edit")
    return or_(
        person.c.id.in_(
            select(affiliation.c.person_id).where(
                affiliation.c.owner_id == owner_id,
                current,
                func.lower(affiliation.c.organisation).contains(text, autoescape=True),
            )
        ),
        person.c.id.in_(
            select(org_edit.c.person_id).where(
                org_edit.c.owner_id == owner_id,
                org_edit.c.field == "organisation",
                func.lower(org_edit.c.value).contains(text, autoescape=True),
            )
        ),
    )


def _order(sort: str) -> list[Any]:
    by_name = [person.c.sort_name, person.c.display_name, person.c.id]
    if sort == "last":
        return [tie_stats.c.last_contact.desc().nulls_last(), *by_name]
    if sort == "strength":
        return [func.coalesce(tie_stats.c.decayed_sum, 0.0).desc(), *by_name]
    if sort == "dormant":
        return [
            tie_stats.c.last_contact.asc().nulls_last(),
            tie_stats.c.peak_decayed.desc(),
            person.c.id,
        ]
    return by_name
