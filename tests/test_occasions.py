"""Computed occasions and their timing (pure): birthdays, anniversaries, windows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rekindle.engine.occasions import (
    WINDOWS,
    Occasion,
    anniversary_occasion,
    birthday_occasion,
    in_window,
    is_round_year,
    met_anniversary,
    nearest_occurrence,
    slug,
    timing_strength,
    work_anniversary,
)
from rekindle.identity.records import PartialDate


def test_year_less_birthday_is_this_years_and_keyed_by_year() -> None:
    occ = birthday_occasion(PartialDate(12, 3), date(2026, 11, 30), "vcard")
    assert occ is not None
    assert occ.on_date == date(2026, 12, 3)
    assert occ.key == "birthday:2026"
    assert occ.detail == "birthday on 3 Dec"
    assert occ.kind == "birthday" and occ.source == "vcard" and not occ.handled


def test_birthday_just_passed_stays_for_its_grace_days_then_moves_to_next_year() -> None:
    bday = PartialDate(12, 3)
    recent = birthday_occasion(bday, date(2026, 12, 6), "")
    assert recent is not None and recent.on_date == date(2026, 12, 3)
    later = birthday_occasion(bday, date(2026, 12, 7), "")
    assert later is not None and later.on_date == date(2027, 12, 3)
    assert later.key == "birthday:2027"


def test_a_listing_of_the_past_keeps_a_birthday_passed_within_it() -> None:
    """`rekindle occasions` shows DAYS back: a birthday 10 days ago is listed as passed, not
    replaced by next year's (the plan keeps its own short grace)."""
    bday = PartialDate(12, 3)
    listed = birthday_occasion(bday, date(2026, 12, 13), "", grace_days=14)
    assert listed is not None and listed.on_date == date(2026, 12, 3)
    assert birthday_occasion(bday, date(2026, 12, 13), "").on_date == date(2027, 12, 3)  # type: ignore[union-attr]
    past = anniversary_occasion(PartialDate(12, 3, 2010), date(2026, 12, 13), "", grace_days=14)
    assert past is not None and past.on_date == date(2026, 12, 3)


def test_birthdays_across_the_year_boundary() -> None:
    soon = birthday_occasion(PartialDate(1, 2), date(2026, 12, 29), "")
    assert soon is not None and soon.on_date == date(2027, 1, 2) and soon.key == "birthday:2027"
    just_gone = birthday_occasion(PartialDate(12, 31), date(2027, 1, 2), "")
    assert just_gone is not None
    assert just_gone.on_date == date(2026, 12, 31) and just_gone.key == "birthday:2026"
    assert timing_strength(just_gone, date(2027, 1, 2)) > 0


def test_february_29_birthday_falls_on_the_28th_in_common_years() -> None:
    leapling = PartialDate(2, 29, 1992)
    common = birthday_occasion(leapling, date(2027, 2, 20), "")
    assert common is not None and common.on_date == date(2027, 2, 28)
    leap = birthday_occasion(leapling, date(2028, 2, 20), "")
    assert leap is not None and leap.on_date == date(2028, 2, 29)


def test_impossible_birthday_gives_nothing() -> None:
    assert birthday_occasion(PartialDate(4, 31), date(2026, 4, 1), "") is None
    assert birthday_occasion(PartialDate(13, 1), date(2026, 4, 1), "") is None


def test_round_birthdays_say_the_age() -> None:
    forty = birthday_occasion(PartialDate(12, 3, 1986), date(2026, 12, 1), "")
    assert forty is not None and forty.detail == "40th birthday on 3 Dec"
    plain = birthday_occasion(PartialDate(12, 3, 1987), date(2026, 12, 1), "")
    assert plain is not None and plain.detail == "birthday on 3 Dec"


@pytest.mark.parametrize(
    ("offset", "pulls"),
    [(-8, False), (-7, True), (0, True), (3, True), (4, False)],
)
def test_birthday_window_edges(offset: int, pulls: bool) -> None:
    occ = Occasion("birthday", "birthday:2026", date(2026, 12, 3), "birthday on 3 Dec", "")
    day = occ.on_date + timedelta(days=offset)
    assert (timing_strength(occ, day) > 0) is pulls
    assert in_window(occ, day) is pulls


