"""Backtest the reconnection ranking on an interaction log.

    python bench/backtest.py LOG --dormant-days 45 --horizon-days 45 --cutoffs 200,225
        [--max-recipients 4] [--json] [--weights FILE]
    python bench/backtest.py LOG --fit --cutoffs 50,75,100,125,150 --write FILE

Every participant of the log is in turn "me". At each cutoff T (days after the log's first
event) the candidates are my dormant reciprocated ties: at least one exchange each way before
T, none in the D days before T. A candidate is relevant when an exchange happens within H days
after T. Rekindle ranks them with the same code ``rekindle plan`` uses (``tie_features`` +
``scoring``; the parts the log cannot tell, shared past, goal and occasions, are zero), next to
four baselines: random, recency (latest exchange first), frequency (most exchanges) and the
365-day decayed sum (outgoing counted twice). Printed per cutoff: candidates, egos (those with
at least one relevant candidate), base rate, NDCG@10, P@5 and ROC-AUC averaged over egos, and a
paired bootstrap 95% interval over egos of Rekindle minus each baseline's NDCG@10.

Only messages to at most ``--max-recipients`` people (default 4, Rekindle's own line between
personal and group mail) count as exchanges; larger ones are still in each mailbox, as group
mail, the way Rekindle sees them.

``--fit`` fits the weights of the history parts (non-negative logistic regression on the
candidates of the given training cutoffs only) and writes them, with their provenance, for
``src/rekindle/data/engine_weights.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from backtest_log import Log, Mailbox, candidates, mailboxes, read_log  # noqa: E402
from backtest_metrics import (  # noqa: E402
    auc,
    mean,
    ndcg,
    paired_bootstrap,
    precision_at,
    ranked_labels,
)

from rekindle.engine.revival_features import FEATURES, Timeline, describe, matrix  # noqa: E402
from rekindle.engine.revival_model import RevivalModel, fit  # noqa: E402
from rekindle.engine.revival_rows import Questions, TrainingSet, me_at, training_set  # noqa: E402
from rekindle.engine.scoring import TIE_PARTS, Weights, default_weights, rank_value, tie_parts  # noqa: E402
from rekindle.history.tie_features import TieFeatures, recent_partners, tie_features  # noqa: E402
from rekindle.history.ties import Contact, decayed_sums  # noqa: E402

DAY = 86400
BASELINES = ("random", "recency", "frequency", "decayed365")
RANKERS = ("rekindle", *BASELINES)
TARGET_NDCG = 0.76
TARGET_LIFT = 0.03


@dataclass
class Row:
    """One ego at one cutoff: the candidates' features and labels."""

    ego: int
    keys: list[str]
    labels: list[bool]
    features: list[TieFeatures]
    direct: list[list[tuple[int, str]]]
    #: the learnt ranker's features of each candidate, and the ego's model fitted on its own
    #: past (None with --shipped)
    x: Any = None
    model: RevivalModel | None = None


@dataclass
class CutoffResult:
    cutoff: float
    candidates: int = 0
    positives: int = 0
    egos: int = 0
    ndcg10: dict[str, list[float]] = field(default_factory=lambda: {r: [] for r in RANKERS})
    p5: dict[str, list[float]] = field(default_factory=lambda: {r: [] for r in RANKERS})
    auc: dict[str, list[float]] = field(default_factory=lambda: {r: [] for r in RANKERS})


def collect(
    log: Log,
    boxes: list[tuple[int, Mailbox]],
    cutoff_days: float,
    dormant: int,
    horizon: int,
    learn: Questions | None = None,
) -> list[Row]:
    """Each ego's candidates at the cutoff; with ``learn``, their learnt-ranker features too."""
    cutoff = log.start + int(cutoff_days * DAY)
    now = log.at_day(cutoff_days)
    rows = []
    for ego, box in boxes:
        found = candidates(box, cutoff, dormant * DAY, horizon * DAY)
        if not found:
            continue
        recent = recent_partners(box.contacts, now)
        row = Row(
            ego,
            [c.key for c in found],
            [c.resumed for c in found],
            [tie_features(box.contacts[c.key], now, recent) for c in found],
            [[x for x in box.direct[c.key] if x[0] < cutoff] for c in found],
        )
        if learn is not None and any(row.labels):
            timelines = _timelines(ego, box)
            me = me_at(timelines, now)
            row.x = matrix([describe(timelines[k], now, me, horizon) for k in row.keys])
        rows.append(row)
    return rows


