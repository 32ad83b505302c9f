"""Why reconnect with this person now: a score made of named parts, each with its reason (pure).

Every part is a number in [0, 1] with a weight; the score is their weighted sum and the
biggest contributions become the reasons shown to the user, in words with dates. The tie
parts' weights were fitted on the backtest's training cutoffs and ship as data
(``data/engine_weights.json``, provenance included); the user may override any weight.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from rekindle.engine.tiers import LOPSIDED, lopsided
from rekindle.history.tie_features import RECENT_DAYS, TieFeatures
from rekindle.plural import counted

#: the parts read from the history (their weights are fitted) and those set by design
TIE_PARTS = (
    "strength",
    "history",
    "bond",
    "circles",
    "sightings",
    "dormancy",
    "reciprocity",
    "replies",
)
CONTEXT_PARTS = ("shared", "goal", "timing")
PARTS = TIE_PARTS + CONTEXT_PARTS
#: a silence this long, far past the usual gap, is a tie gone quiet, no longer one fading
FADED_DAYS = 365


@dataclass(frozen=True, slots=True)
class Part:
    name: str
    value: float
    weight: float
    reason: str

    @property
    def contribution(self) -> float:
        return self.value * self.weight


@dataclass(frozen=True, slots=True)
class Score:
    total: float
    parts: tuple[Part, ...]

    def reasons(self, limit: int = 3) -> list[str]:
        """The biggest contributions, in words, strongest first; the goal's always among them
        when it counted (the user asked for it, and it may be what moved this person up)."""
        ranked = sorted(
            (p for p in self.parts if p.contribution > 0 and p.reason),
            key=lambda p: (-p.contribution, p.name),
        )
        shown = ranked[:limit]
        goal = next((p for p in ranked if p.name == "goal"), None)
        if goal is not None and goal not in shown and limit > 0:
            shown = [*shown[: limit - 1], goal]
        return [p.reason for p in shown]

    def part(self, name: str) -> Part | None:
        return next((p for p in self.parts if p.name == name), None)


@dataclass(frozen=True, slots=True)
class Context:
    """What the history alone does not say: shared past with me, the goal, an occasion."""

    shared: float = 0.0
    shared_reason: str = ""
    goal: float = 0.0
    goal_reason: str = ""
    timing: float = 0.0
    timing_reason: str = ""


@dataclass(frozen=True)
class Weights:
    values: Mapping[str, float]
    provenance: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> float:
        return float(self.values.get(name, 0.0))

    def with_overrides(self, overrides: Mapping[str, float]) -> Weights:
        unknown = set(overrides) - set(PARTS)
        if unknown:
            raise ValueError(f"unknown score part(s): {', '.join(sorted(unknown))}")
        return Weights({**self.values, **overrides}, self.provenance)


@cache
def default_weights() -> Weights:
    text = resources.files("rekindle").joinpath("data/engine_weights.json").read_text("utf-8")
    data = json.loads(text)
    return Weights(dict(data["weights"]), dict(data.get("provenance", {})))


# --- the parts -----------------------------------------------------------------------------


def strength(f: TieFeatures) -> float:
    return 1.0 - math.exp(-f.decayed / 6.0)


def history(f: TieFeatures) -> float:
    """A long, regular, once-intense relationship (active days, span, peak strength)."""
    if not f.personal:
        return 0.0
    days = min(1.0, math.log1p(f.active_days) / math.log(31))
    span = min(1.0, f.duration_days / 730.0)
    peak = 1.0 - math.exp(-f.peak / 10.0)
    return 0.4 * days + 0.3 * span + 0.3 * peak


def bond_peak(f: TieFeatures) -> float:
    """The tie's peak strength, counting a lopsided tie only as far as it was answered."""
    low, high = sorted((f.messages_in, f.messages_out))
    if not lopsided(f.messages_in, f.messages_out, f.meetings):
        return f.peak
    return f.peak * (low + f.meetings) / (LOPSIDED * high)


def bond(f: TieFeatures) -> float:
    """How strong the tie was at its best, in reciprocated personal contact (a close tie ~0.4,
    one of your strongest near 1)."""
    if not f.two_way:
        return 0.0
    return 1.0 - math.exp(-bond_peak(f) / 40.0)


def circles(f: TieFeatures) -> float:
    return 1.0 - math.exp(-f.circles / 2.0)


def sightings(f: TieFeatures) -> float:
    return 1.0 - math.exp(-f.group_recent / 3.0)


def dormancy(f: TieFeatures) -> float:
    """Overdue relative to the usual gap: rises to 1 at 3x, holds to 8x, then the tie decays."""
    ratio = f.gap_ratio
    if ratio is None:
        if f.silence_days is None:
            return 0.0
        return min(1.0, f.silence_days / 180.0) * 0.5
    if ratio <= 1.0:
        return 0.0
    if ratio <= 3.0:
        return (ratio - 1.0) / 2.0
    if ratio <= 8.0:
        return 1.0
    return 8.0 / ratio


