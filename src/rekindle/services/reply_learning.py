"""What the user's replies teach the plan and the drafts: the medium for each pick, the intent
of a draft, and the "what was learnt" section of `rekindle insights`.

The outcomes are read once (:mod:`rekindle.store.reply_outcomes`); the choosing is
:mod:`rekindle.engine.reply_learning`'s, seeded by owner, ISO week and person so a plan
recomputed within the week chooses alike.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from rekindle.compose.vocabulary import INTENTS, MEDIA
from rekindle.engine import reply_learning as rl
from rekindle.engine.medium import MediumChoice, Reach, reachable
from rekindle.engine.tiers import PEAK_FOR, TIERS
from rekindle.services.follow_up_rules import follow_up_days
from rekindle.services.plan_options import Suggestion
from rekindle.store.reply_outcomes import settled_messages

#: intents a draft may default to without the user's words: the rule's catch-up, an offer of
#: help, and a congratulation when there is news (share, invite and ask need a topic)
DEFAULT_INTENTS = ("catch-up", "offer-help")
#: the intent a draft takes when nothing was learnt
RULE_INTENT = "catch-up"


def read_outcomes(conn: Connection, owner_id: int, now: datetime) -> list[rl.Outcome]:
    """Every settled message of the owner, as the learning reads it."""
    since = now - timedelta(days=follow_up_days(conn, owner_id))
    return [
        rl.Outcome(
            medium,
            intent,
            tier,
            rl.gap_of(None if before is None else (at - before).total_seconds() / 86400),
            answered,
            variant,
        )
        for medium, intent, tier, at, before, answered, variant in settled_messages(
            conn, owner_id, since, PEAK_FOR, TIERS[-1]
        )
    ]


def _rng(owner_id: int, now: datetime, person_id: int, dimension: str) -> random.Random:
    return random.Random(rl.seed_for(owner_id, now.date(), person_id, dimension))


def learnt_medium(
    outcomes: Sequence[rl.Outcome],
    owner_id: int,
    now: datetime,
    person_id: int,
    context: rl.Context,
    reach: Reach,
    rule: MediumChoice,
) -> MediumChoice:
    """The rule's medium, or the one the user's replies favour, with why in words. A stated
    preference, or a rule choice that cannot reach them (no address yet), is left alone."""
    eligible = reachable(reach)
    if (reach.preferred and reach.preferred == rule.medium) or rule.medium not in eligible:
        return rule
    rng = _rng(owner_id, now, person_id, "medium")
    found = rl.choose("medium", rule.medium, eligible, outcomes, context, rng)
    if not found.why:
        return rule
    if found.chosen == rule.medium:
        return MediumChoice(rule.medium, f"{rule.why}; {found.why}")
    return MediumChoice(found.chosen, found.why)


def reach_of(r: dict[str, Any], preferred: str | None) -> Reach:
    """A :class:`Reach` from a ``reach_by_person`` entry (``far`` set for someone far away)."""
    return Reach(
        email="email" in r,
        linkedin="linkedin" in r,
        phone="phone" in r,
        far_away="far" in r,
        preferred=preferred,
    )


def relearn_media(
    conn: Connection,
    owner_id: int,
    now: datetime,
    suggestions: list[Suggestion],
    reach: dict[int, dict[str, Any]],
    edits: dict[int, dict[str, str]],
) -> list[Suggestion]:
    """The plan's picks with each medium chosen in the light of the user's replies."""
    outcomes = read_outcomes(conn, owner_id, now) if suggestions else []
    if not outcomes:
        return suggestions
    out = []
    for s in suggestions:
        chosen = learnt_medium(
            outcomes,
            owner_id,
            now,
            s.person_id,
            rl.Context(s.tier, rl.gap_of(s.silent_days)),
            reach_of(reach.get(s.person_id, {}), edits.get(s.person_id, {}).get("medium")),
            MediumChoice(s.medium, s.medium_why),
        )
        out.append(replace(s, medium=chosen.medium, medium_why=chosen.why))
    return out


def learnt_intent(
    outcomes: Sequence[rl.Outcome],
    owner_id: int,
    now: datetime,
    person_id: int,
    silent_days: float | None,
    has_news: bool,
) -> rl.Choice:
    """A draft's intent when the user named none: catch-up unless their replies say otherwise."""
    eligible = [*DEFAULT_INTENTS, *(("congratulate",) if has_news else ())]
    rng = _rng(owner_id, now, person_id, "intent")
    return rl.choose(
        "intent", RULE_INTENT, eligible, outcomes, rl.Context(None, rl.gap_of(silent_days)), rng
    )


def learnt_variant(
    outcomes: Sequence[rl.Outcome],
    owner_id: int,
    now: datetime,
    person_id: int,
    silent_days: float | None,
    intent: str,
    medium: str,
    variants: Sequence[int],
) -> tuple[int | None, str]:
    """A draft's template variant when the user named none (None: the first, as always), and
    why in words, from the messages of the same intent and medium written from a variant."""
    same = [o for o in outcomes if o.intent == intent and o.medium == medium]
    if len(variants) < 2 or not same:
        return None, ""
    rng = _rng(owner_id, now, person_id, f"variant:{intent}:{medium}")
    found = rl.choose(
        "variant",
        rl.variant_arm(variants[0]),
        [rl.variant_arm(n) for n in variants],
        same,
        rl.Context(None, rl.gap_of(silent_days)),
        rng,
    )
    if not found.why:
        return None, ""
    return int(found.chosen.removeprefix("variant ")), f"{found.chosen}: {found.why}"


@dataclass(frozen=True)
class LearntRow:
    """One arm in the "what was learnt" section: counts, posterior mean and interval (%)."""

    name: str
    replies: int
    sent: int
    mean: float
    low: float
    high: float
    preferred: bool

    @property
    def text(self) -> str:
        return f"{self.replies} of {self.sent} · {self.mean:.0f}% ({self.low:.0f}–{self.high:.0f}%)"


@dataclass(frozen=True)
class Learnt:
    """Per dimension (medium, intent, gap: the silence before), the arms the user tried."""

    dimension: str
    title: str
    rows: list[LearntRow]

    @property
    def preference(self) -> str | None:
        return next((r.name for r in self.rows if r.preferred), None)


#: each dimension's title and the order its arms are listed in
LEARNT = (
    ("medium", "Learnt reply rate by medium", MEDIA),
    ("intent", "Learnt reply rate by intent", INTENTS),
    (
        "gap",
        "Learnt reply rate by silence before the message",
        [g for g, _ in rl.GAPS] + [rl.NO_CONTACT],
    ),
)
#: the dimensions the plan and drafts choose along, which may have a preference; the silence
#: before a message is context (no one chooses how long someone has been silent)
CHOSEN = ("medium", "intent")


def what_was_learnt(outcomes: Sequence[rl.Outcome]) -> list[Learnt]:
    """The posterior of each arm tried, dimension by dimension (the prior alone, no bonus);
    the preferred arm of a dimension one chooses along (not the silence before)."""
    found = []
    for dimension, title, order in LEARNT:
        arms = rl.summarise(outcomes, dimension, order)
        best = rl.preferred(arms) if len(arms) > 1 and dimension in CHOSEN else None
        rows = []
        for a in arms:
            low, high = a.interval()
            rows.append(
                LearntRow(
                    a.name,
                    a.replies,
                    a.sent,
                    round(100 * a.mean, 1),
                    round(100 * low, 1),
                    round(100 * high, 1),
                    a.name == best,
                )
            )
        found.append(Learnt(dimension, title, rows))
    return found
