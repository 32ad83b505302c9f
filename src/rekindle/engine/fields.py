"""A person's field (industry or function), inferred from organisation, title and mail domain,
so a plan can spread across fields and a goal can reach people by what they do (pure).

The inference is a word list per field, matched on whole words of the organisation, the title
and the mail domain's name ("stanford.edu" gives "stanford" and the ".edu" suffix). The first
field with the most matching words wins; ties break in the table's order. A person with no
matching word has no field (and is diversified by organisation and circles alone).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

#: field -> words that point to it (lower case, whole words; a trailing * matches any ending)
FIELDS: dict[str, tuple[str, ...]] = {
    "robotics": ("robot*", "autonomous", "automation", "drone*", "mechatronic*"),
    "finance & banking": (
        "bank*", "fintech", "payment*", "pay", "capital", "invest*", "trading", "trader",
        "fund*", "finance*", "financial", "credit", "insurance", "asset*", "wealth", "cfp",
        "treasury", "accountant", "accounting", "audit*", "lending", "equity", "brokerage",
    ),
    "energy & climate": (
        "energy", "power", "gas", "oil", "solar", "wind", "carbon", "climate", "utility",
        "utilities", "grid", "electric*", "petroleum", "renewable*",
    ),
    "software & data": (
        "software", "engineer*", "developer", "data", "analytics", "cloud", "ai", "machine",
        "platform", "devops", "cto", "labs", "tech", "digital", "app*", "saas",
    ),
    "design & creative": (
        "design*", "creative", "studio*", "art*", "ux", "brand*", "illustrat*", "photograph*",
    ),
    "education & research": (
        "university", "school", "college", "academy", "learning", "professor", "lecturer",
        "research*", "phd", "institute", "teacher", "edu",
    ),
    "health": (
        "health*", "medical", "clinic*", "hospital", "pharma*", "bio*", "doctor", "nurse",
        "therap*", "care",
    ),
    "law": ("law", "legal", "attorney", "lawyer", "counsel", "solicitor*", "llp"),
    "consulting": ("consult*", "advisory", "advisor*", "accenture", "mckinsey", "partners"),
    "media & publishing": (
        "media", "news", "journal*", "publish*", "press", "editor*", "magazine", "broadcast*",
    ),
    "public sector & nonprofit": (
        "government", "ministry", "council", "agency", "foundation", "nonprofit", "ngo",
        "charity", "gov", "public",
    ),
    "sales & marketing": ("sales", "marketing", "growth", "account", "commercial", "retail"),
    "real estate": ("real", "estate", "property", "properties", "realty", "homes", "housing"),
}  # fmt: skip

#: domains that say nothing about anyone's field
_FREEMAIL = frozenset(
    {"gmail", "googlemail", "hotmail", "outlook", "yahoo", "icloud", "aol", "gmx", "proton"}
)
_WORD = re.compile(r"[a-z0-9]+")
_BOUND = 2000  # characters read of any one text
#: how many words, and (organisation, title, address) triples, keep their fields in memory
WORDS_KEPT = 1 << 16


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    exact: dict[str, list[str]] = {}
    prefix: dict[str, list[str]] = {}
    for name, words in FIELDS.items():
        for w in words:
            if w.endswith("*"):
                prefix.setdefault(w[:-1], []).append(name)
            else:
                exact.setdefault(w, []).append(name)
    return (
        {k: tuple(v) for k, v in exact.items()},
        {k: tuple(v) for k, v in prefix.items()},
    )


def words_of(texts: Iterable[str | None]) -> list[str]:
    out: list[str] = []
    for text in texts:
        if text:
            out.extend(_WORD.findall(text[:_BOUND].casefold()))
    return out


def domain_words(address: str | None) -> list[str]:
    """The words of a mail domain that may name a field: 'mit.edu' -> ['mit', 'edu']."""
    if not address or "@" not in address:
        return []
    parts = address.rpartition("@")[2].casefold().split(".")
    if not parts or parts[0] in _FREEMAIL:
        return []
    return [p for p in parts if p and p not in ("com", "org", "net", "co", "io")]


@lru_cache(maxsize=1)
def _order() -> dict[str, int]:
    return {name: i for i, name in enumerate(FIELDS)}


@lru_cache(maxsize=WORDS_KEPT)
def _fields_of_word(w: str) -> tuple[str, ...]:
    """The fields one word points to (each once), in the table's order."""
    exact, prefix = _tables()
    hits = set(exact.get(w, ()))
    if len(w) >= 3:
        for p, names in prefix.items():
            if w.startswith(p):
                hits.update(names)
    return tuple(sorted(hits, key=_order().__getitem__))


def fields_of_words(words: Iterable[str]) -> dict[str, int]:
    """How many of the words point to each field."""
    counts: dict[str, int] = {}
    for w in words:
        for name in _fields_of_word(w):
            counts[name] = counts.get(name, 0) + 1
    return counts


@lru_cache(maxsize=WORDS_KEPT)
def infer_field(
    organisation: str | None = None, title: str | None = None, address: str | None = None
) -> str | None:
    """The person's field, or None when nothing points to one (kept for the texts seen
    lately: a network repeats its organisations and titles)."""
    counts = fields_of_words([*words_of([organisation, title]), *domain_words(address)])
    if not counts:
        return None
    order = _order()
    return min(counts, key=lambda n: (-counts[n], order[n]))


def goal_fields(goal: str | None) -> set[str]:
    """The fields a goal names ("job hunting in robotics" -> robotics)."""
    return set(fields_of_words(words_of([goal])))
