"""The goal matched with everyone at once (pure), in array operations: the words and meaning of
:mod:`rekindle.engine.goal_match` over the whole network.

Each person's pieces (organisation, title, tags, notes, field, the subjects of your mail with
them) are numbered once across the network: a piece's goal words are found once and its
meaning compared with the goal once, however many people share it (an employer, a thread).
A person's goal words are those of their pieces; a goal word's weight counts the people of the
whole network who have it (inverse document frequency), and their nearest piece by meaning is
the one with the highest cosine. So the plan knows everyone's goal match before it picks whom
to look at closely, and the match does not depend on whom it picked.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from rekindle.engine.goal_match import (
    NO_MEANING,
    GoalMatch,
    goal_alternatives,
    goal_sentence,
    meaning_value,
    stems_of,
    word_share,
)
from rekindle.history.mail_subjects import Subjects

if TYPE_CHECKING:
    from rekindle.engine.meaning import TextVectors


class GoalColumns:
    """Everyone's goal match: the better of their goal words (weighed by how few people have
    each) and the meaning of their piece nearest the goal (:meth:`match`)."""

    def __init__(
        self,
        people: Sequence[int],
        own: Callable[[int], Iterable[str]],
        subjects: Subjects | None,
        goal: str,
        terms: Sequence[str],
        vectors: TextVectors | None,
    ) -> None:
        self.terms = list(terms)
        self._alternatives = goal_alternatives(goal, self.terms)
        self._row = {pid: i for i, pid in enumerate(people)}
        self.texts, self._starts, self._codes = _pieces(people, own, subjects)
        #: per piece, which goal words it has (a row of booleans)
        self._hits = _piece_hits(self.texts, self.terms)
        #: per piece, its cosine with the goal (None: no model, or no goal to read)
        self._cosines = _piece_cosines(self.texts, goal, vectors)
        ends = np.r_[self._starts[1:], len(self._codes)]
        has = self._starts < ends
        self._person_hits = np.zeros((len(people), len(self.terms)), dtype=bool)
        self._best = np.full(len(people), -np.inf, dtype=np.float64)
        if len(self._codes) and len(self.terms):
            per_piece = self._hits[self._codes].astype(np.uint8)
            self._person_hits[has] = np.maximum.reduceat(per_piece, self._starts[has]) > 0
        if self._cosines is not None and len(self._codes):
            self._best[has] = np.maximum.reduceat(
                self._cosines[self._codes].astype(np.float64), self._starts[has]
            )
        n = max(1, len(people))
        df = self._person_hits.sum(axis=0).tolist()
        self._idf = [math.log(1.0 + n / (1.0 + d)) for d in df]

    def match(self, person_id: int, terms: Sequence[str]) -> GoalMatch:
        """The better of the word match and the meaning match (words named, or the piece)."""
        if list(terms) != self.terms:
            raise ValueError("matched with other goal words than the ones it was built for")
        row = self._row.get(person_id)
        if row is None or not self.terms:
            return GoalMatch(0.0, ())
        has = self._person_hits[row].tolist()
        by_words = GoalMatch(
            word_share(self._idf, has, self._alternatives),
            tuple(t for t, h in zip(self.terms, has, strict=True) if h),
        )
        if self._best[row] <= NO_MEANING:
            return by_words
        cosine, piece = self._nearest(row)
        by_meaning = meaning_value(cosine)
        if by_meaning > by_words.value:
            return GoalMatch(by_meaning, by_words.matched, piece)
        return by_words

    def everyone(self) -> tuple[list[float], Any, list[int]]:
        """What :meth:`match` gives each person, in the order of the people, at once: (the
        values, the goal words each has as a row of booleans, the code in :attr:`texts` of
        the piece by whose meaning they match, -1 when they match by words)."""
        n = len(self._best)
        # a word match's value as match() adds it up, once per distinct set of words
        patterns, which = np.unique(self._person_hits, axis=0, return_inverse=True)
        by_pattern = [word_share(self._idf, row, self._alternatives) for row in patterns.tolist()]
        values = [by_pattern[k] for k in np.asarray(which).reshape(-1).tolist()]
        meant = [-1] * n
        if not self.terms or self._cosines is None or not len(self._codes):
            return ([0.0] * n if not self.terms else values), self._person_hits, meant
        # each person's first piece of the highest cosine (the nearest, as _nearest finds it)
        counts = np.diff(np.r_[self._starts, len(self._codes)])
        owner = np.repeat(np.arange(n), counts)
        at_best = np.flatnonzero(self._cosines[self._codes].astype(np.float64) == self._best[owner])
        rows, first = np.unique(owner[at_best], return_index=True)
        nearest = dict(zip(rows.tolist(), self._codes[at_best[first]].tolist(), strict=True))
        for row, best in enumerate(self._best.tolist()):
            if best > NO_MEANING:
                by_meaning = meaning_value(best)
                if by_meaning > values[row]:
                    values[row], meant[row] = by_meaning, nearest[row]
        return values, self._person_hits, meant

    def _nearest(self, row: int) -> tuple[float, str]:
        """(cosine, piece) of the person's first piece nearest the goal."""
        assert self._cosines is not None
        end = int(self._starts[row + 1]) if row + 1 < len(self._starts) else len(self._codes)
        best, piece = NO_MEANING, ""
        for code in self._codes[int(self._starts[row]) : end].tolist():
            cosine = float(self._cosines[code])
            if cosine > best:
                best, piece = cosine, self.texts[code]
        return best, piece


