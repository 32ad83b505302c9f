"""Reading an interaction log into each participant's mailbox, and the backtest's candidates.

The log holds ``sender recipient unix_seconds`` lines; one message to several recipients is
several lines with the same sender and time. Every participant is in turn "me": their
mailbox is every message they sent or received, seen as Rekindle sees mail (direction, the
other people on it, group size), so the ranking runs on the same :class:`Contact` values
that ``rekindle plan`` reads from the store.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rekindle.history.ties import Contact


@dataclass(frozen=True, slots=True)
class Message:
    sender: int
    at: int
    recipients: frozenset[int]


@dataclass
class Log:
    messages: list[Message]
    start: int
    skipped: int

    def at_day(self, days: float) -> datetime:
        return datetime.fromtimestamp(self.start, UTC) + timedelta(days=days)


def read_log(path: Path) -> Log:
    grouped: dict[tuple[int, int], set[int]] = defaultdict(set)
    skipped = 0
    with path.open("r", encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, 1):
            fields = line.split()
            if not fields or line.startswith(("%", "#")):
                continue
            try:
                sender, recipient, when = int(fields[0]), int(fields[1]), int(float(fields[2]))
            except (ValueError, IndexError):
                skipped += 1
                if skipped <= 5:
                    print(f"{path}:{number}: not `sender recipient unix_seconds`", file=sys.stderr)
                continue
            if sender != recipient:
                grouped[(sender, when)].add(recipient)
    messages = sorted(
        (Message(s, t, frozenset(r)) for (s, t), r in grouped.items()), key=lambda m: m.at
    )
    if not messages:
        raise SystemExit(f"{path}: no interactions in it")
    return Log(messages, messages[0].at, skipped)


@dataclass
class Mailbox:
    """One participant's view: contacts per other person, and direct exchanges per person."""

    contacts: dict[str, list[Contact]]
    direct: dict[str, list[tuple[int, str]]]


def mailboxes(log: Log, max_recipients: int | None) -> Iterator[tuple[int, Mailbox]]:
    """Each participant's mailbox. ``direct`` holds the sender->recipient lines between them
    (only messages to at most ``max_recipients`` people count as an exchange)."""
    by_person: dict[int, list[Message]] = defaultdict(list)
    for m in log.messages:
        by_person[m.sender].append(m)
        for r in m.recipients:
            by_person[r].append(m)
    for me in sorted(by_person):
        contacts: dict[str, list[Contact]] = defaultdict(list)
        direct: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for m in by_person[me]:
            when = datetime.fromtimestamp(m.at, UTC)
            small = max_recipients is None or len(m.recipients) <= max_recipients
            if m.sender == me:
                others = m.recipients
                direction = "out"
            else:
                others = (m.recipients - {me}) | {m.sender}
                direction = "in"
            keys = frozenset(str(o) for o in others)
            for o in others:
                key = str(o)
                co = keys - {key} if len(keys) <= 31 else frozenset()
                contacts[key].append(Contact(when, direction, "email", len(others), None, co))
            if small:
                if m.sender == me:
                    for r in m.recipients:
                        direct[str(r)].append((m.at, "out"))
                else:
                    direct[str(m.sender)].append((m.at, "in"))
        yield me, Mailbox(dict(contacts), dict(direct))


@dataclass(frozen=True, slots=True)
class Candidate:
    key: str
    resumed: bool


def candidates(box: Mailbox, cutoff: int, dormant_s: int, horizon_s: int) -> list[Candidate]:
    """Dormant reciprocated ties at ``cutoff``: at least one exchange each way before it, none
    in the ``dormant_s`` before it; labelled by an exchange within ``horizon_s`` after it."""
    out = []
    for key, lines in box.direct.items():
        before = [(t, d) for t, d in lines if t < cutoff]
        if not before or max(t for t, _ in before) >= cutoff - dormant_s:
            continue
        if not {d for _, d in before} >= {"in", "out"}:
            continue
        resumed = any(cutoff <= t < cutoff + horizon_s for t, _ in lines)
        out.append(Candidate(key, resumed))
    out.sort(key=lambda c: int(c.key) if c.key.isdigit() else c.key)
    return out
