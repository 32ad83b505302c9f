"""The lists and training rows of ``bench/backtest_more.py``, with the new features and the
labels at 30, 45 and 60 days (built once, then cached)."""

from __future__ import annotations

import math
import random
import sys
from bisect import bisect_left
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import backtest as bt  # noqa: E402
import backtest_lab as lab  # noqa: E402
from backtest_log import mailboxes, read_log  # noqa: E402

from rekindle.engine.revival_features import FEATURES, Timeline  # noqa: E402
from rekindle.engine.revival_rows import MAX_PER_MOMENT, TrainingSet, dormant_at  # noqa: E402
from rekindle.history.ties import SECONDS_PER_DAY  # noqa: E402

DAY = 86400
HORIZONS = (30, 45, 60)
#: the new features, after FEATURES
NEW = (
    "n90",
    "n180",
    "n365",
    "longest_back",
    "my_change",
    "revived_common",
    "common_14",
)
NF = len(FEATURES)


def revived(timelines: dict[str, Timeline], at: float) -> tuple[set[str], set[str]]:
    """(people back in personal contact in the last 30 days after 30+ days without,
    people in personal contact in the last 14 days)."""
    back, lately = set(), set()
    for key, tl in timelines.items():
        hi = bisect_left(tl.personal, (at, ""))
        lo = bisect_left(tl.personal, (at - 30 * DAY, ""))
        if hi == lo:
            continue
        if tl.personal[hi - 1][0] >= at - 14 * DAY:
            lately.add(key)
        if lo and tl.personal[lo][0] - tl.personal[lo - 1][0] >= 30 * DAY:
            back.add(key)
    return back, lately


def shared_with(tl: Timeline, at: float, people: set[str]) -> float:
    """log1p of the conversations with this tie that one of ``people`` was on."""
    n = 0
    for c in tl.contacts[: tl.before(at)]:
        if c.co and len(c.co) <= 30 and c.co & people:
            n += 1
    return math.log1p(n)


def new_values(
    tl: Timeline, at: float, my_change: float, people: tuple[set[str], set[str]] = (set(), set())
) -> tuple[float, ...]:
    personal = tl.personal[: bisect_left(tl.personal, (at, ""))]
    times = [t for t, _ in personal]

    def since(days: int) -> float:
        return math.log1p(len(times) - bisect_left(times, at - days * DAY))

    days = tl.days[: bisect_left(tl.days, int(at // SECONDS_PER_DAY))]
    gaps = [b - a for a, b in zip(days, days[1:], strict=False)]
    return (
        since(90),
        since(180),
        since(365),
        math.log1p(max(gaps, default=0)),
        my_change,
        shared_with(tl, at, people[0]),
        shared_with(tl, at, people[1]),
    )


def my_change(timelines: dict[str, Timeline], at: float) -> float:
    """log of (my personal contacts in the last 30 days + 1) / (the 90 before, per 30, + 1)."""
    recent = before = 0
    for tl in timelines.values():
        lo = bisect_left(tl.personal, (at - 30 * DAY, ""))
        hi = bisect_left(tl.personal, (at, ""))
        lo2 = bisect_left(tl.personal, (at - 120 * DAY, ""))
        recent += hi - lo
        before += lo - lo2
    return math.log((recent + 1) / (before / 3 + 1))


def build(log_path: Path, cutoffs: Sequence[float], d: int, h: int, step: float) -> dict[str, Any]:
    log = read_log(log_path)
    boxes = list(mailboxes(log, 4))
    by_ego = dict(boxes)
    lists = {}
    for c in cutoffs:
        at = float(log.start + int(c * DAY))
        rows = [r for r in bt.collect(log, boxes, c, d, h) if any(r.labels)]
        found = lab.test_lists(log, boxes, c, d, h, False)
        assert [r.ego for r in rows] == [e[0] for e in found]
        out = []
        for (ego, x, y, prior, dec), row in zip(found, rows, strict=True):
            tls = bt._timelines(ego, by_ego[ego])
            ch = my_change(tls, at)
            ppl = revived(tls, at)
            more = np.asarray([new_values(tls[k], at, ch, ppl) for k in row.keys])
            out.append((ego, np.hstack([x, more]), y, prior, dec))
        lists[c] = out
    past: dict[float, list[dict[str, Any]]] = {}
    day = max(cutoffs) - min(HORIZONS)
    while day >= d:
        at = float(log.start + int(day * DAY))
        sets = []
        for ego, box in boxes:
            tls = bt._timelines(ego, box)
            keys = sorted(k for k, tl in tls.items() if dormant_at(tl, at, d))
            if len(keys) > MAX_PER_MOMENT:
                keys = sorted(random.Random(int(at)).sample(keys, MAX_PER_MOMENT))
            if not keys:
                continue
            ys = {hh: np.asarray([tls[k].resumed(at, hh) for k in keys], float) for hh in HORIZONS}
            if not any(ys[hh].any() and not ys[hh].all() for hh in HORIZONS):
                continue
            x = lab.features(box, ego, keys, at, h, False)
            ch = my_change(tls, at)
            ppl = revived(tls, at)
            more = np.asarray([new_values(tls[k], at, ch, ppl) for k in keys])
            sets.append({"ego": ego, "x": np.hstack([x, more]), "y": ys})
        past[day] = sets
        day -= step
    return {"lists": lists, "past": past, "h": h}


# --- training sets ---------------------------------------------------------------------------


def train_at(past: dict[float, list[dict[str, Any]]], cutoff: float, hh: int) -> TrainingSet:
    """The lists of the moments whose hh-day labels are known at ``cutoff``."""
    xs, ys, groups = [], [], []
    for day in sorted(past):
        if day + hh > cutoff:
            continue
        for s in past[day]:
            y = s["y"][hh]
            if not y.any() or y.all():
                continue
            xs.append(s["x"])
            ys.append(y)
            groups.append(len(y))
    if not xs:
        return TrainingSet(np.zeros((0, NF + len(NEW))), np.zeros(0), [])
    return TrainingSet(np.vstack(xs), np.concatenate(ys), groups)


def egos_at(past: dict[float, list[dict[str, Any]]], cutoff: float, hh: int) -> np.ndarray:
    """The ego of each row of :func:`train_at` (same rows, same order)."""
    out = []
    for day in sorted(past):
        if day + hh > cutoff:
            continue
        for s in past[day]:
            y = s["y"][hh]
            if y.any() and not y.all():
                out.extend([s["ego"]] * len(y))
    return np.asarray(out)


def graded_at(past: dict[float, list[dict[str, Any]]], cutoff: float) -> TrainingSet:
    """Lists of moments whose 60-day labels are known, relevance = horizons it came back in."""
    xs, ys, groups = [], [], []
    for day in sorted(past):
        if day + max(HORIZONS) > cutoff:
            continue
        for s in past[day]:
            y = sum(s["y"][hh] for hh in HORIZONS)
            if not y.any() or (y == y[0]).all():
                continue
            xs.append(s["x"])
            ys.append(y)
            groups.append(len(y))
    return TrainingSet(np.vstack(xs), np.concatenate(ys), groups)


def product_only(t: TrainingSet) -> TrainingSet:
    return TrainingSet(t.x[:, :NF], t.y, t.groups)
