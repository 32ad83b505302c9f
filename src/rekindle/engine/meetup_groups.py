"""Meetup groups: people who share a context, proposed to be brought together at once.

A group is several people with one thing in common that the data shows: years at the same
employer or school, a city in their addresses, a tag, a small mail thread or meeting they were
all on. Each group says why in words and dates, how many, and who in it is dormant: a meetup
revives several quiet ties at once, so dormant members lift a group. Pure: the service reads
the facts and passes them in, with ``today``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rekindle.engine.lists import GAP_MULTIPLE, REKINDLE_DAYS
from rekindle.engine.shared_context import Period, organisation_key, shared_affiliations
from rekindle.identity.names import fold

#: the fewest guests a proposed group has (you make one more)
MIN_SIZE = 3
#: the most guests a proposed group has; a larger context keeps its best-known members
MAX_SIZE = 12
#: a thread or meeting with more people than this says little about a shared context
MAX_THREAD = 15
#: the years an organisation is looked at, at most (bounds the sweep over bad dates)
MAX_YEARS = 80


@dataclass(frozen=True, slots=True)
class Stint:
    """One person's affiliation (``kind`` work or school)."""

    person_id: int
    organisation: str
    kind: str
    start: date | None
    end: date | None


@dataclass(frozen=True, slots=True)
class Place:
    person_id: int
    city: str
    country: str = ""


@dataclass(frozen=True, slots=True)
class SharedThread:
    """A small mail thread or meeting, with everyone on it (me excluded) and its dates."""

    key: str
    subject: str
    kind: str  # "thread" or "meeting"
    person_ids: frozenset[int]
    first: datetime
    last: datetime
    count: int = 1


@dataclass(frozen=True, slots=True)
class TieState:
    """What tells whether my tie to a person is dormant."""

    person_id: int
    last_two_way: datetime | None
    last_contact: datetime | None
    usual_gap_days: float | None
    strength: float = 0.0


@dataclass
class Group:
    """A proposed meetup: who, what they share (``why``, in words with dates) and which ties
    in it are dormant."""

    kind: str
    key: str
    label: str
    why: list[str]
    people: list[tuple[int, str]]
    dormant: list[int] = field(default_factory=list)
    more: int = 0
    score: float = 0.0

    @property
    def size(self) -> int:
        return len(self.people)

    def as_json(self) -> dict[str, Any]:
        dormant = set(self.dormant)
        return {
            "kind": self.kind,
            "key": self.key,
            "label": self.label,
            "why": self.why,
            "size": self.size,
            "more": self.more,
            "dormant_count": len(dormant),
            "people": [
                {"id": pid, "name": name, "dormant": pid in dormant} for pid, name in self.people
            ],
            "score": round(self.score, 2),
        }


def is_dormant(tie: TieState | None, today: date) -> bool:
    """A real two-way past, silent for at least max(180 days, 3 × the usual gap)."""
    if tie is None or tie.last_two_way is None:
        return False
    last = tie.last_contact or tie.last_two_way
    silent = (today - last.date()).days
    return silent >= max(float(REKINDLE_DAYS), GAP_MULTIPLE * (tie.usual_gap_days or 0.0))


def _years(s: Stint, today: date) -> tuple[int, int] | None:
    if s.start is None and s.end is None:
        return None
    start = (s.start or s.end or today).year
    end = (s.end or today).year
    if end < start:
        return None
    return max(start, end - MAX_YEARS), end


def _span_words(start: int, end: int, ongoing: bool) -> str:
    if ongoing:
        return f"since {start}"
    return str(start) if start == end else f"{start}–{end}"


