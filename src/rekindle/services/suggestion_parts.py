"""The pieces of a suggestion that do not rank anyone: why someone is held back, the shared
past and the goal turned into score context, the occasion that matters now, and an opener."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from rekindle.compose.draft_facts import clean_subject
from rekindle.engine.occasions import Occasion, timing_strength
from rekindle.engine.scoring import Context
from rekindle.engine.shared_context import Period, SharedAffiliation
from rekindle.history.tie_features import TieFeatures

if TYPE_CHECKING:
    from rekindle.engine.goal_match import GoalMatcher

#: the goal part of a person whose field the goal names (a full word match scores 1)
FIELD_GOAL = 0.8


def hold_words(hold: Any | None) -> str | None:
    if hold is None:
        return None
    until = f" until {hold.until:%d %b %Y}" if hold.until else ""
    words = {
        "snoozed": f"snoozed{until}",
        "dismissed": f"dismissed{until}",
        "declined": f"declined; door kept open{until}",
        "never": "marked do-not-contact",
    }
    return words.get(hold.kind, f"{hold.kind}{until}")


def affiliation_period(a: Any) -> Period:
    return Period(a.organisation, a.title, a.kind, a.start_date, a.end_date)


def organisation_of(edits: dict[str, str], affiliations: list[Any]) -> str | None:
    if edits.get("organisation"):
        return edits["organisation"]
    current = [a for a in affiliations if a.kind == "work"]
    return current[0].organisation if current else None


def best_occasion(found: list[Occasion], now: datetime) -> Occasion | None:
    live = [(timing_strength(o, now.date()), o) for o in found if not o.handled]
    live = [(s, o) for s, o in live if s > 0]
    if not live:
        return None
    return max(live, key=lambda so: (so[0], so[1].is_life_event, so[1].key))[1]


def quoted(piece: str, limit: int = 60) -> str:
    """A piece of a person's text short enough to quote in a reason."""
    piece = " ".join(piece.split())
    return piece if len(piece) <= limit else piece[: limit - 1].rstrip() + "\u2026"


def shared_strength(shared: list[SharedAffiliation]) -> float:
    """The shared part's value: an employer we were both at, at dates we know (1.0) or at
    the same place only (0.6); 0 without one."""
    if not shared:
        return 0.0
    return 1.0 if shared[0].start_year else 0.6


def score_context(
    shared: list[SharedAffiliation],
    occasion: Occasion | None,
    now: datetime,
    index: GoalMatcher | None,
    pid: int,
    terms: list[str],
    goal_text: str | None,
    goal_field: str | None = None,
) -> Context:
    """The context parts; ``goal_field`` is the person's field when the goal names it."""
    shared_value = shared_strength(shared)
    shared_reason = ""
    if shared:
        first = shared[0]
        years = f" {first.years}" if first.years else ""
        shared_reason = f"you were both at {first.organisation}{years}"
    goal_value = 0.0
    goal_reason = ""
    if index is not None and terms:
        m = index.match(pid, terms)
        goal_value = m.value
        if m.meant:
            goal_reason = (
                f"fits your goal \u201c{goal_text}\u201d by meaning (\u201c{quoted(m.meant)}\u201d)"
            )
        elif m.matched:
            goal_reason = f"fits your goal \u201c{goal_text}\u201d ({', '.join(m.matched)})"
    if goal_field and goal_value < FIELD_GOAL:
        goal_value = FIELD_GOAL
        goal_reason = f"fits your goal \u201c{goal_text}\u201d (works in {goal_field})"
    timing = timing_strength(occasion, now.date()) if occasion else 0.0
    return Context(
        shared=shared_value,
        shared_reason=shared_reason,
        goal=goal_value,
        goal_reason=goal_reason,
        timing=timing,
        timing_reason=occasion.detail if occasion else "",
    )


def opener(
    name: str,
    occasion: Occasion | None,
    shared: list[SharedAffiliation],
    last: Any | None,
    f: TieFeatures,
) -> str:
    """A one-line idea to open with: their news first, then what you shared, then the thread."""
    first = name.split()[0] if name.strip() else "them"
    news = _without_source(occasion.detail) if occasion is not None else ""
    if occasion is not None and occasion.kind == "moved":
        return f"Ask {first} how the move is going ({news})."
    if occasion is not None and occasion.kind == "new-email-domain":
        return f"Ask {first} about what looks like a new place of work ({news})."
    if occasion is not None and occasion.is_life_event:
        return f"Congratulate {first}: {news}."
    if occasion is not None and occasion.kind == "birthday":
        return f"Wish {first} a happy birthday, and ask what the year has brought."
    if occasion is not None:
        return f"Use the moment ({news}) for a warm note to {first}."
    if shared:
        years = f" ({shared[0].years})" if shared[0].years else ""
        return (
            f"Recall your time together at {shared[0].organisation}{years} and ask how {first} is."
        )
    subject = clean_subject(last.subject)[:80] if last is not None else ""
    if last is not None and subject:
        return f"Pick up from \u201c{subject}\u201d ({last.occurred_at:%b %Y}) and ask how it turned out."
    if f.personal:
        return f"Say it has been a while, and ask {first} what they are working on now."
    return f"Introduce yourself again, say where you met, and ask what {first} is up to."


def _without_source(detail: str) -> str:
    """'started at Acme (LinkedIn export, 2 Nov 2026)' -> 'started at Acme'."""
    if detail.endswith(")") and " (" in detail:
        return detail[: detail.rindex(" (")]
    return detail
