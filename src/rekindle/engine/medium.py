"""Which medium to suggest for a first message, and why (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from rekindle.history.tie_features import TieFeatures

MEDIA = ("email", "linkedin", "call", "video", "sms")


@dataclass(frozen=True, slots=True)
class Reach:
    """How a person can be reached, and what they or the history prefer."""

    email: bool = False
    linkedin: bool = False
    phone: bool = False
    preferred: str | None = None
    last_two_way_channel: str | None = None
    #: they live in another country or city than you, as far as the data shows
    far_away: bool = False


@dataclass(frozen=True, slots=True)
class MediumChoice:
    medium: str
    why: str


def choose_medium(f: TieFeatures, tier: str, reach: Reach) -> MediumChoice:
    """A stated preference wins; once-close ties get a call; else the last shared channel."""
    if reach.preferred in MEDIA and _can(reach.preferred, reach):
        return MediumChoice(reach.preferred, f"they prefer {reach.preferred}")
    if tier == "close" and reach.far_away and (reach.email or reach.phone):
        return MediumChoice(
            "video",
            "you were close and they live far away: a video call is the nearest thing to meeting",
        )
    if tier == "close" and reach.phone:
        return MediumChoice(
            "call", "you were close: a 15-minute call is the natural first step after a gap"
        )
    last = reach.last_two_way_channel
    if last == "meeting" and reach.phone:
        return MediumChoice("call", "you last talked in person; a short call picks that up")
    if last == "linkedin" and reach.linkedin:
        return MediumChoice("linkedin", "your exchanges were on LinkedIn; pick up the thread")
    if last in ("email", None) and reach.email and f.personal:
        return MediumChoice("email", "your exchanges were by email; room for detail")
    if tier in ("occasional", "dormant") and reach.linkedin:
        return MediumChoice("linkedin", "a light-touch note suits a looser tie")
    if reach.email:
        return MediumChoice("email", "email reaches them and leaves room for detail")
    if reach.linkedin:
        return MediumChoice("linkedin", "LinkedIn is the way you can reach them")
    if reach.phone:
        return MediumChoice("sms", "a short text: a phone number is all you have")
    return MediumChoice("email", "no address known yet: find one before writing")


def reachable(reach: Reach) -> list[str]:
    """The media that can reach them, in :data:`MEDIA` order."""
    return [m for m in MEDIA if _can(m, reach)]


def _can(medium: str, reach: Reach) -> bool:
    return {
        "email": reach.email,
        "linkedin": reach.linkedin,
        "call": reach.phone,
        "video": reach.email or reach.phone,
        "sms": reach.phone,
    }[medium]
