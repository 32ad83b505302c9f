"""Tie statistics: what the history says about me and one person (pure functions).

Every figure is computed from a list of :class:`Contact` events and ``now`` (always passed
in), so the same history gives the same numbers everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from statistics import median
from typing import Literal

#: channels of written messages: counted each way, their threads timed for replies
WRITTEN_CHANNELS = ("email", "linkedin")

HALF_LIFE_DAYS = 365.0
#: more than this many recipients makes a message group mail
GROUP_THRESHOLD = 4
SECONDS_PER_DAY = 86400.0
#: where times counted in microseconds start (tie statistics on arrays, the plan's snapshot)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: "no such time" among times in microseconds (the least int64)
NEVER_US = -(2**63)


def time_of(us: int) -> datetime:
    """The aware UTC time of microseconds since 1970."""
    return EPOCH + timedelta(microseconds=int(us))


@dataclass(frozen=True, slots=True)
class Contact:
    """One dated contact with a person, as far as tie strength is concerned."""

    when: datetime
    direction: Literal["in", "out", "both"]
    channel: str = "email"
    group_size: int = 1
    thread: str | None = None
    co: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class TieStats:
    first_contact: datetime | None
    last_contact: datetime | None
    last_two_way: datetime | None
    messages_in: int
    messages_out: int
    meetings: int
    reciprocity: float
    one_to_one_share: float
    reply_latency_in_h: float | None
    reply_latency_out_h: float | None
    median_gap_days: float | None
    embeddedness: int
    decayed_sum: float
    peak_decayed: float
    #: the peak of personal contact alone (1:1 and small group mail, meetings): what makes a tier
    peak_personal: float
    #: personal contact alone, each way and met (what says whether the tie was lopsided)
    personal_in: int = 0
    personal_out: int = 0
    personal_meetings: int = 0


def is_personal(c: Contact) -> bool:
    """1:1 or small group contact (at most ``GROUP_THRESHOLD`` others), meetings included."""
    return c.group_size <= GROUP_THRESHOLD


#: what one occurrence of a recurring meeting weighs against a meeting arranged once: a
#: standing meeting is routine, so each time says less, yet six times say more than once
SERIES_SHARE = 0.5


def meeting_weight(c: Contact) -> float:
    """A small meeting weighs like outgoing mail (2), a large one 1; each occurrence of a
    series (its ``thread`` names the series) :data:`SERIES_SHARE` of that."""
    base = 2.0 if c.group_size <= GROUP_THRESHOLD else 1.0
    return base * SERIES_SHARE if c.thread else base


def weight(c: Contact) -> float:
    """Outgoing mail counts double; small meetings like outgoing mail (an occurrence of a
    series half that); group mail half."""
    if c.channel == "meeting":
        return meeting_weight(c)
    base = 2.0 if c.direction == "out" else 1.0
    return base * (0.5 if c.group_size > GROUP_THRESHOLD else 1.0)


def decay(days: float, half_life: float = HALF_LIFE_DAYS) -> float:
    return float(0.5 ** (max(days, 0.0) / half_life))


def decayed_sums(
    contacts: Sequence[Contact], now: datetime, half_life: float = HALF_LIFE_DAYS
) -> tuple[float, float]:
    """(the decayed sum at ``now``, its highest value at any contact: "formerly strong")."""
    total, peak, _ = decayed_with_peak(contacts, now, half_life)
    return total, peak


def decayed_with_peak(
    contacts: Sequence[Contact], now: datetime, half_life: float = HALF_LIFE_DAYS
) -> tuple[float, float, datetime | None]:
    """The decayed sum at ``now``, its peak, and when the peak was last reached."""
    total = 0.0
    peak = 0.0
    peak_at: datetime | None = None
    last: datetime | None = None
    # decay() and weight() written out: this loop runs over every contact of every person
    for c in contacts:
        when = c.when
        if last is not None:
            days = (when - last).total_seconds() / SECONDS_PER_DAY
            total *= float(0.5 ** (max(days, 0.0) / half_life))
        if c.channel == "meeting":
            total += meeting_weight(c)
        else:
            total += (2.0 if c.direction == "out" else 1.0) * (
                0.5 if c.group_size > GROUP_THRESHOLD else 1.0
            )
        if total >= peak:
            peak, peak_at = total, when
        last = when
    if last is not None:
        total *= decay((now - last).total_seconds() / SECONDS_PER_DAY, half_life)
    return total, peak, peak_at


def _reply_latencies(contacts: Sequence[Contact]) -> tuple[list[float], list[float]]:
    """Hours from their message to my reply (out) and from mine to theirs (in), per thread."""
    by_thread: dict[str, list[Contact]] = {}
    for c in contacts:
        if c.thread and c.channel in WRITTEN_CHANNELS:
            by_thread.setdefault(c.thread, []).append(c)
    mine: list[float] = []
    theirs: list[float] = []
    for msgs in by_thread.values():
        for prev, cur in zip(msgs, msgs[1:], strict=False):
            hours = (cur.when - prev.when).total_seconds() / 3600.0
            if prev.direction == "in" and cur.direction == "out":
                mine.append(hours)
            elif prev.direction == "out" and cur.direction == "in":
                theirs.append(hours)
    return theirs, mine


def compute_tie(
    contacts: Iterable[Contact], now: datetime, *, embeddedness: int | None = None
) -> TieStats:
    """The statistics of one tie at ``now``. Embeddedness counts the other people on the
    tie's small group contacts (their ``co``), unless the caller counted them apart."""
    events = sorted((c for c in contacts if c.when <= now), key=lambda c: c.when)
    if not events:
        return TieStats(None, None, None, 0, 0, 0, 0.0, 0.0, None, None, None, 0, 0.0, 0.0, 0.0)
    n_in = n_out = meetings = one_to_one = 0
    last_in: datetime | None = None
    last_out: datetime | None = None
    for c in events:  # in time order: the last seen each way is the latest
        direction = c.direction
        if c.channel in WRITTEN_CHANNELS:
            if direction == "in":
                n_in += 1
            elif direction == "out":
                n_out += 1
        elif c.channel == "meeting":
            meetings += 1
        if direction == "in" or direction == "both":
            last_in = c.when
        if direction == "out" or direction == "both":
            last_out = c.when
        if c.group_size <= 1:
            one_to_one += 1
    last_two_way = min(last_in, last_out) if last_in and last_out else None
    reciprocity = (
        min(n_in, n_out) / max(n_in, n_out) if max(n_in, n_out) else (1.0 if meetings else 0.0)
    )
    share_one_to_one = one_to_one / len(events)
    theirs, mine = _reply_latencies(events)
    days = sorted({c.when.date() for c in events})
    gaps = [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    co: set[str] = set()
    if embeddedness is None:
        for c in events:
            if c.group_size <= GROUP_THRESHOLD:
                co |= c.co
    total, peak = decayed_sums(events, now)
    personal = [c for c in events if is_personal(c)]
    _, peak_personal = decayed_sums(personal, now)
    written = [c for c in personal if c.channel != "meeting"]
    return TieStats(
        first_contact=events[0].when,
        last_contact=events[-1].when,
        last_two_way=last_two_way,
        messages_in=n_in,
        messages_out=n_out,
        meetings=meetings,
        reciprocity=round(reciprocity, 4),
        one_to_one_share=round(share_one_to_one, 4),
        reply_latency_in_h=round(median(theirs), 2) if theirs else None,
        reply_latency_out_h=round(median(mine), 2) if mine else None,
        median_gap_days=float(median(gaps)) if gaps else None,
        embeddedness=len(co) if embeddedness is None else embeddedness,
        decayed_sum=round(total, 4),
        peak_decayed=round(peak, 4),
        peak_personal=round(peak_personal, 4),
        personal_in=sum(1 for c in written if c.direction == "in"),
        personal_out=sum(1 for c in written if c.direction == "out"),
        personal_meetings=len(personal) - len(written),
    )
