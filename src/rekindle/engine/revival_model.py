"""The learnt ranker: simple, diverse rankers fitted on the user's own past, whose revival
odds multiply the shipped score (the prior: the tie's worth) (pure, numpy + lightgbm).

- a regularised logistic regression on the score's history parts (standardised, ridge,
  Newton steps), but ``bond``, left to the prior, which sets it by design (with it the fit
  leans on one of three collinear parts and ranks worse out of sample);
- a LambdaMART ranker (lightgbm) over the features, one query per earlier moment.

Neither reads how long the tie has been quiet (:data:`SILENCE`), though some features lean on
it (the hazard of past silences as long; the people you talk to now).

Their log-odds are averaged (:data:`BLEND`; LambdaMART's scores are pairwise log-odds). The
product multiplies the tie's worth (the shipped score: what the tie was) by its *revival
odds*: how much likelier it is to come back than the ties of your history that were quiet as
long (:meth:`RevivalModel.lift`: the learnt log-odds less what the silence alone predicted
over the training rows, :attr:`RevivalModel.silence_line`). The silence itself is no merit on
the Rekindle list (every tie there is quiet, and a comeback is always likelier after a shorter
silence); a tie that is more receptive than its silence predicts is. The odds are shrunk
towards 1 (the prior: the worth alone) by the learnt share, which grows with the comebacks
the history holds (``positives``): a user with little history is ranked by the shipped model.
A difference the model barely sees moves the score barely (ranks within the list, used
before, made a 0.20 against 0.22 chance a full quarter up or down).
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
VERSION = 4
#: features the learnt rankers leave out: how long the tie has been quiet. Every tie on the
#: Rekindle list is; a comeback is likelier after a shorter silence, and ranked on it the list
#: would fill with last year's ties instead of formerly strong ones (on radoslaw they add
#: nothing out of sample: NDCG@10 0.7493 with them, 0.7486 without)
SILENCE = ("strength", "silence", "dormancy", "longest_ratio")
#: the logistic regression's features
LOGISTIC = tuple(p for p in TIE_PARTS if p != "bond" and p not in SILENCE)
_LOGISTIC_AT = [FEATURES.index(p) for p in LOGISTIC]
#: LambdaMART's features
TREES = tuple(f for f in FEATURES if f not in SILENCE)
_TREES_AT = [FEATURES.index(f) for f in TREES]
_SILENCE_AT = FEATURES.index("silence")
#: each learnt ranker's weight in their rank average
BLEND = {"logistic": 1.0, "lambdamart": 0.5}
#: how far the learnt order moved the shipped score by rank (:meth:`RevivalModel.learnt_rank`)
MODULATION = 0.5
#: the revival odds multiply the worth by at most this much, or divide it by it (a formerly
#: very strong tie is not buried, nor a slight one raised, on the learnt odds alone)
MOST_ODDS = 3.0


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


def lambdamart_params(seed: int = 7) -> dict[str, Any]:
    """The LambdaMART ranker's settings (lightgbm), one query per moment."""
    return {
        "objective": "lambdarank",
        "metric": "ndcg",
        "lambdarank_truncation_level": 10,
        # small trees, slowly: the history is a few thousand rows at most moments
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


def fit_lambdamart(data: TrainingSet, seed: int = 7) -> str | None:
    """A LambdaMART model (text) with one query per moment, or None (lightgbm missing)."""
    try:
        import lightgbm as lgb
    except ImportError:  # pragma: no cover - a declared dependency; the prior still ranks
        return None
    params = lambdamart_params(seed)
    train = lgb.Dataset(
        data.x[:, _TREES_AT], data.y.astype(int), group=data.groups, free_raw_data=True
    )
    booster = lgb.train(params, train, num_boost_round=100)
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
    #: (intercept, slope) of the learnt log-odds on the silence feature over the training
    #: rows: what the silence alone predicts
    silence_line: tuple[float, float] = (0.0, 0.0)
    #: the training rows' mean silence feature (where the line meets their mean log-odds)
    mean_silence: float = 0.0
    _booster: Any = field(default=None, repr=False, compare=False)

    @property
    def learnt_share(self) -> float:
        """How much the learnt rankers weigh against the shipped prior (0..1)."""
        if self.logistic is None:
            return 0.0
        return MOST_LEARNT * self.positives / (self.positives + PRIOR_POSITIVES)

    def shares(self) -> dict[str, float]:
        """Each learnt ranker's weight in the rank average (summing to 1)."""
        present = [k for k in BLEND if (self.logistic if k == "logistic" else self.lambdamart)]
        full = sum(BLEND[k] for k in present)
        return {k: BLEND[k] / full for k in present}

    def tree_scores(self, x: np.ndarray) -> np.ndarray | None:
        if self.lambdamart is None:
            return None
        if self._booster is None:
            import lightgbm as lgb

            self._booster = lgb.Booster(model_str=self.lambdamart)
        return np.asarray(self._booster.predict(x[:, _TREES_AT], num_threads=1), dtype=float)

    def learnt_rank(self, x: np.ndarray) -> np.ndarray:
        """The learnt rankers' average rank (0..1, higher first) of each row of one list."""
        ranks = {}
        if self.logistic is not None:
            ranks["logistic"] = rank01(self.logistic.scores(x))
        trees = self.tree_scores(x)
        if trees is not None:
            ranks["lambdamart"] = rank01(trees)
        if not ranks:
            return np.full(len(x), 0.5)
        shares = self.shares()
        return np.asarray(sum(shares[k] * ranks[k] for k in ranks), dtype=float)

    def log_odds(self, x: np.ndarray) -> np.ndarray:
        """The learnt rankers' log-odds of a comeback, averaged by their shares."""
        if self.logistic is None:
            return np.zeros(len(x))
        shares = self.shares()
        out = shares["logistic"] * self.logistic.scores(x)
        trees = self.tree_scores(x)
        if trees is not None:
            out = out + shares["lambdamart"] * trees
        return np.asarray(out, dtype=float)

    def lift(self, x: np.ndarray, quiet_as_long: bool = False) -> np.ndarray:
        """Log-odds of a comeback against the ties of the history quiet as long (0: as likely),
        or, not ``quiet_as_long``, against the average tie of the history."""
        a, b = self.silence_line
        if quiet_as_long:
            return self.log_odds(x) - (a + b * x[:, _SILENCE_AT])
        return self.log_odds(x) - (a + b * self.mean_silence)

    def odds(self, x: np.ndarray, quiet_as_long: bool = False) -> np.ndarray:
        """Each row's revival odds (:meth:`lift`), shrunk towards 1 by the learnt share and
        kept within 1/M .. M."""
        shrunk = np.exp(self.learnt_share * self.lift(x, quiet_as_long))
        return np.asarray(np.clip(shrunk, 1.0 / MOST_ODDS, MOST_ODDS), dtype=float)

    def moves(self, x: np.ndarray) -> np.ndarray:
        """How much each row's worth moves on the Rekindle list, as a share of it (odds - 1)."""
        return self.odds(x) - 1.0

    def rank(self, x: np.ndarray, prior: np.ndarray, quiet_as_long: bool = False) -> np.ndarray:
        """Each row's score: the worth (prior) times the revival odds: the plain odds (who
        comes back), as the plan ranks and the backtest asks; with ``quiet_as_long``, who is
        likelier to than the ties quiet as long (an alternative the backtest measures)."""
        return np.asarray(prior * self.odds(x, quiet_as_long), dtype=float)

    def as_json(self) -> str:
        return json.dumps(
            {
                "version": VERSION,
                "features": list(FEATURES),
                "logistic_features": list(LOGISTIC),
                "tree_features": list(TREES),
                "logistic": self.logistic.as_json() if self.logistic else None,
                "lambdamart": self.lambdamart,
                "rows": self.rows,
                "positives": self.positives,
                "moments": self.moments,
                "fitted_on": self.fitted_on,
                "silence_line": list(self.silence_line),
                "mean_silence": self.mean_silence,
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
            or d.get("tree_features") != list(TREES)
        ):
            return None
        return cls(
            Logistic.from_json(d["logistic"]) if d.get("logistic") else None,
            d.get("lambdamart"),
            int(d.get("rows", 0)),
            int(d.get("positives", 0)),
            int(d.get("moments", 0)),
            str(d.get("fitted_on", "")),
            _line(d.get("silence_line")),
            float(d.get("mean_silence", 0.0)),
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
    model.silence_line = silence_line(data.x[:, _SILENCE_AT], model.log_odds(data.x))
    model.mean_silence = float(data.x[:, _SILENCE_AT].mean())
    return model


def silence_line(silence: np.ndarray, log_odds: np.ndarray) -> tuple[float, float]:
    """(intercept, slope) of the least-squares line of ``log_odds`` on ``silence``."""
    if len(silence) < 2 or float(np.ptp(silence)) < 1e-9:
        return (float(np.mean(log_odds)) if len(log_odds) else 0.0, 0.0)
    slope, intercept = np.polyfit(silence, log_odds, 1)
    return (float(intercept), float(slope))


def _line(value: Any) -> tuple[float, float]:
    if isinstance(value, list) and len(value) == 2:
        return (float(value[0]), float(value[1]))
    return (0.0, 0.0)


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
