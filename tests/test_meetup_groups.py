"""Meetup groups from shared context: who shares what, in words and dates, with the dormant
ties first; the user's own periods say "you were there too"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from rekindle.engine.meetup_groups import (
    Found,
    Place,
    SharedThread,
    Stint,
    TieState,
    city_groups,
    is_dormant,
    organisation_groups,
    propose_groups,
    tag_groups,
    thread_groups,
)
from rekindle.engine.shared_context import Period

TODAY = date(2026, 12, 1)
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
NAMES = {i: f"Person {i}" for i in range(1, 11)}


def _tie(pid: int, days_ago: int | None, gap: float = 30.0) -> TieState:
    last = NOW - timedelta(days=days_ago) if days_ago is not None else None
    return TieState(pid, last, last, gap, strength=1.0 / pid)


def test_dormant_needs_a_two_way_past_and_a_long_silence() -> None:
    assert is_dormant(_tie(1, 400), TODAY)
    assert not is_dormant(_tie(1, 100), TODAY)
    assert not is_dormant(_tie(1, None), TODAY)  # never a two-way exchange
    assert not is_dormant(_tie(1, 200, gap=90.0), TODAY)  # 3 × a 90-day gap is 270 days
    assert not is_dormant(None, TODAY)


def test_colleagues_of_the_same_years_with_me_there_too() -> None:
    stints = [
        Stint(1, "Acme Corp.", "work", date(2014, 3, 1), date(2018, 6, 1)),
        Stint(2, "ACME", "work", date(2015, 1, 1), date(2019, 1, 1)),
        Stint(3, "Acme", "work", date(2016, 1, 1), date(2017, 12, 1)),
        Stint(4, "Acme", "work", date(2021, 1, 1), None),  # later: not the same team
        Stint(5, "Globex", "work", date(2016, 1, 1), None),
    ]
    mine = [Period("Acme Inc", None, "work", date(2013, 1, 1), date(2018, 1, 1))]
    found = {key: (why, people) for key, _, why, people in organisation_groups(stints, mine, TODAY)}
    why, people = found["work:acme"]
    assert people == {1, 2, 3}
    assert why[0] == "worked at Acme Corp. at the same time (2016–2017)"
    assert why[1] == "you were there too (2016–2017)"
    assert "work:globex" not in found  # one person is no group


def test_school_cities_tags_and_threads_say_why() -> None:
    school = organisation_groups(
        [Stint(i, "MIT", "school", date(2010, 9, 1), date(2014, 6, 1)) for i in (1, 2)], [], TODAY
    )
    assert school[0][2][0] == "studied at MIT at the same time (2010–2014)"
    cities = city_groups([Place(1, "Nantes", "France"), Place(2, " nantes ", "France"),
                          Place(3, "Nantes", "")])  # fmt: skip
    assert sorted(len(c[3]) for c in cities) == [1, 2]
    assert tag_groups({1: {"climate"}, 2: {"Climate "}})[0][2] == ["you tagged them “climate”"]
    thread = SharedThread("t1", "Re: RE: Offsite planning", "thread", frozenset({1, 2, 3}),
                          NOW - timedelta(days=800), NOW - timedelta(days=780), 7)  # fmt: skip
    why = thread_groups([thread])[0][2][0]
    assert (
        why
        == "were all on the thread “Offsite planning” (7 messages, September 2024 – October 2024)"
    )
    crowd = SharedThread("t2", "All hands", "meeting", frozenset(range(100)), NOW, NOW)
    assert thread_groups([crowd]) == []  # a crowd says little about a shared context


def test_groups_rank_dormant_ties_first_and_never_repeat_the_same_people() -> None:
    found = Found(
        organisation=[("work:acme", "Acme", ["worked at Acme"], {1, 2, 3, 4})],
        city=[("nantes|", "Nantes", ["live in Nantes"], {1, 2, 3, 4})],  # the same people
        tag=[("climate", "climate", ["tagged climate"], {5, 6, 7})],
        thread=[("t", "Small", ["on a thread"], {8, 9})],  # too small
    )
    ties = {1: _tie(1, 500), 2: _tie(2, 10), 3: _tie(3, 600), 4: _tie(4, 20),
            5: _tie(5, 5), 6: _tie(6, 5), 7: _tie(7, 5)}  # fmt: skip
    groups = propose_groups(found, NAMES, ties, TODAY)
    assert [g.label for g in groups] == ["Acme", "climate"]
    acme = groups[0]
    assert acme.why == ["worked at Acme", "live in Nantes"]  # one group, both reasons
    assert acme.dormant == [1, 3] and [pid for pid, _ in acme.people][:2] == [1, 3]
    assert acme.as_json()["dormant_count"] == 2
    # the user (not among the invitable names) is never in a group
    without = propose_groups(found, {k: v for k, v in NAMES.items() if k != 1}, ties, TODAY)
    assert all(1 not in {p for p, _ in g.people} for g in without)
    capped = propose_groups(found, NAMES, ties, TODAY, max_size=3)
    assert capped[0].size == 3 and capped[0].more == 1
    assert [g.kind for g in propose_groups(found, NAMES, ties, TODAY, kinds=["tag"])] == ["tag"]


def test_a_group_is_found_by_its_key_even_when_a_better_one_hides_it() -> None:
    found = Found(
        organisation=[("work:acme", "Acme", ["worked at Acme"], {1, 2, 3, 4})],
        city=[("nantes|", "Nantes", ["live in Nantes"], {1, 2, 3, 5})],  # mostly the same
    )
    ties = {pid: _tie(pid, 500) for pid in range(1, 6)}
    shown = propose_groups(found, NAMES, ties, TODAY)
    assert [g.label for g in shown] == ["Acme"]  # the near-copy is left out of the list
    [nantes] = propose_groups(found, NAMES, ties, TODAY, key="city:nantes|")
    assert nantes.label == "Nantes" and {p for p, _ in nantes.people} == {1, 2, 3, 5}
    assert propose_groups(found, NAMES, ties, TODAY, key="city:nowhere|") == []
