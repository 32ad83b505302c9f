"""Every tie's features at once, from everyone's contacts as columns (numpy arrays).

The same figures as :func:`rekindle.history.tie_features.tie_features` (to float rounding)
for every person of :class:`~rekindle.history.tie_arrays.ContactColumns`, without a
:class:`~rekindle.history.ties.Contact` per contact: the plan's weekly snapshot describes
20,000 ties and 2 million contacts in a few array operations and one short loop a person
(the decayed sums). Co-participants are the other persons linked to the same interaction,
as :func:`rekindle.store.ties.contacts_by_person` reads them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from rekindle.history.tie_arrays import (
    BOTH,
    IN,
    MEETING,
    OUT,
    US_PER_DAY,
    ContactColumns,
    decayed_run,
    medians,
    micros,
    starts_of,
    time_of,
    weights_of,
)
from rekindle.history.tie_features import CIRCLE_LIMIT, MIN_GAPS, RECENT_DAYS, TieFeatures
from rekindle.history.ties import GROUP_THRESHOLD, HALF_LIFE_DAYS

Ints = NDArray[np.int64]
#: a reply later than this is no reply (as ``tie_features``' reply hours)
REPLY_WITHIN_US = 30 * US_PER_DAY


def features_of_columns(
    cols: ContactColumns, now: datetime, recent: Mapping[str, int]
) -> dict[int, TieFeatures]:
    """Person → :class:`TieFeatures` at ``now`` from their contacts strictly before it, for
    every person in ``cols`` (sorted by person, time and interaction, each link once).
    ``recent`` maps the people I talk to lately (ids as text) to how often, as for
    ``tie_features``."""
    return features_and_common(cols, now, recent)[0]


def features_and_common(
    cols: ContactColumns,
    now: datetime,
    recent: Mapping[str, int],
    persons_on: Any = None,
    co_groups_up_to: int | None = None,
    only: Sequence[int] | None = None,
) -> tuple[dict[int, TieFeatures], dict[int, int]]:
    """:func:`features_of_columns`, and per person how many of the people I talk to lately
    they shared conversations with (all of them, where ``circle_people`` names three); of
    the persons ``only`` (default: everyone in ``cols``).

    ``persons_on`` (of :func:`count_persons_on`): how many persons each interaction has, when
    ``cols`` holds only some of everyone's links (every link of each interaction it has).
    ``co_groups_up_to``: only messages to at most this many people have co-participants
    (as the fit's timelines read them; the plan's read has no such bound)."""
    now_us = micros(now)
    # before the cut: an interaction's people whenever it was
    sizes = persons_on if persons_on is not None else count_persons_on(cols)
    past = cols.when < now_us
    events = cols if past.all() else cols.take(past)
    wanted = None if only is None else np.isin(events.person, np.asarray(only, dtype=np.int64))
    circles, circle_people, common = _circles(events, sizes, recent, co_groups_up_to, wanted)
    if wanted is not None:  # the others' links served the circles; no more is asked of them
        events = events.take(wanted)
        everyone = sorted(set(np.unique(cols.person).tolist()) & set(only or ()))
    else:
        everyone = np.unique(cols.person).tolist()
    personal = events.group_size <= GROUP_THRESHOLD
    since = now_us - RECENT_DAYS * US_PER_DAY
    group_recent = _count_by(events.person[~personal & (events.when >= since)])
    group_all = _count_by(events.person[~personal])
    out: dict[int, TieFeatures] = {}
    mine = events.take(personal)
    figures = _personal_figures(mine, now_us)
    for pid in everyone:
        c = circles.get(pid, 0.0)
        people = circle_people.get(pid, ())
        g = group_recent.get(pid, 0)
        f = figures.get(pid)
        if f is None:
            out[pid] = TieFeatures(
                0, 0, 0, 0, None, None, 0, 0.0, 0.0, None, None, None, 0.0, None, g, c, people,
                group=group_all.get(pid, 0),
            )  # fmt: skip
            continue
        n, n_in, n_out, meetings, first, last, days, decayed, peak, peak_at, heard = f[:11]
        usual, reply = f[11], f[12]
        high = max(n_in, n_out)
        out[pid] = TieFeatures(
            personal=n,
            messages_in=n_in,
            messages_out=n_out,
            meetings=meetings,
            first=time_of(first),
            last=time_of(last),
            active_days=days,
            decayed=decayed,
            peak=peak,
            peak_at=time_of(peak_at),
            silence_days=(now_us - heard) / US_PER_DAY,
            usual_gap_days=usual,
            reciprocity=min(n_in, n_out) / high if high else (1.0 if meetings else 0.0),
            reply_hours=reply,
            group_recent=g,
            circles=c,
            circle_people=people,
            heard=time_of(heard),
            group=group_all.get(pid, 0),
        )
    return out, common


def _count_by(person: Ints) -> dict[int, int]:
    ids, n = np.unique(person, return_counts=True)
    return dict(zip(ids.tolist(), n.tolist(), strict=True))


def count_persons_on(cols: ContactColumns) -> Any:
    """Interaction id → how many persons are linked to it, as an array indexed by id (ids are
    the database's, dense from 1) or, for ids too sparse for that, a sorted lookup."""
    iid = cols.interaction
    if not len(iid):
        return np.zeros(1, dtype=np.int64)
    if int(iid.max()) <= max(4 * len(iid), 1 << 20) and int(iid.min()) >= 0:
        return np.bincount(iid)
    return np.unique(iid, return_counts=True)


def _lookup(keys: Ints, values: Ints, at: Ints) -> Ints:
    """``values`` of sorted ``keys`` at each of ``at`` (0 where absent)."""
    out = np.zeros(len(at), dtype=np.int64)
    if not len(keys):
        return out
    pos = np.searchsorted(keys, at)
    ok = pos < len(keys)
    ok[ok] = keys[pos[ok]] == at[ok]
    out[ok] = values[pos[ok]]
    return out


def _sum_by(iid: Ints, values: Ints) -> Any:
    """Per interaction id, the sum of ``values`` over its links (as :func:`count_persons_on`)."""
    if not len(iid):
        return np.zeros(1, dtype=np.int64)
    if int(iid.max()) <= max(4 * len(iid), 1 << 20) and int(iid.min()) >= 0:
        return np.bincount(iid, weights=values).astype(np.int64)
    heads, inverse = np.unique(iid, return_inverse=True)
    return heads, np.bincount(inverse, weights=values).astype(np.int64)


def _linked_counts(persons_on: Any, iid: Ints) -> Ints:
    if isinstance(persons_on, tuple):
        heads, sizes = persons_on
        return sizes[np.searchsorted(heads, iid)]
    return persons_on[iid]


def _circles(
    events: ContactColumns,
    persons_on: Any,
    recent: Mapping[str, int],
    co_groups_up_to: int | None = None,
    wanted: NDArray[np.bool_] | None = None,
) -> tuple[dict[int, float], dict[int, tuple[str, ...]], dict[int, int]]:
    """Per person, how active the people they shared conversations with are in my life
    lately, the three most shared of them (as ``tie_features``' circles) and how many; for
    the contacts ``wanted`` (default: all; every link still counts as a co-participant)."""
    if not recent or not len(events):
        return {}, {}, {}
    iid_all = events.interaction
    n_on = _linked_counts(persons_on, iid_all)
    # a contact's co-participants: the others on it, when it had more than one recipient
    others = n_on - 1
    keep = (events.group_size > 1) & (others >= 1) & (others <= CIRCLE_LIMIT)
    if co_groups_up_to is not None:
        keep &= events.group_size <= co_groups_up_to
    if wanted is not None:
        keep &= wanted
    keep_at = np.flatnonzero(keep)
    if not len(keep_at):
        return {}, {}, {}
    ids = np.asarray(sorted(int(k) for k in recent if k.isdigit()), dtype=np.int64)
    counts = np.asarray([min(recent[str(i)], 3) for i in ids.tolist()], dtype=np.int64)
    # how recent each link's person is (0: not lately), then summed per interaction
    r = _lookup(ids, counts, events.person)
    total = _sum_by(iid_all, r)
    share = (_linked_counts(total, iid_all[keep_at]) - r[keep_at]) / others[keep_at]
    who, dense = np.unique(events.person[keep_at], return_inverse=True)
    sums = np.bincount(dense, weights=share, minlength=len(who))  # in time order, as summed
    circles = dict(zip(who.tolist(), sums.tolist(), strict=True))
    lately = np.flatnonzero(r > 0)
    order = lately[np.argsort(iid_all[lately], kind="stable")]
    link_i, link_p = iid_all[order], events.person[order]
    top, many = _shared_most(events.person[keep_at], iid_all[keep_at], link_i, link_p)
    return circles, top, many


def _shared_most(
    person: Ints, iid: Ints, li: Ints, lp: Ints
) -> tuple[dict[int, tuple[str, ...]], dict[int, int]]:
    """Per person, the three people I talk to lately they shared most conversations with
    (ties by the id as text, as ``tie_features``), and how many there are. ``li`` and ``lp``
    are the links of people I talk to lately, sorted by interaction."""
    if not len(li):
        return {}, {}
    lo, n = _runs_of(li, iid)
    total = int(n.sum())
    if not total:
        return {}, {}
    # every (contact, recent person on its interaction) pair: the ranges lo..lo+n laid end to end
    at = np.repeat(lo - np.cumsum(n) + n, n) + np.arange(total, dtype=np.int64)
    who, other = np.repeat(person, n), lp[at]
    mask = other != who
    who, other = who[mask], other[mask]
    names = np.unique(other)
    rank = np.empty(len(names), dtype=np.int64)  # each recent person's place by id as text
    rank[np.argsort(np.asarray([str(v) for v in names.tolist()]), kind="stable")] = np.arange(
        len(names)
    )
    code = who * len(names) + np.searchsorted(names, other)
    pair, count = np.unique(code, return_counts=True)
    p, o = pair // len(names), pair % len(names)
    order = np.lexsort((rank[o], -count, p))
    p, o = p[order], o[order]
    first = starts_of(p)
    runs = np.diff(np.append(first, len(p)))
    place = np.arange(len(p)) - np.repeat(first, runs)
    top = place < 3
    out: dict[int, list[str]] = {}
    for pid, name in zip(p[top].tolist(), names[o[top]].tolist(), strict=True):
        out.setdefault(pid, []).append(str(name))
    many = dict(zip(p[first].tolist(), runs.tolist(), strict=True))
    return {pid: tuple(v) for pid, v in out.items()}, many


def _runs_of(sorted_ids: Ints, wanted: Ints) -> tuple[Ints, Ints]:
    """Where each of ``wanted`` starts in ``sorted_ids`` and how many times it is there: from
    each id's count when the ids are dense (the database's interaction ids), else by two
    binary searches."""
    top = int(sorted_ids[-1])
    if int(sorted_ids[0]) >= 0 and top <= max(4 * len(wanted), 1 << 20):
        counts = np.bincount(sorted_ids, minlength=top + 2)
        starts = np.cumsum(counts) - counts
        inside = np.clip(wanted, 0, top + 1)  # outside: a count of 0 (past the last id)
        inside[(wanted < 0) | (wanted > top)] = top + 1
        return starts[inside], counts[inside]
    lo = np.searchsorted(sorted_ids, wanted)
    return lo, np.searchsorted(sorted_ids, wanted, side="right") - lo


def _personal_figures(events: ContactColumns, now_us: int) -> dict[int, tuple]:
    """Per person with personal contact: (count, in, out, meetings, first, last, active
    days, decayed at now, peak, when the peak was last reached, when the silence began,
    usual gap in days or None, their median reply hours or None)."""
    if not len(events):
        return {}
    person = events.person
    starts = starts_of(person)
    ends = np.append(starts[1:], len(person))
    d, ch = events.direction, events.channel
    written = ch != MEETING

    def sums(values: NDArray[np.bool_]) -> list[int]:
        return np.add.reduceat(values.astype(np.int64), starts).tolist()

    n_in = sums(written & (d == IN))
    n_out = sums(written & (d == OUT))
    meetings = sums(~written)
    index = np.arange(len(person), dtype=np.int64)
    heard_at = np.maximum.reduceat(np.where((d == IN) | (d == BOTH), index, -1), starts)
    heard_at = np.where(heard_at >= 0, heard_at, ends - 1)
    heard = events.when[heard_at].tolist()
    day = events.when // US_PER_DAY
    new_day = np.ones(len(day), dtype=bool)
    new_day[1:] = (day[1:] != day[:-1]) | (person[1:] != person[:-1])
    active = sums(new_day)
    usual = _usual_gaps(person[new_day], day[new_day])
    reply = _reply_hours(events, starts)
    decayed = _decayed(events, starts, ends, now_us)
    first = events.when[starts].tolist()
    last = events.when[ends - 1].tolist()
    out: dict[int, tuple] = {}
    for i, pid in enumerate(person[starts].tolist()):
        total, peak, peak_at = decayed[i]
        out[pid] = (
            int(ends[i] - starts[i]), n_in[i], n_out[i], meetings[i], first[i], last[i],
            active[i], total, peak, peak_at, heard[i], usual.get(pid), reply.get(pid),
        )  # fmt: skip
    return out


def _usual_gaps(person: Ints, day: Ints) -> dict[int, float]:
    """Person → the median gap between their distinct days of contact, from MIN_GAPS gaps."""
    same = person[1:] == person[:-1]
    who, gaps = person[1:][same], (day[1:] - day[:-1])[same]
    found = medians(who, gaps)
    many = {p for p, n in _count_by(who).items() if n >= MIN_GAPS}
    return {p: v for p, v in found.items() if p in many}


def _reply_hours(events: ContactColumns, starts: Ints) -> dict[int, float]:
    """Person → median hours from my message to their next one: each of their messages
    answers the first of mine since their previous one (within 30 days), as ``tie_features``."""
    d = events.direction
    is_in = d == IN
    # how many of their messages came before each contact, within the person
    before = np.cumsum(is_in) - is_in
    base = before[starts]
    seg = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(d))))
    run = before - base[seg]
    outs = np.flatnonzero(d == OUT)
    key_out = seg[outs] * (len(d) + 1) + run[outs]
    first_of, pos = np.unique(key_out, return_index=True)  # the first of mine in each run
    opened = events.when[outs[pos]]
    ins = np.flatnonzero(is_in)
    key_in = seg[ins] * (len(d) + 1) + run[ins]
    at = np.searchsorted(first_of, key_in)
    ok = at < len(first_of)
    ok[ok] = first_of[at[ok]] == key_in[ok]
    wait = events.when[ins[ok]] - opened[at[ok]]
    within = wait <= REPLY_WITHIN_US
    hours = wait[within] / 3.6e9
    return medians(events.person[ins[ok]][within], hours)


def _decayed(
    events: ContactColumns, starts: Ints, ends: Ints, now_us: int
) -> list[tuple[float, float, int]]:
    """Per person: the decayed sum at ``now``, its peak, and when the peak was last reached
    (:func:`~rekindle.history.tie_arrays.decayed_run`, over personal contacts, all small)."""
    weights = weights_of(events)
    half_life_us = HALF_LIFE_DAYS * US_PER_DAY
    when = events.when
    out = []
    for a, b in zip(starts.tolist(), ends.tolist(), strict=True):
        t = when[a:b]
        total, peak, k = decayed_run((t - t[0]) / half_life_us, weights[a:b])
        total *= 0.5 ** (max(now_us - int(t[-1]), 0) / half_life_us)
        out.append((total, peak, int(t[k])))
    return out
