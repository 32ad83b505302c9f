"""Benchmark identity resolution on a seeded contact set with known truth.

    python bench/dedupe.py [--records 100000] [--seed 7] [--region US] [--json]

Runs every record through ``profile_from_record`` and a :class:`Resolver` as an import
pipeline would (resolve, merge what ``also_merge`` names, register), then asks for merge
suggestions, and compares the outcome with the truth: pairwise precision and recall over
record pairs placed in one person, suggestion precision, recall of automatic merges plus
suggestions, time and memory. A naive baseline (records that share an exact lower-cased
email address, union-find) runs on the same set for comparison.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from dedupe_data import generate  # noqa: E402

from rekindle.identity.linkage import plan_merges  # noqa: E402
from rekindle.identity.matching import Resolver, Suggestion, profile_from_record  # noqa: E402
from rekindle.identity.records import ContactRecord  # noqa: E402

TARGET_PRECISION = 0.995
TARGET_RECALL = 0.95
TARGET_SECONDS = 60.0


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise(groups: Sequence[Sequence[int]], truth: dict[int, int]) -> tuple[int, int, int]:
    """(predicted pairs, correct pairs, true pairs) for a partition of record indexes."""
    predicted = sum(_pairs(len(g)) for g in groups)
    correct = sum(_pairs(c) for g in groups for c in Counter(truth[i] for i in g).values() if c > 1)
    true = sum(_pairs(c) for c in Counter(truth.values()).values())
    return predicted, correct, true


def run_resolver(
    records: list[ContactRecord], region: str | None
) -> tuple[Resolver, dict[int, list[int]], dict[str, int], float]:
    """Resolve every record as an importer pipeline would; (resolver, persons, rules, s)."""
    start = time.perf_counter()
    resolver = Resolver()
    members: dict[int, list[int]] = {}
    rules: Counter[str] = Counter()
    next_id = 1
    for i, record in enumerate(records):
        profile = profile_from_record(record, region)
        res = resolver.resolve(profile)
        rules[res.rule] += 1
        if res.person_id is None:
            pid, next_id = next_id, next_id + 1
            members[pid] = []
        else:
            pid = res.person_id
            for other in res.also_merge:
                members[pid].extend(members.pop(other))
                resolver.merged(other, pid)
        members[pid].append(i)
        resolver.register(pid, profile)
    return resolver, members, dict(rules), time.perf_counter() - start


def apply_automatic(
    suggestions: list[Suggestion], members: dict[int, list[int]], rules: dict[str, int]
) -> list[Suggestion]:
    """Merge what the importer merges without asking; the suggestions left to review."""
    into: dict[int, int] = {}

    def kept(pid: int) -> int:
        while pid in into:
            pid = into[pid]
        return pid

    for s in plan_merges(suggestions):
        keep, other = sorted((kept(s.a), kept(s.b)))
        if keep != other:
            members[keep].extend(members.pop(other))
            into[other] = keep
            rules[s.rule] = rules.get(s.rule, 0) + 1
    rest = []
    for s in suggestions:
        a, b = kept(s.a), kept(s.b)
        if a != b:
            rest.append(Suggestion(min(a, b), max(a, b), s.score, s.rule, s.reasons))
    return rest


def run_baseline(records: list[ContactRecord]) -> tuple[list[list[int]], float]:
    """Naive: union records sharing an exact lower-cased email address."""
    start = time.perf_counter()
    parent = list(range(len(records)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[str, int] = {}
    for i, record in enumerate(records):
        for ident in record.identities:
            if ident.kind == "email":
                key = ident.value.strip().lower()
                if key in owner:
                    parent[find(i)] = find(owner[key])
                else:
                    owner[key] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(records)):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values()), time.perf_counter() - start


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--region", default="US", help="default phone region ('' for none)")
    parser.add_argument("--min-score", type=float, default=0.45)
    parser.add_argument("--json", action="store_true", help="print figures as JSON")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    records, truth = generate(args.records, args.seed)
    gen_s = time.perf_counter() - t0
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    resolver, members, rules, resolve_s = run_resolver(records, args.region or None)
    t1 = time.perf_counter()
    suggestions = apply_automatic(resolver.suggestions(min_score=args.min_score), members, rules)
    suggest_s = time.perf_counter() - t1
    total_s = resolve_s + suggest_s
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    predicted, correct, true = pairwise(list(members.values()), truth)
    majority = {
        pid: Counter(truth[i] for i in g).most_common(1)[0][0] for pid, g in members.items()
    }
    good = [s for s in suggestions if majority[s.a] == majority[s.b]]
    suggested_pairs = sum(
        1 for s in suggestions for i in members[s.a] for j in members[s.b] if truth[i] == truth[j]
    )
    bands = {}
    for lo, hi in ((0.8, 1.01), (0.6, 0.8), (0.0, 0.6)):
        band = [s for s in suggestions if lo <= s.score < hi]
        ok = sum(1 for s in band if majority[s.a] == majority[s.b])
        bands[f"{lo:.1f}-{min(hi, 1.0):.1f}"] = {
            "suggestions": len(band),
            "precision": round(ok / len(band), 4) if band else None,
        }
    base_groups, base_s = run_baseline(records)
    b_pred, b_correct, _ = pairwise(base_groups, truth)

    auto_precision = round(correct / predicted, 5) if predicted else 1.0
    recall_all = round((correct + suggested_pairs) / true, 5)
    figures: dict[str, Any] = {
        "records": len(records),
        "true_persons": len(set(truth.values())),
        "true_pairs": true,
        "persons_after_auto_merge": len(members),
        "auto_precision": auto_precision,
        "auto_recall": round(correct / true, 5),
        "suggestions": len(suggestions),
        "suggestion_precision": round(_ratio(len(good), len(suggestions)), 5)
        if suggestions
        else 1.0,
        "suggestions_by_score": bands,
        "auto_plus_suggested_recall": recall_all,
        "rules": rules,
        "generate_s": round(gen_s, 2),
        "resolve_s": round(resolve_s, 2),
        "suggest_s": round(suggest_s, 2),
        "total_s": round(total_s, 2),
        "records_per_s": round(len(records) / total_s),
        "peak_rss_mb": round(rss_after / 1024, 1),
        "rss_growth_mb": round((rss_after - rss_before) / 1024, 1),
        "baseline": {
            "name": "exact lower-cased email, union-find",
            "precision": round(_ratio(b_correct, b_pred), 5) if b_pred else 1.0,
            "recall": round(b_correct / true, 5),
            "time_s": round(base_s, 3),
        },
    }
    figures["ratio_vs_baseline"] = {
        "recall": round(_ratio(recall_all, b_correct / true), 2),
        "time": round(_ratio(total_s, base_s), 1),
    }
    checks = {
        "auto_precision>=0.995": auto_precision >= TARGET_PRECISION,
        "auto+suggested_recall>=0.95": recall_all >= TARGET_RECALL,
        f"total_s<{TARGET_SECONDS:.0f}": total_s < TARGET_SECONDS,
    }
    figures["targets_met"] = checks
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        _print(figures)
    return 0 if all(checks.values()) else 1


def _print(f: dict[str, Any]) -> None:
    b = f["baseline"]
    lines = [
        f"records                      {f['records']:>10,}",
        f"true persons                 {f['true_persons']:>10,}   ({f['true_pairs']:,} true pairs)",
        f"persons after auto merges    {f['persons_after_auto_merge']:>10,}",
        f"auto-merge precision         {f['auto_precision']:>10.4f}",
        f"auto-merge recall            {f['auto_recall']:>10.4f}",
        f"suggestions                  {f['suggestions']:>10,}",
        f"suggestion precision         {f['suggestion_precision']:>10.4f}",
        *(
            f"  score {band}: {v['suggestions']:>8,} suggestions, precision "
            + (f"{v['precision']:.4f}" if v["precision"] is not None else "-")
            for band, v in f["suggestions_by_score"].items()
        ),
        f"auto + suggested recall      {f['auto_plus_suggested_recall']:>10.4f}",
        f"rules                        {f['rules']}",
        f"time: resolve {f['resolve_s']:.2f} s + suggest {f['suggest_s']:.2f} s = "
        f"{f['total_s']:.2f} s   ({f['records_per_s']:,} records/s; generate {f['generate_s']:.2f} s)",
        f"peak RSS                     {f['peak_rss_mb']:>10.1f} MB "
        f"(+{f['rss_growth_mb']:.1f} MB while resolving)",
        f"baseline ({b['name']}): precision {b['precision']:.4f}, "
        f"recall {b['recall']:.4f}, {b['time_s']:.3f} s",
        f"ratio vs baseline: recall x{f['ratio_vs_baseline']['recall']}, "
        f"time x{f['ratio_vs_baseline']['time']}",
        "targets: "
        + ", ".join(f"{k} {'OK' if v else 'MISSED'}" for k, v in f["targets_met"].items()),
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    raise SystemExit(main())
