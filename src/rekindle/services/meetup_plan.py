"""`rekindle meetup plan`: groups of people worth bringing together, and why.

The facts come from the store (:mod:`rekindle.store.meetups`), the grouping and ranking from
:mod:`rekindle.engine.meetup_groups`. The user is never in a group (nor a record that looks
like them), and neither is anyone marked do-not-contact or who declined a reconnection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rekindle.engine.meetup_groups import (
    MAX_SIZE,
    MIN_SIZE,
    Found,
    Group,
    city_groups,
    organisation_groups,
    propose_groups,
    tag_groups,
    thread_groups,
)
from rekindle.engine.shared_context import Period
from rekindle.errors import UserError
from rekindle.services.myself import likely_me
from rekindle.store import Store
from rekindle.store import engine as eq
from rekindle.store import meetups as mq
from rekindle.store import people as pq
from rekindle.store.database import utcnow

#: what ``--kind`` accepts
KINDS = ("organisation", "city", "tag", "thread")
#: holds that keep a person out of every meetup
KEPT_OUT = ("never", "declined")


@dataclass
class MeetupPlan:
    groups: list[Group]
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"groups": [g.as_json() for g in self.groups], "notes": self.notes}


def _invitable(conn: Any, owner_id: int, now: datetime) -> dict[int, str]:
    """Everyone who may be invited: active, not me, not kept out (those likely me are left
    out of the proposed groups afterwards: checking everyone costs more)."""
    names = eq.active_people(conn, owner_id)
    held = eq.holds_in_force(conn, owner_id, now)
    for pid, hold in held.items():
        if hold.kind in KEPT_OUT:
            names.pop(pid, None)
    return names


def _my_periods(conn: Any, owner_id: int) -> list[Period]:
    me_id = pq.find_me(conn, owner_id)
    if me_id is None:
        return []
    return [
        Period(a.organisation, a.title, a.kind or "work", a.start_date, a.end_date)
        for a in pq.affiliations_of(conn, me_id)
    ]


def plan_meetups(
    store: Store,
    *,
    kinds: list[str] | None = None,
    min_size: int = MIN_SIZE,
    max_size: int = MAX_SIZE,
    limit: int = 10,
    key: str | None = None,
    now: datetime | None = None,
) -> MeetupPlan:
    """The best groups to bring together, each with why, size and its dormant ties."""
    now = now or utcnow()
    for kind in kinds or []:
        if kind not in KINDS:
            raise UserError(f"unknown kind {kind!r}", hint="kinds: " + ", ".join(KINDS))
    if min_size < 2 or max_size < min_size:
        raise UserError("a group needs at least 2 people, and --max no smaller than --min")
    today = now.date()
    with store.read() as conn:
        owner = store.owner_id
        names = _invitable(conn, owner, now)
        found = Found(
            organisation=organisation_groups(
                mq.stints(conn, owner), _my_periods(conn, owner), today
            ),
            city=city_groups(mq.places(conn, owner)),
            tag=tag_groups(eq.tags_by_person(conn, owner)),
            thread=thread_groups(mq.small_threads(conn, owner, min_size), min_size),
        )
        ties = mq.tie_states(conn, owner)
        limit = max(1, min(limit, 100))
        while True:
            groups = propose_groups(found, names, ties, today, min_size=min_size,
                                    max_size=max_size, kinds=kinds, limit=limit, key=key)  # fmt: skip
            shown = sorted({pid for g in groups for pid, _ in g.people})
            selves = likely_me(conn, owner, names, shown)
            if not selves:
                break
            for pid in selves:  # a record that looks like you: never in a group
                names.pop(pid, None)
    notes = []
    if not groups:
        notes.append(
            f"no group of {min_size} or more found: import contacts with employers, schools "
            "and addresses, tag people, or sync mail, and try again"
        )
    return MeetupPlan(groups, notes)


def find_group(store: Store, key: str, *, now: datetime | None = None) -> Group:
    """The proposed group with this key (as `meetup plan --json` gives it)."""
    for group in plan_meetups(store, min_size=2, max_size=MAX_SIZE, key=key, now=now).groups:
        return group
    raise UserError(f"no proposed group {key!r}", hint="`rekindle meetup plan --json` lists them")
