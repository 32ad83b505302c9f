"""Ranker variants for ``bench/backtest_lab.py``: each fits on training rows and scores one list.

A variant is ``fit(train) -> score(x, prior) -> scores`` (higher first), where ``x`` holds the
learnt ranker's features of one list (:data:`rekindle.engine.revival_features.FEATURES`,
then the lab's extra features when asked for) and ``prior`` the shipped model's score.

Also the extra features the lab can add (:func:`extra_values`), each with its cost per row.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Sequence

import numpy as np

from rekindle.engine import revival_model as rm
from rekindle.engine.revival_features import FEATURES, Me, Timeline
from rekindle.engine.revival_rows import TrainingSet
from rekindle.history.tie_features import CIRCLE_LIMIT
from rekindle.history.ties import SECONDS_PER_DAY, is_personal

Scorer = Callable[[np.ndarray, np.ndarray], np.ndarray]
Variant = Callable[[TrainingSet], Scorer]

#: the lab's extra features (``--extra``), after FEATURES, and what each costs per row
EXTRA = {
    "seen_days": "days since any mail with them, group mail included (one lookup)",
    "group_30": "group mail with them in the last 30 days (bisect + the month's contacts)",
    "since_in": "days since their last personal message to you (scan back to it)",
    "since_out": "days since your last personal message to them (scan back to it)",
    "tie_age": "days since the first contact (one lookup)",
    "burstiness": "(sd - mean) / (sd + mean) of the gaps between days in touch (the gaps)",
    "common_lately": "people you talk to now on mail with them in the last 90 days (90 days' contacts)",
    "their_people": "distinct people on mail with them in the last 45 days (45 days' contacts)",
}


def extra_values(tl: Timeline, at: float, me: Me) -> tuple[float, ...]:
    """The :data:`EXTRA` features of one tie at ``at`` (seconds), from contacts before it."""
    day = SECONDS_PER_DAY
    k = tl.before(at)
    personal = tl.personal[: bisect_left(tl.personal, (at, ""))]
    last_in = next((t for t, d in reversed(personal) if d != "out"), None)
    last_out = next((t for t, d in reversed(personal) if d != "in"), None)
    days = tl.days[: bisect_left(tl.days, int(at // day))]
    gaps = [b - a for a, b in zip(days, days[1:], strict=False)]
    burst = 0.0
    if len(gaps) >= 2:
        mu = sum(gaps) / len(gaps)
        sd = (sum((g - mu) ** 2 for g in gaps) / len(gaps)) ** 0.5
        burst = (sd - mu) / (sd + mu) if sd + mu else 0.0
    lo30 = bisect_left(tl.times, at - 30 * day)
    common: set[str] = set()
    for i in range(bisect_left(tl.times, at - 90 * day), k):
        c = tl.contacts[i]
        if c.co and len(c.co) <= CIRCLE_LIMIT:
            common |= c.co & me.recent.keys()
    people: set[str] = set()
    for i in range(bisect_left(tl.times, at - 45 * day), k):
        people |= tl.contacts[i].co
    return (
        math.log1p((at - tl.times[k - 1]) / day if k else 1000.0),
        math.log1p(sum(1 for i in range(lo30, k) if not is_personal(tl.contacts[i]))),
        math.log1p((at - last_in) / day if last_in else 1000.0),
        math.log1p((at - last_out) / day if last_out else 1000.0),
        math.log1p((at - tl.times[0]) / day if k else 0.0),
        burst,
        math.log1p(len(common)),
        math.log1p(len(people)),
    )


def names(extra: bool) -> tuple[str, ...]:
    return (*FEATURES, *EXTRA) if extra else FEATURES


def rank01(s: np.ndarray) -> np.ndarray:
    return rm.rank01(np.asarray(s, dtype=float))


def lightgbm(
    train: TrainingSet, objective: str, cols: Sequence[int], rounds: int = 100, leaves: int = 3
) -> Callable[[np.ndarray], np.ndarray]:
    """A small boosted model (the product's LambdaMART settings) on ``cols``."""
    import lightgbm as lgb

    params = {
        "objective": objective,
        "num_leaves": leaves,
        "min_data_in_leaf": 40 if leaves <= 3 else 80,
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
    if objective == "lambdarank":
        params["lambdarank_truncation_level"] = 10
    group = train.groups if objective == "lambdarank" else None
    data = lgb.Dataset(train.x[:, list(cols)], train.y.astype(int), group=group)
    booster = lgb.train(params, data, num_boost_round=rounds)
    return lambda x: np.asarray(booster.predict(x[:, list(cols)]), dtype=float)


def logistic(
    train: TrainingSet, cols: Sequence[int], ridge: float = 3.0
) -> Callable[[np.ndarray], np.ndarray]:
    """Ridge logistic regression (Newton steps) on the standardised ``cols``."""
    x = train.x[:, list(cols)]
    mu, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd < 1e-9] = 1.0
    a = np.hstack([(x - mu) / sd, np.ones((len(x), 1))])
    w = np.zeros(a.shape[1])
    pen = np.full(a.shape[1], ridge)
    pen[-1] = 0.0
    for _ in range(25):
        p = 1.0 / (1.0 + np.exp(-np.clip(a @ w, -30, 30)))
        step = np.linalg.solve(
            (a * (p * (1 - p))[:, None]).T @ a + np.diag(pen + 1e-9), a.T @ (p - train.y) + pen * w
        )
        w -= step
        if float(np.abs(step).max()) < 1e-6:
            break
    return lambda xx: np.asarray(((xx[:, list(cols)] - mu) / sd) @ w[:-1], dtype=float)


def modulated(
    make: Callable[[TrainingSet], Callable[[np.ndarray], np.ndarray]], m: float
) -> Variant:
    """The prior moved by up to ``m``/2 of itself by the learnt order (as the product does)."""

    def fit(train: TrainingSet) -> Scorer:
        learnt = make(train)
        return lambda x, prior: prior * (1.0 + m * (rank01(learnt(x)) - 0.5))

    return fit


def averaged(*makes: Callable[[TrainingSet], Callable[[np.ndarray], np.ndarray]]):
    def make(train: TrainingSet) -> Callable[[np.ndarray], np.ndarray]:
        fitted = [mk(train) for mk in makes]
        return lambda x: np.asarray(sum(rank01(f(x)) for f in fitted), dtype=float)

    return make


def within_list(x: np.ndarray) -> np.ndarray:
    """Each column of one list as ranks 0..1 within it (per-ego rank normalisation)."""
    return np.column_stack([rank01(x[:, j]) for j in range(x.shape[1])]) if len(x) else x


def ranked_rows(train: TrainingSet) -> TrainingSet:
    parts, start = [], 0
    for g in train.groups:
        parts.append(within_list(train.x[start : start + g]))
        start += g
    x = np.vstack(parts) if parts else train.x
    return TrainingSet(np.hstack([train.x, x]), train.y, train.groups)


def on_ranks(obj: str, m: float) -> Variant:
    """A boosted model on the features and their within-list ranks, moving the prior."""

    def fit(train: TrainingSet) -> Scorer:
        both = ranked_rows(train)
        learnt = lightgbm(both, obj, list(range(both.x.shape[1])))
        return lambda x, prior: (
            prior * (1.0 + m * (rank01(learnt(np.hstack([x, within_list(x)]))) - 0.5))
        )

    return fit


def product(train: TrainingSet) -> Scorer:
    """The product's learnt ranker (revival_model.fit, then RevivalModel.rank)."""
    model = rm.fit(TrainingSet(train.x[:, : len(FEATURES)], train.y, train.groups))
    if model.logistic is None:
        return lambda x, prior: prior
    return lambda x, prior: model.rank(x[:, : len(FEATURES)], prior)


def variants(extra: bool) -> dict[str, Variant]:
    """The menu: the prior, the product, and the alternatives tried in issue 13."""
    every = list(range(len(names(extra))))
    product_cols = list(range(len(FEATURES)))
    no_silence = [i for i, n in enumerate(names(extra)) if n not in rm.SILENCE]
    hazard = FEATURES.index("hazard")

    def lgbm(obj: str, cols: Sequence[int], **kw: int):
        return lambda train: lightgbm(train, obj, cols, **kw)

    def logit(cols: Sequence[int]):
        return lambda train: logistic(train, cols)

    return {
        "prior (shipped weights)": lambda train: lambda x, prior: prior,
        "product (logistic + lambdamart)": product,
        "prior + own-gap hazard (rank avg)": lambda train: (
            lambda x, prior: rank01(prior) + rank01(x[:, hazard])
        ),
        "lambdarank, product features, M .5": modulated(lgbm("lambdarank", product_cols), 0.5),
        "lambdarank, all features, M 1": modulated(lgbm("lambdarank", every), 1.0),
        "lambdarank, no silence, M .5": modulated(lgbm("lambdarank", no_silence), 0.5),
        "lambdarank, 7 leaves, M .5": modulated(lgbm("lambdarank", no_silence, leaves=7), 0.5),
        "binary logloss, product features, M .5": modulated(lgbm("binary", product_cols), 0.5),
        "binary logloss, all features, M .5": modulated(lgbm("binary", every), 0.5),
        "lambdarank, features + within-list ranks, M .5": on_ranks("lambdarank", 0.5),
        "binary logloss, features + within-list ranks, M .5": on_ranks("binary", 0.5),
        "logistic, all features, M .5": modulated(logit(every), 0.5),
        "logistic, no silence, M .5": modulated(logit(no_silence), 0.5),
        "ensemble lambdarank+binary+logistic, M .5": modulated(
            averaged(lgbm("lambdarank", no_silence), lgbm("binary", no_silence), logit(no_silence)),
            0.5,
        ),
        "lambdarank alone (no prior)": lambda train: (lambda f: lambda x, prior: f(x))(
            lightgbm(train, "lambdarank", every)
        ),
    }
