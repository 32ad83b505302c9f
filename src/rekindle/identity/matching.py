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

from collections.abc import Iterable
from dataclasses import dataclass

from rekindle.identity.identifiers import Identity, email_parts
from rekindle.identity.names import names_agree
from rekindle.identity.profile import (
    Profile,
    Suggestion,
    best_names,
    is_free_mail,
    is_role_address,
    names_contradict,
    org_key,
    pair_text,
    profile_from_record,
)
from rekindle.identity.suggest import find_suggestions

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
            return rule, f"same {what} {ident.display} and names match ({pair_text(x, y)})"
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
        return find_suggestions(
            self._profiles,
            self._index,
            person_ids,
            min_score=min_score,
            block_cap=block_cap,
            window=window,
            max_shared=self.max_shared,
        )
