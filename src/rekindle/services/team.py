"""What a sharing teammate's data says about one of my people: who reached out lately, and
who in the team knows them best. Empty unless I share too (see :mod:`rekindle.store.team`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from rekindle.engine.tiers import tier_for_peak
from rekindle.services.plan_options import options
from rekindle.store import Store
from rekindle.store import team as team_q
from rekindle.store.database import utcnow
from rekindle.store.settings import get_settings


@dataclass(frozen=True)
class TeamKnows:
    teammate: str
    tier: str
    last_year: int | None


@dataclass
class TeamSignals:
    sharing: bool
    reached_out: tuple[str, datetime] | None = None
    knows: list[TeamKnows] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        if self.reached_out:
            who, at = self.reached_out
            out.append(f"{who} reached out to them on {at:%d %b %Y}: wait before you write too")
        out += [
            f"{k.teammate} knows them: {k.tier} tie at its best"
            + (f", last in touch in {k.last_year}" if k.last_year else "")
            for k in self.knows
        ]
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "sharing": self.sharing,
            "reached_out": (
                {"teammate": self.reached_out[0], "at": self.reached_out[1].isoformat()}
                if self.reached_out
                else None
            ),
            "knows": [asdict(k) for k in self.knows],
        }


def signals_for(store: Store, person_id: int, now: datetime | None = None) -> TeamSignals:
    now = now or utcnow()
    with store.read() as conn:
        if not team_q.shares_signals(conn, store.owner_id):
            return TeamSignals(sharing=False)
        lock_days = options(get_settings(conn, store.owner_id)).lock_days
        recent = team_q.teammate_outreach(
            conn, store.owner_id, [person_id], now - timedelta(days=lock_days)
        ).get(person_id)
        ties = team_q.teammate_ties(conn, store.owner_id, person_id)
    return TeamSignals(
        sharing=True,
        reached_out=(recent.teammate, recent.at) if recent else None,
        knows=[
            TeamKnows(
                t.teammate,
                tier_for_peak(t.peak),
                t.last_contact.year if t.last_contact else None,
            )
            for t in ties
        ],
    )
