"""Two lists, one habit: Rekindle (ties that mattered and went quiet) and Keep warm (active
ties due a check-in) (pure).

- **Rekindle**, the heart of the plan: silent at least max(180 days, a multiple of the tie's
  usual gap), with a real two-way past (both wrote, or you met, and not one-sided: 3 answers
  to 63 messages is not a tie that mattered to both).
  The weekly quota comes from here first.
- **Keep warm**: active ties (not yet that silent) due a check-in by their cadence. A quiet
  tie that never mattered to both (one-sided, or only one side wrote) is on neither list,
  nor is anyone whose cadence is not yet up, nor anyone you only shared group mail with (an
  imported contact with no mail at all is kept warm by its cadence). A short second section; it
  fills the quota only when the Rekindle list runs short.
"""

from __future__ import annotations

from dataclasses import dataclass

from rekindle.engine.scoring import Score, Weights
from rekindle.engine.tiers import lopsided, lopsided_words
from rekindle.history.tie_features import TieFeatures

REKINDLE = "rekindle"
KEEP_WARM = "keep-warm"
LISTS = (REKINDLE, KEEP_WARM)
#: each list's title, in the order the plan shows them
TITLES = (
    (REKINDLE, "Rekindle: ties that mattered and went quiet"),
    (KEEP_WARM, "Keep warm: ties due a check-in"),
)
#: the least silence that makes a tie dormant, whatever its usual gap
REKINDLE_DAYS = 180
#: ... and how many of its usual gaps
GAP_MULTIPLE = 3.0
#: how many Keep warm people the plan shows beside the quota
KEEP_WARM_COUNT = 2
#: part weights the Rekindle list sets apart from the fitted ones
REKINDLE_OVERRIDES = {"strength": 0.0}


@dataclass(frozen=True, slots=True)
class ListRules:
    rekindle_days: int = REKINDLE_DAYS
    gap_multiple: float = GAP_MULTIPLE
    keep_warm: int = KEEP_WARM_COUNT

    def dormant_after(self, f: TieFeatures) -> float:
        """Days of silence that make this tie dormant."""
        gap = f.usual_gap_days or 0.0
        return max(float(self.rekindle_days), self.gap_multiple * gap)


def rekindle_weights(weights: Weights) -> Weights:
    """The Rekindle list's weights: every tie on it is quiet, so what is left of its strength
    now says nothing; how strong it once was (bond, history) and the context decide."""
    return weights.with_overrides(REKINDLE_OVERRIDES)


def mattered(f: TieFeatures, tier: str) -> bool:
    """A real two-way past: both sides wrote (or you met), neither much more than the other
    (see :func:`rekindle.engine.tiers.lopsided`). How much it mattered ranks the list (bond,
    history); ``tier`` is not a bar, so a sparse mailbox still has ties to revive."""
    return f.two_way and not lopsided(f.messages_in, f.messages_out, f.meetings)


def list_of(f: TieFeatures, tier: str, due: bool, rules: ListRules) -> str | None:
    """Which list a tie belongs on now, or None (not due, or nothing to revive)."""
    if not due:
        return None  # the cadence (the tier's, a tag's, the one you set) holds them back
    silent = f.silence_days
    if silent is not None and silent >= rules.dormant_after(f):
        # gone quiet: worth reviving if it mattered; not "active" enough to keep warm
        return REKINDLE if mattered(f, tier) else None
    if not f.personal and f.group:
        return None  # only group mail together: nobody you ever talked with in person
    return KEEP_WARM  # active, or no history yet (an imported contact): due by cadence


def list_reasons(s: Score, which: str | None, limit: int = 3) -> list[str]:
    """The top reasons; a Rekindle pick's first say how much you talked, when last and how
    long it has been quiet (the strength and dormancy parts weigh little there: the silence
    is the point), then its strongest other part; what the ranker learnt from your history
    moved them up, when it did, comes on top of those."""
    if which != REKINDLE:
        return s.reasons(limit)
    lead = [p.reason for p in (s.part("strength"), s.part("dormancy")) if p and p.reason]
    learnt = s.part("learnt")
    said = [learnt.reason] if learnt and learnt.contribution > 0 and learnt.reason else []
    circles = s.part("circles")
    both = (
        [circles.reason] if circles and said and "shares people you talk to now" in said[0] else []
    )
    rest = [r for r in s.reasons(limit + 1) if r not in lead and r not in said and r not in both]
    return [*lead, *rest][:limit] + said


def list_words(f: TieFeatures, tier: str, due: bool, rules: ListRules) -> str:
    """Why a tie is on its list, or on none, in words."""
    which = list_of(f, tier, due, rules)
    gap = (
        f", {rules.gap_multiple:g}x their usual gap of {round(f.usual_gap_days)} days"
        if f.usual_gap_days
        else ""
    )
    rule = f"{rules.rekindle_days} days{gap}"
    if which == REKINDLE:
        return (
            f"Rekindle: silent {int(f.silence_days or 0):,} days (at least {rule}), "
            f"a two-way past ({tier} tie)"
        )
    if not due:
        return "on no list: not due for a check-in yet"
    if which == KEEP_WARM:
        if f.silence_days is None:  # an imported contact: nothing shared yet
            return "Keep warm: due a check-in, no history together yet"
        return f"Keep warm: due a check-in, silent {int(f.silence_days):,} days"
    if not f.personal and f.group:
        return "on no list: only group mail together, never a personal exchange"
    if not f.two_way:
        why = "never a two-way exchange (only one side wrote)"
    elif lopsided_words(f):
        why = lopsided_words(f).split(":")[0]
    else:
        why = "no real two-way past"
    return f"on no list: quiet, but not a tie to revive ({why})"


def split_quota(rekindle: int, keep_warm: int, quota: int, extra: int) -> tuple[int, int]:
    """(Rekindle picks, Keep warm picks): the quota from Rekindle first, topped up from Keep
    warm when Rekindle runs short, then ``extra`` Keep warm people beside it."""
    from_rekindle = min(quota, rekindle)
    from_warm = min(keep_warm, quota - from_rekindle + extra)
    return from_rekindle, from_warm
