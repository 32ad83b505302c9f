"""Occasions of many people at once: computed ones, stored life events, handled flags.

``occasions_for`` is what the reconnection engine and ``rekindle occasions`` call. It reads
every fact in a few batched queries (edits, records, dated affiliations, first contacts, stored
occasions), so 20,000 people cost a handful of statements, not 20,000 round trips.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from rekindle.engine.occasion_holidays import country_code, holiday_occasions
from rekindle.engine.occasions import (
    LIFE_EVENT_KINDS,
    Occasion,
    anniversary_occasion,
    birthday_occasion,
    met_anniversary,
    source_label,
    timing_strength,
    work_anniversary,
    work_anniversary_days,
)
from rekindle.errors import NotFoundError, UserError
from rekindle.identity.records import PartialDate
from rekindle.services.greeting_days import kept_greeting_days
from rekindle.services.people import resolve_person
from rekindle.store import Store
from rekindle.store import occasions as oq
from rekindle.store import people as pq
from rekindle.store.database import utcnow
from rekindle.store.settings import get_settings

#: by default: everything that may pull today (holidays 14 days ahead, life events 60 back)
AHEAD_DAYS = 14
BACK_DAYS = 60


@dataclass(frozen=True)
class _Facts:
    birthday: tuple[PartialDate, str] | None
    country: str | None
    connected: tuple[date, str] | None
    anniversary: tuple[PartialDate, str] | None = None


def occasions_for(
    conn: Connection,
    owner_id: int,
    person_ids: Sequence[int],
    today: date,
    *,
    ahead: int = AHEAD_DAYS,
    back: int = BACK_DAYS,
    holidays: bool = True,
    listing: bool = False,
) -> dict[int, list[Occasion]]:
    """Each person's occasions dated from ``back`` days before ``today`` to ``ahead`` after,
    soonest first, with their handled flags.

    ``listing``: a list of the window, past included: a birthday or anniversary ``back`` days
    ago is shown as passed (the plan, by default, moves on to the next one once it is stale).

    Computed: birthdays (from your edits, else the records; year-less too), anniversaries
    (a card's ANNIVERSARY), round work
    anniversaries (dated affiliations), round "since you first met" anniversaries (first
    contact in the history, or a LinkedIn connection date) and holiday greetings for your
    country (the ``region`` setting) and the person's (a ``country`` edit, else a record's
    address). Stored: life events. Every person in ``person_ids`` has an entry.
    """
    ids = list(dict.fromkeys(person_ids))
    mine = country_code(get_settings(conn, owner_id).get("region")) if holidays else None
    facts = _facts(conn, owner_id, ids)
    # only the people with a work anniversary in the window: the others' fall outside it
    affiliations = oq.dated_work_affiliations(conn, ids, work_anniversary_days(today, back, ahead))
    firsts = oq.first_contacts(conn, ids)
    stored = oq.stored_occasions(conn, owner_id, ids)
    greetings: dict[tuple[str | None, str | None], list[Occasion]] = {}
    days_of = kept_greeting_days()
    out: dict[int, list[Occasion]] = {}
    for pid in ids:
        f = facts.get(pid) or _Facts(None, None, None)
        computed = _computed(
            f, affiliations.get(pid, []), firsts.get(pid), today, back if listing else None
        )
        if holidays:
            pair = (mine, f.country)
            if pair not in greetings:
                greetings[pair] = holiday_occasions([c for c in pair if c], today, days_of)
            computed.extend(greetings[pair])
        found = _with_stored(computed, stored.get(pid, []))
        out[pid] = sorted(
            (o for o in found.values() if -back <= (o.on_date - today).days <= ahead),
            key=lambda o: (o.on_date, o.kind, o.key),
        )
    days_of.save()
    return out


def _computed(
    f: _Facts,
    affiliations: Sequence[Any],
    first: datetime | None,
    today: date,
    grace: int | None = None,
) -> list[Occasion | None]:
    """The occasions a person's facts give: birthday, work anniversaries, since you met."""
    computed: list[Occasion | None] = []
    if f.birthday:
        computed.append(birthday_occasion(f.birthday[0], today, f.birthday[1], grace))
    if f.anniversary:
        computed.append(anniversary_occasion(f.anniversary[0], today, f.anniversary[1], grace))
    for a in affiliations:
        computed.append(
            work_anniversary(a.organisation, a.start_date, today, a.end_date, a.source or "you")
        )
    computed.append(_met(first, f.connected, today))
    return computed


def _with_stored(computed: Sequence[Occasion | None], stored: Sequence[Any]) -> dict[str, Occasion]:
    """One occasion a key: the computed ones marked handled where a stored row says so, and
    the stored life events (a new job, a move) that nothing computes."""
    found: dict[str, Occasion] = {}
    for occ in computed:
        if occ is not None and occ.key not in found:
            found[occ.key] = occ
    for row in stored:
        if row.key in found:
            found[row.key] = replace(found[row.key], handled=row.handled_at is not None)
        elif row.kind in LIFE_EVENT_KINDS:
            found[row.key] = Occasion(
                row.kind,
                row.key,
                row.on_date,
                row.detail,
                row.source,
                row.handled_at is not None,
            )
    return found


def _met(
    first: datetime | None, connected: tuple[date, str] | None, today: date
) -> Occasion | None:
    options = []
    if first is not None:
        options.append((first.date(), "first contact", "history"))
    if connected is not None:
        how = "connected on LinkedIn" if connected[1] == "linkedin" else "connected"
        options.append((connected[0], how, connected[1]))
    if not options:
        return None
    day, how, source = min(options)
    return met_anniversary(day, today, how, source)


