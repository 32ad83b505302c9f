"""The tier a tie's stored statistics show, as SQL (the same rule as
:func:`rekindle.engine.tiers.tier_for`: the peak of personal contact, a lopsided tie at most
occasional)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, case, func, literal

from rekindle.engine.tiers import LOPSIDED, LOPSIDED_LEAST, LOPSIDED_TIER, TIERS
from rekindle.store.schema_history import tie_stats


def inferred_tier(peaks: Sequence[tuple[str, float]], lowest: str) -> Any:
    """A CASE expression over ``tie_stats``: the first of ``peaks`` the tie reached, capped."""
    peak = func.coalesce(tie_stats.c.peak_personal, tie_stats.c.peak_decayed, 0.0)
    # personal contact's counts (those of all mail for statistics computed before them)
    n_in = func.coalesce(tie_stats.c.personal_in, tie_stats.c.messages_in, 0)
    n_out = func.coalesce(tie_stats.c.personal_out, tie_stats.c.messages_out, 0)
    met = func.coalesce(tie_stats.c.personal_meetings, tie_stats.c.meetings, 0)
    low = case((n_in < n_out, n_in), else_=n_out)
    high = case((n_in < n_out, n_out), else_=n_in)
    lop = and_(
        n_in + n_out >= LOPSIDED_LEAST,
        low + met < LOPSIDED * high,
    )
    cap = TIERS.index(LOPSIDED_TIER)
    capped = [(peak >= at, literal(t)) for t, at in peaks if TIERS.index(t) >= cap]
    plain = [(peak >= at, literal(t)) for t, at in peaks]
    return case(
        (and_(lop, *(c for c, _ in capped[:1])), capped[0][1])
        if capped
        else (lop, literal(lowest)),
        *plain,
        else_=literal(lowest),
    )
