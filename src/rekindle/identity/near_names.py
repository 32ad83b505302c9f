"""Names close to a mistyped one: "Jef Smith" finds Jeff Smith, "Smith Jeff" too."""

from __future__ import annotations

from collections.abc import Sequence

from rekindle.identity.names import fold_case_accents

#: similarity (0-100) a name needs to be offered; 80 takes one or two wrong letters in a
#: short name and leaves "Jeff Smith" out of "Jane Smith"'s suggestions
CUTOFF = 80.0
#: at most this many suggestions
LIMIT = 3
#: and only those this close to the best one: "Jef Smith" gets Jeff, not also Jane Smith
MARGIN = 8.0


def near_names(
    typed: str, names: Sequence[tuple[int, str]], limit: int = LIMIT
) -> list[tuple[int, str]]:
    """The (id, name) pairs whose name is closest to ``typed``, best first, ties by name.

    Compared with case and accents folded ("Lucia" is Lucía) and with the words in any order; ``names`` is bounded by the caller
    (one person's contacts), each comparison is linear in the two names' lengths.
    """
    from rapidfuzz import fuzz, process, utils

    key = typed.strip()[:200]
    if not key:
        return []
    found = process.extract(
        key,
        {pid: name[:200] for pid, name in names},
        scorer=fuzz.token_sort_ratio,
        processor=lambda text: utils.default_process(fold_case_accents(text)),
        score_cutoff=CUTOFF,
        limit=limit * 4,
    )
    best = sorted(found, key=lambda hit: (-hit[1], hit[0].casefold(), hit[2]))
    close = [hit for hit in best if hit[1] >= best[0][1] - MARGIN] if best else []
    return [(int(pid), name) for name, _score, pid in close[:limit]]
