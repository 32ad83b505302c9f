"""The first pass's columns decide every tie as the one-tie rules do: tier, cadence, due,
list and worth, on the sample network's ties and on ties built to sit on each rule's edge."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from rekindle.engine.list_columns import LIST_NAMES, NO_LIST
from rekindle.engine.lists import KEEP_WARM, REKINDLE, ListRules, list_of, rekindle_weights
from rekindle.engine.scoring import default_weights, rank_value
from rekindle.engine.tiers import TIERS, cadence_for, infer_tier, is_due
from rekindle.history.tie_features import TieFeatures, tie_features
from rekindle.services import tie_snapshot
from rekindle.services.demo import load_sample
from rekindle.store import Store
from rekindle.store.tie_columns import contact_columns_of_everyone

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)


def sample_ties(store: Store) -> list[TieFeatures]:
    load_sample(store, now=NOW)
    with store.begin() as conn:
        cols = contact_columns_of_everyone(conn, store.owner_id, threads=False)
        snap = tie_snapshot.take_for(conn, store.owner_id, NOW, cols)
    return [snap.features[p] for p in sorted(snap.features)]


def edge_ties() -> list[TieFeatures]:
    """Ties on the rules' edges: no history, group mail only, lopsided, a usual gap of 0,
    silent exactly the cadence or the dormancy bar, no reply times."""
    base = tie_features((), NOW)
    first = NOW - timedelta(days=900)
    talked = replace(
        base, personal=12, messages_in=6, messages_out=6, first=first, last=NOW - timedelta(days=200),
        active_days=9, decayed=1.5, peak=9.0, silence_days=200.0, usual_gap_days=60.0,
        reciprocity=0.5, reply_hours=30.0, heard=NOW - timedelta(days=200),
    )  # fmt: skip
    return [
        base,
        replace(base, group=7, group_recent=2, silence_days=400.0),
        talked,
        replace(talked, messages_in=1, messages_out=40, peak=25.0),  # lopsided, capped tier
        replace(talked, messages_in=1, messages_out=3),  # too few to call lopsided
        replace(talked, meetings=2, messages_in=0),
        replace(talked, usual_gap_days=0.0),
        replace(talked, usual_gap_days=None, silence_days=None),
        replace(talked, silence_days=90.0, peak=8.0),  # exactly a regular tie's cadence
        replace(talked, silence_days=180.0, usual_gap_days=10.0),  # exactly the bar
        replace(talked, silence_days=181.0, usual_gap_days=61.0),  # under 3 usual gaps
        replace(talked, reply_hours=None, circles=2.5, group_recent=4),
        replace(talked, peak=20.0, decayed=30.0, silence_days=31.0),
        replace(talked, silence_days=5000.0, usual_gap_days=100.0),  # over 8 gaps
    ]


def check(fs: list[TieFeatures], tier_days: dict[str, int] | None = None) -> None:
    ids, cols = tie_snapshot.TieSnapshot(
        NOW, dict(enumerate(fs)), tie_snapshot.RowTable.of({}), {}, {}, NOW
    ).table()
    rules = ListRules()
    weights = {REKINDLE: rekindle_weights(default_weights()), KEEP_WARM: default_weights()}
    tiers = cols.tiers()
    days = cols.cadence_days(tier_days)
    due = cols.due(days)
    lists = cols.lists(due, rules)
    worth = {w: cols.worth(weights[w]) for w in weights}
    for i, f in zip(ids.tolist(), fs, strict=True):
        cadence = cadence_for(f, tier_days=tier_days)
        assert TIERS[tiers[i]] == infer_tier(f) == cadence.tier
        assert days[i] == cadence.days
        assert bool(due[i]) == is_due(f, cadence)
        which = list_of(f, cadence.tier, is_due(f, cadence), rules)
        assert (LIST_NAMES.get(int(lists[i])) if lists[i] != NO_LIST else None) == which
        for w, weighed in worth.items():
            assert weighed[i] == pytest.approx(rank_value(f, weights[w]), rel=1e-12, abs=1e-15)


def test_the_columns_decide_the_sample_network_as_the_rules_do(sqlite_store: Store) -> None:
    fs = sample_ties(sqlite_store)
    assert len(fs) > 50
    check(fs)
    check(fs, tier_days={"close": 10, "occasional": 400})
    assert {infer_tier(f) for f in fs} >= {"close", "regular", "occasional", "dormant"}


def test_the_columns_decide_each_rule_s_edge_as_the_rules_do() -> None:
    fs = edge_ties()
    check(fs)
    rules = ListRules()
    on = [list_of(f, infer_tier(f), is_due(f, cadence_for(f)), rules) for f in fs]
    assert {REKINDLE, KEEP_WARM, None} <= set(on)  # every outcome is among the edges


def test_a_stored_snapshot_s_columns_are_the_features_it_was_taken_with(
    sqlite_store: Store,
) -> None:
    fs = sample_ties(sqlite_store)
    with sqlite_store.read() as conn:
        snap = tie_snapshot.stored(conn, sqlite_store.owner_id, NOW)
    assert snap is not None
    ids, cols = snap.table()
    taken = tie_snapshot.feature_arrays(fs)
    assert np.array_equal(cols.peak, taken["peak"])
    assert np.array_equal(cols.silence_days, taken["silence"], equal_nan=True)
    assert [snap.features[p] for p in ids.tolist()] == fs
