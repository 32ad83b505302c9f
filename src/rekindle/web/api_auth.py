"""Who is calling the JSON API: the bearer token, its owner's store, and its right to write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from rekindle.services import api_tokens
from rekindle.store import Store

_bearer = HTTPBearer(auto_error=False, description="a token from `rekindle api-token create`")


class ApiError(Exception):
    """An error the API answers as JSON with this status."""

    def __init__(self, status: int, message: str, hint: str | None = None):
        super().__init__(message)
        self.status, self.message, self.hint = status, message, hint


def error(status: int, message: str, hint: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message}
    if hint:
        body["hint"] = hint
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, headers=headers)


async def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> api_tokens.Holder:
    """Whose token came with the call (401 without a valid one)."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise ApiError(401, "this call needs a token", "send `Authorization: Bearer <token>`")
    store: Store = request.app.state.store_of()
    now = request.app.state.now_fn()
    found = await run_in_threadpool(api_tokens.holder, store, credentials.credentials, now)
    if found is None:
        raise ApiError(401, "this token is unknown or revoked", "`rekindle api-token list`")
    return found


CallerDep = Annotated[api_tokens.Holder, Depends(caller)]


async def reader(request: Request, holder: CallerDep) -> Store:
    """The store of the token's owner: their data alone."""
    store: Store = request.app.state.store_of()
    return replace(store, owner_id=holder.owner_id)


async def writer(request: Request, holder: CallerDep) -> Store:
    """As :func:`reader`, for a token that may write (403 otherwise)."""
    if not holder.can_write:
        raise ApiError(
            403,
            f"the token {holder.token_name!r} is read-only",
            "make one that may write: `rekindle api-token create NAME --write`",
        )
    return await reader(request, holder)


async def now_of(request: Request) -> datetime:
    now_fn: Callable[[], datetime] = request.app.state.now_fn
    return now_fn()


ReadStore = Annotated[Store, Depends(reader)]
WriteStore = Annotated[Store, Depends(writer)]
Now = Annotated[datetime, Depends(now_of)]
