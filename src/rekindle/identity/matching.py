"""Identity resolution: which person does a record describe, and which persons may be one.

A :class:`Resolver` holds an in-memory index over persons (integer ids chosen by the
caller). An importer pipeline feeds it one record at a time::

    resolution = resolver.resolve(profile)
    if resolution.person_id is None:
        pid = store.new_person()                     # a new person
    else:
        pid = resolution.person_id
        for other in resolution.also_merge:          # the record proves them identical
            store.merge(other, into=pid)
            resolver.merged(other, into=pid)
    resolver.register(pid, profile)

Automatic merges need an exact shared strong identity (an email address or a profile URL)
and names that do not contradict each other; a phone number, a role address (info@,
sales@) or a home page only merges when the names also agree. Everything fuzzier becomes a
:class:`Suggestion` for a person to confirm, found by blocking (never by comparing all pairs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from rekindle.identity.identifiers import Identity, email_parts, normalise_identities
from rekindle.identity.names import (
    PersonName,
    fold,
    make_name,
    names_agree,
    names_compatible,
    names_conflict,
)
from rekindle.identity.records import ContactRecord

__all__ = [
    "Profile",
    "best_names",
    "names_contradict",
    "Resolution",
    "Resolver",
    "Suggestion",
    "is_free_mail",
    "is_role_address",
    "org_key",
    "profile_from_record",
]

#: a person keeps at most this many name variants
MAX_NAMES = 8


def _word_list(name: str) -> list[str]:
    text = resources.files("rekindle").joinpath("data", name).read_text("utf-8")
    return [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]


_free, _, _labels = "\n".join(_word_list("freemail_domains.txt")).partition("[labels]")
FREE_MAIL_DOMAINS = frozenset(_free.split())
_FREE_MAIL_LABELS = frozenset(_labels.split())
ROLE_LOCAL_PARTS = frozenset(_word_list("role_addresses.txt"))
_ORG_SUFFIXES = frozenset(
    ("inc", "incorporated", "llc", "llp", "ltd", "limited", "gmbh", "ag", "kg", "ohg", "ug",
     "co", "corp", "corporation", "company", "plc", "sa", "sarl", "sas", "bv", "nv", "srl",
     "spa", "pty", "ab", "as", "oy", "the", "group", "holding", "holdings")
)  # fmt: skip
_SPLIT_LOCAL = re.compile(r"[.\-_+]")


def is_free_mail(domain: str) -> bool:
    """True for addresses anyone can get (gmail.com, yahoo.co.uk, gmx.de, …)."""
    if domain in FREE_MAIL_DOMAINS:
        return True
    labels = domain.split(".")
    return len(labels) >= 2 and (labels[-2] in _FREE_MAIL_LABELS or labels[0] in _FREE_MAIL_LABELS)


def is_role_address(local: str) -> bool:
    """True for local parts that name a function, not a person (info, sales-emea, team)."""
    return local in ROLE_LOCAL_PARTS or _SPLIT_LOCAL.split(local, 1)[0] in ROLE_LOCAL_PARTS


def org_key(name: str) -> str:
    """An organisation's match key: folded, legal form dropped ('ACME, Inc.' -> 'acme')."""
    tokens = [t for t in fold(name).split() if t not in _ORG_SUFFIXES]
    return " ".join(tokens)


@dataclass(slots=True)
class Profile:
    """What matching knows about a record or a person."""

    names: list[PersonName] = field(default_factory=list)
    identities: list[Identity] = field(default_factory=list)
    #: organisation key -> name as written
    organisations: dict[str, str] = field(default_factory=dict)
    #: email domains of non-free addresses (the employer's, usually)
    domains: list[str] = field(default_factory=list)
    #: the sources the records came from (an address book lists a person once, mostly)
    sources: list[str] = field(default_factory=list)
    is_organisation: bool = False

    def extend(self, other: Profile) -> None:
        """Add another profile's names, identities and organisations to this one."""
        keys = {n.key for n in self.names}
        for name in other.names:
            if name.key not in keys and len(self.names) < MAX_NAMES:
                keys.add(name.key)
                self.names.append(name)
        idents = {i.key for i in self.identities}
        self.identities.extend(i for i in other.identities if i.key not in idents)
        for key, label in other.organisations.items():
            self.organisations.setdefault(key, label)
        self.domains.extend(d for d in other.domains if d not in self.domains)
        self.sources.extend(s for s in other.sources if s not in self.sources)
        self.is_organisation = self.is_organisation and other.is_organisation


