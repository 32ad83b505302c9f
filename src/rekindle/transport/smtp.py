"""Send one message through SMTP (implicit TLS, STARTTLS, or plain on this machine only).

:func:`send_email` either returns (the server accepted the message) or raises
:class:`SendError`. ``maybe_sent`` tells the two failures apart: False when the server refused
or the connection failed before the message was handed over (nothing went out), True when the
connection dropped while the message was being handed over, so the server may have accepted
it; the caller must not simply send again.
"""

from __future__ import annotations

import base64
import ipaddress
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Literal

from rekindle.errors import UserError

Security = Literal["starttls", "tls", "none"]
SECURITIES: tuple[Security, ...] = ("starttls", "tls", "none")
PASSWORD_ENV = "REKINDLE_SMTP_PASSWORD"


class SendError(UserError):
    """The message could not be sent; ``maybe_sent`` when it may have gone out all the same."""

    def __init__(self, message: str, hint: str | None = None, maybe_sent: bool = False):
        super().__init__(message, hint)
        self.maybe_sent = maybe_sent


@dataclass(frozen=True)
class SmtpAccount:
    host: str
    port: int
    security: Security = "starttls"
    username: str | None = None
    timeout: float = 30.0

    @property
    def label(self) -> str:
        """``user@host``: the keyring user name of the password."""
        return f"{self.username}@{self.host}"

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def check_account(account: SmtpAccount) -> None:
    if account.security == "none" and account.username and not is_loopback(account.host):
        raise UserError(
            f"Refusing to send a password unencrypted to {account.host}.",
            hint="`rekindle config set smtp.security starttls` (port 587) or tls (port 465)",
        )


def _sender_and_recipients(msg: EmailMessage) -> tuple[str, list[str]]:
    sender = msg["From"].addresses[0].addr_spec
    recipients = [a.addr_spec for a in msg["To"].addresses]
    return sender, recipients


def _connect(account: SmtpAccount, context: ssl.SSLContext) -> smtplib.SMTP:
    if account.security == "tls":
        return smtplib.SMTP_SSL(
            account.host, account.port, timeout=account.timeout, context=context
        )
    return smtplib.SMTP(account.host, account.port, timeout=account.timeout)


def _refused(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(words.split())}".strip()


def send_email(
    account: SmtpAccount,
    password: str | None,
    msg: EmailMessage,
    *,
    ssl_context: ssl.SSLContext | None = None,
) -> str:
    """Send ``msg`` to its To addresses; returns the server's last reply."""
    check_account(account)
    context = ssl_context or ssl.create_default_context()
    sender, recipients = _sender_and_recipients(msg)
    try:
        client = _connect(account, context)
    except (OSError, smtplib.SMTPException) as exc:
        raise _connect_error(account, exc) from exc
    try:
        _hello(client, account, password, context)
        _envelope(client, account, sender, recipients)
        return _data(client, account, msg)
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()


def check_login(
    account: SmtpAccount, password: str | None, *, ssl_context: ssl.SSLContext | None = None
) -> str:
    """Connect, say hello (STARTTLS, login) and leave without sending; the server's name."""
    check_account(account)
    context = ssl_context or ssl.create_default_context()
    try:
        client = _connect(account, context)
    except (OSError, smtplib.SMTPException) as exc:
        raise _connect_error(account, exc) from exc
    try:
        _hello(client, account, password, context)
        return str(
            client.ehlo_resp.decode("utf-8", "replace").split()[0] if client.ehlo_resp else ""
        )
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()


def _hello(
    client: smtplib.SMTP, account: SmtpAccount, password: str | None, context: ssl.SSLContext
) -> None:
    try:
        client.ehlo()
        if account.security == "starttls":
            if not client.has_extn("starttls"):
                raise SendError(
                    f"{account.where} does not offer STARTTLS.",
                    hint="`rekindle config set smtp.security tls` with port 465, "
                    "or check the port (587 usually speaks STARTTLS)",
                )
            client.starttls(context=context)
            client.ehlo()
        if account.username:
            _login(client, account.username, password or "")
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(
            f"SMTP login failed for {account.label}: {_refused(exc.smtp_code, exc.smtp_error)}",
            hint=f"Check smtp.username and the password ({PASSWORD_ENV}, the keyring, or the "
            "prompt); an app password may be needed.",
        ) from exc
    except smtplib.SMTPNotSupportedError as exc:
        raise SendError(
            f"{account.where} does not offer login: {exc}",
            hint="`rekindle config unset smtp.username` if it needs none",
        ) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise _connect_error(account, exc) from exc


def _login(client: smtplib.SMTP, user: str, password: str) -> None:
    """LOGIN as smtplib does; a password beyond ASCII goes as UTF-8 in AUTH PLAIN, which
    smtplib cannot send."""
    if user.isascii() and password.isascii():
        client.login(user, password)
        return
    if not client.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, text = client.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, text)


def _envelope(
    client: smtplib.SMTP, account: SmtpAccount, sender: str, recipients: list[str]
) -> None:
    try:
        code, text = client.mail(sender)
        if code != 250:
            raise SendError(
                f"{account.where} refused the sender {sender}: {_refused(code, text)}",
                hint="check your address: `rekindle me` and smtp.from",
            )
        for rcpt in recipients:
            code, text = client.rcpt(rcpt)
            if code not in (250, 251):
                raise SendError(
                    f"{account.where} refused the recipient {rcpt}: {_refused(code, text)}",
                    hint="check their address with `rekindle show`",
                )
    except (OSError, smtplib.SMTPException) as exc:
        raise _connect_error(account, exc) from exc


def _data(client: smtplib.SMTP, account: SmtpAccount, msg: EmailMessage) -> str:
    try:
        code, text = client.data(msg.as_bytes())
    except smtplib.SMTPDataError as exc:
        raise SendError(
            f"{account.where} refused the message: {_refused(exc.smtp_code, exc.smtp_error)}",
        ) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(
            f"The connection to {account.where} dropped while the message was handed over "
            f"({type(exc).__name__}); it may have been sent.",
            hint="check your Sent folder",
            maybe_sent=True,
        ) from exc
    return _refused(code, text)


def _connect_error(account: SmtpAccount, exc: BaseException) -> SendError:
    where = account.where
    if isinstance(exc, SendError):
        return exc
    if isinstance(exc, ssl.SSLCertVerificationError):
        return SendError(
            f"The TLS certificate of {where} is not trusted: {exc.verify_message}",
            hint="check smtp.host; a self-signed server needs its certificate trusted",
        )
    if isinstance(exc, ssl.SSLError):
        return SendError(
            f"TLS with {where} failed: {exc.reason or exc}",
            hint="port 465 speaks TLS (smtp.security tls); 587 speaks STARTTLS",
        )
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
        message = f"No answer from the SMTP server {where} within {account.timeout:g} s."
    elif isinstance(exc, socket.gaierror):
        message = f"Cannot find the SMTP server {account.host}: {exc.strerror or exc}"
    elif isinstance(exc, smtplib.SMTPResponseException):
        message = f"The SMTP server {where} refused: {_refused(exc.smtp_code, exc.smtp_error)}"
    elif isinstance(exc, smtplib.SMTPServerDisconnected):
        message = f"The SMTP server {where} closed the connection: {exc or 'no reason given'}"
    elif isinstance(exc, OSError):
        message = f"Cannot connect to the SMTP server {where}: {exc.strerror or exc}"
    else:
        message = f"The SMTP server {where} did not answer as SMTP: {exc}"
    return SendError(
        message + " Nothing was sent.", hint="check smtp.host, smtp.port, smtp.security"
    )
