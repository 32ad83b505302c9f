"""Ranking metrics per ego (NDCG@k, P@k, ROC-AUC) and a paired bootstrap over egos."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence


def ranked_labels(scores: Sequence[float], labels: Sequence[bool]) -> list[bool]:
    """Labels in ranking order: highest score first, ties kept in candidate order."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    return [labels[i] for i in order]


def ndcg(ranked: Sequence[bool], k: int = 10) -> float:
    dcg = sum(1.0 / math.log2(i + 2) for i, hit in enumerate(ranked[:k]) if hit)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(k, sum(ranked))))
    return dcg / ideal if ideal else 0.0


def precision_at(ranked: Sequence[bool], k: int = 5) -> float:
    top = ranked[:k]
    return sum(top) / len(top) if top else 0.0


def auc(scores: Sequence[float], labels: Sequence[bool]) -> float | None:
    """Probability that a random positive outranks a random negative (ties count half)."""
    pos = [s for s, lab in zip(scores, labels, strict=True) if lab]
    neg = [s for s, lab in zip(scores, labels, strict=True) if not lab]
    if not pos or not neg:
        return None
    ordered = sorted((s, lab) for s, lab in zip(scores, labels, strict=True))
    # rank sum with average ranks for ties
    rank_sum = 0.0
    i = 0
    while i < len(ordered):
        j = i
        while j < len(ordered) and ordered[j][0] == ordered[i][0]:
            j += 1
        average = (i + j + 1) / 2.0
        rank_sum += average * sum(1 for _, lab in ordered[i:j] if lab)
        i = j
    return (rank_sum - len(pos) * (len(pos) + 1) / 2.0) / (len(pos) * len(neg))


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def paired_bootstrap(
    a: Sequence[float], b: Sequence[float], rounds: int = 2000, seed: int = 7
) -> tuple[float, float]:
    """95% interval of mean(a - b) when egos are resampled with replacement."""
    diffs = [x - y for x, y in zip(a, b, strict=True)]
    if not diffs:
        return (float("nan"), float("nan"))
    rng = random.Random(seed)
    n = len(diffs)
    means = sorted(sum(diffs[rng.randrange(n)] for _ in range(n)) / n for _ in range(rounds))
    return means[int(0.025 * rounds)], means[int(0.975 * rounds) - 1]
