"""Probabilistic linkage of persons who carry a birthday or a postal address.

Blocking (:mod:`rekindle.identity.suggest`) hands over the compared pairs; :func:`weigh`
learns a Fellegi–Sunter model from them and the user's persons
(:mod:`rekindle.identity.fellegi_sunter`) and turns each pair's match probability into a
:class:`~rekindle.identity.profile.Suggestion`: at or above :data:`AUTO` with evidence
beyond the name, it is marked ``automatic`` (the importer merges it); from the caller's
``min_score`` up it is a suggestion, its reasons the evidence in words.
:func:`plan_merges` groups the automatic pairs without building long chains.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rekindle.identity.evidence import (
    BIRTHDAY,
    EMAIL,
    PHONE,
    POSTCODE,
    STREET,
    TOWN,
    Comparison,
    describe,
)
from rekindle.identity.facts import Facts, Frequencies
from rekindle.identity.fellegi_sunter import train
from rekindle.identity.profile import Suggestion

__all__ = ["AUTO", "MAX_GROUP", "has_place", "plan_merges", "weigh"]

#: a match probability at or above this merges without asking
AUTO = 0.99
#: automatic merges never make a person of more than this many persons
MAX_GROUP = 8
RULE = "probabilistic"


def has_place(a: Facts, b: Facts) -> bool:
    """True when both know a birthday or both a postal address: the model weighs them."""
    if a.is_organisation or b.is_organisation:
        return False
    return bool(a.birthdays and b.birthdays) or bool(a.places and b.places)


def _beyond_name(levels: tuple[int, ...]) -> bool:
    """Evidence other than the name that speaks for one person and none against.

    Different birthdays never merge without asking, however alike the rest: a father and
    son of one name at one address are two people (FEBRL's typos in birthdays then wait
    for a confirmation; the probability still ranks them first).
    """
    if any(levels[f] == 0 for f in (BIRTHDAY, PHONE)):
        return False
    address = (
        levels[STREET] >= 2
        and (levels[POSTCODE] >= 1 or levels[TOWN] >= 1)
        or (levels[STREET] == 1 and levels[POSTCODE] == 2 and levels[TOWN] == 2)
    )
    return levels[BIRTHDAY] >= 2 or address or levels[PHONE] == 1 or levels[EMAIL] == 1


def weigh(
    order: Sequence[int],
    facts: Sequence[Facts],
    freq: Frequencies,
    pairs: Sequence[tuple[int, int, Comparison]],
    min_score: float,
) -> list[Suggestion]:
    """Suggestions for compared pairs ``(rank, rank, comparison)`` of persons ``order``."""
    if not pairs:
        return []
    model = train(facts, Counter(c.levels for _, _, c in pairs), freq)
    out = []
    for lo, hi, c in pairs:
        p = model.probability(c.levels, facts[lo], facts[hi])
        if p < min_score:
            continue
        automatic = p >= AUTO and _beyond_name(c.levels)
        reasons = describe(c, facts[lo], facts[hi], p)
        out.append(Suggestion(order[lo], order[hi], round(p, 4), RULE, reasons, automatic))
    return out


def plan_merges(suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    """The automatic suggestions to carry out, best first, so that no group grows past
    :data:`MAX_GROUP` persons (a chain of look-alikes stays a chain of suggestions)."""
    parent: dict[int, int] = {}
    size: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    chosen = []
    for s in sorted((s for s in suggestions if s.automatic), key=lambda s: (-s.score, s.a, s.b)):
        ra, rb = find(s.a), find(s.b)
        if ra == rb:
            continue
        if size.get(ra, 1) + size.get(rb, 1) > MAX_GROUP:
            continue
        parent[rb] = ra
        size[ra] = size.get(ra, 1) + size.get(rb, 1)
        chosen.append(s)
    return chosen
