"""Personal names: parsing, Unicode folding, nicknames and a similarity in [0, 1].

``PersonName`` keeps the name as written and its match keys (folded: accents stripped,
case-folded, ß→ss, ø→o). :func:`names_compatible` knows swapped first/last names,
initials, nicknames (Bob ~ Robert), typos, middle names and double family names.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from rapidfuzz.distance import OSA, JaroWinkler

__all__ = [
    "PersonName",
    "canonical_given",
    "fold",
    "formal_names",
    "given_similarity",
    "make_name",
    "names_agree",
    "names_compatible",
    "names_conflict",
]

_SPECIAL = str.maketrans(
    {"ß": "ss", "ẞ": "ss", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
     "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d",
     "ı": "i", "ħ": "h", "Ħ": "h", "ŀ": "l", "ĸ": "k"}
)  # fmt: skip
_APOSTROPHES = re.compile(r"['’`ʼ]")
_NON_WORD = re.compile(r"[\W_]+")
_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "junior", "senior"})

#: weights of the similarity's parts
SCORE_NICKNAME = 0.9
SCORE_INITIAL = 0.75
SCORE_TYPO = 0.9  # one letter off
SCORE_TYPO2 = 0.8  # two letters off in a long name
SCORE_PART = 0.8  # "chris" / "christoph"
SCORE_SAME_FIRST = 0.95  # "mary ann" vs "mary"
SCORE_BY_MIDDLE = 0.85  # goes by the middle name
SCORE_SWAPPED = 0.95
SCORE_UNKNOWN = 0.6  # one side lacks this part
SCORE_DISTINCT = 0.3
SCORE_OTHER = 0.4  # at most, for names that are neither typos nor nicknames of each other
#: names agreeing at least this much let a shared phone number merge records
AGREE = 0.8  # two different known names ("daniel" vs "daniela")


def fold_case_accents(text: str) -> str:
    """Lower case without accents, punctuation kept: 'Lucía García' -> 'lucia garcia'. How
    names are compared when a person is named (and how ``sort_name`` is stored)."""
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ASCII-ish form for matching: 'José  Müller-Øst' -> 'jose muller ost'."""
    s = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    s = "".join(c for c in s if not unicodedata.combining(c)).translate(_SPECIAL).casefold()
    s = _APOSTROPHES.sub("", s)
    return " ".join(_NON_WORD.sub(" ", s).split())


def _load_nicknames() -> tuple[dict[str, frozenset[str]], dict[str, str], dict[str, set[str]]]:
    """(name -> formal names it may stand for, nickname -> usual formal, formal -> nicks)."""
    groups: dict[str, set[str]] = {}
    primary: dict[str, str] = {}
    nicks: dict[str, set[str]] = {}
    text = resources.files("rekindle").joinpath("data/nicknames.csv").read_text("utf-8")
    for row in csv.DictReader(text.splitlines()):
        formal, nick = fold(row["name"]), fold(row["nickname"])
        nicks.setdefault(formal, set()).add(nick)
        groups.setdefault(formal, {formal})
        groups.setdefault(nick, {nick}).add(formal)
        primary.setdefault(nick, formal)
    return {k: frozenset(v) for k, v in groups.items()}, primary, nicks


_FORMALS, _PRIMARY, _NICKS = _load_nicknames()
#: names listed as a formal name (some are also another name's nickname: stephen/steven)
_FORMAL_SET = frozenset(_NICKS)


def formal_names(given: str) -> frozenset[str]:
    """The formal names a folded first name may stand for, itself included."""
    return _FORMALS.get(given) or frozenset((given,))


def canonical_given(name: str) -> str:
    """The usual formal form of a first name: 'Bobby' -> 'robert', 'Jürgen' -> 'jurgen'."""
    first = fold(name).split(" ", 1)[0] if name else ""
    if first in _FORMAL_SET:
        return first
    return _PRIMARY.get(first, first)


def _load_given_names() -> frozenset[str]:
    text = resources.files("rekindle").joinpath("data/given_names.txt").read_text("utf-8")
    lines = (line for line in text.splitlines() if not line.startswith("#"))
    return frozenset(fold(w) for line in lines for w in line.split())


#: common given names: two different ones are two people, not a typo of one another
_GIVEN_NAMES = _load_given_names()


def _known(name: str) -> bool:
    return name in _FORMALS or name in _GIVEN_NAMES


