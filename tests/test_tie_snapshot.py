"""The week's snapshot of every tie: the plan read from it is the plan read from every
tie's contacts, and it is not read once the history changed or the week is over."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta

import pytest

from rekindle.services import outreach as outreach_svc
from rekindle.services import plan as plan_svc
from rekindle.services import tie_snapshot
from rekindle.services.demo import load_sample
from rekindle.services.plan_compute import compute_plan
from rekindle.services.plan_options import Plan, options
from rekindle.services.ranker import stored_model
from rekindle.store import Store
from rekindle.store import engine as eq
from rekindle.store.history import insert_interaction
from rekindle.store.settings import get_settings

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def both_plans(store: Store, now: datetime, goal: str | None = None) -> tuple[Plan, Plan]:
    """(the plan from the stored snapshot, the plan from every tie's contacts)."""
    owner = store.owner_id
    with store.read() as conn:
        model = stored_model(conn, owner)
        snap = tie_snapshot.stored(conn, owner, now)
        assert snap is not None
        opts = options(get_settings(conn, owner))
        fast = compute_plan(conn, owner, now, opts, goal, model, snap)
        full = compute_plan(conn, owner, now, opts, goal, model, None)
    return fast, full


def same(a: Plan, b: Plan) -> None:
    assert [asdict(s) for s in a.suggestions] == [asdict(s) for s in b.suggestions]
    assert (a.due, a.dormant, a.held, a.held_by) == (b.due, b.dormant, b.held, b.held_by)
    assert a.ranked_by == b.ranked_by and a.fields == b.fields and a.spans == b.spans


def test_the_plan_from_the_snapshot_is_the_plan_from_the_contacts(store: Store) -> None:
    load_sample(store, now=NOW)
    plan_svc.weekly_plan(store, NOW, refresh=True)  # the fit takes the snapshot
    fast, full = both_plans(store, NOW)
    assert len(fast.suggestions) >= 3 and fast.dormant > 10
    same(fast, full)
    fast, full = both_plans(store, NOW, goal="payments / banking")
    same(fast, full)
    assert fast.suggestions[0].name == full.suggestions[0].name


def test_an_answered_outreach_is_read_afresh(sqlite_store: Store) -> None:
    store = sqlite_store
    load_sample(store, now=NOW)
    first = plan_svc.weekly_plan(store, NOW, refresh=True)
    pick = first.suggestions[0]
    sent = outreach_svc.log_outreach(
        store, str(pick.person_id), "email", at=NOW - timedelta(days=3), now=NOW
    )
    outreach_svc.mark(store, sent.id, "replied", at=NOW - timedelta(days=1), now=NOW)
    fast, full = both_plans(store, NOW)
    same(fast, full)
    assert pick.person_id not in [s.person_id for s in fast.suggestions]


def test_a_snapshot_serves_its_history_for_a_week(sqlite_store: Store) -> None:
    store = sqlite_store
    load_sample(store, now=NOW)
    plan_svc.weekly_plan(store, NOW, refresh=True)
    owner = store.owner_id
    with store.read() as conn:
        assert tie_snapshot.stored(conn, owner, NOW + timedelta(days=6)) is not None
        assert tie_snapshot.stored(conn, owner, NOW + timedelta(days=8)) is None
        assert tie_snapshot.stored(conn, owner, NOW - timedelta(hours=1)) is None
    later = NOW + timedelta(days=3)
    fast, full = both_plans(store, later)
    # silences are counted to the day the plan is made, not the day of the snapshot
    by_id = {s.person_id: s for s in full.suggestions}
    for s in fast.suggestions:
        if s.person_id in by_id:
            assert s.silent_days == by_id[s.person_id].silent_days
    with store.begin() as conn:
        some = next(iter(eq.active_people(conn, owner)))
        insert_interaction(
            conn,
            owner,
            source="test",
            natural_key="snapshot-test-1",
            occurred_at=NOW - timedelta(days=1),
            channel="email",
            direction="in",
            subject="hello again",
            thread=None,
            group_size=1,
            import_id=None,
            participants=[(some, "email", "someone@example.com")],
        )
    with store.read() as conn:
        assert tie_snapshot.stored(conn, owner, NOW) is None  # the history changed


def test_the_snapshot_reads_back_as_it_was_taken(sqlite_store: Store) -> None:
    store = sqlite_store
    load_sample(store, now=NOW)
    with store.begin() as conn:
        snap = tie_snapshot.take_for(conn, store.owner_id, NOW)
        back = tie_snapshot.stored(conn, store.owner_id, NOW)
    assert back is not None and len(snap.features) > 50 and len(snap.rows) > 50
    assert back.features == snap.features
    assert back.rows == snap.rows
    assert back.written == snap.written and back.ahead == snap.ahead
    assert any(f.circle_people for f in back.features.values())
    # read two days on, every tie is carried forward as one carried alone
    later = NOW + timedelta(days=2)
    with store.read() as conn:
        carried = tie_snapshot.stored(conn, store.owner_id, later)
    assert carried is not None and carried.at == later
    for pid, f in carried.features.items():
        one = snap.features_at(pid, later)
        assert one is not None
        assert f.silence_days == pytest.approx(one.silence_days, rel=1e-12)
        assert f.decayed == pytest.approx(one.decayed, rel=1e-12)
        assert f.heard == one.heard and f.personal == one.personal
    assert any(
        f.silence_days and f.silence_days > snap.features[p].silence_days
        for p, f in carried.features.items()
    )
    assert tie_snapshot.decode(b"not an npz file", NOW) is None


def test_a_merge_or_its_undoing_sets_the_snapshot_aside(sqlite_store: Store) -> None:
    from rekindle.services import merging

    store = sqlite_store
    load_sample(store, now=NOW)
    with store.begin() as conn:
        tie_snapshot.take_for(conn, store.owner_id, NOW)
        ids = sorted(eq.active_people(conn, store.owner_id))[:2]
    event = merging.merge(store, str(ids[0]), str(ids[1]), now=NOW)
    with store.read() as conn:
        assert tie_snapshot.stored(conn, store.owner_id, NOW) is None
    with store.begin() as conn:
        tie_snapshot.take_for(conn, store.owner_id, NOW)
    merging.unmerge(store, str(ids[0]), event_id=event, now=NOW)
    with store.read() as conn:
        assert tie_snapshot.stored(conn, store.owner_id, NOW) is None


def test_the_snapshot_keeps_each_ties_odds_under_the_model_fitted_with_it(
    sqlite_store: Store,
) -> None:
    import numpy as np

    store = sqlite_store
    load_sample(store, now=NOW)
    plan_svc.weekly_plan(store, NOW, refresh=True)
    with store.read() as conn:
        snap = tie_snapshot.stored(conn, store.owner_id, NOW)
        model = stored_model(conn, store.owner_id)
    assert snap is not None and model is not None and model.logistic is not None
    assert snap.rows.odds is not None and snap.rows.odds_of == tie_snapshot.model_key(model)
    people = sorted(snap.rows)[:40]
    kept = snap.rows.odds_under(model, people)
    fresh = model.odds(snap.rows.matrix(people))
    assert np.allclose([kept[p] for p in people], fresh)
    assert len(set(np.round(fresh, 6))) > 5  # not one odds for all
    # odds kept under another model are not read: worked out again
    other = tie_snapshot.RowTable(
        np.asarray(list(snap.rows)), snap.rows.matrix(list(snap.rows)),
        np.zeros((len(snap.rows), 2), dtype=np.int64), np.full(len(snap.rows), -1),
        [[] for _ in snap.rows], snap.features, np.full(len(snap.rows), 9.0), "another model",
    )  # fmt: skip
    assert np.allclose([other.odds_under(model, people)[p] for p in people], fresh)


def test_one_tie_read_without_numpy_is_the_tie_the_plan_reads(sqlite_store: Store) -> None:
    from rekindle.services.snapshot_tie import tie_at

    store = sqlite_store
    load_sample(store, now=NOW)
    with store.begin() as conn:
        tie_snapshot.take_for(conn, store.owner_id, NOW)
    later = NOW + timedelta(days=3)
    with store.read() as conn:
        snap = tie_snapshot.stored(conn, store.owner_id, later)
        assert snap is not None
        for pid, f in list(snap.features.items())[:60]:
            one = tie_at(conn, store.owner_id, pid, later)
            assert one is not None and one[1] == snap.stale(pid, later)
            assert _same_tie(one[0], f)
        assert tie_at(conn, store.owner_id, 10**9, later) is None
        assert tie_at(conn, store.owner_id, pid, NOW + timedelta(days=9)) is None  # a week on


def _same_tie(a: object, b: object) -> bool:
    from rekindle.history.tie_features import TieFeatures

    assert isinstance(a, TieFeatures) and isinstance(b, TieFeatures)
    for name in TieFeatures.__dataclass_fields__:
        x, y = getattr(a, name), getattr(b, name)
        assert x == pytest.approx(y, rel=1e-12) if isinstance(y, float) else x == y, name
    return True


def test_the_goal_is_matched_with_everyone_s_mail_from_the_snapshot(
    sqlite_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rekindle.services import plan_network
    from rekindle.services.plan_options import MATCHING_GOAL

    store = sqlite_store
    load_sample(store, now=NOW)
    plan_svc.weekly_plan(store, NOW, refresh=True)
    owner = store.owner_id
    with store.read() as conn:
        snap = tie_snapshot.stored(conn, owner, NOW)
        assert snap is not None and snap.subjects is not None
        # the week's snapshot holds everyone's subjects as a plan without it reads them
        read = plan_network.subjects_read(conn, owner)
        assert snap.subjects.as_dict() == read.as_dict() and len(read.person) > 10

        def no_reading(*args: object) -> None:
            raise AssertionError("the plan read the subjects although the snapshot has them")

        monkeypatch.setattr(plan_network, "subjects_read", no_reading)
        steps: list[tuple[str, int, int]] = []
        model = stored_model(conn, owner)
        opts = options(get_settings(conn, owner))
        shown = compute_plan(
            conn, owner, NOW, opts, "payments / banking", model, snap,
            lambda step, done, total: steps.append((step, done, total)),
        )  # fmt: skip
        quiet = compute_plan(conn, owner, NOW, opts, "payments / banking", model, snap)
    same(shown, quiet)
    assert steps == [(MATCHING_GOAL, 0, 1), (MATCHING_GOAL, 1, 1)]
