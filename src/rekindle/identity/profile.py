"""What matching knows of a record or a person: names, identities, organisations, domains.

Shared by automatic merges (:mod:`rekindle.identity.matching`) and merge suggestions
(:mod:`rekindle.identity.suggest`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources

from rekindle.identity.identifiers import Identity, email_parts, normalise_identities
from rekindle.identity.names import PersonName, fold, make_name, names_compatible, names_conflict
from rekindle.identity.records import ContactRecord

__all__ = [
    "Profile",
    "Suggestion",
    "best_names",
    "is_free_mail",
    "is_role_address",
    "names_contradict",
    "org_key",
    "Place",
    "pair_text",
    "place_of",
    "profile_from_record",
]

#: a person keeps at most this many name variants, birthdays and postal addresses
MAX_NAMES = 8
MAX_FACTS = 4
#: a postal address as matching sees it: (street lines, town, postcode), folded
Place = tuple[str, str, str]
#: match keys use at most this many characters of a street or town (bounded comparisons)
PLACE_CHARS = 120


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
    #: birthdays as ISO text ('1956-04-09', or '--04-09' without a year)
    birthdays: list[str] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)

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
        for mine, theirs in ((self.birthdays, other.birthdays), (self.places, other.places)):
            for fact in theirs:
                if fact not in mine and len(mine) < MAX_FACTS:
                    mine.append(fact)  # type: ignore[arg-type]
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
    if record.birthday is not None:
        profile.birthdays.append(record.birthday.iso())
    for address in record.addresses[:MAX_FACTS]:
        place = place_of(address.street, address.city, address.postcode)
        if place is not None and place not in profile.places:
            profile.places.append(place)
    return profile


def place_of(street: str | None, city: str | None, postcode: str | None) -> Place | None:
    """A postal address's match key, or None when it says nothing to compare."""
    place = (
        fold((street or "")[:PLACE_CHARS]),
        fold((city or "")[:PLACE_CHARS]),
        fold((postcode or "")[:16]).replace(" ", ""),
    )
    return place if any(place) else None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Two persons that may be one, for a person to confirm; ``a < b``.

    ``automatic``: the evidence is strong enough to merge without asking.
    """

    a: int
    b: int
    score: float
    rule: str
    reasons: list[str]
    automatic: bool = False


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


def pair_text(x: PersonName | None, y: PersonName | None) -> str:
    if x is None or y is None:
        return ""
    return x.full if x.full == y.full else f"{x.full} ~ {y.full}"
