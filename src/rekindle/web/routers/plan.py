"""This week: the plan, and what you do with each suggestion (done, snooze, dismiss)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from rekindle.engine.lists import TITLES
from rekindle.services import plan_actions
from rekindle.services.outreach import LOG_MEDIA
from rekindle.services.plan import weekly_plan
from rekindle.store import Store
from rekindle.web.deps import NowDep, StoreDep, done, render

router = APIRouter(tags=["plan"])

SNOOZES = (("2w", "2 weeks"), ("1m", "a month"), ("3m", "3 months"), ("6m", "6 months"))


def _context(
    store: Store, now: datetime, refresh: bool = False, message: str = ""
) -> dict[str, Any]:
    return {
        "plan": weekly_plan(store, now, refresh=refresh),
        "lists": TITLES,
        "media": LOG_MEDIA,
        "snoozes": SNOOZES,
        "message": message,
        "now": now,
    }


@router.get("/")
def this_week(request: Request, store: StoreDep, now: NowDep) -> Response:
    return render(request, "plan.html", _context(store, now))


@router.post("/plan/refresh")
def refresh(request: Request, store: StoreDep, now: NowDep) -> Response:
    return done(request, "/", "_plan.html", _context(store, now, refresh=True))


@router.post("/plan/{person_id}/done")
def mark_done(
    request: Request,
    person_id: int,
    store: StoreDep,
    now: NowDep,
    medium: Annotated[str, Form()] = "other",
) -> Response:
    result = plan_actions.mark_done(store, str(person_id), medium, now=now)
    message = f"Done: {result['name']} ({medium})."
    return done(request, "/", "_plan.html", _context(store, now, message=message))


@router.post("/plan/{person_id}/snooze")
def snooze(
    request: Request,
    person_id: int,
    store: StoreDep,
    now: NowDep,
    span: Annotated[str, Form()] = "1m",
) -> Response:
    result = plan_actions.snooze(store, str(person_id), span, now=now)
    message = f"Snoozed {result['name']} until {result['until'][:10]}."
    return done(request, "/", "_plan.html", _context(store, now, message=message))


@router.post("/plan/{person_id}/dismiss")
def dismiss(
    request: Request,
    person_id: int,
    store: StoreDep,
    now: NowDep,
    declined: Annotated[bool, Form()] = False,
) -> Response:
    result = plan_actions.dismiss(store, str(person_id), declined=declined, now=now)
    message = f"{result['name']} is out of your plans until {result['until'][:10]}."
    return done(request, "/", "_plan.html", _context(store, now, message=message))


@router.post("/plan/{person_id}/undo")
def undo_done(request: Request, person_id: int, store: StoreDep, now: NowDep) -> Response:
    """Take back "Mark done": the logged contact goes, and they are due again."""
    undone = plan_actions.undo_done(store, person_id, now=now)
    message = f"Undone: {undone['name']} is back in the plan."
    return done(request, "/", "_plan.html", _context(store, now, message=message))


@router.post("/plan/{person_id}/resume")
def resume(request: Request, person_id: int, store: StoreDep, now: NowDep) -> Response:
    """Take back a snooze or a dismissal from the plan."""
    result = plan_actions.resume(store, str(person_id), now=now)
    message = f"{result['name']} is back in the plan."
    return done(request, "/", "_plan.html", _context(store, now, message=message))
