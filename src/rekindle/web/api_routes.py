"""The calls of the JSON API: each one parses its input, calls one service, returns its JSON.

They answer what the CLI's ``--json`` and the MCP tools answer, from the same services.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Path, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from rekindle.compose.vocabulary import INTENTS, LOG_MEDIA, MEDIA
from rekindle.engine.value_ledger import OUTCOMES
from rekindle.errors import NotFoundError
from rekindle.services import drafting, outcomes, plan_actions, settings, timeline
from rekindle.services import intro as intro_svc
from rekindle.services import people_filters as filters_svc
from rekindle.services import plan as plan_svc
from rekindle.services.why import why as why_of
from rekindle.web.api_auth import ApiError, CallerDep, Now, ReadStore, WriteStore


class ErrorOut(BaseModel):
    """What every refused call answers: one line, and what to do about it when there is a hint."""

    error: str
    hint: str | None = None


def _refusals(*codes: int) -> dict[int | str, dict[str, Any]]:
    words = {
        400: "the request cannot be done (e.g. an unknown medium)",
        401: "no token, or an unknown or revoked one",
        403: "the token is read-only",
        404: "no such person or outreach (for this token's owner)",
        409: "the name matches several people: the hint lists them; ask by id",
        422: "a parameter or the body does not fit the schema",
        503: "the database is busy with another writer; try again",
    }
    return {code: {"model": ErrorOut, "description": words[code]} for code in codes}


def _query_names(dependant: Any, depth: int = 0) -> set[str]:
    """The query parameters a route and its dependencies declare."""
    names = {p.alias for p in dependant.query_params}
    if depth < 8:
        for sub in dependant.dependencies:
            names |= _query_names(sub, depth + 1)
    return names


async def _known_parameters(request: Request) -> None:
    """A misspelt parameter (``?limt=5``) is refused, not silently ignored."""
    route = request.scope.get("route")
    if route is None or not request.query_params:
        return
    known = _query_names(route.dependant)
    unknown = sorted(k for k in request.query_params if k not in known)
    if unknown:
        allowed = ", ".join(sorted(known)) or "none"
        raise ApiError(422, f"unknown parameter {unknown[0]!r}", f"this call takes: {allowed}")


router = APIRouter(
    responses=_refusals(400, 401, 404, 409, 422, 503), dependencies=[Depends(_known_parameters)]
)

Json = dict[str, Any]


def _person(
    person: Annotated[
        str, Path(min_length=1, max_length=300, description="a person's id, email address or name")
    ],
) -> str:
    """A person, as the CLI takes one: an id, an email address or a name (blank: nobody)."""
    if not person.strip():
        raise NotFoundError("nobody has a blank name", hint="ask by id, email address or name")
    return person


PersonRef = Annotated[str, Depends(_person)]
Text = Annotated[str, Query(max_length=300)]
# the choices, from the vocabulary the services check against (so the schema lists them)
Intent = Literal[INTENTS]  # type: ignore[valid-type]
DraftMedium = Literal[MEDIA]  # type: ignore[valid-type]
LogMedium = Literal[LOG_MEDIA]  # type: ignore[valid-type]
Outcome = Literal[OUTCOMES]  # type: ignore[valid-type]
Tier = Literal["", "close", "regular", "occasional", "dormant"]


class DraftIn(BaseModel):
    person: str = Field(min_length=1, max_length=300, description="id, email address or name")
    intent: Intent = "catch-up"
    medium: DraftMedium = "email"
    about: str | None = Field(None, max_length=500, description="what to write about")
    allow_ask: bool = Field(False, description="allow an ask in the first exchanges")


class DoneIn(BaseModel):
    medium: LogMedium = Field("other", description="how you reached out")
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


@router.post(
    "/people/{person}/done",
    responses=_refusals(403),
    summary="Record that you reached out (outside Rekindle)",
)
async def done(
    store: WriteStore, now: Now, person: PersonRef, body: Annotated[DoneIn, Body()]
) -> Json:
    def run() -> Json:
        return plan_actions.mark_done(store, person, body.medium, body.note, now=now)

    return await run_in_threadpool(run)


@router.post(
    "/outreach/{outreach_id}/outcome",
    responses=_refusals(403),
    summary="Record what came of an outreach",
)
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
