"""bench/backtest_lab.py: the extra features see only the past, and the lab runs end to end."""

from __future__ import annotations

import json
import math
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import backtest_lab  # noqa: E402
from backtest_variants import EXTRA, extra_values  # noqa: E402

from rekindle.engine.revival_features import Me, Timeline  # noqa: E402
from rekindle.history.ties import Contact  # noqa: E402

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def contact(days: float, direction: str, co: frozenset[str] = frozenset()) -> Contact:
    return Contact(NOW - timedelta(days=days), direction, "email", 1 + len(co), None, co)


def test_extra_features_see_only_the_past() -> None:
    past = [
        contact(300, "out"),
        contact(200, "in"),
        contact(100, "out"),
        contact(60, "in"),
        contact(20, "in", frozenset({"a", "b", "c", "d", "e", "f"})),  # group mail
    ]
    me = Me({"a": 2})
    at = NOW.timestamp()
    values = dict(zip(EXTRA, extra_values(Timeline.of(past), at, me), strict=True))
    later = dict(
        zip(EXTRA, extra_values(Timeline.of([*past, contact(-5, "out")]), at, me), strict=True)
    )
    assert values == later  # a contact after the moment changes nothing
    assert values["since_in"] == pytest.approx(math.log1p(60))
    assert values["since_out"] == pytest.approx(math.log1p(100))
    assert values["seen_days"] == pytest.approx(math.log1p(20))
    assert values["common_lately"] > 0  # "a", whom I talk to now, was on the group mail


def synthetic_log(path: Path) -> None:
    """Twelve people exchanging mail in bursts over 300 days, with quiet spells."""
    rng = random.Random(3)
    start = 1_262_304_000
    lines = []
    for a in range(1, 13):
        for b in range(a + 1, 13):
            if rng.random() < 0.5:
                continue
            day = rng.uniform(0, 40)
            while day < 300:
                for _ in range(rng.randint(1, 4)):
                    s, r = (a, b) if rng.random() < 0.5 else (b, a)
                    lines.append(f"{s} {r} {start + int(day * 86400) + rng.randint(0, 86000)}")
                    day += rng.uniform(0.5, 3)
                day += rng.choice([5, 10, 40, 60, 90])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_lab_reports_every_variant_on_both_cutoff_sets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "log.txt"
    synthetic_log(log)
    argv = [str(log), "--dormant-days", "30", "--horizon-days", "30"]
    argv += ["--validation", "150", "--test", "220", "--only", "prior (shipped,product", "--json"]
    assert backtest_lab.main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    for part in ("validation", "test"):
        assert set(report[part]) == {"prior (shipped weights)", "product (logistic + lambdamart)"}
        for s in report[part].values():
            assert 0.0 < s["mean"] <= 1.0
            assert len(s["per_cutoff"]) == 1
            assert s["ci"][0] <= s["lift"] + 1e-9 <= s["ci"][1] + 2e-4
