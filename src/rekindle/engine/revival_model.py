"""The learnt ranker: simple, diverse rankers fitted on the user's own past, combined by rank
averaging within each list, with the shipped weights as the prior (pure, numpy + lightgbm).

- a regularised logistic regression on the score's history parts (standardised, ridge,
  Newton steps) but two: ``bond`` is left to the prior, which sets it by design (with it the
  fit leans on one of three collinear parts and ranks worse out of sample), and ``strength``,
  what is left of the tie now, which says little on a list of quiet ties and would favour
  last year's over formerly strong ones (the Rekindle list sets it to 0 too);
- a LambdaMART ranker (lightgbm) over every feature, one query per earlier moment;
- the shipped score (:mod:`rekindle.engine.scoring`), which knows nothing of this user.

Each ranks the list; the ranks (0 worst .. 1 best) are averaged with weights. The learnt
rankers' share grows with the comebacks the history holds (``positives``): a user with little
history is ranked by the shipped model alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rekindle.engine.revival_features import FEATURES
from rekindle.engine.revival_rows import TrainingSet
from rekindle.engine.scoring import TIE_PARTS

#: comebacks in the history at which the learnt rankers and the prior weigh the same
PRIOR_POSITIVES = 25
#: fewer comebacks than this: no learnt ranker at all
LEAST_POSITIVES = 8
#: LambdaMART needs this many rows and comebacks to say more than noise
TREE_ROWS = 300
TREE_POSITIVES = 30
RIDGE = 3.0
#: the most the learnt rankers weigh together, however long the history (a lower cap keeps
#: the prior in charge: a comeback is likelier after a short silence, but the
#: Rekindle list is for formerly strong ties)
MOST_LEARNT = 1.0
VERSION = 1
#: the logistic regression's features
LOGISTIC = tuple(p for p in TIE_PARTS if p not in ("bond", "strength"))
_LOGISTIC_AT = [FEATURES.index(p) for p in LOGISTIC]
#: each ranker's weight in the rank average once the history is long (the prior's included)
BLEND = {"prior": 1.0, "logistic": 1.0, "lambdamart": 0.5}


@dataclass
class Logistic:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    bias: float

    def z(self, x: np.ndarray) -> np.ndarray:
        """Standardised features (``x`` has every feature; the model reads its own)."""
        return (x[:, _LOGISTIC_AT] - self.mean) / self.scale

    def scores(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(self.z(x) @ self.coef + self.bias, dtype=float)

    def contributions(self, x: np.ndarray) -> np.ndarray:
        """Each feature's push on the score against the average tie (rows x features)."""
        return np.asarray(self.z(x) * self.coef, dtype=float)

    def as_json(self) -> dict[str, Any]:
        return {
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
            "coef": self.coef.tolist(),
            "bias": self.bias,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Logistic:
        return cls(
            np.asarray(d["mean"], dtype=float),
            np.asarray(d["scale"], dtype=float),
            np.asarray(d["coef"], dtype=float),
            float(d["bias"]),
        )


def fit_logistic(x: np.ndarray, y: np.ndarray, ridge: float = RIDGE, steps: int = 25) -> Logistic:
    """Ridge logistic regression by Newton's method on the standardised :data:`LOGISTIC`
    features of ``x``."""
    x = x[:, _LOGISTIC_AT]
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    a = np.hstack([z, np.ones((len(z), 1))])
    w = np.zeros(a.shape[1])
    penalty = np.full(a.shape[1], ridge)
    penalty[-1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(a @ w, -30, 30)))
        grad = a.T @ (p - y) + penalty * w
        hess = (a * (p * (1 - p))[:, None]).T @ a + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-6:
            break
    return Logistic(mean, scale, w[:-1], float(w[-1]))


def fit_lambdamart(data: TrainingSet, seed: int = 7) -> str | None:
    """A LambdaMART model (text) with one query per moment, or None (lightgbm missing)."""
    try:
        import lightgbm as lgb
    except ImportError:  # pragma: no cover - a declared dependency; the prior still ranks
        return None
    params = {
        "objective": "lambdarank",
        "metric": "ndcg",
        "lambdarank_truncation_level": 10,
        "num_leaves": 7,
        "min_data_in_leaf": 20,
        "learning_rate": 0.05,
        "feature_fraction": 0.8,
        "bagging_fraction": 0.8,
        "bagging_freq": 1,
        "lambda_l2": 1.0,
        "num_threads": 1,
        "deterministic": True,
        "seed": seed,
        "verbose": -1,
    }
    train = lgb.Dataset(data.x, data.y.astype(int), group=data.groups, free_raw_data=True)
    booster = lgb.train(params, train, num_boost_round=120)
    return str(booster.model_to_string())


