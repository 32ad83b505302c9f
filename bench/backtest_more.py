"""Issue 13 §2, second round: variants of the product's learnt ranker not measured before.

    python bench/backtest_more.py LOG [--validation 110,120,130,140,150] [--test 200,225]
        [--cache bench/out/backtest_more.pkl] [--only NAME,...] [--grid | --single] [--json]

The questions and the online rule of ``bench/backtest_lab.py`` (at cutoff T a variant trains
only on moments whose labels are known: moment + h <= T, for the horizon h of that label).
Every variant starts from the product's own fit (``revival_model.fit``) and changes one thing:

- bagging: LambdaMART over several seeds (subsamples), its scores averaged;
- how strongly the odds multiply the worth: the log-odds scaled by s, the cap on the odds;
- each ego's list weighing once in the logistic regression (rows weighted 1 / list size);
- labels at several horizons: graded (comeback within 30, 45, 60 days: relevance 0..3) or the
  30- and 60-day questions stacked beside the 45-day one as more lists;
- more features (``backtest_more_data.NEW``): contacts over 90/180/365 days, the longest
  silence the tie came back from, my own volume lately against before, conversations with
  people back in touch lately or of the last 14 days;
- monotone constraints in LambdaMART (more past, more comebacks: never worse);
- the rankers fitted on bootstrap samples of the lists; their blend, rounds and ridge;
- boosting from the worth (LambdaMART's init_score) or an offset logistic, instead of odds.

``--grid`` runs every combination of the knobs that led their families on validation;
``--single`` ranks by each feature alone. The lists and rows are built once and kept in
``--cache`` (the slow part); the variants then take a few seconds each
(``backtest_more_variants.py``). Pick on validation, read test once.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import backtest_lab as lab  # noqa: E402
from backtest_metrics import mean, ndcg, paired_bootstrap, ranked_labels  # noqa: E402
from backtest_more_data import NEW, build  # noqa: E402
from backtest_more_variants import grid, menu  # noqa: E402

from rekindle.engine.revival_features import FEATURES  # noqa: E402


def single(lists: dict[float, list], sets: dict[str, list[float]]) -> int:
    """Each feature alone as the ranking, in the direction better on validation."""
    out = []
    for j, name in enumerate((*FEATURES, *NEW)):
        best = None
        for sign in (1.0, -1.0):
            per = {
                part: [
                    mean(
                        [
                            ndcg(ranked_labels(list(sign * it[1][:, j]), list(it[2])), 10)
                            for it in lists[c]
                        ]
                    )
                    for c in cs
                ]
                for part, cs in sets.items()
            }
            if best is None or mean(per["validation"]) > mean(best[1]["validation"]):
                best = (sign, per)
        out.append((mean(best[1]["validation"]), name, best))
    for v, name, (sign, per) in sorted(out, reverse=True):
        print(
            f"{name:<16} {'+' if sign > 0 else '-'}  validation {v:.4f}  "
            f"test {mean(per['test']):.4f}  ({' '.join(f'{x:.3f}' for x in per['test'])})"
        )
    return 0


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
    parser.add_argument(
        "--single", action="store_true", help="each feature alone as the ranking (either sign)"
    )
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
    if args.single:
        return single(lists, sets)
    variants = grid() if args.grid else menu()
    if args.only:
        wanted = [w.strip() for w in args.only.split(",")]
        variants = {n: v for n, v in variants.items() if any(n.startswith(w) for w in wanted)}
    decayed = {c: [ndcg(ranked_labels(it[4], list(it[2])), 10) for it in lists[c]] for c in cutoffs}
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
    base = "product (as shipped)"
    if not args.json and base in got and len(got) > 1:
        test = sets["test"]
        print("\ntest, each variant minus the product (paired bootstrap over egos, 95%):")
        for name in got:
            if name != base:
                a = [v for c in test for v in got[name][c]]
                b = [v for c in test for v in got[base][c]]
                lo, hi = paired_bootstrap(a, b)
                print(f"  {name:<44} {mean(a) - mean(b):+.4f} [{lo:+.4f}, {hi:+.4f}]")
    if args.json:
        report = {
            part: {n: lab.summary(got[n], decayed, cs) for n in got} for part, cs in sets.items()
        }
        print(json.dumps(report, indent=1))
    print(f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
