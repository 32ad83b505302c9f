"""The learnt ranker's part in the plan: how the Rekindle list was ranked, in words, and the
list reordered by each tie's worth times its learnt odds of coming back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rekindle.engine.plan import Candidate
from rekindle.engine.revival_features import Timeline, describe
from rekindle.engine.revival_model import RevivalModel
from rekindle.engine.revival_rank import rerank
from rekindle.engine.revival_rows import HORIZON_DAYS

if TYPE_CHECKING:
    from datetime import datetime

    from rekindle.services.plan_compute import Network, Ties


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
    listed: list[Candidate], ties: Ties, now: datetime, model: RevivalModel | None, net: Network
) -> list[Candidate]:
    """The Rekindle list with the learnt model's part (as it was without a model)."""
    if model is None or model.logistic is None:
        return listed
    rows = {
        c.person_id: describe(Timeline.of(ties.contacts[c.person_id]), now, ties.me, HORIZON_DAYS)
        for c in listed
    }
    return rerank(listed, rows, model, {str(k): v for k, v in net.people.items()})
