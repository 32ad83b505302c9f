"""The plan's first pass: each tie as the stored statistics tell it, without reading its
contacts (due or not, how strong)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from rekindle.history.tie_features import TieFeatures, tie_features
from rekindle.history.ties import SECONDS_PER_DAY


@dataclass(frozen=True)
class FirstPass:
    """Whom the first pass found due among everyone (not only the shortlist), and which of
    them are dormant with a two-way past (silent at least the Rekindle list's days), by the
    stored statistics."""

    due: frozenset[int]
    dormant: frozenset[int]

    def counts(
        self, read: Collection[int], due: Collection[int], dormant: Collection[int]
    ) -> tuple[int, int]:
        """(due, dormant) among everyone: of those the full pass ``read`` its verdict
        (``due`` and ``dormant`` among them; records found to be me are in neither), of the
        rest the first pass's."""
        rest = set(read)
        return len(due) + len(self.due - rest), len(dormant) + len(self.dormant - rest)


def rough_features(stats: Any | None, answered: datetime | None, now: datetime) -> TieFeatures:
    """What the stored statistics say, enough for the first pass (due or not, how strong).
    The silence runs from the last contact both ways at the latest (a message of yours they
    did not answer does not end it; the full pass knows exactly), or an answered outreach."""
    last = (stats.last_two_way or stats.last_contact) if stats is not None else None
    if answered is not None and (last is None or answered > last):
        last = answered
    silence = (now - last).total_seconds() / SECONDS_PER_DAY if last is not None else None
    if stats is None:
        return replace(tie_features((), now), last=last, silence_days=silence)
    return TieFeatures(
        personal=stats.messages_in + stats.messages_out + stats.meetings,
        messages_in=stats.messages_in,
        messages_out=stats.messages_out,
        meetings=stats.meetings,
        first=None,
        last=last,
        active_days=0,
        decayed=stats.decayed_sum,
        peak=stats.peak_personal if stats.peak_personal is not None else stats.peak_decayed,
        peak_at=None,
        silence_days=silence,
        usual_gap_days=None,
        reciprocity=0.0,
        reply_hours=None,
        group_recent=0,
        circles=0.0,
        circle_people=(),
    )
