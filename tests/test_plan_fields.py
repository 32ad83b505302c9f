"""Goal and diversity: a field per person, a goal that recomputes and moves the picks, and a
plan spread across fields."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from rekindle.engine.fields import domain_words, goal_fields, infer_field
from rekindle.engine.plan import (
    Candidate,
    diversity_words,
    fields_of,
    select,
    silence_span,
    silent_as_long,
    similarity,
    spans_of,
)
from rekindle.engine.scoring import Part, Score
from rekindle.services import plan as plan_svc
from rekindle.services import plan_actions as act
from rekindle.services.demo import load_sample
from rekindle.store import Store

NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def test_fields_from_organisation_title_and_domain() -> None:
    assert infer_field("Polestar Robotics Lab") == "robotics"
    assert infer_field("Riverstone Bank") == "finance & banking"
    assert infer_field("Brightline Payments") == "finance & banking"
    assert infer_field("Whitlock Legal") == "law"
    assert infer_field("Marigold Learning") == "education & research"
    assert infer_field(None, "Senior Attorney") == "law"
    assert infer_field(address="mery.l.brown@accenture.com") == "consulting"
    assert infer_field(address="someone@gmail.com") is None  # a free mail domain says nothing
    assert infer_field("Acme") is None
    assert domain_words("a@cs.stanford.edu") == ["cs", "stanford", "edu"]
    assert goal_fields("job hunting in robotics") == {"robotics"}
    assert goal_fields("payments / banking") == {"finance & banking"}
    assert goal_fields("Berlin") == set()


def cand(pid: int, value: float, org: str, field: str | None) -> Candidate:
    return Candidate(
        pid, f"P{pid}", Score(value, (Part("strength", 1.0, value, "x"),)), org, field=field
    )


def test_the_list_spreads_across_fields() -> None:
    pool = [
        cand(1, 1.00, "Riverstone Bank", "finance & banking"),
        cand(2, 0.97, "Quayside Capital", "finance & banking"),
        cand(3, 0.90, "Polestar Robotics", "robotics"),
    ]
    assert similarity(pool[0], pool[1]) >= 0.6
    picked = select(pool, 2)
    assert [c.person_id for c in picked] == [1, 3]
    assert fields_of(picked) == ["finance & banking", "robotics"]
    assert [c.person_id for c in select(pool, 2, diversity=0.0)] == [1, 2]
    # the field a goal names is no sameness: two of it are what the user asked for
    assert similarity(pool[0], pool[1], {"finance & banking"}) == 0.0
    assert [c.person_id for c in select(pool, 2, wanted={"finance & banking"})] == [1, 2]
    same_bank = replace(pool[1], organisation="Riverstone Bank")  # one employer stays spread
    assert [
        c.person_id for c in select([pool[0], same_bank, pool[2]], 2, wanted={"finance & banking"})
    ] == [1, 3]


def test_the_list_spreads_across_lengths_of_silence() -> None:
    """Ties lost this year rank first on their likelier comeback; the week still holds one
    lost years ago when it is worth nearly as much."""
    pool = [
        replace(cand(1, 1.00, "A", None), silent_days=300),
        replace(cand(2, 0.95, "B", None), silent_days=250),
        replace(cand(3, 0.80, "C", None), silent_days=1400),
        replace(cand(4, 0.30, "D", None), silent_days=800),
    ]
    assert silence_span(300) == silence_span(250) == "under a year"
    assert silence_span(800) == "1–3 years" and silence_span(1400) == "3 years or more"
    assert silence_span(None) is None
    picked = select(pool, 2)
    assert [c.person_id for c in picked] == [1, 3]
    assert spans_of(picked) == ["under a year", "3 years or more"]
    assert [c.person_id for c in select(pool, 2, diversity=0.0, span_diversity=0.0)] == [1, 2]
    # unknown silences are never alike
    assert not silent_as_long(cand(5, 1, "E", None), [cand(6, 1, "F", None)])
    assert diversity_words(["law"], ["under a year"]) == ""
    assert diversity_words(["law", "robotics"], ["under a year", "1–3 years"]) == (
        "diversified across 2 fields (law, robotics) and 2 lengths of silence "
        "(under a year, 1–3 years)"
    )


def test_a_goal_recomputes_and_moves_the_picks(store: Store) -> None:
    load_sample(store, now=NOW)
    stored = plan_svc.weekly_plan(store, NOW)
    assert stored.fields and len(stored.fields) == len(set(stored.fields))
    robotics = plan_svc.weekly_plan(store, NOW, goal="job hunting in robotics")
    banking = plan_svc.weekly_plan(store, NOW, goal="payments / banking")
    assert not robotics.stored and not banking.stored  # --goal recomputes, the plan is not reused
    ids = {s.person_id for s in stored.suggestions}
    assert {s.person_id for s in robotics.suggestions} != ids
    assert {s.person_id for s in banking.suggestions} != {s.person_id for s in robotics.suggestions}
    fits = [s for s in banking.suggestions if s.parts["goal"] > 0]
    assert fits and all(s.field == "finance & banking" for s in fits)
    assert any("fits your goal" in r for s in fits for r in s.reasons)
    assert any(s.field == "robotics" and s.parts["goal"] > 0 for s in robotics.suggestions)
    # the stored plan is untouched by a --goal run; a goal set as current recomputes it
    again = plan_svc.weekly_plan(store, NOW)
    assert again.stored and [s.person_id for s in again.suggestions] == [
        s.person_id for s in stored.suggestions
    ]
    assert again.fields == stored.fields  # read back, it still says what it was diversified across
    act.set_goal(store, "payments / banking", now=NOW)
    current = plan_svc.weekly_plan(store, NOW)
    assert [s.person_id for s in current.suggestions] == [s.person_id for s in banking.suggestions]
