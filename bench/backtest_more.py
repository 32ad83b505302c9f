"""Issue 13 §2, second round: variants of the product's learnt ranker not measured before.

    python bench/backtest_more.py LOG [--validation 110,120,130,140,150] [--test 200,225]
        [--cache bench/out/more.pkl] [--only NAME,...] [--json]

The questions and the online rule of ``bench/backtest_lab.py`` (at cutoff T a variant trains
only on moments whose labels are known: moment + h <= T, for the horizon h of that label).
Every variant starts from the product's own fit (``revival_model.fit``) and changes one thing:

- bagging: LambdaMART over several seeds (subsamples), its scores averaged;
- how strongly the odds multiply the worth: the log-odds scaled by s, the cap on the odds;
- each ego's list weighing once in the logistic regression (rows weighted 1 / list size);
- labels at several horizons: graded (comeback within 30, 45, 60 days: relevance 0..3) or the
  30- and 60-day questions stacked beside the 45-day one as more lists;
- more features (:data:`NEW`): contacts over 90/180/365 days, the longest silence the tie came
  back from, my own volume lately against before;
- monotone constraints in LambdaMART (more past, more comebacks: never worse).

The lists and rows are built once and kept in ``--cache`` (the slow part); the variants then
take a few seconds each. Pick on validation, read test once.
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import random
import sys
import time
from bisect import bisect_left
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import backtest as bt  # noqa: E402
import backtest_lab as lab  # noqa: E402
from backtest_log import mailboxes, read_log  # noqa: E402
from backtest_metrics import mean, ndcg, ranked_labels  # noqa: E402

from rekindle.engine import revival_model as rm  # noqa: E402
from rekindle.engine.revival_features import FEATURES, Timeline, epoch  # noqa: E402
from rekindle.engine.revival_rows import MAX_PER_MOMENT, TrainingSet, dormant_at, me_at  # noqa: E402
from rekindle.history.ties import SECONDS_PER_DAY  # noqa: E402

DAY = 86400
HORIZONS = (30, 45, 60)
#: the new features, after FEATURES
NEW = (
    "n90", "n180", "n365", "longest_back", "my_change", "revived_common", "common_14",
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


# --- pieces of a model ------------------------------------------------------------------------


def combine(prior: np.ndarray, lo: np.ndarray, centre: float, share: float, s: float, cap: float):
    odds = np.exp(s * share * (lo - centre))
    return prior * np.clip(odds, 1.0 / cap, cap)


def trees(
    t: TrainingSet, cols: Sequence[int], seed: int = 7, mono: Sequence[int] | None = None,
    rounds: int = 100, weighted_labels: bool = False,
) -> Callable[[np.ndarray], np.ndarray]:
    import lightgbm as lgb

    params = {
        "objective": "lambdarank",
        "metric": "ndcg",
        "lambdarank_truncation_level": 10,
        "num_leaves": 3,
        "min_data_in_leaf": 40,
        "learning_rate": 0.03,
        "feature_fraction": 0.7,
        "bagging_fraction": 0.7,
        "bagging_freq": 1,
        "lambda_l2": 5.0,
        "num_threads": 1,
        "deterministic": True,
        "seed": seed,
        "verbose": -1,
    }
    if mono is not None:
        params["monotone_constraints"] = list(mono)
    booster = lgb.train(
        params,
        lgb.Dataset(t.x[:, list(cols)], t.y.astype(int), group=t.groups),
        num_boost_round=rounds,
    )
    return lambda x: np.asarray(booster.predict(x[:, list(cols)], num_threads=1), dtype=float)


def logit(t: TrainingSet, cols: Sequence[int], weights: np.ndarray | None = None, ridge=3.0):
    x = t.x[:, list(cols)]
    mu, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd < 1e-9] = 1.0
    a = np.hstack([(x - mu) / sd, np.ones((len(x), 1))])
    wt = np.ones(len(x)) if weights is None else weights
    w = np.zeros(a.shape[1])
    pen = np.full(a.shape[1], ridge)
    pen[-1] = 0.0
    for _ in range(25):
        p = 1.0 / (1.0 + np.exp(-np.clip(a @ w, -30, 30)))
        step = np.linalg.solve(
            (a * (wt * p * (1 - p))[:, None]).T @ a + np.diag(pen + 1e-9),
            a.T @ (wt * (p - t.y)) + pen * w,
        )
        w -= step
        if float(np.abs(step).max()) < 1e-6:
            break
    return lambda xx: np.asarray(((xx[:, list(cols)] - mu) / sd) @ w[:-1] + w[-1], dtype=float)


LOGI = [FEATURES.index(p) for p in rm.LOGISTIC]
TREE = [FEATURES.index(f) for f in rm.TREES]
NEWCOLS = list(range(NF, NF + len(NEW)))


def custom(
    t: TrainingSet,
    logi_cols=LOGI,
    tree_cols=TREE,
    seeds=(7,),
    weights=None,
    tree_set: TrainingSet | None = None,
    logi_set: TrainingSet | None = None,
    mono=None,
    blend=(1.0, 0.5),
    rounds=100,
    ridge=3.0,
):
    """Logistic + LambdaMART blended as the product does, with the given pieces."""
    lt = logi_set or t
    tt = tree_set or t
    lg = logit(lt, logi_cols, weights, ridge)
    enough = len(tt) >= rm.TREE_ROWS and tt.positives >= rm.TREE_POSITIVES
    tr = [trees(tt, tree_cols, seed, mono, rounds) for seed in seeds] if enough and blend[1] else []
    wl, wt = blend[0] / sum(blend), blend[1] / sum(blend)
    if not tr:
        wl, wt = 1.0, 0.0

    def lo(x: np.ndarray) -> np.ndarray:
        out = wl * lg(x)
        return out + wt * sum(f(x) for f in tr) / len(tr) if tr else out

    centre = float(lo(t.x).mean())
    share = rm.MOST_LEARNT * int(t.y.sum()) / (int(t.y.sum()) + rm.PRIOR_POSITIVES)
    return lo, centre, share


def scorer(fitted, s: float = 1.0, cap: float = rm.MOST_ODDS):
    lo, centre, share = fitted
    return lambda x, prior: combine(prior, lo(x), centre, share, s, cap)


# --- the menu --------------------------------------------------------------------------------

Variant = Callable[[dict[float, list[dict[str, Any]]], float], Callable]


def prior_of(x: np.ndarray) -> np.ndarray:
    from rekindle.engine.scoring import TIE_PARTS, default_weights

    w = default_weights()
    return x[:, : len(TIE_PARTS)] @ np.asarray([w[n] for n in TIE_PARTS])


def log_prior(prior: np.ndarray) -> np.ndarray:
    return np.log(np.maximum(prior, 1e-3))


def offset_logit(t: TrainingSet, cols, offset: np.ndarray, ridge=3.0):
    """Ridge logistic regression with a fixed offset (the prior's log-odds)."""
    x = t.x[:, list(cols)]
    mu, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd < 1e-9] = 1.0
    a = np.hstack([(x - mu) / sd, np.ones((len(x), 1))])
    w = np.zeros(a.shape[1])
    pen = np.full(a.shape[1], ridge)
    pen[-1] = 0.0
    for _ in range(60):
        p = 1.0 / (1.0 + np.exp(-np.clip(a @ w + offset, -30, 30)))
        step = np.linalg.solve(
            (a * (p * (1 - p))[:, None]).T @ a + np.diag(pen + 1e-9), a.T @ (p - t.y) + pen * w
        )
        w -= step / max(1.0, float(np.abs(step).max()))  # damped: the offset can overshoot
        if float(np.abs(step).max()) < 1e-6:
            break
    return lambda xx: np.asarray(((xx[:, list(cols)] - mu) / sd) @ w[:-1], dtype=float)


