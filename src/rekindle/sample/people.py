"""The people of the sample network: who each contact is, how I know them, how to reach them.

Times are POSIX seconds (floats) while generating; records get dates. Every choice comes from
the ``random.Random`` passed in, in a fixed order, so one seed gives one network.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import accumulate
from random import Random

from rekindle.identity.records import AffiliationRecord, PartialDate
from rekindle.sample.names import (
    COMPANIES,
    DEGREES,
    DEPARTMENTS,
    EVENTS,
    FREEMAIL,
    HOBBIES,
    HOME_REGION,
    NICKNAMES,
    NOTE_TEMPLATES,
    PROJECTS,
    REGIONAL_FREEMAIL,
    TITLES,
    Company,
)
from rekindle.sample.regions import REGIONS, Region

DAY = 86_400.0
YEAR = 365.25 * DAY
SOURCE = "sample"
TIERS = ("close", "regular", "occasional", "dormant", "one-off", "never")
CONTEXTS = ("colleague", "coworker", "classmate", "friend", "community", "client", "linkedin")
_CONTEXT_CUM = tuple(accumulate((0.28, 0.08, 0.10, 0.10, 0.20, 0.10, 0.14)))
# Chance of each tier (close, regular, occasional, dormant, one-off, never) by how we met.
_TIER_WEIGHTS: dict[str, tuple[float, ...]] = {
    "colleague": (0, 0.05, 0.15, 0.45, 0.05, 0.30),
    "coworker": (0.12, 0.45, 0.28, 0, 0, 0.15),
    "classmate": (0.05, 0.05, 0.20, 0.30, 0, 0.40),
    "friend": (0.30, 0.25, 0.15, 0.30, 0, 0),
    "community": (0, 0.03, 0.10, 0.15, 0.40, 0.32),
    "client": (0, 0.10, 0.20, 0.35, 0.10, 0.25),
    "linkedin": (0, 0, 0, 0, 0.15, 0.85),
}
TOPIC = {"colleague": "work", "coworker": "work", "linkedin": "community"}
_COMPANY = {c.name: c for c in COMPANIES}
_REGION_CUM = tuple(accumulate(r.weight for r in REGIONS))
_FOLD = str.maketrans({"ø": "o", "ß": "ss", "ł": "l", "æ": "ae", "đ": "d", "ı": "i", "œ": "oe"})
_UMLAUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})


def to_date(ts: float) -> date:
    return datetime.fromtimestamp(ts, UTC).date()


def ascii_name(text: str, region: str = "") -> str:
    """``Lefèvre`` → ``lefevre``, ``Müller`` (German) → ``mueller``, ``van den Berg`` → ``vandenberg``."""
    low = text.lower()
    if region == "de":
        low = low.translate(_UMLAUT)
    low = unicodedata.normalize("NFKD", low.translate(_FOLD))
    return "".join(c for c in low if c.isascii() and c.isalnum())


@dataclass(slots=True)
class Job:
    company: Company
    title: str
    start: float
    end: float | None


@dataclass(slots=True)
class Career:
    """My own history: a university and three employers, the last one current."""

    school: str
    degree: str
    school_start: float
    school_end: float
    jobs: list[Job]
    reserved: list[str]  # my addresses and phone: no contact may have them


@dataclass(slots=True)
class Person:
    """One generated contact with the hidden profile that shapes their history."""

    index: int
    source_id: str
    region: Region
    given: str
    family: str
    context: str
    tier: str = "never"
    nickname: str | None = None
    affiliations: list[AffiliationRecord] = field(default_factory=list)
    emails: list[tuple[str, str]] = field(default_factory=list)  # (address, label)
    timeline: list[tuple[float, str]] = field(default_factory=list)  # address in use from then
    phones: list[tuple[str, str]] = field(default_factory=list)
    linkedin: str | None = None
    city: tuple[str, str | None] | None = None
    birthday: PartialDate | None = None
    note: str | None = None
    tags: list[str] = field(default_factory=list)
    connected_on: date | None = None
    met: float = 0.0  # when we first met (may be before the history starts)
    job: int | None = None  # index of my job we shared
    overlap: tuple[float, float] | None = None
    phases: list[tuple[float, float, float]] = field(default_factory=list)  # start, end, per day
    fixed: list[float] = field(default_factory=list)  # episode times decided up front
    until: float = 0.0  # last moment they may appear in a group mail
    reply: float = 0.5
    initiative: float = 0.5
    topic: str = "community"

    @property
    def full_name(self) -> str:
        return f"{self.given} {self.family}"

    def address_at(self, ts: float) -> str:
        found = self.timeline[0][1]
        for since, address in self.timeline:
            if since > ts:
                break
            found = address
        return found


class PeopleMaker:
    """Makes people one by one from a single random stream (so order fixes the result)."""

    def __init__(self, rng: Random, career: Career, now: float, years: int, taken: set[str]):
        self.rng, self.career, self.now = rng, career, now
        self.t0 = now - years * YEAR
        self.taken = taken
        self.current = career.jobs[-1].company
        self.others = [c for c in COMPANIES if c != self.current]

    def unique(self, base: str, domain: str) -> str:
        address = f"{base}@{domain}"
        n = 1
        while address in self.taken:
            n += 1
            address = f"{base}{n if n > 2 else self.rng.randint(2, 99)}@{domain}"
        self.taken.add(address)
        return address

    def email(self, p: Person, domain: str | None) -> str:
        rng = self.rng
        g, f = ascii_name(p.given, p.region.key), ascii_name(p.family, p.region.key)
        if domain is None:  # personal
            domain = REGIONAL_FREEMAIL.get(p.region.key, "gmail.com")
            if rng.random() < 0.75:
                domain = rng.choice(FREEMAIL)
            base = rng.choice((f"{g}.{f}", f"{g}{f}", f"{g}_{f}", f"{f}.{g}", f"{g[0]}{f}"))
            if rng.random() < 0.25:
                base += str(rng.randint(70, 99))
        else:
            base = rng.choice((f"{g}.{f}", f"{g}.{f}", f"{g[0]}{f}", g))
        return self.unique(base, domain)

    def phone(self, p: Person) -> str:
        rng, plan = self.rng, p.region.phone
        while True:
            prefix = rng.choice(plan.prefixes)
            nsn = prefix + "".join(rng.choices("0123456789", k=plan.length - len(prefix)))
            if nsn not in self.taken:
                self.taken.add(nsn)
                break
        style = rng.random()
        if p.region.key == HOME_REGION and style < 0.5:
            return fill(plan.national, nsn)
        if style < 0.8:
            return f"+{plan.code}{nsn}"
        return fill(plan.international, nsn)

    def make(self, index: int, width: int) -> Person:
        rng = self.rng
        region = rng.choices(REGIONS, cum_weights=_REGION_CUM)[0]
        context = rng.choices(CONTEXTS, cum_weights=_CONTEXT_CUM)[0]
        p = Person(
            index,
            f"sample:P{index:0{width}d}",
            region,
            rng.choice(region.given),
            rng.choice(region.family),
            context,
        )
        p.tier = rng.choices(TIERS, weights=_TIER_WEIGHTS[context])[0]
        p.topic = TOPIC.get(context, context)
        p.met = self.career_of(p)
        self.details(p)
        return p

    def annotate(self, p: Person) -> None:
        """A note as a user would write it, for some people."""
        rng = self.rng
        if rng.random() >= (0.6 if p.tier == "one-off" else 0.3):
            return
        key = "colleague" if p.job is not None else p.context
        when = p.fixed[0] if p.tier == "one-off" and p.fixed else min(max(p.met, self.t0), self.now)
        org = self.career.jobs[p.job].company.name if p.job is not None else ""
        p.note = rng.choice(NOTE_TEMPLATES[key]).format(
            org=org,
            hobby=rng.choice(HOBBIES),
            school=self.career.school,
            city=(p.city or rng.choice(p.region.cities))[0],
            event=rng.choice(EVENTS),
            year=to_date(when).year,
            project=rng.choice(PROJECTS),
        )

    def other_company(self, avoid: str | None = None) -> Company:
        while True:
            company = self.rng.choice(self.others)
            if company.name != avoid:
                return company

    def job_at(self, p: Person, company: Company, start: float, end: float | None) -> None:
        rng = self.rng
        dept = rng.choice(DEPARTMENTS) if rng.random() < 0.3 else None
        p.affiliations.append(
            AffiliationRecord(
                company.name,
                rng.choice(TITLES),
                dept,
                to_date(start),
                None if end is None else to_date(end),
            )
        )

    def add_email(self, p: Person, domain: str | None, since: float | None = None) -> str:
        address = self.email(p, domain)
        p.emails.append((address, "home" if domain is None else "work"))
        if since is not None:
            p.timeline.append((since, address))
        return address

    def colleague(self, p: Person) -> float:
        """Someone from one of my jobs: their stint there overlaps mine."""
        rng, now = self.rng, self.now
        p.job = 2 if p.context == "coworker" else (1 if rng.random() < 0.6 else 0)
        job = self.career.jobs[p.job]
        e: float | None = None
        if job.end is None:
            s = rng.uniform(job.start - 4 * YEAR, now - 0.15 * YEAR)
            if rng.random() < 0.5:
                self.job_at(p, self.other_company(), s - rng.uniform(1, 5) * YEAR, s)
        else:
            s = rng.uniform(job.start - 3 * YEAR, job.end - 0.5 * YEAR)
            e = max(s + rng.uniform(1, 6) * YEAR, job.start + 0.5 * YEAR)
            if e > now - 0.3 * YEAR:
                e = None
        self.job_at(p, job.company, s, e)
        job_end = now if job.end is None else job.end
        p.overlap = (max(s, job.start), min(job_end, now if e is None else e))
        self.add_email(p, job.company.domain, 0.0)
        if e is not None:
            new = self.other_company(job.company.name)
            self.job_at(p, new, e + rng.uniform(0, 0.25) * YEAR, None)
            self.add_email(p, new.domain if rng.random() < 0.5 else None, e)
        elif rng.random() < 0.6:
            self.add_email(p, None)
        return p.overlap[0]

    def career_of(self, p: Person) -> float:
        """Fill affiliations and addresses; return when we first met."""
        if p.context in ("colleague", "coworker"):
            return self.colleague(p)
        rng, now, career, friend = self.rng, self.now, self.career, p.context == "friend"
        start: float | None
        if p.context == "classmate":
            met = career.school_start + rng.uniform(-1, 1) * YEAR
            p.affiliations.append(
                AffiliationRecord(
                    career.school,
                    rng.choice(DEGREES),
                    None,
                    to_date(met),
                    to_date(met + 4 * YEAR),
                    "school",
                )
            )
            start = rng.uniform(met + 5 * YEAR, now - 0.3 * YEAR)
        elif friend:
            met = rng.uniform(self.t0 - 6 * YEAR, self.t0)
            start = rng.uniform(now - 9 * YEAR, now - 0.3 * YEAR) if rng.random() < 0.7 else None
        else:
            met = rng.uniform(self.t0 - 2 * YEAR, now - 0.5 * YEAR)
            start = rng.uniform(now - 9 * YEAR, now - 0.3 * YEAR)
        if start is not None:
            self.job_at(p, self.other_company(), start, None)
        if p.tier == "never" and p.context == "linkedin" and rng.random() < 0.6:
            return met  # a LinkedIn connection: a profile URL and nothing else
        work = None
        if start is not None and rng.random() < (0.3 if friend else 0.7):
            work = self.add_email(p, self.domain_of(p))
        home = None
        if work is None or rng.random() < (0.95 if friend else 0.5):
            home = self.add_email(p, None)
        used = work if work is not None and (home is None or not friend) else home
        assert used is not None
        p.timeline.append((0.0, used))
        return met

    def domain_of(self, p: Person) -> str:
        return _COMPANY[p.affiliations[-1].organisation].domain

    def details(self, p: Person) -> None:
        rng, now = self.rng, self.now
        if p.context == "friend" or rng.random() < 0.15:
            p.nickname = NICKNAMES.get(p.given)
        phone_chance = {"friend": 0.9, "coworker": 0.6, "colleague": 0.5, "classmate": 0.5}
        if rng.random() < phone_chance.get(p.context, 0.25):
            p.phones.append((self.phone(p), "mobile"))
            if rng.random() < 0.1:
                p.phones.append((self.phone(p), "work"))
        if not p.emails or rng.random() < (0.3 if p.context == "friend" else 0.75):
            g, f = ascii_name(p.given, p.region.key), ascii_name(p.family, p.region.key)
            slug = f"{g}-{f}"
            while slug in self.taken:
                slug = f"{g}-{f}-{rng.getrandbits(32):08x}"
            self.taken.add(slug)
            p.linkedin = (
                f"https://www.linkedin.com/in/{slug}"
                if rng.random() < 0.8
                else f"linkedin.com/in/{slug}/"
            )
            p.connected_on = to_date(rng.uniform(max(p.met, now - 12 * YEAR), now - 7 * DAY))
        if rng.random() < 0.55:
            p.city = rng.choice(p.region.cities)
        if rng.random() < (0.7 if p.context == "friend" else 0.15):
            year = datetime.fromtimestamp(now, UTC).year - rng.randint(24, 62)
            p.birthday = PartialDate(
                rng.randint(1, 12), rng.randint(1, 28), None if rng.random() < 0.3 else year
            )
        if p.affiliations and p.affiliations[-1].kind == "work":
            p.tags.append(_COMPANY[p.affiliations[-1].organisation].industry)


def fill(template: str, digits: str) -> str:
    out, it = [], iter(digits)
    for ch in template:
        out.append(next(it) if ch == "#" else ch)
    return "".join(out)


__all__ = ["DAY", "SOURCE", "TIERS", "YEAR", "Career", "Job", "PeopleMaker", "Person", "to_date"]