def _pieces(
    people: Sequence[int], own: Callable[[int], Iterable[str]], subjects: Subjects | None
) -> tuple[list[str], Any, Any]:
    """(each piece once across the network, where each person's pieces start, the pieces as
    numbers): a person's own words first, then their subjects."""
    number: dict[str, int] = {}
    rows: list[int] = []
    codes: list[int] = []
    for i, pid in enumerate(people):
        for text in own(pid):
            piece = text.strip() if text else ""
            if piece:
                rows.append(i)
                codes.append(number.setdefault(piece, len(number)))
    row = np.asarray(rows, dtype=np.int64)
    code = np.asarray(codes, dtype=np.int64)
    if subjects is not None and len(subjects.codes):
        known = np.asarray(people, dtype=np.int64)
        at = np.searchsorted(known, subjects.person)
        inside = at < len(known)
        inside[inside] = known[at[inside]] == subjects.person[inside]
        counts = np.diff(np.r_[0, subjects.ends])
        their = np.repeat(np.where(inside, at, -1), counts)
        mapped = np.asarray(
            [
                number.setdefault(t.strip(), len(number)) if t.strip() else -1
                for t in subjects.texts
            ],
            dtype=np.int64,
        )[subjects.codes]
        kept = (their >= 0) & (mapped >= 0)
        row = np.r_[row, their[kept]]
        code = np.r_[code, mapped[kept]]
    # each person's pieces together, in the order given (a piece twice changes nothing: its
    # words count once, and the nearest piece is the first of the nearest)
    order = np.argsort(row, kind="stable")
    row, code = row[order], code[order]
    starts = np.searchsorted(row, np.arange(len(people)))
    return list(number), starts, code


def _piece_hits(texts: Sequence[str], terms: Sequence[str]) -> Any:
    """Per piece, which of the goal words it has (a stem is the start of a word, so only a
    piece that holds it as text can have it)."""
    hits = np.zeros((len(texts), len(terms)), dtype=bool)
    if not terms:
        return hits
    for i, text in enumerate(texts):
        low = text.casefold()
        if any(t in low for t in terms):
            stems = stems_of(text)
            hits[i] = [t in stems for t in terms]
    return hits


def _piece_cosines(texts: Sequence[str], goal: str, vectors: TextVectors | None) -> Any | None:
    if vectors is None or not goal.strip() or not texts:
        return None
    return vectors.embed(list(texts)) @ vectors.embed([goal_sentence(goal)])[0]
