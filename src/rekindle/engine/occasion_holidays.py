"""Holiday greetings by country: a small set of greeting-worthy days, not every bank holiday.

The dates come from the ``holidays`` package (English names). For each country we keep the
season's greetings (Christmas where the country keeps it in December, else New Year's Day),
Lunar New Year, Diwali, Eid al-Fitr, Eid al-Adha, Rosh Hashanah, Nowruz, Thanksgiving and the
Mid-Autumn Festival / Chuseok, wherever the package lists them for that country.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from rekindle.engine.occasions import END_OF_YEAR, WINDOWS, Occasion, day_month


@dataclass(frozen=True, slots=True)
class Greeting:
    """A greeting-worthy holiday: a key and the (lower-case) name fragments that mark it."""

    key: str
    names: tuple[str, ...]
    exact: bool = False


GREETINGS = (
    Greeting("lunar-new-year", ("chinese new year", "lunar new year", "korean new year", "tet")),
    Greeting("diwali", ("diwali", "deepavali", "divali")),
    Greeting("eid-al-fitr", ("eid al-fitr", "eid ul-fitr", "eid el-fitr", "hari raya puasa")),
    Greeting("eid-al-adha", ("eid al-adha", "eid ul-adha", "eid el-adha", "hari raya haji")),
    Greeting("rosh-hashanah", ("rosh hashanah",)),
    Greeting("nowruz", ("nowruz", "novruz", "nauryz", "navruz")),
    Greeting("thanksgiving", ("thanksgiving day", "thanksgiving"), exact=True),
    Greeting("mid-autumn", ("mid-autumn festival", "chuseok")),
)
#: words that mark a side day (the eve, the second day, a day in lieu), not the holiday itself
_SIDE_DAY = re.compile(
    r"\b(eve|preceding|second|third|fourth|observed|substitut\w*|alternative|additional|holiday)\b"
)
_NOTES = re.compile(r"\s*\((estimated|observed)\)", re.I)
#: a few names people write that are not the package's country names
_ALIASES = {
    "uk": "GB",
    "greatbritain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northernireland": "GB",
    "usa": "US",
    "unitedstatesofamerica": "US",
    "america": "US",
    "korea": "KR",
    "republicofkorea": "KR",
    "holland": "NL",
    "deutschland": "DE",
    "espana": "ES",
    "españa": "ES",
    "italia": "IT",
    "brasil": "BR",
    "schweiz": "CH",
    "suisse": "CH",
    "osterreich": "AT",
    "österreich": "AT",
    "nederland": "NL",
    "uae": "AE",
    "prc": "CN",
}


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Folded country name, alpha-2 and alpha-3 code → the alpha-2 code ``holidays`` knows."""
    names: dict[str, str] = {}
    try:  # the registry names every country without importing its module (0.1 s for all)
        from holidays.registry import COUNTRIES

        supported = {entry[1] for entry in COUNTRIES.values()}
    except ImportError:  # an older or newer layout: codes still work
        import holidays

        COUNTRIES = {}
        supported = set(holidays.list_supported_countries())
    for entry in COUNTRIES.values():
        class_name, alpha2, alpha3 = entry[0], entry[1], entry[2]
        if alpha2 in supported:
            names[_fold(class_name)] = alpha2
            names[alpha3.lower()] = alpha2
    for code in supported:
        if len(code) == 2:
            names[code.lower()] = code
    for alias, code in _ALIASES.items():
        if code in supported:
            names[_fold(alias)] = code
    return names


def _fold(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


@lru_cache(maxsize=4096)
def country_code(text: str | None) -> str | None:
    """``GB``, ``gbr``, ``United Kingdom``, ``UK`` → ``GB``; None when no country is known."""
    if not text or not text.strip():
        return None
    return _country_names().get(_fold(text))


@lru_cache(maxsize=1024)
def greeting_days(country: str, year: int) -> dict[str, tuple[date, str]]:
    """The greeting-worthy days of ``country`` in ``year``: greeting key → (date, name)."""
    import holidays  # here: a command that names no holiday goes without the package

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            days = holidays.country_holidays(country, years=year, language="en_US")
    except (NotImplementedError, KeyError, ValueError):
        return {}
    entries = sorted(
        (d, _NOTES.sub("", name).strip())
        for d, names in days.items()
        for name in str(names).split("; ")
    )
    found: dict[str, tuple[date, str]] = {}
    christmas = [(d, n) for d, n in entries if d.month == 12 and "christmas" in n.lower()]
    new_year = [
        (d, n) for d, n in entries if (d.month, d.day) == (1, 1) and "new year" in n.lower()
    ]
    if christmas:
        found["end-of-year"] = _main_day(christmas)
    elif new_year:
        found["end-of-year"] = (new_year[0][0], "New Year")
    for greeting in GREETINGS:
        matches = [(d, n) for d, n in entries if _matches(greeting, n.lower())]
        if matches:
            found[greeting.key] = _main_day(matches)
    return found


def _matches(greeting: Greeting, name: str) -> bool:
    if greeting.exact:
        return name in greeting.names
    return any(re.search(rf"\b{re.escape(part)}\b", name) for part in greeting.names)


def _main_day(matches: list[tuple[date, str]]) -> tuple[date, str]:
    """The holiday itself rather than its eve or second day (else the first listed)."""
    main = [(d, n) for d, n in matches if not _SIDE_DAY.search(n.lower())]
    return (main or matches)[0]


def _season(key: str, on: date) -> int:
    """The year a greeting belongs to: the end-of-year season is keyed by its December."""
    return on.year - 1 if key == "end-of-year" and on.month == 1 else on.year


#: a country's greeting days in a year (:func:`greeting_days`, or a copy kept between runs)
GreetingDays = Callable[[str, int], dict[str, tuple[date, str]]]


def holiday_occasions(
    countries: Iterable[str], today: date, days_of: GreetingDays | None = None
) -> list[Occasion]:
    """Each greeting of these countries, at its first date not already past its window.

    The first country wins when two share a greeting ("holiday:lunar-new-year:2026" once).
    ``days_of``: where the greeting days come from (:func:`greeting_days` by default).
    """
    days_of = days_of or greeting_days
    chosen: dict[str, Occasion] = {}
    for country in dict.fromkeys(c.upper() for c in countries if c):
        candidates: dict[str, list[tuple[date, str]]] = {}
        for year in (today.year - 1, today.year, today.year + 1):
            for key, day in days_of(country, year).items():
                candidates.setdefault(key, []).append(day)
        for key, days in candidates.items():
            after = END_OF_YEAR.after if key == "end-of-year" else WINDOWS["holiday"].after
            upcoming = [d for d in sorted(days) if d[0] >= today - timedelta(days=after)]
            if not upcoming:
                continue
            on, name = upcoming[0]
            full_key = f"holiday:{key}:{_season(key, on)}"
            if full_key in chosen:
                continue
            chosen[full_key] = Occasion(
                "holiday",
                full_key,
                on,
                f"{name} on {day_month(on)} ({country})",
                f"holidays:{country}",
            )
    return sorted(chosen.values(), key=lambda o: (o.on_date, o.key))
