"""Shared context: the organisations where the user and a person were at the same time.

"We were both at Acme 2015–2018" comes from comparing my affiliations with theirs: the same
organisation (compared loosely: "Acme Corp." is "ACME") and overlapping periods. A period
whose dates are unknown is taken as possibly overlapping, without years.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rekindle.identity.names import fold

#: legal-form words that do not tell two organisations apart
_LEGAL_FORMS = frozenset(
    [
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "ltd",
        "limited",
        "llc",
        "llp",
        "plc",
        "gmbh",
        "ag",
        "sa",
        "sas",
        "sarl",
        "bv",
        "nv",
        "pty",
        "srl",
        "spa",
        "oy",
        "ab",
        "as",
        "kg",
    ]
)
_THE = re.compile(r"^the\s+")


@dataclass(frozen=True, slots=True)
class Period:
    """One affiliation: an organisation, a role, and the dates when known."""

    organisation: str
    title: str | None = None
    kind: str = "work"
    start: date | None = None
    end: date | None = None


@dataclass(frozen=True, slots=True)
class SharedAffiliation:
    """An organisation both were at, with the overlapping years when the dates tell them."""

    organisation: str
    kind: str = "work"
    start_year: int | None = None
    end_year: int | None = None
    their_title: str | None = None
    #: both are still there
    ongoing: bool = False

    @property
    def years(self) -> str:
        """'2015–2018', '2017', 'since 2019', or '' when the dates are unknown."""
        if self.ongoing:
            return f"since {self.start_year}" if self.start_year else ""
        if self.start_year and self.end_year and self.end_year != self.start_year:
            return f"{self.start_year}–{self.end_year}"
        return str(self.start_year or self.end_year or "")


@lru_cache(maxsize=1 << 14)
def organisation_key(name: str) -> str:
    """How organisations are compared: folded, without 'the' and legal forms (remembered: a
    plan compares my organisations with everyone's, and a network repeats its names)."""
    words = _THE.sub("", fold(name)).split()
    kept = [w for w in words if w not in _LEGAL_FORMS]
    return " ".join(kept or words)


def _overlap(a: Period, b: Period, today: date) -> tuple[bool, date | None, date | None]:
    """(may overlap, overlap start, overlap end); dates are None where unknown."""
    if not (a.start or a.end) or not (b.start or b.end):
        return True, None, None
    a_start, b_start = a.start or date.min, b.start or date.min
    a_end, b_end = a.end or today, b.end or today
    start, end = max(a_start, b_start), min(a_end, b_end)
    if start > end:
        return False, None, None
    return True, (start if start != date.min else None), end


def shared_affiliations(
    mine: Iterable[Period], theirs: Iterable[Period], today: date
) -> list[SharedAffiliation]:
    """Organisations in both lists whose periods overlap, the most recent overlap first."""
    found: dict[str, SharedAffiliation] = {}
    keyed = [(organisation_key(t.organisation), t) for t in theirs]
    for m in mine:
        key = organisation_key(m.organisation)
        if not key:
            continue
        for their_key, t in keyed:
            if their_key != key:
                continue
            overlaps, start, end = _overlap(m, t, today)
            if not overlaps:
                continue
            candidate = SharedAffiliation(
                organisation=t.organisation.strip() or m.organisation.strip(),
                kind=m.kind,
                start_year=start.year if start else None,
                end_year=end.year if end else None,
                their_title=t.title or None,
                ongoing=bool(start) and not (m.end or t.end),
            )
            if key not in found or _span(candidate) > _span(found[key]):
                found[key] = candidate
    return sorted(found.values(), key=lambda s: (not s.ongoing, -(s.end_year or s.start_year or 0)))


def _span(s: SharedAffiliation) -> int:
    if s.start_year is None:
        return -1
    return (s.end_year or s.start_year) - s.start_year
