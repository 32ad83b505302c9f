"""What the learnt ranker knows about a dormant tie at a moment (pure, numpy).

The same function describes a tie at an earlier moment of the user's history (a training row)
and today (the row being ranked), from contacts strictly before that moment only:

- the score's history parts (:func:`rekindle.engine.scoring.tie_parts`);
- gaps and hazard: of the tie's past silences at least as long as the current one, how many
  ended within the horizon (they came back after a silence this long before);
- direction and initiative: who opened your conversations after a pause, who wrote last;
- visibility: group mail with them lately, and since you last spoke;
- triadic closure: how many of the people you talk to now shared conversations with them;
- your own recent activity (how many people you are talking to lately).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from rekindle.engine.scoring import TIE_PARTS, tie_parts
from rekindle.history.tie_features import CIRCLE_LIMIT, TieFeatures, tie_features
from rekindle.history.ties import SECONDS_PER_DAY, Contact, is_personal

#: a pause of at least this many days makes the next message an opening (initiative)
OPENING_DAYS = 7
#: group mail within this many days counts as "seen lately"
SEEN_DAYS = 90

EXTRA = (
    "silence",
    "hazard",
    "long_gaps",
    "revivals",
    "longest_ratio",
    "their_openings",
    "they_wrote_last",
    "volume",
    "group_lately",
    "seen_since",
    "common_now",
    "my_people",
    "my_messages",
)
#: every feature, in the order of a row
FEATURES = (*TIE_PARTS, *EXTRA)


@dataclass(frozen=True, slots=True)
class Timeline:
    """One tie's contacts in time order, with the arrays the features bisect."""

    contacts: tuple[Contact, ...]
    times: tuple[float, ...]
    #: distinct days of personal contact (days since the epoch)
    days: tuple[int, ...]
    #: (time, direction) of personal contacts
    personal: tuple[tuple[float, str], ...]

    @classmethod
    def of(cls, contacts: Sequence[Contact]) -> Timeline:
        ordered = tuple(sorted(contacts, key=lambda c: c.when))
        times = tuple(c.when.timestamp() for c in ordered)
        personal = tuple(
            (t, c.direction) for t, c in zip(times, ordered, strict=True) if is_personal(c)
        )
        days = tuple(sorted({int(t // SECONDS_PER_DAY) for t, _ in personal}))
        return cls(ordered, times, days, personal)

    def before(self, at: float) -> int:
        return bisect_left(self.times, at)

    def last_personal(self, at: float) -> float | None:
        i = bisect_left(self.personal, (at, ""))
        return self.personal[i - 1][0] if i else None

    def resumed(self, at: float, horizon_days: float) -> bool:
        """A personal contact within ``horizon_days`` from ``at``."""
        i = bisect_left(self.personal, (at, ""))
        return i < len(self.personal) and self.personal[i][0] < at + horizon_days * SECONDS_PER_DAY


@dataclass(frozen=True, slots=True)
class Me:
    """The user at a moment: whom they talk to lately, and how much."""

    recent: Mapping[str, int]

    @property
    def people(self) -> int:
        return len(self.recent)

    @property
    def messages(self) -> int:
        return sum(self.recent.values())


@dataclass(frozen=True, slots=True)
class Row:
    """One tie at one moment: its features (named as :data:`FEATURES`) and what they rest on."""

    values: tuple[float, ...]
    tie: TieFeatures
    #: of the past silences at least this long, (how many, how many ended within the horizon)
    long_gaps: tuple[int, int]
    #: people you talk to now who shared conversations with them
    common: tuple[str, ...]
    #: the day (since the epoch) the latest of those past silences ended within the horizon
    came_back_day: int | None = None

    def value(self, name: str) -> float:
        return self.values[FEATURES.index(name)]


def describe(tl: Timeline, at: datetime, me: Me, horizon_days: float) -> Row:
    """The tie's features at ``at`` from its contacts before then."""
    ts = at.timestamp()
    k = tl.before(ts)
    f = tie_features(tl.contacts[:k], at, me.recent)
    parts = tie_parts(f)
    silence = f.silence_days or 0.0
    today = int(ts // SECONDS_PER_DAY)
    days = tl.days[: bisect_left(tl.days, today)]
    gaps = [b - a for a, b in zip(days, days[1:], strict=False)]
    long = [g for g in gaps if g >= silence]
    ended = sum(1 for g in long if g < silence + horizon_days)
    back = [b for a, b in zip(days, days[1:], strict=False) if 0 <= b - a - silence < horizon_days]
    hazard = (ended + 0.25) / (len(long) + 1.0)
    revivals = sum(1 for g in gaps if g >= 45)
    longest = max(gaps, default=0)
    personal = tl.personal[: bisect_left(tl.personal, (ts, ""))]
    openings, theirs = _openings(personal)
    seen_since, group_lately = _group(tl, k, ts, f)
    common = _common(tl.contacts[:k], me.recent)
    extra = (
        math.log1p(silence),
        hazard,
        math.log1p(len(long)),
        math.log1p(revivals),
        min(4.0, silence / (longest + 1.0)),
        theirs / openings if openings else 0.5,
        1.0 if personal and personal[-1][1] == "in" else 0.0,
        math.log1p(len(personal)),
        math.log1p(group_lately),
        1.0 if seen_since else 0.0,
        math.log1p(len(common)),
        math.log1p(me.people),
        math.log1p(me.messages),
    )
    values = tuple(float(parts[n]) for n in TIE_PARTS) + extra
    return Row(values, f, (len(long), ended), common, max(back, default=None))


def _openings(personal: Sequence[tuple[float, str]]) -> tuple[int, int]:
    """(conversations opened after a pause, of them opened by the other side)."""
    openings = theirs = 0
    last: float | None = None
    for t, direction in personal:
        if last is None or t - last >= OPENING_DAYS * SECONDS_PER_DAY:
            openings += 1
            theirs += direction == "in"
        last = t
    return openings, theirs


def _group(tl: Timeline, k: int, ts: float, f: TieFeatures) -> tuple[bool, int]:
    """(seen on group mail since your last personal contact, group mail in the last 90 days)."""
    since = ts - SEEN_DAYS * SECONDS_PER_DAY
    last_personal = f.last.timestamp() if f.last else None
    lately = 0
    seen = False
    for i in range(k - 1, -1, -1):
        t = tl.times[i]
        if t < since and (last_personal is None or t < last_personal):
            break
        if is_personal(tl.contacts[i]):
            continue
        lately += t >= since
        seen = seen or (last_personal is not None and t > last_personal)
    return seen, lately


def _common(contacts: Sequence[Contact], recent: Mapping[str, int]) -> tuple[str, ...]:
    """People you talk to now who were on conversations with this tie (most shared first)."""
    if not recent:
        return ()
    shared: dict[str, int] = {}
    for c in contacts:
        if not c.co or len(c.co) > CIRCLE_LIMIT:
            continue
        for other in c.co:
            if other in recent:
                shared[other] = shared.get(other, 0) + 1
    return tuple(sorted(shared, key=lambda k: (-shared[k], k)))


def matrix(rows: Sequence[Row]) -> np.ndarray:
    return np.asarray([r.values for r in rows], dtype=float).reshape(len(rows), len(FEATURES))


def epoch(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)
