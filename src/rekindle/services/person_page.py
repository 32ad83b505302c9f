"""Everything the Person page shows, read in one go on one connection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rekindle.services.outcome_learning import learnt_hold
from rekindle.services.outcomes import ledger_for
from rekindle.services.outreach import as_dict
from rekindle.services.people import PersonView, person_view, resolve_person
from rekindle.services.person_history import MonthlyHistory, monthly_history
from rekindle.services.suggestion_parts import hold_words
from rekindle.services.timeline import Timeline, timeline_page
from rekindle.services.why import learnt_cadence
from rekindle.store import Store
from rekindle.store import engine as eq
from rekindle.store import outreach as oq

#: interactions on one page of the timeline; outreach entries shown
PAGE_SIZE = 50
LOG_LIMIT = 100


@dataclass
class PersonPage:
    """``person_id`` is where the asked-for id leads (someone else once it was merged away);
    the rest is only filled in for the person asked for. ``older`` says whether the timeline
    goes on past this page."""

    person_id: int
    view: PersonView | None = None
    history: Timeline | None = None
    log: list[dict[str, Any]] | None = None
    page: int = 1
    older: bool = False
    ledger: list[str] | None = None
    #: what keeps them out of the plan now, in words ("snoozed until 04 Jan 2027"), or None
    hold: str | None = None
    #: the whole history by month (the chart; how many days in touch, who wrote last)
    monthly: MonthlyHistory | None = None
    #: what their answers did to the check-in cadence ("no reply to …: checking in every 135
    #: days instead of 90"), or ''
    learnt_cadence: str = ""


def person_page(store: Store, person_id: int, now: datetime, page: int = 1) -> PersonPage:
    """The person, one page of their timeline (the latest first), their outreach and what
    holds them out of the plan at ``now``; just the id they were merged into if they were."""
    page = max(page, 1)
    with store.read() as conn:
        pid = resolve_person(conn, store.owner_id, str(person_id))
        if pid != person_id:
            return PersonPage(pid)
        history, span = timeline_page(
            conn, store.owner_id, pid, PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE
        )
        older = len(history.events) > PAGE_SIZE
        del history.events[PAGE_SIZE:]
        return PersonPage(
            pid,
            person_view(conn, store.owner_id, pid, span),
            history,
            [as_dict(r) for r in oq.list_outreach(conn, store.owner_id, pid, None, LOG_LIMIT)],
            page,
            older,
            ledger_for(conn, store.owner_id, pid).lines(),
            hold_words(eq.hold_of(conn, store.owner_id, pid, now))
            or learnt_hold(conn, store.owner_id, pid, now),
            monthly_history(conn, pid, now),
            learnt_cadence(conn, store.owner_id, pid, now),
        )