_TIMELINES: dict[int, dict[str, Timeline]] = {}


def _timelines(ego: int, box: Mailbox) -> dict[str, Timeline]:
    if ego not in _TIMELINES:
        _TIMELINES[ego] = {k: Timeline.of(v) for k, v in box.contacts.items()}
    return _TIMELINES[ego]


def past_rows(
    log: Log, boxes: list[tuple[int, Mailbox]], last_day: float, learn: Questions
) -> dict[float, dict[int, TrainingSet]]:
    """Every ego's training rows at each moment (days after the log's start, ``step_days``
    apart) up to ``last_day``: the ties dormant then, labelled by what followed."""
    days = []
    day = last_day
    while day >= learn.dormant_days:
        days.append(day)
        day -= learn.step_days
    out: dict[float, dict[int, TrainingSet]] = {}
    for day in sorted(days):
        at = [log.at_day(day)]
        out[day] = {ego: training_set(_timelines(ego, box), at, learn) for ego, box in boxes}
    return out


def fit_online(
    past: dict[float, dict[int, TrainingSet]],
    rows: list[Row],
    cutoff: float,
    learn: Questions,
    per_ego: bool = False,
) -> None:
    """Give each ego the model the product would have had at ``cutoff``: fitted only on
    moments whose labels are known by then (moment + horizon <= cutoff), on every ego's rows
    (the pooled history of a mailbox as large as the whole log), or on the ego's own rows
    (``per_ego``)."""
    known = [d for d in past if d + learn.horizon_days <= cutoff]
    if per_ego:
        for row in rows:
            if row.x is not None:
                row.model = fit(pool([past[d][row.ego] for d in known if row.ego in past[d]]))
        return
    model = fit(pool([ts for d in known for ts in past[d].values()]))
    for row in rows:
        if row.x is not None:
            row.model = model


def pool(sets: list[TrainingSet]) -> TrainingSet:
    sets = [s for s in sets if len(s)]
    if not sets:
        return TrainingSet(np.zeros((0, len(FEATURES))), np.zeros(0), [])
    return TrainingSet(
        np.vstack([s.x for s in sets]),
        np.concatenate([s.y for s in sets]),
        [g for s in sets for g in s.groups],
    )


def baseline_scores(name: str, row: Row, rng: random.Random, now_ts: int) -> list[float]:
    if name == "random":
        return [rng.random() for _ in row.keys]
    if name == "recency":
        return [float(max(t for t, _ in d)) for d in row.direct]
    if name == "frequency":
        return [float(len(d)) for d in row.direct]
    now = datetime.fromtimestamp(now_ts, UTC)
    out = []
    for d in row.direct:
        contacts = [Contact(datetime.fromtimestamp(t, UTC), direction) for t, direction in d]
        out.append(decayed_sums(contacts, now)[0])
    return out


def evaluate(
    log: Log, rows: list[Row], cutoff_days: float, weights: Weights, quiet_as_long: bool = False
) -> CutoffResult:
    result = CutoffResult(cutoff_days)
    now_ts = log.start + int(cutoff_days * DAY)
    for row in rows:
        result.candidates += len(row.labels)
        result.positives += sum(row.labels)
        if not any(row.labels):
            continue
        result.egos += 1
        rng = random.Random(f"{cutoff_days}/{row.ego}")
        for name in RANKERS:
            if name == "rekindle":
                scores = [rank_value(f, weights) for f in row.features]
                if row.model is not None:
                    scores = list(row.model.rank(row.x, np.asarray(scores), quiet_as_long))
            else:
                scores = baseline_scores(name, row, rng, now_ts)
            ranked = ranked_labels(scores, row.labels)
            result.ndcg10[name].append(ndcg(ranked, 10))
            result.p5[name].append(precision_at(ranked, 5))
            area = auc(scores, row.labels)
            if area is not None:
                result.auc[name].append(area)
    return result