def replies(f: TieFeatures) -> float:
    if f.reply_hours is None:
        return 0.0
    return 1.0 / (1.0 + f.reply_hours / 72.0)


def tie_parts(f: TieFeatures) -> dict[str, float]:
    return {
        "strength": strength(f),
        "history": history(f),
        "bond": bond(f),
        "circles": circles(f),
        "sightings": sightings(f),
        "dormancy": dormancy(f),
        "reciprocity": f.reciprocity,
        "replies": replies(f),
    }


def score(
    f: TieFeatures,
    weights: Weights,
    context: Context | None = None,
    names: Mapping[str, str] | None = None,
    *,
    worded: bool = True,
) -> Score:
    """The weighted parts; ``names`` turns person keys in the circles reason into names.
    Without ``worded``, the tie's own parts come without their reasons (a plan weighs thousands
    of ties and words only its picks: :func:`worded`)."""
    context = context or Context()
    values = tie_parts(f)
    values.update(shared=context.shared, goal=context.goal, timing=context.timing)
    texts = _tie_reasons(f, names or {}) if worded else {}
    texts.update(
        shared=context.shared_reason, goal=context.goal_reason, timing=context.timing_reason
    )
    parts = tuple([Part(n, round(values[n], 4), weights[n], texts.get(n, "")) for n in PARTS])
    return Score(round(sum([p.value * p.weight for p in parts]), 6), parts)


def worded(s: Score, f: TieFeatures, names: Mapping[str, str] | None = None) -> Score:
    """``s`` (scored without ``worded``, perhaps with parts added since) with the reasons of
    the tie's own parts, as :func:`score` words them."""
    texts = _tie_reasons(f, names or {})
    parts = tuple(
        Part(p.name, p.value, p.weight, texts.get(p.name, "")) if p.name in TIE_PARTS else p
        for p in s.parts
    )
    return Score(s.total, parts)


def rank_value(f: TieFeatures, weights: Weights) -> float:
    """The score without reasons (for the backtest's thousands of candidates)."""
    return sum(v * weights[n] for n, v in tie_parts(f).items())


# --- reasons in words ----------------------------------------------------------------------


def month(d: datetime) -> str:
    return _month(d.year, d.month)


@lru_cache(maxsize=1024)
def _month(year: int, month: int) -> str:
    """'Mar 2019' (remembered: a plan names the months of thousands of ties)."""
    return date(year, month, 1).strftime("%b %Y")


def span_words(days: float) -> str:
    if days < 1.5:
        return "a day"
    if days < 45:
        return f"{max(1, round(days))} days"
    if days < 548:
        return counted(round(days / 30.4), "month")
    years = days / 365.25
    return f"{years:.0f} years" if years >= 2.75 else f"{years:.1f} years".replace(".0 ", " ")


def _tie_reasons(f: TieFeatures, names: Mapping[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    if f.personal and f.first and f.last:
        talk = counted(f.messages_in + f.messages_out, "message")
        if f.meetings:
            talk += f" and {counted(f.meetings, 'meeting')}"
        out["strength"] = f"{talk}, last on {f.last:%d %b %Y}"
        if f.peak_at is not None:
            out["history"] = (
                f"in touch on {counted(f.active_days, 'day')} from {month(f.first)} to {month(f.heard or f.last)}, "
                f"closest around {month(f.peak_at)}"
            )
    if f.two_way and f.peak_at is not None and bond(f) > 0:
        meetings = f", {counted(f.meetings, 'meeting')}" if f.meetings else ""
        out["bond"] = (
            f"a two-way tie ({f.messages_in} in, {f.messages_out} out{meetings}), "
            f"strongest around {month(f.peak_at)}"
        )
    if f.circle_people:
        who = ", ".join(names.get(k, k) for k in f.circle_people)
        out["circles"] = f"shared conversations with people you talk to now ({who})"
    if f.group_recent:
        out["sightings"] = (
            f"on {counted(f.group_recent, 'group message')} with you in the last {RECENT_DAYS} days"
        )
    if f.silence_days is not None:
        quiet = f"quiet for {span_words(f.silence_days)}"
        if f.usual_gap_days and f.gap_ratio is not None:
            gap = span_words(max(f.usual_gap_days, 1))
            if f.gap_ratio > 8 and f.silence_days >= FADED_DAYS:
                quiet += f", long past your usual gap of {gap}"  # not fading: gone quiet
            else:
                quiet += f", {f.gap_ratio:.0f}x your usual gap of {gap}"
                if f.gap_ratio > 8:
                    quiet += ": the tie is fading"
        out["dormancy"] = quiet
    if f.personal and f.messages_in and f.messages_out:
        out["reciprocity"] = f"both of you wrote ({f.messages_in} in, {f.messages_out} out)"
    if f.reply_hours is not None:
        out["replies"] = f"usually answered you within {span_words_hours(f.reply_hours)}"
    return out


def span_words_hours(hours: float) -> str:
    if hours < 1.5:
        return "an hour"
    if hours < 36:
        return f"{round(hours)} hours"
    return span_words(hours / 24.0)
