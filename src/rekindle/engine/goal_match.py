"""How relevant a person is to the user's current goal: a weighted word match (pure).

The goal ("find a product role in fintech") and each person's text (organisation, title,
department, tags, notes) are cut into words; goal words common across the whole network count
less (inverse document frequency), and filler words ("find", "role", "a") not at all. Words
match on a shared stem, so "product" finds "Products" and "fintech" finds "FinTech".
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_WORD = re.compile(r"[^\W_]+", re.UNICODE)

#: words that say what the user wants to do, not who is relevant
FILLER = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "in",
        "on",
        "at",
        "of",
        "for",
        "to",
        "with",
        "from",
        "by",
        "or",
        "my",
        "our",
        "me",
        "i",
        "we",
        "new",
        "find",
        "get",
        "land",
        "looking",
        "look",
        "want",
        "role",
        "job",
        "position",
        "work",
        "working",
        "career",
        "grow",
        "growing",
        "build",
        "building",
        "start",
        "starting",
        "some",
        "more",
        "people",
        "person",
        "someone",
        "connect",
        "reconnect",
        "help",
        "about",
        "into",
        "as",
        "be",
        "is",
        "are",
    ]
)


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def stem(word: str) -> str:
    """A light stem: enough that plurals and -ing/-ed forms meet."""
    for suffix in ("ing", "ers", "er", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def goal_terms(goal: str) -> list[str]:
    return list(dict.fromkeys(stem(w) for w in words(goal) if w not in FILLER and len(w) > 1))


@dataclass(frozen=True, slots=True)
class GoalMatch:
    value: float
    matched: tuple[str, ...]


class GoalIndex:
    """Each person's stems, and how many people have each (for idf)."""

    def __init__(self, texts: Mapping[int, Iterable[str]]):
        self.stems: dict[int, set[str]] = {
            pid: {stem(w) for t in parts for w in words(t)} for pid, parts in texts.items()
        }
        self.df: Counter[str] = Counter(s for stems in self.stems.values() for s in stems)
        self.n = max(1, len(self.stems))

    def idf(self, term: str) -> float:
        return math.log(1.0 + self.n / (1.0 + self.df.get(term, 0)))

    def match(self, person_id: int, terms: list[str]) -> GoalMatch:
        if not terms:
            return GoalMatch(0.0, ())
        mine = self.stems.get(person_id, set())
        total = sum(self.idf(t) for t in terms)
        hit = [t for t in terms if t in mine]
        return GoalMatch(sum(self.idf(t) for t in hit) / total if total else 0.0, tuple(hit))
