"""Which medium and intent draw replies for this user: Thompson sampling over reply rates (pure).

Each choice along one dimension (the medium, the intent) is an *arm*. Its reply rate has a
Beta posterior: a modest prior (a reply in three; the rule-based choice of
:mod:`rekindle.engine.medium` one reply ahead) plus the user's own settled messages on it.
A message to a tie of another tier counts half, one sent after another length of silence
three quarters (the tier and the gap are the context: a call to a close friend says less
about a call to an acquaintance).

The arms that compete are the rule's choice and the eligible arms the user has already tried:
an arm never tried is not proposed out of the blue. With no history at all the rule's choice
stands, with the rule's words. A draw comes from a random generator seeded with the owner, the
ISO week and the person, so the plan does not flicker within a week.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

#: the prior of every arm: a reply in three, as strong as three messages
PRIOR = (1.0, 2.0)
#: what the rule-based choice gets on top: one reply ahead
RULE_BONUS = 1.0
#: the weight of a message to a tie of another tier
OTHER_TIER = 0.5
#: the weight of a message sent after another length of silence
OTHER_GAP = 0.75
#: the credible interval shown in insights
INTERVAL = 0.9
#: buckets of silence before a message, newest first: (label, at least this many days)
GAPS = (
    ("under 6 months", 0),
    ("6–12 months", 182),
    ("1–2 years", 365),
    ("2–5 years", 730),
    ("5+ years", 1826),
)
#: the bucket of a message to someone never heard from before
NO_CONTACT = "no contact before"
#: the dimensions learnt along
DIMENSIONS = ("medium", "intent", "gap", "variant")

#: each arm's plural, as the explanation says it
PLURALS = {
    "email": "emails",
    "linkedin": "LinkedIn messages",
    "call": "calls",
    "video": "video calls",
    "sms": "texts",
    "coffee": "coffees",
    "meeting": "meetings",
    "catch-up": "catch-ups",
    "congratulate": "congratulations",
    "offer-help": "offers of help",
    "share": "shares",
    "invite": "invitations",
    "thank": "thank-yous",
    "ask": "asks",
    "introduce": "introductions",
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """One settled message: how and why it went, to whom, after how long, and if it drew a
    reply (``answered``: they wrote back, or a logged call had an outcome; a decline is no
    reply)."""

    medium: str
    intent: str
    tier: str | None
    gap: str
    answered: bool
    #: the template variant it was written from (None: written elsewhere)
    variant: int | None = None

    def along(self, dimension: str) -> str:
        if dimension == "variant":
            return variant_arm(self.variant) if self.variant is not None else ""
        return {"medium": self.medium, "intent": self.intent, "gap": self.gap}[dimension]


@dataclass(frozen=True, slots=True)
class Context:
    """The person a choice is for: their tier and the silence before the message."""

    tier: str | None = None
    gap: str | None = None


@dataclass(frozen=True, slots=True)
class Arm:
    """One choice with its counts (all messages, and those in the context) and posterior."""

    name: str
    replies: int
    sent: int
    alpha: float
    beta: float
    #: the counts among messages to ties of the context's tier
    tier_replies: int = 0
    tier_sent: int = 0

    @property
    def mean(self) -> float:
        return self.alpha / (self.alpha + self.beta)

    def interval(self, mass: float = INTERVAL) -> tuple[float, float]:
        """The central credible interval holding ``mass`` of the posterior."""
        from scipy.special import betaincinv  # lightgbm's dependency; loaded when asked

        tail = (1 - mass) / 2
        low = float(betaincinv(self.alpha, self.beta, tail))
        high = float(betaincinv(self.alpha, self.beta, 1 - tail))
        return low, high


@dataclass(frozen=True, slots=True)
class Choice:
    """What was chosen, what the rule said, and why in words (empty: the rule's words stand)."""

    chosen: str
    rule: str
    why: str
    #: True when the user's history took part in the choice
    learnt: bool
    arms: tuple[Arm, ...] = ()


def gap_of(days: float | None) -> str:
    """The :data:`GAPS` label of a silence of ``days`` (None: never in contact before)."""
    if days is None:
        return NO_CONTACT
    label = GAPS[0][0]
    for name, at_least in GAPS:
        if days >= at_least:
            label = name
    return label


def seed_for(owner_id: int, day: date, person_id: int, dimension: str) -> int:
    """A seed that is the same all ISO week for one owner, person and dimension."""
    year, week, _ = day.isocalendar()
    key = f"{owner_id}:{year}-W{week:02d}:{person_id}:{dimension}".encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:8], "big")