def prior_slope(t: TrainingSet) -> float:
    """The pointwise logistic slope of y on log(prior): the prior's scale in log-odds."""
    lp = log_prior(prior_of(t.x))
    a = np.column_stack([lp, np.ones(len(lp))])
    w = np.zeros(2)
    for _ in range(25):
        p = 1.0 / (1.0 + np.exp(-np.clip(a @ w, -30, 30)))
        w -= np.linalg.solve((a * (p * (1 - p))[:, None]).T @ a + 1e-9 * np.eye(2), a.T @ (p - t.y))
    return float(w[0])


def boosted_from_prior(t: TrainingSet, cols, k: float | None = None, rounds: int = 100):
    """LambdaMART started from k log(prior) (init_score): it learns the prior's errors."""
    import lightgbm as lgb

    k = prior_slope(t) if k is None else k
    params = {
        "objective": "lambdarank",
        "lambdarank_truncation_level": 10,
        "num_leaves": 3,
        "min_data_in_leaf": 40,
        "learning_rate": 0.03,
        "feature_fraction": 0.7,
        "bagging_fraction": 0.7,
        "bagging_freq": 1,
        "lambda_l2": 5.0,
        "num_threads": 1,
        "deterministic": True,
        "seed": 7,
        "verbose": -1,
    }
    data = lgb.Dataset(
        t.x[:, list(cols)], t.y.astype(int), group=t.groups, init_score=k * log_prior(prior_of(t.x))
    )
    booster = lgb.train(params, data, num_boost_round=rounds)
    return lambda x, prior: k * log_prior(prior) + booster.predict(x[:, list(cols)], num_threads=1)