def test_strength_peaks_on_the_day_and_handled_is_zero() -> None:
    occ = Occasion("birthday", "birthday:2026", date(2026, 12, 3), "", "")
    peak = timing_strength(occ, occ.on_date)
    assert peak == WINDOWS["birthday"].peak
    assert timing_strength(occ, occ.on_date - timedelta(days=3)) < peak
    done = Occasion("birthday", "birthday:2026", date(2026, 12, 3), "", "", handled=True)
    assert timing_strength(done, occ.on_date) == 0.0


def test_life_event_pulls_fully_for_two_weeks_then_fades_by_day_60() -> None:
    occ = Occasion("new-job", "new-job:acme:2026-11-02", date(2026, 11, 2), "", "vcard")
    assert timing_strength(occ, date(2026, 11, 1)) == 0.0
    assert timing_strength(occ, date(2026, 11, 2)) == 1.0
    assert timing_strength(occ, date(2026, 11, 16)) == 1.0
    assert 0 < timing_strength(occ, date(2026, 11, 17)) < 1.0
    assert timing_strength(occ, date(2027, 1, 1)) > 0  # day 60
    assert timing_strength(occ, date(2027, 1, 2)) == 0.0  # day 61


def test_holidays_pull_two_weeks_ahead_and_season_greetings_reach_new_year() -> None:
    lny = Occasion("holiday", "holiday:lunar-new-year:2026", date(2026, 2, 17), "", "holidays:SG")
    assert timing_strength(lny, date(2026, 2, 14)) == WINDOWS["holiday"].peak  # 3 days ahead
    assert timing_strength(lny, date(2026, 2, 3)) > 0  # 14 days ahead
    assert timing_strength(lny, date(2026, 2, 2)) == 0.0
    assert timing_strength(lny, date(2026, 2, 20)) == 0.0
    xmas = Occasion("holiday", "holiday:end-of-year:2026", date(2026, 12, 25), "", "holidays:GB")
    assert timing_strength(xmas, date(2027, 1, 2)) > 0
    assert timing_strength(xmas, date(2027, 1, 3)) == 0.0


KINDS = sorted(WINDOWS)


@given(
    kind=st.sampled_from(KINDS),
    offset=st.integers(min_value=-400, max_value=400),
    step=st.integers(min_value=1, max_value=30),
)
def test_strength_is_bounded_and_fades_away_from_the_date(
    kind: str, offset: int, step: int
) -> None:
    on = date(2026, 6, 15)
    occ = Occasion(kind, f"{kind}:x:2026", on, "", "")
    here = timing_strength(occ, on + timedelta(days=offset))
    assert 0.0 <= here <= 1.0
    further = offset + step if offset >= 0 else offset - step
    assert timing_strength(occ, on + timedelta(days=further)) <= here


def test_work_anniversary_only_in_round_years_and_while_there() -> None:
    five = work_anniversary("Acme Corp", date(2021, 11, 19), date(2026, 11, 22), None, "linkedin")
    assert five is not None
    assert five.on_date == date(2026, 11, 19)
    assert five.key == "work-anniversary:acme:2026"
    assert five.detail == "5 years at Acme Corp (since Nov 2021)"
    assert work_anniversary("Acme", date(2022, 11, 19), date(2026, 11, 22)) is None  # 4 years
    left = work_anniversary("Acme", date(2021, 11, 30), date(2026, 11, 22), end=date(2025, 1, 1))
    assert left is None
    one = work_anniversary("Globex", date(2025, 12, 1), date(2026, 11, 22))
    assert one is not None and one.detail.startswith("1 year at Globex")


def test_met_anniversary_in_round_years() -> None:
    ten = met_anniversary(date(2016, 3, 14), date(2026, 3, 10), "first contact")
    assert ten is not None
    assert ten.detail == "10 years since you first met (first contact 14 Mar 2016)"
    assert ten.key == "met-anniversary:2026" and ten.on_date == date(2026, 3, 14)
    assert met_anniversary(date(2018, 3, 14), date(2026, 3, 10)) is None  # 8 years


def test_round_years_and_slugs() -> None:
    assert [n for n in range(1, 31) if is_round_year(n)] == [1, 2, 3, 5, 10, 15, 20, 25, 30]
    assert slug("Brightline Payments, Inc.") == "brightline-payments-inc"
    assert slug("  São Paulo ") == "são-paulo"
    assert nearest_occurrence(3, 1, date(2026, 3, 2), 0) == date(2027, 3, 1)
