"""The Rekindle list ranked with the learnt model, with its reason in words (pure).

Each candidate's score keeps its parts (the shipped model's reading of the tie, and the
context: shared past, goal, timing) and gains a ``learnt`` part: the worth of reaching out
(the sum of those parts) times the tie's revival odds, less the worth
(:meth:`rekindle.engine.revival_model.RevivalModel.odds`: how much likelier it is to come
back than the average quiet tie of your history, shrunk towards 1 when the history is
short). A shorter silence counts for what it is, a likelier comeback; the week's picks are
spread across spans of silence afterwards (:func:`rekindle.engine.plan.select`). Its value is the odds less one, its weight the worth, so the total stays the sum of
the contributions and is worth x odds: a goal or an occasion keeps its share of the score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np

from rekindle.engine.plan import Candidate
from rekindle.engine.revival_features import Row, matrix
from rekindle.engine.revival_model import LOGISTIC, RevivalModel
from rekindle.engine.scoring import Part, Score

#: each part the learnt model reads, as a reason it ranked someone up
PART_WORDS = {
    "history": "a long, regular past",
    "circles": "shared conversations with people you talk to now",
    "sightings": "seen on group mail lately",
    "reciprocity": "both of you wrote",
    "replies": "they answered you quickly",
}
#: odds this close to 1 are "as likely as the average quiet tie": no reason given
EVEN = 0.05


def rerank(
    candidates: Sequence[Candidate],
    rows: Mapping[int, Row],
    model: RevivalModel | None,
    names: Mapping[str, str] | None = None,
    known: Mapping[int, float] | None = None,
) -> list[Candidate]:
    """The candidates with the ``learnt`` part (unchanged when the model learnt nothing);
    ``known``: odds already worked out under ``model`` (the week's snapshot keeps them)."""
    if model is None or model.logistic is None or not candidates:
        return list(candidates)
    described = [rows[c.person_id] for c in candidates]
    x = matrix(described)
    known = known or {}
    odds = np.asarray([known.get(c.person_id, np.nan) for c in candidates], dtype=float)
    missing = np.flatnonzero(np.isnan(odds))
    if len(missing):
        odds[missing] = model.odds(x[missing])
    pushes = model.logistic.contributions(x)
    out = []
    for c, row, o, push in zip(candidates, described, odds, pushes, strict=True):
        part = learnt_part(c.score, row, float(o), push, model, names)
        total = round(c.score.total + part.contribution, 6)
        out.append(replace(c, score=Score(total, (*c.score.parts, part))))
    return out


def learnt_part(
    s: Score,
    row: Row,
    odds: float,
    push: np.ndarray,
    model: RevivalModel,
    names: Mapping[str, str] | None = None,
) -> Part:
    """The ``learnt`` part of a score: the worth times the odds, less the worth."""
    worth = sum(p.contribution for p in s.parts if p.name != "learnt")
    return Part(
        "learnt", round(odds - 1.0, 4), round(worth, 4), learnt_words(row, push, model, names, odds)
    )


def _times(n: int) -> str:
    return "a silence" if n == 1 else f"{n} silences"


#: said of the learnt reason when it names the people you talk to now (the circles part's
#: reason says much the same, and is left out beside it)
SHARES = "shares people you talk to now"


def _odds_words(odds: float) -> str:
    if abs(odds - 1.0) < EVEN:
        return ""
    return f"odds of coming back {odds:.1f}x those of the average quiet tie in your history"


def learnt_words(
    row: Row,
    push: np.ndarray,
    model: RevivalModel,
    names: Mapping[str, str] | None = None,
    odds: float | None = None,
) -> str:
    """What the history says of this tie, in words: its revival odds, the parts that pushed
    them hardest, and the facts of the tie's past silences and shared people."""
    said = [_odds_words(odds)] if odds is not None and _odds_words(odds) else []
    if odds is not None and not said:
        return ""
    if odds is not None and odds < 1.0:
        return f"learnt from your history ({model.positives} comebacks): {said[0]}"
    ups = sorted(
        ((float(v), name) for v, name in zip(push, LOGISTIC, strict=True) if v > 0.05),
        reverse=True,
    )
    said += [PART_WORDS[name] for _, name in ups[:2] if not (name == "circles" and row.common)]
    long, ended = row.long_gaps
    if ended:
        when = ""
        if row.came_back_day is not None:
            when = f", last in {datetime.fromtimestamp(row.came_back_day * 86400, UTC):%b %Y}"
        said.append(f"came back after {_times(ended)} as long before ({ended} of {long}{when})")
    if row.common:
        who = ", ".join((names or {}).get(k, k) for k in row.common[:3])
        said.append(f"{SHARES} ({who})")
    if not said:
        return ""
    return f"learnt from your history ({model.positives} comebacks): " + "; ".join(said)