def summary(result: CutoffResult) -> dict[str, Any]:
    base = result.positives / result.candidates if result.candidates else float("nan")
    return {
        "cutoff": result.cutoff,
        "candidates": result.candidates,
        "egos": result.egos,
        "base_rate": round(base, 4),
        "ndcg10": {r: round(mean(v), 4) for r, v in result.ndcg10.items()},
        "p5": {r: round(mean(v), 4) for r, v in result.p5.items()},
        "auc": {r: round(mean(v), 4) for r, v in result.auc.items()},
        "ci_vs": {
            b: [round(x, 4) for x in paired_bootstrap(result.ndcg10["rekindle"], result.ndcg10[b])]
            for b in BASELINES
        },
    }


def print_table(summaries: list[dict[str, Any]], pooled: dict[str, Any]) -> None:
    for s in summaries:
        print(
            f"\ncutoff day {s['cutoff']:g}: {s['candidates']} candidates, "
            f"{s['egos']} egos with a resumed tie, base rate {s['base_rate']:.3f}"
        )
        print(f"  {'ranker':<11} {'NDCG@10':>8} {'P@5':>7} {'AUC':>7}   rekindle - it (95% CI)")
        for r in RANKERS:
            ci = "" if r == "rekindle" else "[{:+.3f}, {:+.3f}]".format(*s["ci_vs"][r])
            print(f"  {r:<11} {s['ndcg10'][r]:>8.4f} {s['p5'][r]:>7.4f} {s['auc'][r]:>7.4f}   {ci}")
    print(
        f"\nall cutoffs: mean NDCG@10 rekindle {pooled['ndcg10']['rekindle']:.4f} "
        f"(target >= {TARGET_NDCG}), decayed365 {pooled['ndcg10']['decayed365']:.4f}, "
        f"lift {pooled['lift']:+.4f} (target >= +{TARGET_LIFT}), "
        "95% CI [{:+.4f}, {:+.4f}]".format(*pooled["ci_vs"]["decayed365"])
    )


def pooled_summary(results: list[CutoffResult]) -> dict[str, Any]:
    merged = CutoffResult(-1)
    for r in results:
        for name in RANKERS:
            merged.ndcg10[name].extend(r.ndcg10[name])
    per_cutoff = {n: mean([mean(r.ndcg10[n]) for r in results]) for n in RANKERS}
    return {
        "ndcg10": {n: round(v, 4) for n, v in per_cutoff.items()},
        "lift": round(per_cutoff["rekindle"] - per_cutoff["decayed365"], 4),
        "ci_vs": {
            b: [round(x, 4) for x in paired_bootstrap(merged.ndcg10["rekindle"], merged.ndcg10[b])]
            for b in BASELINES
        },
    }


# --- fitting ---------------------------------------------------------------------------------


