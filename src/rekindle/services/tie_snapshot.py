"""Every tie as the week's fit described it: what the plan reads instead of every tie's contacts.

Reading the contacts of thousands of ties and describing each is most of a plan's cost on a
large network (about 27 CPU-seconds at 20,000 people and 2 million interactions). The fit
of the learnt ranker reads everyone's contacts as columns anyway; from them, in array
operations (:mod:`rekindle.history.tie_feature_arrays`, :mod:`rekindle.engine.revival_columns`),
it also takes a snapshot: every tie's features, its learnt description, when you last wrote
to them, and when their next contact lies ahead (a meeting in the calendar). The plan reads it
while the history is unchanged (same fingerprint) and for at most a week
(:data:`~rekindle.services.snapshot_tie.FRESH_DAYS`) after it was taken: each tie's silence and decayed strength are carried forward to the day; what it
says of the weeks before (group mail lately, circles, the learnt description) is as of the
snapshot. A tie whose next contact came to pass since is read afresh by the plan.

Stored as one row per owner (``tie_snapshot``, an ``.npz`` of plain arrays: no pickled objects
are ever read back).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection

from rekindle.engine.list_columns import TieColumns
from rekindle.engine.revival_columns import describe_all
from rekindle.engine.revival_features import FEATURES, Me, Row
from rekindle.engine.revival_model import RevivalModel
from rekindle.engine.revival_rows import HORIZON_DAYS
from rekindle.history.tie_arrays import NEVER, OUT, US_PER_DAY, ContactColumns, micros
from rekindle.history.tie_features import RECENT_DAYS, TieFeatures
from rekindle.history.ties import GROUP_THRESHOLD, HALF_LIFE_DAYS, time_of
from rekindle.services.snapshot_tie import (
    FLOATS,
    INTS,
    TIMES,
    VERSION,
    carried,
    features_of,
    fresh,
    readable,
)
from rekindle.store import engine as eq
from rekindle.store import tie_snapshot as sq
from rekindle.store.ranker import history_fingerprint
from rekindle.store.subject_columns import Subjects, no_subjects, subjects_of_everyone
from rekindle.store.tie_columns import contact_columns_of_everyone


class RowTable(Mapping[int, Row]):
    """The learnt descriptions of a snapshot, kept as arrays: a :class:`Row` is built only
    for the ties asked for, and the odds of many read their values at once."""

    def __init__(
        self,
        person: Any,
        values: Any,
        gaps: Any,
        back: Any,
        common: Sequence[Sequence[str]],
        features: Mapping[int, TieFeatures],
        odds: Any = None,
        odds_of: str = "",
    ) -> None:
        self._at = {p: i for i, p in enumerate(person.tolist())}
        self._values, self._gaps, self._back = values, gaps, back
        self._common, self._features = common, features
        #: each row's learnt odds under the model ``odds_of`` names (:func:`model_key`)
        self.odds, self.odds_of = odds, odds_of

    @classmethod
    def of(cls, rows: Mapping[int, Row]) -> RowTable:
        ids = sorted(rows)
        return cls(
            np.asarray(ids, dtype=np.int64),
            np.asarray([rows[p].values for p in ids], dtype=np.float64).reshape(
                len(ids), len(FEATURES)
            ),
            np.asarray([rows[p].long_gaps for p in ids], dtype=np.int64).reshape(len(ids), 2),
            np.asarray(
                [-1 if rows[p].came_back_day is None else rows[p].came_back_day for p in ids],
                dtype=np.int64,
            ),
            [list(rows[p].common) for p in ids],
            {p: rows[p].tie for p in ids},
        )

    def __getitem__(self, pid: int) -> Row:
        i = self._at[pid]
        back = int(self._back[i])
        return Row(
            tuple(self._values[i].tolist()),
            self._features[pid],
            (int(self._gaps[i][0]), int(self._gaps[i][1])),
            tuple(self._common[i]),
            None if back < 0 else back,
        )

    def __iter__(self) -> Iterator[int]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)

    def __contains__(self, pid: object) -> bool:
        return pid in self._at  # (a Mapping's own would build the row to find out)

    def odds_under(self, model: RevivalModel, people: Sequence[int]) -> dict[int, float]:
        """Each of ``people``'s learnt odds under ``model``: as stored, when the snapshot was
        taken with this very model (no trees evaluated, no lightgbm loaded), else computed."""
        if not people:
            return {}
        if self.odds is not None and self.odds_of == model_key(model):
            found = self.odds[[self._at[p] for p in people]]
        else:
            found = model.odds(self.matrix(people))
        return dict(zip(people, np.asarray(found, dtype=float).tolist(), strict=True))

    def with_odds(self, model: RevivalModel | None) -> RowTable:
        """The same rows with every row's odds under ``model`` (unchanged without a learnt
        one)."""
        if model is None or model.logistic is None or not len(self):
            return self
        odds = model.odds(self._values)
        return RowTable(
            np.asarray(list(self), dtype=np.int64), self._values, self._gaps, self._back,
            self._common, self._features, odds, model_key(model),
        )  # fmt: skip

    def matrix(self, people: Sequence[int]) -> Any:
        """The feature values of these ties, one row each (as ``revival_features.matrix``)."""
        return self._values[[self._at[p] for p in people]].reshape(len(people), len(FEATURES))


def model_key(model: RevivalModel) -> str:
    """Names a fitted model: odds stored under another are not read."""
    return hashlib.sha256(model.as_json().encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True)
class TieSnapshot:
    """Every tie at ``taken_at``: features, learnt rows (of ties with personal contact), when
    I last wrote to them, and their first contact at or after ``taken_at`` (if any)."""

    taken_at: datetime
    features: Mapping[int, TieFeatures]
    rows: RowTable
    written: dict[int, datetime]
    ahead: dict[int, datetime]
    #: the moment ``features`` describe: ``taken_at``, or a later one they were carried to
    at: datetime
    #: (the ties' person ids, their features as columns), as ``features`` (see :meth:`table`)
    columns: tuple[Any, TieColumns] | None = field(default=None, compare=False, repr=False)
    #: everyone's subjects of personal mail, for the goal (None: not taken with it)
    subjects: Subjects | None = field(default=None, compare=False, repr=False)

    def table(self) -> tuple[Any, TieColumns]:
        """(the ties' person ids, their features as columns at :attr:`at`): read as stored,
        or laid out from ``features`` once (a snapshot just taken)."""
        if self.columns is None:
            ids = sorted(self.features)
            arrays = feature_arrays([self.features[p] for p in ids])
            object.__setattr__(self, "columns", (np.asarray(ids, dtype=np.int64), _columns(arrays)))
        assert self.columns is not None
        return self.columns

    def fresh_for(self, now: datetime) -> bool:
        """Whether a plan at ``now`` may read it (not before it, at most FRESH_DAYS after)."""
        return fresh(self.taken_at, now)

    def stale(self, pid: int, now: datetime) -> bool:
        """Whether this tie changed since (a contact that lay ahead came to pass)."""
        ahead = self.ahead.get(pid)
        return ahead is not None and ahead < now

    def features_at(self, pid: int, now: datetime) -> TieFeatures | None:
        """The tie at ``now``: its silence and decayed strength carried forward."""
        f = self.features.get(pid)
        return None if f is None else carried(f, self.at, now)


def take(cols: ContactColumns, now: datetime, recent: dict[str, int]) -> TieSnapshot:
    """The snapshot of everyone in ``cols`` (all the owner's contacts) at ``now``."""
    features, rows = describe_all(cols, now, Me(recent), HORIZON_DAYS)
    now_us = micros(now)
    past = cols.when < now_us
    out_mask = past & (cols.direction == OUT) & (cols.group_size <= GROUP_THRESHOLD)
    written = _at_edge(cols.person[out_mask], cols.when[out_mask], last=True)
    later = ~past
    ahead = _at_edge(cols.person[later], cols.when[later], last=False)
    return TieSnapshot(now, features, RowTable.of(rows), written, ahead, now)


def take_for(
    conn: Connection,
    owner_id: int,
    now: datetime,
    cols: ContactColumns | None = None,
    model: RevivalModel | None = None,
) -> TieSnapshot:
    """Take the owner's snapshot (reading their contacts unless given) and store it, with
    each tie's learnt odds under ``model`` (the plan's)."""
    snap = take_from(conn, owner_id, now, cols)
    return save(conn, owner_id, snap, model)


def take_from(
    conn: Connection, owner_id: int, now: datetime, cols: ContactColumns | None = None
) -> TieSnapshot:
    """The owner's snapshot, taken (reading their contacts unless given), not stored."""
    if cols is None:
        cols = contact_columns_of_everyone(conn, owner_id, threads=False)
    recent = eq.recent_personal_counts(
        conn, owner_id, now - timedelta(days=RECENT_DAYS), now, GROUP_THRESHOLD
    )
    return replace(take(cols, now, recent), subjects=subjects_of_everyone(conn, owner_id, cols))


def save(
    conn: Connection, owner_id: int, snap: TieSnapshot, model: RevivalModel | None = None
) -> TieSnapshot:
    """Store the snapshot for the history as it is, with its odds under ``model``."""
    snap = replace(snap, rows=snap.rows.with_odds(model))
    sq.save(conn, owner_id, history_fingerprint(conn, owner_id), snap.taken_at, encode(snap))
    return snap


def stored(
    conn: Connection, owner_id: int, now: datetime, fingerprint: str | None = None
) -> TieSnapshot | None:
    """The stored snapshot if a plan at ``now`` may read it (same history, fresh), else None;
    ``fingerprint``: the history's, when the caller has it."""
    found = readable(conn, owner_id, now, fingerprint)
    return decode(found[1], found[0], now) if found is not None else None


def weekly(
    conn: Connection,
    owner_id: int,
    now: datetime,
    progress: Callable[[str, int, int], None] | None = None,
    fingerprint: str | None = None,
    model: RevivalModel | None = None,
) -> TieSnapshot:
    """The stored snapshot, or one taken now and stored with its odds under ``model``
    (``conn`` must be writable)."""
    found = stored(conn, owner_id, now, fingerprint)
    if found is not None:
        return found
    if progress is not None:
        progress(DESCRIBING_TIES, 0, 1)
    snap = take_for(conn, owner_id, now, model=model)
    if progress is not None:
        progress(DESCRIBING_TIES, 1, 1)
    return snap


#: the progress step of a snapshot taken apart from a fit
DESCRIBING_TIES = "describing every tie"


def _at_edge(person: Any, when: Any, last: bool) -> dict[int, datetime]:
    """Per person, their latest time (``last``) or their earliest."""
    if not len(person):
        return {}
    order = np.lexsort((when, person))
    person, when = person[order], when[order]
    change = person[1:] != person[:-1]
    edge = np.append(change, True) if last else np.append(True, change)
    return {int(p): time_of(int(t)) for p, t in zip(person[edge], when[edge], strict=True)}


def _us(when: datetime | None) -> int:
    return NEVER if when is None else micros(when)


def _nan(value: float | None) -> float:
    return float("nan") if value is None else float(value)


def feature_arrays(fs: Sequence[TieFeatures]) -> dict[str, Any]:
    """The figures of these ties, one array each, as the snapshot stores them (NaN for None,
    :data:`NEVER` for no time)."""
    arrays: dict[str, Any] = {
        "silence": np.asarray([_nan(f.silence_days) for f in fs], dtype=np.float64)
    }
    for name in INTS:
        arrays[name] = np.asarray([getattr(f, name) for f in fs], dtype=np.int64)
    for name in TIMES:
        arrays[name] = np.asarray([_us(getattr(f, name)) for f in fs], dtype=np.int64)
    for name in FLOATS:
        arrays[name] = np.asarray([_nan(getattr(f, name)) for f in fs], dtype=np.float64)
    return arrays


def _columns(a: Mapping[str, Any]) -> TieColumns:
    """The columns the plan's first pass weighs (:mod:`rekindle.engine.list_columns`)."""
    return TieColumns(
        personal=a["personal"],
        messages_in=a["messages_in"],
        messages_out=a["messages_out"],
        meetings=a["meetings"],
        active_days=a["active_days"],
        group_recent=a["group_recent"],
        group=a["group"],
        first_us=a["first"],
        last_us=a["last"],
        never=NEVER,
        decayed=a["decayed"],
        peak=a["peak"],
        silence_days=a["silence"],
        usual_gap_days=a["usual_gap_days"],
        reciprocity=a["reciprocity"],
        reply_hours=a["reply_hours"],
        circles=a["circles"],
    )


def encode(snap: TieSnapshot) -> bytes:
    """The snapshot as an ``.npz`` file of plain arrays (and JSON text for names)."""
    ids = sorted(snap.features)
    fs = [snap.features[p] for p in ids]
    arrays: dict[str, Any] = {
        "version": np.asarray([VERSION]),
        "person": np.asarray(ids, dtype=np.int64),
        **feature_arrays(fs),
    }
    arrays["row_person"] = np.asarray(list(snap.rows), dtype=np.int64)
    arrays["row_values"] = snap.rows._values
    arrays["row_gaps"] = snap.rows._gaps
    arrays["row_back"] = snap.rows._back
    if snap.rows.odds is not None:
        arrays["row_odds"] = np.asarray(snap.rows.odds, dtype=np.float64)
    for name, found in (("written", snap.written), ("ahead", snap.ahead)):
        keys = sorted(found)
        arrays[f"{name}_person"] = np.asarray(keys, dtype=np.int64)
        arrays[f"{name}_when"] = np.asarray([micros(found[k]) for k in keys], dtype=np.int64)
    subjects = snap.subjects if snap.subjects is not None else no_subjects()
    arrays["subject_person"] = subjects.person
    arrays["subject_ends"] = subjects.ends
    arrays["subject_codes"] = subjects.codes
    text = json.dumps(
        {
            "circle_people": [list(f.circle_people) for f in fs],
            "common": [list(c) for c in snap.rows._common],
            "odds_of": snap.rows.odds_of,
            "subjects": list(subjects.texts),
            "with_subjects": snap.subjects is not None,
        }
    )
    arrays["text"] = np.frombuffer(text.encode("utf-8"), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def decode(data: bytes, taken_at: datetime, now: datetime | None = None) -> TieSnapshot | None:
    """The snapshot from :func:`encode` (None: another version, or unreadable), its ties'
    silence and decayed strength carried to ``now`` (when given) as they are read."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            a = {k: z[k] for k in z.files}
        if int(a["version"][0]) != VERSION:
            return None
        text = json.loads(bytes(a["text"]).decode("utf-8"))
    except (OSError, ValueError, KeyError, json.JSONDecodeError):
        return None
    at = now or taken_at
    if at != taken_at:
        _carry(a, micros(at) - micros(taken_at), micros(at))
    features = LazyFeatures(a, [tuple(names) for names in text["circle_people"]])
    rows = RowTable(
        a["row_person"],
        a["row_values"],
        a["row_gaps"],
        a["row_back"],
        text["common"],
        features,
        a.get("row_odds"),
        text.get("odds_of", ""),
    )
    subjects = (
        Subjects(text["subjects"], a["subject_person"], a["subject_ends"], a["subject_codes"])
        if text.get("with_subjects") and "subject_codes" in a
        else None
    )
    return TieSnapshot(
        taken_at, features, rows, _dated(a, "written"), _dated(a, "ahead"), at,
        (a["person"], _columns(a)), subjects,
    )  # fmt: skip


class LazyFeatures(Mapping[int, TieFeatures]):
    """The stored ties' features, each built from the arrays when first asked for: a plan
    weighs everyone on the columns and reads the features of a few hundred."""

    def __init__(self, a: Mapping[str, Any], circle_people: Sequence[tuple[str, ...]]) -> None:
        self._a, self._people = a, circle_people
        self._at = {p: i for i, p in enumerate(a["person"].tolist())}
        self._built: dict[int, TieFeatures] = {}

    def __getitem__(self, pid: int) -> TieFeatures:
        found = self._built.get(pid)
        if found is None:
            found = self._built[pid] = self._build(self._at[pid])
        return found

    def __iter__(self) -> Iterator[int]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)

    def __contains__(self, pid: object) -> bool:
        return pid in self._at

    def _build(self, i: int) -> TieFeatures:
        col = {n: self._a[n][i].item() for n in (*INTS, *TIMES, *FLOATS, "silence")}
        return features_of(col, self._people[i])


def _carry(a: dict[str, Any], later_us: int, now_us: int) -> None:
    """The silence and decayed sums of the arrays ``later_us`` microseconds on (as
    :meth:`TieSnapshot.features_at` carries one tie)."""
    heard = a["heard"]
    known = heard != NEVER
    a["silence"] = np.where(known, (now_us - heard) / US_PER_DAY, a["silence"])
    factor = 0.5 ** (max(later_us, 0) / US_PER_DAY / HALF_LIFE_DAYS)
    a["decayed"] = np.where(known, a["decayed"] * factor, a["decayed"])


def _dated(a: dict[str, Any], name: str) -> dict[int, datetime]:
    people, when = a[f"{name}_person"].tolist(), a[f"{name}_when"].tolist()
    return {p: time_of(w) for p, w in zip(people, when, strict=True)}