def profile_from_record(record: ContactRecord, default_region: str | None = None) -> Profile:
    """The matching profile of one imported record."""
    profile = Profile(sources=[record.source], is_organisation=record.is_organisation)
    if not record.is_organisation:
        name = make_name(
            record.full_name,
            record.given_name,
            record.family_name,
            record.middle_name,
            record.suffix,
            record.nickname,
        )
        if name is not None:
            profile.names.append(name)
    profile.identities = normalise_identities(record.identities, default_region)
    for ident in profile.identities:
        if ident.kind == "email":
            local, domain = email_parts(ident.value)
            usual = not is_free_mail(domain) and not is_role_address(local)
            if usual and domain not in profile.domains:
                profile.domains.append(domain)
    for aff in record.affiliations:
        key = org_key(aff.organisation or "")
        if key and aff.kind == "work":
            profile.organisations.setdefault(key, aff.organisation.strip())
    return profile


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where a record belongs: ``person_id`` None means a new person.

    ``also_merge`` lists other persons the record proves identical to ``person_id``; the
    caller merges them into it. ``rule`` is a machine name, ``evidence`` a sentence.
    """

    person_id: int | None
    also_merge: list[int]
    rule: str
    evidence: str


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Two persons that may be one, for a person to confirm; ``a < b``."""

    a: int
    b: int
    score: float
    rule: str
    reasons: list[str]


def best_names(
    a: list[PersonName], b: list[PersonName]
) -> tuple[float, PersonName | None, PersonName | None]:
    """The most similar pair of names between two lists, with its score."""
    best: tuple[float, PersonName | None, PersonName | None] = (0.0, None, None)
    for x in a:
        for y in b:
            score = names_compatible(x, y)
            if score > best[0]:
                best = (score, x, y)
    return best


def names_contradict(a: list[PersonName], b: list[PersonName]) -> bool:
    """True when both have names and every pair clearly belongs to different people."""
    if not a or not b:
        return False
    return all(names_conflict(x, y) for x in a for y in b)


def _pair_text(x: PersonName | None, y: PersonName | None) -> str:
    if x is None or y is None:
        return ""
    return x.full if x.full == y.full else f"{x.full} ~ {y.full}"


