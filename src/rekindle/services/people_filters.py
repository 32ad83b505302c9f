"""`rekindle people` and the People page: filter by tag, tier, organisation and silence, and
sort by name, last contact, strength or "formerly strong, now quiet", all in one query."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from rekindle.engine.tiers import TIERS
from rekindle.errors import UserError
from rekindle.services.timeline import DORMANT_DAYS, FORMERLY_STRONG
from rekindle.store import Store
from rekindle.store import people as pq
from rekindle.store.database import utcnow
from rekindle.store.people_filters import PeopleQuery, filter_people

#: the sorts, in words
SORTS = {
    "name": "name",
    "last": "last contact, latest first",
    "strength": "strength now, strongest first",
    "dormant": "formerly strong, now quiet",
}
#: the silences the People page offers (any ``N d|w|m|y`` works)
SILENCES = {"6m": "6 months", "1y": "1 year", "2y": "2 years", "5y": "5 years"}
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30.44, "y": 365.25}
_DURATION = re.compile(r"^\s*(\d{1,4})\s*([dwmy])\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class PeopleFilters:
    """What the user asked for, as typed (empty: no filter)."""

    text: str = ""
    tag: str = ""
    tier: str = ""
    organisation: str = ""
    silent_for: str = ""
    sort: str = "name"


def silence_days(text: str) -> int:
    """'6m' -> 183, '1y' -> 365, '90d' -> 90, '2w' -> 14; a clear error otherwise."""
    found = _DURATION.match(text)
    if not found or int(found.group(1)) == 0:
        raise UserError(
            f"{text!r} is not a length of silence", hint="write a number and d, w, m or y: 6m, 1y"
        )
    return round(int(found.group(1)) * _UNIT_DAYS[found.group(2).lower()])


def check(filters: PeopleFilters) -> None:
    if filters.tier and filters.tier not in TIERS:
        raise UserError(f"no tier {filters.tier!r}", hint="tiers: " + ", ".join(TIERS))
    if filters.sort not in SORTS:
        raise UserError(f"cannot sort by {filters.sort!r}", hint="sorts: " + ", ".join(SORTS))
    if filters.silent_for:
        silence_days(filters.silent_for)


def find_people(
    store: Store,
    filters: PeopleFilters,
    now: datetime | None = None,
    limit: int | None = 50,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """One page of people with their tier, last contact, strength and how to reach them."""
    check(filters)
    now = now or utcnow()
    silent_before = None
    if filters.silent_for:
        silent_before = now - timedelta(days=silence_days(filters.silent_for))
    strong_from = None
    if filters.sort == "dormant":
        strong_from = FORMERLY_STRONG
        quiet = now - timedelta(days=DORMANT_DAYS)
        silent_before = min(silent_before, quiet) if silent_before else quiet
    want = PeopleQuery(
        text=filters.text.strip() or None,
        tag=filters.tag.strip() or None,
        tier=filters.tier or None,
        organisation=filters.organisation.strip() or None,
        silent_before=silent_before,
        strong_from=strong_from,
        today=now.date(),
        sort=filters.sort,
    )
    with store.read() as conn:
        rows = filter_people(conn, store.owner_id, want, limit, offset)
        info = pq.summaries(conn, [r.id for r in rows])
    return [_row(r, info[r.id], now) for r in rows]


def _row(r: Any, info: dict[str, Any], now: datetime) -> dict[str, Any]:
    silent = (now - r.last_contact).days if r.last_contact is not None else None
    gap = r.median_gap_days or None
    return {
        "id": r.id,
        "name": r.display_name,
        "status": r.status,
        "tier": r.tier,
        **info,
        "last_contact": r.last_contact,
        "silent_days": silent,
        "strength_now": round(r.decayed_sum or 0.0, 2),
        "peak_strength": round(r.peak_decayed or 0.0, 2),
        "messages": (r.messages_in or 0) + (r.messages_out or 0),
        "meetings": r.meetings or 0,
        "gap_ratio": round(silent / gap, 1) if gap and silent is not None else None,
    }