@dataclass(frozen=True, slots=True)
class PersonName:
    """A name as written plus its folded match keys (filled in by :func:`make_name`)."""

    given: str = ""
    family: str = ""
    middle: str = ""
    suffix: str = ""
    nickname: str = ""
    given_key: str = field(default="", compare=False)
    family_key: str = field(default="", compare=False)
    middle_key: str = field(default="", compare=False)
    nickname_key: str = field(default="", compare=False)
    #: the folded first given name ('mary' for 'Mary Ann')
    first: str = field(default="", compare=False)

    @property
    def full(self) -> str:
        parts = (self.given, self.middle, self.family, self.suffix)
        return " ".join(p for p in parts if p)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.given_key, self.middle_key, self.family_key)

    def __bool__(self) -> bool:
        return bool(self.given_key or self.family_key)


@lru_cache(maxsize=1)
def _special_words() -> frozenset[str]:
    """Words nameparser treats specially (titles, suffixes, particles, conjunctions); read on
    the first name parsed: a command that parses none goes without nameparser (0.03 s)."""
    from nameparser.config import CONSTANTS

    return frozenset(
        w.lower()
        for group in ("titles", "suffix_acronyms", "suffix_not_acronyms", "prefixes", "conjunctions")
        for w in getattr(CONSTANTS, group)
    )


def _is_plain(token: str) -> bool:
    return (
        token.replace("-", "").replace("'", "").isalpha()
        and token.lower() not in _special_words()
    )


@lru_cache(maxsize=65536)
def _parse_full(full: str) -> tuple[str, str, str, str, str]:
    """(given, middle, family, suffix, nickname) of a full name, via nameparser."""
    tokens = full.split()
    if len(tokens) == 2 and all(_is_plain(t) for t in tokens):
        return tokens[0], "", tokens[1], "", ""  # the common case, 100x faster
    from nameparser import HumanName

    hn = HumanName(full)
    given, middle, family = hn.first, hn.middle, hn.last
    if not family and not given and hn.title:  # "Dr. Smith" parses as a bare title
        family = hn.title
    return given, middle, family, hn.suffix, hn.nickname


def make_name(
    full: str | None = None,
    given: str | None = None,
    family: str | None = None,
    middle: str | None = None,
    suffix: str | None = None,
    nickname: str | None = None,
) -> PersonName | None:
    """A :class:`PersonName` from structured parts, or parsed from ``full`` when they lack.

    Returns None when there is no usable name (empty, or an email address as a name).
    """
    g, m, f, s, n = (x.strip() if x else "" for x in (given, middle, family, suffix, nickname))
    if not g and not f:
        text = " ".join((full or "").split())
        if not text or "@" in text:
            return None
        g, pm, f, ps, pn = _parse_full(text)
        m, s, n = m or pm, s or ps, n or pn
    gk, fk = fold(g), fold(f)
    if not gk and not fk:
        return None
    nk = fold(n).split(" ", 1)[0] if n else ""
    return PersonName(g, f, m, s, n, gk, fk, fold(m), nk, gk.split(" ", 1)[0])


def _gender_pair(a: str, b: str) -> bool:
    """'daniel'/'daniela', 'paul'/'paula', 'louis'/'louise': different people's names."""
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return long.startswith(short) and long[len(short) :] in ("a", "e", "ne", "na", "ine", "ette")