def menu() -> dict[str, Variant]:
    out: dict[str, Variant] = {}

    def offset(past, c, both=False):
        t = train_at(past, c, 45)
        k = prior_slope(t)
        off = k * log_prior(prior_of(t.x))
        lg = offset_logit(t, LOGI, off)
        if not both:
            return lambda x, prior: k * log_prior(prior) + lg(x)
        tr = boosted_from_prior(t, TREE, k)
        return lambda x, prior: (k * log_prior(prior) + lg(x)) / 3 + 2 * tr(x, prior) / 3

    out["logistic with k log(prior) as offset"] = offset
    out["offset logistic + lambdamart from prior"] = lambda past, c: offset(past, c, True)
    out["lambdamart boosted from k log(prior)"] = lambda past, c: boosted_from_prior(
        train_at(past, c, 45), TREE
    )
    out["lambdamart boosted from log(prior), k=1"] = lambda past, c: boosted_from_prior(
        train_at(past, c, 45), TREE, 1.0
    )
    out["lambdamart boosted from k log(prior), all features"] = lambda past, c: boosted_from_prior(
        train_at(past, c, 45), list(range(NF))
    )

    def product(past, c):
        model = rm.fit(product_only(train_at(past, c, 45)))
        if model.logistic is None:
            return lambda x, prior: prior
        return lambda x, prior: model.rank(x[:, :NF], prior)

    out["prior (shipped weights)"] = lambda past, c: lambda x, prior: prior
    out["product (as shipped)"] = product
    out["product, re-implemented"] = lambda past, c: scorer(custom(train_at(past, c, 45)))
    for s in (0.5, 0.75, 1.5, 2.0):
        out[f"odds^{s:g}, cap 3"] = (
            lambda s: lambda past, c: scorer(custom(train_at(past, c, 45)), s)
        )(s)
    for cap in (1.5, 2.0, 5.0, 1e9):
        out[f"odds, cap {cap:g}"] = (
            lambda cap: lambda past, c: scorer(custom(train_at(past, c, 45)), 1.0, cap)
        )(cap)
    out["bagged lambdamart, 5 seeds"] = lambda past, c: scorer(
        custom(train_at(past, c, 45), seeds=(7, 11, 13, 17, 19))
    )

    def bootstrap(past, c, bags=5):
        """Logistic + LambdaMART fitted on bootstrap samples of the lists, log-odds averaged."""
        t = train_at(past, c, 45)
        starts = np.concatenate([[0], np.cumsum(t.groups)])
        fitted = []
        rng = np.random.default_rng(7)
        for _ in range(bags):
            pick = rng.integers(0, len(t.groups), len(t.groups))
            rows = np.concatenate([np.arange(starts[i], starts[i + 1]) for i in pick])
            fitted.append(custom(TrainingSet(t.x[rows], t.y[rows], [t.groups[i] for i in pick])))
        share = fitted[0][2]
        lo = lambda x: sum(f[0](x) for f in fitted) / bags  # noqa: E731
        return scorer((lo, float(lo(t.x).mean()), share))

    out["bootstrap of the lists, 5 bags"] = bootstrap
    out["bootstrap of the lists, 10 bags"] = lambda past, c: bootstrap(past, c, 10)

    def per_list(past, c):
        t = train_at(past, c, 45)
        sizes = np.repeat(np.asarray(t.groups, float), t.groups)
        w = 1.0 / sizes
        return scorer(custom(t, weights=w * len(w) / w.sum()))

    out["logistic: each list weighs once"] = per_list

    def stacked(past, c):
        sets = [train_at(past, c, hh) for hh in HORIZONS]
        t = TrainingSet(
            np.vstack([s.x for s in sets]),
            np.concatenate([s.y for s in sets]),
            [g for s in sets for g in s.groups],
        )
        return scorer(custom(t))

    out["labels at 30/45/60 days stacked"] = stacked

    def graded(past, c):
        t = train_at(past, c, 45)
        g = graded_at(past, c)
        return scorer(custom(t, tree_set=g))

    out["lambdamart on graded labels (30/45/60)"] = graded

    def h30(past, c):
        return scorer(custom(train_at(past, c, 30)))

    out["labels at 30 days (15 days fresher)"] = h30
    out["new features (both rankers)"] = lambda past, c: scorer(
        custom(train_at(past, c, 45), logi_cols=LOGI + NEWCOLS, tree_cols=TREE + NEWCOLS)
    )
    out["new features (trees only)"] = lambda past, c: scorer(
        custom(train_at(past, c, 45), tree_cols=TREE + NEWCOLS)
    )
    increasing = {"history", "circles", "sightings", "reciprocity", "revivals", "volume"}
    mono = [1 if FEATURES[i] in increasing else 0 for i in TREE]
    rev = [NF + NEW.index("revived_common"), NF + NEW.index("common_14")]
    out["revived/14-day common (both rankers)"] = lambda past, c: scorer(
        custom(train_at(past, c, 45), logi_cols=LOGI + rev, tree_cols=TREE + rev)
    )
    out["revived/14-day common (trees only)"] = lambda past, c: scorer(
        custom(train_at(past, c, 45), tree_cols=TREE + rev)
    )
    out["lambdamart monotone (history, circles, ...)"] = lambda past, c: scorer(
        custom(train_at(past, c, 45), mono=mono)
    )
    for blend in ((1.0, 1.0), (1.0, 2.0), (0.0, 1.0)):
        out[f"blend logistic:lambdamart {blend[0]:g}:{blend[1]:g}"] = (
            lambda b: lambda past, c: scorer(custom(train_at(past, c, 45), blend=b))
        )(blend)
    for rounds in (200, 400):
        out[f"lambdamart {rounds} rounds"] = (
            lambda r: lambda past, c: scorer(custom(train_at(past, c, 45), rounds=r))
        )(rounds)
    for ridge in (0.3, 30.0):
        out[f"logistic ridge {ridge:g}"] = (
            lambda r: lambda past, c: scorer(custom(train_at(past, c, 45), ridge=r))
        )(ridge)
    out["blend logistic only"] = lambda past, c: scorer(
        custom(train_at(past, c, 45), blend=(1.0, 0.0))
    )
    return out


