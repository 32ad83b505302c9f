"""The outermost layer of every request: refuse other hosts (DNS rebinding) and cross-site
form posts, and add the security headers to every response.

A plain ASGI middleware: it looks at the request's headers and at the response's first
message only, so it costs next to nothing per request (Starlette's ``@app.middleware``
wraps every response body in a task group).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
_ENCODED = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()]
#: over https (served so directly, or by a trusted proxy that says so): browsers keep to https
HSTS = (b"strict-transport-security", b"max-age=31536000")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Guard:
    def __init__(self, app: ASGIApp, hosts: Iterable[str]) -> None:
        self.app = app
        self.hosts = frozenset(hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refused = None
        if host_name(headers.get("host", "")) not in self.hosts and "*" not in self.hosts:
            refused = PlainTextResponse("unknown host", status_code=400)
        elif scope["method"] not in SAFE_METHODS and cross_site(headers):
            refused = PlainTextResponse("cross-site request refused", status_code=403)

        wanted = [*_ENCODED, HSTS] if scope.get("scheme") == "https" else _ENCODED

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in wanted if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        if refused is not None:
            await refused(scope, receive, send_secured)
            return
        await self.app(scope, receive, send_secured)


def host_name(header: str) -> str:
    """'127.0.0.1:8765' -> '127.0.0.1'; '[::1]:8765' -> '[::1]'."""
    if header.startswith("["):
        return header.split("]", 1)[0] + "]"
    return header.rsplit(":", 1)[0]


def cross_site(headers: Headers) -> bool:
    """A form posted from another site (or another port of this machine) is refused."""
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site not in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return False  # not a browser (curl, scripts): nothing to forge
    return origin == "null" or urlsplit(origin).netloc != headers.get("host", "")
