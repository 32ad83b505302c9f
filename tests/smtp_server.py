"""A real SMTP server (aiosmtpd) on a free loopback port, for tests.

Three shapes: plain (no TLS; loopback only), STARTTLS with a login, and implicit TLS, with a
certificate from a throwaway CA (trustme) that the client context trusts. The handler keeps
every message it accepted; ``refuse_rcpt`` makes it refuse recipients, and ``drop_on_data``
makes it take the whole message and then cut the connection before answering, as a server
that crashed after accepting DATA would.
"""

from __future__ import annotations

import email
import email.policy
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.imap_server import free_port

USER = "robin"
PASSWORD = "smtp secret ✓"


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)  # type: ignore[return-value]


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    refuse_rcpt: bool = False
    drop_on_data: bool = False

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.refuse_rcpt:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
        )
        if self.drop_on_data:
            server.transport.abort()
        return "250 Message accepted for delivery"


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = (
        isinstance(data, LoginPassword)
        and data.login.decode() == USER
        and data.password.decode() == PASSWORD
    )
    return AuthResult(success=ok, handled=False)


@dataclass
class SmtpServer:
    port: int
    handler: Handler
    client_context: ssl.SSLContext | None
    security: str

    @property
    def received(self) -> list[Received]:
        return self.handler.received


@contextmanager
def running_smtp(security: str = "none") -> Iterator[SmtpServer]:
    """``none`` (plain, no login), ``starttls`` (login required after STARTTLS) or ``tls``."""
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_context)
    client_context = ssl.create_default_context()
    ca.configure_trust(client_context)
    handler = Handler()
    port = free_port()
    kwargs: dict[str, Any] = {}
    if security == "starttls":
        kwargs = {
            "tls_context": server_context,
            "require_starttls": True,
            "auth_required": True,
            "authenticator": _authenticate,
        }
    elif security == "tls":
        # aiosmtpd does not count implicit TLS as TLS for AUTH: the whole session is TLS here
        kwargs = {
            "ssl_context": server_context,
            "authenticator": _authenticate,
            "auth_require_tls": False,
        }
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, server_hostname="localhost", **kwargs
    )
    controller.start()
    try:
        yield SmtpServer(port, handler, client_context, security)
    finally:
        controller.stop()
