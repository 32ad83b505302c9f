"""The goal matched with everyone at once: each person's own words and the subjects of their
mail, a goal word weighed by how few people in the whole network have it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rekindle.engine.goal_columns import GoalColumns
from rekindle.engine.goal_match import goal_alternatives, goal_terms
from rekindle.history.mail_subjects import Subjects


def subjects(lists: dict[int, list[str]]) -> Subjects:
    texts = list(dict.fromkeys(t for found in lists.values() for t in found))
    people = sorted(lists)
    codes = [texts.index(t) for p in people for t in lists[p]]
    return Subjects(
        texts,
        np.asarray(people, dtype=np.int64),
        np.cumsum([len(lists[p]) for p in people]).astype(np.int64),
        np.asarray(codes, dtype=np.int32),
    )


def test_words_of_their_mail_count_and_rare_words_weigh_more() -> None:
    own = {1: ["Acme Payments"], 2: ["Globex"], 3: [], 4: ["Initech Payments team"]}
    mail = subjects({2: ["Banking chat", "Acme Payments"], 1: ["Acme Payments"], 99: ["Banking"]})
    goal = "payments banking"  # one goal of two words: the more of them, the better
    terms = goal_terms(goal)
    index = GoalColumns(sorted(own), own.__getitem__, mail, goal, terms, None)
    one, two, three, four = (index.match(p, terms) for p in (1, 2, 3, 4))
    assert two.matched == ("payment", "bank") and two.value == pytest.approx(1.0)
    assert one.matched == four.matched == ("payment",)
    assert three.value == 0.0 and index.match(99, terms).value == 0.0  # nobody in the network
    # "payment" is had by three people of four, "bank" by one: each weighed by the network
    payment, banking = math.log(1 + 4 / 4), math.log(1 + 4 / 2)
    assert one.value == pytest.approx(payment / (payment + banking))
    with pytest.raises(ValueError):
        index.match(1, ["robotics"])
    # two alternatives: either fits the goal fully (by the better one), rare or not
    either = "payments / banking"
    index = GoalColumns(sorted(own), own.__getitem__, mail, either, goal_terms(either), None)
    assert goal_alternatives(either, terms) == [[0], [1]]
    assert goal_alternatives("design, UX or research", ["design", "ux", "research"]) == [
        [0],
        [1],
        [2],
    ]
    assert goal_alternatives("robotics startup in Berlin", ["robotic", "startup", "berlin"]) == [
        [0, 1, 2]
    ]
    assert [index.match(p, terms).value for p in (1, 2, 3, 4)] == [1.0, 1.0, 0.0, 1.0]
    assert index.match(1, terms).matched == ("payment",)
    values, hits, _ = index.everyone()
    assert values == [1.0, 1.0, 0.0, 1.0]


def test_without_a_goal_word_nobody_matches() -> None:
    index = GoalColumns(
        [1, 2], lambda _: ["Acme"], None, "a new job", goal_terms("a new job"), None
    )
    assert index.match(1, []).value == 0.0 and index.match(2, []).matched == ()
