"""The calls of the JSON API: each one parses its input, calls one service, returns its JSON.

They answer what the CLI's ``--json`` and the MCP tools answer, from the same services.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from rekindle.services import drafting, outcomes, plan_actions, settings, timeline
from rekindle.services import intro as intro_svc
from rekindle.services import people_filters as filters_svc
from rekindle.services import plan as plan_svc
from rekindle.services.why import why as why_of
from rekindle.web.api_auth import CallerDep, Now, ReadStore, WriteStore

router = APIRouter()

Json = dict[str, Any]
#: a person, as the CLI takes one: an id, an email address or a name
PersonRef = Annotated[
    str,
    Path(min_length=1, max_length=300, description="a person's id, email address or name"),
]
Text = Annotated[str, Query(max_length=300)]
Intent = Literal["catch-up", "congratulate", "offer-help", "share", "invite", "thank", "ask"]
Outcome = Literal[
    "replied", "call", "meeting", "collaboration", "introduction", "referral", "declined"
]
Tier = Literal["", "close", "regular", "occasional", "dormant"]


class DraftIn(BaseModel):
    person: str = Field(min_length=1, max_length=300, description="id, email address or name")
    intent: Intent = "catch-up"
    medium: str = Field("email", max_length=20, description="email, linkedin, sms or call")
    about: str | None = Field(None, max_length=500, description="what to write about")
    allow_ask: bool = Field(False, description="allow an ask in the first exchanges")


class DoneIn(BaseModel):
    medium: str = Field("other", max_length=20, description="how you reached out")
    note: str | None = Field(None, max_length=2000)


class OutcomeIn(BaseModel):
    outcome: Outcome
    note: str | None = Field(None, max_length=2000)


@router.get("/me", summary="Who this token speaks for")
async def me(holder: CallerDep) -> Json:
    return {"token": holder.token_name, "write": holder.can_write}


@router.get("/plan", summary="This week's plan: whom to reconnect with, why and how")
async def plan(
    store: ReadStore,
    now: Now,
    count: Annotated[int | None, Query(ge=1, le=50, description="how many people")] = None,
    goal: Annotated[str | None, Query(max_length=300, description="plan for this goal")] = None,
) -> Json:
    def run() -> Json:
        return plan_svc.weekly_plan(store, now, quota=count, goal=goal or None).as_json()

    return await run_in_threadpool(run)


@router.get("/people", summary="Find people by name, address, organisation, title or tag")
async def people(
    store: ReadStore,
    now: Now,
    query: Text = "",
    tag: Text = "",
    tier: Annotated[Tier, Query()] = "",
    organisation: Text = "",
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[Json]:
    filters = filters_svc.PeopleFilters(query, tag, tier, organisation, "", "name")
    return await run_in_threadpool(
        filters_svc.find_people, store, filters, now, limit=limit, offset=offset
    )


@router.get("/people/{person}/why", summary="Why a person ranks where they do")
async def why(store: ReadStore, now: Now, person: PersonRef) -> Json:
    def run() -> Json:
        return why_of(store, person, now, region=settings.region(store)).as_json()

    return await run_in_threadpool(run)


@router.get("/people/{person}/history", summary="A person's timeline, newest first")
async def history(
    store: ReadStore, person: PersonRef, limit: Annotated[int, Query(ge=1, le=500)] = 30
) -> Json:
    def run() -> Json:
        found = timeline.timeline(store, person, limit, settings.region(store))
        return timeline.as_json(found)

    return await run_in_threadpool(run)


@router.get("/intro", summary="Warm introductions: paths to a person or into an organisation")
async def intro(
    store: ReadStore,
    query: Annotated[str, Query(min_length=1, max_length=300)],
    organisation: bool = False,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> Json:
    def run() -> Json:
        region = settings.region(store)
        found = intro_svc.find_paths(store, query, org=organisation, limit=limit, region=region)
        return found.as_json()

    return await run_in_threadpool(run)


@router.post("/drafts", summary="Draft a message and run every check on it (never sent)")
async def draft(store: ReadStore, now: Now, body: DraftIn) -> Json:
    def run() -> Json:
        request = drafting.DraftRequest(
            body.intent, body.medium, topic=body.about, allow_ask=body.allow_ask
        )
        region = settings.region(store)
        return drafting.draft_for(store, body.person, request, region=region, now=now).as_json()

    return await run_in_threadpool(run)


@router.post("/people/{person}/done", summary="Record that you reached out (outside Rekindle)")
async def done(
    store: WriteStore, now: Now, person: PersonRef, body: Annotated[DoneIn, Body()]
) -> Json:
    def run() -> Json:
        return plan_actions.mark_done(store, person, body.medium, body.note, now=now)

    return await run_in_threadpool(run)


@router.post("/outreach/{outreach_id}/outcome", summary="Record what came of an outreach")
async def outcome(
    store: WriteStore,
    now: Now,
    outreach_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    body: OutcomeIn,
) -> Json:
    def run() -> Json:
        found = outcomes.record_outcome(store, outreach_id, body.outcome, body.note, now=now)
        return found.as_json()

    return await run_in_threadpool(run)
