"""Every tie's tier, check-in due, list and worth at once, on columns (pure, numpy).

The plan's first pass on the week's snapshot weighs every tie of the network; one tie at a
time (:mod:`rekindle.engine.tiers`, :mod:`rekindle.engine.lists`,
:func:`rekindle.engine.scoring.rank_value`) that is tens of thousands of Python calls. The same
rules, written once more on arrays, give the same tiers, due ties and lists, and the same
worth to the last bit or so (``tests/test_list_columns.py`` holds the two together on the
sample network). A tie with a cadence of its own (yours, a tag's, what its outcomes taught)
is decided one at a time by the caller.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from rekindle.engine.lists import KEEP_WARM, REKINDLE, ListRules
from rekindle.engine.scoring import TIE_PARTS, Weights
from rekindle.engine.tiers import (
    DEFAULT_CADENCE_DAYS,
    LOPSIDED,
    LOPSIDED_LEAST,
    LOPSIDED_TIER,
    PEAK_FOR,
    TIERS,
)
from rekindle.history.ties import SECONDS_PER_DAY

#: a list by number: on none, Rekindle, Keep warm
NO_LIST, ON_REKINDLE, ON_KEEP_WARM = 0, 1, 2
LIST_NAMES = {ON_REKINDLE: REKINDLE, ON_KEEP_WARM: KEEP_WARM}
_US_PER_S = 1_000_000


@dataclass(frozen=True)
class TieColumns:
    """The figures of :class:`rekindle.history.tie_features.TieFeatures` of many ties, one
    array each (NaN where a figure is None; ``first_us``/``last_us`` in microseconds, with
    ``never`` for none)."""

    personal: Any
    messages_in: Any
    messages_out: Any
    meetings: Any
    active_days: Any
    group_recent: Any
    group: Any
    first_us: Any
    last_us: Any
    never: int
    decayed: Any
    peak: Any
    silence_days: Any
    usual_gap_days: Any
    reciprocity: Any
    reply_hours: Any
    circles: Any

    def lopsided(self) -> Any:
        """:func:`rekindle.engine.tiers.lopsided` of each tie."""
        low = np.minimum(self.messages_in, self.messages_out)
        high = np.maximum(self.messages_in, self.messages_out)
        enough = self.messages_in + self.messages_out >= LOPSIDED_LEAST
        return enough & (low + self.meetings < LOPSIDED * high)

    def two_way(self) -> Any:
        return (self.meetings > 0) | ((self.messages_in > 0) & (self.messages_out > 0))

    def tiers(self) -> Any:
        """Each tie's tier as its index in :data:`TIERS` (as :func:`tiers.infer_tier`)."""
        tier = np.full(len(self.peak), TIERS.index("dormant"), dtype=np.int64)
        for name, least in reversed(PEAK_FOR):  # the highest threshold met wins
            tier[self.peak >= least] = TIERS.index(name)
        capped = TIERS.index(LOPSIDED_TIER)
        return np.where(self.lopsided() & (tier < capped), capped, tier)

    def cadence_days(self, tier_days: dict[str, int] | None) -> Any:
        """Each tie's cadence by its tier alone (the settings' days, else the defaults)."""
        days = [
            tier_days[t] if tier_days and t in tier_days else DEFAULT_CADENCE_DAYS[t] for t in TIERS
        ]
        return np.asarray(days, dtype=np.float64)[self.tiers()]

    def due(self, cadence_days: Any) -> Any:
        """:func:`tiers.is_due`: silent at least the cadence, or no history at all."""
        with np.errstate(invalid="ignore"):
            return np.isnan(self.silence_days) | (self.silence_days >= cadence_days)

    def lists(self, due: Any, rules: ListRules) -> Any:
        """:func:`lists.list_of` of each tie, as :data:`NO_LIST`, :data:`ON_REKINDLE` or
        :data:`ON_KEEP_WARM`."""
        gap = np.nan_to_num(self.usual_gap_days, nan=0.0)
        after = np.maximum(float(rules.rekindle_days), rules.gap_multiple * gap)
        with np.errstate(invalid="ignore"):
            quiet = ~np.isnan(self.silence_days) & (self.silence_days >= after)
        mattered = self.two_way() & ~self.lopsided()
        group_only = (self.personal == 0) & (self.group > 0)
        out = np.where(quiet, np.where(mattered, ON_REKINDLE, NO_LIST), ON_KEEP_WARM)
        out = np.where(~quiet & group_only, NO_LIST, out)
        return np.where(due, out, NO_LIST)

    def worth(self, weights: Weights) -> Any:
        """:func:`rekindle.engine.scoring.rank_value` of each tie: its parts, weighed and
        summed in the same order."""
        parts = self._parts()
        total = np.zeros(len(self.peak))
        for name in TIE_PARTS:
            total = total + parts[name] * weights[name]
        return total

    def _parts(self) -> dict[str, Any]:
        """:func:`rekindle.engine.scoring.tie_parts` of each tie."""
        personal = self.personal > 0
        known = (self.first_us != self.never) & (self.last_us != self.never)
        duration = np.where(
            known, (self.last_us - self.first_us) / _US_PER_S / SECONDS_PER_DAY, 0.0
        )
        days = np.minimum(1.0, np.log1p(self.active_days) / math.log(31))
        span = np.minimum(1.0, duration / 730.0)
        peak = 1.0 - np.exp(-self.peak / 10.0)
        history = np.where(personal, 0.4 * days + 0.3 * span + 0.3 * peak, 0.0)
        low = np.minimum(self.messages_in, self.messages_out)
        high = np.maximum(self.messages_in, self.messages_out)
        with np.errstate(invalid="ignore", divide="ignore"):
            answered = self.peak * (low + self.meetings) / (LOPSIDED * high)
        bond_peak = np.where(self.lopsided(), answered, self.peak)
        bond = np.where(self.two_way(), 1.0 - np.exp(-bond_peak / 40.0), 0.0)
        return {
            "strength": 1.0 - np.exp(-self.decayed / 6.0),
            "history": history,
            "bond": bond,
            "circles": 1.0 - np.exp(-self.circles / 2.0),
            "sightings": 1.0 - np.exp(-self.group_recent / 3.0),
            "dormancy": self._dormancy(),
            "reciprocity": self.reciprocity,
            "replies": np.where(
                np.isnan(self.reply_hours), 0.0, 1.0 / (1.0 + self.reply_hours / 72.0)
            ),
        }

    def _dormancy(self) -> Any:
        """:func:`rekindle.engine.scoring.dormancy`: overdue against the usual gap."""
        silence, gap = self.silence_days, self.usual_gap_days
        no_silence = np.isnan(silence)
        no_ratio = no_silence | np.isnan(gap) | (gap == 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = silence / gap
            by_ratio = np.where(
                ratio <= 1.0,
                0.0,
                np.where(
                    ratio <= 3.0, (ratio - 1.0) / 2.0, np.where(ratio <= 8.0, 1.0, 8.0 / ratio)
                ),
            )
            without = np.where(no_silence, 0.0, np.minimum(1.0, silence / 180.0) * 0.5)
        return np.where(no_ratio, without, by_ratio)
