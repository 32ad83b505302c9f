"""What came of an outreach, and the value ledger of a tie.

An outcome is one of :data:`rekindle.engine.value_ledger.OUTCOMES`. A reply, a call, a meeting, a
collaboration, an introduction or a referral marks the outreach replied and proposes a
thank-you draft; "declined" closes it and keeps the door open (the plan's declined hold, for
months; nothing is deleted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rekindle.engine.value_ledger import OUTCOMES, Ledger, LedgerEntry, ledger_of
from rekindle.errors import NotFoundError, UserError
from rekindle.services import outreach as log
from rekindle.services.people import resolve_person
from rekindle.store import Store
from rekindle.store import outreach as oq
from rekindle.store import people as pq
from rekindle.store.database import utcnow

if TYPE_CHECKING:
    from rekindle.services.drafting import DraftResult

#: media a thank-you draft may take (a call's thanks go by email)
MEDIA = ("email", "linkedin", "sms")
#: what a thank-you is for, after each outcome
THANKS_FOR = {
    "replied": "getting back to me",
    "call": "making time for the call",
    "meeting": "making time to meet",
    "collaboration": "working on this together",
    "introduction": "the introduction",
    "referral": "the referral",
}


@dataclass
class Outcome:
    outreach_id: int
    person_id: int
    person: str
    outcome: str
    status: str
    thanks: DraftResult | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "outreach_id": self.outreach_id,
            "person_id": self.person_id,
            "person": self.person,
            "outcome": self.outcome,
            "status": self.status,
            "thank_you": self.thanks.as_json() if self.thanks is not None else None,
            "topic": THANKS_FOR.get(self.outcome),
        }


def record_outcome(
    store: Store,
    outreach_id: int,
    outcome: str,
    note: str | None = None,
    at: datetime | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Record what came of an outreach; proposes a thank-you unless it was declined."""
    if outcome not in OUTCOMES:
        raise UserError(f"unknown outcome {outcome!r}", hint="outcomes: " + ", ".join(OUTCOMES))
    now = now or utcnow()
    at = at or now
    with store.begin() as conn:
        row = oq.get_outreach(conn, store.owner_id, outreach_id)
        if row is None:
            raise NotFoundError(
                f"no outreach #{outreach_id}", hint="`rekindle outreach` lists them"
            )
        if row.status in ("draft", "sending"):
            raise UserError(
                f"outreach #{outreach_id} has not gone out yet ({row.status})",
                hint=f"`rekindle outreach sent {outreach_id}` once it has",
            )
        if note:
            stamp = f"{at:%Y-%m-%d} {outcome}: {note.strip()}"
            oq.update_outreach(
                conn, store.owner_id, outreach_id, note="\n".join(filter(None, [row.note, stamp]))
            )
        if outcome == "declined":
            log.close(conn, store.owner_id, row, "declined", "declined", at)
            status = "declined"
        else:
            status = "logged" if row.status == "logged" else "replied"
            oq.update_outreach(
                conn,
                store.owner_id,
                outreach_id,
                status=status,
                outcome=outcome,
                replied_at=row.replied_at or at,
            )
        person = pq.get_person(conn, store.owner_id, row.person_id)
        name = person.display_name if person is not None else f"#{row.person_id}"
    result = Outcome(outreach_id, row.person_id, name, outcome, status)
    if outcome != "declined":
        # the drafting service (templates, Jinja, the checks) only for a thank-you: reading the
        # ledger on `show` goes without it
        from rekindle.services import drafting

        result.thanks = drafting.draft_for(
            store,
            str(row.person_id),
            drafting.DraftRequest("thank", row.medium if row.medium in MEDIA else "email",
                                  topic=THANKS_FOR[outcome]),
            now=now,
        )  # fmt: skip
    return result


def ledger(store: Store, ref: str, region: str | None = None) -> Ledger:
    """What you gave, asked and received with one person, from the outreach log."""
    with store.read() as conn:
        pid = resolve_person(conn, store.owner_id, ref, region)
        return ledger_for(conn, store.owner_id, pid)


def ledger_for(conn: Any, owner_id: int, person_id: int) -> Ledger:
    rows = oq.outreach_of(conn, owner_id, person_id)
    return ledger_of((LedgerEntry(r.intent, r.status, r.outcome) for r in rows), oq.DELIVERED)
