"""The web app: an app factory, one router per resource, one error boundary.

``create_app(store)`` serves an open store; ``create_app(db="…")`` opens one when the app
starts and closes it when it stops. ``now_fn`` is the clock every page uses, so tests can pin
the date. Every response carries a strict Content-Security-Policy: the templates have no
inline script or style, and htmx is served from ``/static``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import datetime

from anyio import to_thread
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from rekindle.errors import AmbiguousError, NotFoundError, RekindleError
from rekindle.services.address_repair import repair_pending
from rekindle.store import Store, open_store
from rekindle.store.database import driver_message, utcnow
from rekindle.web import api
from rekindle.web.auth import LoginRequired, gate, login_url, throttles
from rekindle.web.deps import HERE, is_htmx, render
from rekindle.web.guard import SECURITY_HEADERS, Guard
from rekindle.web.routers import (
    account,
    calendar,
    compose,
    delivery,
    followups,
    imports,
    insights,
    mail_accounts,
    meetups,
    people,
    person,
    plan,
    settings,
)

log = logging.getLogger("rekindle.web")

#: uploads larger than this are refused (the CLI reads archives of any size)
DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


Next = Callable[[Request], Awaitable[Response]]


def create_app(
    store: Store | None = None,
    *,
    db: str | None = None,
    now_fn: Callable[[], datetime] = utcnow,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD,
    allowed_hosts: Iterable[str] = (),
    team: bool = False,
    threads: int | None = None,
) -> FastAPI:
    """The app over ``store`` (or the database ``db`` names, opened at start-up).

    ``threads``: how many requests are handled at once (the thread pool's size).

    ``team=True`` is the multi-user server: every page needs a signed-in account, whose
    data alone it shows (see :mod:`rekindle.web.auth`).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = None
        if threads is not None:
            # the pool that runs the page handlers (the default is 40): on SQLite they are
            # CPU work under one GIL, and a few threads serve more pages than many
            to_thread.current_default_thread_limiter().total_tokens = threads
        if getattr(app.state, "store", None) is None:
            opened = app.state.store = open_store(db, memory_map=True)
            repair_pending(opened)  # once after the upgrade that re-keyed addresses
        try:
            yield
        finally:
            if opened is not None:
                opened.close()

    app = FastAPI(
        title="Rekindle",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
        dependencies=[Depends(gate)],
    )
    app.state.store = store
    app.state.team = team
    app.state.throttles = throttles()
    app.state.now_fn = now_fn
    app.state.max_upload_bytes = max_upload_bytes
    hosts = {*LOOPBACK_HOSTS, "testserver", *allowed_hosts}

    app.add_middleware(Guard, hosts=hosts)

    for handler_type, handler in _handlers():
        app.add_exception_handler(handler_type, handler)

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # the JSON API: its own app (JSON errors, OpenAPI, bearer tokens), over the same store
    app.mount(api.PREFIX, api.create_api(lambda: app.state.store, now_fn), name="api")
    routers = (plan, people, person, compose, delivery, followups, calendar, insights, imports)
    for router in (*routers, meetups, settings, mail_accounts):
        app.include_router(router.router)
    if team:
        app.include_router(account.router)
    return app


def _secured(response: Response) -> Response:
    for key, value in SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    return response


def _error_page(request: Request, status: int, message: str, hint: str | None = None) -> Response:
    context = {"status": status, "message": message, "hint": hint}
    if is_htmx(request):
        # show it in the page's message area, whatever the form targeted
        headers = {"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"}
        return render(request, "_error.html", context, status, headers)
    return render(request, "error.html", context, status)


def _handlers() -> list[tuple[type[Exception], Callable[..., Awaitable[Response]]]]:
    async def rekindle_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RekindleError)
        status = 404 if isinstance(exc, NotFoundError) else 400
        hint = exc.hint  # the page says it without commands (the ``web_hint`` filter)
        if isinstance(exc, AmbiguousError):
            hint = "; ".join(f"{pid}: {name}" for pid, name in exc.candidates[:10])
        return _error_page(request, status, exc.message, hint)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        words = {404: "there is no page at this address", 405: "that does not work here", 413: "too large"}
        message = exc.detail if isinstance(exc.detail, str) and exc.detail else ""
        if message == "Not Found":  # the router's own words for an unknown address
            message = ""
        hint = "the address may be mistyped or old" if exc.status_code == 404 else None
        page = _error_page(
            request, exc.status_code, message or words.get(exc.status_code, "error"), hint
        )
        for key, value in (exc.headers or {}).items():
            page.headers[key] = value
        return page

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        fields = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors()[:5])
        return _error_page(request, 422, f"some of what was sent is not valid: {fields}")

    async def out_of_range(request: Request, exc: Exception) -> Response:
        """An id, a page or a duration beyond what a database or a date holds."""
        log.info("out of range on %s", request.url.path, exc_info=exc)
        return _error_page(request, 400, "a number in the request is out of range")

    async def refused_value(request: Request, exc: Exception) -> Response:
        """A value the database cannot hold (PostgreSQL: an id beyond its integers)."""
        log.info("value refused on %s", request.url.path, exc_info=exc)
        return _error_page(request, 400, f"the database refused a value: {driver_message(exc)}")

    async def database_error(request: Request, exc: Exception) -> Response:
        if "database is locked" in driver_message(exc):
            # another writer (an import, a sync) held SQLite's lock past the busy timeout
            log.warning("database busy on %s", request.url.path)
            page = _error_page(
                request,
                503,
                "the database is busy with another writer (an import or a sync)",
                "nothing was changed; try again when it has finished",
            )
            page.headers["Retry-After"] = "30"
            return page
        log.exception("database error on %s", request.url.path)
        return _error_page(request, 500, "database error", "the server's log has the details")

    async def internal(request: Request, exc: Exception) -> Response:
        log.error("internal error on %s", request.url.path, exc_info=exc)
        page = _error_page(
            request, 500, "internal error", "the server log has the details; please report it"
        )
        return _secured(page)

    async def login_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        target = login_url(exc.path if request.method == "GET" else "/")
        if is_htmx(request):
            return _secured(Response(status_code=401, headers={"HX-Redirect": target}))
        return _secured(RedirectResponse(target, status_code=303))

    return [
        (LoginRequired, login_required),
        (RekindleError, rekindle_error),
        (StarletteHTTPException, http_error),
        (RequestValidationError, invalid),
        (OverflowError, out_of_range),
        (DataError, refused_value),
        (SQLAlchemyError, database_error),
        (Exception, internal),
    ]