def fit_weights(rows: Sequence[Row], l2: float = 0.001, steps: int = 4000) -> dict[str, float]:
    """Non-negative logistic regression of "resumed" on the history parts (projected gradient)."""
    xs = [[tie_parts(f)[n] for n in TIE_PARTS] for row in rows for f in row.features]
    ys = [1.0 if lab else 0.0 for row in rows for lab in row.labels]
    k = len(TIE_PARTS)
    w = [0.0] * k
    b = 0.0
    rate = 0.5
    n = len(ys)
    for _ in range(steps):
        grad = [0.0] * k
        grad_b = 0.0
        for x, y in zip(xs, ys, strict=True):
            z = b + sum(wi * xi for wi, xi in zip(w, x, strict=True))
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            err = p - y
            grad_b += err
            for j in range(k):
                grad[j] += err * x[j]
        w = [max(0.0, wi - rate * (g / n + l2 * wi)) for wi, g in zip(w, grad, strict=True)]
        b -= rate * grad_b / n
    return {name: round(value, 4) for name, value in zip(TIE_PARTS, w, strict=True)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", type=Path)
    parser.add_argument("--dormant-days", type=int, default=45)
    parser.add_argument("--horizon-days", type=int, default=45)
    parser.add_argument("--cutoffs", default="200,225")
    parser.add_argument("--max-recipients", type=int, default=4)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--weights", type=Path, help="a weights file instead of the shipped one")
    parser.add_argument(
        "--shipped",
        action="store_true",
        help="rank by the shipped model alone (default: each ego's model fitted online on its "
        "own past, only on moments whose labels are known before the cutoff)",
    )
    parser.add_argument(
        "--step-days", type=float, default=5, help="days between the training moments"
    )
    parser.add_argument(
        "--quiet-as-long",
        action="store_true",
        help="the learnt odds against the ties quiet as long, as the plan's Rekindle list "
        "weighs them (default: the plain odds of a comeback, which favour a shorter silence)",
    )
    parser.add_argument(
        "--per-ego",
        action="store_true",
        help="fit each ego's model on its own rows only (default: every ego's rows pooled)",
    )
    parser.add_argument("--fit", action="store_true", help="fit the weights on --cutoffs")
    parser.add_argument("--write", type=Path, help="with --fit: write the weights file here")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    log = read_log(args.log)
    boxes = list(mailboxes(log, args.max_recipients or None))
    cutoffs = [float(c) for c in args.cutoffs.split(",") if c.strip()]
    learn = (
        None
        if args.shipped or args.fit
        else Questions(args.dormant_days, args.horizon_days, args.step_days, max_moments=200)
    )
    all_rows = {
        c: collect(log, boxes, c, args.dormant_days, args.horizon_days, learn) for c in cutoffs
    }
    if learn is not None:
        past = past_rows(log, boxes, max(cutoffs) - args.horizon_days, learn)
        for c in cutoffs:
            fit_online(past, all_rows[c], c, learn, args.per_ego)
    if args.fit:
        return _fit(args, log, all_rows)

    weights = default_weights()
    if args.weights:
        data = json.loads(args.weights.read_text("utf-8"))
        weights = Weights(data["weights"], data.get("provenance", {}))
    results = [evaluate(log, all_rows[c], c, weights, args.quiet_as_long) for c in cutoffs]
    summaries = [summary(r) for r in results]
    pooled = pooled_summary(results)
    if args.json:
        print(json.dumps({"cutoffs": summaries, "all": pooled}, indent=1))
    else:
        print(
            f"{args.log.name}: {len(log.messages)} messages, {len(boxes)} participants; "
            f"D={args.dormant_days} H={args.horizon_days} days, "
            f"exchanges = messages to <= {args.max_recipients} people; "
            f"weights: {weights.provenance.get('fitted_on', 'as given')}"
        )
        print_table(summaries, pooled)
        print(f"\n({time.perf_counter() - started:.1f} s)")
    return 0


def _fit(args: argparse.Namespace, log: Log, all_rows: dict[float, list[Row]]) -> int:
    last_label_day = max(all_rows) + args.horizon_days
    rows = [row for c in sorted(all_rows) for row in all_rows[c]]
    fitted = fit_weights(rows)
    base = default_weights()
    digest = hashlib.sha256(args.log.read_bytes()).hexdigest()[:16]
    out = {
        "weights": {**dict(base.values), **fitted},
        "provenance": {
            "fitted_on": (
                f"{args.log.name} (sha256 {digest}...), training cutoffs "
                f"{','.join(f'{c:g}' for c in sorted(all_rows))} days, labels up to day "
                f"{last_label_day:g}"
            ),
            "method": "non-negative logistic regression of 'contact resumed' on the history "
            "parts, bench/backtest.py --fit",
            "dormant_days": args.dormant_days,
            "horizon_days": args.horizon_days,
            "max_recipients": args.max_recipients,
            "candidates": sum(len(r.labels) for r in rows),
            "set_by_design": "shared, goal, timing (the log cannot tell them)",
        },
    }
    text = json.dumps(out, indent=2) + "\n"
    if args.write:
        args.write.write_text(text, "utf-8")
    print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
