"""Tie statistics computed as columns agree with the one-person-at-a-time computation."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rekindle.history import tie_arrays as ta
from rekindle.history.ties import Contact, TieStats, compute_tie

NOW = datetime(2024, 6, 1, tzinfo=UTC)

contacts = st.lists(
    st.builds(
        Contact,
        when=st.integers(-20 * 365 * 24, 24 * 30).map(lambda h: NOW + timedelta(hours=h)),
        direction=st.sampled_from(["in", "out", "both"]),
        channel=st.sampled_from(["email", "email", "linkedin", "meeting"]),
        group_size=st.integers(1, 7),
        thread=st.sampled_from([None, "", "t1", "t2", "t3"]),
    ),
    max_size=40,
)


def columns(people: dict[int, list[Contact]]) -> ta.ContactColumns:
    """The contacts as the store hands them on: by person, time and interaction."""
    rows = sorted(
        (pid, ta.micros(c.when), n, c) for pid, cs in people.items() for n, c in enumerate(cs)
    )
    codes: dict[str, int] = {}
    return ta.ContactColumns(
        person=np.array([r[0] for r in rows], dtype=np.int64),
        interaction=np.array([r[2] for r in rows], dtype=np.int64),
        when=np.array([r[1] for r in rows], dtype=np.int64),
        direction=np.array([{"in": 0, "out": 1, "both": 2}[r[3].direction] for r in rows], np.int8),
        channel=np.array([1 if r[3].channel == "meeting" else 0 for r in rows], dtype=np.int8),
        group_size=np.array([r[3].group_size for r in rows], dtype=np.int64),
        thread=np.array(
            [codes.setdefault(r[3].thread, len(codes)) if r[3].thread else -1 for r in rows],
            dtype=np.int64,
        ),
    )


def assert_close(a: TieStats, b: TieStats) -> None:
    for f in fields(TieStats):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, float) and isinstance(y, float):
            assert abs(x - y) <= 1.0001e-4, (f.name, x, y)
        else:
            assert x == y, (f.name, x, y)


@settings(max_examples=150, deadline=None)
@given(st.lists(contacts, min_size=1, max_size=5))
def test_columns_give_the_statistics_of_each_person(histories: list[list[Contact]]) -> None:
    people = {10 + i: cs for i, cs in enumerate(histories) if cs}
    got = ta.ties_of(columns(people), NOW, {pid: pid for pid in people})
    assert set(got) == set(people)
    for pid, cs in people.items():
        assert_close(got[pid], compute_tie(cs, NOW, embeddedness=pid))


def test_decayed_sums_of_contacts_centuries_apart_stay_finite() -> None:
    old = [Contact(datetime(1, 1, 1, tzinfo=UTC), "out"), Contact(NOW - timedelta(days=9), "in")]
    got = ta.ties_of(columns({1: old}), NOW, {})[1]
    assert_close(got, compute_tie(old, NOW))
    assert got.peak_decayed == 2.0 and 0.9 < got.decayed_sum < 1.0


def test_embeddedness_counts_other_people_on_small_group_contacts_until_now() -> None:
    cols = ta.ContactColumns(
        person=np.array([1, 1, 1, 2, 2, 3, 3, 4], dtype=np.int64),
        interaction=np.array([7, 8, 9, 7, 9, 7, 8, 9], dtype=np.int64),
        when=np.array([0, 0, ta.micros(NOW) + 1, 0, ta.micros(NOW) + 1, 0, 0, 0], np.int64),
        direction=np.zeros(8, dtype=np.int8),
        channel=np.zeros(8, dtype=np.int8),
        group_size=np.array([3, 5, 2, 3, 2, 3, 5, 2], dtype=np.int64),
        thread=np.full(8, -1, dtype=np.int64),
    )
    # 7: small, 1+2+3 together; 8: group mail (5 others); 9: after now for 1 and 2
    assert ta.embeddedness_of(cols, NOW) == {1: 2, 2: 2, 3: 2}