def _facts(conn: Connection, owner_id: int, ids: Sequence[int]) -> dict[int, _Facts]:
    """Birthday (edit first, then the first record with one), country and connection date."""
    edits = pq.edits_for(conn, ids, ("birthday", "country"))
    out: dict[int, _Facts] = {}
    for pid, rows in oq.record_facts_for(conn, owner_id, ids).items():
        mine = edits.get(pid, {})
        birthday = _partial(mine.get("birthday"), "you")
        country = country_code(mine.get("country"))
        connected: tuple[date, str] | None = None
        anniversary: tuple[PartialDate, str] | None = None
        newest = None
        for r in rows:
            if birthday is None and r.birthday:
                birthday = _partial(r.birthday, r.source)
            if anniversary is None and r.anniversary:
                anniversary = _partial(r.anniversary, r.source)
            if r.connected_on:
                day = date.fromisoformat(r.connected_on)
                if connected is None or day < connected[0]:
                    connected = (day, r.source)
            place = _address_country(r.addresses) if country is None else None
            if place and (newest is None or r.last_seen >= newest[0]):
                newest = (r.last_seen, place)
        out[pid] = _Facts(
            birthday, country or (newest[1] if newest else None), connected, anniversary
        )
    for pid, mine in edits.items():
        if pid not in out:
            out[pid] = _Facts(
                _partial(mine.get("birthday"), "you"), country_code(mine.get("country")), None
            )
    return out


def _partial(text: str | None, source: str) -> tuple[PartialDate, str] | None:
    if not text:
        return None
    try:
        return PartialDate.from_iso(text), source
    except ValueError:
        return None


def _address_country(addresses_json: str | None) -> str | None:
    """The country of a record's first home-like address (its addresses as JSON)."""
    addresses: list[dict[str, Any]] = (json.loads(addresses_json) if addresses_json else None) or []
    ordered = sorted(addresses, key=lambda a: (a.get("label") or "").lower() in ("work", "office"))
    for a in ordered:
        code = country_code(a.get("country"))
        if code:
            return code
    return None


# --- what the CLI calls ------------------------------------------------------------------------


def upcoming(
    store: Store, today: date, days: int = AHEAD_DAYS, *, holidays: bool = False
) -> list[dict[str, Any]]:
    """Occasions of everyone from ``days`` before ``today`` to ``days`` after, soonest first.

    Holidays are left out unless asked for (they apply to everyone in a country)."""
    with store.read() as conn:
        people = pq.search_people(conn, store.owner_id)
        names = {r.id: r.display_name for r in people}
        found = occasions_for(
            conn,
            store.owner_id,
            list(names),
            today,
            ahead=days,
            back=days,
            holidays=holidays,
            listing=True,
        )
    rows = [as_row(pid, names[pid], o, today) for pid, occs in found.items() for o in occs]
    rows.sort(key=lambda r: (r["date"], r["name"], r["key"]))
    return rows


def holiday_summary(store: Store, today: date, days: int = AHEAD_DAYS) -> list[dict[str, Any]]:
    """The holidays of your country in the window (they apply to everyone there)."""
    with store.read() as conn:
        mine = country_code(get_settings(conn, store.owner_id).get("region"))
    if mine is None:
        return []
    return [
        {"key": o.key, "date": o.on_date.isoformat(), "detail": o.detail}
        for o in holiday_occasions([mine], today, kept_greeting_days())
        if -days <= (o.on_date - today).days <= days
    ]


def as_row(person_id: int, name: str, o: Occasion, today: date) -> dict[str, Any]:
    return {
        "person_id": person_id,
        "name": name,
        "kind": o.kind,
        "key": o.key,
        "date": o.on_date.isoformat(),
        "detail": o.detail,
        "source": source_label(o.source),
        "handled": o.handled,
        "strength": timing_strength(o, today),
    }


def mark_handled(
    store: Store,
    person_ref: str,
    key: str,
    *,
    handled: bool = True,
    today: date | None = None,
    region: str | None = None,
    now: datetime | None = None,
) -> tuple[int, Occasion]:
    """Mark a person's occasion (by its key) handled, or not; the person and the occasion."""
    now = now or utcnow()
    today = today or now.date()
    key = key.strip()
    if not key:
        raise UserError("no occasion key given", hint="`rekindle occasions` shows the keys")
    with store.begin() as conn:
        pid = resolve_person(conn, store.owner_id, person_ref, region)
        found = occasions_for(conn, store.owner_id, [pid], today, ahead=366, back=366)[pid]
        match = _pick(pid, found, key)
        oq.set_handled(conn, store.owner_id, pid, match, now if handled else None, now)
        return pid, replace(match, handled=handled)


def _pick(person_id: int, found: list[Occasion], key: str) -> Occasion:
    """The occasion with this key, or the only one whose key starts with it (``birthday``)."""
    exact = [o for o in found if o.key == key]
    matches = exact or [o for o in found if o.key.startswith(key.rstrip(":") + ":")]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        known = ", ".join(o.key for o in found[:8]) or "none this year"
        raise NotFoundError(
            f"person #{person_id} has no occasion {key!r}", hint=f"their occasions: {known}"
        )
    raise UserError(
        f"{key!r} names {len(matches)} occasions of person #{person_id}",
        hint="give the whole key: " + ", ".join(o.key for o in matches[:8]),
    )
