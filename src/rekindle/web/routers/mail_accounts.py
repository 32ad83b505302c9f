"""Settings → Mail accounts: the IMAP account (sync, Drafts folder) and SMTP (sending), and a
button that tests each. A password typed here serves that one test and is kept nowhere."""

from __future__ import annotations

import time
from typing import Annotated, Any

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response

from rekindle.errors import UserError
from rekindle.services import mail_accounts as accounts
from rekindle.services import settings as settings_svc
from rekindle.sources.imap_account import PASSWORD_ENV as IMAP_PASSWORD_ENV
from rekindle.store import Store
from rekindle.transport.smtp import PASSWORD_ENV as SMTP_PASSWORD_ENV
from rekindle.web.deps import StoreDep, done, is_htmx, render, shared_server
from rekindle.web.login_throttle import LoginThrottle

router = APIRouter(tags=["accounts"])

#: connection tests running at once: they wait on other servers, on threads of their own, so
#: a burst of them never holds up the threads that serve pages
TESTS_AT_ONCE = 4
#: on a team server, connection tests per account per minute
TESTS_PER_MINUTE = 6


def _test_limits(request: Request) -> tuple[CapacityLimiter, LoginThrottle]:
    state = request.app.state
    if getattr(state, "connection_tests", None) is None:
        state.connection_tests = (
            CapacityLimiter(TESTS_AT_ONCE),
            LoginThrottle(max_failures=TESTS_PER_MINUTE, window_s=60),
        )
    return state.connection_tests


def _context(store: Store, shared: bool = False, **extra: Any) -> dict[str, Any]:
    values = settings_svc.current(store)
    imap = accounts.imap_form(store)
    smtp_user = values.get("smtp.username") or ""
    return {
        "imap": imap,
        "imap_securities": accounts.IMAP_SECURITIES,
        "imap_secret": bool(imap.host)
        and accounts.has_secret(IMAP_PASSWORD_ENV, f"{imap.user}@{imap.host}", shared),
        "smtp": {
            "host": values.get("smtp.host") or "",
            "port": values.get("smtp.port") or "",
            "security": values.get("smtp.security") or "starttls",
            "user": smtp_user,
            "sender": values.get("smtp.from") or "",
        },
        "smtp_securities": accounts.SMTP_SECURITIES,
        "smtp_secret": bool(smtp_user)
        and accounts.has_secret(
            SMTP_PASSWORD_ENV, f"{smtp_user}@{values.get('smtp.host')}", shared
        ),
        "imap_env": IMAP_PASSWORD_ENV,
        "smtp_env": SMTP_PASSWORD_ENV,
        **extra,
    }


@router.get("/settings/accounts")
def page(request: Request, store: StoreDep, saved: str = "") -> Response:
    return render(
        request, "mail_accounts.html", _context(store, shared_server(request), saved=saved)
    )


@router.post("/settings/accounts/imap")
def save_imap(
    request: Request,
    store: StoreDep,
    host: Annotated[str, Form()] = "",
    port: Annotated[str, Form()] = "",
    security: Annotated[str, Form()] = "ssl",
    user: Annotated[str, Form()] = "",
    folders: Annotated[str, Form()] = "",
    drafts: Annotated[str, Form()] = "",
) -> Response:
    accounts.save_imap(store, host, port, security, user, folders, drafts)
    return done(request, "/settings/accounts?saved=imap")


@router.post("/settings/accounts/smtp")
def save_smtp(
    request: Request,
    store: StoreDep,
    host: Annotated[str, Form()] = "",
    port: Annotated[str, Form()] = "",
    security: Annotated[str, Form()] = "starttls",
    user: Annotated[str, Form()] = "",
    sender: Annotated[str, Form()] = "",
) -> Response:
    if security not in accounts.SMTP_SECURITIES:
        raise UserError(f"no SMTP security {security!r}", hint=", ".join(accounts.SMTP_SECURITIES))
    accounts.save_smtp(store, host, port, security, user, sender)
    return done(request, "/settings/accounts?saved=smtp")


@router.post("/settings/accounts/{which}/test")
async def test(
    request: Request,
    store: StoreDep,
    which: str,
    password: Annotated[str, Form()] = "",
) -> Response:
    """Log in (and out) with the saved account; the outcome in words, success or not."""
    if which not in ("imap", "smtp"):
        raise UserError(f"no account {which!r}", hint="imap or smtp")
    check = accounts.check_imap if which == "imap" else accounts.check_smtp
    threads, per_account = _test_limits(request)
    shared = shared_server(request)
    if shared:
        user = getattr(request.state, "user", None)
        key, now = str(getattr(user, "username", user)), time.monotonic()
        wait = per_account.retry_after([key], now)
        if wait:
            raise HTTPException(429, f"too many connection tests: try again in {int(wait) + 1} s")
        per_account.failed([key], now)
    try:
        outcome = await anyio.to_thread.run_sync(
            lambda: check(store, password, shared=shared), limiter=threads
        )
        result = {"which": which, "ok": True, "message": outcome, "hint": None}
    except UserError as exc:
        result = {"which": which, "ok": False, "message": exc.message, "hint": exc.hint}
    if is_htmx(request):
        return render(request, "_mail_account_test.html", {"result": result})
    return render(
        request, "mail_accounts.html", _context(store, shared_server(request), result=result)
    )
