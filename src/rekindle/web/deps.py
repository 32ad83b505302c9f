"""What every router shares: the store, the clock, the templates and the htmx helpers."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup, escape

from rekindle.plural import counted
from rekindle.services.people import address_text
from rekindle.store import Store
from rekindle.web import words
from rekindle.web.auth import CSRF_FIELD, LoginRequired
from rekindle.web.web_hints import web_hint

HERE = Path(__file__).parent
#: the vendored htmx (npm package htmx.org, dist/htmx.min.js); change both together
HTMX_VERSION = "2.0.11"

env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(enabled_extensions=("html",), default=True),
    trim_blocks=True,
    lstrip_blocks=True,
    # the templates ship with the package: no need to look at their files on every render
    auto_reload=False,
)


def _date(value: Any, fmt: str = "%d %b %Y") -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return str(value.strftime(fmt))


@pass_context
def _csrf_field(context: Context) -> Markup:
    """The hidden CSRF field every POST form carries (empty in single-user mode)."""
    token = context.get("csrf_token")
    if not token:
        return Markup("")
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, escape(token))


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def _code_spans(text: object) -> Markup:
    """Plain words with their `command` spans as <code> (everything else escaped)."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", str(escape(str(text)))))


env.filters["date"] = _date
env.filters["code_spans"] = _code_spans
env.filters["web_hint"] = web_hint
env.filters["counted"] = counted
env.filters["initials"] = words.initials
env.filters["avatar_colour"] = words.avatar_colour
env.filters["quiet_for"] = words.quiet_for
env.filters["in_days"] = words.in_days
env.filters["birthday"] = words.birthday
env.filters["address"] = address_text
env.filters["period"] = words.period
env.filters["closeness"] = words.closeness
env.filters["closeness_words"] = words.closeness_words
env.globals["csrf_field"] = _csrf_field


# The dependencies below do no I/O: ``async def`` keeps them on the event loop. A plain
# ``def`` would cost each request another round trip through the thread pool.


async def get_store(request: Request) -> Store:
    """The store of whoever is asking: in team mode, the signed-in account's data only."""
    store: Store = request.app.state.store
    if getattr(request.app.state, "team", False):
        user = getattr(request.state, "user", None)
        if user is None:  # fail closed: no session, no data
            raise LoginRequired(request.url.path)
        return replace(store, owner_id=user.owner_id)
    return store


async def get_now(request: Request) -> datetime:
    now_fn: Callable[[], datetime] = request.app.state.now_fn
    return now_fn()


StoreDep = Annotated[Store, Depends(get_store)]
NowDep = Annotated[datetime, Depends(get_now)]


def shared_server(request: Request) -> bool:
    """A team server: its environment and keyring are its operator's, not a teammate's."""
    return bool(getattr(request.app.state, "team", False))


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """Render a page or a fragment; every page knows the path it is on (for the nav)."""
    values = {
        "path": request.url.path,
        "htmx_version": HTMX_VERSION,
        "team": getattr(request.app.state, "team", False),
        "user": getattr(request.state, "user", None),
        "csrf_token": getattr(request.state, "csrf", None),
        **(context or {}),
    }
    html = env.get_template(template).render(values)
    return HTMLResponse(html, status_code=status_code, headers=dict(headers or {}))


def done(
    request: Request,
    back: str,
    fragment: str | None = None,
    context: Mapping[str, Any] | None = None,
) -> Response:
    """After a POST: the fragment for htmx, a redirect (post/redirect/get) without JS."""
    if fragment is not None and is_htmx(request):
        return render(request, fragment, context)
    return RedirectResponse(back, status_code=303)
