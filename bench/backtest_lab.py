"""Compare learnt-ranker variants on an interaction log, online, on validation and test cutoffs.

    python bench/backtest_lab.py LOG [--validation 110,130,150] [--test 200,225]
        [--rows product|direct] [--extra] [--step-days 5] [--inner] [--only NAME,...] [--json]

The same questions as ``bench/backtest.py`` (every participant in turn "me", candidates are
dormant reciprocated ties at a cutoff, relevant when an exchange follows within H days), the
same online rule (at cutoff T a variant is fitted only on moments whose labels are known,
moment + H <= T), and for every variant of ``backtest_variants.py``: mean NDCG@10 over egos
per cutoff, the mean over cutoffs, the lift over the 365-day decayed sum and its paired
bootstrap 95% interval over egos. Variants are meant to be chosen on the validation cutoffs
(whose labels end before the first test cutoff), then read once on the test cutoffs.

``--rows direct`` asks the past the backtest's own question (dormant and resumed by direct
exchanges) instead of the product's (by personal contact, which includes small mail where
both are recipients); ``--extra`` adds the lab's extra features; ``--inner`` adds a variant
that, at each cutoff, takes the variant with the best NDCG@10 on the lists of the latest six
known moments (each fitted on the moments known before it): a choice the product could make.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import backtest as bt  # noqa: E402
from backtest_log import Log, Mailbox, candidates, mailboxes, read_log  # noqa: E402
from backtest_metrics import mean, ndcg, paired_bootstrap, ranked_labels  # noqa: E402
from backtest_variants import Variant, extra_values, variants  # noqa: E402

from rekindle.engine.revival_features import describe, epoch, matrix  # noqa: E402
from rekindle.engine.revival_rows import (  # noqa: E402
    MAX_PER_MOMENT,
    Questions,
    TrainingSet,
    dormant_at,
    me_at,
)
from rekindle.engine.scoring import TIE_PARTS, default_weights, rank_value  # noqa: E402

DAY = 86400
#: a list: (ego, features, labels, prior score, decayed365 score)
List = tuple[int, np.ndarray, np.ndarray, np.ndarray, list[float]]


def features(
    box: Mailbox, ego: int, keys: Sequence[str], at: float, horizon: float, extra: bool
) -> np.ndarray:
    """The learnt ranker's features of ``keys`` at ``at`` (seconds), and the extra ones."""
    timelines = bt._timelines(ego, box)
    now = epoch(at)
    me = me_at(timelines, now)
    x = matrix([describe(timelines[k], now, me, horizon) for k in keys])
    if not extra:
        return x
    more = np.asarray([extra_values(timelines[k], at, me) for k in keys], dtype=float)
    return np.hstack([x, more.reshape(len(keys), -1)])


def test_lists(
    log: Log, boxes: list[tuple[int, Mailbox]], cutoff: float, d: int, h: int, extra: bool
) -> list[List]:
    weights = default_weights()
    out = []
    by_ego = dict(boxes)
    for row in bt.collect(log, boxes, cutoff, d, h):
        if not any(row.labels):
            continue
        at = float(log.start + int(cutoff * DAY))
        x = features(by_ego[row.ego], row.ego, row.keys, at, h, extra)
        prior = np.asarray([rank_value(f, weights) for f in row.features])
        decayed = bt.baseline_scores("decayed365", row, random.Random(0), int(at))
        out.append((row.ego, x, np.asarray(row.labels), prior, decayed))
    return out


def moment_rows(
    log: Log, boxes: list[tuple[int, Mailbox]], day: float, q: Questions, how: str, extra: bool
) -> list[TrainingSet]:
    """Each ego's list at an earlier moment, labelled by what followed (one group each)."""
    at = float(log.start + int(day * DAY))
    out = []
    for ego, box in boxes:
        if how == "direct":
            found = candidates(box, int(at), int(q.dormant_days * DAY), int(q.horizon_days * DAY))
            keys = [c.key for c in found]
            labels = [c.resumed for c in found]
        else:
            timelines = bt._timelines(ego, box)
            keys = sorted(k for k, tl in timelines.items() if dormant_at(tl, at, q.dormant_days))
            if len(keys) > MAX_PER_MOMENT:
                keys = sorted(random.Random(int(at)).sample(keys, MAX_PER_MOMENT))
            labels = [timelines[k].resumed(at, q.horizon_days) for k in keys]
        if not any(labels) or all(labels):
            continue
        x = features(box, ego, keys, at, q.horizon_days, extra)
        out.append(TrainingSet(x, np.asarray(labels, dtype=float), [len(keys)]))
    return out


def score_lists(fitted: Any, lists: Sequence[List]) -> list[float]:
    return [ndcg(ranked_labels(list(fitted(x, p)), list(y)), 10) for _, x, y, p, _ in lists]


