"""One tie from the week's snapshot (:mod:`rekindle.services.tie_snapshot`), read without numpy.

`rekindle why` shows a tie as the plan reads it, and the plan reads the week's snapshot. The
snapshot is an ``.npz`` file of plain arrays; for one tie, this module reads the few arrays it
needs with the standard library (``zipfile`` and the ``.npy`` header), so that a command that
explains one person does not load numpy (about 0.1 s of a 0.5 s budget).
"""

from __future__ import annotations

import ast
import io
import json
import sys
import zipfile
from array import array
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from rekindle.history.tie_features import TieFeatures
from rekindle.history.ties import HALF_LIFE_DAYS, NEVER_US, SECONDS_PER_DAY, time_of
from rekindle.store import tie_snapshot as sq
from rekindle.store.ranker import history_fingerprint

#: a snapshot serves the plan this many days after it was taken (the fit of the week)
FRESH_DAYS = 7
#: version of the stored arrays (an older snapshot is taken again)
VERSION = 2
#: the snapshot's per-tie arrays, by kind
INTS = ("personal", "messages_in", "messages_out", "meetings", "active_days", "group_recent",
        "group")  # fmt: skip
TIMES = ("first", "last", "peak_at", "heard")
FLOATS = ("decayed", "peak", "usual_gap_days", "reciprocity", "reply_hours", "circles")
_TYPECODES = {"<i8": "q", "<f8": "d", "|u1": "B", "<u1": "B"}


def fresh(taken_at: datetime, now: datetime) -> bool:
    """Whether a plan at ``now`` may read a snapshot taken at ``taken_at`` (not before it,
    at most FRESH_DAYS after)."""
    return taken_at <= now <= taken_at + timedelta(days=FRESH_DAYS)


def readable(
    conn: Connection, owner_id: int, now: datetime, fingerprint: str | None = None
) -> tuple[datetime, bytes] | None:
    """(when the stored snapshot was taken, its data) if a plan at ``now`` may read it: it
    describes the history as it is (``fingerprint``, when the caller has it) and is fresh."""
    found = sq.load(conn, owner_id)
    if found is None:
        return None
    taken_from, taken_at, data = found
    if not fresh(taken_at, now):
        return None
    if taken_from != (fingerprint or history_fingerprint(conn, owner_id)):
        return None
    return taken_at, data


def tie_at(
    conn: Connection, owner_id: int, pid: int, now: datetime, fingerprint: str | None = None
) -> tuple[TieFeatures, bool] | None:
    """(the tie's features as the plan reads them at ``now``, whether it moved since the
    snapshot: a contact that lay ahead came to pass), or None: no fresh snapshot for the
    history as it is, or no such tie in it."""
    found = readable(conn, owner_id, now, fingerprint)
    if found is None:
        return None
    taken_at, data = found
    try:
        return _read(data, pid, taken_at, now)
    except (OSError, KeyError, ValueError, SyntaxError, zipfile.BadZipFile):
        return None  # not a snapshot this version reads: the plan takes a new one


def _read(
    data: bytes, pid: int, taken_at: datetime, now: datetime
) -> tuple[TieFeatures, bool] | None:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if _array(z, "version")[0] != VERSION:
            return None
        people = _array(z, "person")
        try:
            i = list(people).index(pid)
        except ValueError:
            return None
        col = {n: _array(z, n)[i] for n in (*INTS, *TIMES, *FLOATS, "silence")}
        names = json.loads(bytes(_array(z, "text")).decode("utf-8"))["circle_people"][i]
        ahead = _array(z, "ahead_person")
        moved = pid in ahead and time_of(_array(z, "ahead_when")[list(ahead).index(pid)]) < now
    f = features_of(col, tuple(names))
    return carried(f, taken_at, now), moved


def features_of(col: Mapping[str, Any], circle_people: tuple[str, ...]) -> TieFeatures:
    """One tie's features from its stored figures (``col``: each of :data:`INTS`,
    :data:`TIMES`, :data:`FLOATS` and ``silence``, as plain numbers)."""
    t = {n: None if col[n] == NEVER_US else time_of(col[n]) for n in TIMES}
    return TieFeatures(
        personal=col["personal"],
        messages_in=col["messages_in"],
        messages_out=col["messages_out"],
        meetings=col["meetings"],
        first=t["first"],
        last=t["last"],
        active_days=col["active_days"],
        decayed=col["decayed"],
        peak=col["peak"],
        peak_at=t["peak_at"],
        silence_days=none_for_nan(col["silence"]),
        usual_gap_days=none_for_nan(col["usual_gap_days"]),
        reciprocity=col["reciprocity"],
        reply_hours=none_for_nan(col["reply_hours"]),
        group_recent=col["group_recent"],
        circles=col["circles"],
        circle_people=circle_people,
        heard=t["heard"],
        group=col["group"],
    )


def carried(f: TieFeatures, since: datetime, now: datetime) -> TieFeatures:
    """The tie as described at ``since``, carried to ``now``: its silence counted to the day
    and its decayed strength decayed further (what it says of the weeks before is kept)."""
    if now == since or f.heard is None:
        return f
    days = (now - since).total_seconds() / SECONDS_PER_DAY
    return replace(
        f,
        silence_days=(now - f.heard).total_seconds() / SECONDS_PER_DAY,
        decayed=f.decayed * 0.5 ** (max(days, 0.0) / HALF_LIFE_DAYS),
    )


def none_for_nan(value: float) -> float | None:
    """A stored figure: NaN stands for None."""
    return None if value != value else value


def _array(z: zipfile.ZipFile, name: str) -> Any:
    """One 1-D array of the ``.npz`` (little-endian integers, floats or bytes), as an
    ``array.array``: the ``.npy`` format's magic, version, header length and header."""
    raw = z.read(f"{name}.npy")
    if raw[:6] != b"\x93NUMPY":
        raise ValueError(f"{name}: not an .npy array")
    major = raw[6]
    if major == 1:
        size, start = int.from_bytes(raw[8:10], "little"), 10
    else:
        size, start = int.from_bytes(raw[8:12], "little"), 12
    header = ast.literal_eval(raw[start : start + size].decode("latin-1"))
    code = _TYPECODES[header["descr"]]
    if header["fortran_order"] or len(header["shape"]) != 1:
        raise ValueError(f"{name}: not a plain 1-D array")
    out = array(code)
    out.frombytes(raw[start + size :])
    if sys.byteorder == "big" and code != "B":
        out.byteswap()  # stored little-endian
    return out
