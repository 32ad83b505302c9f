"""Tie statistics of many people at once, from their contacts as columns (numpy arrays).

The same figures as :func:`rekindle.history.ties.compute_tie` (to float rounding, well inside
the 4 decimals stored), without a :class:`~rekindle.history.ties.Contact` per contact: a sync
that refreshes thousands of people computes counts, last contacts, day gaps and reply
latencies for all of them in a few array operations, and the decayed sums a person at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from rekindle.history.ties import (
    EPOCH,
    GROUP_THRESHOLD,
    HALF_LIFE_DAYS,
    NEVER_US,
    SERIES_SHARE,
    TieStats,
    compute_tie,
    time_of,
)

#: direction codes of :attr:`ContactColumns.direction`
IN, OUT, BOTH, OTHER = 0, 1, 2, 3
#: channel codes of :attr:`ContactColumns.channel` (EMAIL: any written message, mail or LinkedIn)
EMAIL, MEETING, OTHER_CHANNEL = 0, 1, 2
US_PER_DAY = 86_400_000_000
#: "no such contact" among times in microseconds
NEVER = NEVER_US
#: a person whose contacts span more half-lives than this gets the decayed sums one by one
#: (2 to that power stays far inside a float)
_MAX_HALF_LIVES = 900.0

Ints = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class ContactColumns:
    """Contacts of many people, one entry per (person, interaction), sorted by person, time
    and interaction: ``when`` in microseconds since 1970 (UTC), ``thread`` a code per thread (equal codes
    for equal threads of one person; -1 for none)."""

    person: Ints
    interaction: Ints
    when: Ints
    direction: NDArray[np.int8]
    channel: NDArray[np.int8]
    group_size: Ints
    thread: Ints

    def __len__(self) -> int:
        return len(self.person)

    def take(self, keep: NDArray[np.bool_] | Ints) -> ContactColumns:
        return ContactColumns(
            self.person[keep],
            self.interaction[keep],
            self.when[keep],
            self.direction[keep],
            self.channel[keep],
            self.group_size[keep],
            self.thread[keep],
        )


def micros(when: datetime) -> int:
    """Microseconds since 1970 of an aware time (naive: UTC)."""
    aware = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    return (aware - EPOCH) // timedelta(microseconds=1)


def embeddedness_of(cols: ContactColumns, until: datetime) -> dict[int, int]:
    """Person → how many other persons they were on small group interactions with (more than
    one other, at most :data:`GROUP_THRESHOLD`) until ``until``."""
    small = (cols.group_size > 1) & (cols.group_size <= GROUP_THRESHOLD)
    keep = np.flatnonzero(small & (cols.when <= micros(until)))
    person, iid = cols.person[keep], cols.interaction[keep]
    del keep
    order = np.lexsort((person, iid))
    person, iid = person[order], iid[order]
    del order
    span = int(person.max()) + 1 if len(person) else 1  # person ids are far below 2**31
    pairs: list[Ints] = []  # (person, other person) as person * span + other
    step = 1
    while step < len(iid):
        together = (iid[step:] == iid[:-step]) & (person[step:] != person[:-step])
        if not together.any():
            break  # runs are sorted: none reaches further either
        a, b = person[:-step][together], person[step:][together]
        pairs += [a * span + b, b * span + a]
        step += 1
    if not pairs:
        return {}
    codes = np.concatenate(pairs)
    del pairs
    codes.sort()
    who, count = np.unique(
        codes[np.append(True, codes[1:] != codes[:-1])] // span, return_counts=True
    )
    return dict(zip(who.tolist(), count.tolist(), strict=True))


def ties_of(
    cols: ContactColumns, now: datetime, embeddedness: dict[int, int]
) -> dict[int, TieStats]:
    """Person → tie statistics at ``now`` for every person with contacts in ``cols``."""
    empty = compute_tie([], now)
    everyone = np.unique(cols.person)
    events = _in_order(cols)
    past = events.when <= micros(now)
    events = events if past.all() else events.take(past)
    out = {int(pid): empty for pid in everyone}
    if not len(events):
        return out
    seg = _Segments(events.person)
    counts = _counts(events, seg)
    gaps = _median_gaps(events)
    theirs, mine = _reply_medians(events)
    decayed = _decayed(events, seg, now)
    for i, pid in enumerate(seg.ids.tolist()):
        n_in, n_out, meetings, one, n, first, last, last_in, last_out, p_in, p_out, p_met = counts[
            i
        ]
        top = max(n_in, n_out)
        reciprocity = min(n_in, n_out) / top if top else (1.0 if meetings else 0.0)
        total, peak, peak_personal = decayed[i]
        out[pid] = TieStats(
            first_contact=time_of(first),
            last_contact=time_of(last),
            last_two_way=time_of(min(last_in, last_out))
            if min(last_in, last_out) > NEVER
            else None,
            messages_in=n_in,
            messages_out=n_out,
            meetings=meetings,
            reciprocity=round(reciprocity, 4),
            one_to_one_share=round(one / n, 4),
            reply_latency_in_h=round(theirs[pid], 2) if pid in theirs else None,
            reply_latency_out_h=round(mine[pid], 2) if pid in mine else None,
            median_gap_days=gaps.get(pid),
            embeddedness=embeddedness.get(pid, 0),
            decayed_sum=round(total, 4),
            peak_decayed=round(peak, 4),
            peak_personal=round(peak_personal, 4),
            personal_in=p_in,
            personal_out=p_out,
            personal_meetings=p_met,
        )
    return out


def _in_order(cols: ContactColumns) -> ContactColumns:
    """The contacts sorted by person then time, the caller's order kept within a time (the
    store's order already: then nothing is copied)."""
    p, w = cols.person, cols.when
    if bool(np.all((p[1:] > p[:-1]) | ((p[1:] == p[:-1]) & (w[1:] >= w[:-1])))):
        return cols
    return cols.take(np.lexsort((w, p)))


