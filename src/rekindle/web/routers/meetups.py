"""Meetups: groups worth bringing together, a meetup's page with who is coming and who has
not answered, answers marked by hand, the one reminder, and after the event the log and the
thank-you notes. Every meetup is its creator's alone (the store is the signed-in account's)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from rekindle.errors import UserError
from rekindle.services import delivery, mail_accounts
from rekindle.services import meetup_times as times
from rekindle.services import meetups as svc
from rekindle.services.meetup_plan import KINDS, plan_meetups
from rekindle.services.meetup_send import meetup_ics, send_invitations
from rekindle.services.meetup_view import list_meetups, show_meetup
from rekindle.store import Store
from rekindle.transport.smtp import PASSWORD_ENV as SMTP_PASSWORD_ENV
from rekindle.web.deps import NowDep, StoreDep, is_htmx, render, shared_server

router = APIRouter(tags=["meetups"])

ICS_TYPE = "text/calendar; charset=utf-8; method=REQUEST"
ANSWER_CHOICES = (("accepted", "Coming"), ("tentative", "Maybe"), ("declined", "Not coming"),
                  ("needs-action", "No answer yet"))  # fmt: skip


@router.get("/meetups")
def meetups_page(request: Request, store: StoreDep, now: NowDep, kind: str = "") -> Response:
    """Your meetups and the groups worth bringing together."""
    kinds = [kind] if kind in KINDS else None
    plan = plan_meetups(store, kinds=kinds, limit=8, now=now)
    context = {"meetups": list_meetups(store, now=now), "plan": plan, "kinds": KINDS,
               "kind": kind if kinds else ""}  # fmt: skip
    return render(request, "meetups.html", context)


@router.get("/meetups/new")
def new_meetup(request: Request, store: StoreDep, now: NowDep, group: str = "") -> Response:
    """The form to create a meetup, with a proposed group's people ticked."""
    from rekindle.services.meetup_plan import find_group

    chosen = find_group(store, group, now=now) if group else None
    return render(request, "meetup_new.html", {"group": chosen, "error": None, "form": {}})


def _form_error(request: Request, store: Store, now: datetime, message: str, form: dict[str, Any]) -> Response:  # fmt: skip
    from rekindle.services.meetup_plan import find_group

    group = None
    if form.get("group"):
        try:
            group = find_group(store, form["group"], now=now)
        except UserError:
            group = None
    context = {"group": group, "error": message, "form": form}
    return render(request, "meetup_new.html", context, status_code=400)


@router.post("/meetups")
def create(
    request: Request,
    store: StoreDep,
    now: NowDep,
    title: Annotated[str, Form()] = "",
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
    tz: Annotated[str, Form()] = "",
    place: Annotated[str, Form()] = "",
    link: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    group: Annotated[str, Form()] = "",
    guest: Annotated[list[str] | None, Form()] = None,
    others: Annotated[str, Form()] = "",
) -> Response:
    """Create the meetup and its invitation drafts; then its page."""
    form = {"title": title, "start": start, "end": end, "tz": tz, "place": place,
            "link": link, "note": note, "group": group, "others": others}  # fmt: skip
    people = [g for g in (guest or []) if g.strip()]
    people += [p.strip() for p in others.replace(";", "\n").splitlines() if p.strip()]
    try:
        zone = times.zone(tz or None)
        begins = times.parse_start(start, zone)
        created = svc.create_meetup(
            store, title=title, start=begins, end=times.parse_end(end, begins, zone),
            place=place, link=link, note=note, people=people, timezone=tz or None, now=now,
        )  # fmt: skip
    except UserError as exc:
        return _form_error(request, store, now, exc.message, form)
    return RedirectResponse(f"/meetups/{created.meetup_id}", status_code=303)


def _smtp(request: Request, store: Store) -> dict[str, Any]:
    """Whether invitations can go from here: an SMTP account, and a password to ask for."""
    try:
        account = delivery.smtp_account(store)
    except UserError:
        return {"configured": False, "needs_password": False}
    known = mail_accounts.has_secret(SMTP_PASSWORD_ENV, account.label, shared_server(request))
    return {"configured": True, "needs_password": bool(account.username) and not known,
            "where": account.where}  # fmt: skip


