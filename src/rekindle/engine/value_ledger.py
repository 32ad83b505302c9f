"""The value ledger of one tie, pure: what you gave, what you asked, what came back.

It is derived from the outreach log: the intent of everything that reached the person
(``share`` a resource, ``introduce`` them to someone, ``offer-help``, ``thank``, ``ask``) and
the outcomes recorded (an introduction or a referral they made for you, a collaboration, a
call or a meeting). "Give before you ask": the ask guard reads ``gives`` and ``asks``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

#: what an intent of yours counts as in the ledger
GIVING_INTENTS = {
    "share": "resources shared",
    "introduce": "introductions made",
    "offer-help": "help offered",
    "thank": "thanks given",
}
#: outcomes that are help received from them
HELP_OUTCOMES = {
    "introduction": "introductions received",
    "referral": "referrals received",
    "collaboration": "collaborations",
}
#: outcomes that are a conversation
TALK_OUTCOMES = {"call": "calls", "meeting": "meetings"}
#: every outcome `rekindle outreach outcome` accepts
OUTCOMES = ("replied", "call", "meeting", "collaboration", "introduction", "referral", "declined")


@dataclass(frozen=True)
class LedgerEntry:
    """One outreach as the ledger sees it."""

    intent: str
    status: str
    outcome: str | None = None


@dataclass
class Ledger:
    given: dict[str, int] = field(default_factory=dict)
    asks: int = 0
    received: dict[str, int] = field(default_factory=dict)
    replies: int = 0

    @property
    def gives(self) -> int:
        return sum(self.given.values())

    def lines(self) -> list[str]:
        """The ledger in words, one part per line; nothing when the log is empty."""
        order = [*GIVING_INTENTS.values(), *HELP_OUTCOMES.values(), *TALK_OUTCOMES.values()]
        parts = [f"{what} ({self.given[what]})" for what in order if self.given.get(what)]
        gave = ", ".join(parts) if parts else "nothing yet"
        out = [f"gave: {gave}", f"asked: {self.asks}"]
        got = [f"{what} ({self.received[what]})" for what in order if self.received.get(what)]
        if got or self.replies:
            out.append("received: " + ", ".join([*got, f"replies ({self.replies})"]))
        return out if self.gives or self.asks or got or self.replies else []

    def as_json(self) -> dict[str, object]:
        return {
            "given": dict(self.given),
            "gives": self.gives,
            "asks": self.asks,
            "received": dict(self.received),
            "replies": self.replies,
        }


def ledger_of(entries: Iterable[LedgerEntry], delivered: Iterable[str]) -> Ledger:
    """The ledger of the entries whose status is in ``delivered`` (drafts reached nobody)."""
    reached = set(delivered)
    ledger = Ledger()
    for e in entries:
        if e.status not in reached:
            continue
        if e.intent in GIVING_INTENTS:
            what = GIVING_INTENTS[e.intent]
            ledger.given[what] = ledger.given.get(what, 0) + 1
        elif e.intent == "ask":
            ledger.asks += 1
        outcome = (e.outcome or "").strip().lower()
        received = HELP_OUTCOMES.get(outcome) or TALK_OUTCOMES.get(outcome)
        if received:
            ledger.received[received] = ledger.received.get(received, 0) + 1
        if e.status == "replied" or outcome in HELP_OUTCOMES or outcome in TALK_OUTCOMES:
            ledger.replies += 1
    return ledger
