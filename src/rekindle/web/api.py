"""The JSON API at ``/api/v1``: the services a script or an assistant needs, with OpenAPI.

It is its own FastAPI app, mounted by :func:`rekindle.web.app.create_app`, so its errors are
JSON, its schema is at ``/api/v1/openapi.json``, and it has its own way in: every call carries
``Authorization: Bearer <token>`` (``rekindle api-token create``), in single-user and in team
mode alike. A token sees its owner's data alone, and only a token made with ``--write`` may
record anything. Nothing here sends a message: a draft comes back with its checks.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy.exc import DataError, SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from rekindle import __version__
from rekindle.errors import AmbiguousError, NotFoundError, RekindleError
from rekindle.store import Store
from rekindle.store.database import driver_message
from rekindle.web import api_routes
from rekindle.web.api_auth import ApiError, error

log = logging.getLogger("rekindle.web.api")

PREFIX = "/api/v1"
DESCRIPTION = (
    "Rekindle's network, plan and history for scripts and assistants. Every call needs "
    "`Authorization: Bearer <token>`; make a token with `rekindle api-token create NAME` "
    "(`--write` for one that may record outreach and outcomes). Drafts are never sent."
)


def create_api(store_of: Callable[[], Store], now_fn: Callable[[], datetime]) -> FastAPI:
    """The API over the store ``store_of()`` gives (the web app's, opened at its start)."""
    api = FastAPI(
        title="Rekindle API",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    api.state.store_of = store_of
    api.state.now_fn = now_fn
    for handler_type, handler in _handlers():
        api.add_exception_handler(handler_type, handler)
    api.include_router(api_routes.router)
    return api


def _handlers() -> list[tuple[type[Exception], Callable[..., Awaitable[Response]]]]:
    async def api_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return error(exc.status, exc.message, exc.hint)

    async def rekindle_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RekindleError)
        if isinstance(exc, AmbiguousError):  # several people: the caller chooses by id
            who = "; ".join(f"{pid}: {name}" for pid, name in exc.candidates[:10])
            return error(409, exc.message, who)
        return error(404 if isinstance(exc, NotFoundError) else 400, exc.message, exc.hint)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        words = {404: "no such call", 405: "this call does not take that method"}
        detail = exc.detail if isinstance(exc.detail, str) and exc.detail else ""
        response = error(exc.status_code, detail or words.get(exc.status_code, "error"))
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value  # e.g. Allow on a 405
        return response

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        problems = [
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'body'}: {e.get('msg', '')}"
            for e in exc.errors()[:5]
        ]
        return error(422, "; ".join(problems) or "the request is not valid")

    async def out_of_range(request: Request, exc: Exception) -> Response:
        return error(400, "a number in the request is out of range")

    async def database_error(request: Request, exc: Exception) -> Response:
        text = driver_message(exc)
        if isinstance(exc, DataError):
            return error(400, f"the database refused a value: {text}")
        if "database is locked" in text:
            response = error(503, "the database is busy with another writer; try again")
            response.headers["Retry-After"] = "30"
            return response
        log.exception("database error on %s", request.url.path)
        return error(500, "database error")

    async def internal(request: Request, exc: Exception) -> Response:
        log.error("internal error on %s", request.url.path, exc_info=exc)
        return error(500, "internal error", "the server log has the details; please report it")

    return [
        (ApiError, api_error),
        (RekindleError, rekindle_error),
        (StarletteHTTPException, http_error),
        (RequestValidationError, invalid),
        (OverflowError, out_of_range),
        (SQLAlchemyError, database_error),
        (Exception, internal),
    ]