def organisation_groups(
    stints: Iterable[Stint], mine: Sequence[Period], today: date
) -> list[tuple[str, str, list[str], set[int]]]:
    """Per organisation, the people there at the same time: (key, label, why, people).

    The window is the year most of them were there; the group is everyone there that year,
    and the words give the years all of them overlapped."""
    by_org: dict[str, list[tuple[Stint, tuple[int, int]]]] = defaultdict(list)
    for s in stints:
        key = organisation_key(s.organisation)
        years = _years(s, today)
        if key and years is not None:
            by_org[f"{s.kind}:{key}"].append((s, years))
    out = []
    for key, members in by_org.items():
        if len({s.person_id for s, _ in members}) < 2:
            continue
        low = min(y[0] for _, y in members)
        high = max(y[1] for _, y in members)
        best_year, best = high, set[int]()
        for year in range(max(low, high - MAX_YEARS), high + 1):
            present = {s.person_id for s, (a, b) in members if a <= year <= b}
            if len(present) >= len(best):
                best_year, best = year, present
        there = [(s, y) for s, y in members if s.person_id in best and y[0] <= best_year <= y[1]]
        start = max(y[0] for _, y in there)
        end = min(y[1] for _, y in there)
        ongoing = all(s.end is None for s, _ in there)
        name = max((s.organisation.strip() for s, _ in there), key=len)
        kind = there[0][0].kind
        verb = "studied at" if kind == "school" else "worked at"
        why = [f"{verb} {name} at the same time ({_span_words(start, end, ongoing)})"]
        me_there = [p for p in mine if organisation_key(p.organisation) == key.split(":", 1)[1]]
        common = Period(name, None, kind, date(start, 1, 1), None if ongoing else date(end, 12, 31))
        shared = shared_affiliations(me_there, [common], today)
        if shared and shared[0].years:
            why.append(f"you were there too ({shared[0].years})")
        elif me_there:
            why.append("you were there too")
        out.append((key, name, why, best))
    return out


def city_groups(places: Iterable[Place]) -> list[tuple[str, str, list[str], set[int]]]:
    """People whose addresses are in the same city."""
    by_city: dict[str, tuple[str, set[int]]] = {}
    for p in places:
        city = " ".join(p.city.split())
        if not city:
            continue
        key = fold(city) + "|" + fold(p.country)
        label = city + (f", {p.country.strip()}" if p.country.strip() else "")
        by_city.setdefault(key, (label, set()))[1].add(p.person_id)
    return [
        (key, label, [f"live in {label} (from their addresses)"], people)
        for key, (label, people) in by_city.items()
    ]


def tag_groups(tags: Mapping[int, Iterable[str]]) -> list[tuple[str, str, list[str], set[int]]]:
    by_tag: dict[str, tuple[str, set[int]]] = {}
    for pid, names in tags.items():
        for name in names:
            clean = " ".join(name.split())
            if clean:
                by_tag.setdefault(fold(clean), (clean, set()))[1].add(pid)
    return [
        (key, label, [f"you tagged them “{label}”"], people)
        for key, (label, people) in by_tag.items()
    ]


_REPLY_PREFIX = re.compile(r"^(?:(?:re|fwd?|aw|wg|tr|sv)\s*:\s*)+", re.IGNORECASE)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip


def _month(when: datetime) -> str:
    return f"{_MONTHS[when.month - 1]} {when.year}"


def thread_groups(
    threads: Iterable[SharedThread], min_people: int = 2
) -> list[tuple[str, str, list[str], set[int]]]:
    """Per set of people, the busiest thread or meeting they were all on (then the newest)."""
    best: dict[tuple[int, ...], SharedThread] = {}
    for t in threads:
        if not max(2, min_people) <= len(t.person_ids) <= MAX_THREAD:
            continue
        ident = tuple(sorted(t.person_ids))
        known = best.get(ident)
        if known is None or (t.count, t.last) > (known.count, known.last):
            best[ident] = t
    out = []
    for t in best.values():
        subject = _REPLY_PREFIX.sub("", " ".join((t.subject or "").split())) or "(no subject)"
        if len(subject) > 70:
            subject = subject[:69].rstrip() + "…"
        span = _month(t.first)
        if _month(t.last) != span:
            span = f"{span} – {_month(t.last)}"
        if t.kind == "meeting":
            what = f"were all at the meeting “{subject}” ({span})"
        else:
            messages = f"{t.count} messages" if t.count != 1 else "1 message"
            what = f"were all on the thread “{subject}” ({messages}, {span})"
        out.append((t.key, subject, [what], set(t.person_ids)))
    return out


#: how a kind of context weighs in the ranking: a shared past at work or school and a thread
#: all were on say more about a group than a city or a tag
KIND_WEIGHT = {"organisation": 1.5, "thread": 1.5, "city": 1.0, "tag": 1.0}
#: each dormant member adds this much (a meetup revives several ties at once)
DORMANT_WEIGHT = 1.0


