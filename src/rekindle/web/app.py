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
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from rekindle.errors import AmbiguousError, NotFoundError, RekindleError
from rekindle.store import Store, open_store
from rekindle.store.database import utcnow
from rekindle.web.deps import HERE, is_htmx, render
from rekindle.web.routers import compose, imports, people, person, plan, settings

log = logging.getLogger("rekindle.web")

#: uploads larger than this are refused (the CLI reads archives of any size)
DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

Next = Callable[[Request], Awaitable[Response]]


def create_app(
    store: Store | None = None,
    *,
    db: str | None = None,
    now_fn: Callable[[], datetime] = utcnow,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD,
    allowed_hosts: Iterable[str] = (),
) -> FastAPI:
    """The app over ``store`` (or the database ``db`` names, opened at start-up)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        opened = None
        if getattr(app.state, "store", None) is None:
            opened = app.state.store = open_store(db)
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
    )
    app.state.store = store
    app.state.now_fn = now_fn
    app.state.max_upload_bytes = max_upload_bytes
    hosts = {*LOOPBACK_HOSTS, "testserver", *allowed_hosts}

    @app.middleware("http")
    async def guard(request: Request, call_next: Next) -> Response:
        """Refuse other hosts (DNS rebinding) and cross-site form posts; add the headers."""
        if _host_name(request.headers.get("host", "")) not in hosts and "*" not in hosts:
            return _secured(PlainTextResponse("unknown host", status_code=400))
        if request.method not in ("GET", "HEAD", "OPTIONS") and _cross_site(request):
            return _secured(PlainTextResponse("cross-site request refused", status_code=403))
        response = await call_next(request)
        return _secured(response)

    for handler_type, handler in _handlers():
        app.add_exception_handler(handler_type, handler)

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for router in (plan, people, person, compose, imports, settings):
        app.include_router(router.router)
    return app


def _secured(response: Response) -> Response:
    for key, value in SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    return response


def _host_name(header: str) -> str:
    """'127.0.0.1:8765' -> '127.0.0.1'; '[::1]:8765' -> '[::1]'."""
    if header.startswith("["):
        return header.split("]", 1)[0] + "]"
    return header.rsplit(":", 1)[0]


def _cross_site(request: Request) -> bool:
    """A form posted from another site (or another port of this machine) is refused."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return False  # not a browser (curl, scripts): nothing to forge
    return origin == "null" or urlsplit(origin).netloc != request.headers.get("host", "")


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
        hint = exc.hint
        if isinstance(exc, AmbiguousError):
            hint = "; ".join(f"{pid}: {name}" for pid, name in exc.candidates[:10])
        return _error_page(request, status, exc.message, hint)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        words = {404: "no such page", 405: "that does not work here", 413: "too large"}
        message = exc.detail if isinstance(exc.detail, str) and exc.detail else ""
        return _error_page(request, exc.status_code, message or words.get(exc.status_code, "error"))

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        fields = ", ".join(str(e.get("loc", ["?"])[-1]) for e in exc.errors()[:5])
        return _error_page(request, 422, f"some of what was sent is not valid: {fields}")

    async def database_error(request: Request, exc: Exception) -> Response:
        log.exception("database error on %s", request.url.path)
        return _error_page(request, 500, "database error", "`rekindle doctor` checks the database")

    async def internal(request: Request, exc: Exception) -> Response:
        log.error("internal error on %s", request.url.path, exc_info=exc)
        page = _error_page(
            request, 500, "internal error", "the server log has the details; please report it"
        )
        return _secured(page)

    return [
        (RekindleError, rekindle_error),
        (StarletteHTTPException, http_error),
        (RequestValidationError, invalid),
        (SQLAlchemyError, database_error),
        (Exception, internal),
    ]
