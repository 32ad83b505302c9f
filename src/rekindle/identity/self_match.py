"""Is this record me? The user's other addresses, told apart from the people they know (pure).

A mailbox often holds its owner under another address: a home account they forward work to
("phillip allen" <pallen70@hotmail.com>), an old job's address, a phone. Such a record must
never be suggested as someone to reconnect with, drafted to, or merged with another person.

Two signs make a record *likely me*:

- **the same name as mine** (given and family name agree, initials and middle names aside,
  "Allen, Phillip K." included);
- **an address built like mine**: its local part, without digits and punctuation, is the local
  part of one of my addresses (``pallen70`` ~ ``pallen``) or my name's usual forms
  (``phillipallen``, ``pallen``, ``phillip.allen``), and no name on it contradicts mine.

Mail patterns (they wrote to my addresses, I copied myself beside them) only support those
signs in ``me --suggest``: everyone writes to me.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from rekindle.identity.names import PersonName, fold, make_name, names_compatible, names_conflict

#: how well a name must fit mine to be "the same name"
SAME_NAME = 0.9
#: a local part's stem shorter than this says nothing ("al", "pk")
MIN_STEM = 4
_NOT_LETTERS = re.compile(r"[^a-z]+")


@lru_cache(maxsize=1 << 14)
def stem(local_part: str) -> str:
    """The letters of an address's local part: 'P.Allen70' -> 'pallen' (remembered: a plan
    asks it of every address on its shortlist)."""
    return _NOT_LETTERS.sub("", fold(local_part).replace(" ", ""))


def _local(address: str) -> str:
    return address.rpartition("@")[0] if "@" in address else ""


@dataclass(frozen=True)
class Myself:
    """What says a record is me: my name and the stems of my addresses and of my name."""

    name: PersonName | None
    addresses: frozenset[str]
    stems: frozenset[str]

    @classmethod
    def of(cls, name: str | None, addresses: Iterable[str]) -> Myself:
        parsed = make_name(name) if name else None
        mine = frozenset(a.casefold() for a in addresses)
        stems = {stem(_local(a)) for a in mine if "@" in a}
        if parsed is not None and parsed.first and parsed.family_key:
            given, family = parsed.first, parsed.family_key.replace(" ", "")
            stems |= {given + family, given[0] + family, family + given, family + given[0]}
        return cls(parsed, mine, frozenset(s for s in stems if len(s) >= MIN_STEM))

    @property
    def known(self) -> bool:
        return self.name is not None or bool(self.stems)

    def same_name(self, name: str | None) -> bool:
        """``name`` is my name (both with a family name that agrees)."""
        other = make_name(name) if name else None
        if self.name is None or other is None or not other.family_key:
            return False
        if other.family_key != self.name.family_key:
            return False
        return names_compatible(self.name, other) >= SAME_NAME

    def address_like_mine(self, address: str) -> bool:
        s = stem(_local(address.casefold()))
        return len(s) >= MIN_STEM and s in self.stems

    def evidence(self, names: Iterable[str], addresses: Iterable[str]) -> list[str]:
        """Why a record (its names and addresses) looks like me, in words; empty if it does not.

        An address built like mine counts only when no name on the record contradicts mine.
        """
        if not self.known:
            return []
        names = [n for n in names if n and n.strip()]
        same = [n for n in names if self._may_be_my_name(n) and self.same_name(n)]
        out = [f"named {n!r}, your name" for n in _unique(same)]
        like = [
            a for a in addresses if a.casefold() not in self.addresses and self.address_like_mine(a)
        ]
        if not like:
            return out  # (no name to weigh against an address)
        if self.name is not None:
            parsed = [p for p in (make_name(n) for n in names) if p is not None]
            if any(names_conflict(self.name, p) for p in parsed):
                return out
        return [*out, *(f"{a} is built like your own addresses" for a in like)]

    def someone_else(self, names: Iterable[str]) -> str | None:
        """The name mail showed beside an address when it is another person's: none of
        ``names`` is mine and one contradicts mine (an assistant sending from my mailbox, a
        shared account); None when one is mine, or mine is unknown."""
        if self.name is None:
            return None
        names = [n for n in names if n and n.strip()]
        if any(self.same_name(n) for n in names):
            return None
        for n in names:
            parsed = make_name(n)
            if parsed is not None and names_conflict(self.name, parsed):
                return " ".join(n.split())
        return None

    @cached_property
    def _family_words(self) -> frozenset[str]:
        return frozenset(self.name.family_key.split()) if self.name is not None else frozenset()

    def _may_be_my_name(self, name: str) -> bool:
        """False when ``name`` cannot be mine, without parsing it: a name's family name is
        made of its words, so mine must be among them (folded)."""
        return bool(self._family_words) and self._family_words <= set(fold(name).split())


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        text = " ".join(item.split())
        seen.setdefault(text.casefold(), text)
    return list(seen.values())
