"""Which of a person's email addresses to write to today: one rule for drafts, sending and
meetup invitations."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from rekindle.identity.profile import is_free_mail, org_key

_NOT_ALNUM = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True, slots=True)
class Employer:
    """An organisation the person worked at; ``ended`` when they have left it."""

    organisation: str
    ended: date | None


def _compact(text: str) -> str:
    return _NOT_ALNUM.sub("", text.casefold())


def _org_label(address: str) -> str:
    """The label naming the organisation: 'eric@mail.foxglove-analytics.com' -> 'foxgloveanalytics'."""
    labels = address.rpartition("@")[2].casefold().split(".")
    return _compact(labels[-2]) if len(labels) >= 2 else ""


def _is_of(address: str, organisation: str) -> bool:
    label, key = _org_label(address), org_key(organisation)
    if not label or not key:
        return False
    return label == _compact(key) or label == _compact(key.split()[0])


def _left_employer(address: str, employers: Sequence[Employer]) -> bool:
    """True when the address is on the domain of an employer they have left (and not rejoined)."""
    of = [e for e in employers if _is_of(address, e.organisation)]
    return bool(of) and all(e.ended is not None for e in of)


def address_to_write(
    addresses: Sequence[str],
    last_personal: Mapping[str, datetime],
    employers: Iterable[Employer] = (),
) -> str | None:
    """The address you would write to today: the one of the most recent personal mail (in or
    out); else the primary (first) one, unless it is at an employer they have left and a
    personal (free mail) or other address is on record."""
    if not addresses:
        return None
    used = [a for a in addresses if a.casefold() in last_personal]
    if used:
        return max(used, key=lambda a: last_personal[a.casefold()])
    jobs = list(employers)
    primary = addresses[0]
    if not _left_employer(primary, jobs):
        return primary
    free = [a for a in addresses if is_free_mail(a.rpartition("@")[2].casefold())]
    current = [a for a in addresses if not _left_employer(a, jobs)]
    return (free or current or [primary])[0]
