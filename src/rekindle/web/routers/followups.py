"""Follow-ups: what is due (one per message, then stop), each draft editable with its checks
live; mark it sent, skip it, or record what came of the message; and thank-yous to write."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from rekindle.compose.drafting import FOLLOW_UP, split_subject
from rekindle.engine.value_ledger import OUTCOMES
from rekindle.services import followups, outcomes
from rekindle.services import outreach as outreach_svc
from rekindle.services.drafting import check_text, facts_for
from rekindle.services.followups import DueFollowUp
from rekindle.store import Store
from rekindle.web.deps import NowDep, StoreDep, done, is_htmx, render
from rekindle.web.routers.compose import open_link

router = APIRouter(tags=["followups"])

BACK = "/followups"


def text_of(d: DueFollowUp) -> str:
    return f"Subject: {d.subject}\n\n{d.body}" if d.subject else d.body


def _item(store: Store, d: DueFollowUp, now: datetime) -> dict[str, Any]:
    text = text_of(d)
    _, findings = check_text(store, text, d.medium, FOLLOW_UP, str(d.person_id), now=now)
    _, facts = facts_for(store, str(d.person_id), now=now)
    return {"d": d, "text": text, "findings": findings, "link": open_link(d.medium, text, facts)}


def page_context(
    request: Request, store: Store, now: datetime, message: str = ""
) -> dict[str, Any]:
    due, closed = followups.due_follow_ups(store, now)
    return {
        "items": [_item(store, d, now) for d in due],
        "closed": closed,
        "thanks": followups.thanks_due(store, now),
        "upcoming": None if due else followups.next_due(store, now),
        "outcomes": OUTCOMES,
        "feed": f"{request.base_url}calendar.ics",
        "message": message,
    }


def _after(request: Request, store: Store, now: datetime, message: str) -> Response:
    """htmx gets the list again (with what happened); without JS, back to the page."""
    if is_htmx(request):
        return render(request, "_followups.html", page_context(request, store, now, message))
    return done(request, BACK)


@router.get("/followups")
def list_followups(request: Request, store: StoreDep, now: NowDep) -> Response:
    return render(request, "followups.html", page_context(request, store, now))


@router.post("/followups/{draft_id}/check")
def check(
    request: Request,
    draft_id: int,
    store: StoreDep,
    now: NowDep,
    person_id: Annotated[int, Form()],
    text: Annotated[str, Form()] = "",
    medium: Annotated[str, Form()] = "email",
) -> Response:
    """The checks on the follow-up as it stands (the fragment htmx swaps in as you type)."""
    _, findings = check_text(store, text, medium, FOLLOW_UP, str(person_id), now=now)
    _, facts = facts_for(store, str(person_id), now=now)
    context = {
        "findings": findings,
        "link": open_link(medium, text, facts),
        "oob": True,
        "checks_id": f"checks-{draft_id}",
        "link_id": f"open-link-{draft_id}",
    }
    return render(request, "_findings.html", context)


@router.post("/followups/{draft_id}/save")
def save(
    request: Request,
    draft_id: int,
    store: StoreDep,
    now: NowDep,
    text: Annotated[str, Form()],
    action: Annotated[str, Form()] = "save",
) -> Response:
    """Keep the edited follow-up; with "sent", also mark it sent (you sent it yourself)."""
    subject, body = split_subject(text)
    followups.revise(store, draft_id, subject, body)
    if action != "sent":
        return _after(request, store, now, f"Follow-up #{draft_id} saved.")
    sent = outreach_svc.mark_sent(store, draft_id, now=now)
    return _after(
        request, store, now, f"Follow-up to {sent.person} marked sent on {sent.at:%d %b %Y}."
    )


@router.post("/followups/{outreach_id}/skip")
def skip(request: Request, outreach_id: int, store: StoreDep, now: NowDep) -> Response:
    """No follow-up for this message: it closes as no-reply now."""
    followups.skip(store, outreach_id, now=now)
    return _after(request, store, now, f"#{outreach_id} closed as no reply; no follow-up.")


@router.post("/followups/{outreach_id}/outcome")
def outcome(
    request: Request,
    outreach_id: int,
    store: StoreDep,
    now: NowDep,
    outcome: Annotated[str, Form()],
) -> Response:
    """They answered after all: record what came of it (a thank-you is then proposed)."""
    recorded = outcomes.record_outcome(store, outreach_id, outcome, now=now)
    words = f"{recorded.person}: {recorded.outcome} recorded"
    if recorded.thanks is not None:
        words += "; a thank-you is in the list below"
    return _after(request, store, now, words + ".")
