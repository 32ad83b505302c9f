"""Everyone's contacts read as columns: the lookups and driver reads they rest on."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select

from rekindle.store import Store, bulk
from rekindle.store.schema import setting
from rekindle.store.settings import put_setting
from rekindle.store.tie_columns import _places


def searched(ids: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Where each wanted id is in ``ids``, one by one (-1 when absent)."""
    where = {int(v): i for i, v in enumerate(ids.tolist())}
    return np.asarray([where.get(int(w), -1) for w in wanted.tolist()], dtype=np.int64)


@pytest.mark.parametrize(
    "ids",
    [
        np.arange(1, 50, dtype=np.int64),  # dense from 1: indexed
        np.asarray([3, 4, 9, 10, 11, 40], dtype=np.int64),  # dense enough: indexed
        np.asarray([5, 7, 10**12, 10**12 + 3], dtype=np.int64),  # too sparse: searched
        np.asarray([-4, 0, 2], dtype=np.int64),  # below zero: searched
        np.zeros(0, dtype=np.int64),
    ],
)
def test_places_are_where_each_id_is_or_minus_one(ids: np.ndarray) -> None:
    rng = np.random.default_rng(7)
    pool = np.concatenate([ids, ids + 1, ids - 1, [-1, 0, 10**13]]).astype(np.int64)
    wanted = rng.choice(pool, size=200) if len(pool) else pool
    got = _places(ids, wanted)
    assert got.dtype == np.int64
    assert np.array_equal(got, searched(ids, wanted))
    assert (got == -1).any()  # absent ids were asked too


def test_raw_batches_give_every_row_a_batch_at_a_time(sqlite_store: Store) -> None:
    owner = sqlite_store.owner_id
    with sqlite_store.begin() as conn:
        for i in range(25):
            put_setting(conn, owner, f"test.k{i:02d}", str(i))
    wanted = (
        select(setting.c.key, setting.c.value)
        .where(
            setting.c.owner_id == owner, setting.c.key.in_([f"test.k{i:02d}" for i in range(20)])
        )
        .order_by(setting.c.key)
    )
    with sqlite_store.read() as conn:
        batches = list(bulk.raw_batches(conn, wanted, 7))
        whole = bulk.raw_rows(conn, wanted)
    assert [len(b) for b in batches] == [7, 7, 6]
    rows = [row for b in batches for row in b]
    assert rows == whole == [(f"test.k{i:02d}", str(i)) for i in range(20)]
    assert all(type(r) is tuple for r in rows)
