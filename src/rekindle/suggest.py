"""Merge suggestions: fuzzy candidate pairs of persons, found by blocking and scored.

Every person gets a handful of *blocking keys* (folded family name + first initial and its
one-letter deletions, so a typo still lands in a shared block; formal given name + family
name, so Bob and Robert meet; the same with first and family exchanged; email local part;
organisation or email domain + given or family name). Only persons sharing a key are
compared. A block larger than ``block_cap`` (a common surname) is not compared all against
all: its members are sorted by name and each is compared with its ``window`` neighbours on
either side (the sorted-neighbourhood method), which keeps the work linear.

Scores are explainable: a name part (discounted when many persons carry the same name), plus
shared identities, a shared employer or email domain and similar email addresses, minus
conflicting profiles on the same network. Each part that counts becomes a reason.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from hashlib import blake2b

from rekindle.identity import email_parts
from rekindle.matching import (
    Profile,
    Suggestion,
    best_names,
    is_role_address,
    name_frequency,
    names_contradict,
)
from rekindle.names import PersonName, canonical_given, formal_names, make_name

__all__ = ["block_keys", "find_suggestions", "score_pair"]

_RANK_BITS = 25
_RANK_MASK = (1 << _RANK_BITS) - 1
_LOCAL_JUNK = re.compile(r"\+.*$|\d+")
_LOCAL_SPLIT = re.compile(r"[._\-]+")
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"})
#: networks where a person has one profile: two different ones speak against a merge
_ONE_PROFILE = frozenset({"linkedin", "github", "twitter", "facebook", "xing"})

BONUS_SHARED = 0.35
BONUS_SHARED_CONFLICT = 0.1
BONUS_EMPLOYER = 0.15
BONUS_LOCAL = 0.15
PENALTY_PROFILES = 0.5
PENALTY_EMPLOYERS = 0.85
#: how well an address local part fits a name: jane.doe 1, janedoe 0.9, jdoe 0.8, …
_LOCAL_FITS = (("gf", 0.9), ("fg", 0.9), ("if", 0.8), ("fi", 0.7), ("gi", 0.7))


def _deletions(word: str) -> list[str]:
    """The word and its one-letter deletions ('smith' -> smith, mith, sith, smth, …)."""
    if len(word) < 4:
        return [word]
    return [word] + [word[:k] + word[k + 1 :] for k in range(len(word))]


def _locals(profile: Profile) -> list[str]:
    """Personal (not role) email local parts without +tags and digits: 'jane.doe'."""
    out = []
    for ident in profile.identities:
        if ident.kind == "email":
            local = email_parts(ident.value)[0]
            if not is_role_address(local):
                out.append(_LOCAL_JUNK.sub("", local).strip("._-"))
    return out


def _employers(profile: Profile) -> dict[str, str]:
    """Employer keys ('acmenetworks') from organisations and email domains -> label."""
    out = {key.replace(" ", ""): label for key, label in profile.organisations.items()}
    for domain in profile.domains:
        labels = domain.split(".")[:-1]
        if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
            labels.pop()
        if labels:
            out.setdefault(labels[-1], domain)
    return out


def _names_from_locals(locals_: list[str]) -> list[PersonName]:
    """Names an address spells out ('jane.doe', 'doe_jane'), for persons without a name."""
    out = []
    for local in locals_:
        parts = [p for p in _LOCAL_SPLIT.split(local) if p.isalpha()]
        if len(parts) == 2 and min(len(p) for p in parts) >= 2:
            name = make_name(given=parts[0], family=parts[1])
            if name is not None:
                out.append(name)
    return out


def _local_fit(locals_: list[str], names: list[PersonName]) -> tuple[float, str, PersonName]:
    """How well one person's address spells another's name: (score, local, name)."""
    best: tuple[float, str, PersonName] = (0.0, "", PersonName())
    for local in locals_:
        flat = local.replace(".", "").replace("_", "").replace("-", "")
        for name in names:
            g, f = name.first, name.family_key.replace(" ", "")
            if not g or not f:
                continue
            forms = {"gf": g + f, "fg": f + g, "if": g[0] + f, "fi": f + g[0], "gi": g + f[0]}
            for form, score in _LOCAL_FITS:
                if forms[form] == flat and score > best[0]:
                    best = (score, local, name)
    return best


def block_keys(profile: Profile) -> set[str]:
    """The blocking keys of a person; persons sharing one are compared."""
    keys: set[str] = set()
    employers = sorted(_employers(profile))[:4]
    locals_ = _locals(profile)
    names = profile.names or _names_from_locals(locals_)
    for name in names[:4]:
        g, f = name.first, name.family_key
        formals = formal_names(g) if len(g) > 1 else frozenset()
        if g and f:
            for variant in _deletions(f):
                keys.add(f"n:{variant}|{g[0]}")
            if len(g) > 1:
                keys.add(f"n:{f}|{g[1]}")  # a typo in the first letter: ojyce, oyce
            keys.add(f"n:{g}|{f[0]}")  # the same name written family first
            last = f.rsplit(" ", 1)[-1]
            if last != f:
                keys.add(f"n:{last}|{g[0]}")
            keys.update(f"c:{formal}|{f}" for formal in formals)
            flat = f.replace(" ", "")
            keys.update(("e:" + g + flat, "e:" + flat + g, "e:" + g[0] + flat))
        for employer in employers:
            if f:
                keys.add(f"o:{employer}|{f}")
            keys.update(f"o:{employer}|{formal}" for formal in formals)
    for local in locals_:
        flat = local.replace(".", "").replace("_", "").replace("-", "")
        if len(flat) >= 5:
            keys.add("e:" + flat)
            if not profile.names and flat.isalpha():
                keys.add(f"n:{flat[1:]}|{flat[0]}")  # jdoe may be J. Doe
    return keys


def _stable_hash(key: str) -> int:
    return int.from_bytes(blake2b(key.encode("utf-8"), digest_size=6).digest(), "big")


def _sort_key(profile: Profile) -> tuple[str, str]:
    if not profile.names:
        return ("", "")
    return (profile.names[0].family_key, profile.names[0].given_key)


def _name_part(a: Profile, b: Profile) -> tuple[float, PersonName | None, str]:
    """(score, the name that matched, reason) from names, or from addresses when one lacks."""
    if a.names and b.names:
        score, x, y = best_names(a.names, b.names)
        if x is None or y is None:
            return 0.0, None, ""
        if x.full == y.full:
            return score, x, f"same name ({x.full})"
        return score, x, f"names match ({x.full} ~ {y.full})"
    named, other = (a, b) if a.names else (b, a)
    if not named.names:
        return 0.0, None, ""
    locals_ = _locals(other)
    guessed = _names_from_locals(locals_)
    score, x, y = best_names(guessed, named.names) if guessed else (0.0, None, None)
    fit, local, name = _local_fit(locals_, named.names)
    if fit > score:
        return fit, name, f"address fits the name ({local}@… ~ {name.full})"
    if y is None or score <= 0:
        return 0.0, None, ""
    return score, y, f"address fits the name ({x.full if x else ''} ~ {y.full})"


def score_pair(
    a: Profile, b: Profile, frequency: Mapping[tuple[str, str], int]
) -> tuple[float, str, list[str]]:
    """(score, rule, reasons) for two persons; a score of 0 means "not the same"."""
    if a.is_organisation != b.is_organisation:
        return 0.0, "", []
    name, matched, why = _name_part(a, b)
    b_keys = {i.key for i in b.identities}
    shared = [i for i in a.identities if i.key in b_keys]
    if name < 0.5 and not shared:
        return 0.0, "", []
    reasons: list[str] = []
    score = name
    if matched is not None and name >= 0.5:
        reasons.append(why)
        common = frequency.get((canonical_given(matched.first), matched.family_key), 0)
        if common > 2:
            score *= max(0.35, 1.0 - 0.1 * (common - 2))
            reasons.append(f"common name: {common} people are called {matched.full}")
    rule = "name"
    if shared:
        conflict = names_contradict(a.names, b.names)
        score += BONUS_SHARED_CONFLICT if conflict else BONUS_SHARED
        what = shared[0].kind if shared[0].kind != "url" else f"{shared[0].service} profile"
        reasons.append(f"same {what} {shared[0].display}")
        rule = f"shared-{shared[0].kind}"
    ea, eb = _employers(a), _employers(b)
    both = sorted(ea.keys() & eb.keys())
    if both:
        score += BONUS_EMPLOYER
        reasons.append(f"both at {ea[both[0]]}")
        rule = "name+org" if rule == "name" else rule
    elif ea and eb:
        score *= PENALTY_EMPLOYERS
        reasons.append(f"different employers ({min(ea.values())} / {min(eb.values())})")
    flat_a = {loc.replace(".", "") for loc in _locals(a) if len(loc) >= 5}
    same_local = sorted(flat_a & {loc.replace(".", "") for loc in _locals(b)})
    if same_local:
        score += BONUS_LOCAL
        reasons.append(f"similar email addresses ({same_local[0]}@…)")
        rule = "name+email" if rule == "name" else rule
    a_profiles = {i.service: i.value for i in a.identities if i.service in _ONE_PROFILE}
    for ident in b.identities:
        if (
            ident.service in _ONE_PROFILE
            and a_profiles.get(ident.service, ident.value) != ident.value
        ):
            score *= PENALTY_PROFILES
            reasons.append(f"different {ident.service} profiles")
            break
    return round(min(score, 1.0), 4), rule, reasons


def find_suggestions(
    profiles: Mapping[int, Profile],
    index: Mapping[tuple[str, str], list[int]],
    person_ids: Iterable[int] | None = None,
    *,
    min_score: float = 0.6,
    block_cap: int = 40,
    window: int = 6,
    max_shared: int = 8,
) -> list[Suggestion]:
    """Candidate pairs among ``profiles`` (touching ``person_ids`` if given), best first."""
    # persons are numbered by their rank in name order, so a block's members come sorted
    order = sorted(profiles, key=lambda pid: (_sort_key(profiles[pid]), pid))
    rank = {pid: r for r, pid in enumerate(order)}
    entries: list[int] = []
    for r, pid in enumerate(order):
        entries.extend((_stable_hash(k) << _RANK_BITS) | r for k in block_keys(profiles[pid]))
    entries.sort()
    blocks: list[list[int]] = []
    member_of: list[list[int]] = [[] for _ in order]
    start = 0
    while start < len(entries):
        key = entries[start] >> _RANK_BITS
        end = start + 1
        while end < len(entries) and entries[end] >> _RANK_BITS == key:
            end += 1
        if end - start >= 2:
            members = [e & _RANK_MASK for e in entries[start:end]]
            for r in members:
                member_of[r].append(len(blocks))
            blocks.append(members)
        start = end
    del entries

    frequency = name_frequency(profiles.values())
    if person_ids is None:
        focus = list(range(len(order)))
        focus_set: set[int] | None = None
    else:
        focus = sorted(rank[p] for p in set(person_ids) if p in rank)
        focus_set = set(focus)
    out: list[Suggestion] = []
    for r in focus:
        cands: set[int] = set()
        for bid in member_of[r]:
            members = blocks[bid]
            if len(members) <= block_cap:
                cands.update(members)
            else:
                at = bisect_left(members, r)
                cands.update(members[max(0, at - window) : at + window + 1])
        for ident in profiles[order[r]].identities:
            holders = index.get(ident.key, ())
            if 1 < len(holders) <= max_shared:
                cands.update(rank[p] for p in holders if p in rank)
        for c in cands:
            if c == r or (c < r and (focus_set is None or c in focus_set)):
                continue  # each pair once
            a, b = sorted((order[r], order[c]))
            score, rule, reasons = score_pair(profiles[a], profiles[b], frequency)
            if score >= min_score:
                out.append(Suggestion(a, b, score, rule, reasons))
    out.sort(key=lambda s: (-s.score, s.a, s.b))
    return out
