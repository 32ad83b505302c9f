"""New addresses of people already known, put to the user as merge suggestions.

After a sync has made people of the new addresses it met (two-way exchanges), each is
checked against the threads it wrote in (:mod:`rekindle.identity.new_address`): one that took
up a known person's thread under that person's name is suggested as that person's new
address, with the thread, the change of domain and the hand-over date as reasons, so the
user attaches it with one ``rekindle merge --accept``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from datetime import datetime

from sqlalchemy import Connection

from rekindle.identity.new_address import RULE, Continuation, Sighting, continuation
from rekindle.store import merges
from rekindle.store import new_addresses as nq


def suggest_continuations(
    conn: Connection,
    owner_id: int,
    fresh: Collection[str],
    people: Mapping[str, int],
    mine: Collection[str],
    now: datetime,
) -> list[Continuation]:
    """Suggest each fresh address's person be merged into the known person whose thread it
    continued; the suggestions made (or made stronger)."""
    fresh_set = set(fresh)
    new_people = {a: people[a] for a in fresh if a in people}
    if not new_people or all(a in fresh_set or a in mine for a in people):
        return []  # nobody was known before (a first sync): no thread can have been taken up
    rows = nq.thread_company(conn, owner_id, sorted(new_people))
    known = {
        people[r.other]
        for r in rows
        if r.other in people and r.other not in fresh_set and r.other not in mine
    }
    names = nq.display_names(conn, sorted(known | set(new_people.values())))
    shown = nq.address_displays(
        conn, owner_id, sorted({r.other for r in rows if r.other in people})
    )
    seen: dict[str, list[Sighting]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: (r.new_first is None, r.new_first, r.thread, r.other)):
        pid = people.get(r.other)
        if pid is None or r.other in fresh_set or r.other in mine or pid == new_people[r.address]:
            continue
        seen[r.address].append(
            Sighting(
                r.thread,
                r.subject,
                shown.get(r.other, r.other),
                pid,
                names.get(pid, ""),
                r.other_last,
                r.new_first,
            )
        )
    blocked = merges.blocked_pairs(conn, owner_id)
    made = []
    for address, sightings in sorted(seen.items()):
        new_person = new_people[address]
        found = continuation(address, names.get(new_person), sightings)
        if found is None:
            continue
        pair = (min(found.person, new_person), max(found.person, new_person))
        if pair in blocked:
            continue
        if nq.put_suggestion(conn, owner_id, pair, found.score, RULE, found.reasons, now):
            made.append(found)
    return made


__all__ = ["suggest_continuations"]
