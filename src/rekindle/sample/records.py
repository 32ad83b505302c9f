"""The sample network as records: me, each contact, and contacts after a life event."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from random import Random

from rekindle.identity.records import AddressRecord, AffiliationRecord, ContactRecord, MeRecord
from rekindle.identity.records import RawIdentity as Ident
from rekindle.sample.names import (
    CAREER_TRACKS,
    COMPANIES,
    DEGREES,
    UNIVERSITIES,
)
from rekindle.sample.people import (
    DAY,
    SOURCE,
    YEAR,
    Career,
    Job,
    PeopleMaker,
    Person,
    ascii_name,
    to_date,
)
from rekindle.sample.regions import REGIONS

UPDATE_SOURCE = "sample-update"
_STEP_UP = (
    "Director of Product",
    "Head of Engineering",
    "VP Operations",
    "Principal Designer",
    "Staff Engineer",
    "Head of Partnerships",
    "Senior Product Manager",
    "Engineering Manager",
    "Chief of Staff",
    "Director of Data Science",
)

#: the sample network's "me": the demo signs its drafts with this name
ME_NAME = "Sam Rivera"


def make_me(rng: Random, now: float) -> tuple[MeRecord, Career]:
    """Sam Rivera: a university, a first job, a second one left about two years ago, a current one."""
    school_end = now - rng.uniform(11.5, 13.5) * YEAR
    school_start = school_end - 4 * YEAR
    a_end = now - rng.uniform(5.5, 6.5) * YEAR
    b_start = a_end + rng.uniform(0.05, 0.2) * YEAR
    b_end = now - rng.uniform(1.6, 2.4) * YEAR
    c_start = b_end + rng.uniform(0.05, 0.2) * YEAR
    school, _ = rng.choice(UNIVERSITIES)
    degree = rng.choice(DEGREES[:4])
    first, second, third = rng.choice(CAREER_TRACKS)
    a, b, c = rng.sample(COMPANIES, 3)
    jobs = [
        Job(a, first, school_end + rng.uniform(0.1, 0.5) * YEAR, a_end),
        Job(b, second, b_start, b_end),
        Job(c, third, c_start, None),
    ]
    emails = [
        "sam.rivera@gmail.com",
        f"sam.rivera@{c.domain}",
        f"srivera@{b.domain}",
        f"sam@{a.domain}",
    ]
    affiliations = [
        AffiliationRecord(
            school, degree, None, to_date(school_start), to_date(school_end), "school"
        )
    ]
    for j in jobs:
        end = None if j.end is None else to_date(j.end)
        affiliations.append(AffiliationRecord(j.company.name, j.title, None, to_date(j.start), end))
    identities = [
        Ident("email", e, "home" if i == 0 else "work", None, i == 0) for i, e in enumerate(emails)
    ]
    identities.append(Ident("phone", "+1 415-555-0142", "mobile"))
    identities.append(Ident("url", "https://www.linkedin.com/in/sam-rivera", None, "linkedin"))
    names = [j.company.name for j in jobs]
    payload = json.dumps({"name": ME_NAME, "emails": emails, "school": school, "jobs": names})
    me = MeRecord(SOURCE, "sample:me", payload, affiliations, identities)
    reserved = [*emails, "4155550142", "sam-rivera"]
    return me, Career(school, degree, school_start, school_end, jobs, reserved)


@dataclass(slots=True)
class LifeEvent:
    """What changed for a person since the first import."""

    kind: str  # "new job", "promotion", "moved" or "founded"
    when: float
    organisation: str | None = None
    title: str | None = None
    industry: str | None = None
    email: str | None = None
    city: tuple[str, str | None, str] | None = None  # city, region, country


def life_events(
    rng: Random, people: list[Person], maker: PeopleMaker, now: float
) -> dict[int, LifeEvent]:
    """A handful of people (mostly quiet ties) changed job, title, company or city lately."""
    pool = [
        p
        for p in people
        if p.tier in ("dormant", "occasional", "regular")
        and p.affiliations
        and p.affiliations[-1].kind == "work"
        and p.affiliations[-1].end is None
    ]
    count = min(len(pool), max(3, round(len(people) * 0.04)))
    chosen = sorted(rng.sample(pool, count), key=lambda p: p.index)
    events: dict[int, LifeEvent] = {}
    for p in chosen:
        when = now - rng.uniform(7, 120) * DAY
        kind = rng.choices(("new job", "promotion", "moved", "founded"), (6, 2, 1.5, 1))[0]
        current = p.affiliations[-1].organisation
        event = LifeEvent(kind, when)
        if kind == "new job":
            company = maker.other_company(current)
            event.organisation, event.industry = company.name, company.industry
            event.title = rng.choice(_STEP_UP)
            event.email = maker.email(p, company.domain)
        elif kind == "founded":
            family = ascii_name(p.family, p.region.key)
            name = f"{p.family.split()[-1]} {rng.choice(('Labs', 'Studio', 'Ventures', 'AI'))}"
            event.organisation, event.title = name, "Founder & CEO"
            event.industry = rng.choice(COMPANIES).industry
            event.email = maker.email(p, f"{family}{rng.choice(('labs.io', 'hq.com', '.ai'))}")
        elif kind == "promotion":
            event.organisation = current
            title = p.affiliations[-1].title
            event.title = rng.choice([t for t in _STEP_UP if t != title])
        else:
            region = p.region if rng.random() < 0.6 else rng.choice(REGIONS)
            city, state = rng.choice([c for c in region.cities if c != p.city] or region.cities)
            event.city = (city, state, region.country)
        events[p.index - 1] = event
    return events


def build_contact(p: Person, source: str = SOURCE, event: LifeEvent | None = None) -> ContactRecord:
    """The record a source holds for ``p``; with ``event``, as a later re-import shows them."""
    emails = list(p.emails)
    affiliations = [replace(a) for a in p.affiliations]
    tags = list(p.tags)
    city = None if p.city is None else (p.city[0], p.city[1], p.region.country)
    if event is not None:
        if event.email:
            emails.insert(0, (event.email, "work"))
        if event.organisation:
            when = to_date(event.when)
            affiliations[-1].end = when
            affiliations.append(
                replace(affiliations[-1], organisation=event.organisation, title=event.title,
                        department=None, start=when, end=None)
            )  # fmt: skip
        if event.industry and event.industry not in tags:
            tags.insert(0, event.industry)
        city = event.city or city
    identities = [Ident("email", a, label, None, i == 0) for i, (a, label) in enumerate(emails)]
    identities += [Ident("phone", number, label) for number, label in p.phones]
    if p.linkedin:
        identities.append(Ident("url", p.linkedin, None, "linkedin"))
    addresses = []
    if city is not None:
        addresses.append(AddressRecord("home", None, city[0], city[1], None, city[2]))
    current = affiliations[-1] if affiliations else None
    payload = {
        "id": p.source_id,
        "name": p.full_name,
        "emails": [a for a, _ in emails],
        "organisation": current.organisation if current else None,
        "title": current.title if current else None,
        "city": city[0] if city else None,
    }
    return ContactRecord(
        source=source,
        locator=f"{source}:{p.source_id.removeprefix('sample:')}",
        payload=json.dumps(payload, ensure_ascii=False),
        source_id=p.source_id,
        full_name=p.full_name,
        given_name=p.given,
        family_name=p.family,
        nickname=p.nickname,
        identities=identities,
        affiliations=affiliations,
        addresses=addresses,
        birthday=p.birthday,
        note=p.note,
        tags=tags,
        connected_on=p.connected_on,
    )
