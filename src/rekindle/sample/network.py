"""A seeded, realistic personal network: for ``rekindle demo`` and for benchmarks.

``generate_network(seed, people, now=...)`` describes "Sam Rivera" (me: four affiliations
including a university) and a network of contacts with a hidden tie each: a few close,
some regular and occasional, many *formerly strong* ties that went quiet 6 months to 4 years
ago (the people a plan should surface), one-off acquaintances and never-contacted connections.
A handful of contacts reappear as ``source="sample-update"`` records with a life event (a new
job, a promotion, a move, a new company), as a later re-import would show them.

Contacts and interactions are generators, produced afresh on each access, so 20,000 people and
a million interactions stream in bounded memory. The same seed and ``now`` give the same
network, record for record.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from random import Random

from rekindle.identity.records import ContactRecord, InteractionRecord, Item, MeRecord
from rekindle.sample.history import stream
from rekindle.sample.names import HOME_REGION
from rekindle.sample.people import TIERS, YEAR, PeopleMaker, Person
from rekindle.sample.records import (
    UPDATE_SOURCE,
    LifeEvent,
    build_contact,
    life_events,
    make_me,
)
from rekindle.sample.ties import Circle, draw_tie, make_circles, scale_for

__all__ = ["UPDATE_SOURCE", "SampleNetwork", "generate_network"]


class SampleNetwork:
    """The generated network. ``contacts`` and ``interactions`` are fresh iterators each time.

    ``tiers`` maps each contact's ``source_id`` to its hidden tie (close, regular,
    occasional, dormant, one-off, never): the truth a plan can be checked against.
    ``updates`` are the ``sample-update`` records (same ``source_id`` as the contact they
    revise). ``region`` is the country that numbers written without a country code belong to.
    """

    region = HOME_REGION.upper()

    def __init__(
        self,
        seed: int,
        now: datetime,
        years: int,
        me: MeRecord,
        people: list[Person],
        circles: list[Circle],
        events: dict[int, LifeEvent],
        scale: float,
    ) -> None:
        self.seed, self.now, self.years, self.me = seed, now, years, me
        self.people = len(people)
        self.tiers = {p.source_id: p.tier for p in people}
        self.updates = [
            build_contact(people[i], UPDATE_SOURCE, event) for i, event in sorted(events.items())
        ]
        self._people, self._circles, self._scale = people, circles, scale

    @property
    def contacts(self) -> Iterator[ContactRecord]:
        return (build_contact(p) for p in self._people)

    @property
    def interactions(self) -> Iterator[InteractionRecord]:
        now = self.now.timestamp()
        t0 = now - self.years * YEAR
        return stream(self.seed, self._people, self._circles, t0, now, self._scale)

    def items(self) -> Iterator[Item]:
        """Everything, in the order an import wants it: me, contacts, updates, interactions."""
        yield self.me
        yield from self.contacts
        yield from self.updates
        yield from self.interactions

    def summary(self) -> dict[str, int]:
        """Counts of everything (walks all interactions, so costs as much as generating them)."""
        counts: Counter[str] = Counter()
        counts["people"] = counts["contacts"] = self.people
        counts["updates"] = len(self.updates)
        counts["me_affiliations"] = len(self.me.affiliations)
        for tier in TIERS:
            counts[f"tier_{tier}"] = 0
        counts.update(f"tier_{t}" for t in self.tiers.values())
        counts["interactions"] = counts["group_interactions"] = 0
        for rec in self.interactions:
            counts["interactions"] += 1
            counts[f"{rec.channel}_{rec.direction}"] += 1
            if rec.group_size > 1:
                counts["group_interactions"] += 1
        return dict(counts)


def generate_network(
    seed: int = 42,
    people: int = 120,
    *,
    now: datetime,
    years: int = 8,
    interactions_per_person: float | None = None,
) -> SampleNetwork:
    """Describe me and ``people`` contacts with ``years`` of history up to ``now``.

    ``interactions_per_person`` scales every live tie so the expected total is about that many
    interactions per contact; by default the ties keep their natural rates (about 110 each).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if people < 0 or years < 1:
        raise ValueError("people must be >= 0 and years >= 1")
    now = now.astimezone(UTC)
    now_ts = now.timestamp()
    t0 = now_ts - years * YEAR
    me, career = make_me(Random(f"{seed}/me"), now_ts)
    rng = Random(f"{seed}/people")
    maker = PeopleMaker(rng, career, now_ts, years, set(career.reserved))
    width = max(4, len(str(people)))
    persons: list[Person] = []
    for index in range(1, people + 1):
        person = maker.make(index, width)
        draw_tie(rng, person, t0, now_ts)
        maker.annotate(person)
        persons.append(person)
    circles = make_circles(persons, career, t0, now_ts)
    events = life_events(Random(f"{seed}/updates"), persons, maker, now_ts)
    scale = 1.0
    if interactions_per_person is not None:
        scale = scale_for(interactions_per_person, persons, circles, t0, now_ts)
    return SampleNetwork(seed, now, years, me, persons, circles, events, scale)
