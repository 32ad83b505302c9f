"""A goal's match with everyone, kept between plans: read back value for value, and not read
back once anything it was made from changed (the goal, anyone's words, their mail)."""

from __future__ import annotations

import random
from dataclasses import asdict
from datetime import UTC, datetime

import pytest

from rekindle.engine.goal_columns import GoalColumns
from rekindle.engine.goal_match import GoalMatch, goal_terms
from rekindle.engine.kept_goal import KeptGoal
from rekindle.engine.meaning import model_state, text_vectors
from rekindle.services import goal_kept, plan_network, tie_snapshot
from rekindle.services import plan as plan_svc
from rekindle.services.demo import load_sample
from rekindle.services.plan_compute import compute_plan
from rekindle.services.plan_options import Plan, options
from rekindle.services.ranker import stored_model
from rekindle.store import Store
from rekindle.store import goal_match as gq
from rekindle.store.schema import note, tag
from rekindle.store.settings import get_settings
from tests.test_goal_columns import subjects

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)
GOAL = "payments / banking"


def test_a_kept_match_reads_back_as_it_was_made() -> None:
    own = {
        1: ["Acme Payments"],
        2: ["Globex"],
        3: [],
        4: ["Initech Payments team", "Bank treasury operations"],
        5: ["Wedding photographer"],
    }
    mail = subjects({2: ["Banking chat", "Zürich offsite"], 3: ["Invoice for the loan"]})
    terms = goal_terms(GOAL)
    index = GoalColumns(sorted(own), own.__getitem__, mail, GOAL, terms, text_vectors())
    fields = {1: "finance", 4: "finance", 5: "arts"}
    kept = KeptGoal.of(index, sorted(own), fields.get)
    back = KeptGoal.read(kept.data())
    assert back is not None
    for pid in [*own, 99]:
        assert back.match(pid, terms) == kept.match(pid, terms) == index.match(pid, terms)
    assert back.match(99, terms) == GoalMatch(0.0, ())
    assert back.fields() == {pid: fields.get(pid) for pid in own}
    assert back.match(2, terms).matched == ("bank",)
    if text_vectors() is not None:  # the loan's invoice fits by meaning, not by a word
        assert model_state() != "none"
        assert back.match(3, terms).meant == "Invoice for the loan"
    with pytest.raises(ValueError):
        back.match(1, ["robotics"])


def test_a_match_without_any_piece_or_field_reads_back() -> None:
    """Nobody matched by meaning, nobody with a field, even nobody at all."""
    for own in ({1: ["Globex"], 2: []}, {}):
        terms = goal_terms(GOAL)
        index = GoalColumns(sorted(own), own.__getitem__, None, GOAL, terms, None)
        kept = KeptGoal.of(index, sorted(own), lambda _: None)
        back = KeptGoal.read(kept.data())
        assert back is not None and back.fields() == dict.fromkeys(own)
        assert [back.match(p, terms) for p in own] == [GoalMatch(0.0, ())] * len(own)


@pytest.mark.parametrize("goal", [GOAL, "teaching", "robotics startup in Berlin", "a new job"])
def test_everyone_s_match_at_once_is_each_one_s_match(goal: str) -> None:
    """The matches kept for a whole network, worked out at once, are those asked one by one:
    values to the last bit, the words, the nearest piece (the first of the nearest)."""
    rng = random.Random(7)
    words = [
        "Acme Payments", "Bank treasury operations", "University of Lyon", "Teaching assistant",
        "Robot arms", "Berlin office", "Wedding photographer", "Invoice for the loan",
        "payments team", "Lunch?", "Kindergarten teacher", "Startup pitch night", "",
    ]  # fmt: skip
    own = {pid: rng.sample(words, rng.randint(0, 3)) for pid in range(1, 120)}
    mail = subjects({pid: rng.sample(words, 2) for pid in range(1, 120) if rng.random() < 0.5})
    terms = goal_terms(goal)
    index = GoalColumns(sorted(own), own.__getitem__, mail, goal, terms, text_vectors())
    kept = KeptGoal.of(index, sorted(own), lambda _: None)
    for pid in own:
        assert kept.match(pid, terms) == index.match(pid, terms), pid
    if goal == GOAL and text_vectors() is not None:  # the loan's invoice, by meaning
        assert any(kept.match(pid, terms).meant for pid in own)


def _plan(store: Store, goal: str, keep: bool) -> Plan:
    owner = store.owner_id
    with store.begin() as conn:
        snap = tie_snapshot.stored(conn, owner, NOW)
        assert snap is not None and snap.subjects is not None
        opts = options(get_settings(conn, owner))
        return compute_plan(
            conn, owner, NOW, opts, goal, stored_model(conn, owner), snap, keep_goal=keep
        )


def _kept(store: Store) -> bytes | None:
    with store.read() as conn:
        snap = tie_snapshot.stored(conn, store.owner_id, NOW)
        assert snap is not None and snap.subjects is not None
        key = goal_kept.key_of(conn, store.owner_id, GOAL, goal_terms(GOAL), snap.subjects)
        return gq.load(conn, store.owner_id, key)


def test_the_next_plan_reads_the_kept_match_and_plans_the_same(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_sample(store, now=NOW)
    plan_svc.weekly_plan(store, NOW, refresh=True)  # the fit takes the snapshot
    assert _kept(store) is None
    made = _plan(store, GOAL, keep=False)
    assert _kept(store) is None  # not kept unless asked
    first = _plan(store, GOAL, keep=True)
    assert _kept(store) is not None
    made_again: list[int] = []
    original = GoalColumns.__init__

    def counted(self: GoalColumns, *args: object, **kwargs: object) -> None:
        made_again.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(GoalColumns, "__init__", counted)
    second = _plan(store, GOAL, keep=True)
    assert made_again == []  # read back, not matched again
    for plan in (first, second):
        assert [asdict(s) for s in plan.suggestions] == [asdict(s) for s in made.suggestions]
        assert (plan.due, plan.dormant, plan.held) == (made.due, made.dormant, made.held)
    assert any("fits your goal" in r for s in second.suggestions for r in s.reasons)
    # another goal is matched afresh, and kept in its place
    _plan(store, "robotics startup in Berlin", keep=True)
    assert made_again == [1] and _kept(store) is None


def test_a_change_to_anyone_s_words_matches_the_goal_again(sqlite_store: Store) -> None:
    store = sqlite_store
    load_sample(store, now=NOW)
    plan_svc.weekly_plan(store, NOW, refresh=True)
    _plan(store, GOAL, keep=True)
    assert _kept(store) is not None
    owner = store.owner_id
    with store.read() as conn:
        someone = int(conn.execute(tag.select().limit(1)).first().person_id)
    # a note that names the goal: the kept match no longer holds
    with store.begin() as conn:
        conn.execute(
            note.insert().values(
                owner_id=owner, person_id=someone, body="runs payments at a bank", created_at=NOW
            )
        )
    assert _kept(store) is None
    after = _plan(store, GOAL, keep=True)
    assert _kept(store) is not None
    with store.read() as conn:
        net = plan_network.read_network(conn, owner, GOAL)
        assert net.goal_value(someone) > 0
    assert after.suggestions
    # a tag taken away: again
    with store.begin() as conn:
        conn.execute(tag.delete().where(tag.c.person_id == someone))
    assert _kept(store) is None
