"""Which address to write to today: recent personal mail first, then away from employers
the person has left, then the primary one."""

from __future__ import annotations

from datetime import UTC, date, datetime

from rekindle.identity.write_address import Employer, address_to_write

OLD = "eric.davis@foxglove-analytics.com"
FREE = "edavis@gmail.com"
NEW_WORK = "eric.davis@davis.ai"
LEFT = [Employer("Foxglove Analytics", date(2021, 9, 11))]


def test_most_recent_personal_mail_wins() -> None:
    last = {OLD: datetime(2019, 1, 1, tzinfo=UTC), NEW_WORK: datetime(2026, 1, 1, tzinfo=UTC)}
    assert address_to_write([OLD, FREE, NEW_WORK], last, LEFT) == NEW_WORK
    assert address_to_write([OLD, FREE], {OLD: datetime(2020, 1, 1, tzinfo=UTC)}, LEFT) == OLD


def test_a_personal_address_over_an_employer_they_left() -> None:
    assert address_to_write([OLD, NEW_WORK, FREE], {}, LEFT) == FREE
    assert address_to_write([OLD, NEW_WORK], {}, LEFT) == NEW_WORK
    assert address_to_write([OLD], {}, LEFT) == OLD


def test_the_primary_otherwise() -> None:
    assert address_to_write([OLD, FREE], {}, []) == OLD  # no record of leaving
    still = [Employer("Foxglove Analytics, Inc.", None), *LEFT]  # rejoined
    assert address_to_write([OLD, FREE], {}, still) == OLD
    assert address_to_write([], {}, LEFT) is None
