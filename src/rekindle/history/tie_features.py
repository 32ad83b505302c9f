"""What the ranking knows about one tie at a moment: figures drawn from its contacts (pure).

The same function serves ``rekindle plan`` (contacts read from the store) and the backtest
(contacts read from an interaction log), so what is measured is what ships.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from rekindle.history.ties import SECONDS_PER_DAY, Contact, decayed_with_peak, is_personal

#: contacts within this many days count as "lately" (for circles and group sightings)
RECENT_DAYS = 45
#: a usual gap needs this many gaps between days in touch to mean anything
MIN_GAPS = 3
#: a message to more people than this says nothing about anyone's circles
CIRCLE_LIMIT = 30


@dataclass(frozen=True, slots=True)
class TieFeatures:
    """One tie at ``now``; personal contacts are 1:1 or small (at most 4 others) or meetings."""

    personal: int
    messages_in: int
    messages_out: int
    meetings: int
    first: datetime | None
    last: datetime | None
    active_days: int
    decayed: float
    peak: float
    peak_at: datetime | None
    silence_days: float | None
    usual_gap_days: float | None
    reciprocity: float
    reply_hours: float | None
    group_recent: int
    circles: float
    circle_people: tuple[str, ...]
    #: when they last wrote, or you met or called: your own messages since do not end the
    #: silence (a tie they never answered counts from your last message)
    heard: datetime | None = None
    #: group contacts (more than 4 others): what they say of the tie is not personal
    group: int = 0

    @property
    def duration_days(self) -> float:
        if self.first is None or self.last is None:
            return 0.0
        return (self.last - self.first).total_seconds() / SECONDS_PER_DAY

    @property
    def gap_ratio(self) -> float | None:
        if self.silence_days is None or not self.usual_gap_days:
            return None
        return self.silence_days / self.usual_gap_days

    @property
    def two_way(self) -> bool:
        return self.meetings > 0 or (self.messages_in > 0 and self.messages_out > 0)


def recent_partners(
    contacts_by_key: Mapping[str, Sequence[Contact]], now: datetime
) -> dict[str, int]:
    """Whom I have been in personal contact with lately, and how often (for circles)."""
    since = now - timedelta(days=RECENT_DAYS)
    out: dict[str, int] = {}
    for key, contacts in contacts_by_key.items():
        n = sum(1 for c in contacts if since <= c.when < now and is_personal(c))
        if n:
            out[key] = n
    return out


def tie_features(
    contacts: Iterable[Contact], now: datetime, recent: Mapping[str, int] | None = None
) -> TieFeatures:
    """Figures for one tie from every contact before ``now``.

    ``recent`` maps the people I have been in personal contact with lately to how often; a tie
    whose past conversations included them is active in my circles now ("circles").
    """
    events = sorted((c for c in contacts if c.when < now), key=lambda c: c.when)
    personal = [c for c in events if is_personal(c)]
    since = now - timedelta(days=RECENT_DAYS)
    group = [c for c in events if not is_personal(c)]
    group_recent = sum(1 for c in group if c.when >= since)
    circles, circle_people = _circles(events, recent or {})
    if not personal:
        return TieFeatures(
            0, 0, 0, 0, None, None, 0, 0.0, 0.0, None, None, None, 0.0, None,
            group_recent, circles, circle_people, group=len(group),
        )  # fmt: skip
    emails = [c for c in personal if c.channel != "meeting"]
    n_in = sum(1 for c in emails if c.direction == "in")
    n_out = sum(1 for c in emails if c.direction == "out")
    meetings = len(personal) - len(emails)
    days = sorted({c.when.date() for c in personal})
    gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    decayed, peak, peak_at = decayed_with_peak(personal, now)
    high = max(n_in, n_out)
    heard = last_heard(personal)
    return TieFeatures(
        personal=len(personal),
        messages_in=n_in,
        messages_out=n_out,
        meetings=meetings,
        first=personal[0].when,
        last=personal[-1].when,
        active_days=len(days),
        decayed=decayed,
        peak=peak,
        peak_at=peak_at,
        silence_days=(now - heard).total_seconds() / SECONDS_PER_DAY,
        usual_gap_days=float(median(gaps)) if len(gaps) >= MIN_GAPS else None,
        reciprocity=min(n_in, n_out) / high if high else (1.0 if meetings else 0.0),
        reply_hours=_their_reply_hours(personal),
        group_recent=group_recent,
        circles=circles,
        circle_people=circle_people,
        heard=heard,
        group=len(group),
    )


def last_heard(personal: Sequence[Contact]) -> datetime:
    """When the silence of a tie began: their last message, or the last time you met or
    called (a contact both ways). Your own unanswered mail does not end it; a tie they never
    answered counts from your last message. ``personal`` is in time order, not empty."""
    return next(
        (c.when for c in reversed(personal) if c.direction in ("in", "both")), personal[-1].when
    )


def last_written(contacts: Iterable[Contact], now: datetime) -> datetime | None:
    """When you last wrote to them personally before ``now`` (mail the sync found in Sent
    included): not the end of a silence, but contact lately all the same."""
    return max(
        (c.when for c in contacts if c.direction == "out" and is_personal(c) and c.when < now),
        default=None,
    )


def _their_reply_hours(personal: Sequence[Contact]) -> float | None:
    """Median hours from my message to their next one, when they answered within 30 days."""
    waits = []
    pending: datetime | None = None
    for c in personal:
        if c.direction == "out" and pending is None:
            pending = c.when
        elif c.direction == "in" and pending is not None:
            hours = (c.when - pending).total_seconds() / 3600.0
            if hours <= 30 * 24:
                waits.append(hours)
            pending = None
    return float(median(waits)) if waits else None


def _circles(events: Sequence[Contact], recent: Mapping[str, int]) -> tuple[float, tuple[str, ...]]:
    """How active the people this tie shared conversations with are in my life lately."""
    if not recent:
        return 0.0, ()
    shared: Counter[str] = Counter()
    total = 0.0
    for c in events:
        if not c.co or len(c.co) > CIRCLE_LIMIT:
            continue
        # a sum of whole numbers, then one division: the same float whatever order the set
        # gives its members in (that order changes with Python's hash seed, and a float sum in
        # it made the learnt ranker's fit differ from one process to the next)
        hits = 0
        for other in c.co:
            n = recent.get(other)
            if n:
                hits += min(n, 3)
                shared[other] += 1
        total += hits / len(c.co)
    top = sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    return total, tuple(k for k, _ in top)