class Resolver:
    """An in-memory index of persons for automatic merges and merge suggestions.

    ``max_shared``: an identity held by more persons than this is a shared address
    (a switchboard, a team inbox) and no longer merges anything.
    """

    def __init__(self, *, max_shared: int = 8) -> None:
        self.max_shared = max_shared
        self._profiles: dict[int, Profile] = {}
        self._index: dict[tuple[str, str], list[int]] = {}

    def __len__(self) -> int:
        return len(self._profiles)

    def __contains__(self, person_id: object) -> bool:
        return person_id in self._profiles

    def profile(self, person_id: int) -> Profile:
        return self._profiles[person_id]

    def holders(self, kind: str, value: str) -> list[int]:
        """The persons holding an identity (kind, match key)."""
        return list(self._index.get((kind, value), ()))

    # -- maintenance -----------------------------------------------------------------------

    def register(self, person_id: int, profile: Profile) -> None:
        """Add a person, or extend a known person with another record's profile."""
        current = self._profiles.get(person_id)
        if current is None:
            current = Profile(is_organisation=profile.is_organisation)
            self._profiles[person_id] = current
        before = {i.key for i in current.identities}
        current.extend(profile)
        for ident in current.identities:
            if ident.key not in before:
                holders = self._index.setdefault(ident.key, [])
                if person_id not in holders and len(holders) <= self.max_shared:
                    holders.append(person_id)

    def unregister(self, person_id: int) -> None:
        """Forget a person (deleted, or split up to be registered again)."""
        profile = self._profiles.pop(person_id, None)
        if profile is None:
            return
        for ident in profile.identities:
            holders = self._index.get(ident.key)
            if holders and person_id in holders:
                holders.remove(person_id)
                if not holders:
                    del self._index[ident.key]

    def merged(self, absorbed: int, into: int) -> None:
        """Record that the caller merged person ``absorbed`` into person ``into``."""
        if absorbed == into:
            return
        profile = self._profiles.get(absorbed)
        self.unregister(absorbed)
        if profile is not None:
            self.register(into, profile)

    # -- resolution --------------------------------------------------------------------------

    def _accept(
        self, ident: Identity, new: Profile, old: Profile, shared: bool
    ) -> tuple[str, str] | None:
        """(rule, evidence) when sharing ``ident`` makes ``new`` and ``old`` one person.

        A phone, a role address, a home page, or any identity already ``shared`` by
        people whose names differ, only merges when the names agree as well.
        """
        if new.is_organisation != old.is_organisation:
            return None
        weak = shared or ident.kind == "phone" or ident.service == "web"
        if ident.kind == "email":
            weak = shared or is_role_address(email_parts(ident.value)[0])
        what = {"email": "email", "phone": "phone"}.get(ident.kind, f"{ident.service} profile")
        if weak:
            pair = next(((x, y) for x in new.names for y in old.names if names_agree(x, y)), None)
            if pair is None:
                return None
            x, y = pair
            rule = "exact-phone+name" if ident.kind == "phone" else f"exact-{ident.kind}+name"
            return rule, f"same {what} {ident.display} and names match ({_pair_text(x, y)})"
        if names_contradict(new.names, old.names):
            return None
        return f"exact-{ident.kind}", f"same {what} {ident.display}"

    def resolve(self, profile: Profile) -> Resolution:
        """Which known person a record's profile belongs to, if any (see module doc)."""
        matches: dict[int, tuple[str, str]] = {}
        shared_by_others = ""
        for ident in profile.identities:
            holders = self._index.get(ident.key)
            if not holders or len(holders) > self.max_shared:
                continue
            shared = self._shared(holders)
            for pid in holders:
                if pid not in matches:
                    verdict = self._accept(ident, profile, self._profiles[pid], shared)
                    if verdict is not None:
                        matches[pid] = verdict
                    elif shared:
                        shared_by_others = ident.display
        if not matches and shared_by_others and not profile.names:
            why = f"{shared_by_others} is shared by people with different names; no name to tell"
            return Resolution(None, [], "ambiguous", why)
        if not matches:
            return Resolution(None, [], "new", "no known person shares an identity")
        group = self._consistent(profile, matches)
        if not group:
            return Resolution(
                None, [], "ambiguous", "the shared identity belongs to different people"
            )
        target, *others = sorted(group)
        rule, evidence = matches[target]
        for pid in others:
            evidence += f"; also person {pid}: {matches[pid][1]}"
        return Resolution(target, others, rule, evidence)

    def _shared(self, holders: list[int]) -> bool:
        """True when persons holding one identity have contradicting names (a family)."""
        names = [self._profiles[p].names for p in holders]
        return any(
            names_contradict(names[i], names[j])
            for i in range(len(names))
            for j in range(i + 1, len(names))
        )

    def _consistent(self, profile: Profile, matches: dict[int, tuple[str, str]]) -> list[int]:
        """The matched persons that can be one person with the record: best name first.

        When two matched persons contradict each other (a family sharing an address), the
        record joins the one its name fits better; when its name cannot tell (no name, or
        an initial that fits both), it is ambiguous and the result is empty.
        """
        if len(matches) == 1:
            return list(matches)
        score = {p: best_names(profile.names, self._profiles[p].names)[0] for p in matches}
        ordered = sorted(matches, key=lambda p: (-score[p], p))
        group = [ordered[0]]
        for pid in ordered[1:]:
            names = self._profiles[pid].names
            if any(names_contradict(names, self._profiles[g].names) for g in group):
                if score[pid] >= score[ordered[0]] - 0.05:
                    return []
                continue
            group.append(pid)
        return group

    # -- suggestions -------------------------------------------------------------------------

    def suggestions(
        self,
        person_ids: Iterable[int] | None = None,
        *,
        min_score: float = 0.45,
        block_cap: int = 40,
        window: int = 6,
    ) -> list[Suggestion]:
        """Pairs of persons that may be one, best first (see :mod:`rekindle.identity.suggest`).

        Only pairs touching ``person_ids`` when given (after an import, the new persons).
        Scores below 0.6 are "possible" matches (a common name and nothing else); show
        them last, or raise ``min_score``. Blocks larger than ``block_cap`` are searched
        ``window`` neighbours either side in name order.
        """
        from rekindle.identity.suggest import find_suggestions

        return find_suggestions(
            self._profiles,
            self._index,
            person_ids,
            min_score=min_score,
            block_cap=block_cap,
            window=window,
            max_shared=self.max_shared,
        )