def grid() -> dict[str, Variant]:
    """Every combination of the knobs that each led their family on validation (issue 13 §2,
    second round): how strongly the odds count, their cap, the ridge, the labels, monotone
    trees. Pick the best on validation; read its test once."""
    increasing = {"history", "circles", "sightings", "reciprocity", "revivals", "volume"}
    mono = [1 if FEATURES[i] in increasing else 0 for i in TREE]
    out: dict[str, Variant] = {}
    fits: dict[tuple, Any] = {}

    def fitted(c, past, ridge, labels, mono_on):
        key = (c, ridge, labels, mono_on)
        if key not in fits:
            if labels == "stacked":
                sets = [train_at(past, c, hh) for hh in HORIZONS]
                t = TrainingSet(
                    np.vstack([s.x for s in sets]),
                    np.concatenate([s.y for s in sets]),
                    [g for s in sets for g in s.groups],
                )
            else:
                t = train_at(past, c, 45)
            fits[key] = custom(t, ridge=ridge, mono=mono if mono_on else None)
        return fits[key]

    for s in (0.5, 0.75, 1.0):
        for cap in (1.5, 2.0, 3.0):
            for ridge in (3.0, 30.0):
                for labels in ("45", "stacked"):
                    for mono_on in (False, True):
                        name = f"s {s:g} cap {cap:g} ridge {ridge:g} labels {labels} mono {mono_on:d}"
                        out[name] = (
                            lambda s, cap, ridge, labels, mono_on: lambda past, c: scorer(
                                fitted(c, past, ridge, labels, mono_on), s, cap
                            )
                        )(s, cap, ridge, labels, mono_on)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", type=Path)
    parser.add_argument("--dormant-days", type=int, default=45)
    parser.add_argument("--horizon-days", type=int, default=45)
    parser.add_argument("--validation", default="110,120,130,140,150")
    parser.add_argument("--test", default="200,225")
    parser.add_argument("--step-days", type=float, default=5)
    parser.add_argument("--cache", type=Path, default=HERE / "out" / "backtest_more.pkl")
    parser.add_argument("--only", default="")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--grid", action="store_true", help="the combined knobs' grid")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sets = {
        "validation": [float(c) for c in args.validation.split(",") if c.strip()],
        "test": [float(c) for c in args.test.split(",") if c.strip()],
    }
    cutoffs = sorted({c for cs in sets.values() for c in cs})
    key = (str(args.log), NEW, tuple(cutoffs), args.dormant_days, args.horizon_days, args.step_days)
    data = None
    if args.cache.exists():
        data = pickle.loads(args.cache.read_bytes())
        if data.get("key") != key:
            data = None
    if data is None:
        data = build(args.log, cutoffs, args.dormant_days, args.horizon_days, args.step_days)
        data["key"] = key
        args.cache.parent.mkdir(exist_ok=True)
        args.cache.write_bytes(pickle.dumps(data))
        print(f"(built in {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    lists, past = data["lists"], data["past"]
    variants = grid() if args.grid else menu()
    if args.only:
        wanted = [w.strip() for w in args.only.split(",")]
        variants = {n: v for n, v in variants.items() if any(n.startswith(w) for w in wanted)}
    decayed = {
        c: [ndcg(ranked_labels(it[4], list(it[2])), 10) for it in lists[c]] for c in cutoffs
    }
    got: dict[str, dict[float, list[float]]] = {}
    for name, variant in variants.items():
        got[name] = {}
        for c in cutoffs:
            fitted = variant(past, c)
            got[name][c] = [
                ndcg(ranked_labels(list(fitted(it[1], it[3])), list(it[2])), 10) for it in lists[c]
            ]
        if not args.json:
            line = []
            for part, cs in sets.items():
                s = lab.summary(got[name], decayed, cs)
                per = "/".join(f"{v:.4f}" for v in s["per_cutoff"])
                line.append(
                    f"{part[:4]} {s['mean']:.4f} ({per}) lift {s['lift']:+.4f} "
                    f"[{s['ci'][0]:+.4f},{s['ci'][1]:+.4f}]"
                )
            print(f"{name:<44} " + " | ".join(line), flush=True)
    if args.json:
        report = {
            part: {n: lab.summary(got[n], decayed, cs) for n in got} for part, cs in sets.items()
        }
        print(json.dumps(report, indent=1))
    print(f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
