"""How relevant a person is to the user's current goal: by words and by meaning (pure).

The goal ("find a product role in fintech") and each person's text (organisation, title,
department, tags, notes, the subjects of your mail) are cut into words; goal words common across
the whole network count less (inverse document frequency), and filler words ("find", "role", "a")
not at all. Words match on a shared stem, so "product" finds "Products" and "fintech" finds
"FinTech".

Words miss what is said otherwise: "teaching" does not find a person tagged "education". So each
piece of a person's text is also compared by meaning with the goal (``engine/meaning.py``): the
piece nearest the goal gives the person's meaning match, and the reason quotes that piece.
The whole network is matched at once by :mod:`rekindle.engine.goal_columns`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

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
        # what the user is doing, not whom it concerns ("moving to Berlin", "job hunting in
        # robotics"): "moving" would otherwise find a subject "Moving day help"
        "moving",
        "move",
        "relocating",
        "relocate",
        "hunting",
        "hunt",
        "seeking",
        "seek",
        "searching",
        "search",
        "exploring",
        "explore",
        "switching",
        "switch",
        "changing",
        "change",
        "next",
        "jobs",
        "roles",
        "opportunity",
        "opportunities",
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


@lru_cache(maxsize=1 << 16)
def stems_of(text: str) -> frozenset[str]:
    """The stems of a piece of text (remembered: a network repeats its employers, tags and
    subjects)."""
    return frozenset(stem(w) for w in words(text))


def goal_terms(goal: str) -> list[str]:
    return list(dict.fromkeys(stem(w) for w in words(goal) if w not in FILLER and len(w) > 1))


#: what separates alternatives in a goal: "payments / banking", "design, UX or research"
_ALTERNATIVES = re.compile(r"[/|,;]|\bor\b", re.IGNORECASE)


def goal_alternatives(goal: str, terms: Sequence[str]) -> list[list[int]]:
    """The goal's alternatives, each as the positions in ``terms`` (:func:`goal_terms` of the
    goal) of its words: "payments / banking" is two (either fits the goal fully), "robotics
    startup in Berlin" one (the more of its words, the better the fit)."""
    where = {t: i for i, t in enumerate(terms)}
    groups = [
        sorted({where[t] for t in goal_terms(part) if t in where})
        for part in _ALTERNATIVES.split(goal)
    ]
    groups = [g for g in groups if g]
    return groups if len(groups) > 1 else [list(range(len(terms)))]


def word_share(
    weights: Sequence[float], has: Sequence[bool], groups: Sequence[Sequence[int]]
) -> float:
    """A word match's value: of the goal's alternatives, the best share of its words' weight
    that the person has."""
    best = 0.0
    for group in groups:
        total = sum(weights[i] for i in group)
        if total:
            best = max(best, sum(weights[i] for i in group if has[i]) / total)
    return best


#: a cosine at or below this is no match by meaning; at or above FULL_MEANING a full one
#: (measured on the sample network: unrelated pieces sit below 0.2, "education" for "teaching"
#: at 0.54, "healthcare" for "health care" at 0.87)
NO_MEANING = 0.3
FULL_MEANING = 0.65


def meaning_value(cosine: float) -> float:
    """A cosine of a piece and the goal as a goal match in [0, 1]."""
    return min(1.0, max(0.0, (cosine - NO_MEANING) / (FULL_MEANING - NO_MEANING)))


def goal_sentence(goal: str) -> str:
    """The goal as read for meaning: its filler words ("find", "job", "in") dropped."""
    kept = [w for w in words(goal) if w not in FILLER]
    return " ".join(kept) or goal


@dataclass(frozen=True, slots=True)
class GoalMatch:
    value: float
    matched: tuple[str, ...]
    #: the piece of the person's text nearest the goal by meaning, when that is a match
    meant: str | None = None


class GoalMatcher(Protocol):
    """Everyone's match with one goal (``GoalColumns``, or ``KeptGoal`` read back)."""

    def match(self, person_id: int, terms: Sequence[str]) -> GoalMatch: ...
