"""Life events found in data (pure): a new job, a new company, a new role, a move, a new
email domain.

Two versions of a contact's data (the dicts :func:`rekindle.identity.records.contact_to_data` makes) are
compared with :func:`life_events_between`; addresses a person has written from, with the date
of their first message from each, go to :func:`new_email_domain`. Data that only fills in
what was unknown (an organisation on a card that had none) is not an event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from rekindle.engine.occasion_holidays import country_code
from rekindle.engine.occasions import (
    WINDOWS,
    Occasion,
    day_month_year,
    month_year,
    slug,
    source_label,
)
from rekindle.identity.profile import is_free_mail, org_key

#: a "new" affiliation that started longer ago than this is old news the data caught up with
STALE_AFTER_DAYS = 365
_FOUNDER = ("founder", "co-founder", "cofounder", "owner")
_WORK_LABELS = {"work", "office", "business"}
_SECOND_LEVEL = {"co", "com", "ac", "org", "net", "gov", "edu", "ne", "or", "gv"}


@dataclass(frozen=True, slots=True)
class _Aff:
    organisation: str
    title: str
    start: date | None
    end: date | None

    @property
    def key(self) -> str:
        return org_key(self.organisation) or self.organisation.strip().lower()

    def current_on(self, day: date) -> bool:
        return self.end is None or self.end >= day


@dataclass(frozen=True, slots=True)
class _Place:
    city: str
    country: str
    shown: str


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value else ""


def _work(affiliations: Iterable[Mapping[str, Any]]) -> list[_Aff]:
    out = []
    for a in affiliations:
        org = _text(a.get("organisation"))
        if org and (a.get("kind") or "work") == "work":
            out.append(_Aff(org, _text(a.get("title")), _date(a.get("start")), _date(a.get("end"))))
    return out


def _stamp(source: str, seen_on: date) -> str:
    return f"({source_label(source)}, {day_month_year(seen_on)})"


def _joined(aff: _Aff, old: list[_Aff]) -> tuple[str, str] | None:
    """(kind, words) for an organisation the old data did not have them at now."""
    if not old and aff.start is None:
        return None  # the card had no organisation before: filled in, not news
    when = f" in {month_year(aff.start)}" if aff.start else ""
    if any(word in aff.title.lower() for word in _FOUNDER):
        return "new-company", f"founded {aff.organisation}{when}" + (
            f" as {aff.title}" if aff.title else ""
        )
    verb = "rejoined" if any(a.key == aff.key for a in old) else "joined"
    if aff.title:
        verb = "returned" if verb == "rejoined" else "started"
        return "new-job", f"{verb} as {aff.title} at {aff.organisation}{when}"
    return "new-job", f"{verb} {aff.organisation}{when}"


def _new_role(aff: _Aff, before: list[_Aff]) -> tuple[str, str] | None:
    """(kind, words) for a new title at an organisation they were already at."""
    titles = {a.title.casefold() for a in before if a.title}
    if not aff.title or not titles or aff.title.casefold() in titles:
        return None  # no title, none before (filled in), or the same one
    was = next(a.title for a in before if a.title)
    return "new-role", f"now {aff.title} at {aff.organisation}, was {was}"


def _job_events(old: list[_Aff], new: list[_Aff], seen_on: date, source: str) -> list[Occasion]:
    events: list[Occasion] = []
    for aff in (a for a in new if a.current_on(seen_on)):
        if aff.start is not None and aff.start < seen_on - timedelta(days=STALE_AFTER_DAYS):
            continue
        there = [a for a in old if a.key == aff.key and a.current_on(seen_on)]
        found = _new_role(aff, there) if there else _joined(aff, old)
        if found is None:
            continue
        kind, what = found
        events.append(
            Occasion(kind, f"{kind}:{slug(aff.key)}:{seen_on.isoformat()}", seen_on,
                     f"{what} {_stamp(source, seen_on)}", source)
        )  # fmt: skip
    return events


def _places(addresses: Iterable[Mapping[str, Any]]) -> list[_Place]:
    out = []
    for a in addresses:
        if _text(a.get("label")).lower() in _WORK_LABELS:
            continue
        city, country = _text(a.get("city")), _text(a.get("country"))
        if city or country:
            code = country_code(country) or country.casefold()
            out.append(_Place(city.casefold(), code, ", ".join(p for p in (city, country) if p)))
    return out


def _same_place(a: _Place, b: _Place) -> bool:
    if a.city and b.city:
        return a.city == b.city and (not a.country or not b.country or a.country == b.country)
    if a.country and b.country:
        return a.country == b.country
    return True  # too little to tell: not a move


def _move(
    old: Iterable[Mapping[str, Any]], new: Iterable[Mapping[str, Any]], seen_on: date, source: str
) -> Occasion | None:
    before, after = _places(old), _places(new)
    if not before or not after:
        return None
    here = after[0]
    if any(_same_place(here, p) for p in before):
        return None
    subject = slug(here.city or here.country)
    return Occasion(
        "moved",
        f"moved:{subject}:{seen_on.isoformat()}",
        seen_on,
        f"moved from {before[0].shown} to {here.shown} {_stamp(source, seen_on)}",
        source,
    )


def life_events_between(
    old_data: Mapping[str, Any], new_data: Mapping[str, Any], seen_on: date, source: str
) -> list[Occasion]:
    """What changed in a person's life between two versions of their data, seen on ``seen_on``
    in ``source``: a new organisation (``new-job``, or ``new-company`` for a founder), a new
    title at the same organisation (``new-role``), a new city or country (``moved``)."""
    events = _job_events(
        _work(old_data.get("affiliations") or []),
        _work(new_data.get("affiliations") or []),
        seen_on,
        source,
    )
    move = _move(old_data.get("addresses") or [], new_data.get("addresses") or [], seen_on, source)
    if move is not None:
        events.append(move)
    return events


def base_domain(domain: str) -> str:
    """``mail.acme.com`` → ``acme.com``; ``news.bbc.co.uk`` → ``bbc.co.uk``."""
    labels = [label for label in domain.lower().strip(".").split(".") if label]
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def new_email_domain(
    first_sent: Mapping[str, date], today: date, source: str = "mail"
) -> Occasion | None:
    """A ``new-email-domain`` event when a person lately started writing from a domain that is
    not free mail, after writing from another one before.

    ``first_sent`` maps each address the person wrote from to the day of their first message
    from it. "Lately" is the life-event window (60 days) before ``today``.
    """
    first_by_domain: dict[str, date] = {}
    for address, day in first_sent.items():
        domain = base_domain(address.rpartition("@")[2])
        if domain and "." in domain:
            first_by_domain[domain] = min(day, first_by_domain.get(domain, day))
    if len(first_by_domain) < 2:
        return None
    ordered = sorted(first_by_domain.items(), key=lambda kv: (kv[1], kv[0]))
    (previous, earlier), (domain, since) = ordered[-2], ordered[-1]
    if since == earlier or is_free_mail(domain):
        return None
    if not today - timedelta(days=WINDOWS["new-email-domain"].after) <= since <= today:
        return None
    return Occasion(
        "new-email-domain",
        f"new-email-domain:{domain[:200]}",
        since,
        f"writes from {domain} now, before from {previous} "
        f"(first mail from {domain} {day_month_year(since)})",
        source,
    )
