"""Training rows from the user's own history (pure, self-supervised).

Every earlier moment of the history is a question with a known answer: which of the ties that
were dormant then (a two-way past, no personal contact for ``dormant_days``) came back within
``horizon_days``? A row describes each such tie with only what was visible before that moment
(:func:`rekindle.engine.revival_features.describe`); its label is whether contact resumed.
Only moments whose answer is fully known (moment + horizon <= now) are used.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from rekindle.engine.revival_features import FEATURES, Me, Row, Timeline, describe, epoch
from rekindle.engine.revival_pasts import Pasts
from rekindle.history.tie_features import RECENT_DAYS
from rekindle.history.ties import SECONDS_PER_DAY

#: what the product asks of the past by default
DORMANT_DAYS = 180
HORIZON_DAYS = 90
STEP_DAYS = 14
MAX_MOMENTS = 60
#: dormant ties described per moment (a sample beyond it)
MAX_PER_MOMENT = 400


@dataclass(frozen=True, slots=True)
class Questions:
    """How the past is asked: which ties count as dormant, how long they have to come back."""

    dormant_days: float = DORMANT_DAYS
    horizon_days: float = HORIZON_DAYS
    step_days: float = STEP_DAYS
    max_moments: int = MAX_MOMENTS
    max_per_moment: int = MAX_PER_MOMENT


@dataclass
class TrainingSet:
    x: np.ndarray
    y: np.ndarray
    #: rows per moment, in order (the ranking groups)
    groups: list[int] = field(default_factory=list)

    @property
    def positives(self) -> int:
        return int(self.y.sum())

    def __len__(self) -> int:
        return len(self.y)


def me_at(timelines: Mapping[str, Timeline], at: datetime) -> Me:
    """Whom the user was in personal contact with in the RECENT_DAYS before ``at``."""
    ts = at.timestamp()
    lo = (ts - RECENT_DAYS * SECONDS_PER_DAY, "")
    recent = {}
    for key, tl in timelines.items():
        n = bisect_left(tl.personal, (ts, "")) - bisect_left(tl.personal, lo)
        if n:
            recent[key] = n
    return Me(recent)


def dormant_at(tl: Timeline, at: float, dormant_days: float) -> bool:
    """A two-way personal past before ``at`` and none of it in the last ``dormant_days``."""
    i = bisect_left(tl.personal, (at, ""))
    if not i or tl.personal[i - 1][0] > at - dormant_days * SECONDS_PER_DAY:
        return False
    seen = {d for _, d in tl.personal[:i]}
    return "in" in seen and "out" in seen or "both" in seen


def moments(
    first: datetime, now: datetime, q: Questions, last: datetime | None = None
) -> list[datetime]:
    """Moments ``step_days`` apart, whose answers are known by ``now``, from ``dormant_days``
    after the first contact to the last (``last``; none after it has anything to ask); when
    more than ``max_moments`` would fit, they are spread evenly over the whole span."""
    end = now - timedelta(days=q.horizon_days)
    if last is not None:
        end = min(end, last)
    earliest = first + timedelta(days=q.dormant_days)
    if end <= earliest:
        return []
    step = timedelta(days=q.step_days)
    if (end - earliest) / step > q.max_moments - 1:
        step = (end - earliest) / max(1, q.max_moments - 1)
    out: list[datetime] = []
    at = end
    while at > earliest and len(out) < q.max_moments:
        out.append(at)
        at -= step
    return out[::-1]


@dataclass(frozen=True, slots=True)
class Asked:
    """One earlier moment's question: the dormant ties it describes and whether each came
    back, and whom the user was in touch with then."""

    moment: datetime
    keys: list[str]
    labels: list[bool]
    me: Me


def ask(pasts: Pasts, at: Sequence[datetime], q: Questions) -> list[Asked]:
    """The moments of ``at`` worth a question (some of their dormant ties came back, some did
    not), each with its ties: every dormant one, or a sample of ``max_per_moment`` of them."""
    out = []
    for moment in at:
        ts = moment.timestamp()
        positions = pasts.positions(ts)
        dormant = np.flatnonzero(pasts.dormant(ts, q.dormant_days, positions))
        keys = [pasts.keys[i] for i in dormant.tolist()]
        if len(keys) > q.max_per_moment:
            keys = sorted(random.Random(int(ts)).sample(sorted(keys), q.max_per_moment))
        back = pasts.resumed(ts, q.horizon_days, positions)
        labels = [bool(back[pasts.index[k]]) for k in keys]
        if not any(labels) or all(labels):
            continue  # nothing to rank at this moment
        out.append(Asked(moment, keys, labels, Me(pasts.recent(ts))))
    return out


def rows_of(
    asked: Sequence[Asked],
    timelines: Mapping[str, Timeline],
    q: Questions,
    progress: Callable[[int, int], None] | None = None,
) -> TrainingSet:
    """The training rows of the questions: each tie described at its moment."""
    return rows_by(
        asked,
        lambda a: [describe(timelines[k], a.moment, a.me, q.horizon_days) for k in a.keys],
        progress,
    )


def rows_by(
    asked: Sequence[Asked],
    describe_moment: Callable[[Asked], Sequence[Row]],
    progress: Callable[[int, int], None] | None = None,
) -> TrainingSet:
    """The training set of the questions, each moment's ties described (in ``a.keys``'
    order) by ``describe_moment``, one ranking group per moment."""
    xs: list[tuple[float, ...]] = []
    ys: list[float] = []
    groups: list[int] = []
    for n, a in enumerate(asked):
        rows = describe_moment(a)
        xs.extend(r.values for r in rows)
        ys.extend(1.0 if lab else 0.0 for lab in a.labels)
        groups.append(len(rows))
        if progress:
            progress(n + 1, len(asked))
    x = np.asarray(xs, dtype=float).reshape(len(xs), len(FEATURES))
    return TrainingSet(x, np.asarray(ys, dtype=float), groups)


def training_set(
    timelines: Mapping[str, Timeline],
    at: Sequence[datetime],
    q: Questions,
    progress: Callable[[int, int], None] | None = None,
) -> TrainingSet:
    """The rows of every moment in ``at``: the ties dormant then, labelled by what followed."""
    return rows_of(ask(Pasts.of_timelines(timelines), at, q), timelines, q, progress)


def first_contact(timelines: Mapping[str, Timeline]) -> datetime | None:
    starts = [tl.times[0] for tl in timelines.values() if tl.times]
    return epoch(min(starts)) if starts else None


def last_contact(timelines: Mapping[str, Timeline]) -> datetime | None:
    ends = [tl.times[-1] for tl in timelines.values() if tl.times]
    return epoch(max(ends)) if ends else None