def _typo_score(a: str, b: str) -> float:
    """How much two different spellings look like one name mistyped, in [0, 0.9]."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    distance = OSA.distance(a, b)
    if distance == 1 and len(short) >= 3:
        return SCORE_TYPO
    if distance == 2 and len(short) >= 7:
        return SCORE_TYPO2
    if len(short) >= 3 and long.startswith(short) or len(short) >= 4 and short in long:
        return SCORE_PART
    return min(JaroWinkler.similarity(a, b), SCORE_OTHER)


@lru_cache(maxsize=65536)
def given_similarity(a: str, b: str) -> float:
    """Similarity of two folded first names (first tokens).

    Exact 1; nickname 0.9; one typo (or two in a long name) 0.9 / 0.8; one the start or
    a long part of the other ('chris' / 'christoph', 'lexi' / 'alexis') 0.8; an initial
    that fits 0.8; two different known names ('mary' / 'mark', 'daniel' / 'daniela') 0.3;
    anything else at most 0.4, however similar the letters look.
    """
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:
        return SCORE_INITIAL if a[0] == b[0] else 0.0
    if formal_names(a) & formal_names(b):
        return SCORE_NICKNAME
    known_a, known_b = _known(a), _known(b)
    if _gender_pair(a, b) or (known_a and known_b):
        return SCORE_DISTINCT
    score = _typo_score(a, b)
    if known_a or known_b:  # 'rnoald' may be Ron(ald) mistyped, 'ejn' Jen(nifer)
        typo, known = (a, b) if known_b else (b, a)
        formals = formal_names(known)
        variants = formals.union(*(_NICKS.get(f, ()) for f in formals)) - {known}
        for variant in variants:
            score = max(score, _typo_score(typo, variant) * SCORE_NICKNAME)
    return score


def _given_part(a: PersonName, b: PersonName) -> float | None:
    if not a.given_key or not b.given_key:
        return None
    if a.given_key == b.given_key:
        return 1.0
    af, bf = a.first, b.first
    score = given_similarity(af, bf) if af != bf else SCORE_SAME_FIRST
    for x, y in ((a, b), (b, a)):
        if x.nickname_key and x.nickname_key in (y.first, y.nickname_key):
            score = max(score, SCORE_NICKNAME)
        if x.middle_key and x.middle_key.split(" ", 1)[0] == y.first and len(y.first) > 1:
            score = max(score, SCORE_BY_MIDDLE)
    if a.middle_key and b.middle_key and a.middle_key[0] != b.middle_key[0]:
        score *= 0.85
    return score


@lru_cache(maxsize=65536)
def _family_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    ta, tb = set(a.split()), set(b.split())
    if ta <= tb or tb <= ta:
        return 0.9  # "garcia" / "garcia lopez", "berg" / "van der berg"
    distance = OSA.distance(a, b)
    shortest = min(len(a), len(b))
    if distance == 1 and shortest >= 4:
        return SCORE_TYPO
    if distance == 2 and shortest >= 8:
        return SCORE_TYPO2
    return JaroWinkler.similarity(a, b) * 0.5


def _family_part(a: PersonName, b: PersonName) -> float | None:
    if not a.family_key or not b.family_key:
        return None
    return _family_similarity(a.family_key, b.family_key)


def _combine(g: float | None, f: float | None) -> float:
    if g is None and f is None:
        return 0.0
    return (SCORE_UNKNOWN if g is None else g) * (SCORE_UNKNOWN if f is None else f)


@lru_cache(maxsize=65536)
def _loose(x: str, y: str) -> float:
    """Similarity of two name parts when it is unclear which is given and which family."""
    if x == y:
        return 1.0
    return max(given_similarity(x.split(" ", 1)[0], y.split(" ", 1)[0]), _family_similarity(x, y))


def _swapped_parts(a: PersonName, b: PersonName) -> tuple[float | None, float | None]:
    """Similarities of the parts with one name's given and family exchanged ("Smith John")."""
    p = _loose(a.given_key, b.family_key) if a.given_key and b.family_key else None
    q = _loose(a.family_key, b.given_key) if a.family_key and b.given_key else None
    return p, q


def _swapped_score(a: PersonName, b: PersonName) -> float:
    """Score with one name's parts exchanged; 0 as soon as one half does not fit."""
    p = _loose(a.given_key, b.family_key) if a.given_key and b.family_key else None
    if p is not None and p < 0.5:
        return 0.0
    q = _loose(a.family_key, b.given_key) if a.family_key and b.given_key else None
    if q is not None and q < 0.5 or p is None and q is None:
        return 0.0
    return (p if p is not None else SCORE_UNKNOWN) * (q if q is not None else SCORE_UNKNOWN)


def names_compatible(a: PersonName, b: PersonName) -> float:
    """How likely two names denote the same person, in [0, 1]; symmetric."""
    if not (a.given_key or a.family_key) or not (b.given_key or b.family_key):
        return 0.0
    straight = _combine(_given_part(a, b), _family_part(a, b))
    if straight >= SCORE_SWAPPED:
        return straight
    return max(straight, _swapped_score(a, b) * SCORE_SWAPPED)


def names_agree(a: PersonName, b: PersonName) -> bool:
    """True when two names fit well enough for a shared phone number to merge them.

    Either the whole names match (nickname, one typo, swapped order) or one gives only a
    first name and that first name matches.
    """
    if names_compatible(a, b) >= AGREE:
        return True
    if a.family_key and b.family_key:
        return False
    given = _given_part(a, b)
    return given is not None and given >= SCORE_NICKNAME


def names_conflict(a: PersonName, b: PersonName) -> bool:
    """True when two names clearly belong to different people.

    Different first names (in either order) or different generations (Jr./Sr.) conflict;
    a different family name alone does not (people marry), nor does a missing part.
    """
    if not a or not b:
        return False
    sa, sb = fold(a.suffix), fold(b.suffix)
    if sa and sb and sa != sb and (sa in _GENERATIONS or sb in _GENERATIONS):
        return True
    straight = _given_part(a, b)
    if straight is None or straight >= 0.6:
        return False
    af, bf = a.first, b.first
    if not (_known(af) and _known(bf)) and JaroWinkler.similarity(af, bf) >= 0.75:
        return False  # an unknown spelling close to the other: maybe a typo ('ooe', 'joe')
    p, q = _swapped_parts(a, b)
    if p is None and q is None:
        return True
    return (p is not None and p < 0.6) or (q is not None and q < 0.6)
