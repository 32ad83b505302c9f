"""bench/backtest_more.py: the new features see only the past, the training rows keep the
online rule for every horizon, and the product re-implemented ranks as the product does."""

from __future__ import annotations

import json
import math
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import backtest_more  # noqa: E402
from backtest_more_data import NEW, NF, new_values, train_at  # noqa: E402

from rekindle.engine.revival_features import Timeline  # noqa: E402
from rekindle.history.ties import Contact  # noqa: E402
from test_backtest_lab import synthetic_log  # noqa: E402

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def contact(days: float, direction: str, co: frozenset[str] = frozenset()) -> Contact:
    return Contact(NOW - timedelta(days=days), direction, "email", 1 + len(co), None, co)


def test_new_features_see_only_the_past() -> None:
    past = [
        contact(300, "out"),
        contact(200, "in"),
        contact(100, "out", frozenset({"a"})),
        contact(60, "in"),
        contact(20, "in"),
    ]
    at = NOW.timestamp()
    people = ({"a"}, {"b"})
    values = dict(zip(NEW, new_values(Timeline.of(past), at, 0.5, people), strict=True))
    later = new_values(Timeline.of([*past, contact(-5, "out", frozenset({"b"}))]), at, 0.5, people)
    assert tuple(values.values()) == later  # a contact after the moment changes nothing
    assert values["n90"] == pytest.approx(math.log1p(2))
    assert values["n180"] == pytest.approx(math.log1p(3))
    assert values["longest_back"] == pytest.approx(math.log1p(100))
    assert values["revived_common"] == pytest.approx(math.log1p(1))  # "a" was on one
    assert values["common_14"] == 0.0


def test_training_rows_only_from_moments_whose_labels_are_known() -> None:
    def moment(day: float) -> dict[str, object]:
        y = np.asarray([1.0, 0.0])
        return {"ego": 1, "x": np.full((2, NF + len(NEW)), day), "y": {30: y, 45: y, 60: y}}

    past = {day: [moment(day)] for day in (100.0, 140.0, 160.0, 170.0)}
    for horizon, days in ((30, {100.0, 140.0, 160.0, 170.0}), (45, {100.0, 140.0, 160.0})):
        rows = train_at(past, 205.0, horizon)
        assert set(rows.x[:, 0]) == days
        assert rows.groups == [2] * len(days)
    assert set(train_at(past, 205.0, 60).x[:, 0]) == {100.0, 140.0}


def test_the_product_re_implemented_ranks_as_the_product(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "log.txt"
    synthetic_log(log)
    argv = [str(log), "--dormant-days", "30", "--horizon-days", "30", "--validation", "150"]
    argv += ["--test", "220", "--cache", str(tmp_path / "cache.pkl"), "--json"]
    argv += ["--only", "prior (shipped,product (as shipped),product, re-implemented"]
    assert backtest_more.main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert (tmp_path / "cache.pkl").exists()
    for part in ("validation", "test"):
        got = report[part]
        assert len(got) == 3
        assert got["product, re-implemented"] == got["product (as shipped)"]
        for s in got.values():
            assert 0.0 < s["mean"] <= 1.0
