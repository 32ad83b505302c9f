"""The files of a LinkedIn data export, one reader each. See FORMATS.md section 1.

``Connections.csv`` gives contacts; ``Positions.csv``, ``Education.csv``, ``Profile.csv``
and ``Email Addresses.csv`` describe the user; ``Invitations.csv`` gives dated contacts;
``messages.csv`` is only announced (a later feature reads it).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from rekindle.identity.records import (
    AffiliationRecord,
    ContactRecord,
    InteractionRecord,
    Item,
    MeRecord,
    NoticeRecord,
    RawIdentity,
    RecordError,
)
from rekindle.sources.base import ImportOptions
from rekindle.sources.csv_fields import is_empty_contact, join_name, parse_email, url_identity
from rekindle.sources.csv_table import CsvRow, HeaderNotFoundError, Opener, open_table

SOURCE = "linkedin"

_MONTH_NAMES = (
    "january february march april may june july august september october november december"
)
_MONTHS = {name: i + 1 for i, full in enumerate(_MONTH_NAMES.split()) for name in (full, full[:3])}
_MONTHS["sept"] = 9
_PROFILE = re.compile(
    r"(?:https?://)?(?:[a-z]{2,3}\.)?linkedin\.com/(in|pub)/([^?#]+?)/*(?:[?#].*)?", re.I
)
_US_DATETIME = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?"
)


def parse_profile_url(text: str) -> str | None:
    """The canonical form of a LinkedIn profile URL (``https://www.linkedin.com/in/slug``)."""
    m = _PROFILE.fullmatch(text.strip())
    if not m:
        return None
    return f"https://www.linkedin.com/{m[1].lower()}/{m[2].lower()}"


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def parse_linkedin_datetime(text: str) -> datetime | None:
    """``1/8/18, 6:14 PM`` (US), ``2024-10-26 11:43:11 UTC``, ``22 Dec 2025`` → UTC."""
    s = text.strip()
    if (when := _numeric_datetime(s)) is not None:
        return when
    day = parse_connected_on(s)
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None


def _numeric_datetime(s: str) -> datetime | None:
    """The US and ISO forms of :func:`parse_linkedin_datetime` (None: neither)."""
    if m := _US_DATETIME.fullmatch(s):
        hour, minute, second = int(m[4] or 0), int(m[5] or 0), int(m[6] or 0)
        if m[7]:
            hour = hour % 12 + (12 if m[7].lower() == "pm" else 0)
        try:
            return datetime(_year(m[3]), int(m[1]), int(m[2]), hour, minute, second, tzinfo=UTC)
        except ValueError:
            return None
    if m := re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?\s*(?:UTC|Z)?", s):
        try:
            return datetime.fromisoformat(f"{m[1]}T{m[2] or '00:00'}").replace(tzinfo=UTC)
        except ValueError:
            return None
    return None


def parse_connected_on(text: str) -> date | None:
    """``22 Dec 2025``, ``Dec 22, 2025``, ``1/8/18, 6:14 PM`` or ``2025-12-22``."""
    s = text.strip()
    words = re.findall(r"[A-Za-z]+|\d+", s)
    try:
        if len(words) == 3 and words[1].lower() in _MONTHS:
            return date(_year(words[2]), _MONTHS[words[1].lower()], int(words[0]))
        if len(words) == 3 and words[0].lower() in _MONTHS:
            return date(_year(words[2]), _MONTHS[words[0].lower()], int(words[1]))
    except ValueError:
        return None
    if _US_DATETIME.fullmatch(s) or re.match(r"\d{4}-\d{2}-\d{2}", s):
        # the numeric forms only: "2025-12-22 and more" is no date (it went round between
        # the two readers until the stack ran out)
        when = _numeric_datetime(s)
        return when.date() if when else None
    return None


def parse_month_year(text: str) -> date | None:
    """A position's ``Started On``: ``Jan 2015``, ``January 2015``, ``2015``, ``2015-01``."""
    s = text.strip()
    try:
        if m := re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{4})", s):
            month = _MONTHS.get(m[1].lower())
            return date(int(m[2]), month, 1) if month else None
        if m := re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-\d{1,2})?", s):
            return date(int(m[1]), int(m[2] or 1), 1)
        if m := re.fullmatch(r"(\d{1,2})/(\d{4})", s):
            return date(int(m[2]), int(m[1]), 1)
    except ValueError:
        return None
    return None


