"""Comparing two persons piece by piece: a level of agreement per kind of evidence.

:func:`compare` turns a pair of :class:`~rekindle.identity.facts.Facts` into a tuple of
levels, one per field of :data:`FIELDS` (``-1``: one side does not say; ``0``: they differ;
higher: closer). The levels are what the Fellegi–Sunter model
(:mod:`rekindle.identity.fellegi_sunter`) learns to weigh; :func:`describe` says them in
words for the person deciding ("same birthday 1956-04-09, addresses 0.93 alike").
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler

from rekindle.identity.facts import Facts
from rekindle.identity.identifiers import format_phone
from rekindle.identity.names import PersonName, formal_names, given_similarity
from rekindle.identity.profile import Place

__all__ = ["FIELDS", "LEVELS", "Comparison", "compare", "describe"]

#: the kinds of evidence, in the order of a comparison's levels
#: ("email" stands for every identity but a phone: email addresses, profile URLs, handles)
FIELDS = ("given", "family", "birthday", "street", "town", "postcode", "phone", "email", "employer")
#: how many levels (besides "unknown") each field has
LEVELS = (4, 4, 4, 4, 3, 3, 2, 2, 2)
GIVEN, FAMILY, BIRTHDAY, STREET, TOWN, POSTCODE, PHONE, EMAIL, EMPLOYER = range(len(FIELDS))
#: fields other than the name: a pair with one of them known on both sides has evidence
#: beyond a name
PLACE_FIELDS = (BIRTHDAY, STREET, TOWN, POSTCODE)


@dataclass(frozen=True, slots=True)
class Comparison:
    """The levels of one pair, with what the words need to say them."""

    levels: tuple[int, ...]
    names: tuple[PersonName | None, PersonName | None]
    swapped: bool
    birthdays: tuple[str, str]
    street_ratio: float
    places: tuple[Place | None, Place | None]


def _given_level(x: str, y: str) -> int:
    """3 same; 2 a nickname or a typo; 1 an initial that fits, or one the start of the
    other; 0 different (two established names never count as a typo of each other)."""
    if not x or not y:
        return -1
    if x == y:
        return 3
    if len(x) == 1 or len(y) == 1:
        return 1 if x[0] == y[0] else 0
    similarity = given_similarity(x, y)
    return 2 if similarity >= 0.85 else 1 if similarity >= 0.75 else 0


def _family_level(x: str, y: str) -> int:
    if not x or not y:
        return -1
    if x == y:
        return 3
    if OSA.distance(x, y) <= 1 and min(len(x), len(y)) >= 3:
        return 2
    tx, ty = set(x.split()), set(y.split())
    if tx <= ty or ty <= tx:
        return 2
    if JaroWinkler.similarity(x, y) >= 0.8:
        return 1
    return 0


def _name_levels(
    a: tuple[PersonName, ...], b: tuple[PersonName, ...]
) -> tuple[int, int, PersonName | None, PersonName | None, bool]:
    """(given level, family level, the two names, swapped?) of the best-fitting pair."""
    best: tuple[int, int, PersonName | None, PersonName | None, bool] = (-1, -1, None, None, False)
    best_sum = -3
    for x in a[:4]:
        for y in b[:4]:
            g, f = _given_level(x.first, y.first), _family_level(x.family_key, y.family_key)
            if g + f > best_sum:
                best, best_sum = (g, f, x, y, False), g + f
            if g + f < 5:  # written family name first on one side?
                sg = _given_level(x.first, y.family_key.split(" ", 1)[0])
                sf = _family_level(x.family_key, y.given_key)
                if sg >= 2 and sf >= 2 and sg + sf > best_sum:
                    best, best_sum = (sg, sf, x, y, True), sg + sf
    return best


def _birthday_level(a: str, b: str) -> int:
    """3 same day; 2 one digit off, day and month swapped, or the same day without a year;
    1 two of year, month and day agree; 0 different."""
    if a == b:
        return 3
    pa, pb = a.split("-"), b.split("-")  # '1956-04-09' or '--04-09' -> ['', '', '04', '09']
    ya, ma, da = pa[-3], pa[-2], pa[-1]
    yb, mb, db = pb[-3], pb[-2], pb[-1]
    if not ya or not yb:
        return 2 if (ma, da) == (mb, db) else 0
    if OSA.distance(a, b) <= 1 or (ya == yb and (ma, da) == (db, mb)):
        return 2
    agree = (ya == yb) + (ma == mb) + (da == db)
    return 1 if agree >= 2 else 0


def _best_birthday(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[int, str, str]:
    best = (-1, "", "")
    for x in a:
        for y in b:
            level = _birthday_level(x, y)
            if level > best[0]:
                best = (level, x, y)
    return best


def _place_levels(
    a: tuple[Place, ...], b: tuple[Place, ...]
) -> tuple[int, int, int, float, Place | None, Place | None]:
    """(street, town, postcode levels, street likeness, the two places) of the best pair."""
    best: tuple[int, int, int, float, Place | None, Place | None] = (-1, -1, -1, 0.0, None, None)
    best_sum = -4
    for x in a:
        for y in b:
            ratio = 0.0
            if x[0] and y[0]:
                ratio = 1.0 if x[0] == y[0] else fuzz.token_sort_ratio(x[0], y[0]) / 100
                street = 3 if ratio == 1.0 else 2 if ratio >= 0.88 else 1 if ratio >= 0.7 else 0
            else:
                street = -1
            if x[1] and y[1]:
                town = 2 if x[1] == y[1] else 1 if JaroWinkler.similarity(x[1], y[1]) >= 0.9 else 0
            else:
                town = -1
            if x[2] and y[2]:
                post = 2 if x[2] == y[2] else 1 if OSA.distance(x[2], y[2]) <= 1 else 0
            else:
                post = -1
            if street + town + post > best_sum:
                best, best_sum = (street, town, post, ratio, x, y), street + town + post
    return best


def _shared_or_different(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    if not a or not b:
        return -1
    return 1 if set(a) & set(b) else 0


def compare(a: Facts, b: Facts) -> Comparison:
    """The levels of agreement between two persons, one per field of :data:`FIELDS`."""
    g, f, x, y, swapped = _name_levels(a.names, b.names)
    bday, ba, bb = _best_birthday(a.birthdays, b.birthdays)
    street, town, post, ratio, pa, pb = _place_levels(a.places, b.places)
    emails_a = tuple(v for k, v in a.keys if k != "phone")
    emails_b = tuple(v for k, v in b.keys if k != "phone")
    employer = _shared_or_different(
        tuple(k for k, _ in a.employers), tuple(k for k, _ in b.employers)
    )
    levels = (
        g,
        f,
        bday,
        street,
        town,
        post,
        _shared_or_different(a.phones, b.phones),
        _shared_or_different(emails_a, emails_b),
        employer,
    )
    return Comparison(levels, (x, y), swapped, (ba, bb), ratio, (pa, pb))


def _name_words(c: Comparison) -> str:
    x, y = c.names
    if x is None or y is None:
        return ""
    g, f = c.levels[GIVEN], c.levels[FAMILY]
    if x.full == y.full:
        return f"same name ({x.full})"
    if c.swapped:
        return f"given and family names swapped ({x.full} ~ {y.full})"
    if g == 3 and f == 3:
        return f"same name ({x.full} ~ {y.full})"
    typo = (g in (2, 3) and f in (2, 3)) and (
        OSA.distance(x.first, y.first) + OSA.distance(x.family_key, y.family_key) == 1
    )
    if typo:
        return f"names differ by one letter ({x.full} ~ {y.full})"
    if g == 2 and x.first != y.first and formal_names(x.first) & formal_names(y.first):
        return f"names match ({x.full} ~ {y.full}, a nickname)"
    if g >= 2 and f >= 2:
        return f"names alike ({x.full} ~ {y.full})"
    if g == 1 and min(len(x.first), len(y.first)) == 1:
        return f"initial fits ({x.full} ~ {y.full})"
    return f"names differ ({x.full} / {y.full})"


def describe(c: Comparison, a: Facts, b: Facts, probability: float) -> list[str]:
    """The evidence of a pair in words, strongest for the merge first, then against it."""
    lv = c.levels
    out = [f"match probability {probability:.3f}"]
    words = _name_words(c)
    if words:
        out.append(words)
    ba, bb = c.birthdays
    if lv[BIRTHDAY] == 3:
        out.append(f"same birthday {ba}")
    elif lv[BIRTHDAY] == 2:
        out.append(f"birthdays alike ({ba} ~ {bb})")
    pa, pb = c.places
    if lv[STREET] == 3:
        out.append(f"same street address ({pa[0] if pa else ''})")
    elif lv[STREET] in (1, 2):
        out.append(f"addresses {c.street_ratio:.2f} alike")
    if lv[POSTCODE] == 2 and pa:
        out.append(f"same postcode {pa[2]}")
    if lv[TOWN] == 2 and pa:
        out.append(f"same town ({pa[1]})")
    if lv[PHONE] == 1:
        shared = sorted(set(a.phones) & set(b.phones))
        out.append(f"same phone {format_phone(shared[0])}")
    if lv[EMAIL] == 1:
        kind, value = min({k for k in a.keys if k[0] != "phone"} & set(b.keys))
        out.append(f"same {'email' if kind == 'email' else 'profile'} {value}")
    if lv[EMPLOYER] == 1:
        ea, eb = dict(a.employers), dict(b.employers)
        key = min(ea.keys() & eb.keys())
        out.append(f"both at {ea[key]}" if ea[key] == eb[key] else f"both at {ea[key]} / {eb[key]}")
    against = [
        (BIRTHDAY, 0, f"against: different birthdays ({ba} / {bb})"),
        (STREET, 0, "against: different street addresses"),
        (POSTCODE, 0, "against: different postcodes"),
        (PHONE, 0, "against: different phone numbers"),
        (EMPLOYER, 0, "against: different employers"),
    ]
    out.extend(text for field, level, text in against if lv[field] == level)
    return out