def _weight(o: Outcome, context: Context) -> float:
    w = 1.0
    if context.tier is not None and o.tier != context.tier:
        w *= OTHER_TIER
    if context.gap is not None and o.gap != context.gap:
        w *= OTHER_GAP
    return w


def posterior(
    outcomes: Iterable[Outcome],
    dimension: str,
    name: str,
    context: Context = Context(),
    rule: str | None = None,
) -> Arm:
    """The arm ``name`` along ``dimension``: its counts and Beta posterior in ``context``."""
    alpha, beta = PRIOR
    if name == rule:
        alpha += RULE_BONUS
    replies = sent = tier_replies = tier_sent = 0
    for o in outcomes:
        if o.along(dimension) != name:
            continue
        w = _weight(o, context)
        alpha += w * o.answered
        beta += w * (not o.answered)
        sent += 1
        replies += o.answered
        if context.tier is not None and o.tier == context.tier:
            tier_sent += 1
            tier_replies += o.answered
    return Arm(name, replies, sent, alpha, beta, tier_replies, tier_sent)


def summarise(outcomes: Sequence[Outcome], dimension: str, order: Sequence[str] = ()) -> list[Arm]:
    """Every arm the user tried along ``dimension``, prior and counts only (for insights):
    in ``order`` first, then by name."""
    names = {o.along(dimension) for o in outcomes}
    ranked = [n for n in order if n in names] + sorted(names - set(order))
    return [posterior(outcomes, dimension, n) for n in ranked]


def preferred(arms: Sequence[Arm]) -> str | None:
    """The arm with the highest posterior mean among those tried (None: nothing tried)."""
    tried = [a for a in arms if a.sent]
    return max(tried, key=lambda a: (a.mean, a.sent)).name if tried else None


def choose(
    dimension: str,
    rule: str,
    eligible: Sequence[str],
    outcomes: Sequence[Outcome],
    context: Context,
    rng: random.Random,
) -> Choice:
    """Thompson sampling among the rule's choice and the eligible arms already tried."""
    tried = {o.along(dimension) for o in outcomes}
    names = [rule, *(n for n in eligible if n != rule and n in tried)]
    arms = tuple(posterior(outcomes, dimension, n, context, rule) for n in names)
    if not any(a.sent for a in arms):
        return Choice(rule, rule, "", False, arms)
    if len(arms) == 1:
        return Choice(rule, rule, _counts(arms[0], arms, context.tier), True, arms)
    draws = [rng.betavariate(a.alpha, a.beta) for a in arms]
    best = arms[max(range(len(arms)), key=lambda i: (draws[i], -i))]
    counts = _counts(best, arms, context.tier)
    if best.name == rule:
        leader = max(arms, key=lambda a: a.mean)
        if leader.mean > best.mean and leader.sent:  # the draw kept the rule: say so plainly
            kept = _counts(leader, arms, context.tier)
            return Choice(rule, rule, f"this week's draw kept it, though {kept}", True, arms)
        return Choice(rule, rule, counts, True, arms)
    ruled = arms[0]
    lead = "your replies favour it" if best.mean >= ruled.mean else "worth another try"
    return Choice(best.name, rule, f"{lead}: {counts}", True, arms)


def _counts(first: Arm, arms: Sequence[Arm], tier: str | None) -> str:
    """'calls drew a reply 4 times in 5 with close ties; emails 2 in 9': the chosen arm first,
    then the others tried, in the tier when the chosen arm has history there."""
    in_tier = tier is not None and first.tier_sent > 0
    others = sorted((a for a in arms if a is not first), key=lambda a: -a.sent)
    words = [] if first.sent else [f"no {plural(first.name)} yet"]
    for a in [first, *others]:
        replies, sent = (a.tier_replies, a.tier_sent) if in_tier else (a.replies, a.sent)
        if not sent:
            continue
        if len(words) == (0 if first.sent else 1):
            where = f" with {tier} ties" if in_tier else ""
            times = "once" if replies == 1 else f"{replies} times"
            words.append(f"{plural(a.name)} drew a reply {times} in {sent}{where}")
        else:
            words.append(f"{plural(a.name)} {replies} in {sent}")
    return "; ".join(words)


def plural(name: str) -> str:
    if name.startswith("variant "):
        return f"messages from {name}"
    return PLURALS.get(name, f"{name} messages")


def variant_arm(n: int) -> str:
    """A template variant's arm name: "variant 2"."""
    return f"variant {n}"
