"""What the Compose page needs to know of the mail accounts: configured, password at hand."""

from __future__ import annotations

from dataclasses import dataclass

from rekindle.services import mail_accounts as accounts
from rekindle.services import settings as settings_svc
from rekindle.sources.imap_account import PASSWORD_ENV as IMAP_PASSWORD_ENV
from rekindle.sources.imap_account import parse_imap_url
from rekindle.store import Store


@dataclass(frozen=True)
class MailStatus:
    smtp: bool
    imap: bool
    imap_secret: bool


def mail_status(store: Store, shared: bool = False) -> MailStatus:
    values = settings_svc.current(store)
    drafts = values.get("drafts.imap")
    secret = False
    if drafts:
        secret = accounts.has_secret(IMAP_PASSWORD_ENV, parse_imap_url(drafts).label, shared)
    return MailStatus(bool(values.get("smtp.host")), bool(drafts), secret)