def inner_choice(
    menu: dict[str, Variant],
    past: dict[float, list[TrainingSet]],
    cutoff: float,
    h: float,
    prior_w: np.ndarray,
) -> str:
    """The variant with the best NDCG@10 on the latest six known moments' lists."""
    days = sorted(d for d in past if d + h <= cutoff)[-6:]
    got: dict[str, list[float]] = {n: [] for n in menu}
    for d in days:
        train = bt.pool([s for e in past if e + h <= d for s in past[e]])
        if train.positives < 30:
            continue
        lists: list[List] = [
            (0, s.x, s.y > 0, s.x[:, : len(prior_w)] @ prior_w, []) for s in past[d] if s.positives
        ]
        for name, variant in menu.items():
            got[name].extend(score_lists(variant(train), lists))
    means = {n: mean(v) for n, v in got.items() if v}
    return max(means, key=lambda n: means[n]) if means else next(iter(menu))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("log", type=Path)
    parser.add_argument("--dormant-days", type=int, default=45)
    parser.add_argument("--horizon-days", type=int, default=45)
    parser.add_argument("--validation", default="110,130,150", help="cutoffs to choose on")
    parser.add_argument("--test", default="200,225", help="cutoffs to read once")
    parser.add_argument("--step-days", type=float, default=5, help="days between moments")
    parser.add_argument("--rows", choices=("product", "direct"), default="product")
    parser.add_argument("--extra", action="store_true", help="add the lab's extra features")
    parser.add_argument("--inner", action="store_true", help="add the inner-validated choice")
    parser.add_argument("--only", default="", help="comma-separated variant names (prefixes)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    weights = default_weights()
    prior_w = np.asarray([weights[n] for n in TIE_PARTS])
    started = time.perf_counter()
    log = read_log(args.log)
    boxes = list(mailboxes(log, 4))
    sets = {
        "validation": [float(c) for c in args.validation.split(",") if c.strip()],
        "test": [float(c) for c in args.test.split(",") if c.strip()],
    }
    cutoffs = sorted({c for cs in sets.values() for c in cs})
    h, d = args.horizon_days, args.dormant_days
    q = Questions(d, h, args.step_days)
    lists = {c: test_lists(log, boxes, c, d, h, args.extra) for c in cutoffs}
    past: dict[float, list[TrainingSet]] = {}
    day = max(cutoffs) - h
    while day >= d:
        past[day] = moment_rows(log, boxes, day, q, args.rows, args.extra)
        day -= args.step_days
    menu = variants(args.extra)
    if args.only:
        wanted = [w.strip() for w in args.only.split(",")]
        menu = {n: v for n, v in menu.items() if any(n.startswith(w) for w in wanted)}
    got: dict[str, dict[float, list[float]]] = {n: {} for n in menu}
    chosen: dict[float, str] = {}
    decayed = {}
    for c in cutoffs:
        train = bt.pool([s for e in past if e + h <= c for s in past[e]])
        decayed[c] = [ndcg(ranked_labels(dec, list(y)), 10) for _, _, y, _, dec in lists[c]]
        for name, variant in menu.items():
            got[name][c] = score_lists(variant(train), lists[c])
        if args.inner:
            chosen[c] = inner_choice(menu, past, c, h, prior_w)
    if args.inner:
        got["inner-validated choice"] = {c: got[chosen[c]][c] for c in cutoffs}
    report: dict[str, Any] = {
        part: {name: summary(got[name], decayed, cs) for name in got} for part, cs in sets.items()
    }
    report["chosen"] = {f"{c:g}": n for c, n in chosen.items()}
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(
        f"{args.log.name}: D={d} H={h}, rows {args.rows}, moments every {args.step_days:g} "
        f"days{', extra features' if args.extra else ''}"
    )
    for part, cs in sets.items():
        print(f"\n{part} cutoffs {','.join(f'{c:g}' for c in cs)}")
        for name, s in report[part].items():
            per = " ".join(f"{v:.4f}" for v in s["per_cutoff"])
            print(
                f"  {name:<44} {s['mean']:.4f} ({per})  lift {s['lift']:+.4f} "
                f"[{s['ci'][0]:+.4f}, {s['ci'][1]:+.4f}]"
            )
    if chosen:
        print("\ninner choice: " + ", ".join(f"{c:g}: {n}" for c, n in chosen.items()))
    print(f"\n({time.perf_counter() - started:.1f} s)")
    return 0


def summary(
    got: dict[float, list[float]], decayed: dict[float, list[float]], cutoffs: Sequence[float]
) -> dict[str, Any]:
    per = [mean(got[c]) for c in cutoffs]
    base = mean([mean(decayed[c]) for c in cutoffs])
    ci = paired_bootstrap(
        [v for c in cutoffs for v in got[c]], [v for c in cutoffs for v in decayed[c]]
    )
    return {
        "mean": round(mean(per), 4),
        "per_cutoff": [round(v, 4) for v in per],
        "lift": round(mean(per) - base, 4),
        "ci": [round(v, 4) for v in ci],
    }


if __name__ == "__main__":
    raise SystemExit(main())
