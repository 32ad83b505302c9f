"""The learnt ranker's part in the plan: how the Rekindle list was ranked, in words, and the
list reordered by each tie's worth times its learnt odds of coming back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from rekindle.engine.plan import Candidate
from rekindle.engine.revival_features import Row, Timeline, describe
from rekindle.engine.revival_model import MOST_ODDS, RevivalModel
from rekindle.engine.revival_rank import rerank
from rekindle.engine.revival_rows import HORIZON_DAYS

if TYPE_CHECKING:
    from datetime import datetime

    from rekindle.engine.revival_features import Me
    from rekindle.history.ties import Contact


class Network(Protocol):
    """What the learnt order reads of the plan's network (services.plan_network.Network)."""

    @property
    def people(self) -> Mapping[int, str]: ...

    @property
    def learnt(self) -> Mapping[int, Any]: ...


class Ties(Protocol):
    """What the learnt order reads of the shortlist's ties (services.plan_network.Ties)."""

    @property
    def contacts(self) -> Mapping[int, Sequence[Contact]]: ...

    @property
    def me(self) -> Me: ...

    @property
    def rows(self) -> Mapping[int, Row]: ...

    @property
    def odds(self) -> Mapping[int, float]: ...


#: how many of the Rekindle list's best are ranked exactly by the learnt part (the plan's
#: diversity picks from at most max(50, 20 x quota) of the best; a few people's outcomes
#: move them after)
EXACT = 300


def ranked_by(model: RevivalModel | None) -> str:
    """How the Rekindle list was ranked, in words ("" when the user chose the shipped model)."""
    if model is None:
        return ""
    if model.logistic is None:
        return (
            f"ranked by the shipped model: your history holds {model.positives} comebacks of "
            f"quiet ties, too few to learn from yet"
        )
    return (
        f"ranked by each tie's worth times its odds of coming back, learnt from {model.fitted_on}"
        f" (weighed {model.learnt_share:.0%} against the shipped model)"
    )


def learnt_order(
    listed: list[Candidate],
    ties: Ties,
    now: datetime,
    model: RevivalModel | None,
    net: Network,
    exact: int = EXACT,
) -> list[Candidate]:
    """The Rekindle list with the learnt model's part (as it was without a model).

    Describing a tie (its contacts read as a timeline) is the costliest step of the plan, so
    only the best of the list are: by worth, ``exact`` at a time, until no one left could
    reach the ``exact`` best described (the odds keep a worth within /M .. xM,
    :data:`MOST_ODDS`). The rest keep their worth and no learnt part: below those best
    either way, they are none the plan's diversity looks at. People whose outcomes move them
    afterwards (``net.learnt``) are always described."""
    if model is None or model.logistic is None:
        return listed
    names = {str(k): v for k, v in net.people.items()}
    by_worth = sorted(listed, key=lambda c: (-c.value, c.person_id))
    done: dict[int, Candidate] = {}
    todo = [c for c in listed if c.person_id in net.learnt]
    at = 0
    while True:
        rows = {
            c.person_id: ties.rows.get(c.person_id)
            or describe(Timeline.of(ties.contacts[c.person_id]), now, ties.me, HORIZON_DAYS)
            for c in todo
        }
        done.update((c.person_id, c) for c in rerank(todo, rows, model, names, ties.odds))
        best = sorted((c.value for c in done.values()), reverse=True)
        while at < len(by_worth) and by_worth[at].person_id in done:
            at += 1
        if at >= len(by_worth):
            break
        if len(best) >= exact and _at_most(by_worth[at].value) < best[exact - 1]:
            break  # no one from here on can reach the ``exact`` best
        todo = [c for c in by_worth[at:] if c.person_id not in done][:exact]
    return [done.get(c.person_id, c) for c in listed]


def _at_most(worth: float) -> float:
    """The most a worth can become with the learnt odds."""
    return max(worth * MOST_ODDS, worth / MOST_ODDS)
