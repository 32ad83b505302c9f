"""A new address of someone already known: which person it likely continues, and why.

When mail brings an address nobody holds, the history sync makes a person of it (after a
two-way exchange). If the address wrote under a known person's name in a thread that person
had been in, it is most likely their new address (a new job, a new provider): the pair is
put to the user as a merge suggestion, its reasons in words, instead of standing as an
unexplained second person. The name alone (without the thread) stays the general
matcher's call; message bodies (signatures) are never read for the history.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from rekindle.identity.identifiers import email_parts
from rekindle.identity.names import make_name, names_agree

#: the score of a suggestion backed by a shared thread and the same name
SCORE = 0.95
RULE = "new-address"


@dataclass(frozen=True, slots=True)
class Sighting:
    """The new address and a known person's address on messages of one thread."""

    thread: str
    subject: str | None
    known_address: str
    known_person: int
    known_name: str
    #: when the known address was last on the thread, and the new one first
    known_last: datetime | None
    new_first: datetime | None


@dataclass(frozen=True, slots=True)
class Continuation:
    """``person`` is likely the one writing from ``address``; ``reasons`` say why."""

    address: str
    person: int
    score: float
    reasons: list[str]


def continuation(
    address: str, written_name: str | None, seen: list[Sighting]
) -> Continuation | None:
    """The known person whose thread ``address`` took up under their name, or None when no
    one, or more than one, fits."""
    name = make_name(written_name) if written_name else None
    if name is None:
        return None
    by_person: dict[int, list[Sighting]] = defaultdict(list)
    for s in seen:
        theirs = make_name(s.known_name)
        if theirs is not None and names_agree(name, theirs):
            by_person[s.known_person].append(s)
    if len(by_person) != 1:
        return None
    [(person, sightings)] = by_person.items()
    return Continuation(address, person, SCORE, _reasons(address, written_name or "", sightings))


def _reasons(address: str, written_name: str, sightings: list[Sighting]) -> list[str]:
    first = sightings[0]
    threads = {s.thread for s in sightings}
    subject = f"“{first.subject}”" if first.subject else "a thread"
    more = f" (and {len(threads) - 1} more)" if len(threads) > 1 else ""
    reasons = [
        f"{address} wrote as {written_name} in {subject}{more}, a thread with "
        f"{first.known_name} at {first.known_address}"
    ]
    old_domain, new_domain = email_parts(first.known_address)[1], email_parts(address)[1]
    if old_domain and new_domain and old_domain != new_domain:
        reasons.append(f"writes from {new_domain} now, before from {old_domain}")
    if first.known_last and first.new_first and first.new_first >= first.known_last:
        reasons.append(
            f"took the thread up on {first.new_first:%Y-%m-%d}, after the last mail with "
            f"{first.known_address} on {first.known_last:%Y-%m-%d}"
        )
    return reasons


__all__ = ["RULE", "SCORE", "Continuation", "Sighting", "continuation"]
