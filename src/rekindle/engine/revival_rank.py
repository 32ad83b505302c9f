"""The Rekindle list ranked by the learnt model, with its reason in words (pure).

Each candidate's score keeps its parts (the shipped model's reading, the prior) and gains a
``learnt`` part: the combined rank (0..1) of the prior and the rankers fitted on the user's
own history (:mod:`rekindle.engine.revival_model`). On the Rekindle list the history parts
rank through it, so the total is the ``learnt`` part plus the context parts (shared past,
goal, timing), which keep their weights: a goal still lifts the people it fits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from rekindle.engine.plan import Candidate
from rekindle.engine.revival_features import Row, matrix
from rekindle.engine.revival_model import LOGISTIC, RevivalModel
from rekindle.engine.scoring import CONTEXT_PARTS, TIE_PARTS, Part, Score

#: the learnt part's weight when the list's history parts add up to nothing
LEARNT_WEIGHT = 4.0

#: each part the learnt model reads, as a reason it ranked someone up
PART_WORDS = {
    "strength": "how much you talked",
    "history": "a long, regular past",
    "circles": "shared conversations with people you talk to now",
    "sightings": "seen on group mail lately",
    "dormancy": "overdue by their usual gap",
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
    prior = np.asarray([_history_value(c.score) for c in candidates])
    combined = model.rank(x, prior)
    pushes = model.logistic.contributions(x)
    # on the scale the prior's history parts had, so the context parts weigh as before
    weight = round(float(prior.max()), 4) or LEARNT_WEIGHT
    out = []
    for c, row, rank, push in zip(candidates, described, combined, pushes, strict=True):
        words = learnt_words(row, push, model, names)
        part = Part("learnt", round(float(rank), 4), weight, words)
        context = sum(p.contribution for p in c.score.parts if p.name in CONTEXT_PARTS)
        total = round(part.contribution + context, 6)
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
