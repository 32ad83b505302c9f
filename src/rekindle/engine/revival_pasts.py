"""Every tie's personal past as columns, for asking a whole history at a moment at once (pure,
numpy).

Which ties were dormant at an earlier moment, which came back within the horizon, and whom the
user was in touch with then, asked of every tie by one pass over flat arrays instead of a
bisection per tie and moment. The answers are exactly those of
:func:`rekindle.engine.revival_rows.dormant_at`, :meth:`Timeline.resumed` and
:func:`rekindle.engine.revival_rows.me_at` (the same float times and comparisons).

:func:`timelines_of` turns contact columns (:class:`~rekindle.history.tie_arrays.ContactColumns`)
into the :class:`Timeline` of chosen ties, with co-participants, so that only the ties a
training row describes get a :class:`~rekindle.history.ties.Contact` per contact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC

import numpy as np
from numpy.typing import NDArray

from rekindle.engine.revival_features import Timeline
from rekindle.history.tie_arrays import BOTH, EMAIL, IN, MEETING, OTHER, OUT, ContactColumns
from rekindle.history.tie_features import CIRCLE_LIMIT, RECENT_DAYS
from rekindle.history.ties import GROUP_THRESHOLD, SECONDS_PER_DAY, Contact

_CODES = {"in": IN, "out": OUT, "both": BOTH}
_DIRECTIONS = {IN: "in", OUT: "out", BOTH: "both", OTHER: "other"}
_CHANNELS = {EMAIL: "email", MEETING: "meeting"}


@dataclass(frozen=True)
class Pasts:
    """The personal contacts of every tie (``keys``, in order), as one run per tie: times in
    seconds since 1970 (as :class:`Timeline` has them) and direction codes."""

    keys: list[str]
    #: tie i's contacts are [start[i], start[i + 1])
    start: NDArray[np.int64]
    times: NDArray[np.float64]
    #: how many contacts of each direction came before each position (length n + 1)
    ins: NDArray[np.int64]
    outs: NDArray[np.int64]
    boths: NDArray[np.int64]
    #: key → its tie's position
    index: dict[str, int]

    @classmethod
    def build(
        cls,
        keys: list[str],
        lengths: Sequence[int],
        times: NDArray[np.float64],
        codes: NDArray[np.int8],
    ) -> Pasts:
        start = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum(np.asarray(lengths, dtype=np.int64), out=start[1:])

        def before(code: int) -> NDArray[np.int64]:
            return np.concatenate(([0], np.cumsum(codes == code, dtype=np.int64)))

        return cls(
            keys,
            start,
            times,
            before(IN),
            before(OUT),
            before(BOTH),
            {k: i for i, k in enumerate(keys)},
        )

    @classmethod
    def of_timelines(cls, timelines: Mapping[str, Timeline]) -> Pasts:
        keys = list(timelines)
        personal = [timelines[k].personal for k in keys]
        times = np.fromiter((t for p in personal for t, _ in p), dtype=np.float64)
        codes = np.fromiter((_CODES.get(d, OTHER) for p in personal for _, d in p), dtype=np.int8)
        return cls.build(keys, [len(p) for p in personal], times, codes)

    def positions(self, ts: float) -> NDArray[np.int64]:
        """Each tie's position of its first personal contact at or after ``ts``."""
        seen = np.concatenate(([0], np.cumsum(self.times < ts, dtype=np.int64)))
        return self.start[:-1] + (seen[self.start[1:]] - seen[self.start[:-1]])

    def dormant(
        self, ts: float, dormant_days: float, at: NDArray[np.int64] | None = None
    ) -> NDArray[np.bool_]:
        """Per tie: :func:`~rekindle.engine.revival_rows.dormant_at` at ``ts`` (``at``: its
        :meth:`positions`, when known)."""
        at = self.positions(ts) if at is None else at
        first = self.start[:-1]
        some = at > first
        last = self.times[np.maximum(at - 1, 0)] if len(self.times) else np.zeros(len(at))
        quiet = some & ~(last > ts - dormant_days * SECONDS_PER_DAY)

        def n(counts: NDArray[np.int64]) -> NDArray[np.int64]:
            return counts[at] - counts[first]

        two_way = ((n(self.ins) > 0) & (n(self.outs) > 0)) | (n(self.boths) > 0)
        return np.asarray(quiet & two_way)

    def resumed(
        self, ts: float, horizon_days: float, at: NDArray[np.int64] | None = None
    ) -> NDArray[np.bool_]:
        """Per tie: a personal contact within ``horizon_days`` from ``ts``."""
        at = self.positions(ts) if at is None else at
        more = at < self.start[1:]
        nxt = (
            self.times[np.minimum(at, len(self.times) - 1)]
            if len(self.times)
            else np.zeros(len(at))
        )
        return np.asarray(more & (nxt < ts + horizon_days * SECONDS_PER_DAY))

    def recent(self, ts: float) -> dict[str, int]:
        """Whom the user was in personal contact with in the RECENT_DAYS before ``ts``, and
        how often (as :func:`~rekindle.engine.revival_rows.me_at`)."""
        n = self.positions(ts) - self.positions(ts - RECENT_DAYS * SECONDS_PER_DAY)
        return {self.keys[i]: int(n[i]) for i in np.flatnonzero(n).tolist()}