@dataclass(frozen=True)
class Found:
    """The contexts found, per kind, as (key, label, why, people)."""

    organisation: list[tuple[str, str, list[str], set[int]]] = field(default_factory=list)
    city: list[tuple[str, str, list[str], set[int]]] = field(default_factory=list)
    tag: list[tuple[str, str, list[str], set[int]]] = field(default_factory=list)
    thread: list[tuple[str, str, list[str], set[int]]] = field(default_factory=list)

    def each(self) -> Iterable[tuple[str, tuple[str, str, list[str], set[int]]]]:
        for kind in ("organisation", "thread", "city", "tag"):
            for found in getattr(self, kind):
                yield kind, found


def _strength(ties: Mapping[int, TieState], pid: int) -> float:
    tie = ties.get(pid)
    return tie.strength if tie is not None else 0.0


@dataclass
class _Candidate:
    kind: str
    key: str
    label: str
    why: list[str]
    members: list[int]
    dormant: set[int]
    score: float


def propose_groups(
    found: Found,
    names: Mapping[int, str],
    ties: Mapping[int, TieState],
    today: date,
    *,
    min_size: int = MIN_SIZE,
    max_size: int = MAX_SIZE,
    kinds: Sequence[str] | None = None,
    limit: int = 10,
    key: str | None = None,
) -> list[Group]:
    """Groups of ``min_size``–``max_size`` people among ``names`` (who may be invited: the
    user and people on hold are already left out), the best first. Two contexts with the same
    people make one group with both reasons; ``key`` asks for that one group alone. Candidates
    are scored first; only those shown
    are made into groups (a large network has tens of thousands of small threads)."""
    min_size = max(2, min_size)
    max_size = max(min_size, max_size)
    asleep = {pid for pid, tie in ties.items() if pid in names and is_dormant(tie, today)}
    by_members: dict[tuple[int, ...], _Candidate] = {}
    wanted = key
    for kind, (key, label, why, people) in found.each():
        if (kinds and kind not in kinds) or (wanted and f"{kind}:{key}" != wanted):
            continue
        members = [pid for pid in people if pid in names]
        if len(members) < min_size:
            continue
        ident = tuple(sorted(members))  # frozensets of small ints hash into few buckets
        known = by_members.get(ident)
        if known is not None:
            known.why += [w for w in why if w not in known.why]
            known.score += 0.5
            continue
        dormant = asleep.intersection(members)
        size = min(len(members), max_size)
        score = KIND_WEIGHT.get(kind, 1.0) * size**0.5 + DORMANT_WEIGHT * min(len(dormant), size)
        by_members[ident] = _Candidate(kind, key, label, list(why), members, dormant, score)
    ranked = sorted(by_members.values(), key=lambda c: (-c.score, c.label, c.key))
    return _diverse(ranked, names, ties, max_size, max(1, limit))


def _group(c: _Candidate, names: Mapping[int, str], ties: Mapping[int, TieState], max_size: int) -> Group:  # fmt: skip
    """The group of a candidate: the dormant first, then the strongest ties, then by name."""
    members = sorted(
        c.members, key=lambda p: (p not in c.dormant, -_strength(ties, p), names[p], p)
    )
    kept = members[:max_size]
    return Group(
        c.kind, f"{c.kind}:{c.key}", c.label, c.why, [(pid, names[pid]) for pid in kept],
        [pid for pid in kept if pid in c.dormant], max(0, len(members) - max_size), c.score,
    )  # fmt: skip


#: a group sharing more than this share of the smaller one's people with a better one is left
#: out: ten near-copies of one team say less than one team, one city and one thread
OVERLAP = 0.6


def _diverse(
    ranked: Iterable[_Candidate],
    names: Mapping[int, str],
    ties: Mapping[int, TieState],
    max_size: int,
    limit: int,
) -> list[Group]:
    chosen: list[tuple[Group, set[int]]] = []
    for c in ranked:
        ids = set(c.members)
        if any(len(ids & seen) > OVERLAP * min(len(ids), len(seen)) for _, seen in chosen):
            continue
        group = _group(c, names, ties, max_size)
        chosen.append((group, {pid for pid, _ in group.people}))
        if len(chosen) >= limit:
            break
    return [g for g, _ in chosen]
