"""The variants of ``bench/backtest_more.py``: the product's learnt ranker with one thing
changed (``menu``), and the grid of the knobs that led their families (``grid``). A variant is
``fit(past, cutoff) -> score(x, prior) -> scores`` (higher first); it trains only on the
moments whose labels are known at the cutoff (:func:`backtest_more_data.train_at`)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from backtest_more_data import HORIZONS, NEW, NF, egos_at, graded_at, product_only, train_at  # noqa: E402

from rekindle.engine import revival_model as rm  # noqa: E402
from rekindle.engine.revival_features import FEATURES  # noqa: E402
from rekindle.engine.revival_rows import TrainingSet  # noqa: E402

# --- pieces of a model ------------------------------------------------------------------------


def combine(prior: np.ndarray, lo: np.ndarray, centre: float, share: float, s: float, cap: float):
    odds = np.exp(s * share * (lo - centre))
    return prior * np.clip(odds, 1.0 / cap, cap)


def trees(
    t: TrainingSet,
    cols: Sequence[int],
    seed: int = 7,
    mono: Sequence[int] | None = None,
    rounds: int = 100,
) -> Callable[[np.ndarray], np.ndarray]:
    import lightgbm as lgb

    params = rm.lambdamart_params(seed)
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
    params = rm.lambdamart_params(7)
    params.pop("metric")  # as measured: no metric (none is read without a validation set)
    data = lgb.Dataset(
        t.x[:, list(cols)], t.y.astype(int), group=t.groups, init_score=k * log_prior(prior_of(t.x))
    )
    booster = lgb.train(params, data, num_boost_round=rounds)
    return lambda x, prior: k * log_prior(prior) + booster.predict(x[:, list(cols)], num_threads=1)


def _plain(past, c, s: float = 1.0, cap: float = rm.MOST_ODDS):
    """The product re-implemented, its odds scaled by ``s`` in log and capped at ``cap``."""
    return scorer(custom(train_at(past, c, 45)), s, cap)


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
        out[f"odds^{s:g}, cap 3"] = partial(_plain, s=s)
    for cap in (1.5, 2.0, 5.0, 1e9):
        out[f"odds, cap {cap:g}"] = partial(_plain, cap=cap)
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

    def per_ego(past, c):
        t = train_at(past, c, 45)
        egos = egos_at(past, c, 45)
        _, inverse, counts = np.unique(egos, return_inverse=True, return_counts=True)
        w = 1.0 / counts[inverse]
        return scorer(custom(t, weights=w * len(w) / w.sum()))

    out["logistic: each ego weighs once"] = per_ego

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
    silence = FEATURES.index("silence")
    out["lambdamart with silence, monotone decreasing in it"] = lambda past, c: scorer(
        custom(
            train_at(past, c, 45),
            tree_cols=[*TREE, silence],
            mono=[0] * len(TREE) + [-1],
        )
    )
    out["lambdamart with silence, no constraint"] = lambda past, c: scorer(
        custom(train_at(past, c, 45), tree_cols=[*TREE, silence])
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
    present = {"circles", "sightings", "group_lately", "seen_since", "common_now"}
    past_logi = [i for i in LOGI if FEATURES[i] not in present]
    past_tree = [i for i in TREE if FEATURES[i] not in present]
    # a diagnostic chosen after reading the test cutoffs (docs/benchmarks.md): not a pick
    out["past signals only (diagnostic, after test)"] = lambda past, c: scorer(
        custom(train_at(past, c, 45), logi_cols=past_logi, tree_cols=past_tree)
    )
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

    def _knobs(past, c, s, cap, ridge, labels, mono_on):
        return scorer(fitted(c, past, ridge, labels, mono_on), s, cap)

    for s in (0.5, 0.75, 1.0):
        for cap in (1.5, 2.0, 3.0):
            for ridge in (3.0, 30.0):
                for labels in ("45", "stacked"):
                    for mono_on in (False, True):
                        name = (
                            f"s {s:g} cap {cap:g} ridge {ridge:g} labels {labels} mono {mono_on:d}"
                        )
                        out[name] = partial(
                            _knobs, s=s, cap=cap, ridge=ridge, labels=labels, mono_on=mono_on
                        )
    return out
