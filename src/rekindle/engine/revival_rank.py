"""The Rekindle list ranked with the learnt model, with its reason in words (pure).

Each candidate's score keeps its parts (the shipped model's reading, the prior, and the
context: shared past, goal, timing) and gains a ``learnt`` part: the history parts' sum moved
up or down by the learnt order (:mod:`rekindle.engine.revival_model`). Its value is the share
of that sum it moves (-0.25 .. +0.25), its weight the sum itself, so the total stays the sum
of the contributions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from rekindle.engine.plan import Candidate
from rekindle.engine.revival_features import Row, matrix
from rekindle.engine.revival_model import LOGISTIC, RevivalModel
from rekindle.engine.scoring import TIE_PARTS, Part, Score

#: each part the learnt model reads, as a reason it ranked someone up
PART_WORDS = {
    "history": "a long, regular past",
    "circles": "shared conversations with people you talk to now",
    "sightings": "seen on group mail lately",
    "reciprocity": "both of you wrote",
    "replies": "they answered you quickly",
}


def rerank(
    candidates: Sequence[Candidate],
    rows: Mapping[int, Row],
    model: RevivalModel | None,
    names: Mapping[str, str] | None = None,
) -> list[Candidate]:
    """The candidates with the ``learnt`` part (unchanged when the model learnt nothing)."""
    if model is None or model.logistic is None or len(candidates) < 2:
        return list(candidates)
    described = [rows[c.person_id] for c in candidates]
    x = matrix(described)
    moves = model.moves(x)
    pushes = model.logistic.contributions(x)
    out = []
    for c, row, move, push in zip(candidates, described, moves, pushes, strict=True):
        base = _history_value(c.score)
        words = learnt_words(row, push, model, names) if move > 0 else ""
        part = Part("learnt", round(float(move), 4), round(base, 4), words)
        total = round(c.score.total + part.contribution, 6)
        out.append(replace(c, score=Score(total, (*c.score.parts, part))))
    return out


def _times(n: int) -> str:
    return "a silence" if n == 1 else f"{n} silences"


def _history_value(s: Score) -> float:
    return sum(p.contribution for p in s.parts if p.name in TIE_PARTS)


def learnt_words(
    row: Row, push: np.ndarray, model: RevivalModel, names: Mapping[str, str] | None = None
) -> str:
    """What moved this person up, in words: the parts that pushed hardest, and the facts of
    the tie's past silences and shared people."""
    ups = sorted(
        ((float(v), name) for v, name in zip(push, LOGISTIC, strict=True) if v > 0.05),
        reverse=True,
    )
    said = [PART_WORDS[name] for _, name in ups[:2] if not (name == "circles" and row.common)]
    long, ended = row.long_gaps
    if ended:
        said.append(f"came back after {_times(ended)} as long before ({ended} of {long})")
    if row.common:
        who = ", ".join((names or {}).get(k, k) for k in row.common[:3])
        said.append(f"shares people you talk to now ({who})")
    if not said:
        return ""
    return f"learnt from your history ({model.positives} comebacks): " + "; ".join(said)
