"""Holiday greetings by country, from the `holidays` package."""

from __future__ import annotations

from datetime import date

import pytest

from rekindle.engine.occasion_holidays import country_code, greeting_days, holiday_occasions


def test_uk_has_christmas_and_no_lunar_new_year() -> None:
    days = greeting_days("GB", 2026)
    assert days["end-of-year"] == (date(2026, 12, 25), "Christmas Day")
    assert "lunar-new-year" not in days and "diwali" not in days
    assert "Boxing Day" not in {name for _, name in days.values()}


def test_singapore_greets_lunar_new_year_diwali_and_both_eids() -> None:
    days = greeting_days("SG", 2026)
    assert days["lunar-new-year"][0] == date(2026, 2, 17)
    assert days["diwali"][0] == date(2026, 11, 8)
    assert days["eid-al-fitr"][0] == date(2026, 3, 21)
    assert "eid-al-adha" in days
    assert "thanksgiving" not in days


def test_the_main_day_not_its_eve_or_second_day() -> None:
    assert greeting_days("KR", 2026)["lunar-new-year"] == (date(2026, 2, 17), "Korean New Year")
    assert greeting_days("VN", 2026)["lunar-new-year"][0] == date(2026, 2, 17)


def test_new_year_where_christmas_is_not_a_december_holiday() -> None:
    assert greeting_days("JP", 2026)["end-of-year"] == (date(2026, 1, 1), "New Year")
    assert greeting_days("RU", 2026)["end-of-year"][0] == date(2026, 1, 1)


def test_thanksgiving_only_where_it_is_called_so() -> None:
    assert greeting_days("US", 2026)["thanksgiving"][0] == date(2026, 11, 26)
    assert "thanksgiving" not in greeting_days("JP", 2026)  # Labor Thanksgiving Day


def test_israel_rosh_hashanah_and_unknown_countries() -> None:
    assert greeting_days("IL", 2026)["rosh-hashanah"][0] == date(2026, 9, 12)
    assert greeting_days("XX", 2026) == {}
    assert holiday_occasions(["XX"], date(2026, 1, 1)) == []


def test_occasions_for_two_countries_first_country_wins_a_shared_greeting() -> None:
    found = holiday_occasions(["GB", "SG"], date(2026, 2, 1))
    keys = [o.key for o in found]
    assert keys[0] == "holiday:lunar-new-year:2026"
    assert keys.count("holiday:end-of-year:2026") == 1
    xmas = next(o for o in found if o.key == "holiday:end-of-year:2026")
    assert xmas.source == "holidays:GB" and xmas.detail == "Christmas Day on 25 Dec (GB)"
    lny = found[0]
    assert lny.kind == "holiday" and lny.source == "holidays:SG"
    assert lny.detail == "Chinese New Year on 17 Feb (SG)"


def test_a_holiday_past_its_window_gives_next_years() -> None:
    found = {o.key: o for o in holiday_occasions(["SG"], date(2026, 2, 20))}
    assert found["holiday:lunar-new-year:2027"].on_date == date(2027, 2, 6)
    assert "holiday:lunar-new-year:2026" not in found


def test_new_year_greeting_belongs_to_the_season_it_ends() -> None:
    found = {o.key: o for o in holiday_occasions(["JP"], date(2026, 12, 28))}
    assert found["holiday:end-of-year:2026"].on_date == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("GB", "GB"),
        ("gb", "GB"),
        ("GBR", "GB"),
        ("United Kingdom", "GB"),
        ("UK", "GB"),
        ("south korea", "KR"),
        ("United Arab Emirates", "AE"),
        ("Deutschland", "DE"),
        ("Narnia", None),
        ("", None),
        (None, None),
    ],
)
def test_country_codes_from_what_people_write(text: str | None, code: str | None) -> None:
    assert country_code(text) == code
