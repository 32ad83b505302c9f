"""Every tie's features from columns equal ``tie_features`` of each tie alone."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pytest

from rekindle.history.tie_feature_arrays import features_of_columns
from rekindle.history.tie_features import RECENT_DAYS, TieFeatures, tie_features
from rekindle.history.ties import GROUP_THRESHOLD
from rekindle.services.demo import load_sample
from rekindle.store import Store
from rekindle.store import engine as eq
from rekindle.store import ties as tq
from rekindle.store.tie_columns import contact_columns_of_everyone

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def assert_same(pid: int, got: TieFeatures, want: TieFeatures) -> None:
    for name in TieFeatures.__dataclass_fields__:
        a, b = getattr(got, name), getattr(want, name)
        if isinstance(b, float) and isinstance(a, float):
            assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), (pid, name, a, b)
        else:
            assert a == b, (pid, name, a, b)


def compare(store: Store, now: datetime) -> int:
    with store.read() as conn:
        owner = store.owner_id
        recent = eq.recent_personal_counts(
            conn, owner, now - timedelta(days=RECENT_DAYS), now, GROUP_THRESHOLD
        )
        cols = contact_columns_of_everyone(conn, owner)
        got = features_of_columns(cols, now, recent)
        contacts = tq.contacts_by_person(conn, sorted(got))
    for pid, f in got.items():
        assert_same(pid, f, tie_features(contacts[pid], now, recent))
    # the hard parts were exercised, not only empty ties
    assert sum(f.circles > 0 for f in got.values()) > 5
    assert sum(len(f.circle_people) == 3 for f in got.values()) > 1
    assert sum(f.reply_hours is not None for f in got.values()) > 5
    assert sum(f.usual_gap_days is not None for f in got.values()) > 5
    assert sum(f.meetings > 0 for f in got.values()) > 5
    return len(got)


def test_the_sample_network_today_and_a_year_ago(sqlite_store: Store) -> None:
    load_sample(sqlite_store, now=NOW)
    assert compare(sqlite_store, NOW) > 50
    assert compare(sqlite_store, NOW - timedelta(days=365)) > 50


@pytest.mark.parametrize("days_back", [0, 200])
def test_on_both_databases(store: Store, days_back: int) -> None:
    load_sample(store, now=NOW)
    assert compare(store, NOW - timedelta(days=days_back)) > 50


def test_learnt_rows_equal_describing_each_tie(sqlite_store: Store) -> None:
    from rekindle.engine.revival_columns import describe_all
    from rekindle.engine.revival_features import Me, Timeline, describe

    load_sample(sqlite_store, now=NOW)
    for at in (NOW, NOW - timedelta(days=300)):
        with sqlite_store.read() as conn:
            owner = sqlite_store.owner_id
            recent = eq.recent_personal_counts(
                conn, owner, at - timedelta(days=RECENT_DAYS), at, GROUP_THRESHOLD
            )
            cols = contact_columns_of_everyone(conn, owner)
            _, rows = describe_all(cols, at, Me(recent), 45.0)
            contacts = tq.contacts_by_person(conn, sorted(rows))
        assert len(rows) > 50
        for pid, row in rows.items():
            want = describe(Timeline.of(contacts[pid]), at, Me(recent), 45.0)
            for name, a, b in zip(
                __import__("rekindle.engine.revival_features", fromlist=["FEATURES"]).FEATURES,
                row.values,
                want.values,
                strict=True,
            ):
                assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9), (pid, name, a, b)
            assert row.long_gaps == want.long_gaps, pid
            assert row.came_back_day == want.came_back_day, pid
            assert row.common == want.common[:3], pid
        assert sum(r.long_gaps[1] > 0 for r in rows.values()) > 3


def test_training_rows_from_columns_equal_those_of_the_timelines(sqlite_store: Store) -> None:
    import numpy as np

    from rekindle.engine.revival_columns import rows_of_columns
    from rekindle.engine.revival_features import epoch
    from rekindle.engine.revival_pasts import pasts_of_columns, timelines_of
    from rekindle.engine.revival_rows import Questions, ask, moments, rows_of

    load_sample(sqlite_store, now=NOW)
    with sqlite_store.read() as conn:
        cols = contact_columns_of_everyone(conn, sqlite_store.owner_id, threads=False)
    persons = np.unique(cols.person).tolist()
    pasts = pasts_of_columns(cols, persons)
    q = Questions()
    first, last = epoch(float(cols.when.min()) / 1e6), epoch(float(cols.when.max()) / 1e6)
    asked = ask(pasts, moments(first, NOW, q, last), q)
    needed = sorted({int(k) for a in asked for k in a.keys})
    timelines = {str(p): tl for p, tl in timelines_of(cols, needed).items()}
    want = rows_of(asked, timelines, q)
    got = rows_of_columns(asked, cols, q)
    assert len(want) > 100 and want.positives > 5
    assert got.groups == want.groups
    assert np.array_equal(got.y, want.y)
    assert np.allclose(got.x, want.x, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize(
    "ids",
    [
        [1, 1, 2, 5, 5, 5, 9],  # dense: counted
        [0, 0, 7],
        [10**9, 10**9, 10**9 + 40],  # sparse: searched
    ],
)
def test_runs_of_ids_are_those_two_searches_give(ids: list[int]) -> None:
    import numpy as np

    from rekindle.history.tie_feature_arrays import _runs_of

    li = np.asarray(ids, dtype=np.int64)
    wanted = np.asarray([-2, *ids, max(ids) + 1, ids[0] + 3, 10**12], dtype=np.int64)
    lo, n = _runs_of(li, wanted)
    want_lo = np.searchsorted(li, wanted)
    want_n = np.searchsorted(li, wanted, side="right") - want_lo
    assert np.array_equal(n, want_n)
    assert np.array_equal(lo[n > 0], want_lo[n > 0])
    assert (n == 0).any() and (n > 1).any()
