"""LinkedIn ``messages.csv`` as message headers for the history. See FORMATS.md section 1.3.

Three layouts are read by header name: the 2024–2026 one (``CONVERSATION ID, …, FOLDER,
ATTACHMENTS``), its newer variant with every field quoted and ``IS MESSAGE DRAFT`` /
``IS CONVERSATION DRAFT`` added (draft messages are skipped), and the 2018 ``Messages.csv``
(``From,To,Date,Subject,Content,Direction,Folder``, names only, ``10/16/18, 8:36 AM``).
The input is the file itself, an export folder or the export ``.zip``. ``CONTENT`` is only
glanced at (its first few kilobytes) to recognise sponsored InMail.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from rekindle.history.records import Address, MessageRecord
from rekindle.identity.records import RecordError
from rekindle.sources.base import ImportOptions
from rekindle.sources.bounded_zip import BoundedZip
from rekindle.sources.csv_table import CsvRow, HeaderNotFoundError, Opener, open_table
from rekindle.sources.linkedin import parse_export_members
from rekindle.sources.linkedin_files import parse_linkedin_datetime, parse_profile_url

SOURCE = "linkedin-messages"
#: the user's own side of a 2018 message, whose name the file does not say is theirs
ME = Address(value="", name="<me>", kind="name")
_EXPECTED = (
    "CONVERSATION ID",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "RECIPIENT PROFILE URLS",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
    "Direction",
)
_HTML = re.compile(r"<\s*(?:html|body|div|p|br|table|td|a|span|img|style|font|center)\b", re.I)
_SPONSOR_PEEK = 4096
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, EOFError, OSError)

Item = MessageRecord | RecordError


def read_linkedin_messages(path: Path) -> Iterator[Item]:
    """The messages of ``messages.csv``, of an export folder or of the export ``.zip``."""
    if path.is_dir():
        yield from _read_folder(path)
    elif _is_zip(path):
        yield from _read_zip(path, path.name)
    else:
        yield from _read_file(path, path.name)


def _is_zip(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(4) in (b"PK\x03\x04", b"PK\x05\x06")
    except OSError:
        return False


def _message_members(names: list[str]) -> list[str]:
    return [member for member, kind in parse_export_members(names) if kind == "messages"]


def _read_folder(folder: Path) -> Iterator[Item]:
    names = []
    try:
        for child in sorted(folder.iterdir()):
            if child.is_file():
                names.append(child.name)
            elif child.is_dir():
                names += [f"{child.name}/{c.name}" for c in sorted(child.iterdir()) if c.is_file()]
    except OSError as exc:
        yield RecordError(SOURCE, folder.name, f"cannot be read: {exc.strerror or exc}")
        return
    members = _message_members(names)
    for member in members:
        yield from _read_file(folder / member, member)
    if members:
        return
    archives = [z for z in sorted(folder.glob("*.zip")) if _zip_message_members(z)]
    for archive in archives:
        yield from _read_zip(archive, archive.name)
    if not archives:
        yield RecordError(SOURCE, folder.name, "no messages.csv in this folder")


def _zip_message_members(path: Path) -> list[str]:
    try:
        with zipfile.ZipFile(path) as zf:
            return _message_members([i.filename for i in zf.infolist() if not i.is_dir()])
    except _ZIP_ERRORS:
        return []


def _read_zip(path: Path, label: str) -> Iterator[Item]:
    try:
        zf = zipfile.ZipFile(path)
    except _ZIP_ERRORS as exc:
        yield RecordError(SOURCE, label, f"not a readable zip file: {exc}")
        return
    with zf:
        bounded = BoundedZip(zf)
        members = _message_members([i.filename for i in zf.infolist() if not i.is_dir()])
        if not members:
            yield RecordError(SOURCE, label, "no messages.csv inside")
        for member in members:
            name = f"{label}/{member}"
            try:
                yield from _read_file(path, name, opener=bounded.opener(member))
            except (*_ZIP_ERRORS, NotImplementedError) as exc:
                yield RecordError(SOURCE, name, f"cannot read this file in the zip: {exc}")


def _read_file(path: Path, name: str, opener: Opener | None = None) -> Iterator[Item]:
    try:
        with open_table(
            path, ImportOptions(), name=name, opener=opener, expected=_EXPECTED, min_match=3
        ) as table:
            if table is None:
                return
            if not (table.has("CONVERSATION ID", "Direction") and table.has("FROM", "DATE")):
                yield RecordError(SOURCE, name, "not a LinkedIn messages file")
                return
            for row in table.rows(SOURCE):
                item = row if isinstance(row, RecordError) else parse_message(row)
                if item is not None:
                    yield item
    except HeaderNotFoundError as exc:
        yield RecordError(SOURCE, name, f"not a LinkedIn messages file: {exc}")
    except OSError as exc:
        yield RecordError(SOURCE, name, f"cannot be read: {exc.strerror or exc}")


def _split_names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def _profile(url: str) -> str:
    return parse_profile_url(url) or url.strip()


def _recipients(names: list[str], urls: list[str]) -> list[Address]:
    """Profile URLs named when the counts agree, URLs alone when not, else names alone."""
    if urls:
        if len(names) == len(urls):
            return [Address(_profile(u), n, "url") for u, n in zip(urls, names, strict=True)]
        return [Address(_profile(u), "", "url") for u in urls]
    return [Address("", n, "name") for n in names]


def _sponsored(row: CsvRow, sender_name: str, has_urls: bool, sender_url: str) -> bool:
    if sender_name.lower() == "linkedin member" or "sponsored" in row.get("FOLDER").lower():
        return True
    if has_urls and not sender_url:
        return bool(_HTML.search(row.get("CONTENT")[:_SPONSOR_PEEK]))
    return False


def message_id(*parts: str) -> str:
    """A stable id for a message from the parts that identify it."""
    blob = "\x1f".join(p.strip() for p in parts)
    return "linkedin:" + hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def parse_message(row: CsvRow) -> Item | None:
    """One row as a MessageRecord; None for a draft."""
    if row.get("IS MESSAGE DRAFT").lower() in ("yes", "true"):
        return None
    sender_name, sender_url = row.get("FROM"), row.get("SENDER PROFILE URL")
    to_names = _split_names(row.get("TO"))
    to_urls = re.findall(r"[^\s,]+", row.get("RECIPIENT PROFILE URLS"))
    date_text = row.get("DATE")
    when = parse_linkedin_datetime(date_text) if date_text else None
    record = MessageRecord(
        source=SOURCE,
        locator=row.locator,
        date=when,
        subject=row.get("SUBJECT") or None,
        thread=row.get("CONVERSATION ID") or None,
        folder=row.get("FOLDER") or None,
    )
    if when is None:
        record.date_problem = f"unparseable: {date_text}" if date_text else "missing"
    if sender_url:
        record.sender = Address(_profile(sender_url), sender_name, "url")
    elif sender_name:
        record.sender = Address("", sender_name, "name")
    record.to = _recipients(to_names, to_urls)
    direction = row.get("Direction").upper()
    if direction in ("INCOMING", "RECEIVED"):
        record.to = [ME]
    elif direction in ("OUTGOING", "SENT"):
        record.sender = ME
    if record.sender is None and not record.to:
        return RecordError(SOURCE, row.locator, "message has no sender and no recipient")
    has_urls = row.table.has("SENDER PROFILE URL")
    if _sponsored(row, sender_name, has_urls, sender_url):
        record.bulk = "sponsored"
    stamp = when.isoformat() if when else date_text
    if record.thread:
        record.message_id = message_id(record.thread, stamp, sender_name)
    else:  # 2018: no conversation ids
        record.message_id = message_id("", stamp, sender_name, row.get("TO"), row.get("SUBJECT"))
    return record