@dataclass
class RevivalModel:
    """The fitted rankers and how much each counts; serialisable for the store."""

    logistic: Logistic | None = None
    lambdamart: str | None = None
    rows: int = 0
    positives: int = 0
    moments: int = 0
    #: free text: what the history held, for ``plan`` and ``why``
    fitted_on: str = ""
    _booster: Any = field(default=None, repr=False, compare=False)

    @property
    def learnt_share(self) -> float:
        """How much the learnt rankers weigh against the shipped prior (0..1)."""
        if self.logistic is None:
            return 0.0
        return MOST_LEARNT * self.positives / (self.positives + PRIOR_POSITIVES)

    def shares(self) -> dict[str, float]:
        """Each ranker's weight in the rank average (summing to 1): the learnt ones take
        their :data:`BLEND` share as the comebacks in the history grow."""
        learnt = self.learnt_share
        present = ["prior", *(["logistic"] if self.logistic else [])]
        present += ["lambdamart"] if self.lambdamart else []
        full = sum(BLEND[k] for k in present)
        out = {k: learnt * BLEND[k] / full for k in present}
        out["prior"] += 1.0 - learnt
        return out

    def tree_scores(self, x: np.ndarray) -> np.ndarray | None:
        if self.lambdamart is None:
            return None
        if self._booster is None:
            import lightgbm as lgb

            self._booster = lgb.Booster(model_str=self.lambdamart)
        return np.asarray(self._booster.predict(x, num_threads=1), dtype=float)

    def rank(self, x: np.ndarray, prior: np.ndarray) -> np.ndarray:
        """The combined rank (0..1, higher first) of each row of one list."""
        ranks = {"prior": rank01(prior)}
        if self.logistic is not None:
            ranks["logistic"] = rank01(self.logistic.scores(x))
        trees = self.tree_scores(x)
        if trees is not None:
            ranks["lambdamart"] = rank01(trees)
        shares = self.shares()
        return np.asarray(sum(shares[k] * ranks[k] for k in shares), dtype=float)

    def as_json(self) -> str:
        return json.dumps(
            {
                "version": VERSION,
                "features": list(FEATURES),
                "logistic_features": list(LOGISTIC),
                "logistic": self.logistic.as_json() if self.logistic else None,
                "lambdamart": self.lambdamart,
                "rows": self.rows,
                "positives": self.positives,
                "moments": self.moments,
                "fitted_on": self.fitted_on,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> RevivalModel | None:
        """The stored model, or None when it is from another version or feature set."""
        try:
            d = json.loads(text)
        except ValueError:
            return None
        if (
            d.get("version") != VERSION
            or d.get("features") != list(FEATURES)
            or d.get("logistic_features") != list(LOGISTIC)
        ):
            return None
        return cls(
            Logistic.from_json(d["logistic"]) if d.get("logistic") else None,
            d.get("lambdamart"),
            int(d.get("rows", 0)),
            int(d.get("positives", 0)),
            int(d.get("moments", 0)),
            str(d.get("fitted_on", "")),
        )


def fit(data: TrainingSet, fitted_on: str = "") -> RevivalModel:
    """The rankers the history supports: none (prior only), logistic, or logistic and trees."""
    model = RevivalModel(
        rows=len(data), positives=data.positives, moments=len(data.groups), fitted_on=fitted_on
    )
    if data.positives < LEAST_POSITIVES or data.positives == len(data):
        return model
    model.logistic = fit_logistic(data.x, data.y)
    if len(data) >= TREE_ROWS and data.positives >= TREE_POSITIVES:
        model.lambdamart = fit_lambdamart(data)
    return model


def rank01(scores: np.ndarray) -> np.ndarray:
    """Ranks scaled to 0 (lowest) .. 1 (highest); equal scores share their average rank."""
    n = len(scores)
    if n <= 1:
        return np.ones(n)
    order = np.argsort(scores, kind="stable")
    ranks = np.empty(n)
    ranks[order] = np.arange(n, dtype=float)
    # average the ranks of equal scores
    uniq, inverse = np.unique(scores, return_inverse=True)
    if len(uniq) < n:
        sums = np.bincount(inverse, weights=ranks)
        counts = np.bincount(inverse)
        ranks = (sums / counts)[inverse]
    return np.asarray(ranks / (n - 1), dtype=float)
