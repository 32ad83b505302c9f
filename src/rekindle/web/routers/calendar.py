"""The calendar feed: due follow-ups and this period's check-ins, for a calendar app."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from rekindle.services import accounts
from rekindle.services.calendar_export import export_calendar
from rekindle.store import Store
from rekindle.web.deps import NowDep

router = APIRouter(tags=["calendar"])

ICS_TYPE = "text/calendar; charset=utf-8"


def _feed_store(request: Request, token: str) -> Store:
    """Single-user: the store. Team mode: the account whose secret feed token this is."""
    store: Store = request.app.state.store
    if not getattr(request.app.state, "team", False):
        return store
    owner_id = accounts.owner_for_feed(store, token)
    if owner_id is None:  # a calendar app gets no page to sign in on: just "not found"
        raise HTTPException(404, "no such calendar feed: make a new address under Your account")
    return replace(store, owner_id=owner_id)


@router.get("/calendar.ics")
def calendar_feed(request: Request, now: NowDep, token: str = "") -> Response:
    """The same events as `rekindle calendar export`, with stable UIDs.

    In team mode the URL carries the account's secret token (``?token=…``, made on the
    account page); there is no session for a calendar app to hold."""
    body, _ = export_calendar(_feed_store(request, token), now)
    headers = {
        "Content-Disposition": 'inline; filename="rekindle.ics"',
        "Cache-Control": "no-cache",
    }
    return Response(body, media_type=ICS_TYPE, headers=headers)
