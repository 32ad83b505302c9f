"""People: search, filter by tag, sort by name or dormancy, pages, and tag many at once."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from rekindle.errors import UserError
from rekindle.services import people as people_svc
from rekindle.services.timeline import dormant_people
from rekindle.web.deps import NowDep, StoreDep, done, render

router = APIRouter(tags=["people"])

PAGE_SIZE = 50
SORTS = {"name": "name", "dormant": "formerly strong, now quiet"}


@router.get("/people")
def list_people(
    request: Request,
    store: StoreDep,
    now: NowDep,
    q: str = "",
    tag: str = "",
    sort: str = "name",
    page: int = 1,
) -> Response:
    page = max(page, 1)
    sort = sort if sort in SORTS else "name"
    offset = (page - 1) * PAGE_SIZE
    rows: list[dict[str, Any]]
    if sort == "dormant":
        found = dormant_people(store, now, limit=None)
        needle = q.strip().lower()
        if needle:
            found = [r for r in found if needle in r["name"].lower()]
        rows = found[offset : offset + PAGE_SIZE + 1]
    else:
        rows = people_svc.list_people(
            store, q.strip() or None, tag.strip() or None, PAGE_SIZE + 1, offset
        )
    more = len(rows) > PAGE_SIZE
    query = {"q": q, "tag": tag, "sort": sort}
    return render(
        request,
        "people.html",
        {
            "rows": rows[:PAGE_SIZE],
            "q": q,
            "tag": tag,
            "sort": sort,
            "sorts": SORTS,
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
