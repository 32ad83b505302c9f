"""Warm introductions: paths from me to a person, at most two hops, ranked and explained.

The graph is small and shallow, so plain Python serves: the first hop is my own tie to an
introducer; the second is what the data shows between the introducer and the target (small
mail threads and meetings they were both on, years at the same employer, a teammate's tie).
Each hop weighs ``log(1 + how much) × recency`` (a two-year half-life since the last time it
was seen); a path weighs the geometric mean of its hops, so a strong tie cannot hide a weak
one. One path per introducer: the best.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

#: the recency half-life of a hop, in years
HALF_LIFE_YEARS = 2.0
#: my tie to an introducer is dormant after this long without contact: rekindle it first
DORMANT_DAYS = 365
#: a shared employer without known overlapping years weighs this share of one that has them
UNDATED_SHARE = 0.3


@dataclass(frozen=True)
class Tie:
    """My own tie to one person."""

    person_id: int
    name: str
    messages: int
    meetings: int
    first: datetime | None
    last: datetime | None
    #: the share of our contact that was one to one (group mail says less of a tie)
    personal: float = 1.0


@dataclass(frozen=True)
class Link:
    """What ties an introducer to a target. ``kind``: together (mail and meetings), employer,
    team. ``amount``: threads, overlapping years or a tie's peak; ``last``: the newest sign."""

    introducer: int
    target: int
    kind: str
    amount: float
    last: date | None
    words: str
    meetings: int = 0
    #: a teammate's name, for a link of kind ``team`` (they are no person of mine)
    teammate: str | None = None


@dataclass(frozen=True)
class Stint:
    person_id: int
    organisation: str
    start: date | None
    end: date | None


@dataclass
class Path:
    target_id: int
    target: str
    score: float
    #: None for a direct tie; otherwise the introducer's person id (a teammate has none)
    introducer_id: int | None
    introducer: str | None
    dormant: bool
    hops: list[dict[str, Any]] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        words = [h["words"] for h in self.hops]
        head = self.introducer or f"{self.target}, directly"
        return f"{head}: " + "; ".join(words)

    def as_json(self) -> dict[str, Any]:
        return {
            "target_id": self.target_id,
            "target": self.target,
            "introducer_id": self.introducer_id,
            "introducer": self.introducer,
            "direct": self.introducer is None,
            "dormant": self.dormant,
            "score": round(self.score, 3),
            "explanation": self.explanation,
            "hops": self.hops,
        }


def _day(when: date | datetime | None) -> date | None:
    if when is None:
        return None
    return when.date() if isinstance(when, datetime) else when


def recency(last: date | datetime | None, today: date) -> float:
    day = _day(last)
    if day is None:
        return 0.25
    years = max(0, (today - day).days) / 365.25
    return float(0.5 ** (years / HALF_LIFE_YEARS))


def hop_weight(amount: float, last: date | datetime | None, today: date) -> float:
    return math.log1p(max(0.0, amount)) * recency(last, today)


def tie_weight(tie: Tie, today: date) -> float:
    """My tie's weight: messages and (doubled) meetings, group contact counting a quarter."""
    share = 0.25 + 0.75 * min(1.0, max(0.0, tie.personal))
    return hop_weight((tie.messages + 2 * tie.meetings) * share, tie.last, today)


def is_dormant(tie: Tie, today: date) -> bool:
    day = _day(tie.last)
    return day is None or (today - day).days > DORMANT_DAYS


def _span(first: date | datetime | None, last: date | datetime | None) -> str:
    a, b = _day(first), _day(last)
    if a is None or b is None:
        return ""
    return f"in {b.year}" if a.year == b.year else f"from {a.year} to {b.year}"


