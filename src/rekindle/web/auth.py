"""Team mode's gate: who is signed in, the CSRF check on every form, the login throttle.

In single-user mode (the default, on localhost) nothing here applies. With
``create_app(team=True)`` every page but the login form and the token-protected calendar
feed needs a signed-in session; each request's store is that account's (``deps.get_store``),
so every query is scoped to its owner. Every request that changes something carries the
session's CSRF token: htmx sends it as the ``X-CSRF-Token`` header (set once on ``<body>``),
plain forms as a hidden ``csrf_token`` field, uploads as a field the upload parser checks.
"""

from __future__ import annotations

import hmac
from urllib.parse import quote

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from rekindle.services import accounts
from rekindle.web.login_throttle import LoginThrottle

SESSION_COOKIE = "rekindle_session"
#: the double-submit token of the login form (there is no session yet to hold one)
LOGIN_COOKIE = "rekindle_login"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
#: reachable without a session: the login form, and the calendar feed (its URL has a token)
PUBLIC_PATHS = frozenset({"/login", "/calendar.ics"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class LoginRequired(Exception):
    """No live session: the handler sends the browser to the login form."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


def login_url(path: str) -> str:
    return "/login" if path in ("", "/") else f"/login?next={quote(path, safe='/')}"


def safe_next(target: str | None) -> str:
    """Only a path on this site, never ``//elsewhere`` or ``https://…`` (open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def throttles() -> tuple[LoginThrottle, LoginThrottle]:
    """Failures per account (5 in 15 minutes) and per client address (20 in 15 minutes)."""
    return LoginThrottle(max_failures=5), LoginThrottle(max_failures=20)


async def gate(request: Request) -> None:
    """App-wide dependency: in team mode, require a session and check CSRF on changes."""
    app = request.app
    if not getattr(app.state, "team", False) or request.url.path in PUBLIC_PATHS:
        return
    token = request.cookies.get(SESSION_COOKIE, "")
    now = app.state.now_fn()
    signed = await run_in_threadpool(accounts.session, app.state.store, token, now)
    if signed is None:
        raise LoginRequired(request.url.path)
    request.state.user = signed.account
    request.state.csrf = signed.csrf_token
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if sent is None and content_type.startswith("multipart/form-data"):
        # streamed by web.uploads, which checks the field once it has parsed the form
        request.state.csrf_pending = signed.csrf_token
        return
    if sent is None and content_type.startswith("application/x-www-form-urlencoded"):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    check_csrf(sent, signed.csrf_token)


def check_csrf(sent: str | None, expected: str) -> None:
    if not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise HTTPException(
            403, "this form is out of date or came from elsewhere: reload the page and try again"
        )