def _page(request: Request, store: Store, now: datetime, meetup_id: int, message: str = "", fragment: bool = False) -> Response:  # fmt: skip
    view = show_meetup(store, meetup_id, now=now)
    context = {"m": view, "choices": ANSWER_CHOICES, "message": message,
               "smtp": _smtp(request, store) if view.unsent else None}  # fmt: skip
    return render(request, "_meetup.html" if fragment else "meetup.html", context)


@router.get("/meetups/{meetup_id}")
def meetup_page(request: Request, meetup_id: int, store: StoreDep, now: NowDep) -> Response:
    return _page(request, store, now, meetup_id)


def _after(request: Request, store: Store, now: datetime, meetup_id: int, message: str) -> Response:  # fmt: skip
    """htmx gets the meetup's section again; without JS, back to the page."""
    if is_htmx(request):
        return _page(request, store, now, meetup_id, message, fragment=True)
    return RedirectResponse(f"/meetups/{meetup_id}", status_code=303)


@router.post("/meetups/{meetup_id}/rsvp")
def rsvp(
    request: Request,
    meetup_id: int,
    store: StoreDep,
    now: NowDep,
    person_id: Annotated[int, Form()],
    answer: Annotated[str, Form()],
) -> Response:
    done = svc.set_answer(store, meetup_id, str(person_id), answer, now=now)
    return _after(request, store, now, meetup_id, f"{done['person']}: answer saved.")


@router.post("/meetups/{meetup_id}/send")
def send(
    request: Request,
    meetup_id: int,
    store: StoreDep,
    now: NowDep,
    password: Annotated[str, Form()] = "",
    force: Annotated[bool, Form()] = False,
) -> Response:
    """Send every unsent invitation (and reminder) with its calendar invitation, as
    `rekindle meetup send --yes` does; a password typed here serves this send only."""
    env = mail_accounts.secret_env(SMTP_PASSWORD_ENV, password, shared_server(request))
    results = send_invitations(store, meetup_id, confirm=True, force=force, env=env, now=now)
    sent = [r for r in results if r.status == "sent"]
    words = f"{len(sent)} sent."
    for r in results:
        if r.status != "sent":
            words += f" {r.person}: not sent ({r.problem})."
    return _after(request, store, now, meetup_id, words)


@router.post("/meetups/{meetup_id}/remind")
def remind(request: Request, meetup_id: int, store: StoreDep, now: NowDep) -> Response:
    made = svc.remind(store, meetup_id, now=now)
    words = (f"{len(made)} reminder draft{'s' if len(made) != 1 else ''} made: "
             "`rekindle meetup send` sends them." if made else "No reminder due.")  # fmt: skip
    return _after(request, store, now, meetup_id, words)


@router.post("/meetups/{meetup_id}/done")
def log_done(
    request: Request,
    meetup_id: int,
    store: StoreDep,
    now: NowDep,
    thank: Annotated[str, Form()] = "",
) -> Response:
    done = svc.log_meetup(store, meetup_id, thank=bool(thank), now=now)
    words = f"Logged with {len(done['attendees'])} people"
    if done["thanks"]:
        words += f"; {len(done['thanks'])} thank-you drafts made"
    return _after(request, store, now, meetup_id, words + ".")


@router.post("/meetups/{meetup_id}/thank")
def thank(request: Request, meetup_id: int, store: StoreDep, now: NowDep) -> Response:
    made = svc.thank_guests(store, meetup_id, now=now)
    return _after(request, store, now, meetup_id, f"{len(made)} thank-you drafts made.")


@router.post("/meetups/{meetup_id}/cancel")
def cancel(request: Request, meetup_id: int, store: StoreDep, now: NowDep) -> Response:
    svc.cancel_meetup(store, meetup_id, now=now)
    return _after(request, store, now, meetup_id, "Meetup cancelled.")


@router.get("/meetups/{meetup_id}/invite.ics")
def invitation(meetup_id: int, store: StoreDep, now: NowDep) -> Response:
    """The calendar invitation with every guest, for your own calendar."""
    body = meetup_ics(store, meetup_id, now=now)
    headers = {"Content-Disposition": f'attachment; filename="meetup-{meetup_id}.ics"'}
    return Response(body, media_type=ICS_TYPE, headers=headers)
