"""Greeting days kept between runs: read back as computed, computed afresh when the file
is another package's, unreadable or not writable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rekindle.engine.occasion_holidays import greeting_days
from rekindle.services import greeting_days as kept_days
from rekindle.services.greeting_days import KeptGreetingDays


def test_kept_days_are_the_computed_days_and_survive_the_process(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "greeting-days.json"
    first = KeptGreetingDays(path)
    assert first("US", 2026) == greeting_days("US", 2026)
    assert "end-of-year" in first("DE", 2026)
    first.save()
    assert path.exists()
    again = KeptGreetingDays(path)
    kept = json.loads(path.read_text())["days"]
    assert set(kept) == {"US:2026", "DE:2026"}
    assert again("US", 2026) == greeting_days("US", 2026)
    assert again("DE", 2026) == greeting_days("DE", 2026)


def test_kept_days_are_read_without_computing_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "greeting-days.json"
    first = KeptGreetingDays(path)
    expected = first("GB", 2027)
    first.save()

    def computed(country: str, year: int) -> dict:  # type: ignore[type-arg]
        raise AssertionError("computed again")

    monkeypatch.setattr(kept_days, "greeting_days", computed)
    assert KeptGreetingDays(path)("GB", 2027) == expected


def test_another_package_s_or_a_broken_file_is_computed_afresh(tmp_path: Path) -> None:
    path = tmp_path / "greeting-days.json"
    path.write_text(
        json.dumps({"label": "another", "days": {"US:2026": {"x": ["2026-01-01", "Odd"]}}})
    )
    assert KeptGreetingDays(path)("US", 2026) == greeting_days("US", 2026)
    path.write_text("{not json")
    assert KeptGreetingDays(path)("US", 2026) == greeting_days("US", 2026)
    path.write_text(json.dumps({"label": kept_days._label(), "days": {"US:2026": ["bad"]}}))
    assert KeptGreetingDays(path)("US", 2026) == greeting_days("US", 2026)


def test_a_folder_that_cannot_be_written_costs_only_time(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    days = KeptGreetingDays(blocker / "greeting-days.json")
    assert days("FR", 2026) == greeting_days("FR", 2026)
    days.save()  # no error
    assert blocker.read_text().startswith("a file")
