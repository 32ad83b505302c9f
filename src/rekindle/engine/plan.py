"""The week's short list: guards, diversity and quota over scored candidates (pure).

Candidates arrive scored; people held back (snoozed, declined, do-not-contact, awaiting a
reply, reached lately) never pass; the rest are picked by maximal marginal relevance so the
list is not the top few of one employer, one field or one length of silence (a few ties lost
this year and a few lost years ago, when both are worth it), and ties break on the person id
so the same inputs always give the same plan.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import date, datetime

from rekindle.engine.scoring import Score

#: how much a pick's similarity to those already picked costs (0 = plain top-N)
DIVERSITY = 0.35
#: how alike two people of the same field (and different organisations) count
SAME_FIELD = 0.6
#: what a pick costs for being silent as long as one already picked (same span of
#: :func:`silence_span`), on top of its sameness of employer, field and circles
SPAN_DIVERSITY = 0.2
#: the spans of silence the week's picks are spread across: (label, at least this many days)
SILENCE_SPANS = (("under a year", 0), ("1–3 years", 365), ("3 years or more", 1095))
FREQUENCIES = ("week", "month")


@dataclass(frozen=True, slots=True)
class Candidate:
    person_id: int
    name: str
    score: Score
    organisation: str | None = None
    circles: frozenset[str] = field(default_factory=frozenset)
    held: str | None = None
    #: their inferred field (industry or function), see :mod:`rekindle.engine.fields`
    field: str | None = None
    #: days since the tie was last in touch (None: unknown, never spread by it)
    silent_days: float | None = None

    @property
    def value(self) -> float:
        return self.score.total


def silence_span(days: float | None) -> str | None:
    """The span of :data:`SILENCE_SPANS` a silence of ``days`` falls in (None when unknown)."""
    if days is None:
        return None
    return next(label for label, least in reversed(SILENCE_SPANS) if days >= least)


def similarity(a: Candidate, b: Candidate, wanted: AbstractSet[str] = frozenset()) -> float:
    """1 for the same organisation, else at least :data:`SAME_FIELD` for the same field (one
    of the ``wanted`` fields, those the goal names, is no sameness: more of it is the point),
    else the overlap of their other contexts (tags, circles)."""
    if a.organisation and b.organisation and a.organisation.casefold() == b.organisation.casefold():
        return 1.0
    same_field = SAME_FIELD if a.field and a.field == b.field and a.field not in wanted else 0.0
    if not a.circles or not b.circles:
        return same_field
    return max(same_field, len(a.circles & b.circles) / len(a.circles | b.circles))


def silent_as_long(a: Candidate, chosen: Iterable[Candidate]) -> bool:
    """Whether ``a`` is silent for the same span as one of ``chosen`` (unknown: never)."""
    span = silence_span(a.silent_days)
    return span is not None and any(span == silence_span(c.silent_days) for c in chosen)


def diversity_words(fields: list[str], spans: list[str]) -> str:
    """ "diversified across 3 fields (…) and 2 lengths of silence (…)", or "" when the picks
    share one field and one span (one of each is no diversity to speak of)."""
    parts = []
    if len(fields) > 1:
        parts.append(f"{len(fields)} fields ({', '.join(fields)})")
    if len(spans) > 1:
        parts.append(f"{len(spans)} lengths of silence ({', '.join(spans)})")
    return "diversified across " + " and ".join(parts) if parts else ""


def spans_of(picked: Iterable[Candidate]) -> list[str]:
    """The distinct spans of silence of the picks, in order of first appearance."""
    return list(dict.fromkeys(s for c in picked if (s := silence_span(c.silent_days))))


def fields_of(picked: Iterable[Candidate]) -> list[str]:
    """The distinct fields of the picks, in order of first appearance."""
    return list(dict.fromkeys(c.field for c in picked if c.field))


def select(
    candidates: Iterable[Candidate],
    quota: int,
    diversity: float = DIVERSITY,
    span_diversity: float = SPAN_DIVERSITY,
    wanted: AbstractSet[str] = frozenset(),
) -> list[Candidate]:
    """Up to ``quota`` people, best first, each next one trading score against sameness (of
    employer, field and circles, and of how long the tie has been silent); the ``wanted``
    fields (the goal's) are not spread across."""
    pool = sorted((c for c in candidates if c.held is None), key=lambda c: (-c.value, c.person_id))
    if quota <= 0 or not pool:
        return []
    top = pool[0].value or 1.0
    chosen: list[Candidate] = []
    while pool and len(chosen) < quota:
        best_i = 0
        best = float("-inf")
        for i, c in enumerate(pool[: max(50, quota * 20)]):
            same = max((similarity(c, s, wanted) for s in chosen), default=0.0)
            value = (1 - diversity) * (c.value / top) - diversity * same
            if span_diversity and silent_as_long(c, chosen):
                value -= span_diversity
            if value > best + 1e-12:
                best, best_i = value, i
        chosen.append(pool.pop(best_i))
    return chosen


def period_of(now: datetime | date, frequency: str = "week") -> str:
    """The plan's period: an ISO week (``2026-W47``) or a month (``2026-11``)."""
    if frequency == "month":
        return f"{now.year:04d}-{now.month:02d}"
    year, week, _ = now.isocalendar()
    return f"{year:04d}-W{week:02d}"


#: why people are held back, as the plan's summary counts them (the first matching start of
#: :func:`held_reason`'s words, and of the hold words; anything else: "held")
HELD_KINDS = (
    ("snoozed", "snoozed"),
    ("dismissed", "dismissed"),
    ("declined", "declined"),
    ("marked do-not-contact", "do not contact"),
    ("awaiting a reply", "awaiting a reply"),
    ("contacted on", "contacted lately"),
    ("you wrote on", "resting after no reply"),
)


def held_kind(reason: str) -> str:
    """The kind of a held-back reason, for counts ("resting after no reply")."""
    for start, kind in HELD_KINDS:
        if reason.startswith(start):
            return kind
    return "a teammate reached out" if "(your team) reached out" in reason else "held"


def held_reason(
    *,
    hold: str | None,
    awaiting_since: datetime | None,
    last_outreach: datetime | None,
    now: datetime,
    lock_days: int,
    teammate: tuple[str, datetime] | None = None,
) -> str | None:
    """Why a person may not be suggested now, or None.

    ``teammate`` is (their name, when) of a sharing teammate's newest outreach to the person:
    the duplicate-outreach lock holds across the team.
    """
    if hold:
        return hold
    if awaiting_since is not None:
        return f"awaiting a reply since {awaiting_since:%d %b %Y}"
    if last_outreach is not None and (now - last_outreach).days < lock_days:
        return f"contacted on {last_outreach:%d %b %Y}"
    if teammate is not None and (now - teammate[1]).days < lock_days:
        return f"{teammate[0]} (your team) reached out on {teammate[1]:%d %b %Y}"
    return None
