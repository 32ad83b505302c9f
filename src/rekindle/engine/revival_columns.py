"""Every tie described for the learnt ranker at once, from everyone's contacts as columns.

The same rows as :func:`rekindle.engine.revival_features.describe` of each tie alone (to float
rounding), in array operations over all ties: the plan's weekly snapshot describes 20,000
ties without a :class:`~rekindle.history.ties.Contact` per contact.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray

from rekindle.engine.revival_features import OPENING_DAYS, SEEN_DAYS, Me, Row
from rekindle.engine.revival_rows import Asked, Questions, TrainingSet, rows_by
from rekindle.engine.scoring import TIE_PARTS, tie_parts
from rekindle.history.tie_arrays import IN, US_PER_DAY, ContactColumns, micros, starts_of
from rekindle.history.tie_feature_arrays import count_persons_on, features_and_common
from rekindle.history.tie_features import CIRCLE_LIMIT, TieFeatures
from rekindle.history.ties import GROUP_THRESHOLD

Ints = NDArray[np.int64]
#: a silence of this many days or more counts as a revival once it ended
REVIVAL_GAP_DAYS = 45


def describe_all(
    cols: ContactColumns,
    at: datetime,
    me: Me,
    horizon_days: float,
    persons: Iterable[int] | None = None,
    persons_on: Any = None,
    co_groups_up_to: int | None = None,
) -> tuple[dict[int, TieFeatures], dict[int, Row]]:
    """(every tie's features at ``at``, the rows of ``persons`` (default: everyone with
    personal contact before ``at``)), from contacts strictly before ``at``. ``persons_on``
    and ``co_groups_up_to`` as for
    :func:`~rekindle.history.tie_feature_arrays.features_and_common`."""
    only = None if persons is None else list(persons)
    features, common = features_and_common(
        cols, at, me.recent, persons_on, co_groups_up_to, only=only
    )
    at_us = micros(at)
    keep = cols.when < at_us
    if only is not None:  # the others' links served the circles alone
        keep &= np.isin(cols.person, np.asarray(only, dtype=np.int64))
    events = cols if keep.all() else cols.take(keep)
    small = events.group_size <= GROUP_THRESHOLD
    mine = events.take(small)
    wanted = (
        [p for p, f in features.items() if f.last is not None]
        if only is None
        else [p for p in only if p in features]
    )
    if not wanted:
        return features, {}
    silence = {p: features[p].silence_days or 0.0 for p in wanted}
    gaps = _gap_figures(mine, at_us, silence, horizon_days)
    openings = _openings(mine)
    lately, seen = _group(events.take(~small), at_us, features)
    rows: dict[int, Row] = {}
    mine_people, mine_messages = math.log1p(me.people), math.log1p(me.messages)
    for pid in wanted:
        f = features[pid]
        parts = tie_parts(f)
        s = silence[pid]
        long, ended, revivals, longest, back = gaps.get(pid, (0, 0, 0, 0, None))
        opened, theirs, last_in = openings.get(pid, (0, 0, False))
        extra = (
            math.log1p(s),
            (ended + 0.25) / (long + 1.0),
            math.log1p(long),
            math.log1p(revivals),
            min(4.0, s / (longest + 1.0)),
            theirs / opened if opened else 0.5,
            1.0 if last_in else 0.0,
            math.log1p(f.personal),
            math.log1p(lately.get(pid, 0)),
            1.0 if pid in seen else 0.0,
            math.log1p(common.get(pid, 0)),
            mine_people,
            mine_messages,
        )
        values = tuple(float(parts[n]) for n in TIE_PARTS) + extra
        rows[pid] = Row(values, f, (long, ended), f.circle_people, back)
    return features, rows


def _gap_figures(
    mine: ContactColumns, at_us: int, silence: dict[int, float], horizon: float
) -> dict[int, tuple[int, int, int, int, int | None]]:
    """Per person, over the gaps between their distinct days of personal contact before the
    day of ``at``: (gaps at least as long as the silence, of them ended within the horizon,
    gaps of 45 days or more, the longest gap, the day the latest of the ended ones ended)."""
    day = mine.when // US_PER_DAY
    person = mine.person
    keep = day < at_us // US_PER_DAY
    day, person = day[keep], person[keep]
    if not len(day):
        return {}
    new = np.ones(len(day), dtype=bool)
    new[1:] = (day[1:] != day[:-1]) | (person[1:] != person[:-1])
    day, person = day[new], person[new]
    same = person[1:] == person[:-1]
    who, gap, end = person[1:][same], (day[1:] - day[:-1])[same], day[1:][same]
    if not len(who):
        return {}
    ids = np.asarray(sorted(silence), dtype=np.int64)
    values = np.asarray([silence[p] for p in ids.tolist()], dtype=np.float64)
    at = np.searchsorted(ids, who)  # ``who`` is sorted: a cheap walk
    found = at < len(ids)
    found[found] = ids[at[found]] == who[found]
    s = np.zeros(len(who), dtype=np.float64)
    s[found] = values[at[found]]
    long = gap >= s
    ended = long & (gap < s + horizon)
    starts = starts_of(who)

    def sums(mask: NDArray[np.bool_]) -> list[int]:
        return np.add.reduceat(mask.astype(np.int64), starts).tolist()

    n_long, n_ended, n_rev = sums(long), sums(ended), sums(gap >= REVIVAL_GAP_DAYS)
    longest = np.maximum.reduceat(gap, starts).tolist()
    back = np.maximum.reduceat(np.where(ended, end, -1), starts).tolist()
    return {
        p: (n_long[i], n_ended[i], n_rev[i], longest[i], back[i] if back[i] >= 0 else None)
        for i, p in enumerate(who[starts].tolist())
    }


def _openings(mine: ContactColumns) -> dict[int, tuple[int, int, bool]]:
    """Per person: (conversations opened after a pause of OPENING_DAYS, of them by the
    other side, whether their personal message came last)."""
    person, when = mine.person, mine.when
    if not len(person):
        return {}
    starts = starts_of(person)
    opening = np.ones(len(when), dtype=bool)
    opening[1:] = (person[1:] != person[:-1]) | (when[1:] - when[:-1] >= OPENING_DAYS * US_PER_DAY)
    theirs = opening & (mine.direction == IN)
    ends = np.append(starts[1:], len(person))
    opened = np.add.reduceat(opening.astype(np.int64), starts).tolist()
    by_them = np.add.reduceat(theirs.astype(np.int64), starts).tolist()
    last_in = (mine.direction[ends - 1] == IN).tolist()
    return {p: (opened[i], by_them[i], last_in[i]) for i, p in enumerate(person[starts].tolist())}


def _group(
    group: ContactColumns, at_us: int, features: dict[int, TieFeatures]
) -> tuple[dict[int, int], set[int]]:
    """(per person, group mail in the SEEN_DAYS before ``at``; who was seen on group mail
    since their last personal contact)."""
    since = at_us - SEEN_DAYS * US_PER_DAY
    ids, n = np.unique(group.person[group.when >= since], return_counts=True)
    lately = dict(zip(ids.tolist(), n.tolist(), strict=True))
    if not len(group.person):
        return lately, set()
    latest = np.maximum.reduceat(group.when, starts_of(group.person))
    seen = set()
    for pid, t in zip(group.person[starts_of(group.person)].tolist(), latest.tolist(), strict=True):
        f = features.get(pid)
        if f is not None and f.last is not None and t > micros(f.last):
            seen.add(pid)
    return lately, seen


class _Around:
    """Everyone's contact columns, ready to give the contacts of a few persons with every
    link of the interactions they were on (for their co-participants)."""

    def __init__(self, cols: ContactColumns) -> None:
        self.cols = cols
        self.persons_on = count_persons_on(cols)

    def around(self, persons: Sequence[int]) -> ContactColumns:
        cols = self.cols
        wanted = np.unique(np.asarray(persons, dtype=np.int64))
        own = _spans(
            np.searchsorted(cols.person, wanted), np.searchsorted(cols.person, wanted, "right")
        )
        # every link of an interaction one of them was on (their own among them), in
        # order: person, time, interaction, as everyone's columns are
        return cols.take(np.flatnonzero(np.isin(cols.interaction, cols.interaction[own])))


def _spans(lo: Ints, hi: Ints) -> Ints:
    """The positions lo[i]..hi[i] of every span, laid end to end."""
    n = hi - lo
    total = int(n.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    return np.repeat(lo - np.cumsum(n) + n, n) + np.arange(total, dtype=np.int64)


def rows_of_columns(
    asked: Sequence[Asked],
    cols: ContactColumns,
    q: Questions,
    progress: Callable[[int, int], None] | None = None,
) -> TrainingSet:
    """The training rows of the questions from everyone's contact columns: the rows of
    :func:`rekindle.engine.revival_rows.rows_of` over the fit's timelines (co-participants on
    messages to at most CIRCLE_LIMIT people, as those timelines have them), without a
    contact object per contact."""
    index = _Around(cols)

    def moment(a: Asked) -> list[Row]:
        keys = [int(k) for k in a.keys]
        _, rows = describe_all(
            index.around(keys),
            a.moment,
            a.me,
            q.horizon_days,
            persons=keys,
            persons_on=index.persons_on,
            co_groups_up_to=CIRCLE_LIMIT,
        )
        return [rows[k] for k in keys]

    return rows_by(asked, moment, progress)