def parse_connection(row: CsvRow) -> ContactRecord | RecordError:
    first, last = row.get("First Name"), row.get("Last Name")
    record = ContactRecord(
        source=SOURCE,
        locator=row.locator,
        payload=row.payload(),
        given_name=first or None,
        family_name=last or None,
        full_name=join_name(first, last),
    )
    url = row.get("URL", "Profile URL")
    if url:
        record.source_id = parse_profile_url(url) or url
        record.identities.append(RawIdentity("url", record.source_id, service="linkedin"))
    raw_email = row.get("Email Address")
    if raw_email:
        email = parse_email(raw_email)
        if email:
            record.identities.append(RawIdentity("email", email))
        else:  # e.g. urn:li:member:664293716 (2018 exports)
            record.extra["Email Address"] = raw_email
    company, position = row.get("Company"), row.get("Position")
    if company:
        record.affiliations.append(AffiliationRecord(company, position or None))
    elif position:
        record.extra["Position"] = position
    connected = row.get("Connected On")
    if connected:
        record.connected_on = parse_connected_on(connected)
        if record.connected_on is None:
            record.extra["Connected On"] = connected
    if is_empty_contact(record):
        return RecordError(SOURCE, row.locator, "connection has no name, URL or email")
    return record


def _affiliation(
    row: CsvRow, kind: Literal["work", "school"], org: str, title: str, start: str, end: str
) -> MeRecord | RecordError:
    organisation = row.get(org)
    if not organisation:
        return RecordError(SOURCE, row.locator, f"no {org}")
    affiliation = AffiliationRecord(
        organisation,
        row.get(title) or None,
        start=parse_month_year(row.get(start)),
        end=parse_month_year(row.get(end)),
        kind=kind,
    )
    return MeRecord(SOURCE, row.locator, row.payload(), affiliations=[affiliation])


def parse_position(row: CsvRow) -> MeRecord | RecordError:
    return _affiliation(row, "work", "Company Name", "Title", "Started On", "Finished On")


def parse_education(row: CsvRow) -> MeRecord | RecordError:
    return _affiliation(row, "school", "School Name", "Degree Name", "Start Date", "End Date")


def parse_email_address(row: CsvRow) -> MeRecord | RecordError | None:
    raw = row.get("Email Address")
    email = parse_email(raw)
    if not email:
        return RecordError(SOURCE, row.locator, f"not an email address: {raw!r}") if raw else None
    preferred = row.get("Primary").lower() in ("yes", "true")
    identity = RawIdentity("email", email, preferred=preferred)
    return MeRecord(SOURCE, row.locator, row.payload(), identities=[identity])


def parse_profile(row: CsvRow) -> MeRecord | None:
    identities = []
    for header, value in row.items():
        key = header.lower()
        if "mail" in key:
            identities += [
                RawIdentity("email", e) for e in re.split(r"[\s,;]+", value) if parse_email(e)
            ]
        elif "website" in key:
            identities += [url_identity(u) for u in re.findall(r"https?://[^\s,\]]+", value)]
        elif "twitter" in key:
            for handle in re.split(r"[\s,;\[\]]+", value):
                if handle.startswith("http"):
                    identities.append(url_identity(handle))
                elif handle.strip("@"):
                    identities.append(
                        RawIdentity("handle", "@" + handle.strip("@"), service="twitter")
                    )
    if not identities:
        return None
    return MeRecord(SOURCE, row.locator, row.payload(), identities=identities)


