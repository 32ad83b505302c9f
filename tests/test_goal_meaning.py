"""A goal reaches people by meaning, from a model that ships in a package and never downloads."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest

from rekindle.engine.goal_columns import GoalColumns
from rekindle.engine.goal_match import goal_sentence, goal_terms, meaning_value
from rekindle.engine.meaning import text_vectors
from rekindle.engine.scoring import Part, Score
from rekindle.services import plan as plan_svc
from rekindle.services.demo import load_sample
from rekindle.store import Store

NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.skipif(
    text_vectors() is None, reason="the wordllama package (the goal's meaning model) is missing"
)


def test_the_model_loads_with_the_network_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("Rekindle tried to reach the network while loading its model")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    text_vectors.cache_clear()
    try:
        vectors = text_vectors()
    finally:
        text_vectors.cache_clear()
    assert vectors is not None
    rows = vectors.embed(["teaching", "", "x" * 1_000_000])
    assert rows.shape == (3, vectors.dimensions)
    assert abs(float((rows[0] ** 2).sum()) - 1.0) < 1e-4
    assert not rows[1].any()  # no token, no meaning


def test_texts_of_like_meaning_are_near() -> None:
    vectors = text_vectors()
    assert vectors is not None
    goal, near, far = vectors.embed(["teaching", "education", "wedding photographer"])
    assert float(goal @ near) > 0.45 > 0.2 > float(goal @ far)


def test_the_goal_is_read_without_what_the_user_is_doing() -> None:
    assert goal_terms("moving to Berlin") == ["berlin"]
    assert goal_sentence("job hunting in robotics") == "robotics"
    assert goal_sentence("a new job") == "a new job"  # all filler: read as written
    assert meaning_value(0.2) == 0.0 and meaning_value(0.9) == 1.0
    assert 0.0 < meaning_value(0.5) < 1.0


def test_a_person_matches_by_the_piece_nearest_the_goal() -> None:
    texts: dict[int, list[str]] = {
        1: ["Marigold Learning Program Lead", "education"],
        2: ["Pinecrest Media Photographer", "weddings"],
        3: [],
    }
    terms = goal_terms("teaching")
    index = GoalColumns(sorted(texts), texts.__getitem__, None, "teaching", terms, text_vectors())
    teacher = index.match(1, terms)
    assert teacher.meant == "education" and teacher.value > 0.5
    assert teacher.matched == ()  # no word of the goal appears in their text
    assert index.match(2, terms).value == 0.0
    assert index.match(3, terms).value == 0.0
    # without the model, words alone: the same index finds no one for "teaching"
    words = GoalColumns([1], lambda _: ["education"], None, "teaching", terms, None)
    assert words.match(1, terms).value == 0


def test_the_goal_reason_is_always_shown_when_it_counted() -> None:
    parts = (
        Part("bond", 1.0, 2.0, "a two-way tie"),
        Part("history", 1.0, 1.5, "in touch for years"),
        Part("circles", 1.0, 1.4, "shared conversations"),
        Part("goal", 0.4, 2.0, "fits your goal \u201cteaching\u201d"),
    )
    shown = Score(6.0, parts).reasons()
    assert len(shown) == 3 and shown[-1].startswith("fits your goal")
    assert "a two-way tie" in shown
    no_goal = Score(5.0, parts[:3]).reasons()
    assert no_goal == ["a two-way tie", "in touch for years", "shared conversations"]


def test_a_goal_said_otherwise_moves_the_plan(store: Store) -> None:
    load_sample(store, now=NOW)
    plain = plan_svc.weekly_plan(store, NOW)
    teaching = plan_svc.weekly_plan(store, NOW, goal="teaching")
    assert {s.person_id for s in teaching.suggestions} != {s.person_id for s in plain.suggestions}
    fits = [s for s in teaching.suggestions if s.parts["goal"] > 0]
    assert fits, "no one in the sample's education field was lifted by the goal 'teaching'"
    assert all(any("by meaning" in r for r in s.reasons) for s in fits)
