"""Merge suggestions: fuzzy candidate pairs of persons, found by blocking and scored.

Every person gets a handful of *blocking keys*: folded family name + first initial and the
family name's one-letter deletions (a typo still lands in a shared block); formal given
name + family name (Bob and Robert meet); the name written family first; local parts of
addresses and the local parts a name would make (jdoe, janedoe); employer + name. Only
persons sharing a key are compared. A block larger than ``block_cap`` (a common surname)
is not compared all against all: its members are sorted by name and each is compared with
its ``window`` neighbours on either side (sorted neighbourhood), keeping the work linear.

A score has named parts: the names' similarity (or how well one's address spells the
other's name), discounted when several persons carry the name and when both spellings are
established names of their own (Dalton / Walton); plus a shared phone or address, a shared
employer, the same unusual address local part; times penalties for different employers,
phones, personal addresses, profiles on one network, or both coming from one address book.
Each part that counts becomes a reason.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from hashlib import blake2b

from rekindle.identity import linkage
from rekindle.identity.evidence import Comparison, compare
from rekindle.identity.facts import Facts, Frequencies, facts_of
from rekindle.identity.identifiers import format_phone
from rekindle.identity.names import PersonName, canonical_given, formal_names
from rekindle.identity.profile import (
    Profile,
    Suggestion,
    best_names,
    names_contradict,
)

__all__ = ["Facts", "Frequencies", "block_keys", "facts_of", "find_suggestions", "score_pair"]

BONUS_SHARED = 0.35  # a phone, a role address or a home page in common
BONUS_EMPLOYER = 0.15
BONUS_LOCAL = 0.15  # jane.doe@gmail.com and jane.doe@acme.com
PENALTY_SPELLINGS = 0.55  # two established names one letter apart (Dalton / Walton)
PENALTY_PROFILES = 0.5  # two LinkedIn profiles
PENALTY_EMPLOYERS = 0.85
PENALTY_PHONES = 0.85
PENALTY_ADDRESSES = 0.9
PENALTY_SAME_SOURCE = 0.8
PENALTY_FIRST_NAME_ONLY = 0.8
#: how well an address's local part spells a name: janedoe, doejane, jdoe, doej, janed, jane
_LOCAL_FITS = (("gf", 0.9), ("fg", 0.9), ("if", 0.8), ("fi", 0.7), ("gi", 0.7), ("g", 0.45))
_HASH_BITS, _RANK_BITS, _PARTS = 39, 25, 8
#: blocking keys use at most this many characters of a name part: a name of any length is
#: kept and compared whole, but the work of building its keys stays bounded
KEY_CHARS = 40
_DOMAIN = re.compile(r"^[a-z0-9.-]+\.[a-z]{2,}$")


def _deletions(word: str) -> list[str]:
    """The word and its one-letter deletions ('smith' -> smith, mith, sith, smth, …)."""
    if len(word) < 4:
        return [word]
    return [word] + [word[:k] + word[k + 1 :] for k in range(len(word))]


def block_keys(facts: Facts) -> set[str]:
    """The blocking keys of a person; persons sharing one are compared."""
    keys: set[str] = set()
    employers = [key for key, _ in facts.employers[:4]]
    for name in (facts.names or facts.guessed)[:4]:
        g, f = name.first[:KEY_CHARS], name.family_key[:KEY_CHARS]
        formals = formal_names(g) if len(g) > 1 else frozenset()
        if g and f:
            keys.update(f"n:{variant}|{g[0]}" for variant in _deletions(f))
            keys.add(f"n:{g}|{f[0]}")  # the same name written family first
            if len(g) > 1:
                keys.add(f"n:{f}|{g[1]}")  # a typo in the first letter: ojyce, oyce
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
            if g and f:  # the addresses this name would have there: jdoe@, janed@, …
                keys.update(f"o:{employer}|{form}" for form in _forms(g, f).values())
    keys.update(_place_keys(facts))
    for local in (loc[:KEY_CHARS] for loc in facts.locals):
        if len(local) >= 5:
            keys.add("e:" + local)
            if not facts.names and local.isalpha():
                keys.add(f"n:{local[1:]}|{local[0]}")  # jdoe may be J. Doe
        if not facts.names and len(local) >= 3:
            keys.update(f"o:{employer}|{local}" for employer in employers)
    return keys


def _place_keys(facts: Facts) -> set[str]:
    """Keys from birthdays and postal addresses, so a pair whose names both carry typos
    still meets: the same birthday, postcode + an initial, street, town + first name."""
    keys = {f"b:{day}" for day in facts.birthdays if not day.startswith("--")}
    initials = {c[:1] for n in facts.names[:2] for c in (n.first, n.family_key) if c}
    firsts = {n.first[:KEY_CHARS] for n in facts.names[:2] if len(n.first) > 1}
    for street, town, postcode in facts.places:
        if postcode:
            keys.update(f"p:{postcode}|{i}" for i in initials)
        if street:
            keys.add("s:" + street[:KEY_CHARS])
        if town:
            keys.update(f"t:{town[:KEY_CHARS]}|{g}" for g in firsts)
    return keys


def _forms(given: str, family: str) -> dict[str, str]:
    """The local parts a name makes: janedoe, doejane, jdoe, doej, janed, jane."""
    g, f = given, family.replace(" ", "")
    return {"gf": g + f, "fg": f + g, "if": g[0] + f, "fi": f + g[0], "gi": g + f[0], "g": g}


def _local_fit(
    locals_: Iterable[str], names: Iterable[PersonName]
) -> tuple[float, str, str, PersonName | None]:
    """How well one person's address spells another's name: (score, local, form, name)."""
    best: tuple[float, str, str, PersonName | None] = (0.0, "", "", None)
    for name in names:
        g, f = name.first, name.family_key
        if g and f:
            forms = _forms(g, f)
            for form, score in _LOCAL_FITS:
                if forms[form] in locals_ and score > best[0]:
                    best = (score, forms[form], form, name)
    return best


def _rarity(count: int) -> float:
    """How much a name match is worth when ``count`` persons carry the name."""
    return 1.0 if count <= 2 else max(0.3, 1.0 / (1.0 + 0.3 * (count - 2)))


def _count(name: PersonName, initial: bool, freq: Frequencies) -> int:
    if initial:
        return freq.initials[(name.first[:1], name.family_key)]
    return freq.names[(canonical_given(name.first), name.family_key)]


def _distinct_spellings(x: PersonName, y: PersonName, freq: Frequencies) -> bool:
    """True when two similar names are both established spellings (Dalton / Walton)."""
    pairs = ((x.family_key, y.family_key, freq.family), (x.first, y.first, freq.given))
    for p, q, counter in pairs:
        if p == q or len(p) < 2 or len(q) < 2 or p in (y.given_key, y.family_key):
            continue  # the same, an initial, or written family first
        if counter is freq.given and formal_names(p) & formal_names(q):
            continue  # Bob and Robert
        tp, tq = set(p.split()), set(q.split())
        if counter is freq.family and (tp <= tq or tq <= tp):
            continue  # Garcia and Garcia Lopez
        if counter[p] >= 3 and counter[q] >= 3:
            return True
    return False


def _name_part(
    a: Facts, b: Facts, freq: Frequencies, at_one_employer: bool
) -> tuple[float, list[str]]:
    """The names' part of a score and its reasons; from addresses when one has no name.

    A name many persons carry counts for less, unless both are at one employer.
    """
    reasons: list[str] = []
    if a.names and b.names:
        score, x, y = best_names(list(a.names), list(b.names))
        if x is None or y is None or score < 0.5:
            return score, reasons
        same = x.full == y.full
        reasons.append(f"same name ({x.full})" if same else f"names match ({x.full} ~ {y.full})")
        initial = len(x.first) == 1 or len(y.first) == 1
        count = max(_count(x, initial, freq), _count(y, initial, freq))
        if not x.family_key or not y.family_key:
            score *= PENALTY_FIRST_NAME_ONLY
            reasons.append("only a first name to go by")
        if _distinct_spellings(x, y, freq):
            score *= PENALTY_SPELLINGS
            reasons.append(f"against: {x.full} and {y.full} are both common names")
    else:
        named, other = (a, b) if a.names else (b, a)
        if not named.names:
            return 0.0, reasons
        score, x, y = best_names(list(other.guessed), list(named.names))
        fit, local, form, name = _local_fit(other.locals, named.names)
        if fit > score and name is not None:
            score, y = fit, name
            reasons.append(f"address fits the name ({local}@… ~ {name.full})")
        elif x is not None and y is not None and score >= 0.5:
            form = "gf"
            reasons.append(f"address fits the name ({x.full} ~ {y.full})")
        else:
            return 0.0, reasons
        count = _count(y, form not in ("gf", "fg"), freq)
    if count > 2 and not at_one_employer:
        score *= _rarity(count)
        reasons.append(f"against: a common name, {count} people are called that")
    return score, reasons


def score_pair(a: Facts, b: Facts, freq: Frequencies) -> tuple[float, str, list[str]]:
    """(score, rule, reasons) for two persons; a score of 0 means "not the same".

    The names' part plus the bonuses (capped at 1), times the penalties.
    """
    if a.is_organisation != b.is_organisation:
        return 0.0, "", []
    ea, eb = dict(a.employers), dict(b.employers)
    employer = min(ea.keys() & eb.keys(), default="")
    score, reasons = _name_part(a, b, freq, bool(employer))
    shared = [k for k in a.keys if k in b.keys]
    if not reasons and not shared:
        return 0.0, "", []  # names that do not match, and nothing else in common
    rule = "name"
    if shared:
        if names_contradict(list(a.names), list(b.names)):
            return 0.0, "", []  # a family's landline, a team's inbox: different people
        score += BONUS_SHARED
        kind, value = shared[0]
        reasons.append(f"same {kind} {format_phone(value) if kind == 'phone' else value}")
        rule = f"shared-{kind}"
    if employer:
        score += BONUS_EMPLOYER
        two_domains = ea[employer] != eb[employer] and all(
            _DOMAIN.match(label) for label in (ea[employer], eb[employer])
        )  # brown.com / brown.org: say both, not one as if they shared it
        reasons.append(f"both at {ea[employer]}" + (f" / {eb[employer]}" if two_domains else ""))
        rule = "name+org" if rule == "name" else rule
    # the same unusual local part (tigerlily@gmail.com, tigerlily@yahoo.com), not jane.doe
    same_local = sorted(x for x in set(a.locals).intersection(b.locals) if len(x) >= 5)
    if same_local:
        spelled = {
            v for n in a.names + b.names if n.first and n.family_key
            for v in _forms(n.first, n.family_key).values()
        }  # fmt: skip
        same_local = [x for x in same_local if x not in spelled]
    if same_local:
        score += BONUS_LOCAL
        reasons.append(f"similar email addresses ({same_local[0]}@…)")
        rule = "name+email" if rule == "name" else rule
    score = min(score, 1.0)
    if ea and eb and not employer:
        score *= PENALTY_EMPLOYERS
        reasons.append(f"against: different employers ({a.employers[0][1]} / {b.employers[0][1]})")
    if a.phones and b.phones and not set(a.phones) & set(b.phones):
        score *= PENALTY_PHONES
        reasons.append("against: different phone numbers")
    if a.personal and b.personal and not set(a.personal) & set(b.personal):
        score *= PENALTY_ADDRESSES
        reasons.append("against: different personal email addresses")
    same_source = sorted(set(a.sources) & set(b.sources))
    if same_source:
        score *= PENALTY_SAME_SOURCE
        reasons.append(f"against: both listed in {same_source[0]} (a list names a person once)")
    pa = dict(a.profiles)
    if any(pa.get(service, url) != url for service, url in b.profiles):
        score *= PENALTY_PROFILES
        reasons.append("against: different profiles on one network")
    return round(score, 4), rule, reasons


def _stable_hash(key: str) -> int:
    digest = blake2b(key.encode("utf-8"), digest_size=5).digest()
    return int.from_bytes(digest, "big") >> (40 - _HASH_BITS)


@dataclass(slots=True)
class _Blocks:
    """Blocks of two or more persons, stored flat: block b holds members[start[b]:start[b+1]]
    (ranks, ascending); ``of[r]`` lists the blocks of the person with rank r."""

    members: array[int] = field(default_factory=lambda: array("i"))
    start: array[int] = field(default_factory=lambda: array("i", [0]))
    of: list[array[int]] = field(default_factory=list)


def _blocks(facts: list[Facts]) -> _Blocks:
    """Group persons by blocking key.

    Keys are hashed and packed with the person's rank into 64-bit integers and sorted a
    partition at a time, so memory stays small even with millions of keys.
    """
    parts = [array("Q") for _ in range(_PARTS)]
    shift = _HASH_BITS - _PARTS.bit_length() + 1
    for r, f in enumerate(facts):
        for key in block_keys(f):
            h = _stable_hash(key)
            parts[h >> shift].append((h << _RANK_BITS) | r)
    out = _Blocks(of=[array("i") for _ in facts])
    mask = (1 << _RANK_BITS) - 1
    for i, part in enumerate(parts):
        entries = sorted(part)
        parts[i] = array("Q")
        lo = 0
        while lo < len(entries):
            head = entries[lo] >> _RANK_BITS
            hi = lo + 1
            while hi < len(entries) and entries[hi] >> _RANK_BITS == head:
                hi += 1
            if hi - lo >= 2:
                block = len(out.start) - 1
                for e in entries[lo:hi]:
                    out.members.append(e & mask)
                    out.of[e & mask].append(block)
                out.start.append(len(out.members))
            lo = hi
    return out


def find_suggestions(
    profiles: Mapping[int, Profile],
    index: Mapping[tuple[str, str], list[int]],
    person_ids: Iterable[int] | None = None,
    *,
    min_score: float = 0.45,
    block_cap: int = 40,
    window: int = 6,
    max_shared: int = 8,
) -> list[Suggestion]:
    """Candidate pairs among ``profiles`` (touching ``person_ids`` if given), best first.

    Pairs where both know a birthday or a postal address are weighed by the Fellegi–Sunter
    model (:mod:`rekindle.identity.linkage`), the others by :func:`score_pair`.
    """
    if len(profiles) >= 1 << _RANK_BITS:
        raise ValueError("too many persons for one suggestion run")

    def sort_key(pid: int) -> tuple[str, str, int]:
        names = profiles[pid].names
        return (names[0].family_key, names[0].given_key, pid) if names else ("", "", pid)

    # persons are numbered by their rank in name order, so a block's members come sorted
    order = sorted(profiles, key=sort_key)
    rank = {pid: r for r, pid in enumerate(order)}
    facts = [facts_of(profiles[pid]) for pid in order]
    freq = Frequencies()
    for f in facts:
        freq.add(f.names)
    blocks = _blocks(facts)
    focus: Iterable[int] = range(len(order))
    focus_set: set[int] | None = None
    if person_ids is not None:
        focus = sorted(rank[p] for p in set(person_ids) if p in rank)
        focus_set = set(focus)
    out: list[Suggestion] = []
    weighed: list[tuple[int, int, Comparison]] = []  # pairs with a birthday or an address
    members, starts = blocks.members, blocks.start
    for r in focus:
        cands: set[int] = set()
        for b in blocks.of[r]:
            lo, hi = starts[b], starts[b + 1]
            if hi - lo > block_cap:  # compare with the neighbours in name order only
                at = bisect_left(members, r, lo, hi)
                lo, hi = max(lo, at - window), min(hi, at + window + 1)
            cands.update(members[lo:hi])
        for key in facts[r].keys:
            holders = index.get(key, ())
            if 1 < len(holders) <= max_shared:
                cands.update(rank[p] for p in holders if p in rank)
        for c in cands:
            if c == r or (c < r and (focus_set is None or c in focus_set)):
                continue  # each pair once
            lo, hi = (r, c) if order[r] < order[c] else (c, r)
            if linkage.has_place(facts[lo], facts[hi]):
                weighed.append((lo, hi, compare(facts[lo], facts[hi])))
                continue
            score, rule, reasons = score_pair(facts[lo], facts[hi], freq)
            if score >= min_score:
                out.append(Suggestion(order[lo], order[hi], score, rule, reasons))
    out.extend(linkage.weigh(order, facts, freq, weighed, min_score))
    out.sort(key=lambda s: (-s.score, s.a, s.b))
    return out
