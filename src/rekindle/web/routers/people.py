"""People: search; filter by tag, tier, organisation and silence; sort; pages; tag many at once."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from rekindle.engine.tiers import TIERS
from rekindle.errors import UserError
from rekindle.services import people as people_svc
from rekindle.services.people_filters import SILENCES, SORTS, PeopleFilters, find_people
from rekindle.web.deps import NowDep, StoreDep, done, render

router = APIRouter(tags=["people"])

PAGE_SIZE = 50


@router.get("/people")
def list_people(
    request: Request,
    store: StoreDep,
    now: NowDep,
    q: str = "",
    tag: str = "",
    tier: str = "",
    org: str = "",
    silent: str = "",
    sort: str = "name",
    page: int = 1,
) -> Response:
    """Every filter and the sort live in the URL, so paging and sorting keep them."""
    page = max(page, 1)
    sort = sort if sort in SORTS else "name"
    filters = PeopleFilters(q, tag, tier, org, silent, sort)
    rows = find_people(store, filters, now, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)
    more = len(rows) > PAGE_SIZE
    query = {
        k: v
        for k, v in {"q": q, "tag": tag, "tier": tier, "org": org, "silent": silent}.items()
        if v
    }
    query["sort"] = sort
    return render(
        request,
        "people.html",
        {
            "rows": rows[:PAGE_SIZE],
            "f": filters,
            "sorts": SORTS,
            "tiers": TIERS,
            "silences": SILENCES,
            "page": page,
            "prev_url": f"/people?{urlencode({**query, 'page': page - 1})}" if page > 1 else None,
            "next_url": f"/people?{urlencode({**query, 'page': page + 1})}" if more else None,
            "back": f"/people?{urlencode({**query, 'page': page})}",
        },
    )


@router.post("/people/tag")
def bulk_tag(
    request: Request,
    store: StoreDep,
    name: Annotated[str, Form()],
    ids: Annotated[list[int] | None, Form()] = None,
    action: Annotated[str, Form()] = "add",
    back: Annotated[str, Form()] = "/people",
) -> Response:
    if not ids:
        raise UserError("no one is selected", hint="tick the people to tag first")
    if not name.strip():
        raise UserError("the tag is empty")
    refs = [str(i) for i in ids]
    if action == "remove":
        people_svc.tag(store, refs, [], [name])
    else:
        people_svc.tag(store, refs, [name], [])
    return done(request, back if back.startswith("/people") else "/people")