def _times(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def my_words(tie: Tie) -> str:
    parts = []
    if tie.messages:
        parts.append("you exchanged " + _times(tie.messages, "message", "messages"))
    if tie.meetings:
        parts.append(("and met " if parts else "you met ") + _times(tie.meetings, "time", "times"))
    text = " ".join(parts) or "you were in touch"
    last = _day(tie.last)
    return text + (f" until {last.year}" if last else "")


def together_words(introducer: str, target: str, threads: int, meetings: int,
                   first: datetime, last: datetime) -> str:  # fmt: skip
    seen = []
    if threads:
        seen.append(_times(threads, "thread", "threads"))
    if meetings:
        seen.append(_times(meetings, "meeting", "meetings"))
    return f"{introducer} and {target} were on {' and '.join(seen)} {_span(first, last)}".rstrip()


def shared_employers(
    introducer_stints: Iterable[Stint], target_stints: Sequence[Stint], today: date
) -> dict[tuple[int, int], tuple[str, float, date | None, bool]]:
    """(introducer, target) → (organisation, overlapping years, end of the overlap, dated),
    the best shared employer of each pair. Stints at one employer at different times do not
    count; where either has no dates, the employer counts as undated."""
    by_org: dict[str, list[Stint]] = {}
    for t in target_stints:
        by_org.setdefault(t.organisation.strip().lower(), []).append(t)
    best: dict[tuple[int, int], tuple[str, float, date | None, bool]] = {}
    for s in introducer_stints:
        for t in by_org.get(s.organisation.strip().lower(), ()):
            if s.person_id == t.person_id:
                continue
            dated = None not in (s.start, t.start)
            if dated:
                assert s.start is not None and t.start is not None
                start = max(s.start, t.start)
                end = min(s.end or today, t.end or today)
                if end <= start:
                    continue
                found: tuple[str, float, date | None, bool] = (
                    t.organisation, (end - start).days / 365.25, end, True
                )  # fmt: skip
            else:
                found = (t.organisation, 0.0, _day(s.end or t.end), False)
            key = (s.person_id, t.person_id)
            if key not in best or _employer_amount(found) > _employer_amount(best[key]):
                best[key] = found
    return best


def _employer_amount(found: tuple[str, float, date | None, bool]) -> float:
    _, years, _, dated = found
    return (1.0 + years) if dated else UNDATED_SHARE


def employer_link(
    introducer: int, target: int, found: tuple[str, float, date | None, bool], names: dict[int, str]
) -> Link:
    org, years, end, dated = found
    who = f"{names.get(introducer, '?')} and {names.get(target, '?')}"
    if dated and end is not None:
        span = f"{end.year - max(0, round(years))}–{end.year}" if years >= 1 else f"{end.year}"
        words = f"{who} both worked at {org} ({span})"
    else:
        words = f"{who} both worked at {org}"
    return Link(introducer, target, "employer", _employer_amount(found), end, words)


def rank_paths(
    targets: dict[int, str],
    ties: dict[int, Tie],
    links: Iterable[Link],
    today: date,
    limit: int = 10,
) -> list[Path]:
    """The best path through each introducer (and a direct tie to a target when I have one),
    best first. ``ties`` are mine; a link whose introducer is not among them is no path,
    except a teammate's (kind ``team``), who is reached through the team."""
    paths: dict[tuple[str, int], Path] = {}
    mine: dict[int, float] = {}  # the weight of my tie to each introducer, once

    def offer(key: tuple[str, int], path: Path) -> None:
        if key not in paths or path.score > paths[key].score:
            paths[key] = path

    for tid, name in targets.items():
        tie = ties.get(tid)
        if tie is not None and (tie.messages or tie.meetings):
            hop = {"from": "you", "to": name, "kind": "direct", "words": my_words(tie)}
            offer(("direct", tid), Path(tid, name, tie_weight(tie, today), None, None,
                                        is_dormant(tie, today), [hop]))  # fmt: skip
    for link in links:
        target = targets.get(link.target)
        if target is None or link.introducer in targets:
            continue
        second = {"from": None, "to": target, "kind": link.kind, "words": link.words}
        w2 = hop_weight(link.amount, link.last, today)
        if link.kind == "team":
            teammate = link.teammate or "a teammate"
            second["from"] = teammate
            first = {"from": "you", "to": teammate, "kind": "team", "words": "your teammate"}
            path = Path(link.target, target, math.sqrt(w2), None, teammate, False, [first, second])
            offer(("team:" + teammate, 0), path)
            continue
        tie = ties.get(link.introducer)
        if tie is None or not (tie.messages or tie.meetings):
            continue
        if link.introducer not in mine:
            mine[link.introducer] = max(0.0, tie_weight(tie, today))
        score = math.sqrt(mine[link.introducer] * max(0.0, w2))
        best = paths.get(("via", link.introducer))
        if best is not None and best.score >= score:
            continue  # most links lose: build a path only for a better one
        second["from"] = tie.name
        first = {"from": "you", "to": tie.name, "kind": "tie", "words": my_words(tie)}
        paths[("via", link.introducer)] = Path(link.target, target, score, tie.person_id, tie.name,
                                               is_dormant(tie, today), [first, second])  # fmt: skip
    ranked = sorted(paths.values(), key=lambda p: (-p.score, p.introducer or "", p.target))
    return ranked[:limit]
