"""The people of the sample network: me, my career, each contact and their hidden tie.

Times are POSIX seconds (floats) while generating; records get dates. Every choice comes from
the ``random.Random`` passed in, in a fixed order, so one seed gives one network.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import accumulate
from random import Random

from rekindle.records import AffiliationRecord, MeRecord, PartialDate, RawIdentity
from rekindle.sample_names import (
    CAREER_TRACKS,
    COMPANIES,
    DEGREES,
    DEPARTMENTS,
    FREEMAIL,
    HOME_REGION,
    NICKNAMES,
    REGIONAL_FREEMAIL,
    REGIONS,
    TITLES,
    UNIVERSITIES,
    Company,
    PhonePlan,
    Region,
)

DAY = 86_400.0
YEAR = 365.25 * DAY
SOURCE = "sample"
TIERS = ("close", "regular", "occasional", "dormant", "one-off", "never")
CONTEXTS = ("colleague", "coworker", "classmate", "friend", "community", "client", "linkedin")
_CONTEXT_CUM = tuple(accumulate((0.28, 0.08, 0.10, 0.10, 0.20, 0.10, 0.14)))
_TIER_WEIGHTS: dict[str, tuple[float, ...]] = {  # close, regular, occasional, dormant, one-off, never
    "colleague": (0, 0.05, 0.15, 0.45, 0.05, 0.30),
    "coworker": (0.12, 0.45, 0.28, 0, 0, 0.15),
    "classmate": (0.05, 0.05, 0.20, 0.30, 0, 0.40),
    "friend": (0.30, 0.25, 0.15, 0.30, 0, 0),
    "community": (0, 0.03, 0.10, 0.15, 0.40, 0.32),
    "client": (0, 0.10, 0.20, 0.35, 0.10, 0.25),
    "linkedin": (0, 0, 0, 0, 0.15, 0.85),
}
# Episodes a day while a tie is live, and the chance each email in a thread gets an answer.
_RATE = {"close": 1 / 4, "regular": 1 / 18, "occasional": 1 / 75, "strong": 1 / 6, "fade": 1 / 60}
_REPLY = {"close": 0.6, "regular": 0.5, "occasional": 0.45, "dormant": 0.55, "one-off": 0.45}
TOPIC = {"colleague": "work", "coworker": "work", "linkedin": "community"}
# Cumulative chance of (email, meeting); the rest are calls.
MIX = {
    "work": (0.65, 0.95),
    "friend": (0.35, 0.70),
    "classmate": (0.5, 0.75),
    "community": (0.7, 0.9),
    "client": (0.6, 0.9),
}
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
    emails: list[str]


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


def make_me(rng: Random, now: float) -> tuple[MeRecord, Career]:
    school_end = now - rng.uniform(11.5, 13.5) * YEAR
    school_start = school_end - 4 * YEAR
    a_start = school_end + rng.uniform(0.1, 0.5) * YEAR
    a_end = now - rng.uniform(5.5, 6.5) * YEAR
    b_start = a_end + rng.uniform(0.05, 0.2) * YEAR
    b_end = now - rng.uniform(1.6, 2.4) * YEAR
    c_start = b_end + rng.uniform(0.05, 0.2) * YEAR
    school, _ = rng.choice(UNIVERSITIES)
    degree = rng.choice(DEGREES[:4])
    first, second, third = rng.choice(CAREER_TRACKS)
    a, b, c = rng.sample(COMPANIES, 3)
    jobs = [Job(a, first, a_start, a_end), Job(b, second, b_start, b_end), Job(c, third, c_start, None)]
    emails = ["sam.rivera@gmail.com", f"sam.rivera@{c.domain}", f"srivera@{b.domain}", f"sam@{a.domain}"]
    affiliations = [
        AffiliationRecord(school, degree, None, to_date(school_start), to_date(school_end), "school")
    ]
    affiliations += [
        AffiliationRecord(j.company.name, j.title, None, to_date(j.start),
                          None if j.end is None else to_date(j.end))
        for j in jobs
    ]
    identities = [RawIdentity("email", e, "home" if i == 0 else "work", None, i == 0)
                  for i, e in enumerate(emails)]
    identities.append(RawIdentity("phone", "+1 415-555-0142", "mobile"))
    identities.append(RawIdentity("url", "https://www.linkedin.com/in/sam-rivera", None, "linkedin"))
    payload = json.dumps({"name": "Sam Rivera", "emails": emails, "school": school,
                          "jobs": [j.company.name for j in jobs]})
    me = MeRecord(SOURCE, "sample:me", payload, affiliations, identities)
    return me, Career(school, degree, school_start, school_end, jobs, emails)


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
            nsn = rng.choice(plan.prefixes) + "".join(rng.choices("0123456789", k=plan.digits))
            if nsn not in self.taken:
                self.taken.add(nsn)
                break
        style = rng.random()
        if p.region.key == HOME_REGION and style < 0.5:
            return _fill(plan.national, nsn)
        if style < 0.8:
            return f"+{plan.code}{nsn}"
        return _fill(plan.international, nsn)

    def make(self, index: int, width: int) -> Person:
        rng = self.rng
        region = rng.choices(REGIONS, cum_weights=_REGION_CUM)[0]
        context = rng.choices(CONTEXTS, cum_weights=_CONTEXT_CUM)[0]
        p = Person(index, f"sample:P{index:0{width}d}", region, rng.choice(region.given),
                   rng.choice(region.family), context)
        p.tier = rng.choices(TIERS, weights=_TIER_WEIGHTS[context])[0]
        p.topic = TOPIC.get(context, context)
        met = self.career_of(p)
        if p.tier != "never" and not p.timeline:
            p.timeline.append((0.0, self.email(p, None)))
            p.emails.append((p.timeline[0][1], "home"))
        self.details(p, met)
        self.tie(p, met)
        return p

    def job_at(self, p: Person, company: Company, start: float, end: float | None) -> None:
        title = rng_title = self.rng.choice(TITLES)
        dept = self.rng.choice(DEPARTMENTS) if self.rng.random() < 0.3 else None
        p.affiliations.append(
            AffiliationRecord(company.name, title, dept, to_date(start),
                              None if end is None else to_date(end))
        )
        del rng_title

    def career_of(self, p: Person) -> float:
        """Fill affiliations and addresses in use; return when we first met."""
        rng, now, career = self.rng, self.now, self.career
        personal = rng.random() < (0.95 if p.context == "friend" else 0.6)
        if p.context in ("colleague", "coworker"):
            p.job = 2 if p.context == "coworker" else (1 if rng.random() < 0.6 else 0)
            job = career.jobs[p.job]
            job_end = now if job.end is None else job.end
            if job.end is None:
                s = rng.uniform(job.start - 4 * YEAR, now - 0.15 * YEAR)
            else:
                s = rng.uniform(job.start - 3 * YEAR, job_end - 0.5 * YEAR)
            e: float | None = max(s + rng.uniform(1, 6) * YEAR, job.start + 0.5 * YEAR)
            if job.end is None or (e is not None and e > now - 0.3 * YEAR):
                e = None
            if job.end is None and rng.random() < 0.5:
                self.job_at(p, rng.choice(self.others), s - rng.uniform(1, 5) * YEAR, s)
            self.job_at(p, job.company, s, e)
            p.overlap = (max(s, job.start), min(job_end, now if e is None else e))
            work = self.email(p, job.company.domain)
            p.emails.append((work, "work"))
            p.timeline.append((0.0, work))
            if e is not None:
                self.job_at(p, rng.choice(self.others), e + rng.uniform(0, 0.25) * YEAR, None)
                if rng.random() < 0.5:
                    new = self.email(p, job.company.domain and self.domain_of(p))
                    p.emails.append((new, "work"))
                    p.timeline.append((e, new))
                elif personal:
                    home = self.email(p, None)
                    p.emails.append((home, "home"))
                    p.timeline.append((e, home))
            elif personal:
                p.emails.append((self.email(p, None), "home"))
            return p.overlap[0]
        if p.context == "classmate":
            s = career.school_start + rng.uniform(-1, 1) * YEAR
            p.affiliations.append(
                AffiliationRecord(career.school, rng.choice(DEGREES), None, to_date(s),
                                  to_date(s + 4 * YEAR), "school")
            )
            self.job_at(p, rng.choice(self.others), rng.uniform(s + 5 * YEAR, now - 0.3 * YEAR), None)
            met = s
        else:
            met = rng.uniform(self.t0 - 6 * YEAR, self.t0) if p.context == "friend" else (
                rng.uniform(self.t0 - 2 * YEAR, now - 0.5 * YEAR))
            if p.context != "friend" or rng.random() < 0.7:
                self.job_at(p, rng.choice(self.others), rng.uniform(now - 9 * YEAR, now - 0.3 * YEAR), None)
        if p.affiliations and rng.random() < (0.3 if p.context == "friend" else 0.7):
            work = self.email(p, self.domain_of(p))
            p.emails.append((work, "work"))
            if p.context in ("community", "client", "linkedin"):
                p.timeline.append((0.0, work))
        if personal or not p.emails:
            home = self.email(p, None)
            p.emails.append((home, "home"))
            p.timeline.insert(0, (0.0, home)) if not p.timeline else None
        return met

    def domain_of(self, p: Person) -> str:
        name = p.affiliations[-1].organisation
        return next(c.domain for c in COMPANIES if c.name == name)

    def details(self, p: Person, met: float) -> None:
        rng, now = self.rng, self.now
        if p.context == "friend" or rng.random() < 0.15:
            p.nickname = NICKNAMES.get(p.given)
        phone_chance = {"friend": 0.9, "coworker": 0.6, "colleague": 0.5, "classmate": 0.5}
        if rng.random() < phone_chance.get(p.context, 0.25):
            p.phones.append((self.phone(p), "mobile"))
            if rng.random() < 0.1:
                p.phones.append((self.phone(p), "work"))
        if rng.random() < (0.3 if p.context == "friend" else 0.75):
            g, f = ascii_name(p.given, p.region.key), ascii_name(p.family, p.region.key)
            slug = self.unique(f"{g}-{f}-{rng.getrandbits(32):08x}", "linkedin")
            slug = slug.removesuffix("@linkedin")
            p.linkedin = (f"https://www.linkedin.com/in/{slug}" if rng.random() < 0.8
                          else f"linkedin.com/in/{slug}/")
            p.connected_on = to_date(rng.uniform(max(met, now - 12 * YEAR), now - 7 * DAY))
        if rng.random() < 0.55:
            p.city = rng.choice(p.region.cities)
        if rng.random() < (0.7 if p.context == "friend" else 0.15):
            year = datetime.fromtimestamp(now, UTC).year - rng.randint(24, 62)
            p.birthday = PartialDate(rng.randint(1, 12), rng.randint(1, 28),
                                     None if rng.random() < 0.3 else year)
        if p.affiliations and p.affiliations[-1].kind == "work":
            p.tags.append(next(c.industry for c in COMPANIES
                               if c.name == p.affiliations[-1].organisation))
        p.reply = _REPLY.get(p.tier, 0.5) + rng.uniform(-0.1, 0.1)
        p.initiative = rng.uniform(0.3, 0.7)

    def tie(self, p: Person, met: float) -> None:
        """Draw the hidden tie: live phases, fixed episodes, and when group mail stops."""
        rng, now, t0 = self.rng, self.now, self.t0
        start = max(t0, met)
        tier = p.tier
        span = (now - t0) / YEAR
        if tier == "dormant" and span * 0.75 <= 0.6:
            tier = "occasional"  # a history too short to hold a dormant tie
        if tier in ("close", "regular", "occasional"):
            p.phases.append((start, now, _RATE[tier] * rng.uniform(0.6, 1.4)))
            p.until = now
        elif tier == "dormant":
            last = now - rng.uniform(0.55, min(4.0, span * 0.75)) * YEAR
            if p.overlap is not None and p.overlap[1] > t0 + 0.3 * YEAR:
                end = min(p.overlap[1], last)
                begin = max(t0, p.overlap[0], end - 3 * YEAR)
            else:
                end = last - rng.uniform(0, 0.6) * YEAR
                begin = end - rng.uniform(1, 3) * YEAR
            begin = max(t0, min(begin, end - 90 * DAY))
            p.phases.append((begin, end, _RATE["strong"] * rng.uniform(0.7, 1.3)))
            if last > end:
                p.phases.append((end, last, _RATE["fade"] * rng.uniform(0.5, 1.5)))
            p.fixed.append(last)
            p.until = last
        elif tier == "one-off":
            when = rng.uniform(max(t0, met), now - 20 * DAY)
            p.fixed.append(when)
            if rng.random() < 0.5:
                p.fixed.append(when + rng.uniform(1, 5) * DAY)


def _fill(template: str, digits: str) -> str:
    out, it = [], iter(digits)
    for ch in template:
        out.append(next(it) if ch == "#" else ch)
    return "".join(out)


__all__ = ["DAY", "YEAR", "Career", "Job", "PeopleMaker", "Person", "PhonePlan", "make_me"]
