"""Fellegi–Sunter matching: how much each level of agreement is worth, learnt from the data.

For every field of :data:`~rekindle.identity.evidence.FIELDS` and every level, ``u`` is the
chance that two *different* people agree at that level and ``m`` the chance that two records
of *one* person do. ``u`` is counted on random pairs of the user's own persons (two
strangers picked at random share a birthday about once in 10,000 draws); ``m`` and the share
of true matches among the compared pairs are learnt by expectation–maximisation over the
compared pairs, with ``u`` held fixed. A pair's match weight is the sum over fields of
``log2(m / u)`` (an unknown field adds nothing), plus a term-frequency adjustment: an exact
family or given name counts for more when few persons carry it and less when many do. The
weight plus the prior odds gives a calibrated match probability. With too few pairs to learn
from, or when EM finds no group of pairs agreeing more than strangers do (an address book
without duplicates), the usual ``m`` and the random pairs' ``u`` are used instead.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rekindle.identity.evidence import FAMILY, FIELDS, GIVEN, LEVELS, compare
from rekindle.identity.facts import Facts, Frequencies

__all__ = ["Model", "train"]

#: random pairs counted for ``u``; EM rounds; the smallest probability any level gets
U_SAMPLES = 20_000
EM_ROUNDS = 25
#: fewer compared pairs than this: not enough to learn from, the usual m is used
MIN_PAIRS = 200
FLOOR = 1e-5
#: how much more likely each level is for one person than the next-lower one, to start EM
_START_M = {2: (0.1, 0.9), 3: (0.05, 0.15, 0.8), 4: (0.03, 0.07, 0.15, 0.75)}
#: a term-frequency adjustment moves a weight by at most this many bits either way
TF_CAP = 6.0

Levels = tuple[int, ...]


@dataclass(slots=True)
class Model:
    """Learnt m and u per field and level, the prior share of matches, name counts."""

    m: list[list[float]]
    u: list[list[float]]
    #: u among random pairs (the term-frequency adjustments are relative to it)
    random_u: list[list[float]]
    prior: float
    freq: Frequencies
    persons: int

    def weight(self, levels: Levels) -> float:
        """log2 of the likelihood ratio of one comparison, without name frequencies."""
        total = 0.0
        for f, level in enumerate(levels):
            if level >= 0:
                total += math.log2(self.m[f][level] / self.u[f][level])
        return total

    def tf_adjustment(self, levels: Levels, a: Facts, b: Facts) -> float:
        """Bits to add for an exact name match on a rare name, or take off for a common one."""
        if not a.names or not b.names or self.persons < 50:
            return 0.0
        adjust = 0.0
        x, y = a.names[0], b.names[0]
        pairs = ((FAMILY, x.family_key, y.family_key, self.freq.family),
                 (GIVEN, x.first, y.first, self.freq.given))  # fmt: skip
        for f, p, q, counter in pairs:
            if levels[f] == 3 and p == q and p:
                share = max(counter[p], 1) / self.persons
                delta = math.log2(self.random_u[f][3] / max(share, FLOOR))
                adjust += max(-TF_CAP, min(TF_CAP, delta))
        return adjust

    def probability(self, levels: Levels, a: Facts, b: Facts) -> float:
        odds = math.log2(self.prior / (1 - self.prior))
        bits = odds + self.weight(levels) + self.tf_adjustment(levels, a, b)
        if bits > 60:
            return 1.0
        return 1.0 / (1.0 + 2.0 ** (-bits))


def _u_counts(facts: Sequence[Facts], rng: random.Random) -> list[list[float]]:
    n = len(facts)
    counts = [[0.5] * k for k in LEVELS]  # a half count: no level is ever impossible
    if n < 2:
        return [[c / sum(row) for c in row] for row in counts]
    for _ in range(min(U_SAMPLES, n * (n - 1) // 2)):
        i, j = rng.randrange(n), rng.randrange(n)
        if i == j:
            continue
        for f, level in enumerate(compare(facts[i], facts[j]).levels):
            if level >= 0:
                counts[f][level] += 1
    return [[c / sum(row) for c in row] for row in counts]


def _em(
    patterns: Counter[Levels], u: list[list[float]], prior: float
) -> tuple[list[list[float]], list[list[float]], float]:
    """(m, u, share of matches) among the compared pairs.

    Compared pairs were chosen for agreeing on something, so the strangers among them agree
    far more often than random pairs: ``u`` starts from the random pairs but is learnt too.
    """
    m = [list(_START_M[k]) for k in LEVELS]
    u = [list(row) for row in u]
    total = sum(patterns.values())
    if not total:
        return m, u, prior
    items = list(patterns.items())
    for _ in range(EM_ROUNDS):
        mass_m = [[0.5] * k for k in LEVELS]  # a half count: no level is impossible
        mass_u = [[0.5] * k for k in LEVELS]
        matched = 0.0
        for levels, count in items:
            lm, lu = prior, 1.0 - prior
            for f, level in enumerate(levels):
                if level >= 0:
                    lm *= m[f][level]
                    lu *= u[f][level]
            w = lm / (lm + lu) if lm + lu > 0 else 0.0
            matched += count * w
            for f, level in enumerate(levels):
                if level >= 0:
                    mass_m[f][level] += count * w
                    mass_u[f][level] += count * (1.0 - w)
        prior = min(max(matched / total, 1e-6), 0.999)
        m = [[max(c / sum(row), FLOOR) for c in row] for row in mass_m]
        u = [[max(c / sum(row), FLOOR) for c in row] for row in mass_u]
    return m, u, prior


def _plausible(m: list[list[float]], u: list[list[float]]) -> bool:
    """True when the learnt matches disagree on every field less often than the rest."""
    return all(mf[0] < uf[0] for mf, uf in zip(m, u, strict=True) if mf[0] != uf[0])


def train(facts: Sequence[Facts], compared: Counter[Levels], freq: Frequencies) -> Model:
    """A model for these persons: ``u`` from random pairs, ``m`` by EM over ``compared``
    (how often each pattern of levels occurred among the pairs that blocking compared)."""
    random_u = _u_counts(facts, random.Random(len(facts)))
    m, u, prior = _em(compared, random_u, 0.05)
    if sum(compared.values()) < MIN_PAIRS or not _plausible(m, u):
        # too little to learn from, or no group of pairs that agrees more than strangers
        # do (an address book without duplicates): usual m, u of random pairs, and the
        # chance that two random persons are one
        m, u = [list(_START_M[k]) for k in LEVELS], random_u
        prior = 1.0 / max(len(facts), 2)
    if len(FIELDS) != len(m):  # pragma: no cover - a field added without its levels
        raise AssertionError("FIELDS and LEVELS disagree")
    return Model(m, u, random_u, prior, freq, len(facts))
