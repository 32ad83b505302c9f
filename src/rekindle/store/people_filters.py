"""People filtered and sorted in one query: by text, tag, tier, organisation and silence.

The tier is computed in SQL the way the plan decides it (:func:`rekindle.engine.tiers.cadence_for`):
the person's own ``tier`` edit, else the tier the peak strength of their personal contact
reached (:data:`rekindle.engine.tiers.PEAK_FOR`). Silence and strength come from the stored tie statistics.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, and_, bindparam, case, func, or_, select

from rekindle.engine.tiers import PEAK_FOR, TIERS
from rekindle.store import search
from rekindle.store.people import active_person
from rekindle.store.schema import affiliation, person, person_edit, tag
from rekindle.store.schema_history import tie_stats
from rekindle.store.search import like_pattern
from rekindle.store.tier_sql import inferred_tier

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
    """One page of active people matching every filter, with their tier and tie figures.

    The statement depends only on which filters are set (and how the text is matched); the
    values go in as parameters. So each kind of page is built once: building this statement
    cost four times what running it does."""
    values: dict[str, Any] = {"owner_id": owner_id, "offset": offset, "limit": limit}
    text_kind = None
    if want.text:
        text_kind, found = search.text_filter(conn, want.text, owner_id)
        values.update(found)
    if want.tag:
        values["tag"] = want.tag
    if want.tier:
        values["tier"] = want.tier
    if want.organisation:
        values["organisation"] = like_pattern(want.organisation)
        values["today"] = want.today
    if want.silent_before is not None:
        values["silent_before"] = want.silent_before
    if want.strong_from is not None:
        values["strong_from"] = want.strong_from
    stmt = _statement(
        text_kind,
        bool(want.tag),
        bool(want.tier),
        bool(want.organisation),
        bool(want.organisation) and want.today is not None,
        want.silent_before is not None,
        want.strong_from is not None,
        want.sort,
        limit is not None,
    )
    return list(conn.execute(stmt, values))


@lru_cache(maxsize=256)
def _statement(
    text_kind: str | None,
    tagged: bool,
    tiered: bool,
    at_organisation: bool,
    current_only: bool,
    silent: bool,
    strong: bool,
    sort: str,
    limited: bool,
) -> Any:
    """The statement for one combination of filters, with bind parameters for every value."""
    owner_id: Any = bindparam("owner_id")
    tier_edit = person_edit.alias("tier_edit")
    inferred = inferred_tier(PEAK_FOR, "dormant")
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
    if text_kind is not None:
        stmt = stmt.where(search.condition(text_kind))
    if tagged:
        stmt = stmt.where(
            person.c.id.in_(
                select(tag.c.person_id).where(
                    tag.c.owner_id == owner_id, tag.c.name == bindparam("tag")
                )
            )
        )
    if tiered:
        stmt = stmt.where(tier == bindparam("tier"))
    if at_organisation:
        stmt = stmt.where(_works_at(current_only))
    if silent:
        stmt = stmt.where(tie_stats.c.last_contact < bindparam("silent_before"))
    if strong:
        stmt = stmt.where(tie_stats.c.peak_decayed >= bindparam("strong_from"))
    stmt = stmt.order_by(*_order(sort)).offset(bindparam("offset"))
    if limited:
        stmt = stmt.limit(bindparam("limit"))
    return stmt


def _works_at(current_only: bool) -> Any:
    """Their organisation edit, or a current affiliation (no end, or ending after ``today``
    when given), contains the ``organisation`` parameter's text (any case)."""
    owner_id: Any = bindparam("owner_id")
    current: Any = affiliation.c.end_date.is_(None)
    if current_only:
        current = or_(current, affiliation.c.end_date >= bindparam("today"))
    org_edit = person_edit.alias("org_edit")
    return or_(
        person.c.id.in_(
            select(affiliation.c.person_id).where(
                affiliation.c.owner_id == owner_id,
                current,
                func.lower(affiliation.c.organisation).like(bindparam("organisation"), escape="/"),
            )
        ),
        person.c.id.in_(
            select(org_edit.c.person_id).where(
                org_edit.c.owner_id == owner_id,
                org_edit.c.field == "organisation",
                func.lower(org_edit.c.value).like(bindparam("organisation"), escape="/"),
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
