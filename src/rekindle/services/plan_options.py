"""What a plan is made of (its suggestions, grouped in two lists) and the settings it reads."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from rekindle.engine.lists import GAP_MULTIPLE, KEEP_WARM_COUNT, REKINDLE, REKINDLE_DAYS, ListRules
from rekindle.engine.person_learning import Rules
from rekindle.engine.plan import FREQUENCIES, diversity_words
from rekindle.engine.scoring import PARTS, Weights, default_weights
from rekindle.engine.tiers import DEFAULT_CADENCE_DAYS, TIERS
from rekindle.services.outcome_learning import rules_of

DEFAULT_QUOTA = 3
DEFAULT_LOCK_DAYS = 30
#: person edits the engine reads
ENGINE_EDITS = ("tier", "cadence", "medium", "organisation", "title")
#: the progress step of a plan with a goal that reads thousands of people's mail subjects
MATCHING_GOAL = "matching your goal with your mail"


@dataclass
class Suggestion:
    person_id: int
    name: str
    score: float
    reasons: list[str]
    parts: dict[str, float]
    tier: str
    cadence_days: int
    silent_days: int | None
    occasion: str | None
    medium: str
    medium_why: str
    opener: str
    organisation: str | None = None
    status: str = "open"
    #: "rekindle" (a tie that mattered and went quiet) or "keep-warm" (active, due a check-in)
    list: str = REKINDLE
    #: False for the Keep warm people shown beside the quota
    in_quota: bool = True
    #: the field inferred for them (industry or function), when one is
    field: str | None = None


@dataclass
class Plan:
    period: str
    goal: str | None
    suggestions: list[Suggestion]
    considered: int
    #: how many are due a check-in (counted as ``dormant`` is; records that are me left out)
    due: int
    held: int
    stored: bool
    weights_from: str = ""
    held_examples: list[dict[str, Any]] = field(default_factory=list)
    #: how many were held back, per reason ("declined": 2, "resting after no reply": 1)
    held_by: dict[str, int] = field(default_factory=dict)
    #: how many of the due are on the Rekindle list's rule (dormant with a two-way past),
    #: held back or not, among everyone: those read in full by it, the rest by the first pass
    dormant: int = 0
    #: the distinct fields among the picks (the list is diversified across them)
    fields: list[str] = field(default_factory=list)
    #: the distinct spans of silence among the Rekindle picks (spread across them too)
    spans: list[str] = field(default_factory=list)
    #: how the Rekindle list was ranked, in words (empty: the shipped model, by choice)
    ranked_by: str = ""

    @property
    def diversified(self) -> str:
        """What the picks were spread across, in words ("" when nothing to speak of)."""
        return diversity_words(self.fields, self.spans)

    def of_list(self, name: str) -> list[Suggestion]:
        return [s for s in self.suggestions if s.list == name]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Options:
    quota: int
    frequency: str
    lock_days: int
    weights: Weights
    tier_days: dict[str, int]
    tag_days: dict[str, int]
    lists: ListRules = field(default_factory=ListRules)
    #: how long a decline, or an attempt left unanswered, holds a person out of plans
    outcomes: Rules = field(default_factory=Rules)


def options(settings: dict[str, str], quota: int | None = None) -> Options:
    """The engine's settings, with their defaults."""
    tier_days = {t: _int(settings, f"cadence.{t}", DEFAULT_CADENCE_DAYS[t]) for t in TIERS}
    tag_days = {
        k.removeprefix("cadence.tag."): int(v)
        for k, v in settings.items()
        if k.startswith("cadence.tag.") and v.isdigit()
    }
    overrides = {
        k.removeprefix("weight."): float(v)
        for k, v in settings.items()
        if k.startswith("weight.") and k.removeprefix("weight.") in PARTS
    }
    frequency = settings.get("plan.frequency", "week")
    return Options(
        quota=quota if quota is not None else _int(settings, "plan.quota", DEFAULT_QUOTA),
        frequency=frequency if frequency in FREQUENCIES else "week",
        lock_days=_int(settings, "plan.lock_days", DEFAULT_LOCK_DAYS),
        weights=default_weights().with_overrides(overrides),
        tier_days=tier_days,
        tag_days=tag_days,
        lists=ListRules(
            rekindle_days=_int(settings, "plan.rekindle_days", REKINDLE_DAYS),
            gap_multiple=_float(settings, "plan.gap_multiple", GAP_MULTIPLE),
            keep_warm=_int(settings, "plan.keep_warm", KEEP_WARM_COUNT),
        ),
        outcomes=rules_of(settings),
    )


def _int(settings: dict[str, str], key: str, default: int) -> int:
    value = settings.get(key, "")
    return int(value) if value.isdigit() else default


def _float(settings: dict[str, str], key: str, default: float) -> float:
    try:
        value = float(settings.get(key, ""))
    except ValueError:
        return default
    return value if value > 0 else default