def parse_invitation(row: CsvRow) -> InteractionRecord | RecordError:
    raw_direction = row.get("Direction").upper()
    if raw_direction in ("INCOMING", "RECEIVED"):
        direction: Literal["in", "out"] = "in"
        name, url = row.get("From"), row.get("inviterProfileUrl")
    elif raw_direction in ("OUTGOING", "SENT"):
        direction = "out"
        name, url = row.get("To"), row.get("inviteeProfileUrl")
    else:
        return RecordError(SOURCE, row.locator, f"unknown Direction {raw_direction!r}")
    when = parse_linkedin_datetime(row.get("Sent At"))
    if when is None:
        return RecordError(SOURCE, row.locator, f"unreadable Sent At {row.get('Sent At')!r}")
    participants = []
    if url:
        participants.append(RawIdentity("url", parse_profile_url(url) or url, service="linkedin"))
    subject = f"LinkedIn invitation {'from' if direction == 'in' else 'to'} {name}".strip()
    return InteractionRecord(
        source=SOURCE,
        locator=row.locator,
        when=when,
        channel="message",
        direction=direction,
        participants=participants,
        subject=subject,
        payload=row.payload(),
    )


@dataclass(frozen=True)
class FileKind:
    """One kind of export file: the columns that find its header and its row reader."""

    expected: tuple[str, ...]
    min_match: int
    parse_row: Callable[[CsvRow], Item | None]


KINDS: dict[str, FileKind] = {
    "connections": FileKind(
        ("First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"),
        3,
        parse_connection,
    ),
    "profile": FileKind(
        ("First Name", "Last Name", "Headline", "Summary", "Websites", "Twitter Handles"),
        3,
        parse_profile,
    ),
    "email addresses": FileKind(
        ("Email Address", "Confirmed", "Primary", "Updated On"), 2, parse_email_address
    ),
    "positions": FileKind(
        ("Company Name", "Title", "Description", "Location", "Started On", "Finished On"),
        2,
        parse_position,
    ),
    "education": FileKind(
        ("School Name", "Start Date", "End Date", "Notes", "Degree Name", "Activities"),
        2,
        parse_education,
    ),
    "invitations": FileKind(("From", "To", "Sent At", "Message", "Direction"), 3, parse_invitation),
}
#: export file names (lower-case) and the kind each is; the order they are read in
FILE_NAMES = {
    "connections.csv": "connections",
    "profile.csv": "profile",
    "email addresses.csv": "email addresses",
    "positions.csv": "positions",
    "education.csv": "education",
    "invitations.csv": "invitations",
    "messages.csv": "messages",
}


def parse_kind_from_header(keys: set[str]) -> str | None:
    """Which export file a header (normalised keys) belongs to, if any."""
    if {"firstname", "lastname", "connectedon"} <= keys:
        return "connections"
    if {"from", "to", "sentat", "direction"} <= keys:
        return "invitations"
    if {"from", "to", "content"} <= keys and keys & {"date", "conversationid"}:
        return "messages"
    if {"companyname", "title"} <= keys and keys & {"startedon", "finishedon"}:
        return "positions"
    if "schoolname" in keys and keys & {"startdate", "degreename"}:
        return "education"
    if "emailaddress" in keys and keys & {"primary", "confirmed"}:
        return "email addresses"
    if {"firstname", "lastname", "headline"} <= keys:
        return "profile"
    return None


def parse_export_file(
    kind: str, path: Path, name: str, options: ImportOptions, opener: Opener | None = None
) -> Iterator[Item]:
    """The records of one export file of a known ``kind``."""
    if kind == "messages":
        yield NoticeRecord(
            SOURCE,
            name,
            f"{name} holds your LinkedIn messages; they are not imported as contacts. "
            "`rekindle sync mail` will read them into your history (a later feature).",
        )
        return
    spec = KINDS[kind]
    try:
        with open_table(
            path,
            options,
            name=name,
            opener=opener,
            expected=spec.expected,
            min_match=spec.min_match,
        ) as table:
            if table is None:
                return
            for row in table.rows(SOURCE):
                item = row if isinstance(row, RecordError) else spec.parse_row(row)
                if item is not None:
                    yield item
    except HeaderNotFoundError as exc:
        yield RecordError(SOURCE, name, f"not a LinkedIn {kind} file: {exc}")
