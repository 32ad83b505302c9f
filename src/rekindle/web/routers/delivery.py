"""Sending a draft by SMTP after a confirm step, and saving it into your mail Drafts folder.

The same service as `rekindle send` (:mod:`rekindle.services.delivery`): the outreach is marked
``sending`` before the first byte goes out, so a dropped connection is never sent twice
unless you say it did not go out. A password typed here serves that one action only.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from rekindle.errors import UserError
from rekindle.services import delivery
from rekindle.services import mail_accounts as accounts
from rekindle.services import outreach as outreach_svc
from rekindle.sources.imap_account import PASSWORD_ENV as IMAP_PASSWORD_ENV
from rekindle.transport.smtp import PASSWORD_ENV as SMTP_PASSWORD_ENV
from rekindle.web.deps import NowDep, StoreDep, done, is_htmx, render, shared_server
from rekindle.web.routers.compose import save_text

router = APIRouter(tags=["delivery"])


@router.post("/compose/{person_id}/send")
def save_then_confirm(
    request: Request,
    person_id: int,
    store: StoreDep,
    now: NowDep,
    text: Annotated[str, Form()],
    intent: Annotated[str, Form()] = "catch-up",
    medium: Annotated[str, Form()] = "email",
) -> Response:
    """Keep the text as a draft, then ask: send it now?"""
    if medium != "email":
        raise UserError(f"Rekindle sends email only, not {medium}", hint="Copy it, or open it")
    _, outreach_id = save_text(store, person_id, text, intent, medium, now)
    if not is_htmx(request):
        return RedirectResponse(f"/outreach/{outreach_id}/send", status_code=303)
    return confirm(request, outreach_id, store, now, fragment=True)


@router.get("/outreach/{outreach_id}/send")
def confirm(
    request: Request, outreach_id: int, store: StoreDep, now: NowDep, fragment: bool = False
) -> Response:
    """The confirm step: who, from which address, through which server (a dry run)."""
    maybe_sent = outreach_svc.show(store, outreach_id)["status"] == "sending"
    # a message that may have gone already is shown with the choice to send it again
    out = delivery.send(store, outreach_id, confirm=False, force=maybe_sent, now=now)
    account = delivery.smtp_account(store)
    assert out.message is not None
    context = {
        "out": out,
        "sender": out.message["From"],
        "to": out.message["To"],
        "server": account.where,
        "needs_password": bool(account.username)
        and not accounts.has_secret(SMTP_PASSWORD_ENV, account.label, shared_server(request)),
        "maybe_sent": maybe_sent,
    }
    return render(request, "_send_confirm.html" if fragment else "send.html", context)


@router.post("/outreach/{outreach_id}/send")
def send(
    request: Request,
    outreach_id: int,
    store: StoreDep,
    now: NowDep,
    password: Annotated[str, Form()] = "",
    force: Annotated[bool, Form()] = False,
) -> Response:
    out = delivery.send(
        store,
        outreach_id,
        confirm=True,
        force=force,
        env=accounts.secret_env(SMTP_PASSWORD_ENV, password, shared_server(request)),
        now=now,
    )
    row = outreach_svc.show(store, outreach_id)
    context = {"outreach_id": outreach_id, "mailed": out, "person_id": out.person_id, "row": row}
    return done(request, f"/people/{out.person_id}", "_saved.html", context)


@router.post("/compose/{person_id}/imap-draft")
def save_to_mail_drafts(
    request: Request,
    person_id: int,
    store: StoreDep,
    now: NowDep,
    text: Annotated[str, Form()],
    intent: Annotated[str, Form()] = "catch-up",
    medium: Annotated[str, Form()] = "email",
    password: Annotated[str, Form()] = "",
) -> Response:
    """Keep the draft, and APPEND it to the Drafts folder of your IMAP account."""
    if medium != "email":
        raise UserError("the Drafts folder holds email", hint="choose the email medium first")
    pid, outreach_id = save_text(store, person_id, text, intent, medium, now)
    try:
        _, folder = delivery.save_to_drafts(
            store,
            outreach_id,
            env=accounts.secret_env(IMAP_PASSWORD_ENV, password, shared_server(request)),
            now=now,
        )
    except UserError as exc:
        exc.message += f" (it is kept in Rekindle's drafts as #{outreach_id})"
        if "no IMAP account" in exc.message:
            exc.hint = "add your mail account in Settings → Mail accounts"
        raise
    context = {"outreach_id": outreach_id, "folder": folder, "person_id": pid}
    return done(request, f"/people/{pid}", "_saved.html", context)
