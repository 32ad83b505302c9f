"""Team mode: sign in and out, your account (password, sharing, calendar feed), the team."""

from __future__ import annotations

import secrets
import time
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from rekindle.errors import UserError
from rekindle.services import accounts
from rekindle.web.auth import LOGIN_COOKIE, SESSION_COOKIE, check_csrf, safe_next
from rekindle.web.deps import StoreDep, done, render

router = APIRouter(tags=["account"])


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _login_page(
    request: Request, next_path: str, message: str | None = None, status: int = 200
) -> Response:
    token = secrets.token_urlsafe(24)
    page = render(
        request,
        "login.html",
        {"login_token": token, "next": safe_next(next_path), "message": message},
        status,
    )
    page.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/login",
    )
    return page


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, next)


@router.post("/login")
async def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=accounts.MAX_PASSWORD)],
    login_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    check_csrf(login_token, request.cookies.get(LOGIN_COOKIE, ""))
    by_account, by_address = request.app.state.throttles
    name = username.strip().lower()
    address = request.client.host if request.client else "?"
    now = time.monotonic()
    wait = max(by_account.retry_after([name], now), by_address.retry_after([address], now))
    if wait > 0:
        minutes = max(1, round(wait / 60))
        page = _login_page(
            request,
            next,
            f"Too many failed sign-ins. Try again in {minutes} minute{'s' if minutes > 1 else ''}.",
            429,
        )
        page.headers["Retry-After"] = str(int(wait) + 1)
        return page
    store = request.app.state.store
    account = await run_in_threadpool(accounts.authenticate, store, name, password)
    if account is None:
        by_account.failed([name], now)
        by_address.failed([address], now)
        return _login_page(request, next, "Wrong username or password.", 401)
    by_account.succeeded(name)
    token = await run_in_threadpool(
        accounts.start_session, store, account.owner_id, request.app.state.now_fn()
    )
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=accounts.SESSION_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE, "")
    if token:
        accounts.end_session(request.app.state.store, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/account")
def account_page(request: Request, store: StoreDep, saved: str = "") -> Response:
    me = accounts.account(store, store.owner_id)
    members = accounts.list_users(store) if me.is_admin else []
    return render(
        request,
        "account.html",
        {"account": me, "members": members, "saved": saved, "feed_url": None},
    )


@router.post("/account/password")
def change_password(
    request: Request,
    store: StoreDep,
    current: Annotated[str, Form(max_length=accounts.MAX_PASSWORD)],
    new: Annotated[str, Form(max_length=accounts.MAX_PASSWORD)],
    again: Annotated[str, Form(max_length=accounts.MAX_PASSWORD)],
) -> Response:
    me = accounts.account(store, store.owner_id)
    # the same limit as signing in: a stolen session cannot guess the password behind it
    by_account, _ = request.app.state.throttles
    key, now = f"password change:{me.username}", time.monotonic()
    wait = by_account.retry_after([key], now)
    if wait > 0:
        minutes = max(1, round(wait / 60))
        raise HTTPException(
            429,
            f"Too many wrong passwords. Try again in {minutes} minute{'s' if minutes > 1 else ''}.",
            headers={"Retry-After": str(int(wait) + 1)},
        )
    if accounts.authenticate(store, me.username, current) is None:
        by_account.failed([key], now)
        raise UserError("the current password is wrong")
    if new != again:
        raise UserError("the two new passwords differ")
    accounts.set_password(store, me.username, new)
    # every session was ended, this one too: sign in again with the new password
    response = RedirectResponse("/login?next=/account", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/account/sharing")
def sharing(
    request: Request, store: StoreDep, share: Annotated[str, Form(max_length=10)] = ""
) -> Response:
    accounts.set_sharing(store, share == "on")
    return done(request, "/account?saved=sharing")


@router.post("/account/feed")
def new_feed(request: Request, store: StoreDep) -> Response:
    """A new secret calendar address, shown once (only its hash is kept)."""
    token = accounts.new_feed_token(store)
    me = accounts.account(store, store.owner_id)
    base = str(request.base_url).rstrip("/")
    return render(
        request,
        "account.html",
        {
            "account": me,
            "members": accounts.list_users(store) if me.is_admin else [],
            "saved": "feed",
            "feed_url": f"{base}/calendar.ics?token={token}",
        },
    )


@router.post("/account/members")
def add_member(
    request: Request,
    store: StoreDep,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=accounts.MAX_PASSWORD)],
    admin: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    if not accounts.account(store, store.owner_id).is_admin:
        raise HTTPException(403, "only an administrator can add accounts")
    accounts.add_user(store, username, password, admin=admin == "on")
    return done(request, "/account?saved=member")
