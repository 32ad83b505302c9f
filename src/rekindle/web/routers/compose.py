"""Compose: the draft for an intent and medium, its checks live as you edit, then save or send."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from rekindle.compose.draft_templates import INTENTS
from rekindle.compose.drafting import Draft, split_subject
from rekindle.errors import UserError
from rekindle.services import outreach as outreach_svc
from rekindle.services.drafting import (
    TOPIC_INTENTS,
    DraftRequest,
    check_text,
    draft_for,
    facts_for,
)
from rekindle.services.people import MEDIA
from rekindle.store import Store
from rekindle.web.deps import NowDep, StoreDep, done, render, shared_server
from rekindle.web.mail_status import mail_status

router = APIRouter(tags=["compose"])


def open_link(medium: str, text: str, facts: Any) -> str | None:
    """Where the message can be sent from: a mailto: or sms: link, or their LinkedIn page."""
    subject, body = split_subject(text)
    if medium == "email" and facts.email:
        query = f"subject={quote(subject or '')}&body={quote(body)}"
        return f"mailto:{quote(facts.email, safe='@.+')}?{query}"
    if medium == "sms" and facts.phone:
        return f"sms:{quote(facts.phone, safe='+')}?body={quote(body)}"
    if medium == "linkedin" and facts.linkedin:
        url = str(facts.linkedin)
        return url if url.startswith("https://") else None
    return None


def web_tips(intent: str, facts: Any) -> list[tuple[str, str]]:
    """What would make the draft better, in the page's words: (what, where to do it)."""
    tips = []
    if intent in TOPIC_INTENTS and not facts.topic:
        tips.append(
            (f"Say {TOPIC_INTENTS[intent]} in “About” above: the draft is vaguer without it.", "")
        )
    if not facts.my_name:
        tips.append(
            ("Add your name in Settings and your drafts are signed with it.", "/settings#h-me")
        )
    return tips


def _check_choice(intent: str, medium: str) -> None:
    if intent not in INTENTS:
        raise UserError(f"unknown intent {intent!r}", hint="intents: " + ", ".join(INTENTS))
    if medium not in MEDIA:
        raise UserError(f"unknown medium {medium!r}", hint="media: " + ", ".join(MEDIA))


@router.get("/compose/{person_id}")
def compose(
    request: Request,
    person_id: int,
    store: StoreDep,
    now: NowDep,
    intent: str = "catch-up",
    medium: str = "email",
    variant: int | None = None,
    about: str = "",
) -> Response:
    _check_choice(intent, medium)
    result = draft_for(
        store,
        str(person_id),
        DraftRequest(intent=intent, medium=medium, variant=variant, topic=about or None),
        now=now,
    )
    text = result.draft.text()
    return render(
        request,
        "compose.html",
        {
            "r": result,
            "text": text,
            "intents": INTENTS,
            "media": MEDIA,
            "about": about,
            "findings": result.findings,
            "link": open_link(medium, text, result.facts),
            "tips": web_tips(intent, result.facts),
            "mail": mail_status(store, shared_server(request)),
        },
    )


@router.post("/compose/{person_id}/check")
def check(
    request: Request,
    person_id: int,
    store: StoreDep,
    now: NowDep,
    text: Annotated[str, Form()] = "",
    intent: Annotated[str, Form()] = "catch-up",
    medium: Annotated[str, Form()] = "email",
) -> Response:
    """The findings for the text as it stands (the fragment htmx swaps in as you type)."""
    _check_choice(intent, medium)
    _, findings = check_text(store, text, medium, intent, str(person_id), now=now)
    _, facts = facts_for(store, str(person_id), now=now)
    return render(
        request,
        "_findings.html",
        {"findings": findings, "link": open_link(medium, text, facts), "oob": True},
    )


def save_text(
    store: Store, person_id: int, text: str, intent: str, medium: str, now: datetime
) -> tuple[int, int]:
    """Keep the text as a draft in the log: (person id, outreach id)."""
    _check_choice(intent, medium)
    subject, body = split_subject(text)
    if not body.strip():
        raise UserError("the message is empty")
    pid, _ = facts_for(store, str(person_id), now=now)
    draft = Draft(intent=intent, medium=medium, variant=0, body=body, subject=subject)
    return pid, outreach_svc.save_draft(store, pid, draft, now=now)


@router.post("/compose/{person_id}/save")
def save(
    request: Request,
    person_id: int,
    store: StoreDep,
    now: NowDep,
    text: Annotated[str, Form()],
    intent: Annotated[str, Form()] = "catch-up",
    medium: Annotated[str, Form()] = "email",
    action: Annotated[str, Form()] = "save",
    force: Annotated[bool, Form()] = False,
) -> Response:
    """Save the draft, or save and mark sent (you sent it from your own mail or phone)."""
    pid, outreach_id = save_text(store, person_id, text, intent, medium, now)
    sent = None
    if action == "sent":
        try:
            sent = outreach_svc.mark_sent(store, outreach_id, force=force, now=now)
        except UserError as exc:
            exc.message += f" (it is kept in your drafts as #{outreach_id})"
            raise
    context = {"outreach_id": outreach_id, "sent": sent, "person_id": pid}
    return done(request, f"/people/{pid}", "_saved.html", context)


@router.post("/outreach/{outreach_id}/sent")
def mark_sent(
    request: Request,
    outreach_id: int,
    store: StoreDep,
    now: NowDep,
    force: Annotated[bool, Form()] = False,
) -> Response:
    sent = outreach_svc.mark_sent(store, outreach_id, force=force, now=now)
    return done(request, f"/people/{sent.person_id}")


@router.post("/outreach/{outreach_id}/mark")
def mark(
    request: Request,
    outreach_id: int,
    store: StoreDep,
    now: NowDep,
    status: Annotated[str, Form()],
    outcome: Annotated[str, Form()] = "",
) -> Response:
    outreach_svc.mark(store, outreach_id, status, outcome.strip() or None, now=now)
    row = outreach_svc.show(store, outreach_id)
    return done(request, f"/people/{row['person_id']}")
