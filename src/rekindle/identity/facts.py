"""What scoring needs to know of a person, computed once per person, and name counts."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from rekindle.identity.identifiers import email_parts
from rekindle.identity.names import PersonName, canonical_given, make_name
from rekindle.identity.profile import Place, Profile, is_free_mail, is_role_address

__all__ = ["Facts", "Frequencies", "LOCAL_SPLIT", "facts_of"]

#: networks where a person has one profile: two different ones speak against a merge
_ONE_PROFILE = frozenset({"linkedin", "github", "twitter", "facebook", "xing"})
_LOCAL_JUNK = re.compile(r"\+.*$|\d+")
LOCAL_SPLIT = re.compile(r"[._\-]+")
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"})


@dataclass(frozen=True, slots=True)
class Facts:
    """What scoring needs to know of a person, computed once per person."""

    names: tuple[PersonName, ...]
    guessed: tuple[PersonName, ...]  # names spelled out by addresses, for the nameless
    keys: tuple[tuple[str, str], ...]
    phones: tuple[str, ...]
    personal: tuple[str, ...]  # free-mail addresses
    employers: tuple[tuple[str, str], ...]  # (key, label)
    locals: tuple[str, ...]  # local parts without +tags, digits and dots: 'janedoe'
    profiles: tuple[tuple[str, str], ...]  # (network, url) where one has one profile
    sources: tuple[str, ...]
    is_organisation: bool
    birthdays: tuple[str, ...] = ()
    places: tuple[Place, ...] = ()


@dataclass(slots=True)
class Frequencies:
    """How many persons carry each name, initial + family name, family and given name."""

    names: Counter[tuple[str, str]] = field(default_factory=Counter)
    initials: Counter[tuple[str, str]] = field(default_factory=Counter)
    family: Counter[str] = field(default_factory=Counter)
    given: Counter[str] = field(default_factory=Counter)

    def add(self, names: Iterable[PersonName]) -> None:
        """Count one person's names (each key once per person)."""
        full = [n for n in names if n.first and n.family_key]
        self.names.update({(canonical_given(n.first), n.family_key) for n in full})
        self.initials.update({(n.first[0], n.family_key) for n in full})
        self.family.update({n.family_key for n in full})
        self.given.update({n.first for n in full})


def _employers(profile: Profile) -> dict[str, str]:
    """Employer keys ('acmenetworks') from organisations and email domains -> label."""
    out = {key.replace(" ", ""): label for key, label in profile.organisations.items()}
    for domain in sorted(profile.domains):
        labels = domain.split(".")[:-1]
        if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
            labels.pop()
        if labels:
            out.setdefault(labels[-1], domain)
    return out


def facts_of(profile: Profile) -> Facts:
    """What scoring needs of a person's profile."""
    raw_locals, personal = [], []
    for ident in profile.identities:
        if ident.kind == "email":
            local, domain = email_parts(ident.value)
            if is_free_mail(domain):
                personal.append(ident.value)
            if not is_role_address(local):
                raw_locals.append(_LOCAL_JUNK.sub("", local).strip("._-"))
    guessed = []
    for local in raw_locals if not profile.names else ():
        parts = [p for p in LOCAL_SPLIT.split(local) if p.isalpha()]
        if len(parts) == 2 and min(len(p) for p in parts) >= 2:
            name = make_name(given=parts[0], family=parts[1])
            if name is not None:
                guessed.append(name)
    flat = {LOCAL_SPLIT.sub("", loc) for loc in raw_locals}
    return Facts(
        tuple(profile.names),
        tuple(guessed),
        tuple(i.key for i in profile.identities),
        tuple(i.value for i in profile.identities if i.kind == "phone"),
        tuple(personal),
        tuple(sorted(_employers(profile).items())),
        tuple(sorted(f for f in flat if len(f) >= 2)),
        tuple((i.service, i.value) for i in profile.identities if i.service in _ONE_PROFILE),
        tuple(profile.sources),
        profile.is_organisation,
        tuple(profile.birthdays),
        tuple(profile.places),
    )
