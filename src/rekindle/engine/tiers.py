"""Tiers of closeness and their check-in cadences (pure).

A tier is how close a tie is meant to be. It is inferred from the history (the strongest the
tie ever was, in reciprocated personal contact), and can be set per person, per tag or per tier
in the settings. A lopsided tie (one side wrote, the other rarely answered) is at most
occasional, however many messages it holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rekindle.history.tie_features import TieFeatures

TIERS = ("close", "regular", "occasional", "dormant")
DEFAULT_CADENCE_DAYS = {"close": 30, "regular": 90, "occasional": 180, "dormant": 365}

#: the peak decayed strength (about one 1:1 exchange counts 1-2) that makes each tier
PEAK_FOR = (("close", 20.0), ("regular", 8.0), ("occasional", 3.0))
#: the quieter side's messages (meetings count for both) below this share of the louder side's
#: make a tie lopsided; it needs at least LOPSIDED_LEAST messages to tell
LOPSIDED = 0.2
LOPSIDED_LEAST = 5
#: the highest tier a lopsided tie reaches
LOPSIDED_TIER = "occasional"


def lopsided(messages_in: int, messages_out: int, meetings: int = 0) -> bool:
    """One side wrote, the other rarely answered (3 in, 63 out)."""
    low, high = sorted((messages_in, messages_out))
    if messages_in + messages_out < LOPSIDED_LEAST:
        return False
    return low + meetings < LOPSIDED * high


def lopsided_words(f: TieFeatures) -> str:
    """Why a lopsided tie is not counted close, in words ('' when it is not lopsided)."""
    if not lopsided(f.messages_in, f.messages_out, f.meetings):
        return ""
    if f.messages_out >= f.messages_in:
        side = f"you wrote {f.messages_out}, they answered {f.messages_in}"
    else:
        side = f"they wrote {f.messages_in}, you answered {f.messages_out}"
    return f"one-sided ({side}): counted {LOPSIDED_TIER} at most"


#: a cadence's ``why`` when the user set it for the person (nothing learnt changes it)
SET_BY_YOU = "the cadence you set for them"


@dataclass(frozen=True, slots=True)
class Cadence:
    tier: str
    days: int
    #: where the cadence comes from, in words ("from their tag")
    why: str


def infer_tier(f: TieFeatures) -> str:
    """The tier the history suggests: how strong the tie was at its best, if both sides wrote."""
    return tier_for(f.peak, f.messages_in, f.messages_out, f.meetings)


def tier_for(peak: float, messages_in: int, messages_out: int, meetings: int = 0) -> str:
    tier = tier_for_peak(peak)
    if lopsided(messages_in, messages_out, meetings) and TIERS.index(tier) < TIERS.index(
        LOPSIDED_TIER
    ):
        return LOPSIDED_TIER
    return tier


def tier_for_peak(peak: float) -> str:
    for tier, least in PEAK_FOR:
        if peak >= least:
            return tier
    return "dormant"


def cadence_for(
    f: TieFeatures,
    *,
    person_tier: str | None = None,
    person_days: int | None = None,
    tags: Iterable[str] = (),
    tag_days: Mapping[str, int] | None = None,
    tier_days: Mapping[str, int] | None = None,
) -> Cadence:
    """The check-in cadence: the person's own setting, else their tags', else their tier's."""
    tier = person_tier if person_tier in TIERS else infer_tier(f)
    if person_days:
        return Cadence(tier, person_days, SET_BY_YOU)
    if tag_days:
        tagged = [tag_days[t] for t in tags if t in tag_days]
        if tagged:
            return Cadence(tier, min(tagged), "from their tag")
    days = tier_days[tier] if tier_days and tier in tier_days else DEFAULT_CADENCE_DAYS[tier]
    if person_tier in TIERS:
        return Cadence(tier, days, "from the tier you set for them")
    one_sided = lopsided_words(f)
    shows = "the tier their history shows"
    return Cadence(tier, days, f"from {shows}; {one_sided}" if one_sided else f"from {shows}")


def is_due(f: TieFeatures, cadence: Cadence) -> bool:
    """Silent for at least the cadence; a person with no history at all is always due."""
    return f.silence_days is None or f.silence_days >= cadence.days
