"""Where people live, as far as the data shows, and who lives far from you.

A person's place is their ``country`` edit, else the country and city of their newest record
with an address; yours is the same for the "me" person, your country falling back to the
``region`` setting. Someone is *far away* when both countries are known and differ, or when
both cities are known and differ. Unknown is never far: the medium is only changed on evidence.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from rekindle.engine.occasion_holidays import country_code
from rekindle.store import occasions as oq
from rekindle.store import people as pq
from rekindle.store.settings import get_settings

Place = tuple[str | None, str | None]


def far_away(conn: Connection, owner_id: int, person_ids: Sequence[int]) -> set[int]:
    """The people among ``person_ids`` whose known country or city differs from yours."""
    if not person_ids:
        return set()
    me = pq.find_me(conn, owner_id)
    places = places_of(conn, owner_id, [*person_ids, *([me] if me else [])])
    my_country, my_city = places.get(me, (None, None)) if me else (None, None)
    my_country = my_country or country_code(get_settings(conn, owner_id).get("region"))
    far: set[int] = set()
    for pid in person_ids:
        country, city = places.get(pid, (None, None))
        if (
            country
            and my_country
            and country != my_country
            or city
            and my_city
            and _fold(city) != _fold(my_city)
        ):
            far.add(pid)
    return far


def places_of(conn: Connection, owner_id: int, person_ids: Sequence[int]) -> dict[int, Place]:
    edits = pq.edits_for(conn, person_ids, ("country",))
    out: dict[int, Place] = {}
    for pid, rows in oq.record_data_for(conn, owner_id, person_ids).items():
        newest: tuple[Any, Place] | None = None
        for r in rows:
            place = _address_place(json.loads(r.data))
            if place != (None, None) and (newest is None or r.last_seen >= newest[0]):
                newest = (r.last_seen, place)
        country, city = newest[1] if newest else (None, None)
        out[pid] = (country_code(edits.get(pid, {}).get("country")) or country, city)
    for pid, mine in edits.items():
        out.setdefault(pid, (country_code(mine.get("country")), None))
    return out


def _address_place(data: dict[str, Any]) -> Place:
    """The (country code, city) of a record's first home-like address."""
    addresses = data.get("addresses") or []
    ordered = sorted(addresses, key=lambda a: (a.get("label") or "").lower() in ("work", "office"))
    for a in ordered:
        country, city = country_code(a.get("country")), (a.get("city") or "").strip() or None
        if country or city:
            return country, city
    return None, None


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())