def pasts_of_columns(cols: ContactColumns, persons: Sequence[int]) -> Pasts:
    """The :class:`Pasts` of ``persons`` (ascending ids with contacts in ``cols``; keyed by
    their ids as text) from their contact columns (sorted by person and time)."""
    wanted = np.asarray(persons, dtype=np.int64)
    personal = np.isin(cols.person, wanted) & (cols.group_size <= GROUP_THRESHOLD)
    person = cols.person[personal]
    lengths = np.searchsorted(person, wanted, side="right") - np.searchsorted(person, wanted)
    times = cols.when[personal] / 1e6
    return Pasts.build([str(p) for p in persons], lengths.tolist(), times, cols.direction[personal])


def timelines_of(cols: ContactColumns, persons: Iterable[int]) -> dict[int, Timeline]:
    """The :class:`Timeline` of each of ``persons`` from the contact columns of everyone
    (co-participants from the other persons on the same interaction, on those of more than one
    and at most CIRCLE_LIMIT others, as :func:`rekindle.store.ties.contacts_by_person` reads
    them)."""
    wanted = np.unique(np.fromiter(persons, dtype=np.int64))
    if not len(wanted):
        return {}  # a history with no training row to describe
    lo = np.searchsorted(cols.person, wanted)
    hi = np.searchsorted(cols.person, wanted, side="right")
    spans = [np.arange(a, b) for a, b in zip(lo.tolist(), hi.tolist(), strict=True)]
    # nobody asked for (an empty history, or none of them in it): nothing to take
    take = np.concatenate(spans).astype(np.int64) if spans else np.zeros(0, dtype=np.int64)
    co = _co_participants(cols, take)
    out: dict[int, Timeline] = {}
    nobody: frozenset[str] = frozenset()
    when = cols.when[take].astype("datetime64[us]").astype(object).tolist()  # naive UTC
    direction = cols.direction[take].tolist()
    channel = cols.channel[take].tolist()
    group_size = cols.group_size[take].tolist()
    thread = cols.thread[take].tolist()
    iid = cols.interaction[take].tolist()
    at = 0
    for pid, a, b in zip(wanted.tolist(), lo.tolist(), hi.tolist(), strict=True):
        contacts = []
        for j in range(at, at + b - a):
            others = co.get(iid[j])
            contacts.append(
                Contact(
                    when[j].replace(tzinfo=UTC),
                    _DIRECTIONS[direction[j]],  # type: ignore[arg-type]
                    _CHANNELS.get(channel[j], "other"),
                    group_size[j],
                    None if thread[j] < 0 else str(thread[j]),
                    others - {str(pid)} if others is not None else nobody,
                )
            )
        at += b - a
        out[pid] = Timeline.of(contacts)
    return out


def _co_participants(cols: ContactColumns, take: NDArray[np.int64]) -> dict[int, frozenset[str]]:
    """Interaction → every person on it, for the interactions at ``take`` of more than one
    other and at most CIRCLE_LIMIT."""
    group = (cols.group_size[take] > 1) & (cols.group_size[take] <= CIRCLE_LIMIT)
    ids = np.unique(cols.interaction[take][group])
    on = np.isin(cols.interaction, ids)
    iid, person = cols.interaction[on], cols.person[on]
    order = np.argsort(iid, kind="stable")
    iid, person = iid[order], person[order]
    cuts = np.flatnonzero(iid[1:] != iid[:-1]) + 1
    heads = iid[np.concatenate(([0], cuts))].tolist() if len(iid) else []
    members = np.split(person.astype(str), cuts) if len(iid) else []
    return {h: frozenset(m.tolist()) for h, m in zip(heads, members, strict=True)}
