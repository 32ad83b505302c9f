"""One person: who they are, the history and its statistics, outreach, tags, notes, merges."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from rekindle.services import merging, plan_actions, team
from rekindle.services import people as people_svc
from rekindle.services.people import MEDIA, TIERS
from rekindle.services.person_page import person_page
from rekindle.services.why import why
from rekindle.web.deps import NowDep, StoreDep, done, is_htmx, render
from rekindle.web.history_chart import history_chart
from rekindle.web.settings_form import PART_WORDS
from rekindle.web.words import tie_facts

router = APIRouter(tags=["person"])

#: the edits offered on the page (the CLI's `rekindle edit` has them all)
PAGE_EDITS = ("name", "organisation", "title", "birthday", "tier", "cadence", "medium")


@router.get("/people/{person_id}")
def show(request: Request, person_id: int, store: StoreDep, now: NowDep, page: int = 1) -> Response:
    found = person_page(store, person_id, now, page)
    if found.view is None:  # merged into someone else: their page
        return RedirectResponse(f"/people/{found.person_id}", status_code=307)
    here = f"/people/{person_id}"
    monthly = found.monthly
    stats = dict(found.history.stats or {}) if found.history else {}
    if stats and monthly is not None:
        stats.update(active_days=monthly.active_days, last_direction=monthly.last_direction)
    return render(
        request,
        "person.html",
        {
            "p": found.view,
            "history": found.history,
            "facts": tie_facts(stats, now),
            "history_chart": history_chart(monthly) if monthly is not None else None,
            "log": found.log,
            "page": found.page,
            "newer_url": f"{here}?page={found.page - 1}#h-timeline" if found.page > 1 else None,
            "older_url": f"{here}?page={found.page + 1}#h-timeline" if found.older else None,
            "edit_fields": PAGE_EDITS,
            "tiers": TIERS,
            "media": MEDIA,
            "team_signals": team.signals_for(store, found.person_id, now),
            "ledger": found.ledger,
            "hold": found.hold,
            "learnt_cadence": found.learnt_cadence,
        },
    )


@router.get("/people/{person_id}/why")
def why_page(request: Request, person_id: int, store: StoreDep, now: NowDep) -> Response:
    """How the plan reads this tie (loaded when "Why" is opened; a page of its own without JS)."""
    explained = why(store, str(person_id), now)
    context = {"w": explained, "part_words": PART_WORDS}
    if is_htmx(request):
        return render(request, "_why.html", context)
    return render(request, "why.html", context)


def _back(person_id: int) -> str:
    return f"/people/{person_id}"


@router.post("/people/{person_id}/note")
def add_note(
    request: Request,
    person_id: int,
    store: StoreDep,
    now: NowDep,
    body: Annotated[str, Form()],
) -> Response:
    people_svc.add_note(store, str(person_id), body, now=now)
    return done(request, _back(person_id))


@router.post("/people/{person_id}/tags")
def change_tags(
    request: Request,
    person_id: int,
    store: StoreDep,
    name: Annotated[str, Form()],
    action: Annotated[str, Form()] = "add",
) -> Response:
    add, remove = ([name], []) if action == "add" else ([], [name])
    people_svc.tag(store, [str(person_id)], add, remove)
    return done(request, _back(person_id))


@router.post("/people/{person_id}/edit")
async def edit(request: Request, person_id: int, store: StoreDep, now: NowDep) -> Response:
    """The page's edit form (every field at once: those that differ from your edits change;
    an empty one forgets your edit), or one ``field`` and its ``value``."""
    form = await request.form(max_files=0, max_fields=50)
    if "field" in form:
        changes = {str(form["field"]): str(form.get("value", "")).strip() or None}
    else:
        before = (await run_in_threadpool(people_svc.show, store, str(person_id))).edits
        changes = {}
        for key in PAGE_EDITS:
            if key not in form:
                continue
            value = str(form[key]).strip() or None
            if value != (before.get(key) or None):
                changes[key] = value
    if changes:
        await run_in_threadpool(people_svc.edit, store, str(person_id), changes, [], [], now=now)
    return done(request, _back(person_id))


@router.post("/people/{person_id}/resume")
def resume(request: Request, person_id: int, store: StoreDep, now: NowDep) -> Response:
    plan_actions.resume(store, str(person_id), now=now)
    return done(request, _back(person_id))


@router.post("/people/{person_id}/never")
def never(request: Request, person_id: int, store: StoreDep, now: NowDep) -> Response:
    plan_actions.never(store, str(person_id), now=now)
    return done(request, _back(person_id))


@router.post("/people/{person_id}/unmerge")
def unmerge(
    request: Request,
    person_id: int,
    store: StoreDep,
    now: NowDep,
    event: Annotated[int | None, Form()] = None,
    record: Annotated[int | None, Form()] = None,
) -> Response:
    merging.unmerge(store, str(person_id), event_id=event, record_id=record, now=now)
    return done(request, _back(person_id))
