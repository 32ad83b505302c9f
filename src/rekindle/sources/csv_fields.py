"""Pure helpers the CSV importers share: emails, dates, URLs, multi-value cells."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from rekindle.identity.records import ContactRecord, PartialDate, RawIdentity, RecordError

#: Google's separator for several values in one cell
MULTI_SEP = " ::: "

_EMAIL = re.compile(r"[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+")
_EMAIL_IN_TEXT = re.compile(r"[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[A-Za-z]{2,}")

_SERVICES = {
    "linkedin.com": "linkedin",
    "twitter.com": "twitter",
    "x.com": "twitter",
    "github.com": "github",
    "facebook.com": "facebook",
    "instagram.com": "instagram",
    "xing.com": "xing",
    "mastodon.social": "mastodon",
}


def parse_email(text: str) -> str | None:
    """``text`` stripped when it is an email address, else None (``urn:li:member:1``)."""
    value = text.strip().removeprefix("mailto:").strip()
    return value if _EMAIL.fullmatch(value) else None


def parse_email_in_text(text: str) -> str | None:
    """The first email address inside a display name such as ``Jane (jane@example.com)``."""
    m = _EMAIL_IN_TEXT.search(text)
    return m.group(0) if m else None


def split_multi(text: str, sep: str = MULTI_SEP) -> list[str]:
    """The non-empty values of a cell holding several, stripped."""
    return [v.strip() for v in text.split(sep) if v.strip()] if text.strip() else []


def split_tags(text: str, seps: tuple[str, ...] = (";",)) -> list[str]:
    """Tags separated by any of ``seps`` (and ``:::``), trimmed; system ones (``* x``) dropped."""
    pattern = "|".join(re.escape(s) for s in (*seps, ":::"))
    parts = (p.strip() for p in re.split(pattern, text))
    return [p for p in parts if p and not p.startswith("*")]


def parse_url_service(url: str) -> str | None:
    """The network a profile URL belongs to (``linkedin`` for linkedin.com/in/…)."""
    try:
        host = urlsplit(url if "//" in url else "https://" + url).hostname or ""
    except ValueError:
        return None
    for domain, service in _SERVICES.items():
        if host == domain or host.endswith("." + domain):
            return service
    return None


def url_identity(url: str, label: str | None = None) -> RawIdentity:
    return RawIdentity("url", url.strip(), label=label, service=parse_url_service(url))


def _valid(year: int | None, month: int, day: int) -> PartialDate | None:
    if year is not None and not 1 <= year <= 9999:
        return None
    try:
        date(year if year is not None else 2000, month, day)  # 2000 is a leap year
    except ValueError:
        return None
    return PartialDate(month, day, year)


def parse_partial_date(text: str) -> PartialDate | None:
    """A birthday-style date: ``1980-05-17``, ``--05-17``, ``19800517``, ``5/17/1980`` (US,
    day first when the first part is over 12), ``17.5.1980``. ``0/0/00`` (Outlook's empty
    date) is None, and so is any unreadable text. Year 1604 (Apple's "no year") is dropped.
    """
    s = text.strip().split("T")[0].split(" ")[0]
    if not s or set(s) <= set("0/.-"):
        return None
    year: int | None
    if m := re.fullmatch(r"--(\d{1,2})-?(\d{1,2})", s):
        return _valid(None, int(m[1]), int(m[2]))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s) or re.fullmatch(
        r"(\d{4})(\d{2})(\d{2})", s
    ):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", s):
        month, day, year = int(m[1]), int(m[2]), int(m[3])
        if month > 12 >= day:
            month, day = day, month
    elif m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})?", s):
        day, month = int(m[1]), int(m[2])
        year = int(m[3]) if m[3] else None
    else:
        return None
    if year is not None and year < 100:
        year += 2000 if year < 30 else 1900
    if year in (1604, 0):
        year = None
    return _valid(year, month, day)


def parse_label(text: str) -> tuple[str | None, bool]:
    """A value label such as ``* Work`` -> (``work``, preferred); ``* `` -> (None, True)."""
    s = text.strip()
    preferred = s.startswith("*")
    s = s.lstrip("*").strip().lower()
    return (s or None), preferred


def clean_text(text: str) -> str | None:
    """A multi-line cell with its line breaks as ``\n`` (None when empty)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip() or None


def join_name(*parts: str | None) -> str | None:
    joined = " ".join(p.strip() for p in parts if p and p.strip())
    return joined or None


def mark_organisation(record: ContactRecord) -> None:
    """A record with an organisation but no person's name is the organisation itself."""
    if record.affiliations and not (
        record.full_name or record.given_name or record.family_name or record.nickname
    ):
        record.is_organisation = True
        record.full_name = record.affiliations[0].organisation


def is_empty_contact(record: ContactRecord) -> bool:
    """True when a record has no name, identity or organisation to know the person by."""
    return not (
        record.full_name
        or record.given_name
        or record.family_name
        or record.nickname
        or record.identities
        or record.affiliations
    )


def finish_row(record: ContactRecord, locator: str) -> ContactRecord | RecordError:
    """The last step of every CSV row: an organisation-only row names the organisation, and a
    row with nothing to know a person by is an error."""
    mark_organisation(record)
    if is_empty_contact(record):
        return RecordError(record.source, locator, "row has no name, email, phone or organisation")
    return record