def starts_of(person: Ints) -> Ints:
    """Where each person's run of entries starts in an array sorted by person."""
    new = np.ones(len(person), dtype=bool)
    new[1:] = person[1:] != person[:-1]
    return np.flatnonzero(new)


class _Segments:
    """Where each person's run of entries starts and ends in an array sorted by person."""

    def __init__(self, person: Ints) -> None:
        self.starts = starts_of(person)
        self.ends = np.append(self.starts[1:], len(person))
        self.ids = person[self.starts]

    def sums(self, values: NDArray[np.bool_] | Ints) -> Ints:
        return np.add.reduceat(values.astype(np.int64), self.starts)


def _counts(events: ContactColumns, seg: _Segments) -> list[tuple[int, ...]]:
    """Per person: messages in, out, meetings, one-to-one contacts, contacts, first and last
    time, last time each way (:data:`NEVER`: never), then personal contact's messages in, out
    and meetings (as ``compute_tie`` counts them)."""
    email = events.channel == EMAIL
    d = events.direction
    personal = events.group_size <= GROUP_THRESHOLD
    met = events.channel == MEETING
    never = NEVER
    way_in = np.where((d == IN) | (d == BOTH), events.when, never)
    way_out = np.where((d == OUT) | (d == BOTH), events.when, never)
    columns = [
        seg.sums(email & (d == IN)),
        seg.sums(email & (d == OUT)),
        seg.sums(events.channel == MEETING),
        seg.sums(events.group_size <= 1),
        seg.ends - seg.starts,
        events.when[seg.starts],
        events.when[seg.ends - 1],
        np.maximum.reduceat(way_in, seg.starts),
        np.maximum.reduceat(way_out, seg.starts),
        seg.sums(personal & ~met & (d == IN)),
        seg.sums(personal & ~met & (d == OUT)),
        seg.sums(personal & met),
    ]
    return list(zip(*(c.tolist() for c in columns), strict=True))


def medians(person: Ints, values: NDArray[np.float64] | Ints) -> dict[int, float]:
    """Person → the median of their values (the mean of the two middle ones when even)."""
    if not len(person):
        return {}
    order = np.lexsort((values, person))
    person, values = person[order], values[order]
    seg = _Segments(person)
    n = seg.ends - seg.starts
    upper = values[seg.starts + n // 2]
    lower = values[seg.starts + (n - 1) // 2]
    middle = np.where(n % 2 == 1, upper, (lower + upper) / 2)
    return dict(zip(seg.ids.tolist(), middle.astype(np.float64).tolist(), strict=True))


def _median_gaps(events: ContactColumns) -> dict[int, float]:
    """Person → the median number of days between their distinct contact days (UTC)."""
    day = events.when // US_PER_DAY
    person = events.person
    new = np.ones(len(day), dtype=bool)
    new[1:] = (day[1:] != day[:-1]) | (person[1:] != person[:-1])
    day, person = day[new], person[new]
    same = person[1:] == person[:-1]
    return medians(person[1:][same], (day[1:] - day[:-1])[same])


def _reply_medians(events: ContactColumns) -> tuple[dict[int, float], dict[int, float]]:
    """Person → median hours from my message to their reply, and from theirs to mine: along
    each thread of their mail, in time order."""
    mail = np.flatnonzero((events.channel == EMAIL) & (events.thread >= 0))
    person, thread = events.person[mail], events.thread[mail]
    order = np.lexsort((mail, thread, person))
    person, thread, pos = person[order], thread[order], mail[order]
    d, when = events.direction[pos], events.when[pos]
    same = (person[1:] == person[:-1]) & (thread[1:] == thread[:-1])
    hours = (when[1:] - when[:-1]) / 1e6 / 3600.0
    to_me = same & (d[:-1] == OUT) & (d[1:] == IN)
    from_me = same & (d[:-1] == IN) & (d[1:] == OUT)
    return (
        medians(person[1:][to_me], hours[to_me]),
        medians(person[1:][from_me], hours[from_me]),
    )


def weights_of(events: ContactColumns) -> NDArray[np.float64]:
    """Outgoing mail counts double; small meetings like outgoing mail, an occurrence of a series
    (its thread names the series) :data:`SERIES_SHARE` of that; group mail half
    (as :func:`rekindle.history.ties.weight`)."""
    small = events.group_size <= GROUP_THRESHOLD
    mail = np.where(events.direction == OUT, 2.0, 1.0) * np.where(small, 1.0, 0.5)
    meeting = np.where(small, 2.0, 1.0) * np.where(events.thread >= 0, SERIES_SHARE, 1.0)
    return np.where(events.channel == MEETING, meeting, mail)


def _decayed(
    events: ContactColumns, seg: _Segments, now: datetime
) -> list[tuple[float, float, float]]:
    """Per person: the decayed sum at ``now``, its peak, and the peak of personal contact.

    Each contact adds its weight to a sum that halves every :data:`HALF_LIFE_DAYS`: the sum
    just after contact k is 2^-x_k times the running total of w_j 2^x_j (x: half-lives since
    the person's first contact), one cumulative sum per person."""
    weights = weights_of(events)
    personal = events.group_size <= GROUP_THRESHOLD
    half_life_us = HALF_LIFE_DAYS * US_PER_DAY
    now_us = micros(now)
    out = []
    for start, end in zip(seg.starts.tolist(), seg.ends.tolist(), strict=True):
        x = (events.when[start:end] - events.when[start]) / half_life_us
        w = weights[start:end]
        total, peak, _ = decayed_run(x, w)
        mine = personal[start:end]
        peak_personal = decayed_run(x[mine], w[mine])[1] if mine.any() else 0.0
        total *= 0.5 ** (max(now_us - int(events.when[end - 1]), 0) / half_life_us)
        out.append((total, peak, peak_personal))
    return out


def decayed_run(x: NDArray[np.float64], w: NDArray[np.float64]) -> tuple[float, float, int]:
    """(the decayed sum just after the last contact, its highest value after any contact,
    the last contact at which it reached that), for contacts ``x`` half-lives apart."""
    if len(x) == 1:
        return float(w[0]), float(w[0]), 0
    if x[-1] - x[0] > _MAX_HALF_LIVES:  # centuries apart: step by step
        total = peak = 0.0
        k = 0
        for i in range(len(x)):
            if i:
                total *= 0.5 ** max(float(x[i] - x[i - 1]), 0.0)
            total += float(w[i])
            if total >= peak:
                peak, k = total, i
        return total, peak, k
    scale = np.exp2(x - x[0])
    sums = np.cumsum(w * scale) / scale
    return float(sums[-1]), float(sums.max()), int(len(sums) - 1 - np.argmax(sums[::-1]))
